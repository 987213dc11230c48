"""What the benchmark scripts share: the repository on sys.path, where Reuters-21578 is, best-of timing.

Not a benchmark itself (the leading underscore keeps it apart from the ``bench_*`` scripts).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Fastest wall time in seconds of ``repeat`` calls of ``fn`` (the least disturbed by other load)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def reuters_articles(*, trade_only: bool):
    """Reuters-21578 through tradelib.load_articles; with ``trade_only`` the stories whose TOPICS hold 'trade'."""
    import tradelib

    arts = tradelib.load_articles(sorted(REUTERS.glob("reut2-*.sgm"))).articles
    if trade_only:
        arts = arts[arts["meta"].map(lambda m: "trade" in (m.get("TOPICS") or []))].reset_index(drop=True)
    return arts


def reuters_args(description: str, argv: list[str] | None, *, repeat: int):
    """Parse ``--all`` (every story, not only TOPICS 'trade') and ``--repeat``; exit with a message when Reuters is absent."""
    import argparse

    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--all", action="store_true", help="all Reuters stories, not only TOPICS 'trade'")
    ap.add_argument("--repeat", type=int, default=repeat, help="timed repetitions; the fastest is reported")
    args = ap.parse_args(argv)
    if not REUTERS.is_dir():
        sys.exit(f"{REUTERS} is absent")
    return args


def reuters_sentences(*, trade_only: bool):
    """``(articles, sentences, texts)``: Reuters-21578 through load_articles and split_sentences."""
    import tradelib

    arts = reuters_articles(trade_only=trade_only)
    sents = tradelib.split_sentences(arts)
    return arts, sents, list(sents["text"])

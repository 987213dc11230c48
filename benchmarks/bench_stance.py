"""Speed of tradelib.score_stance against vaderSentiment over the same Reuters sentences.

Usage::

    .venv/bin/python benchmarks/bench_stance.py            # trade-topic Reuters stories
    .venv/bin/python benchmarks/bench_stance.py --all      # every Reuters-21578 story (slower)

Loads Reuters-21578 through tradelib.load_articles, splits sentences, then times
(best of --repeat runs, default 5) score_stance with the shipped model, score_stance with
rules only, and vaderSentiment's SentimentIntensityAnalyzer.polarity_scores over
the same sentences, in one run, and prints sentences per second and the ratio
(> 1 means score_stance is faster).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"


def _best(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--all", action="store_true", help="all Reuters stories, not only TOPICS 'trade'")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    if not REUTERS.is_dir():
        print(f"{REUTERS} is absent", file=sys.stderr)
        return 1
    import tradelib
    from tradelib.stance import default_model, score_stance
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    arts = tradelib.load_articles(sorted(REUTERS.glob("reut2-*.sgm"))).articles
    if not args.all:
        arts = arts[arts["meta"].map(lambda m: "trade" in (m.get("TOPICS") or []))]
    sents = tradelib.split_sentences(arts)
    texts = list(sents["text"])
    default_model()  # load the model file outside the timing, as vader's lexicon is loaded outside it
    sia = SentimentIntensityAnalyzer()
    score_stance(texts[:50])  # warm the compiled regexes

    t_model = _best(lambda: score_stance(sents), args.repeat)
    t_rules = _best(lambda: score_stance(sents, model="rules"), args.repeat)
    t_vader = _best(lambda: [sia.polarity_scores(t) for t in texts], args.repeat)
    n = len(texts)
    print(f"sentences: {n} from {len(arts)} Reuters stories ({'all' if args.all else 'TOPICS trade'})")
    for name, t in (("score_stance (model)", t_model), ("score_stance (rules)", t_rules),
                    ("vader polarity_scores", t_vader)):
        print(f"{name:24s} {t:7.3f} s  {n / t:9.0f} sentences/s")
    print(f"ratio vader_time / score_stance_time: model {t_vader / t_model:.2f}x, rules {t_vader / t_rules:.2f}x"
          " (> 1: score_stance is faster)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

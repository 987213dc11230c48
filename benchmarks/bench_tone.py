"""Benchmark: sentences/s of tradelib.score_tone against vaderSentiment's polarity_scores, same run.

    python benchmarks/bench_tone.py [--limit N] [--embeddings] [--lm PATH]

Scores the Reuters-21578 sentences (tradelib.load_articles + split_sentences on
../shared/data/reuters21578), or the seed article's when Reuters is absent.
Prints sentences/s of ``polarity_scores`` alone, of ``score_tone`` (all
columns, default model) and their time ratio (the aim: <= 1.5), and with
``--embeddings`` the embeddings model's sentences/s (on at most 500 sentences).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from _common import REUTERS, ROOT, best_of

import tradelib

SEED = ROOT / "seeds" / "000_82dc86d613431f07.txt"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=20000, help="sentences to score (default 20000; 0 = all)")
    ap.add_argument("--repeat", type=int, default=3, help="timed repetitions; the fastest is reported")
    ap.add_argument("--embeddings", action="store_true", help="also time model='embeddings'")
    ap.add_argument("--lm", type=Path, default=None, help="a Loughran-McDonald CSV (adds the lm_* columns)")
    args = ap.parse_args(argv)

    src = REUTERS if REUTERS.is_dir() else SEED
    sents = tradelib.split_sentences(tradelib.load_articles(src).articles)
    if args.limit:
        sents = sents.head(args.limit)
    texts = sents["text"].tolist()
    print(f"{len(texts)} sentences from {src}")

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    an = SentimentIntensityAnalyzer()
    tradelib.score_tone(texts[:50], lm_dictionary=args.lm)  # load lexicons and model once
    t_vader = best_of(lambda: [an.polarity_scores(t) for t in texts], args.repeat)

    def run_tone() -> None:
        from tradelib import _tone_features as F

        F.clear_caches()  # no warm per-token cache between repetitions
        tradelib.score_tone(sents, lm_dictionary=args.lm)

    t_tone = best_of(run_tone, args.repeat)
    n = len(texts)
    print(f"vaderSentiment polarity_scores : {n / t_vader:10.0f} sentences/s")
    print(f"tradelib.score_tone (default)  : {n / t_tone:10.0f} sentences/s")
    print(f"time ratio score_tone / VADER  : {t_tone / t_vader:10.2f}  (aim <= 1.5)")
    if args.embeddings:
        sub = texts[:500]
        tradelib.score_tone(sub[:8], model="embeddings")
        t_emb = best_of(lambda: tradelib.score_tone(sub, model="embeddings"), 1)
        print(f"tradelib.score_tone (embeddings): {len(sub) / t_emb:9.0f} sentences/s ({len(sub)} sentences)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

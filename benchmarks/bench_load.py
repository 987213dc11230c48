"""Benchmark: load and segment all of Reuters-21578, against VADER on the same sentences.

Usage: python benchmarks/bench_load.py [REUTERS_DIR] [--limit N]

Prints articles/s and sentences/s for tradelib.load_articles + split_sentences,
the peak resident memory after that step, the time vaderSentiment's
``polarity_scores`` takes over the resulting sentences (the reference, measured
in the same run), and the ratio. The aim: loading plus splitting takes no
longer than VADER scoring (ratio <= 1).
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

import tradelib


def main() -> None:
    parser = argparse.ArgumentParser()
    default = Path(__file__).resolve().parents[2] / "shared" / "data" / "reuters21578"
    parser.add_argument("reuters", nargs="?", default=str(default))
    parser.add_argument("--limit", type=int, default=None, help="score only the first N sentences with VADER")
    args = parser.parse_args()
    files = sorted(Path(args.reuters).glob("reut2-*.sgm"))
    if not files:
        raise SystemExit(f"no reut2-*.sgm files in {args.reuters}")

    # imports and data-file loads are warmed up outside the timing, as VADER's are below
    tradelib.split_sentences(tradelib.load_articles(files[0]).articles.head(5))
    t0 = time.perf_counter()
    result = tradelib.load_articles(files)
    t1 = time.perf_counter()
    sentences = tradelib.split_sentences(result.articles)
    t2 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    texts = sentences["text"].tolist()[: args.limit]
    analyzer = SentimentIntensityAnalyzer()
    t3 = time.perf_counter()
    for text in texts:
        analyzer.polarity_scores(text)
    t4 = time.perf_counter()

    ours = t2 - t0
    vader = (t4 - t3) * len(sentences) / len(texts)
    print(f"articles: {len(result.articles):,}  sentences: {len(sentences):,}")
    print(f"load:  {t1 - t0:7.2f} s  ({len(result.articles) / (t1 - t0):,.0f} articles/s)")
    print(f"split: {t2 - t1:7.2f} s  ({len(sentences) / (t2 - t1):,.0f} sentences/s)")
    print(f"load+split: {ours:.2f} s  ({len(result.articles) / ours:,.0f} articles/s, {len(sentences) / ours:,.0f} sentences/s)")
    print(f"peak memory after load+split: {peak_mb:,.0f} MB (max RSS)")
    note = "" if args.limit is None else f" (extrapolated from {len(texts):,} sentences)"
    print(f"VADER polarity_scores over the same sentences: {vader:.2f} s{note} ({len(sentences) / vader:,.0f} sentences/s)")
    print(f"ratio load+split / VADER: {ours / vader:.3f}  (aim: <= 1)")


if __name__ == "__main__":
    main()

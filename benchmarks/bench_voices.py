"""Speed of the per-sentence voice and stance steps against vaderSentiment, over the same Reuters sentences.

Usage::

    .venv/bin/python benchmarks/bench_voices.py            # trade-topic Reuters stories
    .venv/bin/python benchmarks/bench_voices.py --all      # every Reuters-21578 story (slower)

Loads Reuters-21578 through tradelib.load_articles, splits sentences, then times
(best of --repeat runs, default 3), in one run: vaderSentiment's
SentimentIntensityAnalyzer.polarity_scores over the sentences (the reference),
and tradelib's find_actors, extract_quotes, classify_sourcing and score_stance
(with the find_actors mentions passed, as tradelib.pipeline.step_stance does) over
the same sentences (extract_quotes over their articles). It prints each time and
its ratio to VADER's (< 1 means the step is faster than VADER). Issue 8 asks the
whole pipeline to cost at most 2x VADER's time.
"""

from __future__ import annotations

from _common import best_of, reuters_args, reuters_sentences


def main(argv: list[str] | None = None) -> int:
    args = reuters_args(__doc__.splitlines()[0], argv, repeat=3)
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from tradelib.actors import find_actors, load_lexicon
    from tradelib.quotes import classify_sourcing, extract_quotes
    from tradelib.stance import default_model, score_stance

    arts, sents, texts = reuters_sentences(trade_only=not args.all)
    # load lexicons and models outside the timing, as vader's lexicon is loaded outside it
    load_lexicon()
    default_model()
    sia = SentimentIntensityAnalyzer()
    mentions = find_actors(sents)
    score_stance(sents[:50], mentions=mentions)  # warm the compiled regexes
    classify_sourcing(sents[:50])

    t_vader = best_of(lambda: [sia.polarity_scores(t) for t in texts], args.repeat)
    steps = (
        ("find_actors", lambda: find_actors(sents)),
        ("extract_quotes", lambda: extract_quotes(arts)),
        ("classify_sourcing", lambda: classify_sourcing(sents)),
        ("score_stance(mentions)", lambda: score_stance(sents, mentions=mentions)),
    )
    times = [(name, best_of(fn, args.repeat)) for name, fn in steps]
    n = len(texts)
    print(f"sentences: {n} from {len(arts)} Reuters stories ({'all' if args.all else 'TOPICS trade'}),"
          f" best of {args.repeat}")
    print(f"{'vader polarity_scores':24s} {t_vader:7.3f} s  {n / t_vader:9.0f} sentences/s  (reference)")
    for name, t in times:
        print(f"{name:24s} {t:7.3f} s  {n / t:9.0f} sentences/s  ratio to vader {t / t_vader:5.2f}x")
    total = sum(t for _, t in times)
    print(f"{'these four together':24s} {total:7.3f} s  {'':9s}              ratio to vader {total / t_vader:5.2f}x"
          " (< 1: faster than vader)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

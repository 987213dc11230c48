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

from _common import best_of, reuters_args, reuters_sentences


def main(argv: list[str] | None = None) -> int:
    args = reuters_args(__doc__.splitlines()[0], argv, repeat=5)
    from tradelib.stance import default_model, score_stance
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    arts, sents, texts = reuters_sentences(trade_only=not args.all)
    default_model()  # load the model file outside the timing, as vader's lexicon is loaded outside it
    sia = SentimentIntensityAnalyzer()
    score_stance(texts[:50])  # warm the compiled regexes

    t_model = best_of(lambda: score_stance(sents), args.repeat)
    t_rules = best_of(lambda: score_stance(sents, model="rules"), args.repeat)
    t_vader = best_of(lambda: [sia.polarity_scores(t) for t in texts], args.repeat)
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

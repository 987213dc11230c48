"""Print speaker and side accuracy of tradelib.extract_quotes on the labelled quotes.

Usage: .venv/bin/python scripts/eval_quotes.py [--details]

Two sets: the Reuters-21578 quotes (needs ../shared/data/reuters21578, third-party data not in the
repository; skipped with a message when absent) and the modern sets modern_a to modern_o (183
helper-written 2017-2025 trade-war articles in tests/data/quotes_modern_articles.jsonl, labels in
quotes_modern_labels.jsonl).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from tradelib.evaluate import quote_accuracy

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "reuters_quotes_labelled.jsonl"
MODERN = ROOT / "tests" / "data" / "quotes_modern_labels.jsonl"
MODERN_ARTICLES = ROOT / "tests" / "data" / "quotes_modern_articles.jsonl"
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"


def main(argv: list[str]) -> int:
    pd.set_option("display.width", 220)
    pd.set_option("display.max_colwidth", 45)
    pd.set_option("display.max_rows", 500)
    sets = [(MODERN, MODERN_ARTICLES)]
    if REUTERS.exists():
        sets.insert(0, (LABELS, REUTERS))
    else:
        print(f"{REUTERS} not found: the Reuters sets are skipped")
    for labels, articles in sets:
        print(f"\n== {labels.name}")
        if "--details" in argv:
            table = quote_accuracy(labels, articles, details=True)
            print(table[~(table["speaker_ok"] & table["side_ok"])].to_string())
        table = quote_accuracy(labels, articles, by="set").set_index("set").T
        table.columns.name, table.index.name = None, "metric"
        print(table.round(3).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Print speaker and side accuracy of tradelib.extract_quotes on the labelled Reuters quotes.

Usage: .venv/bin/python scripts/eval_quotes.py [--details]
Needs ../shared/data/reuters21578 (third-party data, not in the repository).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from tradelib.evaluate import quote_accuracy

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "tests" / "data" / "reuters_quotes_labelled.jsonl"


def main(argv: list[str]) -> int:
    if "--details" in argv:
        pd.set_option("display.width", 220)
        pd.set_option("display.max_colwidth", 45)
        pd.set_option("display.max_rows", 500)
        table = quote_accuracy(LABELS, details=True)
        print(table[~(table["speaker_ok"] & table["side_ok"])].to_string())
    table = quote_accuracy(LABELS, by="set").set_index("set").T
    table.columns.name, table.index.name = None, "metric"
    print(table.round(3).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

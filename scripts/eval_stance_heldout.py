"""Score the shipped stance model on the held-out label sets (never used to fit or tune it).

Usage: .venv/bin/python scripts/eval_stance_heldout.py

``tests/data/stance_heldout_*.jsonl`` are sets labelled blind by helpers after the model of
session 8 was fitted, and scored once with it when they arrived: ``fresh11`` (every sentence of 15
Reuters-21578 trade stories, seed 16) and ``synth11`` (16 helper-written stories on 2018-2025
episodes). ``scripts/fit_stance.py`` does not read them. This prints accuracy, macro-F1, side
accuracy, per-class figures and the confusion matrix of ``tradelib.score_stance`` on each.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tradelib  # noqa: E402
from tradelib.evaluate import evaluate_stance  # noqa: E402
from tradelib.stance import load_labels  # noqa: E402


def main() -> int:
    for path in sorted((ROOT / "tests" / "data").glob("stance_heldout_*.jsonl")):
        lab = load_labels(path)
        pred = tradelib.score_stance(list(lab["text"]))
        r = evaluate_stance(lab["stance"], pred["stance"], gold_side=lab["side"], pred_side=pred["side"])
        print(f"== {path.name}: n={r['n']}  accuracy={r['accuracy']:.3f}  macro-F1={r['macro_f1']:.3f}  "
              f"side accuracy={r['side_accuracy']:.3f}")
        print(r["per_class"].round(3).to_string(index=False))
        print(r["confusion"].to_string(), end="\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

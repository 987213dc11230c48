"""Agreement between two annotators of the same stance sentences.

Usage: .venv/bin/python scripts/stance_agreement.py

``tests/data/stance_agreement_fresh10.jsonl`` and ``stance_agreement_synth9.jsonl`` hold a second
helper's labels, made blind (without seeing the first labels, the stance code or the scorer) from the
guide and the project's decisions, of the sentences of ``stance_labels_fresh10.jsonl`` and
``stance_labels_synth9.jsonl``. This prints, per set, the share of sentences with the same stance,
Cohen's kappa, the macro-F1 of one annotator scored against the other, side agreement and the
confusion matrix (rows: the first annotator).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from sklearn.metrics import cohen_kappa_score

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tradelib.evaluate import evaluate_stance  # noqa: E402

PAIRS = [("fresh10", "stance_labels_fresh10.jsonl", "stance_agreement_fresh10.jsonl"),
         ("synth9", "stance_labels_synth9.jsonl", "stance_agreement_synth9.jsonl")]


def main() -> int:
    data = ROOT / "tests" / "data"
    for name, first, second in PAIRS:
        a = pd.read_json(data / first, lines=True)
        b = pd.read_json(data / second, lines=True).set_index("id").loc[a["id"]].reset_index()
        r = evaluate_stance(a["stance"], b["stance"], gold_side=a["side"], pred_side=b["side"])
        kappa = cohen_kappa_score(a["stance"], b["stance"])
        print(f"== {name}: n={r['n']}  stance agreement={r['accuracy']:.3f}  kappa={kappa:.3f}  "
              f"macro-F1={r['macro_f1']:.3f}  side agreement={r['side_accuracy']:.3f}")
        print(r["confusion"].to_string(), end="\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

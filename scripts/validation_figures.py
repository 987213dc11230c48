"""Measure tradelib's validation figures and write them to tradelib/data/validation.json for the report.

Usage (from the repository root, with ../shared present):

    .venv/bin/python scripts/validation_figures.py            # writes tradelib/data/validation.json
    .venv/bin/python scripts/validation_figures.py --print    # prints the figures, writes nothing

Each section calls the evaluation function that the README's figures come from
(tradelib.evaluate), so the report's methods section and the README agree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "tradelib" / "data" / "validation.json"
COMMAND = "python scripts/validation_figures.py"


def _value(v: object) -> object:
    """JSON-friendly: NaN -> None, counts as int, other floats rounded to 4 places."""
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float):
        if math.isnan(v):
            return None
        if v.is_integer() and abs(v) > 1:
            return int(v)
        return round(v, 4)
    return v


def _rows(df: pd.DataFrame) -> list[dict]:
    return [{k: _value(v) for k, v in rec.items()} for rec in df.to_dict("records")]


def tone_section() -> dict:
    from tradelib import evaluate

    table = evaluate.evaluate_tone(path=SHARED / "vader_ground_truth")
    cols = ["dataset", "measure", "n", "pearson_r", "macro_f1", "how"]
    return {
        "key": "tone",
        "title": "Tone against human ratings (VADER ground truth; Pearson r and 3-class macro-F1)",
        "text": "Mean human rating of each sentence (Hutto & Gilbert 2014) against each measure; 3 classes cut at "
                "±0.05 on scores normalised to [-1, 1]. tradelib's own tone is scored by cross-validation grouped "
                "by editorial, not by its training fit.",
        "columns": cols,
        "rows": _rows(table[cols]),
        "figure": {"kind": "bars", "x": "dataset", "y": "pearson_r", "hue": "measure"},
    }


def quotes_section() -> dict:
    from tradelib import evaluate

    table = evaluate.quote_accuracy(ROOT / "tests" / "data" / "reuters_quotes_labelled.jsonl",
                                    SHARED / "reuters21578", by="set")
    return {
        "key": "quotes",
        "title": "Quote speakers and sides on the labelled Reuters-21578 trade quotes, per labelled set",
        "text": "Quotes labelled by hand with their speaker and side, set by set, each set labelled before the code "
                "was run on it; the rules were then fixed on every set except fresh_b, so fresh_b is the estimate "
                "for unseen news. Speaker accuracy counts a quote as right when tradelib names the labelled speaker "
                "(no speaker is right only when none is labelled).",
        "columns": list(table.columns),
        "rows": _rows(table),
    }


def stance_section() -> dict:
    from tradelib import evaluate
    from tradelib.stance import load_labels

    sys.path.insert(0, str(ROOT / "scripts"))
    import fit_stance  # the settings the shipped stance model was fitted with

    labels = fit_stance.real_labels()
    extra = load_labels(fit_stance.EXTRA) if fit_stance.EXTRA.exists() else None
    cv = evaluate.cross_validate_stance(labels, n_splits=5, extra=extra, params=fit_stance.PARAMS)
    res = evaluate.evaluate_stance(cv["stance"], cv["pred_stance"], gold_side=cv["side"], pred_side=cv["pred_side"])
    conf = res["confusion"]
    return {
        "key": "stance",
        "title": "Stance on the labelled sentences (cross-validated, folds grouped by article)",
        "text": f"{res['n']} real sentences labelled under the stance annotation guide (the seed and Reuters-21578 "
                "trade stories), 5-fold cross-validation grouped by article; the synthetic labelled sentences are "
                "only ever in the training folds.",
        "columns": ["n", "accuracy", "macro_f1", "side_accuracy"],
        "rows": _rows(pd.DataFrame([{k: res[k] for k in ("n", "accuracy", "macro_f1", "side_accuracy")}])),
        "figure": {"kind": "confusion", "labels": [str(c) for c in conf.columns],
                   "matrix": conf.to_numpy().astype(int).tolist()},
    }


def relevance_section() -> dict:
    from tradelib import evaluate

    table = evaluate.evaluate_relevance(SHARED / "reuters21578")
    return {
        "key": "relevance",
        "title": "Trade relevance on the Reuters-21578 ModApte test split (topic 'trade')",
        "text": "Precision, recall and F1 of the shipped classifier (model) and of the keyword rule.",
        "columns": list(table.columns),
        "rows": _rows(table),
    }


SECTIONS = {"tone": tone_section, "quotes": quotes_section, "stance": stance_section, "relevance": relevance_section}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--print", action="store_true", help="print the figures instead of writing the file")
    ap.add_argument("--sections", default=",".join(SECTIONS), help=f"comma-separated subset of {','.join(SECTIONS)}")
    args = ap.parse_args(argv)
    wanted = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = sorted(set(wanted) - set(SECTIONS))
    if unknown:
        ap.error(f"unknown section(s) {unknown}")
    if not SHARED.is_dir():
        print(f"needs the third-party data under {SHARED}", file=sys.stderr)
        return 2
    sections = []
    for key in wanted:
        sec = SECTIONS[key]()
        print(f"{sec['title']}\n{pd.DataFrame(sec['rows']).to_string(index=False)}\n")
        sections.append(sec)
    command = COMMAND + ("" if wanted == list(SECTIONS) else f" --sections {','.join(wanted)}")
    data = {"generated": dt.date.today().isoformat(), "command": command, "sections": sections}
    if not args.print:
        OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

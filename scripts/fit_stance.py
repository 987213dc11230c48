"""Refit tradelib/data/stance_model.json and print cross-validated stance figures.

Usage::

    .venv/bin/python scripts/fit_stance.py            # print CV figures, write the model
    .venv/bin/python scripts/fit_stance.py --no-write # figures only

Data: ``tests/data/stance_labels.jsonl`` and ``stance_labels_fresh.jsonl`` to
``stance_labels_fresh10.jsonl`` (real sentences: the seed and Reuters-21578 trade stories,
labelled by the annotation guide; the fresh sets were labelled blind later, each scored
once before joining) and ``tests/data/stance_labels_extra.jsonl`` and
``stance_labels_synth2.jsonl`` to ``stance_labels_synth10.jsonl`` (synthetic sentences in the
style of 2017-2025 US-China trade-war news). Figures are reported separately:

* real, rules only (no fitting);
* real, 5-fold CV grouped by article_id, synthetic rows added to every training fold;
* real, the same CV without synthetic rows;
* synthetic, 5-fold CV grouped by article_id, real rows added to every training fold.

The shipped model is then fitted on all real + synthetic rows. Training fit is
never reported as a figure.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tradelib.evaluate import cross_validate_stance, evaluate_stance  # noqa: E402
from tradelib.stance import MODEL_FILE, StanceClassifier, load_labels  # noqa: E402

REAL = ROOT / "tests" / "data" / "stance_labels.jsonl"
EXTRA = ROOT / "tests" / "data" / "stance_labels_extra.jsonl"
# 160 more synthetic sentences, written and labelled by a helper that never saw the stance code (session 5)
SYNTH2 = ROOT / "tests" / "data" / "stance_labels_synth2.jsonl"
# and 160 more on other 2018-2021 episodes, by another such helper (session 6)
SYNTH3 = ROOT / "tests" / "data" / "stance_labels_synth3.jsonl"
# and 160 in the style of newspapers, business TV and Chinese state media of 2018-2019, by a third such helper
SYNTH4 = ROOT / "tests" / "data" / "stance_labels_synth4.jsonl"
# and 160 more on other 2018-2020 episodes in mixed styles, by a fourth such helper
SYNTH5 = ROOT / "tests" / "data" / "stance_labels_synth5.jsonl"
# and 160 in the style of 2017-2018 outlets (wires, US and British papers, Chinese state media, SCMP, Nikkei), session 7
SYNTH6 = ROOT / "tests" / "data" / "stance_labels_synth6.jsonl"
# and 160 on less famous 2018-2019 episodes in the styles of that period's outlets, by another helper (session 7)
SYNTH7 = ROOT / "tests" / "data" / "stance_labels_synth7.jsonl"
# and 160 on 2017-2018 episodes in the styles of that period's outlets, by another helper (session 7)
SYNTH8 = ROOT / "tests" / "data" / "stance_labels_synth8.jsonl"
# and 160 on 2025 episodes (fentanyl tariffs to the Busan meeting) in sixteen outlets' styles, by another helper (session 8)
SYNTH9 = ROOT / "tests" / "data" / "stance_labels_synth9.jsonl"
# and 160 on less famous 2019-2024 episodes (phase one to the December 2024 gallium ban), by another helper (session 8)
SYNTH10 = ROOT / "tests" / "data" / "stance_labels_synth10.jsonl"
FRESH = ROOT / "tests" / "data" / "stance_labels_fresh.jsonl"  # real too: 17 more Reuters stories, labelled later
FRESH2 = ROOT / "tests" / "data" / "stance_labels_fresh2.jsonl"  # and 16 more, labelled later still
FRESH34 = [ROOT / "tests" / "data" / f"stance_labels_fresh{k}.jsonl" for k in (3, 4)]  # 18 + 17 more (session 5)
FRESH5 = ROOT / "tests" / "data" / "stance_labels_fresh5.jsonl"  # 20 more (session 6)
FRESH6 = ROOT / "tests" / "data" / "stance_labels_fresh6.jsonl"  # 19 more (session 7)
FRESH7 = ROOT / "tests" / "data" / "stance_labels_fresh7.jsonl"  # and 17 more (session 7)
FRESH8 = ROOT / "tests" / "data" / "stance_labels_fresh8.jsonl"  # and 19 more (session 7)
FRESH9 = ROOT / "tests" / "data" / "stance_labels_fresh9.jsonl"  # and 16 more (session 8)
FRESH10 = ROOT / "tests" / "data" / "stance_labels_fresh10.jsonl"  # and 15 more (session 8)
PARAMS = {"C": 0.05, "ngram_range": (1, 2), "min_df": 2, "rule_scale": 0.5, "class_weight": "balanced"}


def _show(title: str, df, *, confusion: bool = True) -> dict:
    ev = evaluate_stance(df["stance"], df["pred_stance"], gold_side=df["side"], pred_side=df["pred_side"])
    print(f"\n== {title}: n={ev['n']}  accuracy={ev['accuracy']:.3f}  macro-F1={ev['macro_f1']:.3f}  "
          f"side accuracy={ev['side_accuracy']:.3f}")
    if confusion:
        print(ev["confusion"].to_string())
    return ev


def _labels(paths):
    """The labelled sentences of those ``paths`` that exist, as one table, or None when none exists."""
    import pandas as pd

    parts = [load_labels(f) for f in paths if f.exists()]
    return pd.concat(parts, ignore_index=True) if parts else None


def real_labels():
    """The real labelled sentences (``REAL``, ``FRESH``, ``FRESH2``, ``FRESH34``, ``FRESH5`` to ``FRESH10``) as one
    table, or None."""
    return _labels((REAL, FRESH, FRESH2, *FRESH34, FRESH5, FRESH6, FRESH7, FRESH8, FRESH9, FRESH10))


def synthetic_labels():
    """The synthetic labelled sentences (``EXTRA``, ``SYNTH2`` to ``SYNTH10``) as one table, or None."""
    return _labels((EXTRA, SYNTH2, SYNTH3, SYNTH4, SYNTH5, SYNTH6, SYNTH7, SYNTH8, SYNTH9, SYNTH10))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-write", action="store_true", help="do not write the model file")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)

    real = real_labels()
    extra = synthetic_labels()
    if real is None or not len(real):
        print(f"no real labels at {REAL}", file=sys.stderr)
    else:
        print(f"real labelled sentences: {len(real)} in {real['article_id'].nunique()} articles; "
              f"labels {real['stance'].value_counts().to_dict()}")
    if extra is not None:
        print(f"synthetic sentences: {len(extra)} in {extra['article_id'].nunique()} groups")

    if real is not None and len(real):
        rules_cv = cross_validate_stance(real, model="rules")
        _show("real, rules only", rules_cv)
        for src, part in rules_cv.groupby("source"):
            _show(f"  real rules only, source={src}", part, confusion=False)
    if real is not None and real["article_id"].nunique() >= 2:
        cv = cross_validate_stance(real, n_splits=args.folds, extra=extra, params=PARAMS)
        _show(f"real, {args.folds}-fold CV grouped by article (synthetic in training folds)", cv)
        for src, part in cv.groupby("source"):
            _show(f"  real CV, source={src}", part, confusion=False)
        _show(f"real, {args.folds}-fold CV grouped by article (no synthetic)",
              cross_validate_stance(real, n_splits=args.folds, params=PARAMS))
    if extra is not None and len(extra):
        _show("synthetic, rules only", cross_validate_stance(extra, model="rules"))
        _show(f"synthetic, {args.folds}-fold CV grouped by article (real rows in training folds)",
              cross_validate_stance(extra, n_splits=args.folds, extra=real, params=PARAMS))

    if not args.no_write:
        frames = [f for f in (real, extra) if f is not None and len(f)]
        import pandas as pd

        train = pd.concat(frames, ignore_index=True)
        clf = StanceClassifier(**PARAMS).fit(train["text"], train["stance"], train["side"])
        out = ROOT / "tradelib" / "data" / MODEL_FILE
        out.write_text(json.dumps(clf.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
        print(f"\nwrote {out.relative_to(ROOT)} ({len(train)} training sentences, "
              f"{len(clf.to_json()['vocabulary'])} n-grams)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

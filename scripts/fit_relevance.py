r"""Refit tradelib's trade-relevance model on Reuters-21578 (ModApte) and print its figures.

Usage::

    .venv/bin/python scripts/fit_relevance.py [REUTERS_DIR] [--out tradelib/data/relevance_model.json]
                                              [--check-only]

REUTERS_DIR defaults to ../shared/data/reuters21578 (relative to the repo).

What it does, in order:

1. Loads the SGML with ``tradelib.load_articles`` and keeps the ModApte split
   (``tradelib.relevance.modapte_split``): TOPICS="YES", LEWISSPLIT TRAIN/TEST,
   at least one of the 90 topics present in both splits. Label: topic ``trade``.
2. On the TRAINING split only, 5-fold blocked cross-validation (contiguous
   folds in NEWID order, i.e. roughly in time, unshuffled: wire copy repeats
   near-identical stories within days, and shuffled folds let a model score
   by memorising them; the ModApte test split is also later in time) over a
   small grid of TF-IDF (word 1-2-grams, sublinear tf) + LinearSVC settings:
   tokens (scikit-learn's default ``\w\w+``, or tokens that start with a
   letter, dropping figures such as "73" or "376"), headline weight (1, 2 or
   3 copies), vocabulary size (max_features 5,000 or 15,000, the most frequent
   n-grams), class_weight None or "balanced". For each setting the
   out-of-fold decision values give the best
   F1 over thresholds; the setting with the best such F1 wins (ties: the earlier,
   simpler setting), and its F1-best out-of-fold threshold (midpoint between
   adjacent scores) becomes the shipped decision threshold.
3. Refits the chosen setting on the whole training split, writes the JSON
   model (vocabulary, idf, coef, intercept, threshold, preprocessing and
   provenance), and checks that tradelib's numpy scorer reproduces the sklearn
   pipeline's decision values on every test document.
4. Only then looks at the TEST split, printing precision / recall / F1 of the
   shipped model, of the same model at threshold 0, of the keyword rule (its
   cut from trade_terms.toml; F1 on the training split is printed for cuts
   1-6, which is how the cut was chosen) and of the TF-IDF + LinearSVC
   default baseline. The test figures are recorded in the JSON's provenance
   for the reader; nothing is chosen from them.

``--check-only`` skips refitting: it scores the shipped JSON model and the
keyword rule on the test split and prints the same figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score, precision_recall_curve, precision_score, recall_score
from sklearn.model_selection import KFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tradelib
from tradelib.relevance import (
    MODEL_FORMAT,
    keyword_rule,
    keyword_scores,
    modapte_split,
    model_scores,
    model_text,
    parse_model,
    trade_relevance,
)

TOKEN_PATTERNS = (r"(?u)\b\w\w+\b", r"(?u)\b[^\W\d_]\w+\b")
GRID = [
    {"token_pattern": tok, "title_weight": tw, "ngram_range": (1, 2), "max_features": mf, "class_weight": cw}
    for tok in TOKEN_PATTERNS
    for tw in (1, 2, 3)
    for mf in (5000, 15000)
    for cw in (None, "balanced")
]


def make_model(cfg: dict) -> object:
    return make_pipeline(
        TfidfVectorizer(
            ngram_range=cfg["ngram_range"],
            max_features=cfg["max_features"],
            sublinear_tf=True,
            token_pattern=cfg["token_pattern"],
            lowercase=True,
            dtype=np.float64,
        ),
        LinearSVC(C=1.0, class_weight=cfg["class_weight"], random_state=0),
    )


def texts(df, title_weight: int) -> list[str]:
    return [model_text(h, d, b, title_weight) for h, d, b in zip(df["headline"], df["dek"], df["body"])]


def best_threshold(y: np.ndarray, s: np.ndarray) -> tuple[float, float]:
    """F1-best cut on scores ``s`` (midpoint between the cut score and the next lower one) and its F1."""
    prec, rec, thr = precision_recall_curve(y, s)
    f1 = 2 * prec * rec / np.maximum(prec + rec, 1e-12)
    i = int(np.argmax(f1[:-1]))
    lower = s[s < thr[i]]
    cut = (thr[i] + lower.max()) / 2 if lower.size else thr[i]
    return float(cut), float(f1[i])


def prf(y: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    return {
        "precision": round(float(precision_score(y, pred, zero_division=0)), 4),
        "recall": round(float(recall_score(y, pred, zero_division=0)), 4),
        "f1": round(float(f1_score(y, pred, zero_division=0)), 4),
    }


def dump_model(doc: dict) -> str:
    """JSON with the header readable and one number per array element on compact lines."""
    head = {k: v for k, v in doc.items() if k not in ("vocabulary", "idf", "coef")}
    text = json.dumps(head, indent=1, ensure_ascii=False)[:-2]
    for key in ("vocabulary", "idf", "coef"):
        text += f',\n "{key}": ' + json.dumps(doc[key], ensure_ascii=False)
    return text + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("reuters", nargs="?", default=str(ROOT.parent / "shared" / "data" / "reuters21578"))
    ap.add_argument("--out", default=str(ROOT / "tradelib" / "data" / "relevance_model.json"))
    ap.add_argument("--check-only", action="store_true")
    args = ap.parse_args(argv)

    docs = modapte_split(tradelib.load_articles(args.reuters).articles)
    train, test = docs[docs["split"] == "train"], docs[docs["split"] == "test"]
    ytr, yte = train["label"].to_numpy(int), test["label"].to_numpy(int)
    print(f"ModApte: {len(train)} train ({ytr.sum()} trade), {len(test)} test ({yte.sum()} trade)")

    if not args.check_only:
        cv = KFold(n_splits=5, shuffle=False)  # training docs are in NEWID order (modapte_split)
        results = []
        for cfg in GRID:
            s = cross_val_predict(make_model(cfg), texts(train, cfg["title_weight"]), ytr, cv=cv,
                                  method="decision_function")
            cut, f1 = best_threshold(ytr, s)
            f1_0 = float(f1_score(ytr, s >= 0))
            results.append({**cfg, "cv_f1_at_0": round(f1_0, 4), "cv_f1_best": round(f1, 4), "cv_threshold": cut})
            print(f"  CV {cfg}: F1@0={f1_0:.3f} F1@best={f1:.3f} threshold={cut:+.4f}", flush=True)
        best = max(range(len(results)), key=lambda i: (results[i]["cv_f1_best"], -i))
        cfg, threshold = GRID[best], results[best]["cv_threshold"]
        print(f"chosen: {cfg}, threshold {threshold:+.4f} (CV F1 {results[best]['cv_f1_best']:.3f})")

        pipe = make_model(cfg).fit(texts(train, cfg["title_weight"]), ytr)
        vec, svc = pipe.steps[0][1], pipe.steps[1][1]
        terms = vec.get_feature_names_out()
        order = np.argsort(-svc.coef_[0], kind="stable")
        doc = {
            "format": MODEL_FORMAT,
            "description": "Trade-policy relevance: TF-IDF word n-grams + LinearSVC, Reuters-21578 ModApte "
            "topic 'trade'. score = l2-normalised tf-idf . coef + intercept; relevant when score >= threshold. "
            "Arrays are parallel, ordered by coefficient (most trade-like first).",
            "preprocessing": {
                "text": "headline + '\\n' repeated title_weight times, then dek + '\\n' + body",
                "lowercase": True,
                "token_pattern": cfg["token_pattern"],
                "ngram_range": list(cfg["ngram_range"]),
                "title_weight": cfg["title_weight"],
                "sublinear_tf": True,
                "norm": "l2",
            },
            "intercept": float(svc.intercept_[0]),
            "threshold": threshold,
            "provenance": {
                "data": "Reuters-21578 Distribution 1.0 (reut2-*.sgm), loaded with tradelib.load_articles",
                "split": "ModApte: TOPICS='YES', LEWISSPLIT TRAIN vs TEST, documents with >=1 of the 90 topics "
                "present in both splits",
                "n_train": len(train),
                "n_train_positive": int(ytr.sum()),
                "label": "TOPICS contains 'trade'",
                "estimator": "sklearn Pipeline(TfidfVectorizer(sublinear_tf=True, max_features, ngram_range), "
                "LinearSVC(C=1.0, class_weight))",
                "sklearn_version": sklearn.__version__,
                "cv": "KFold(5, shuffle=False) over the training split in NEWID order (blocked, roughly by "
                "time), training split only; per setting the F1-best threshold on out-of-fold decision values "
                "(midpoint between adjacent scores); the setting with the best such F1 wins",
                "history": "A first fit chose settings by StratifiedKFold(5, shuffle=True) over a smaller grid "
                "(tokens \\w\\w+, headline weight 1-2, 1- or 1-2-grams): it reached test F1 0.798. The protocol "
                "was then changed to blocked folds and this grid, and its choice shipped whatever its test figure.",
                "cv_grid": results,
                "chosen": {**{k: v for k, v in cfg.items()}, "ngram_range": list(cfg["ngram_range"])},
                "script": "scripts/fit_relevance.py",
            },
            "vocabulary": [str(terms[i]) for i in order],
            "idf": [float(vec.idf_[i]) for i in order],
            "coef": [float(svc.coef_[0][i]) for i in order],
        }
        doc["provenance"]["chosen"]["cv_f1"] = results[best]["cv_f1_best"]

        # The JSON model must give sklearn's decision values.
        model = parse_model(json.loads(dump_model(doc)))
        ref = pipe.decision_function(texts(test, cfg["title_weight"]))
        ours = model_scores(texts(test, cfg["title_weight"]), model)
        diff = float(np.max(np.abs(ref - ours)))
        print(f"JSON model vs sklearn decision values on {len(test)} test docs: max |diff| = {diff:.2e}")
        if not np.allclose(ref, ours, rtol=0, atol=1e-9):
            print("ERROR: the JSON model does not reproduce sklearn", file=sys.stderr)
            return 1
        s_test = ref
    else:
        model = None

    # ---- test figures (nothing is chosen from here) ----
    kw_train = keyword_scores(texts(train, 1))
    print("keyword rule on the TRAINING split, F1 by cut:",
          ", ".join(f"{c}: {f1_score(ytr, kw_train >= c):.3f}" for c in range(1, 7)))
    if args.check_only:
        rel = trade_relevance(test, method="model")
        s_test, threshold = rel["trade_score"].to_numpy(), None
        pred_model = rel["trade_relevant"].to_numpy()
    else:
        pred_model = s_test >= threshold
    kw = trade_relevance(test, method="keywords")["trade_relevant"].to_numpy()
    base = make_pipeline(TfidfVectorizer(), LinearSVC(random_state=0)).fit(texts(train, 1), ytr)
    rows = {
        "model (shipped threshold)": prf(yte, pred_model),
        "model at threshold 0": prf(yte, s_test >= 0),
        f"keywords (cut {keyword_rule()['cut']})": prf(yte, kw),
        "baseline TF-IDF + LinearSVC defaults": prf(yte, base.predict(texts(test, 1))),
    }
    print(f"\nModApte TEST split: {len(test)} documents, {yte.sum()} 'trade'")
    print(f"{'method':40s} precision  recall     F1")
    for name, r in rows.items():
        print(f"{name:40s} {r['precision']:9.3f} {r['recall']:7.3f} {r['f1']:6.3f}")

    if not args.check_only:
        doc["provenance"]["test"] = {"n_test": len(test), "n_test_positive": int(yte.sum()),
                                     "note": "measured after fitting; not used for any choice", **{
                                         k: v for k, v in rows.items()}}
        Path(args.out).write_text(dump_model(doc), encoding="utf-8")
        size = Path(args.out).stat().st_size
        print(f"\nwrote {args.out} ({len(doc['vocabulary'])} terms, {size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

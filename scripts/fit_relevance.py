r"""Refit tradelib's trade-relevance model on Reuters-21578 (ModApte) and print its figures.

Usage::

    .venv/bin/python scripts/fit_relevance.py [REUTERS_DIR] [--out tradelib/data/relevance_model.json]
                                              [--check-only]

REUTERS_DIR defaults to ../shared/data/reuters21578 (relative to the repo).

What it does, in order (protocol 4; the earlier protocols are listed in the
JSON provenance and the README):

1. Loads the SGML with ``tradelib.load_articles`` and keeps the ModApte split
   (``tradelib.relevance.modapte_split``): TOPICS="YES", LEWISSPLIT TRAIN/TEST,
   at least one of the 90 topics present in both splits. Label: topic ``trade``.
2. Features (fixed design): sublinear TF-IDF over word 1-2-grams of headline +
   dek + body (tokens starting with a letter, scikit-learn's English stop
   words removed), a separate sublinear TF-IDF block over the headline's
   1-2-grams (min_df 2), and the keyword rule's term counts
   (``tradelib.relevance.keyword_features``: log(1 + count) per term group of
   ``trade_terms.toml`` and in the headline). The keyword features are in by
   design, not by CV: 1987 wire copy cannot measure how well the model carries
   over to modern trade-war news, and they do (tariff, trade war, export
   controls...).
3. On the TRAINING split only, 5-fold blocked cross-validation (contiguous
   folds in NEWID order, roughly in time, unshuffled: wire copy repeats
   near-identical stories within days) over a small grid: NB-SVM scaling of
   the TF-IDF columns by their naive-Bayes log-count ratio (fitted on the
   training folds) or none, LinearSVC C (0.1, 0.5 or 1), class_weight (None
   or "balanced"), and threshold:
   0, or the F1-best cut on out-of-fold decision values. A fixed threshold is
   scored by the out-of-fold F1; a tuned one by a cross-fitted F1 (for each
   fold, the cut picked on the other folds' out-of-fold values), so that the
   tuning is not rewarded for fitting itself. Body min_df 10 (also keeps the
   JSON small) and keyword weight 0.3 come from protocol 3's cross-validation
   (grid min_df 5/10 x weight 0.3/1). The best estimate wins (ties:
   the earlier candidate); a tuned threshold is then picked on all
   out-of-fold values (midpoint between adjacent scores).
4. Refits the chosen setting on the whole training split, writes the JSON
   model, and checks that tradelib's numpy scorer reproduces scikit-learn's
   decision values on every test document.
5. Only then looks at the TEST split, printing precision / recall / F1 of the
   shipped model, of the keyword rule (cut from trade_terms.toml; F1 on the
   training split for cuts 1-6 is printed, which is how the cut was chosen)
   and of the TF-IDF + LinearSVC default baseline. Nothing is chosen from them.

``--check-only`` skips refitting: it scores the shipped JSON model and the
keyword rule on the test split and prints the same figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.metrics import (
    f1_score,
    precision_recall_curve,
    precision_score,
    recall_score,
)
from sklearn.model_selection import KFold
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tradelib
from tradelib.relevance import (
    MODEL_FORMAT,
    keyword_feature_names,
    keyword_features,
    keyword_rule,
    keyword_scores,
    modapte_split,
    model_scores,
    model_text,
    parse_model,
    trade_relevance,
)

TOKEN = r"(?u)\b[^\W\d_]\w+\b"
STOP = sorted(ENGLISH_STOP_WORDS)
HEAD_MIN_DF = 2
# Protocol 4: body min_df 10 and keyword weight 0.3 as chosen by protocol 3's CV (its grid also had
# min_df 5 and weight 1); new here: NB-SVM scaling of the TF-IDF blocks (Wang & Manning 2012), and C 0.1.
GRID = [
    {"body_min_df": 10, "kw_weight": 0.3, "nb": nb, "C": c, "class_weight": cw, "threshold": thr}
    for nb in (False, True)
    for c in (0.1, 0.5, 1.0)
    for cw in (None, "balanced")
    for thr in ("zero", "cv")
]
PROTOCOLS = [
    {"protocol": 1, "selection": "StratifiedKFold(5, shuffle=True) on train; TF-IDF + LinearSVC, tokens \\w\\w+, "
     "headline weight 1-2, 1- or 1-2-grams; OOF F1-best threshold", "test": {"precision": None, "recall": None,
     "f1": 0.798}, "shipped": False},
    {"protocol": 2, "selection": "KFold(5) blocked on train; TF-IDF 1-2-grams + LinearSVC, tokens, headline "
     "weight 1-3, max_features 5k/15k, class_weight; OOF F1-best threshold (chose \\w\\w+, weight 3, 15k, None, "
     "threshold -0.192, CV F1 0.854)", "test": {"precision": 0.764, "recall": 0.829, "f1": 0.795},
     "shipped": "until protocol 3"},
    {"protocol": 3, "selection": "KFold(5) blocked on train; text + headline TF-IDF 1-2-grams (letter tokens, "
     "English stop words) + keyword features; grid body min_df 5/10, keyword weight 0.3/1, LinearSVC C 0.5/1, "
     "class_weight None/balanced, threshold 0 or OOF-tuned (cross-fitted F1). Chose min_df 10, weight 0.3, C 1, "
     "None, tuned threshold -0.292 (CV F1 0.847)", "test": {"precision": 0.726, "recall": 0.906, "f1": 0.806},
     "shipped": False},
]


def vectorizer(min_df: int) -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=min_df, token_pattern=TOKEN,
                           stop_words=STOP, lowercase=True, dtype=np.float64)


class Features:
    """Body TF-IDF | headline TF-IDF | kw_weight * keyword features, fitted on training rows."""

    def __init__(self, body_min_df: int, kw_weight: float):
        self.body = vectorizer(body_min_df)
        self.head = vectorizer(HEAD_MIN_DF)
        self.kw_weight = kw_weight

    def fit(self, heads: list[str], texts: list[str]) -> Features:
        self.body.fit(texts)
        self.head.fit(heads)
        return self

    def transform(self, heads: list[str], texts: list[str], kw: np.ndarray) -> sp.csr_matrix:
        return sp.hstack([self.body.transform(texts), self.head.transform(heads),
                          sp.csr_matrix(self.kw_weight * kw)]).tocsr()

    def n_text(self) -> int:
        return len(self.body.vocabulary_) + len(self.head.vocabulary_)


def nb_ratio(x: sp.csr_matrix, y: np.ndarray, n_text: int, alpha: float = 1.0) -> np.ndarray:
    """NB log-count ratios of the binarised TF-IDF columns (1 for the keyword columns)."""
    b = (x[:, :n_text] > 0).astype(np.float64)
    p = alpha + np.asarray(b[y == 1].sum(axis=0)).ravel()
    q = alpha + np.asarray(b[y == 0].sum(axis=0)).ravel()
    r = np.log((p / p.sum()) / (q / q.sum()))
    return np.concatenate([r, np.ones(x.shape[1] - n_text)])


def scale(x: sp.csr_matrix, r: np.ndarray | None) -> sp.csr_matrix:
    return x if r is None else sp.csr_matrix(x.multiply(r.reshape(1, -1)))


def fields(df) -> tuple[list[str], list[str]]:
    heads = [str(h) for h in df["headline"]]
    return heads, [model_text(h, d, b) for h, d, b in zip(heads, df["dek"], df["body"])]


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
    """JSON with the header readable and the long arrays on compact lines."""
    head = {k: v for k, v in doc.items() if k != "blocks"}
    text = json.dumps(head, indent=1, ensure_ascii=False)[:-2] + ',\n "blocks": ['
    for j, blk in enumerate(doc["blocks"]):
        small = {k: v for k, v in blk.items() if k not in ("vocabulary", "idf", "coef")}
        text += ("," if j else "") + "\n  " + json.dumps(small, ensure_ascii=False)[:-1]
        for key in ("vocabulary", "idf", "coef"):
            text += f',\n   "{key}": ' + json.dumps(blk[key], ensure_ascii=False)
        text += "}"
    return text + "\n ]\n}\n"


def cross_validate(heads, texts, kw, y) -> list[dict]:
    folds = list(KFold(n_splits=5, shuffle=False).split(texts))  # docs are in NEWID order (modapte_split)
    mats: dict[tuple, list] = {}
    oofs: dict[tuple, np.ndarray] = {}
    results = []
    for cfg in GRID:
        fkey = (cfg["body_min_df"], cfg["kw_weight"])
        if fkey not in mats:
            mats[fkey] = []
            for trn, val in folds:
                f = Features(*fkey).fit([heads[i] for i in trn], [texts[i] for i in trn])
                xtr = f.transform([heads[i] for i in trn], [texts[i] for i in trn], kw[trn])
                mats[fkey].append((xtr, f.transform([heads[i] for i in val], [texts[i] for i in val], kw[val]),
                                   nb_ratio(xtr, y[trn], f.n_text())))
        mkey = (*fkey, cfg["nb"], cfg["C"], cfg["class_weight"])
        if mkey not in oofs:
            oof = np.zeros(len(y))
            for (trn, val), (xtr, xva, r) in zip(folds, mats[fkey]):
                r = r if cfg["nb"] else None
                svc = LinearSVC(C=cfg["C"], class_weight=cfg["class_weight"], random_state=0)
                oof[val] = svc.fit(scale(xtr, r), y[trn]).decision_function(scale(xva, r))
            oofs[mkey] = oof
        oof = oofs[mkey]
        if cfg["threshold"] == "zero":
            est, cut = float(f1_score(y, oof >= 0)), 0.0
        else:
            pred = np.zeros(len(y), dtype=bool)
            for trn, val in folds:
                pred[val] = oof[val] >= best_threshold(y[trn], oof[trn])[0]
            est, cut = float(f1_score(y, pred)), best_threshold(y, oof)[0]
        results.append({**cfg, "cv_f1": round(est, 4), "cut": round(cut, 6)})
        print(f"  CV {cfg}: F1 {est:.3f} (cut {cut:+.3f})", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("reuters", nargs="?", default=str(ROOT.parent / "shared" / "data" / "reuters21578"))
    ap.add_argument("--out", default=str(ROOT / "tradelib" / "data" / "relevance_model.json"))
    ap.add_argument("--check-only", action="store_true")
    args = ap.parse_args(argv)
    t0 = time.time()

    docs = modapte_split(tradelib.load_articles(args.reuters).articles)
    train, test = docs[docs["split"] == "train"], docs[docs["split"] == "test"]
    ytr, yte = train["label"].to_numpy(int), test["label"].to_numpy(int)
    print(f"ModApte: {len(train)} train ({ytr.sum()} trade), {len(test)} test ({yte.sum()} trade)")
    heads, texts = fields(train)
    theads, ttexts = fields(test)

    if not args.check_only:
        kw = keyword_features(heads, texts)
        results = cross_validate(heads, texts, kw, ytr)
        best = max(range(len(results)), key=lambda i: (results[i]["cv_f1"], -i))
        cfg = results[best]
        threshold = float(cfg["cut"])
        print(f"chosen: {cfg}")

        feats = Features(cfg["body_min_df"], cfg["kw_weight"]).fit(heads, texts)
        svc = LinearSVC(C=cfg["C"], class_weight=cfg["class_weight"], random_state=0)
        xtrain = feats.transform(heads, texts, kw)
        r = nb_ratio(xtrain, ytr, feats.n_text()) if cfg["nb"] else None
        svc.fit(scale(xtrain, r), ytr)
        coef = svc.coef_[0] if r is None else svc.coef_[0] * r  # NB scaling folded into the coefficients
        n_body, n_head = len(feats.body.vocabulary_), len(feats.head.vocabulary_)
        blocks = []
        for name, vec, part in (("text", feats.body, coef[:n_body]), ("headline", feats.head,
                                                                       coef[n_body:n_body + n_head])):
            terms = vec.get_feature_names_out()
            order = np.argsort(-part, kind="stable")
            blocks.append({"field": name, "lowercase": True, "token_pattern": TOKEN, "ngram_range": [1, 2],
                           "sublinear_tf": True, "norm": "l2", "min_df": vec.min_df, "stop_words": STOP,
                           "vocabulary": [str(terms[i]) for i in order],
                           "idf": [float(vec.idf_[i]) for i in order], "coef": [float(part[i]) for i in order]})
        doc = {
            "format": MODEL_FORMAT,
            "description": "Trade-policy relevance, Reuters-21578 ModApte topic 'trade'. score = sum over blocks "
            "of (l2-normalised sublinear tf-idf of the block's field: 'text' = headline + '\\n' + dek + '\\n' + "
            "body, 'headline') . coef, + keyword_features . keyword_features.coef, + intercept; relevant when "
            "score >= threshold. Block arrays are parallel, ordered by coefficient (most trade-like first). "
            "Keyword features: log(1 + count) of each trade_terms.toml term group in the text, then of all "
            "terms in the headline; their coef already includes the feature weight.",
            "intercept": float(svc.intercept_[0]),
            "threshold": threshold,
            "keyword_features": {"names": keyword_feature_names(), "transform": "log1p(count)",
                                 "weight": cfg["kw_weight"],
                                 "coef": [float(cfg["kw_weight"] * c) for c in coef[n_body + n_head:]]},
            "provenance": {
                "data": "Reuters-21578 Distribution 1.0 (reut2-*.sgm), loaded with tradelib.load_articles",
                "split": "ModApte: TOPICS='YES', LEWISSPLIT TRAIN vs TEST, documents with >=1 of the 90 topics "
                "present in both splits",
                "n_train": len(train),
                "n_train_positive": int(ytr.sum()),
                "label": "TOPICS contains 'trade'",
                "estimator": "sklearn TfidfVectorizer (text) | TfidfVectorizer (headline) | keyword features, "
                "hstacked, optionally NB-SVM scaled (tf-idf columns times their NB log-count ratio, alpha 1; folded "
                "into the shipped coef), LinearSVC(C, class_weight)",
                "sklearn_version": sklearn.__version__,
                "cv": "KFold(5, shuffle=False) over the training split in NEWID order (blocked, roughly by "
                "time), training split only. Fixed threshold 0 scored by out-of-fold F1; tuned threshold by "
                "cross-fitted F1 (cut picked on the other folds' out-of-fold values); the best estimate wins.",
                "cv_grid": results,
                "chosen": cfg,
                "protocols_evaluated_on_test": PROTOCOLS,
                "script": "scripts/fit_relevance.py",
            },
            "blocks": blocks,
        }

        model = parse_model(json.loads(dump_model(doc)))
        ref = svc.decision_function(scale(feats.transform(theads, ttexts, keyword_features(theads, ttexts)), r))
        ours = model_scores(theads, ttexts, model)
        diff = float(np.max(np.abs(ref - ours)))
        print(f"JSON model vs sklearn decision values on {len(test)} test docs: max |diff| = {diff:.2e}")
        if not np.allclose(ref, ours, rtol=0, atol=1e-9):
            print("ERROR: the JSON model does not reproduce sklearn", file=sys.stderr)
            return 1

    # ---- test figures (nothing is chosen from here) ----
    kw_train = keyword_scores(texts)
    print("keyword rule on the TRAINING split, F1 by cut:",
          ", ".join(f"{c}: {f1_score(ytr, kw_train >= c):.3f}" for c in range(1, 7)))
    if args.check_only:
        pred_model = trade_relevance(test, method="model")["trade_relevant"].to_numpy()
    else:
        pred_model = ref >= threshold
    kwp = trade_relevance(test, method="keywords")["trade_relevant"].to_numpy()
    base = make_pipeline(TfidfVectorizer(), LinearSVC(random_state=0)).fit(texts, ytr)
    rows = {
        "model (shipped threshold)": prf(yte, pred_model),
        f"keywords (cut {keyword_rule()['cut']})": prf(yte, kwp),
        "baseline TF-IDF + LinearSVC defaults": prf(yte, base.predict(ttexts)),
    }
    print(f"\nModApte TEST split: {len(test)} documents, {yte.sum()} 'trade'")
    print(f"{'method':40s} precision  recall     F1")
    for name, r in rows.items():
        print(f"{name:40s} {r['precision']:9.3f} {r['recall']:7.3f} {r['f1']:6.3f}")

    if not args.check_only:
        doc["provenance"]["protocols_evaluated_on_test"].append(
            {"protocol": 4, "selection": "this script (see cv, cv_grid, chosen)",
             "test": rows["model (shipped threshold)"], "shipped": True})
        doc["provenance"]["test"] = {"n_test": len(test), "n_test_positive": int(yte.sum()),
                                     "note": "measured after fitting; not used for any choice", **rows}
        Path(args.out).write_text(dump_model(doc), encoding="utf-8")
        size = Path(args.out).stat().st_size
        n_terms = sum(len(b["vocabulary"]) for b in doc["blocks"])
        print(f"\nwrote {args.out} ({n_terms} terms, {size / 1e6:.2f} MB) in {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Cross-validate topic stacking for the trade-relevance model, on the ModApte TRAINING split only.

Usage::

    .venv/bin/python scripts/relevance_stacking_cv.py [REUTERS_DIR]

An experiment of session 6, kept so that the README's figures can be re-run; it
never reads the test split and writes nothing. For each of 5 blocked folds (the
folds of ``scripts/fit_relevance.py``), the fixed features of the shipped model
(body and headline TF-IDF, keyword features; min_df 10, keyword weight 0.3) are
fitted on the training folds, one LinearSVC per other topic with at least 10
training documents gives decision values (out-of-fold by an inner blocked
5-fold CV on the training rows, from a fit on all training rows for the held-out
fold), and those values, times a weight, are appended to the features of the
trade classifier. Printed: F1 at threshold 0 and with the cross-fitted tuned
threshold for each weight (0 = the shipped design), C and class weight.
About a minute on the reference machine.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold
from sklearn.svm import LinearSVC

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import tradelib  # noqa: E402
from fit_relevance import Features, best_threshold, fields  # noqa: E402
from tradelib.relevance import keyword_features, modapte_split  # noqa: E402


def _topic_scores(xtr, topics_tr: np.ndarray, xva) -> tuple[np.ndarray, np.ndarray]:
    oof = np.zeros((xtr.shape[0], topics_tr.shape[1]))
    val = np.zeros((xva.shape[0], topics_tr.shape[1]))
    for j in range(topics_tr.shape[1]):
        yj = topics_tr[:, j]
        val[:, j] = LinearSVC(C=1.0, random_state=0).fit(xtr, yj).decision_function(xva)
        for a, b in KFold(5, shuffle=False).split(np.arange(xtr.shape[0])):
            oof[b, j] = (LinearSVC(C=1.0, random_state=0).fit(xtr[a], yj[a]).decision_function(xtr[b])
                         if yj[a].any() else -1.0)
    return oof, val


def main(argv: list[str]) -> int:
    reuters = argv[0] if argv else str(ROOT.parent / "shared" / "data" / "reuters21578")
    docs = modapte_split(tradelib.load_articles(reuters).articles)
    train = docs[docs["split"] == "train"].reset_index(drop=True)  # the test split is never touched
    heads, texts = fields(train)
    topics = train["meta"].map(lambda m: set(m.get("TOPICS") or [])).tolist()
    kw = keyword_features(heads, texts)
    y = train["label"].to_numpy(int)
    folds = list(KFold(5, shuffle=False).split(texts))
    parts = []
    for trn, va in folds:
        f = Features(10, 0.3).fit([heads[i] for i in trn], [texts[i] for i in trn])
        xtr = f.transform([heads[i] for i in trn], [texts[i] for i in trn], kw[trn])
        xva = f.transform([heads[i] for i in va], [texts[i] for i in va], kw[va])
        counts = Counter(t for i in trn for t in topics[i])
        names = sorted(t for t, c in counts.items() if c >= 10 and t != "trade")
        ttr = np.array([[t in topics[i] for t in names] for i in trn], dtype=int)
        parts.append((xtr, xva, *_topic_scores(xtr, ttr, xva), len(names)))
    print(f"{len(y)} training documents ({y.sum()} trade); topics stacked per fold: {[p[4] for p in parts]}")
    print(f"{'weight':>6} {'C':>4} {'class_weight':>12} {'F1@0':>6} {'F1 tuned':>8}")
    for w in (0.0, 0.1, 0.2, 0.3, 0.5):
        for c in (0.5, 1.0):
            for cw in (None, "balanced"):
                oof = np.zeros(len(y))
                for (trn, va), (xtr, xva, soof, sval, _) in zip(folds, parts):
                    if w:
                        xtr = sp.hstack([xtr, sp.csr_matrix(w * soof)]).tocsr()
                        xva = sp.hstack([xva, sp.csr_matrix(w * sval)]).tocsr()
                    oof[va] = LinearSVC(C=c, class_weight=cw, random_state=0).fit(xtr, y[trn]).decision_function(xva)
                pred = np.zeros(len(y), dtype=bool)
                for trn, va in folds:  # cross-fitted: each fold's cut comes from the other folds
                    pred[va] = oof[va] >= best_threshold(y[trn], oof[trn])[0]
                print(f"{w:>6} {c:>4} {str(cw):>12} {f1_score(y, oof >= 0):6.3f} {f1_score(y, pred):8.3f}",
                      flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

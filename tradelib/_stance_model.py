"""The fitted layer of :mod:`tradelib.stance`: n-gram features and the logistic-regression model.

:class:`NgramVectoriser` (binary word n-grams over a fixed vocabulary),
:func:`rule_features` (the rule analyses of :mod:`tradelib._stance_rules` as a
dense matrix), :class:`StanceClassifier` (a scikit-learn estimator for stance
and side, saved to and loaded from JSON coefficients), :func:`default_model`
(the shipped ``data/stance_model.json``, loaded once) and
:func:`predict_gated`. :mod:`tradelib.stance` re-exports the public names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from tradelib import _stance_rules as rules
from tradelib.errors import DataFileError

SIDES = rules.SIDES
MODEL_FILE = "stance_model.json"
_NUM = re.compile(r"\d+(?:[.,]\d+)*")


# ----------------------------------------------------------------------------- features

def feature_names() -> list[str]:
    """Names of the rule features, in the column order of :func:`rule_features`."""
    acts = sorted({a.name for a in rules.vocabulary().actions} | {"reject_refuse"})
    names = ["esc", "de", "esc_minus_de", "n_cues", "n_condition", "rule_escalation", "rule_de-escalation",
             "rule_mixed", "contrast"]
    names += [f"act_{a}_{d[:3]}" for a in acts for d in ("escalation", "de-escalation")]
    names += [f"mod_{m}" for m in rules.MODIFIERS]
    names += [f"sidew_{s}" for s in SIDES] + [f"rside_{s}" for s in SIDES] + [f"speaker_{s}" for s in SIDES]
    return names




def rule_features(texts: Sequence[str], analyses: Sequence[rules.Analysis]) -> np.ndarray:
    """The rule layer as a dense feature matrix (rows = sentences, columns = :func:`feature_names`)."""
    names = feature_names()
    col = {n: i for i, n in enumerate(names)}
    out = np.zeros((len(analyses), len(names)))
    for i, (text, a) in enumerate(zip(texts, analyses)):
        row = out[i]
        row[0], row[1], row[2], row[3], row[4] = a.esc, a.de, a.esc - a.de, len(a.cues), a.n_condition
        if a.label != "neutral":
            row[col[f"rule_{a.label}"]] = 1.0
        row[8] = 1.0 if a.contrast else 0.0
        for c in a.cues:
            row[col[f"act_{c['action']}_{c['direction'][:3]}"]] += c["weight"]
            if c["modifier"]:
                row[col[f"mod_{c['modifier']}"]] += 1.0
        for s, w in a.side_weight.items():
            row[col[f"sidew_{s}"]] += w
        row[col[f"rside_{a.side}"]] = 1.0
        row[col[f"speaker_{a.speaker}"]] = 1.0
    return out


def normalise_text(text: str) -> str:
    """Lower-case text with digits folded, as the n-gram vectoriser sees it."""
    return _NUM.sub("0", rules.straighten(text).lower())


_TOKEN = re.compile(r"[\w$%'-]+")


def ngrams(text: str, n_max: int = 2) -> set[str]:
    """The distinct word 1..n_max-grams of a sentence (after :func:`normalise_text`)."""
    toks = _TOKEN.findall(normalise_text(text))
    out = set(toks)
    if n_max >= 2:
        out.update([a + " " + b for a, b in zip(toks, toks[1:])])
    for n in range(3, n_max + 1):
        out.update(" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1))
    return out


_TOKEN_OR_SEP = re.compile(r"[\w$%'-]+|\x00")


def ngram_sets(texts: Sequence[str], n_max: int = 2) -> list[set[str]]:
    """:func:`ngrams` of many sentences at once (one normalisation and one tokenisation pass)."""
    if n_max != 2:
        return [ngrams(t, n_max) for t in texts]
    toks = _TOKEN_OR_SEP.findall(normalise_text("\x00".join(t.replace("\x00", " ") for t in texts)))
    out, cur = [], []
    for tok in toks + ["\x00"]:
        if tok == "\x00":
            grams = set(cur)
            grams.update([a + " " + b for a, b in zip(cur, cur[1:])])
            out.append(grams)
            cur = []
        else:
            cur.append(tok)
    return out


class NgramVectoriser:
    """Binary word n-gram features with a fixed vocabulary (a small, fast CountVectorizer)."""

    def __init__(self, n_max: int = 2, min_df: int = 2, vocabulary: list[str] | None = None):
        self.n_max, self.min_df = n_max, min_df
        self.vocabulary = list(vocabulary or [])
        self.index = {w: i for i, w in enumerate(self.vocabulary)}

    def _pair_codes(self) -> tuple[np.ndarray, np.ndarray] | None:
        """Each two-word vocabulary entry as first id * size + second id (sorted), with its own id."""
        size, index, pairs = len(self.vocabulary), self.index, []
        for w, i in index.items():
            parts = w.split(" ")
            if len(parts) == 2:
                a, b = index.get(parts[0]), index.get(parts[1])
                if a is None or b is None:  # not from fit(): such a vocabulary is looked up the general way
                    return None
                pairs.append((a * size + b, i))
        pairs.sort()
        return (np.asarray([c for c, _ in pairs], dtype=np.int64), np.asarray([i for _, i in pairs], dtype=np.int64))

    def _unigrams(self, token_lists: list[list[str]]) -> sparse.csr_matrix:
        index, indptr, indices = self.index, [0], []
        keys = index.keys()
        for toks in token_lists:
            indices.extend(sorted([index[g] for g in set(toks) & keys]))
            indptr.append(len(indices))
        return sparse.csr_matrix((np.ones(len(indices)), np.asarray(indices, dtype=np.int64),
                                  np.asarray(indptr, dtype=np.int64)), shape=(len(token_lists), len(self.vocabulary)))

    def fit(self, texts: Sequence[str]) -> "NgramVectoriser":
        df: dict[str, int] = {}
        for grams in ngram_sets(texts, self.n_max):
            for g in grams:
                df[g] = df.get(g, 0) + 1
        self.vocabulary = sorted(g for g, c in df.items() if c >= self.min_df)
        self.index = {w: i for i, w in enumerate(self.vocabulary)}
        return self

    def transform(self, texts: Sequence[str], norms: Sequence[str] | None = None) -> sparse.csr_matrix:
        """Binary n-gram matrix; ``norms`` may give the texts already lower-cased (same length)."""
        docs = None
        cached = self.__dict__.get("_lookup")
        if cached is None or cached[0] is not self.index:  # (rebuilt when the vocabulary is refitted)
            pairs = self._pair_codes() if self.n_max == 2 else None
            cached = self._lookup = (self.index, {**self.index, "\x00": -2}, pairs)
        if norms is not None and (self.n_max == 1 or (self.n_max == 2 and cached[2] is not None)):
            docs = [nm if nm else normalise_text(t) for t, nm in zip(texts, norms)]
            if any("\x00" in d for d in docs):
                if self.n_max == 1:
                    return self._unigrams([_TOKEN.findall(_NUM.sub("0", d)) for d in docs])
                docs = None  # the general path below
        if docs is not None:
            # one substitution and one tokenisation pass over all sentences, "\x00" between them; the n-grams of
            # all sentences are looked up at once (a pair across "\x00" is in no vocabulary)
            toks = _TOKEN_OR_SEP.findall(_NUM.sub("0", "\x00".join(docs)))
            lookup = cached[1]
            codes, code_ids = cached[2] if cached[2] is not None else (np.zeros(0, dtype=np.int64),) * 2
            all_ids = np.fromiter((lookup.get(t, -1) for t in toks), dtype=np.int64, count=len(toks))
            sep = all_ids == -2
            row_of = np.cumsum(sep)  # the sentence of each token (a separator counts for the next one)
            rows, ids = row_of[~sep], all_ids[~sep]
            if self.n_max == 2 and len(toks) > 1 and len(codes):
                # a bigram in the vocabulary has both its words in it (a pair is in no more sentences than either
                # word), so pairs of known words are looked up as numbers: first id * size + second id
                a, b = all_ids[:-1], all_ids[1:]
                both = (a >= 0) & (b >= 0)
                pair = a[both] * len(self.vocabulary) + b[both]
                at = np.minimum(np.searchsorted(codes, pair), len(codes) - 1)
                hit = codes[at] == pair
                rows = np.concatenate([rows, row_of[:-1][both][hit]])
                ids = np.concatenate([ids, code_ids[at[hit]]])
            keep = ids >= 0
            vocab = max(len(self.vocabulary), 1)
            cells = np.unique(rows[keep] * vocab + ids[keep])  # sorted: by row, then by column
            indptr = np.zeros(len(texts) + 1, dtype=np.int64)
            indptr[1:] = np.cumsum(np.bincount(cells // vocab, minlength=len(texts)))
            return sparse.csr_matrix((np.ones(len(cells)), cells % vocab, indptr),
                                     shape=(len(texts), len(self.vocabulary)))
        index, indptr, indices = self.index, [0], []
        keys = index.keys()
        for grams in ngram_sets(texts, self.n_max):
            indices.extend(sorted([index[g] for g in grams & keys]))
            indptr.append(len(indices))
        data = np.ones(len(indices))
        return sparse.csr_matrix((data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
                                 shape=(len(texts), len(self.vocabulary)))


class StanceClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression over rule features and word n-grams, for stance and side.

    Parameters
    ----------
    C : float
        Inverse regularisation strength of both logistic regressions.
    ngram_range : tuple of int
        Word n-gram range (the lower end is always 1).
    min_df : int
        Minimum number of training sentences an n-gram must occur in.
    rule_scale : float
        Multiplier of the rule features against the binary n-gram features.
    class_weight : {"balanced", None}
        Class weighting of the stance regression (the side regression is always balanced).
    ngrams : bool
        Use word n-grams (False: rule features only).
    """

    def __init__(self, *, C: float = 1.0, ngram_range: tuple[int, int] = (1, 2), min_df: int = 2,
                 rule_scale: float = 1.0, class_weight: str | None = "balanced", ngrams: bool = True):
        self.C = C
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.rule_scale = rule_scale
        self.class_weight = class_weight
        self.ngrams = ngrams

    def _vectoriser(self, vocabulary: list[str] | None = None) -> NgramVectoriser:
        return NgramVectoriser(int(self.ngram_range[1]), self.min_df, vocabulary)

    def _design(self, texts: Sequence[str], analyses: Sequence[rules.Analysis] | None, fit: bool = False):
        if analyses is None:
            analyses = [rules.analyse(t) for t in texts]
        if fit:
            self.vectoriser_ = self._vectoriser().fit(texts)
            grams = self.vectoriser_.transform(texts)
        else:
            grams = self.vectoriser_.transform(texts, [a.norm for a in analyses])
        feats = sparse.csr_matrix(rule_features(texts, analyses) * self.rule_scale)
        if not self.ngrams:
            grams = grams[:, :0]
        return sparse.hstack([feats, grams], format="csr"), analyses

    def fit(self, X: Sequence[str], y: Sequence[str], sides: Sequence[str] | None = None,
            analyses: Sequence[rules.Analysis] | None = None) -> "StanceClassifier":
        """Fit on sentences ``X`` with stance labels ``y`` (and optionally side labels)."""
        X = list(X)
        design, _ = self._design(X, analyses, fit=True)
        self.stance_lr_ = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=3000).fit(design, list(y))
        self.classes_ = self.stance_lr_.classes_
        self.side_lr_ = None
        if sides is not None:
            self.side_lr_ = LogisticRegression(C=self.C, class_weight="balanced", max_iter=3000).fit(design, list(sides))
        self.feature_names_ = feature_names()
        return self

    def predict_proba(self, X: Sequence[str], analyses: Sequence[rules.Analysis] | None = None) -> np.ndarray:
        """Class probabilities in the order of ``classes_``."""
        design, _ = self._design(list(X), analyses)
        return _softmax(design @ self.coef_matrix_().T + self.stance_lr_.intercept_)

    def predict(self, X: Sequence[str], analyses: Sequence[rules.Analysis] | None = None) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X, analyses), axis=1)]

    def predict_side(self, X: Sequence[str], analyses: Sequence[rules.Analysis] | None = None) -> np.ndarray:
        """Side labels from the side regression (rule side if none was fitted)."""
        design, analyses = self._design(list(X), analyses)
        if self.side_lr_ is None:
            return np.array([a.side for a in analyses], dtype=object)
        return self.side_lr_.classes_[np.argmax(design @ self.side_lr_.coef_.T + self.side_lr_.intercept_, axis=1)]

    def coef_matrix_(self) -> np.ndarray:
        coef = self.stance_lr_.coef_
        return coef if coef.shape[0] == len(self.classes_) else np.vstack([-coef, coef])

    # -- JSON round trip (no pickle) --------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """Coefficients, vocabulary and parameters as a JSON-able dict."""
        vocab = self.vectoriser_.vocabulary
        out = {"format": "tradelib-stance-model/1", "params": self.get_params(), "feature_names": self.feature_names_,
               "vocabulary": vocab, "stance": _lr_json(self.stance_lr_)}
        out["params"]["ngram_range"] = list(self.ngram_range)
        if self.side_lr_ is not None:
            out["side"] = _lr_json(self.side_lr_)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "StanceClassifier":
        """Rebuild a fitted classifier from :meth:`to_json` output."""
        try:
            if data.get("format") != "tradelib-stance-model/1":
                raise KeyError("format")
            params = dict(data["params"])
            params["ngram_range"] = tuple(params["ngram_range"])
            self = cls(**params)
            if list(data["feature_names"]) != feature_names():
                raise DataFileError("stance model was fitted with another vocabulary; rerun scripts/fit_stance.py")
            self.feature_names_ = list(data["feature_names"])
            self.vectoriser_ = self._vectoriser(list(data["vocabulary"]))
            self.stance_lr_ = _lr_from_json(data["stance"])
            self.classes_ = self.stance_lr_.classes_
            self.side_lr_ = _lr_from_json(data["side"]) if "side" in data else None
        except (KeyError, TypeError, ValueError) as exc:
            raise DataFileError(f"malformed stance model: {exc}") from None
        return self


def _lr_json(lr: LogisticRegression) -> dict[str, Any]:
    return {"classes": [str(c) for c in lr.classes_], "coef": np.round(lr.coef_, 6).tolist(),
            "intercept": np.round(lr.intercept_, 6).tolist()}


def _lr_from_json(d: dict[str, Any]) -> LogisticRegression:
    lr = LogisticRegression()
    lr.classes_ = np.array(d["classes"], dtype=object)
    lr.coef_ = np.asarray(d["coef"], dtype=float)
    lr.intercept_ = np.asarray(d["intercept"], dtype=float)
    if lr.coef_.shape[0] not in (1, len(lr.classes_)):
        raise ValueError("coefficient rows do not match classes")
    return lr


def _softmax(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=float)
    if z.shape[1] == 1:
        z = np.hstack([-z, z])
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@cache
def default_model() -> StanceClassifier | None:
    """The shipped model, or None when ``data/stance_model.json`` is absent."""
    res = resources.files("tradelib") / "data" / MODEL_FILE
    try:
        raw = res.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        return StanceClassifier.from_json(json.loads(raw))
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{MODEL_FILE} is not valid JSON: {exc}") from None


def predict_gated(clf: StanceClassifier, texts: Sequence[str], analyses: Sequence[rules.Analysis]):
    """Model labels, scores and sides; sentences without any rule cue are neutral (score 0, side none).

    In cross-validation the model labelled 108 of 109 cue-less sentences neutral anyway, so the
    gate changes no figure and halves the work on wire copy, where half the sentences have no cue.
    """
    n = len(texts)
    stance = np.full(n, "neutral", dtype=object)
    score = np.zeros(n)
    side = np.full(n, "none", dtype=object)
    idx = [i for i, a in enumerate(analyses) if a.cues]
    if idx:
        design, _ = clf._design([texts[i] for i in idx], [analyses[i] for i in idx])
        proba = _softmax(design @ clf.coef_matrix_().T + clf.stance_lr_.intercept_)
        classes = list(clf.classes_)
        st = np.asarray(classes, dtype=object)[proba.argmax(axis=1)]
        sc = proba[:, classes.index("escalation")] - proba[:, classes.index("de-escalation")]
        if clf.side_lr_ is not None:
            sz = design @ clf.side_lr_.coef_.T + clf.side_lr_.intercept_
            sd = np.asarray(clf.side_lr_.classes_, dtype=object)[np.argmax(sz, axis=1)]
        else:
            sd = np.array([analyses[i].side for i in idx], dtype=object)
        stance[idx], score[idx] = st, sc
        side[idx] = np.where(st == "neutral", "none", sd)
    return stance, score, side

"""Escalation / de-escalation stance of trade-news sentences, and its sum per side.

Two layers:

1. A rule engine (:mod:`tradelib._stance_rules`) finds action cues from a
   reviewable vocabulary (``data/stance_actions.toml``: threaten, impose,
   retaliate, demand, accuse, investigate, sanction/restrict... versus
   negotiate, meet, agree, ease, suspend, exempt/approve, buy, reassure), applies
   the modifiers of ``data/stance_modifiers.toml`` (negation and absence flip a
   cue, "not ruling out" flips twice, avoidance and refusal flip, conditions and
   hedges weaken, demands absorb the move demanded) and finds each cue's agent.
2. A multinomial logistic regression (:class:`StanceClassifier`) over the rule
   features plus word 1-2-grams, fitted on the labelled sentences by
   ``scripts/fit_stance.py`` and shipped as JSON coefficients in
   ``data/stance_model.json``. ``model="rules"`` uses the rule layer alone.

Labels follow ``../shared/docs/stance-annotation-guide.md``.
"""

from __future__ import annotations

import gc
import json
import re
from contextlib import contextmanager
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from scipy import sparse

from tradelib import _stance_rules as rules
from tradelib.errors import DataFileError, InputError

LABELS = ("escalation", "de-escalation", "mixed", "neutral")
SIDES = rules.SIDES
KEYS = ["article_id", "section", "para_idx", "sent_idx"]
STANCE_COLUMNS = ["stance", "stance_score", "side", "cues"]
BY_SIDE_COLUMNS = ["article_id", "side", "n_escalation", "n_de_escalation", "n_mixed", "n_neutral",
                   "n_sentences", "mean_score"]
MODEL_FILE = "stance_model.json"
_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_APOS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


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
    return _NUM.sub("0", text.translate(_APOS).lower())


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
        if norms is not None and self.n_max == 1:
            index, indptr, indices = self.index, [0], []
            keys = index.keys()
            for t, nm in zip(texts, norms):
                toks = _TOKEN.findall(_NUM.sub("0", nm) if nm else normalise_text(t))
                indices.extend(sorted([index[g] for g in set(toks) & keys]))
                indptr.append(len(indices))
            return sparse.csr_matrix((np.ones(len(indices)), np.asarray(indices, dtype=np.int64),
                                      np.asarray(indptr, dtype=np.int64)), shape=(len(texts), len(self.vocabulary)))
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


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while the rule loop allocates many small, acyclic objects.

    The loop makes no reference cycles, so nothing is leaked; it only avoids repeated collections of
    the caller's large heaps (about a quarter of the run time on Reuters-21578).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# ----------------------------------------------------------------------------- public API

def _sentences(x: Any) -> tuple[list[str], pd.DataFrame]:
    if isinstance(x, pd.DataFrame):
        if "text" not in x.columns:
            raise InputError("score_stance needs a sentence table with a 'text' column")
        keys = x[[c for c in KEYS + ["start", "end"] if c in x.columns]].reset_index(drop=True)
        return [t if isinstance(t, str) else "" for t in x["text"]], keys
    if isinstance(x, str) or not isinstance(x, Sequence | pd.Series | np.ndarray):
        raise InputError("score_stance takes a sentence table or a sequence of strings")
    texts = list(x)
    if not all(isinstance(t, str) for t in texts):
        raise InputError("score_stance: every sentence must be a string")
    return texts, pd.DataFrame(index=range(len(texts)))


def _mention_spans(texts: list[str], keys: pd.DataFrame, mentions: pd.DataFrame) -> list[list[tuple[int, int, str]]]:
    """Per sentence, the (start, end, side) spans of ``find_actors`` mentions inside it."""
    need = {"article_id", "sent_idx", "text", "side"}
    if not isinstance(mentions, pd.DataFrame) or not need <= set(mentions.columns):
        raise InputError(f"mentions must be a find_actors table with columns {sorted(need)}")
    if not {"article_id", "sent_idx"} <= set(keys.columns):
        raise InputError("mentions need a sentence table with article_id and sent_idx")
    by_sent: dict[tuple, list] = {}
    for row in mentions.itertuples(index=False):
        by_sent.setdefault((row.article_id, int(row.sent_idx)), []).append(row)
    voc = rules.vocabulary()
    out = []
    has_offsets = "start" in keys.columns and "start" in mentions.columns
    for i, text in enumerate(texts):
        key = (keys.at[i, "article_id"], int(keys.at[i, "sent_idx"]))
        spans = []
        for m in by_sent.get(key, []):
            side = m.side if m.side in ("US", "China", "other", "both") else "other"
            pos = -1
            if has_offsets:
                rel = int(m.start) - int(keys.at[i, "start"])
                if 0 <= rel and text[rel:rel + len(m.text)] == m.text:
                    pos = rel
            if pos < 0:
                pos = text.find(m.text)
            if pos >= 0:
                spans.append((pos, pos + len(m.text), side))
        # joint subjects ("both sides", "the U.S. and China") come from the fallback list
        joint = [s for s in rules._mentions_in(rules.lower_same_length(text), voc) if s[2] == "both"]
        spans = [s for s in spans if not any(j[0] <= s[0] and s[1] <= j[1] for j in joint)] + joint
        out.append(sorted(spans))
    return out


def score_stance(x: pd.DataFrame | Sequence[str], mentions: pd.DataFrame | None = None, *,
                 model: str | StanceClassifier | None = "default") -> pd.DataFrame:
    """Stance (escalation / de-escalation / mixed / neutral) of each sentence.

    Parameters
    ----------
    x : DataFrame or sequence of str
        The sentence table of :func:`tradelib.split_sentences` (its keys
        ``article_id, section, para_idx, sent_idx`` are kept) or plain strings.
    mentions : DataFrame, optional
        Output of :func:`tradelib.find_actors` (``article_id, sent_idx, start,
        end, text, actor, side``); the agent of each cue is then the mention
        nearest before it that is not a prepositional object. Without it a
        small fallback actor list (``data/stance_actors.toml``) is used.
    model : {"default", "rules"} or StanceClassifier
        ``"default"``: the shipped regression (falls back on the rules when the
        model file is absent); ``"rules"``: rule layer only; or a fitted
        :class:`StanceClassifier`.

    Returns
    -------
    DataFrame
        The keys (or, for strings, a 0.. index), ``text``, and ``stance``,
        ``stance_score`` (in [-1, 1], positive = escalation: P(esc) - P(de-esc)
        for the model, ``(E - D) / (E + D + 0.5)`` of the cue weights for the
        rules), ``side`` (US | China | both | other | none) and ``cues`` (list of
        dicts: text, direction, weight, modifier, action, side).
    """
    texts, keys = _sentences(x)
    if isinstance(model, StanceClassifier):
        clf = model
    elif model == "default":
        clf = default_model()
    elif model == "rules":
        clf = None
    else:
        raise InputError(f"model must be 'default', 'rules' or a StanceClassifier, not {model!r}")
    if mentions is not None:
        spans = _mention_spans(texts, keys, mentions)
        uniq, inv = texts, np.arange(len(texts))
    else:  # wire copy repeats sentences: score each distinct sentence once
        spans = None
        first: dict[str, int] = {}
        inv = np.array([first.setdefault(t, len(first)) for t in texts], dtype=np.int64)
        uniq = list(first)
    with _gc_paused():
        analyses = rules.analyse_many(uniq, spans)
        if clf is None or not uniq:
            stance = np.array([a.label for a in analyses], dtype=object)
            score = np.array([a.score for a in analyses], dtype=float)
            side = np.array([a.side for a in analyses], dtype=object)
        else:
            stance, score, side = predict_gated(clf, uniq, analyses)
    out = keys.copy()
    out["text"] = texts
    out["stance"] = stance[inv] if len(texts) else np.array([], dtype=object)
    out["stance_score"] = (np.asarray(score, dtype=float)[inv] if len(texts) else np.array([], dtype=float)).clip(-1.0, 1.0)
    out["side"] = side[inv] if len(texts) else np.array([], dtype=object)
    out["cues"] = [analyses[i].cues for i in inv]
    return out


def stance_by_side(stance: pd.DataFrame, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sum a :func:`score_stance` table per article and side.

    Parameters
    ----------
    stance : DataFrame
        Output of :func:`score_stance` on a sentence table (needs ``article_id``,
        ``stance``, ``stance_score``, ``side``).
    mentions : DataFrame, optional
        ``find_actors`` output. When given, a non-neutral sentence whose side is
        ``none`` is credited to the side mentioned most often in it (ties: US,
        China, other).

    Returns
    -------
    DataFrame
        One row per (article_id, side) present, sorted: ``article_id, side,
        n_escalation, n_de_escalation, n_mixed, n_neutral, n_sentences,
        mean_score`` (mean ``stance_score`` of those sentences).
    """
    need = {"article_id", "stance", "stance_score", "side"}
    if not isinstance(stance, pd.DataFrame) or not need <= set(stance.columns):
        raise InputError(f"stance_by_side needs a score_stance table with columns {sorted(need)}")
    df = stance[["article_id", "stance", "stance_score", "side"] + (["sent_idx"] if "sent_idx" in stance else [])].copy()
    if mentions is not None and "sent_idx" in df.columns and len(mentions):
        counts = (mentions.groupby(["article_id", "sent_idx", "side"]).size().rename("n").reset_index()
                  .assign(order=lambda d: d["side"].map({"US": 0, "China": 1}).fillna(2))
                  .sort_values(["article_id", "sent_idx", "n", "order"], ascending=[True, True, False, True])
                  .drop_duplicates(["article_id", "sent_idx"]))
        top = dict(zip(zip(counts["article_id"], counts["sent_idx"]), counts["side"]))
        fill = (df["side"] == "none") & (df["stance"] != "neutral")
        df.loc[fill, "side"] = [top.get(k, "none") for k in zip(df.loc[fill, "article_id"], df.loc[fill, "sent_idx"])]
    g = df.groupby(["article_id", "side"], sort=True)
    out = pd.DataFrame({
        "n_escalation": g["stance"].agg(lambda s: int((s == "escalation").sum())),
        "n_de_escalation": g["stance"].agg(lambda s: int((s == "de-escalation").sum())),
        "n_mixed": g["stance"].agg(lambda s: int((s == "mixed").sum())),
        "n_neutral": g["stance"].agg(lambda s: int((s == "neutral").sum())),
        "n_sentences": g.size(),
        "mean_score": g["stance_score"].mean(),
    }).reset_index()
    return out[BY_SIDE_COLUMNS].reset_index(drop=True)


def load_labels(path: str | Path) -> pd.DataFrame:
    """Read a stance label file (JSON lines: id, article_id, source, text, stance, side)."""
    rows = []
    try:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    rows.append(json.loads(line))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataFileError(f"cannot read stance labels {path}: {exc}") from None
    df = pd.DataFrame(rows)
    need = {"article_id", "text", "stance"}
    if len(df) and not need <= set(df.columns):
        raise DataFileError(f"{path}: stance labels need {sorted(need)}")
    if len(df):
        df = df[df["stance"].isin(LABELS)].reset_index(drop=True)
        if "side" not in df:
            df["side"] = "none"
        df["side"] = df["side"].fillna("none")
    return df

"""Is an article about trade policy? A keyword rule and a shipped linear text model.

``trade_relevance(articles, method=...)`` scores each article's text (headline,
dek and body) and flags it as trade-relevant.

* ``method="keywords"``: a documented term rule in the manner of newspaper
  trade-policy-uncertainty indices; the terms and the cut are in
  ``tradelib/data/trade_terms.toml``. ``trade_score`` is the number of term
  occurrences, relevant when it reaches the cut.
* ``method="model"`` (default): a linear classifier (TF-IDF word n-grams +
  LinearSVC) fitted on the Reuters-21578 ModApte training split for the topic
  ``trade`` by ``scripts/fit_relevance.py``. It ships as reviewable JSON
  (``tradelib/data/relevance_model.json``: vocabulary, idf, coefficients,
  intercept, decision threshold and provenance) and is applied here in plain
  numpy, reproducing scikit-learn's decision values. ``trade_score`` is the
  decision value (the margin), relevant when it reaches the threshold that was
  chosen by cross-validation on the training split.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections import Counter
from functools import cache
from importlib import resources
from typing import Any, Literal

import numpy as np
import pandas as pd

from tradelib.errors import DataFileError, InputError

RELEVANCE_COLUMNS = ["article_id", "trade_score", "trade_relevant"]
TERMS_FILE = "trade_terms.toml"
MODEL_FILE = "relevance_model.json"
MODEL_FORMAT = "tradelib-linear-tfidf/1"


def _data_text(name: str) -> str:
    try:
        return (resources.files("tradelib") / "data" / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(f"tradelib data file {name} is missing; reinstall tradelib") from None


# ---- keyword rule -------------------------------------------------------------------------------


def term_pattern(terms: list[str]) -> re.Pattern[str]:
    """One case-insensitive regex matching any of ``terms`` as whole words, longest first.

    A space or hyphen inside a term matches any run of spaces/hyphens or
    nothing; the last word may take a plural ``s``/``es``.
    """
    alts = []
    for term in sorted({t.strip().lower() for t in terms if t.strip()}, key=lambda t: (-len(t), t)):
        words = [re.escape(w) for w in re.split(r"[\s\-]+", term) if w]
        alts.append(r"[\s\-]*".join(words) + r"(?:e?s)?")
    if not alts:
        raise DataFileError("the trade term list is empty")
    return re.compile(r"\b(?:" + "|".join(alts) + r")\b", re.IGNORECASE)


@cache
def keyword_rule() -> dict[str, Any]:
    """The shipped term rule: ``{"terms": [...], "cut": int, "pattern": regex, "uncertainty": regex}``."""
    try:
        data = tomllib.loads(_data_text(TERMS_FILE))
        groups = data["terms"]
        terms = [t for group in groups.values() for t in group]
        cut = data["rule"]["cut"]
        uncertainty = data["uncertainty"]["terms"]
    except (tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise DataFileError(f"{TERMS_FILE} is malformed: {exc}") from None
    if not isinstance(cut, (int, float)) or not all(isinstance(t, str) for t in terms + uncertainty):
        raise DataFileError(f"{TERMS_FILE}: [rule] cut must be a number and terms strings")
    return {"terms": terms, "cut": cut, "pattern": term_pattern(terms), "uncertainty": term_pattern(uncertainty)}


def keyword_scores(texts: list[str]) -> np.ndarray:
    """Number of trade-policy term occurrences in each text (the ``keywords`` score)."""
    pattern = keyword_rule()["pattern"]
    return np.array([sum(1 for _ in pattern.finditer(t)) for t in texts], dtype=float)


# ---- shipped model ------------------------------------------------------------------------------


_TOKEN_DEFAULT = r"(?u)\b\w\w+\b"


@cache
def load_model() -> dict[str, Any]:
    """The shipped relevance model as a dict, with ``index`` (term -> column) and numpy arrays."""
    try:
        raw = json.loads(_data_text(MODEL_FILE))
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{MODEL_FILE} is not valid JSON: {exc}") from None
    return parse_model(raw)


def parse_model(raw: dict[str, Any]) -> dict[str, Any]:
    """Validate a model dict (as written by ``scripts/fit_relevance.py``) and prepare it for scoring."""
    try:
        if raw.get("format") != MODEL_FORMAT:
            raise DataFileError(f"relevance model format {raw.get('format')!r} is not {MODEL_FORMAT!r}")
        vocab = list(raw["vocabulary"])
        idf = np.asarray(raw["idf"], dtype=float)
        coef = np.asarray(raw["coef"], dtype=float)
        pre = raw["preprocessing"]
        model = {
            "vocabulary": vocab,
            "index": {t: i for i, t in enumerate(vocab)},
            "idf": idf,
            "coef": coef,
            "intercept": float(raw["intercept"]),
            "threshold": float(raw["threshold"]),
            "ngram_range": tuple(int(n) for n in pre["ngram_range"]),
            "title_weight": int(pre["title_weight"]),
            "sublinear_tf": bool(pre["sublinear_tf"]),
            "lowercase": bool(pre.get("lowercase", True)),
            "token": re.compile(pre.get("token_pattern", _TOKEN_DEFAULT)),
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"relevance model is malformed: {exc!r}") from None
    if not (len(vocab) == len(idf) == len(coef)) or len(model["index"]) != len(vocab):
        raise DataFileError("relevance model: vocabulary, idf and coef differ in length or terms repeat")
    return model


def model_text(headline: str, dek: str, body: str, title_weight: int) -> str:
    """The text the model reads: the headline ``title_weight`` times, then dek and body."""
    return (headline + "\n") * title_weight + dek + "\n" + body


def _ngrams(text: str, model: dict[str, Any]) -> list[str]:
    if model["lowercase"]:
        text = text.lower()
    tokens = model["token"].findall(text)
    lo, hi = model["ngram_range"]
    grams: list[str] = []
    for n in range(lo, hi + 1):
        grams += tokens if n == 1 else [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams


def model_scores(texts: list[str], model: dict[str, Any] | None = None) -> np.ndarray:
    """Decision values of the linear model on ``texts`` (already built with :func:`model_text`).

    Reproduces scikit-learn's ``TfidfVectorizer`` (given vocabulary and idf,
    optional sublinear tf, l2 norm) followed by the linear decision function.
    """
    model = load_model() if model is None else model
    index, idf, coef = model["index"], model["idf"], model["coef"]
    out = np.empty(len(texts), dtype=float)
    for k, text in enumerate(texts):
        counts = Counter(g for g in _ngrams(text, model) if g in index)
        if not counts:
            out[k] = model["intercept"]
            continue
        cols = np.fromiter((index[g] for g in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=float, count=len(counts))
        if model["sublinear_tf"]:
            tf = np.log(tf) + 1.0
        w = tf * idf[cols]
        norm = math.sqrt(float(np.dot(w, w)))
        out[k] = float(np.dot(w / norm, coef[cols])) + model["intercept"] if norm > 0 else model["intercept"]
    return out


# ---- public -------------------------------------------------------------------------------------


def _check_articles(articles: pd.DataFrame) -> None:
    if not isinstance(articles, pd.DataFrame):
        raise InputError(f"trade_relevance needs the articles DataFrame, not {type(articles).__name__}")
    missing = [c for c in ("article_id", "headline", "body") if c not in articles.columns]
    if missing:
        raise InputError(f"articles table lacks column(s) {missing}; expected the load_articles schema")


def _field(articles: pd.DataFrame, name: str) -> list[str]:
    if name not in articles.columns:
        return [""] * len(articles)
    return ["" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v) for v in articles[name]]


def trade_relevance(
    articles: pd.DataFrame,
    method: Literal["model", "keywords"] = "model",
    *,
    threshold: float | None = None,
) -> pd.DataFrame:
    """Score each article for being about trade policy.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table (``article_id``, ``headline``, ``body``; ``dek`` if present).
    method : {"model", "keywords"}
        ``"model"``: the shipped Reuters-trained linear classifier; ``trade_score``
        is its decision value. ``"keywords"``: the term rule of
        ``trade_terms.toml``; ``trade_score`` is the number of term occurrences.
    threshold : float, optional
        Cut for ``trade_relevant`` (``trade_score >= threshold``). Default: the
        model's cross-validated threshold, or the rule's ``cut``.

    Returns
    -------
    pandas.DataFrame
        One row per article, in input order: ``article_id`` (str),
        ``trade_score`` (float), ``trade_relevant`` (bool).

    Examples
    --------
    >>> import pandas as pd, tradelib
    >>> arts = pd.DataFrame({"article_id": ["a"], "headline": ["U.S. raises tariffs"],
    ...                      "dek": [""], "body": ["The trade war widened as tariffs rose."]})
    >>> bool(tradelib.trade_relevance(arts, method="keywords")["trade_relevant"].iloc[0])
    True
    """
    _check_articles(articles)
    heads, deks, bodies = _field(articles, "headline"), _field(articles, "dek"), _field(articles, "body")
    if method == "keywords":
        texts = [f"{h}\n{d}\n{b}" for h, d, b in zip(heads, deks, bodies)]
        scores = keyword_scores(texts)
        cut = keyword_rule()["cut"] if threshold is None else threshold
    elif method == "model":
        model = load_model()
        texts = [model_text(h, d, b, model["title_weight"]) for h, d, b in zip(heads, deks, bodies)]
        scores = model_scores(texts, model)
        cut = model["threshold"] if threshold is None else threshold
    else:
        raise InputError(f"method must be 'model' or 'keywords', not {method!r}")
    if not isinstance(cut, (int, float)) or isinstance(cut, bool) or math.isnan(cut):
        raise InputError(f"threshold must be a number, not {threshold!r}")
    return pd.DataFrame(
        {
            "article_id": articles["article_id"].astype(str).to_numpy(),
            "trade_score": scores.astype(float),
            "trade_relevant": scores >= cut,
        },
        columns=RELEVANCE_COLUMNS,
    )


# ---- Reuters-21578 ModApte ----------------------------------------------------------------------


def modapte_split(articles: pd.DataFrame, topic: str = "trade") -> pd.DataFrame:
    """The ModApte train/test documents of a loaded Reuters-21578 table, with a topic label.

    Keeps ``TOPICS="YES"`` documents with ``LEWISSPLIT`` ``TRAIN`` or ``TEST``
    that carry at least one of the topics occurring in both splits (90 on the
    full collection). Returns the kept rows plus ``split`` ("train"/"test") and
    ``label`` (bool: ``topic`` in TOPICS), sorted by ``meta["NEWID"]``.

    Notes
    -----
    On the distributed SGML this keeps 7,770 training and 3,019 test
    documents; the usual count of 7,769 (e.g. NLTK's copy) differs by one
    training document.
    """
    if "meta" not in articles.columns:
        raise InputError("modapte_split needs the articles table of a Reuters-21578 load (with `meta`)")
    meta = articles["meta"]
    split = meta.map(lambda m: (m or {}).get("LEWISSPLIT") if isinstance(m, dict) else None)
    yes = meta.map(lambda m: isinstance(m, dict) and m.get("TOPICS_ATTR") == "YES")
    topics = meta.map(lambda m: list(m.get("TOPICS") or []) if isinstance(m, dict) else [])
    train_topics = set().union(*topics[yes & (split == "TRAIN")]) if (yes & (split == "TRAIN")).any() else set()
    test_topics = set().union(*topics[yes & (split == "TEST")]) if (yes & (split == "TEST")).any() else set()
    both = train_topics & test_topics
    keep = yes & split.isin(["TRAIN", "TEST"]) & topics.map(lambda ts: any(t in both for t in ts))
    out = articles[keep].copy()
    out["split"] = split[keep].str.lower()
    out["label"] = topics[keep].map(lambda ts: topic in ts).astype(bool)
    out["_newid"] = out["meta"].map(lambda m: m.get("NEWID"))
    return out.sort_values("_newid", kind="stable").drop(columns="_newid").reset_index(drop=True)

"""Is an article about trade policy? A keyword rule and a shipped linear text model.

``trade_relevance(articles, method=...)`` scores each article's text (headline,
dek and body) and flags it as trade-relevant.

* ``method="keywords"``: a documented term rule in the manner of newspaper
  trade-policy-uncertainty indices; the terms and the cut are in
  ``tradelib/data/trade_terms.toml``. ``trade_score`` is the number of term
  occurrences, relevant when it reaches the cut.
* ``method="model"`` (default): a linear classifier fitted on the Reuters-21578
  ModApte training split for the topic ``trade`` by ``scripts/fit_relevance.py``:
  LinearSVC over three feature blocks, sublinear TF-IDF word 1-2-grams of the
  whole text, the same of the headline alone, and the keyword rule's term
  counts per group (``log1p``; they carry the model over to modern trade-war
  vocabulary). It ships as reviewable JSON (``tradelib/data/relevance_model.json``:
  per block vocabulary, idf, stop words and coefficients; keyword-feature
  coefficients; intercept, decision threshold and provenance) and is applied
  here in plain numpy, reproducing scikit-learn's decision values.
  ``trade_score`` is the decision value (the margin), relevant when it reaches
  the threshold chosen by cross-validation on the training split.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections import Counter
from functools import cache
from typing import Any, Literal

import numpy as np
import pandas as pd

from tradelib._data import data_text
from tradelib._regex import Caseless, _fast
from tradelib.errors import DataFileError, InputError

RELEVANCE_COLUMNS = ["article_id", "trade_score", "trade_relevant"]
TERMS_FILE = "trade_terms.toml"
MODEL_FILE = "relevance_model.json"
MODEL_FORMAT = "tradelib-linear-tfidf/2"


# ---- keyword rule -------------------------------------------------------------------------------


def _term_alternation(terms: list[str]) -> str:
    alts = []
    for term in sorted({t.strip().lower() for t in terms if t.strip()}, key=lambda t: (-len(t), t)):
        words = [re.escape(w) for w in re.split(r"[\s\-]+", term) if w]
        alts.append(r"[\s\-]*".join(words) + r"(?:e?s)?")
    if not alts:
        raise DataFileError("the trade term list is empty")
    return "|".join(alts)


def term_pattern(terms: list[str]) -> re.Pattern[str]:
    """One case-insensitive regex matching any of ``terms`` as whole words, longest first.

    A space or hyphen inside a term matches any run of spaces/hyphens or
    nothing; the last word may take a plural ``s``/``es``.
    """
    return re.compile(r"\b(?:" + _term_alternation(terms) + r")\b", re.IGNORECASE)


def _term_counter(terms: list[str]) -> Caseless:
    """Counts (``.count(text)``) the matches of :func:`term_pattern`, faster: lower-cased, alternatives by first letter."""
    alternation, grouped = _fast(_term_alternation(terms))
    return Caseless(r"\b(?:" + alternation + r")\b", r"\b(?:" + grouped + r")\b")


@cache
def keyword_rule() -> dict[str, Any]:
    """The shipped term rule: ``{"terms", "cut", "pattern", "uncertainty", "groups", "counters"}``.

    ``pattern`` matches any term, ``groups`` maps each ``[terms]`` group name
    to a pattern of its terms, ``uncertainty`` matches the uncertainty words;
    ``counters`` count the matches of each group's pattern, then of ``pattern``.
    """
    try:
        data = tomllib.loads(data_text(TERMS_FILE))
        groups = data["terms"]
        terms = [t for group in groups.values() for t in group]
        cut = data["rule"]["cut"]
        uncertainty = data["uncertainty"]["terms"]
    except (tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise DataFileError(f"{TERMS_FILE} is malformed: {exc}") from None
    if not isinstance(cut, (int, float)) or not all(isinstance(t, str) for t in terms + uncertainty):
        raise DataFileError(f"{TERMS_FILE}: [rule] cut must be a number and terms strings")
    return {"terms": terms, "cut": cut, "pattern": term_pattern(terms), "uncertainty": term_pattern(uncertainty),
            "groups": {name: term_pattern(list(group)) for name, group in groups.items()},
            "counters": [_term_counter(list(group)) for group in groups.values()] + [_term_counter(terms)]}


def keyword_scores(texts: list[str]) -> np.ndarray:
    """Number of trade-policy term occurrences in each text (the ``keywords`` score)."""
    count = keyword_rule()["counters"][-1].count
    return np.array([count(t) for t in texts], dtype=float)


# ---- shipped model ------------------------------------------------------------------------------


_TOKEN_DEFAULT = r"(?u)\b\w\w+\b"
FIELDS = ("text", "headline")


def keyword_feature_names() -> list[str]:
    """Names of the keyword features: one per term group of ``trade_terms.toml``, then ``headline``."""
    return [f"terms:{g}" for g in keyword_rule()["groups"]] + ["headline:all_terms"]


def keyword_features(headlines: list[str], texts: list[str]) -> np.ndarray:
    """Keyword-rule term counts as model features, ``log(1 + count)``.

    Columns (see :func:`keyword_feature_names`): the number of occurrences of
    each term group of ``trade_terms.toml`` in the article text, then the
    number of occurrences of any term in the headline.
    """
    counters = keyword_rule()["counters"]
    out = np.zeros((len(texts), len(counters)), dtype=float)
    for k, (head, text) in enumerate(zip(headlines, texts)):
        for j, counter in enumerate(counters[:-1]):
            out[k, j] = counter.count(text)
        out[k, -1] = counters[-1].count(head)
    return np.log1p(out)


@cache
def load_model() -> dict[str, Any]:
    """The shipped relevance model as a dict, with per-block ``index`` (term -> column) and numpy arrays."""
    try:
        raw = json.loads(data_text(MODEL_FILE))
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{MODEL_FILE} is not valid JSON: {exc}") from None
    return parse_model(raw)


def _parse_block(blk: dict[str, Any]) -> dict[str, Any]:
    vocab = list(blk["vocabulary"])
    block = {
        "field": str(blk["field"]),
        "index": {t: i for i, t in enumerate(vocab)},
        "idf": np.asarray(blk["idf"], dtype=float),
        "coef": np.asarray(blk["coef"], dtype=float),
        "ngram_range": tuple(int(n) for n in blk["ngram_range"]),
        "sublinear_tf": bool(blk["sublinear_tf"]),
        "lowercase": bool(blk.get("lowercase", True)),
        "token": re.compile(blk.get("token_pattern", _TOKEN_DEFAULT)),
        "stop_words": frozenset(blk.get("stop_words") or ()),
    }
    if block["field"] not in FIELDS:
        raise DataFileError(f"relevance model block field {block['field']!r} is not one of {FIELDS}")
    if not (len(vocab) == len(block["idf"]) == len(block["coef"])) or len(block["index"]) != len(vocab):
        raise DataFileError("relevance model: vocabulary, idf and coef differ in length or terms repeat")
    return block


def parse_model(raw: dict[str, Any]) -> dict[str, Any]:
    """Validate a model dict (as written by ``scripts/fit_relevance.py``) and prepare it for scoring.

    The model is ``score = sum over blocks of (l2-normalised tf-idf of the
    block's field) . coef + keyword_features . keyword_coef + intercept``.
    """
    if not isinstance(raw, dict) or raw.get("format") != MODEL_FORMAT:
        fmt = raw.get("format") if isinstance(raw, dict) else None
        raise DataFileError(f"relevance model format {fmt!r} is not {MODEL_FORMAT!r}")
    try:
        blocks = [_parse_block(b) for b in raw["blocks"]]
        kw = raw.get("keyword_features")
        kw_coef = None
        if kw is not None:
            kw_coef = np.asarray(kw["coef"], dtype=float)
            if list(kw["names"]) != keyword_feature_names() or len(kw_coef) != len(kw["names"]):
                raise DataFileError("relevance model keyword features do not match trade_terms.toml groups")
        model = {
            "blocks": blocks,
            "keyword_coef": kw_coef,
            "intercept": float(raw["intercept"]),
            "threshold": float(raw["threshold"]),
        }
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"relevance model is malformed: {exc!r}") from None
    if not blocks:
        raise DataFileError("relevance model has no feature blocks")
    return model


def model_text(headline: str, dek: str, body: str) -> str:
    """The article text the model and the keyword rule read: headline, dek and body."""
    return f"{headline}\n{dek}\n{body}"


def _ngrams(text: str, block: dict[str, Any]) -> list[str]:
    if block["lowercase"]:
        text = text.lower()
    stop = block["stop_words"]
    tokens = [t for t in block["token"].findall(text) if t not in stop]
    lo, hi = block["ngram_range"]
    grams: list[str] = []
    for n in range(lo, hi + 1):
        grams += tokens if n == 1 else [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return grams


def _block_scores(texts: list[str], block: dict[str, Any]) -> np.ndarray:
    index, idf, coef = block["index"], block["idf"], block["coef"]
    out = np.zeros(len(texts), dtype=float)
    for k, text in enumerate(texts):
        counts = Counter(g for g in _ngrams(text, block) if g in index)
        if not counts:
            continue
        cols = np.fromiter((index[g] for g in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=float, count=len(counts))
        if block["sublinear_tf"]:
            tf = np.log(tf) + 1.0
        w = tf * idf[cols]
        norm = math.sqrt(float(np.dot(w, w)))
        if norm > 0:
            out[k] = float(np.dot(w / norm, coef[cols]))
    return out


def model_scores(headlines: list[str], texts: list[str], model: dict[str, Any] | None = None) -> np.ndarray:
    """Decision values of the linear model for articles given as headlines and full texts.

    ``texts`` are built with :func:`model_text`. Reproduces scikit-learn's
    ``TfidfVectorizer`` per block (given vocabulary, idf, stop words, optional
    sublinear tf, l2 norm), the keyword features and the linear decision function.
    """
    model = load_model() if model is None else model
    fields = {"text": texts, "headline": headlines}
    out = np.full(len(texts), model["intercept"], dtype=float)
    for block in model["blocks"]:
        out += _block_scores(fields[block["field"]], block)
    if model["keyword_coef"] is not None and len(texts):
        out += keyword_features(headlines, texts) @ model["keyword_coef"]
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
        texts = [model_text(h, d, b) for h, d, b in zip(heads, deks, bodies)]
        scores = keyword_scores(texts)
        cut = keyword_rule()["cut"] if threshold is None else threshold
    elif method == "model":
        model = load_model()
        texts = [model_text(h, d, b) for h, d, b in zip(heads, deks, bodies)]
        scores = model_scores(heads, texts, model)
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

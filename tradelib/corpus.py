"""Corpus indices: coverage, tone, escalation and trade-policy uncertainty per period.

Two steps:

1. :func:`corpus_table` merges the per-article outputs of the other steps into
   one *corpus table* (the input contract of :func:`corpus_index`).
2. :func:`corpus_index` counts and averages that table per period (day, week
   or month, in UTC), overall, per source or per side.

Corpus table (one row per article and ``side``)
-----------------------------------------------
``article_id`` (str), ``side`` (``"all"`` for the article as a whole, or a
stance side: ``"US"``, ``"China"``, ``"both"``, ``"other"``, ``"none"``),
``published`` (datetime64[ns, UTC] or NaT), ``source`` (str),
``trade_relevant`` (bool), ``tone`` (float, the article's tone),
``uses_uncertainty`` (bool), ``n_sentences``, ``n_escalation``,
``n_de_escalation``, ``n_mixed`` (int: stance-scored sentences of the article,
or of that side's sentences on side rows) and ``stance_score`` (float: their
mean stance score, NaN when there are none). Every article has exactly one
``"all"`` row; a side row exists when the article has at least one sentence
whose move is that side's. A hand-made table without a ``side`` column is
read as all-``"all"`` rows; only ``article_id``, ``published`` and
``trade_relevant`` are required (missing counts are 0, missing tone NaN,
missing ``uses_uncertainty`` False).

Index definitions (per period and group)
----------------------------------------
* ``n_articles``: articles published in the period; ``n_relevant``: of them,
  trade-relevant; ``n_tpu``: relevant and using uncertainty words.
* ``mean_tone``: mean article tone of the relevant articles;
  ``mean_tone_all``: of all articles.
* ``n_sentences``, ``n_escalation``, ``n_de_escalation``, ``n_mixed``:
  stance-scored sentences of the relevant articles and how many of them are
  escalation / de-escalation / mixed.
* ``escalation_index = (n_escalation - n_de_escalation) / n_sentences``, in
  [-1, 1]: net share of escalation sentences in relevant coverage.
* ``mean_stance_score``: mean ``stance_score`` over those sentences.
* ``tpu_share = n_tpu / n_articles`` and ``tpu``: ``tpu_share`` scaled so that
  its mean over the group's periods with articles is 100 (as newspaper
  uncertainty indices are normalised); NaN when no article in the group is
  relevant and uncertain.

Periods without articles are present with zero counts and NaN means. Each
group gets every period of the whole table's span.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from tradelib.errors import InputError

TABLE_COLUMNS = [
    "article_id", "side", "published", "source", "trade_relevant", "tone", "uses_uncertainty",
    "n_sentences", "n_escalation", "n_de_escalation", "n_mixed", "stance_score",
]
COUNT_COLUMNS = ["n_sentences", "n_escalation", "n_de_escalation", "n_mixed"]
INDEX_COLUMNS = [
    "period", "n_articles", "n_relevant", "n_tpu", "mean_tone", "mean_tone_all", "n_sentences",
    "n_escalation", "n_de_escalation", "n_mixed", "escalation_index", "mean_stance_score", "tpu_share", "tpu",
]
_STANCE_LABELS = {"escalation": "n_escalation", "de-escalation": "n_de_escalation", "mixed": "n_mixed"}
_FREQS = {"D": "D", "W": "W", "M": "M", "ME": "M", "MS": "M", "day": "D", "week": "W", "month": "M"}


def _require(df: pd.DataFrame | None, name: str, cols: list[str]) -> None:
    if df is None:
        return
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{name} must be a DataFrame, not {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError(f"{name} table lacks column(s) {missing}")


def _side_of_mentions(stance: pd.DataFrame, mentions: pd.DataFrame | None) -> pd.Series:
    """Side per stance row from the actors mentioned in the sentence (fallback when stance has no side)."""
    if mentions is None or mentions.empty or "side" not in mentions.columns:
        return pd.Series("none", index=stance.index)
    sides = mentions.groupby(["article_id", "sent_idx"])["side"].agg(lambda s: frozenset(s.dropna()))
    keys = list(zip(stance["article_id"], stance["sent_idx"]))

    def pick(found: frozenset) -> str:
        if {"US", "China"} <= found:
            return "both"
        if len(found) == 1:
            return next(iter(found))
        return "other" if found else "none"

    return pd.Series([pick(sides.get(k, frozenset())) for k in keys], index=stance.index)


def _stance_counts(stance: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    s = stance.assign(**{col: stance["stance"].eq(lab).astype(int) for lab, col in _STANCE_LABELS.items()})
    out = s.groupby(keys, sort=True).agg(
        n_sentences=("stance", "size"),
        n_escalation=("n_escalation", "sum"),
        n_de_escalation=("n_de_escalation", "sum"),
        n_mixed=("n_mixed", "sum"),
        stance_score=("stance_score", "mean"),
    )
    return out.reset_index()


def corpus_table(
    articles: pd.DataFrame,
    *,
    relevance: pd.DataFrame,
    article_tone: pd.DataFrame | None = None,
    stance: pd.DataFrame | None = None,
    mentions: pd.DataFrame | None = None,
    tone: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Build the per-article corpus table that :func:`corpus_index` aggregates.

    Parameters
    ----------
    articles : pandas.DataFrame
        ``article_id``, ``published``, ``source`` (and ``headline``/``dek``/``body``
        for the uncertainty fallback).
    relevance : pandas.DataFrame
        :func:`tradelib.trade_relevance` output (``article_id``, ``trade_relevant``).
    article_tone : pandas.DataFrame, optional
        :func:`tradelib.article_tone` output: ``tone`` and ``uncertainty`` (share
        of uncertainty words) per ``article_id``. ``uses_uncertainty`` is
        ``uncertainty > 0``.
    stance : pandas.DataFrame, optional
        :func:`tradelib.score_stance` output: ``article_id``, ``sent_idx``,
        ``stance``, ``stance_score`` and ``side``.
    mentions : pandas.DataFrame, optional
        :func:`tradelib.find_actors` output; only used to give stance rows a
        side when ``stance`` has no ``side`` column (US and China mentioned:
        ``"both"``; one side: that side; none: ``"none"``).
    tone : pandas.DataFrame, optional
        :func:`tradelib.score_tone` sentence output; used for an article's
        ``tone`` (mean) and ``uncertainty`` (any sentence > 0) when
        ``article_tone`` does not give them. Without either, uncertainty comes
        from the BBD-style word list in ``trade_terms.toml`` on the article text.

    Returns
    -------
    pandas.DataFrame
        Columns ``TABLE_COLUMNS`` (see the module docstring), one ``"all"`` row per
        article plus one row per article and stance side, sorted by
        ``article_id`` then side.
    """
    _require(articles, "articles", ["article_id", "published"])
    _require(relevance, "relevance", ["article_id", "trade_relevant"])
    _require(article_tone, "article_tone", ["article_id"])
    _require(stance, "stance", ["article_id", "stance", "stance_score"])
    _require(tone, "tone", ["article_id"])
    base = pd.DataFrame({
        "article_id": articles["article_id"].astype(str).to_numpy(),
        "published": pd.to_datetime(articles["published"], utc=True).to_numpy(),
        "source": articles["source"].astype(str).to_numpy() if "source" in articles else "",
    })
    base["published"] = pd.to_datetime(base["published"], utc=True)
    if base["article_id"].duplicated().any():
        raise InputError("articles table has duplicate article_id values")
    rel = relevance.assign(article_id=relevance["article_id"].astype(str)).drop_duplicates("article_id")
    base["trade_relevant"] = base["article_id"].map(rel.set_index("article_id")["trade_relevant"])
    base["trade_relevant"] = base["trade_relevant"].fillna(False).astype(bool)

    if article_tone is not None and article_tone["article_id"].astype(str).duplicated().any():
        raise InputError("article_tone table has more than one row for an article")
    at = None if article_tone is None else article_tone.assign(
        article_id=article_tone["article_id"].astype(str)).set_index("article_id")
    st = None
    if tone is not None and len(tone):
        st = tone.assign(article_id=tone["article_id"].astype(str)).groupby("article_id")
    base["tone"] = np.nan
    if at is not None and "tone" in at:
        base["tone"] = base["article_id"].map(at["tone"]).astype(float)
    elif st is not None and "tone" in tone:
        base["tone"] = base["article_id"].map(st["tone"].mean()).astype(float)
    if at is not None and "uncertainty" in at:
        base["uses_uncertainty"] = base["article_id"].map(at["uncertainty"]).fillna(0).astype(float) > 0
    elif st is not None and "uncertainty" in tone:
        base["uses_uncertainty"] = base["article_id"].map(st["uncertainty"].max()).fillna(0).astype(float) > 0
    else:
        from tradelib.relevance import keyword_rule

        pattern = keyword_rule()["uncertainty"]
        fields = [articles[c].fillna("").astype(str) if c in articles else pd.Series("", index=articles.index)
                  for c in ("headline", "dek", "body")]
        text = (fields[0] + "\n" + fields[1] + "\n" + fields[2]).to_numpy()
        base["uses_uncertainty"] = [bool(pattern.search(t)) for t in text]

    base["side"] = "all"
    rows = [base]
    if stance is not None and len(stance):
        s = stance.assign(article_id=stance["article_id"].astype(str))
        if "side" not in s.columns:
            s["side"] = _side_of_mentions(s, mentions)
        s["side"] = s["side"].fillna("none").astype(str)
        counts_all = _stance_counts(s, ["article_id"]).set_index("article_id")
        for col in COUNT_COLUMNS + ["stance_score"]:
            base[col] = base["article_id"].map(counts_all[col])
        by_side = _stance_counts(s, ["article_id", "side"])
        by_side = by_side[by_side["article_id"].isin(base["article_id"])]
        cols = ["article_id", "published", "source", "trade_relevant", "tone", "uses_uncertainty"]
        rows.append(by_side.merge(base[cols], on="article_id", how="left"))
    else:
        base["stance_score"] = np.nan
    out = pd.concat(rows, ignore_index=True) if len(rows) > 1 else base
    for col in COUNT_COLUMNS:
        out[col] = out[col].fillna(0).astype(int) if col in out else 0
    out["stance_score"] = out["stance_score"].astype(float)
    out["_order"] = out["side"].ne("all")
    out = out.sort_values(["article_id", "_order", "side"], kind="stable").drop(columns="_order")
    return out[TABLE_COLUMNS].reset_index(drop=True)


def _periods(published: pd.Series, freq: str) -> pd.Series:
    naive = published.dt.tz_convert("UTC").dt.tz_localize(None)
    return naive.dt.to_period(freq)


def corpus_index(
    table: pd.DataFrame,
    freq: str = "W",
    by: Literal["source", "side"] | None = None,
) -> pd.DataFrame:
    """Counts, tone, escalation and trade-policy uncertainty per period (and group).

    Parameters
    ----------
    table : pandas.DataFrame
        The corpus table of :func:`corpus_table` (or a hand-made one with at
        least ``article_id``, ``published``, ``trade_relevant``).
    freq : {"D", "W", "M"}
        Period length: UTC calendar days, weeks starting Monday 00:00 UTC, or
        calendar months.
    by : {None, "source", "side"}
        One series overall, per ``source``, or per stance side (from the
        table's side rows: an article counts for a side when it has a
        sentence whose move is that side's; the stance counts are that side's
        sentences).

    Returns
    -------
    pandas.DataFrame
        One row per period (and group), sorted by period then group:
        ``period`` (Timestamp, period start, UTC), the group column when ``by``
        is given, then ``n_articles, n_relevant, n_tpu, mean_tone,
        mean_tone_all, n_sentences, n_escalation, n_de_escalation, n_mixed,
        escalation_index, mean_stance_score, tpu_share, tpu`` (definitions in
        the module docstring). Articles without a date are left out; a table
        with no dated article gives an empty frame with these columns.

    Examples
    --------
    >>> import pandas as pd, tradelib
    >>> t = pd.DataFrame({"article_id": ["a", "b"], "trade_relevant": [True, False],
    ...                   "published": pd.to_datetime(["2025-10-13", "2025-10-28"], utc=True)})
    >>> tradelib.corpus_index(t, freq="W")["n_articles"].tolist()
    [1, 0, 1]
    """
    _require(table, "corpus", ["article_id", "published", "trade_relevant"])
    if by not in (None, "source", "side"):
        raise InputError(f"by must be None, 'source' or 'side', not {by!r}")
    if not isinstance(freq, str) or freq not in _FREQS:
        raise InputError(f"freq must be 'D', 'W' or 'M', not {freq!r}")
    freq = _FREQS[freq]
    t = table.copy()
    if "side" not in t.columns:
        if by == "side":
            raise InputError("by='side' needs a corpus table with side rows (see corpus_table)")
        t["side"] = "all"
    t = t[t["side"].ne("all")] if by == "side" else t[t["side"].eq("all")]
    if by == "source" and "source" not in t.columns:
        raise InputError("by='source' needs a `source` column")
    if by is None and t["article_id"].duplicated().any():
        raise InputError("corpus table has more than one 'all' row for an article")
    for col in COUNT_COLUMNS:
        t[col] = t[col].fillna(0).astype(int) if col in t else 0
    t["tone"] = t["tone"].astype(float) if "tone" in t else np.nan
    t["stance_score"] = t["stance_score"].astype(float) if "stance_score" in t else np.nan
    t["uses_uncertainty"] = t["uses_uncertainty"].fillna(False).astype(bool) if "uses_uncertainty" in t else False
    t["trade_relevant"] = t["trade_relevant"].fillna(False).astype(bool)
    t["published"] = pd.to_datetime(t["published"], utc=True)
    groups = [by] if by else []
    out_cols = INDEX_COLUMNS[:1] + groups + INDEX_COLUMNS[1:]
    dated = table[table["side"].eq("all")] if "side" in table.columns else table
    dated = pd.to_datetime(dated["published"], utc=True).dropna()
    t = t[t["published"].notna()]
    if by:  # a missing source or side is a group of its own (""), not dropped
        t[by] = ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in t[by]]
    if dated.empty:
        ints = {"n_articles", "n_relevant", "n_tpu", *COUNT_COLUMNS}
        dtypes = {c: "int64" if c in ints else "float64" for c in out_cols}
        dtypes |= {"period": "datetime64[ns, UTC]"} | ({by: "str"} if by else {})
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in dtypes.items()})[out_cols]
    span = _periods(dated, freq)
    periods = pd.period_range(span.min(), span.max(), freq=freq)
    t["period"] = _periods(t["published"], freq)

    rel = t["trade_relevant"]
    t["_tpu"] = (rel & t["uses_uncertainty"]).astype(int)
    t["_tone_rel"] = t["tone"].where(rel)
    for col in COUNT_COLUMNS:
        t[col] = t[col].where(rel, 0)
    t["_score_sum"] = (t["stance_score"] * t["n_sentences"]).where(rel & t["n_sentences"].gt(0), 0.0)
    agg = t.groupby(["period"] + groups, sort=True).agg(
        n_articles=("article_id", "size"),
        n_relevant=("trade_relevant", "sum"),
        n_tpu=("_tpu", "sum"),
        mean_tone=("_tone_rel", "mean"),
        mean_tone_all=("tone", "mean"),
        n_sentences=("n_sentences", "sum"),
        n_escalation=("n_escalation", "sum"),
        n_de_escalation=("n_de_escalation", "sum"),
        n_mixed=("n_mixed", "sum"),
        _score_sum=("_score_sum", "sum"),
    )
    if by:
        values = sorted(t[by].unique())
        full = pd.MultiIndex.from_product([periods, values], names=["period", by])
    else:
        full = pd.Index(periods, name="period")
    agg = agg.reindex(full)
    counts = ["n_articles", "n_relevant", "n_tpu"] + COUNT_COLUMNS
    agg[counts] = agg[counts].fillna(0).astype(int)
    agg["_score_sum"] = agg["_score_sum"].fillna(0.0)
    n_sent = agg["n_sentences"].where(agg["n_sentences"] > 0)
    agg["escalation_index"] = (agg["n_escalation"] - agg["n_de_escalation"]) / n_sent
    agg["mean_stance_score"] = agg["_score_sum"] / n_sent
    agg["tpu_share"] = agg["n_tpu"] / agg["n_articles"].where(agg["n_articles"] > 0)
    mean_share = agg.groupby(level=by)["tpu_share"].transform("mean") if by else agg["tpu_share"].mean()
    agg["tpu"] = 100.0 * agg["tpu_share"] / (mean_share.where(mean_share > 0) if by else
                                              (mean_share if mean_share > 0 else np.nan))
    agg = agg.reset_index()
    agg["period"] = agg["period"].dt.start_time.dt.tz_localize("UTC").astype("datetime64[ns, UTC]")
    for col in ("mean_tone", "mean_tone_all", "escalation_index", "mean_stance_score", "tpu_share", "tpu"):
        agg[col] = agg[col].astype(float)
    return agg[out_cols].sort_values(["period"] + groups, kind="stable").reset_index(drop=True)

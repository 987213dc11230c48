"""corpus_table and corpus_index on small hand-made frames with hand-computed results.

These tests build the tone / stance / relevance tables by hand in the column
contract, so they do not depend on tradelib.tone or tradelib.stance.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tradelib.corpus import INDEX_COLUMNS, TABLE_COLUMNS, corpus_index, corpus_table
from tradelib.errors import InputError


def ts(values):
    return pd.to_datetime(pd.Series(values, dtype=object), utc=True, format="ISO8601")


def table(rows):
    """rows: (article_id, published, source, relevant, tone, uncertain, n_sent, n_esc, n_de, score)."""
    cols = ["article_id", "published", "source", "trade_relevant", "tone", "uses_uncertainty",
            "n_sentences", "n_escalation", "n_de_escalation", "stance_score"]
    df = pd.DataFrame(rows, columns=cols)
    df["published"] = ts(df["published"])
    return df


# ---- corpus_index -------------------------------------------------------------------------------


def test_weekly_index_hand_computed():
    t = table([
        # week of Mon 2025-10-06
        ("a", "2025-10-06T09:00:00Z", "WSJ", True, 0.4, True, 10, 4, 1, 0.2),
        ("b", "2025-10-12T23:59:00Z", "WSJ", True, -0.2, False, 5, 0, 3, -0.4),
        ("c", "2025-10-08T12:00:00Z", "FT", False, 0.9, True, 8, 8, 0, 1.0),  # not relevant
        # week of 2025-10-13: no articles
        # week of 2025-10-20
        ("d", "2025-10-20T00:00:00Z", "FT", True, 0.0, True, 0, 0, 0, np.nan),
    ])
    out = corpus_index(t, freq="W")
    assert list(out.columns) == INDEX_COLUMNS
    assert list(out["period"]) == list(pd.to_datetime(["2025-10-06", "2025-10-13", "2025-10-20"], utc=True))
    assert out["n_articles"].tolist() == [3, 0, 1]
    assert out["n_relevant"].tolist() == [2, 0, 1]
    assert out["n_tpu"].tolist() == [1, 0, 1]
    w1, empty, w3 = out.iloc[0], out.iloc[1], out.iloc[2]
    assert w1["mean_tone"] == pytest.approx(0.1)  # relevant only: (0.4 - 0.2) / 2
    assert w1["mean_tone_all"] == pytest.approx(1.1 / 3)
    # relevant a and b: 15 sentences, 4 escalation, 4 de-escalation; c (irrelevant) left out
    assert (w1["n_sentences"], w1["n_escalation"], w1["n_de_escalation"]) == (15, 4, 4)
    assert w1["escalation_index"] == pytest.approx(0.0)
    assert w1["mean_stance_score"] == pytest.approx((10 * 0.2 + 5 * -0.4) / 15)
    # tpu share: 1/3 and 1/1 over the two weeks with articles -> mean 2/3
    assert w1["tpu_share"] == pytest.approx(1 / 3)
    assert w1["tpu"] == pytest.approx(50.0)
    assert w3["tpu"] == pytest.approx(150.0)
    assert np.nanmean(out["tpu"]) == pytest.approx(100.0)
    # the empty week: zero counts, missing means
    assert empty[["n_articles", "n_relevant", "n_tpu", "n_sentences"]].tolist() == [0, 0, 0, 0]
    for col in ("mean_tone", "mean_tone_all", "escalation_index", "mean_stance_score", "tpu_share", "tpu"):
        assert math.isnan(empty[col]), col
    # relevant article without stance sentences: no escalation index
    assert w3["n_sentences"] == 0 and math.isnan(w3["escalation_index"])
    assert out["n_articles"].dtype.kind == "i" and str(out["period"].dt.tz) == "UTC"


def test_one_article():
    t = table([("a", "2025-10-15T10:00:00Z", "WSJ", True, -0.5, True, 4, 3, 1, 0.5)])
    for freq, start in (("D", "2025-10-15"), ("W", "2025-10-13"), ("M", "2025-10-01")):
        out = corpus_index(t, freq=freq)
        assert len(out) == 1
        row = out.iloc[0]
        assert row["period"] == pd.Timestamp(start, tz="UTC")
        assert (row["n_articles"], row["n_relevant"], row["n_tpu"]) == (1, 1, 1)
        assert row["escalation_index"] == pytest.approx(0.5)
        assert row["tpu"] == pytest.approx(100.0)


@pytest.mark.parametrize(
    ("published", "freq", "expected_start"),
    [
        # Sunday 23:30 in New York is Monday 04:30 UTC: next UTC day and next week
        ("2025-10-12T23:30:00-05:00", "D", "2025-10-13"),
        ("2025-10-12T23:30:00-05:00", "W", "2025-10-13"),
        # 31 Oct 23:30 -05:00 is 1 Nov UTC: next month
        ("2025-10-31T23:30:00-05:00", "M", "2025-11-01"),
        # Monday 01:00 in Beijing (+08:00) is still Sunday UTC: previous week
        ("2025-10-13T01:00:00+08:00", "W", "2025-10-06"),
        ("2025-10-13T00:00:00Z", "W", "2025-10-13"),  # week starts Monday 00:00 UTC exactly
        ("2025-10-12T23:59:59Z", "W", "2025-10-06"),
    ],
)
def test_timezone_edges(published, freq, expected_start):
    t = table([("a", published, "WSJ", True, 0.0, False, 0, 0, 0, np.nan)])
    out = corpus_index(t, freq=freq)
    assert out["period"].tolist() == [pd.Timestamp(expected_start, tz="UTC")]


def test_by_source_group_without_relevant_article():
    t = table([
        ("a", "2025-10-01T12:00:00Z", "WSJ", True, 0.2, True, 2, 1, 0, 0.5),
        ("b", "2025-10-01T13:00:00Z", "Blog", False, 0.6, True, 3, 3, 0, 1.0),
        ("c", "2025-10-03T13:00:00Z", "WSJ", True, -0.2, False, 2, 0, 2, -1.0),
    ])
    out = corpus_index(t, freq="D", by="source")
    assert list(out.columns) == ["period", "source"] + INDEX_COLUMNS[1:]
    # 3 days x 2 sources, every group gets every period
    assert len(out) == 6
    assert out["source"].tolist() == ["Blog", "WSJ"] * 3
    blog = out[out["source"] == "Blog"].set_index("period")
    assert blog["n_articles"].tolist() == [1, 0, 0]
    assert blog["n_relevant"].tolist() == [0, 0, 0]
    assert math.isnan(blog["mean_tone"].iloc[0]) and blog["mean_tone_all"].iloc[0] == pytest.approx(0.6)
    assert blog["n_sentences"].tolist() == [0, 0, 0]  # its sentences are not in relevant coverage
    assert blog["tpu"].isna().all()  # no relevant+uncertain article: no scale
    wsj = out[out["source"] == "WSJ"].set_index("period")
    assert wsj["escalation_index"].iloc[0] == pytest.approx(0.5)
    assert wsj["escalation_index"].iloc[2] == pytest.approx(-1.0)
    assert wsj["tpu"].iloc[0] == pytest.approx(200.0) and wsj["tpu"].iloc[2] == pytest.approx(0.0)


def test_undated_articles_are_left_out_and_all_undated_gives_empty_frame():
    t = table([
        ("a", "2025-10-01T12:00:00Z", "WSJ", True, 0.2, True, 0, 0, 0, np.nan),
        ("b", None, "WSJ", True, 0.2, True, 0, 0, 0, np.nan),
    ])
    assert corpus_index(t, freq="D")["n_articles"].tolist() == [1]
    empty = corpus_index(t.iloc[1:], freq="W", by="source")
    assert len(empty) == 0 and list(empty.columns) == ["period", "source"] + INDEX_COLUMNS[1:]
    assert empty["n_articles"].dtype.kind == "i"


def test_minimal_table_and_bad_arguments():
    t = pd.DataFrame({"article_id": ["a"], "published": ts(["2025-10-01"]), "trade_relevant": [True]})
    out = corpus_index(t, freq="M")
    assert out["n_relevant"].tolist() == [1] and out["n_tpu"].tolist() == [0]
    with pytest.raises(InputError):
        corpus_index(t, freq="Q")
    with pytest.raises(InputError):
        corpus_index(t, by="author")
    with pytest.raises(InputError):
        corpus_index(t, by="side")  # no side rows
    with pytest.raises(InputError):
        corpus_index(t.drop(columns="trade_relevant"))
    with pytest.raises(InputError):
        corpus_index(pd.concat([t, t]))  # an article twice


# ---- corpus_table + by="side" -------------------------------------------------------------------


@pytest.fixture()
def merged():
    articles = pd.DataFrame({
        "article_id": ["x1", "x2", "x3"],
        "source": ["WSJ", "WSJ", "Reuters"],
        "published": ts(["2025-10-13T08:00:00Z", "2025-10-14T23:30:00-05:00", None]),
        "headline": ["", "", ""], "dek": ["", "", ""], "body": ["", "", ""],
    })
    relevance = pd.DataFrame({"article_id": ["x1", "x2", "x3"], "trade_score": [1.0, -1.0, 2.0],
                              "trade_relevant": [True, False, True]})
    article_tone = pd.DataFrame({"article_id": ["x1", "x2", "x3"], "tone": [-0.2, 0.3, 0.0],
                                 "uncertainty": [0.02, 0.0, 0.01]})
    stance = pd.DataFrame({
        "article_id": ["x1"] * 4 + ["x2"] * 2,
        "sent_idx": [0, 1, 2, 3, 0, 1],
        "stance": ["escalation", "de-escalation", "escalation", "neutral", "mixed", "escalation"],
        "stance_score": [0.8, -0.6, 0.4, 0.0, 0.1, 0.9],
        "side": ["China", "US", "China", "none", "both", "US"],
    })
    return articles, relevance, article_tone, stance


def test_corpus_table_rows(merged):
    articles, relevance, article_tone, stance = merged
    t = corpus_table(articles, relevance=relevance, article_tone=article_tone, stance=stance)
    assert list(t.columns) == TABLE_COLUMNS
    alls = t[t["side"] == "all"].set_index("article_id")
    assert alls.index.tolist() == ["x1", "x2", "x3"]
    assert alls.loc["x1", ["n_sentences", "n_escalation", "n_de_escalation", "n_mixed"]].tolist() == [4, 2, 1, 0]
    assert alls.loc["x1", "stance_score"] == pytest.approx(0.15)
    assert alls.loc["x3", "n_sentences"] == 0 and math.isnan(alls.loc["x3", "stance_score"])
    assert alls["uses_uncertainty"].tolist() == [True, False, True]
    assert alls.loc["x2", "published"] == pd.Timestamp("2025-10-15T04:30:00Z")
    sides = t[t["side"] != "all"]
    assert list(zip(sides["article_id"], sides["side"])) == [
        ("x1", "China"), ("x1", "US"), ("x1", "none"), ("x2", "US"), ("x2", "both")]
    china = sides[(sides["article_id"] == "x1") & (sides["side"] == "China")].iloc[0]
    assert (china["n_sentences"], china["n_escalation"], china["stance_score"]) == (2, 2, pytest.approx(0.6))
    assert bool(china["trade_relevant"]) and china["tone"] == pytest.approx(-0.2)


def test_corpus_index_by_side(merged):
    articles, relevance, article_tone, stance = merged
    t = corpus_table(articles, relevance=relevance, article_tone=article_tone, stance=stance)
    out = corpus_index(t, freq="D", by="side")
    assert sorted(out["side"].unique()) == ["China", "US", "both", "none"]
    assert sorted(out["period"].unique()) == list(pd.to_datetime(["2025-10-13", "2025-10-14", "2025-10-15"],
                                                                  utc=True))
    day1 = out[out["period"] == pd.Timestamp("2025-10-13", tz="UTC")].set_index("side")
    assert day1.loc["China", "escalation_index"] == pytest.approx(1.0)
    assert day1.loc["US", "escalation_index"] == pytest.approx(-1.0)
    assert day1.loc["US", "mean_stance_score"] == pytest.approx(-0.6)
    # x2 (15 Oct UTC) is not relevant: US counts the article but none of its sentences
    day3 = out[out["period"] == pd.Timestamp("2025-10-15", tz="UTC")].set_index("side")
    assert day3.loc["US", "n_articles"] == 1 and day3.loc["US", "n_sentences"] == 0
    assert day3.loc["China", "n_articles"] == 0
    overall = corpus_index(t, freq="W")
    assert overall["n_articles"].tolist() == [2]  # x3 has no date
    assert overall["escalation_index"].tolist() == [pytest.approx(0.25)]  # x1: (2 - 1) / 4


def test_corpus_table_fallbacks(merged):
    articles, relevance, _, stance = merged
    articles = articles.assign(body=["Talks stalled amid uncertainty.", "All clear.", ""])
    mentions = pd.DataFrame({"article_id": ["x1", "x1", "x2"], "sent_idx": [0, 0, 1],
                             "actor": ["Trump", "Xi", "Trump"], "side": ["US", "China", "US"]})
    sentence_tone = pd.DataFrame({"article_id": ["x1", "x1", "x2"], "sent_idx": [0, 1, 0],
                                  "tone": [0.2, 0.4, -0.1]})
    t = corpus_table(articles, relevance=relevance, stance=stance.drop(columns="side"),
                     mentions=mentions, tone=sentence_tone)
    alls = t[t["side"] == "all"].set_index("article_id")
    assert alls.loc["x1", "tone"] == pytest.approx(0.3)
    assert math.isnan(alls.loc["x3", "tone"])
    assert alls["uses_uncertainty"].tolist() == [True, False, False]  # word list on the text
    pairs = set(zip(t["article_id"], t["side"])) - {("x1", "all"), ("x2", "all"), ("x3", "all")}
    assert pairs == {("x1", "both"), ("x1", "none"), ("x2", "none"), ("x2", "US")}


def test_corpus_table_rejects_bad_input(merged):
    articles, relevance, article_tone, stance = merged
    with pytest.raises(InputError):
        corpus_table(articles.drop(columns="published"), relevance=relevance)
    with pytest.raises(InputError):
        corpus_table(articles, relevance=relevance.drop(columns="trade_relevant"))
    with pytest.raises(InputError):
        corpus_table(pd.concat([articles, articles]), relevance=relevance)
    with pytest.raises(InputError):
        corpus_table(articles, relevance=relevance, article_tone=pd.concat([article_tone, article_tone]))
    with pytest.raises(InputError):
        corpus_table(articles, relevance=relevance, stance=stance.drop(columns="stance_score"))


@pytest.mark.parametrize("by", [None, "source"])
def test_empty_and_full_results_share_dtypes(by):
    t = table([("a", "2025-10-01T12:00:00Z", "WSJ", True, 0.2, True, 2, 1, 0, 0.5),
               ("b", None, "WSJ", True, 0.2, True, 0, 0, 0, np.nan)])
    full, empty = corpus_index(t, freq="W", by=by), corpus_index(t.iloc[1:], freq="W", by=by)
    assert len(full) == 1 and len(empty) == 0
    assert full.dtypes.to_dict() == empty.dtypes.to_dict()
    assert str(full["period"].dtype) == "datetime64[ns, UTC]"


def test_missing_source_is_its_own_group():
    t = table([("a", "2025-10-01T12:00:00Z", None, True, 0.2, True, 0, 0, 0, np.nan),
               ("b", "2025-10-01T13:00:00Z", "WSJ", False, 0.2, False, 0, 0, 0, np.nan)])
    out = corpus_index(t, freq="D", by="source")
    assert out["source"].tolist() == ["", "WSJ"] and out["n_articles"].tolist() == [1, 1]

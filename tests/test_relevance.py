"""trade_relevance: the keyword rule, the shipped JSON model and its numpy scorer."""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pandas as pd
import pytest
from conftest import REUTERS, needs_reuters

from tradelib.errors import DataFileError, InputError
from tradelib.relevance import (
    MODEL_FORMAT,
    RELEVANCE_COLUMNS,
    keyword_rule,
    keyword_scores,
    load_model,
    model_scores,
    parse_model,
    term_pattern,
    trade_relevance,
)


def arts(*bodies: str, headline: str = "", dek: str | None = "") -> pd.DataFrame:
    data = {"article_id": [f"a{i}" for i in range(len(bodies))], "headline": [headline] * len(bodies),
            "body": list(bodies)}
    if dek is not None:
        data["dek"] = [dek] * len(bodies)
    return pd.DataFrame(data)


# ---- keyword rule -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hits"),
    [
        ("Tokyo imposed a tariff.", 1),
        ("New TARIFFS were announced.", 1),  # case, plural
        ("The anti-dumping case; an antidumping duty; anti dumping rules.", 3),  # hyphen variants, once each
        ("Talks under the General Agreement on Tariffs and Trade resumed.", 1),  # longest term, counted once
        ("The GATT and the WTO met; the trade war goes on.", 3),
        ("Export controls on chips and a Section 301 probe.", 2),
        ("The tariffed goods", 0),  # whole words only
        ("Gatton Street traders and a wartime trade", 0),
        ("Coffee export quotas were agreed.", 0),  # commodity quotas are left out on purpose
        ("", 0),
    ],
)
def test_keyword_hits(text, hits):
    assert keyword_scores([text])[0] == hits


def test_keyword_cut_and_threshold_override():
    cut = keyword_rule()["cut"]
    below = " ".join(["a tariff."] * (cut - 1)) or "nothing here"
    at_cut = " ".join(["a tariff."] * cut)
    out = trade_relevance(arts(below, at_cut), method="keywords")
    assert out["trade_score"].tolist() == [cut - 1, cut]
    assert out["trade_relevant"].tolist() == [False, True]
    assert trade_relevance(arts(below), method="keywords", threshold=0.5)["trade_relevant"].tolist() == [
        cut - 1 >= 0.5]


def test_keyword_text_includes_headline_and_dek():
    out = trade_relevance(arts("Shares rose.", headline="Trade war looms", dek="Tariffs are coming"),
                          method="keywords")
    assert out["trade_score"].tolist() == [2.0]


def test_term_pattern_rejects_empty_list():
    with pytest.raises(DataFileError):
        term_pattern(["", "  "])


# ---- shipped model ------------------------------------------------------------------------------


def test_shipped_model_file_is_consistent_and_small():
    path = resources.files("tradelib") / "data" / "relevance_model.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["format"] == MODEL_FORMAT
    assert len(raw["vocabulary"]) == len(raw["idf"]) == len(raw["coef"]) == len(set(raw["vocabulary"]))
    assert len(path.read_bytes()) < 2_000_000
    prov = raw["provenance"]
    assert prov["n_train"] > 7000 and prov["test"]["n_test_positive"] == 117
    assert "KFold" in prov["cv"] and "training split only" in prov["cv"]
    assert np.all(np.asarray(raw["idf"]) >= 1.0)


@pytest.mark.parametrize("method", ["model", "keywords"])
def test_seed_article_is_relevant(seed_articles, method):
    out = trade_relevance(seed_articles, method=method)
    assert list(out.columns) == RELEVANCE_COLUMNS
    assert out["trade_relevant"].tolist() == [True]


@pytest.mark.parametrize("method", ["model", "keywords"])
def test_unrelated_articles_are_not_relevant(method):
    out = trade_relevance(arts(
        "Acme Corp said first-quarter net profit rose to 12 mln dlrs, or 40 cts a share, from 9 mln dlrs "
        "a year earlier. Revenues were 130 mln dlrs against 110 mln.",
        "The city council approved a new football stadium on Tuesday. Construction starts next spring.",
        headline="ACME CORP 1ST QTR NET"), method=method)
    assert out["trade_relevant"].tolist() == [False, False]


def test_model_ranks_trade_story_above_unrelated_one():
    out = trade_relevance(arts(
        "Washington threatened new tariffs on Japanese semiconductors over the trade deficit, and "
        "Tokyo warned of retaliation as trade talks stalled.",
        "Acme Corp said first-quarter net profit rose to 12 mln dlrs."))
    assert out["trade_score"].iloc[0] > out["trade_score"].iloc[1]
    assert out["trade_relevant"].tolist() == [True, False]


def test_missing_dek_empty_table_and_bad_input():
    assert trade_relevance(arts("Tariffs rose.", dek=None))["article_id"].tolist() == ["a0"]
    empty = trade_relevance(arts())
    assert list(empty.columns) == RELEVANCE_COLUMNS and len(empty) == 0
    no_text = trade_relevance(arts(""))
    assert no_text["trade_score"].iloc[0] == pytest.approx(load_model()["intercept"])
    with pytest.raises(InputError):
        trade_relevance(arts("x"), method="svm")
    with pytest.raises(InputError):
        trade_relevance(pd.DataFrame({"article_id": ["a"], "body": ["x"]}))
    with pytest.raises(InputError):
        trade_relevance(["tariff"])
    with pytest.raises(InputError):
        trade_relevance(arts("x"), threshold="high")


# ---- numpy scorer == scikit-learn ---------------------------------------------------------------

TOY = [
    "Tariffs on steel imports rose as the trade war widened.",
    "Trade talks between Washington and Tokyo resumed; tariffs may be cut.",
    "The company reported higher quarterly profit and raised its dividend.",
    "Profit fell at the bank as loan losses mounted.",
    "Export controls and anti-dumping duties hit chip makers; trade trade trade.",
    "Oil prices rose after OPEC cut output quotas.",
    "Café owners in Zürich said prices were stable.",
    "",
]
LABELS = [1, 1, 0, 0, 1, 0, 0, 0]


@pytest.mark.parametrize(
    ("ngram_range", "sublinear", "max_features"),
    [((1, 1), False, None), ((1, 2), True, None), ((1, 2), True, 20), ((1, 3), False, 40)],
)
def test_numpy_scorer_reproduces_sklearn(ngram_range, sublinear, max_features):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    vec = TfidfVectorizer(ngram_range=ngram_range, sublinear_tf=sublinear, max_features=max_features)
    X = vec.fit_transform(TOY)
    svc = LinearSVC(random_state=0).fit(X, LABELS)
    raw = {
        "format": MODEL_FORMAT,
        "preprocessing": {"ngram_range": list(ngram_range), "title_weight": 1, "sublinear_tf": sublinear,
                          "lowercase": True, "token_pattern": vec.token_pattern},
        "vocabulary": list(vec.get_feature_names_out())[::-1],  # order of the arrays must not matter
        "idf": list(vec.idf_)[::-1],
        "coef": list(svc.coef_[0])[::-1],
        "intercept": float(svc.intercept_[0]),
        "threshold": 0.0,
    }
    model = parse_model(json.loads(json.dumps(raw)))
    new = TOY + ["Steel tariffs, steel tariffs and more steel TARIFFS!", "nothing known here"]
    np.testing.assert_allclose(model_scores(new, model), svc.decision_function(vec.transform(new)),
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    "breakage",
    [
        lambda m: m.update(format="pickle"),
        lambda m: m.pop("idf"),
        lambda m: m.update(coef=m["coef"][:-1]),
        lambda m: m.update(vocabulary=["x"] * len(m["vocabulary"])),
        lambda m: m["preprocessing"].pop("ngram_range"),
    ],
)
def test_broken_model_is_a_data_file_error(breakage):
    raw = {"format": MODEL_FORMAT,
           "preprocessing": {"ngram_range": [1, 1], "title_weight": 1, "sublinear_tf": True},
           "vocabulary": ["tariff", "trade"], "idf": [1.5, 1.2], "coef": [0.9, 0.4],
           "intercept": -0.1, "threshold": 0.0}
    parse_model(raw)
    breakage(raw)
    with pytest.raises(DataFileError):
        parse_model(raw)


# ---- Reuters ModApte ----------------------------------------------------------------------------


@needs_reuters
@pytest.mark.slow
def test_evaluate_relevance_on_modapte():
    from tradelib.evaluate import evaluate_relevance

    out = evaluate_relevance(REUTERS).set_index("method")
    assert out["n_test"].tolist() == [3019, 3019] and out["n_positive"].tolist() == [117, 117]
    # the shipped model beats the keyword rule and the TF-IDF + LinearSVC baseline (0.789)
    assert out.loc["model", "f1"] > max(out.loc["keywords", "f1"], 0.789)
    assert out.loc["keywords", "f1"] > 0.634  # the plain keyword rule
    for col in ("precision", "recall", "f1"):
        assert out[col].between(0, 1).all()

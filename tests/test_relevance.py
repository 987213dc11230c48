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


@pytest.mark.parametrize("text", [
    "New TARIFFS, Tariffs and tariff-rate quotas; ANTI-DUMPING and Anti Dumping duties under GATT/WTO rules.",
    "Les droits de douane: Zölle and import duties on café exports; an EXPORT‐CONTROL rule.",  # non-ASCII path
    "Section 301 trade-war trade war tradewar; Voluntary Restraint Agreements and the Trade Representative",
    "",
])
def test_fast_counters_count_what_the_patterns_match(text):
    rule = keyword_rule()
    patterns = list(rule["groups"].values()) + [rule["pattern"]]
    assert [c.count(text) for c in rule["counters"]] == [len(p.findall(text)) for p in patterns]
    assert sum(c.count(text) for c in rule["counters"][:-1]) >= 1 or text == ""


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
    for block in raw["blocks"]:
        assert len(block["vocabulary"]) == len(block["idf"]) == len(block["coef"]) == len(set(block["vocabulary"]))
        assert np.all(np.asarray(block["idf"]) >= 1.0)
    assert len(path.read_bytes()) < 1_600_000
    prov = raw["provenance"]
    assert prov["n_train"] > 7000 and prov["test"]["n_test_positive"] == 117
    assert "KFold" in prov["cv"] and "training split only" in prov["cv"]
    assert [p["protocol"] for p in prov["protocols_evaluated_on_test"]] == [1, 2, 3, 4]


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
TOY_HEADS = ["Steel tariffs rise", "Trade talks resume", "Profit up", "", "Chip export controls", "Oil up",
             "Zürich cafés", ""]
LABELS = [1, 1, 0, 0, 1, 0, 0, 0]


def _toy_model(ngram_range, sublinear, stop, token, kw_weight):
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    from tradelib.relevance import keyword_feature_names, keyword_features, model_text

    texts = [model_text(h, "", b) for h, b in zip(TOY_HEADS, TOY)]
    opts = {"ngram_range": ngram_range, "sublinear_tf": sublinear, "stop_words": stop, "token_pattern": token}
    body, head = TfidfVectorizer(**opts).fit(texts), TfidfVectorizer(**opts).fit(TOY_HEADS)

    def features(heads, txts):
        blocks = [body.transform(txts), head.transform(heads)]
        if kw_weight:
            blocks.append(sp.csr_matrix(kw_weight * keyword_features(heads, txts)))
        return sp.hstack(blocks).tocsr()

    svc = LinearSVC(random_state=0).fit(features(TOY_HEADS, texts), LABELS)
    coef, nb, nh = svc.coef_[0], len(body.vocabulary_), len(head.vocabulary_)
    blocks = []
    for field, vec, part in (("text", body, coef[:nb]), ("headline", head, coef[nb:nb + nh])):
        blocks.append({"field": field, "ngram_range": list(ngram_range), "sublinear_tf": sublinear,
                       "lowercase": True, "token_pattern": token, "stop_words": sorted(stop) if stop else None,
                       "vocabulary": list(vec.get_feature_names_out())[::-1],  # array order must not matter
                       "idf": list(vec.idf_)[::-1], "coef": list(part)[::-1]})
    raw = {"format": MODEL_FORMAT, "blocks": blocks, "intercept": float(svc.intercept_[0]), "threshold": 0.0,
           "keyword_features": ({"names": keyword_feature_names(), "coef": list(kw_weight * coef[nb + nh:])}
                                if kw_weight else None)}
    return parse_model(json.loads(json.dumps(raw))), svc, features


@pytest.mark.parametrize(
    ("ngram_range", "sublinear", "stop", "token", "kw_weight"),
    [((1, 1), False, None, r"(?u)\b\w\w+\b", 0), ((1, 2), True, None, r"(?u)\b\w\w+\b", 0.5),
     ((1, 2), True, ["the", "and", "on", "of"], r"(?u)\b[^\W\d_]\w+\b", 1.0),
     ((1, 3), False, ["trade"], r"(?u)\b\w\w+\b", 0.3)],
)
def test_numpy_scorer_reproduces_sklearn(ngram_range, sublinear, stop, token, kw_weight):
    from tradelib.relevance import model_text

    model, svc, features = _toy_model(ngram_range, sublinear, stop, token, kw_weight)
    heads = TOY_HEADS + ["Steel TARIFFS", "", "The trade war"]
    bodies = TOY + ["Steel tariffs, steel tariffs and more steel TARIFFS! 25% in 2018", "nothing known here",
                    "of the and on"]
    texts = [model_text(h, "", b) for h, b in zip(heads, bodies)]
    np.testing.assert_allclose(model_scores(heads, texts, model), svc.decision_function(features(heads, texts)),
                               rtol=0, atol=1e-12)


def _raw_v2():
    from tradelib.relevance import keyword_feature_names

    names = keyword_feature_names()
    return {"format": MODEL_FORMAT,
            "blocks": [{"field": "text", "ngram_range": [1, 1], "sublinear_tf": True,
                        "vocabulary": ["tariff", "trade"], "idf": [1.5, 1.2], "coef": [0.9, 0.4]}],
            "keyword_features": {"names": names, "coef": [0.1] * len(names)},
            "intercept": -0.1, "threshold": 0.0}


@pytest.mark.parametrize(
    "breakage",
    [
        lambda m: m.update(format="tradelib-linear-tfidf/1"),
        lambda m: m.update(blocks=[]),
        lambda m: m["blocks"][0].pop("idf"),
        lambda m: m["blocks"][0].update(coef=[0.9]),
        lambda m: m["blocks"][0].update(vocabulary=["x", "x"]),
        lambda m: m["blocks"][0].update(field="dek"),
        lambda m: m["blocks"][0].pop("ngram_range"),
        lambda m: m["keyword_features"].update(names=["terms:other"]),
        lambda m: m["keyword_features"].update(coef=[0.1]),
        lambda m: m.pop("intercept"),
    ],
)
def test_broken_model_is_a_data_file_error(breakage):
    raw = _raw_v2()
    parse_model(raw)
    breakage(raw)
    with pytest.raises(DataFileError):
        parse_model(raw)


def test_keyword_features_count_groups_and_headline():
    from tradelib.relevance import keyword_feature_names, keyword_features

    names = keyword_feature_names()
    assert names[-1] == "headline:all_terms" and len(names) == len(keyword_rule()["groups"]) + 1
    feats = keyword_features(["Tariffs rise", "Profit up"], ["Tariffs rise\n\nA tariff and a trade war.", "x"])
    row = dict(zip(names, feats[0]))
    assert row["terms:instruments"] == pytest.approx(np.log(3))  # "Tariffs", "tariff" -> 2 -> log1p
    assert row["terms:disputes"] == pytest.approx(np.log(2))
    assert row["headline:all_terms"] == pytest.approx(np.log(2))
    assert np.all(feats[1] == 0)


# ---- modern trade-war news (tests/data/corpus, 2018 stories written for the tests) ---------------

CORPUS_TRADE_STORIES = [
    "Washington weighs new export controls on chip equipment",
    "U.S. to impose steel and aluminum tariffs, Trump says",
    "Beijing targets U.S. pork and fruit in tit-for-tat move",
    "China hits back with tariffs on soybeans, cars and planes",
    "U.S. and China agree to put trade war on hold",
    "U.S. tariffs on $34 billion of Chinese goods take effect",
]


@pytest.fixture(scope="module")
def corpus_articles():
    from conftest import TEST_DATA

    import tradelib

    return tradelib.load_articles(TEST_DATA / "corpus").articles


@pytest.mark.parametrize("method", ["model", "keywords"])
@pytest.mark.parametrize("headline", CORPUS_TRADE_STORIES)
def test_modern_trade_war_stories_are_relevant(corpus_articles, method, headline):
    row = corpus_articles[corpus_articles["headline"] == headline]
    assert len(row) == 1
    assert trade_relevance(row, method=method)["trade_relevant"].tolist() == [True]


def test_seed_is_relevant_with_a_margin(seed_articles):
    model = load_model()
    score = trade_relevance(seed_articles)["trade_score"].iloc[0]
    assert score >= model["threshold"] + 0.25
    assert trade_relevance(seed_articles, method="keywords")["trade_score"].iloc[0] >= 2 * keyword_rule()["cut"]


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

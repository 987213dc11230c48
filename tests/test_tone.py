"""tradelib.score_tone / article_tone: API contract, VADER parity, word lists, LM, trade sense."""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, TEST_DATA

import tradelib
from tradelib import _tone_embed, _tone_features
from tradelib.errors import DataFileError, InputError
from tradelib.tone import (
    BASE_COLUMNS,
    KEY_COLUMNS,
    LM_COLUMNS,
    article_tone,
    score_tone,
)

LM_FIXTURE = TEST_DATA / "lm_fixture.csv"
needs_st = pytest.mark.skipif(not _tone_embed.available(),
                              reason="sentence-transformers is not installed (pip install 'tradelib[embeddings]')")


@pytest.fixture(autouse=True)
def _no_lm_env(monkeypatch):
    monkeypatch.delenv("TRADELIB_LM_DICTIONARY", raising=False)


def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


# ---- API contract -------------------------------------------------------------

def test_sequence_input_one_row_per_string_in_order():
    texts = ["Talks collapsed and markets fell.", "The deal is a great success!", "", "Exports rose 3 percent."]
    out = score_tone(texts)
    assert list(out.columns) == BASE_COLUMNS
    assert len(out) == len(texts)
    assert out.loc[0, "tone"] < out.loc[1, "tone"]
    assert math.isnan(out.loc[2, "tone"]) and math.isnan(out.loc[2, "uncertainty"])
    assert out["tone"].dropna().between(-1, 1).all()
    # each row is the string's own score, whatever its neighbours
    for i, t in enumerate(texts):
        pd.testing.assert_series_equal(score_tone([t]).iloc[0], out.iloc[i], check_names=False)


def test_table_input_keeps_keys_and_row_order(seed_sentences):
    shuffled = seed_sentences.sample(frac=1.0, random_state=0)
    out = score_tone(shuffled)
    assert list(out.columns) == KEY_COLUMNS + BASE_COLUMNS
    assert out["sent_idx"].tolist() == shuffled["sent_idx"].tolist()
    again = score_tone(shuffled["text"].tolist())
    np.testing.assert_allclose(out["tone"], again["tone"])


def test_series_and_tuple_inputs_and_empty():
    s = pd.Series(["Prices rose.", "Prices fell."], index=[10, 3])
    assert score_tone(s)["vader_compound"].tolist() == score_tone(list(s))["vader_compound"].tolist()
    assert len(score_tone(("a",))) == 1
    empty = score_tone([])
    assert list(empty.columns) == BASE_COLUMNS and len(empty) == 0


@pytest.mark.parametrize("bad", ["a single string", 42, None, [1, 2]])
def test_bad_inputs_raise_input_error(bad):
    with pytest.raises(InputError):
        score_tone(bad)


def test_table_without_text_and_unknown_model():
    with pytest.raises(InputError):
        score_tone(pd.DataFrame({"article_id": ["a"]}))
    with pytest.raises(InputError):
        score_tone(["x"], model="bert")


def test_deterministic():
    texts = ["Beijing threatened retaliation.", "Officials hope for a deal."]
    pd.testing.assert_frame_equal(score_tone(texts), score_tone(texts))


# ---- VADER ----------------------------------------------------------------------

@pytest.mark.parametrize("text, compound", [
    # published in vaderSentiment's README
    ("VADER is smart, handsome, and funny.", 0.8316),
    ("VADER is VERY SMART, handsome, and FUNNY!!!", 0.9342),
    ("The book was kind of good.", 0.3832),
    ("At least it isn't a horrible book.", 0.431),
    ("Today SUX!", -0.5461),
])
def test_known_vader_scores(text, compound):
    assert score_tone([text]).loc[0, "vader_compound"] == pytest.approx(compound, abs=1e-4)


@pytest.mark.parametrize("text", [
    "He didn't like the crude deal, but shares rose.", "Not bad at all!!", "The plan is kind of bad",
    "I love it \U0001F600 so much", "NEVER so good, without doubt", "At least it was not the least bad option",
    "It was not very good and, frankly, sort of awful??", "   ", "GOOD GOOD bad",
    # VADER's idiom, "no", "least" and all-caps booster rules (copied in tradelib._tone_features._valence_fn)
    "That party was the bomb", "It was the kiss of death for the deal", "The yeah right good plan",
    "No good news today", "no problems or worries", "It is the least good plan", "not the least good plan",
    "It was VERY good but EXTREMELY bad", "just enough good", "no no good", "The bus stop was nice",
])
def test_vader_columns_equal_polarity_scores(text):
    want = _vader().polarity_scores(text)
    got = score_tone([text]).iloc[0]
    assert (got.vader_compound, got.vader_pos, got.vader_neg, got.vader_neu) == (
        want["compound"], want["pos"], want["neg"], want["neu"])


def test_batch_scoring_equals_per_sentence_model_and_rows():
    """score_tone scores distinct texts in one batch; each row equals the per-sentence formula and its own run."""
    from tradelib._tone_model import load_model

    texts = ["Exports did not rise, not at all.", "Crude oil prices rose sharply.", "", "Talks went well well well.",
             "Exports did not rise, not at all.", "The outlook is uncertain and risks may rise.", "!!!",
             "No deal, no tariffs, no good news but great hopes."]
    batch = score_tone(texts)
    model = load_model("default")
    for i, t in enumerate(texts):
        p = _tone_features.parse(t)
        want = min(1.0, max(-1.0, model.linear_part(p))) if p.words else math.nan
        assert batch.loc[i, "tone"] == pytest.approx(want, abs=1e-12, nan_ok=True)
        pd.testing.assert_series_equal(batch.iloc[i], score_tone([t]).iloc[0], check_names=False, atol=1e-12)


def test_vader_lexicon_read_offline_from_installed_package(monkeypatch):
    import vaderSentiment

    an = _tone_features.analyzer()
    assert len(an.lexicon) > 7000
    assert Path(vaderSentiment.__file__).parent.joinpath("vader_lexicon.txt").is_file()

    def no_network(*a, **k):
        raise AssertionError("network access while scoring tone")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    _tone_features.clear_caches()
    assert score_tone(["A fresh sentence about soybeans."]).notna().all(axis=None)


# ---- word lists and GDELT ---------------------------------------------------------

def test_uncertainty_and_hedging_shares():
    out = score_tone(["The outlook is uncertain and risks may rise.", "Exports rose."]).iloc[0]
    # words: the outlook is uncertain and risks may rise -> 8
    assert out.uncertainty == pytest.approx(2 / 8)
    assert out.hedging == pytest.approx(1 / 8)
    assert score_tone(["Exports rose."]).loc[0, "uncertainty"] == 0


def test_word_lists_are_lower_case_and_disjoint():
    unc = _tone_features.word_list("uncertainty.txt")
    hed = _tone_features.word_list("hedging.txt")
    assert {"uncertain", "unclear", "risk"} <= unc and {"may", "might", "could", "possibly"} <= hed
    assert all(w == w.lower() for w in unc | hed)
    assert not unc & hed


def test_gdelt_tone_and_polarity():
    lex = _tone_features.analyzer().lexicon
    text = "A good deal, a bad deal and a terrible day."
    words = ["a", "good", "deal", "a", "bad", "deal", "and", "a", "terrible", "day"]
    pos = sum(1 for w in words if lex.get(w, 0) > 0)
    neg = sum(1 for w in words if lex.get(w, 0) < 0)
    assert pos >= 1 and neg >= 2
    out = score_tone([text]).iloc[0]
    assert out.gdelt_tone == pytest.approx(100 * (pos - neg) / len(words))
    assert out.gdelt_polarity == pytest.approx(100 * (pos + neg) / len(words))


def test_gdelt_ignores_trade_sense_words():
    out = score_tone(["Crude shares gross interest."]).iloc[0]
    assert out.gdelt_polarity == 0 and out.vader_compound != 0


# ---- Loughran-McDonald ------------------------------------------------------------

def test_lm_columns_from_fixture():
    out = score_tone(["The lawsuit required an obligation despite the gain.", "Tariff talk."],
                     lm_dictionary=LM_FIXTURE)
    assert list(out.columns) == BASE_COLUMNS + LM_COLUMNS
    row = out.iloc[0]  # 8 words
    assert row.lm_litigious == pytest.approx(2 / 8)
    assert row.lm_constraining == pytest.approx(2 / 8)
    assert row.lm_positive == pytest.approx(1 / 8)
    assert row.lm_negative == 0 and row.lm_uncertainty == 0
    assert (out.iloc[1][LM_COLUMNS] == 0).all()


def test_lm_removed_words_and_env_variable(monkeypatch):
    assert "retired" not in _tone_features.lm_dictionary(LM_FIXTURE.resolve())["negative"]
    monkeypatch.setenv("TRADELIB_LM_DICTIONARY", str(LM_FIXTURE))
    out = score_tone(["Prices decline, maybe."])
    assert out.loc[0, "lm_negative"] == pytest.approx(1 / 3) and out.loc[0, "lm_uncertainty"] == pytest.approx(1 / 3)


def test_lm_broken_files(tmp_path):
    with pytest.raises(DataFileError):
        score_tone(["x"], lm_dictionary=tmp_path / "absent.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("Word,Positive\nGAIN,2009\n")
    with pytest.raises(DataFileError):
        score_tone(["x"], lm_dictionary=bad)


# ---- trade sense ----------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Crude oil prices rose.",
    "Interest rates were unchanged.",
    "Gross domestic product grew 2 percent in the quarter.",
    "The company's shares were unchanged.",
])
def test_trade_sense_words_do_not_fool_tone(text):
    out = score_tone([text]).iloc[0]
    assert abs(out.vader_compound) > 0.25  # VADER is fooled
    assert abs(out.tone) < 0.2
    assert abs(out.tone) < abs(out.vader_compound) - 0.2


def test_shares_fell_is_not_positive_and_trump_is_neutral():
    out = score_tone(["Shares fell.", "President Trump said on Tuesday.", "Trump trumps everyone."])
    assert out.loc[0, "vader_compound"] > 0 and out.loc[0, "tone"] <= 0.05
    assert abs(out.loc[1, "tone"]) < 0.15
    assert abs(out.loc[2, "tone"]) < 0.2


@pytest.mark.parametrize("neg, pos", [
    ("The war killed thousands of people.", "The celebration was wonderful."),
    ("Talks collapsed amid bitter recriminations.", "Both sides welcomed the constructive talks."),
    ("The tariffs devastated farmers.", "The agreement helped farmers."),
])
def test_tone_orders_clear_cases(neg, pos):
    out = score_tone([neg, pos])
    assert out.loc[0, "tone"] < -0.1 < 0.1 < out.loc[1, "tone"]


def test_negation_flips_tone():
    out = score_tone(["The talks were a success.", "The talks were not a success."])
    assert out.loc[1, "tone"] < out.loc[0, "tone"]


# ---- article_tone -----------------------------------------------------------------

def test_article_tone_on_seed(seed_articles, seed_sentences):
    tone = score_tone(seed_sentences)
    at = article_tone(seed_articles, seed_sentences, tone)
    assert len(at) == len(seed_articles) == 1
    row = at.iloc[0]
    assert row.n_sentences == len(seed_sentences)
    body = tone[tone["section"] == "body"]
    assert row.n_body_sentences == len(body)
    assert row.tone == pytest.approx(tone["tone"].mean())
    assert row.tone_body == pytest.approx(body["tone"].mean())
    w = seed_sentences.set_index("sent_idx")["text"].str.split().str.len()
    t = tone.set_index("sent_idx")["tone"]
    assert row.tone_words == pytest.approx((t * w).sum() / w.sum())
    assert row.n_negative == (tone["tone"] < -0.05).sum() and row.n_positive == (tone["tone"] > 0.05).sum()
    assert row.share_negative == pytest.approx(row.n_negative / len(tone))
    pd.testing.assert_frame_equal(at, article_tone(seed_articles, seed_sentences))


def test_article_without_sentences_still_appears():
    articles = pd.DataFrame({"article_id": ["a1", "empty", "a2"]})
    sentences = pd.DataFrame({
        "article_id": ["a1", "a1", "a2"], "section": ["headline", "body", "body"], "para_idx": [-2, 0, 0],
        "sent_idx": [0, 1, 0], "start": [0, 0, 0], "end": [1, 1, 1],
        "text": ["Deal collapses", "Markets fell sharply and investors panicked.", "A great, welcome agreement."],
    })
    at = article_tone(articles, sentences)
    assert at["article_id"].tolist() == ["a1", "empty", "a2"]
    empty = at.set_index("article_id").loc["empty"]
    assert empty.n_sentences == 0 and empty.n_negative == 0 and empty.n_positive == 0
    assert math.isnan(empty.tone) and math.isnan(empty.share_negative) and math.isnan(empty.uncertainty_words)
    a1 = at.set_index("article_id").loc["a1"]
    assert a1.n_body_sentences == 1 and not math.isnan(a1.tone_headline)
    assert at["n_sentences"].dtype.kind == "i"


def test_article_tone_errors():
    with pytest.raises(InputError):
        article_tone(pd.DataFrame({"x": [1]}), pd.DataFrame())
    with pytest.raises(InputError):
        article_tone(pd.DataFrame({"article_id": ["a"]}), pd.DataFrame({"article_id": ["a"]}))


# ---- default model and the optional embeddings model ------------------------------

def test_default_model_does_not_import_torch():
    code = ("import sys, tradelib; tradelib.score_tone(['Exports rose.']); "
            "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules")
    env = {**os.environ, "TRADELIB_LM_DICTIONARY": ""}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env, timeout=120)


def test_public_names():
    assert tradelib.score_tone is score_tone and tradelib.article_tone is article_tone


def test_broken_model_file_is_a_data_file_error():
    from tradelib._tone_model import ToneModel

    with pytest.raises(DataFileError):
        ToneModel({"format": "something-else"}, source="x.json")
    with pytest.raises(DataFileError):
        ToneModel({"format": "tradelib-tone-linear/1", "name": "x"}, source="x.json")


def test_transfer_heads_fold_into_the_json_embedding_coefficients():
    from tradelib._tone_model import ToneModel, ToneRegressor

    rng = np.random.default_rng(3)
    words = ["tariffs", "rose", "fell", "good", "bad", "talks", "failed", "helped", "exports", "sharply"]
    texts = [" ".join(rng.choice(words, size=5)) + f" {i}." for i in range(60)]
    vec = {t: rng.normal(size=6) for t in texts}

    def embed(batch):
        return np.array([vec[t] for t in batch])

    y = rng.uniform(-1, 1, size=60)
    aux = [None] * 30 + ["a"] * 15 + ["b"] * 15
    reg = ToneRegressor(alpha=1.0, min_df=1, embed=embed, transfer_alpha=2.0, transfer_weight=2.0)
    reg.fit(texts, y, aux=aux)
    assert [name for name, _, _ in reg.transfer_] == ["a", "b"]
    assert reg.ridge_.coef_.shape[0] == len(reg.mean_) + len(reg.vectorizer_.vocabulary_) + 6 + 2
    model = ToneModel(reg.to_json("t"), source="test")
    assert model.embedding_coef.shape == (6,)
    parsed = [_tone_features.parse(t) for t in texts]
    np.testing.assert_allclose(model.predict(parsed, embed(texts)), reg.predict(texts), atol=1e-6)
    # the auxiliary rows fit only their heads: changing their targets moves the heads, not the rows used
    y2 = y.copy()
    y2[30:] = -y2[30:]
    other = ToneRegressor(alpha=1.0, min_df=1, embed=embed, transfer_alpha=2.0, transfer_weight=2.0)
    other.fit(texts, y2, aux=aux)
    np.testing.assert_allclose(other.transfer_[0][1], -reg.transfer_[0][1])
    with pytest.raises(ValueError):
        ToneRegressor(embed=embed).fit(texts, y, aux=aux)  # no transfer_alpha
    with pytest.raises(ValueError):
        ToneRegressor(embed=embed, transfer_alpha=1.0).fit(texts, y, aux=aux[:-1])


@needs_st
def test_embeddings_model_scores():
    texts = ["The war killed thousands of people.", "The celebration was wonderful.", ""]
    out = score_tone(texts, model="embeddings")
    assert list(out.columns) == BASE_COLUMNS
    assert out.loc[0, "tone"] < 0 < out.loc[1, "tone"] and math.isnan(out.loc[2, "tone"])
    assert out["vader_compound"].tolist() == score_tone(texts)["vader_compound"].tolist()


@needs_st
def test_embeddings_model_path_argument(tmp_path):
    good = score_tone(["Shares fell."], model="embeddings", embeddings_model=_tone_embed.default_model_path())
    assert -1 <= good.loc[0, "tone"] <= 1
    with pytest.raises(InputError):
        score_tone(["x"], model="embeddings", embeddings_model=tmp_path / "nope")
    with pytest.raises(DataFileError):
        score_tone(["x"], model="embeddings", embeddings_model=tmp_path)

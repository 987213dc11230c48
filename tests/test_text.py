"""split_sentences: offsets, sections, and the seed's hard boundaries."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import REUTERS, needs_reuters

import tradelib
from tradelib.text import SENTENCE_COLUMNS, sentence_spans, split_sentences


def test_columns_and_offsets(seed_articles, seed_sentences):
    assert list(seed_sentences.columns) == SENTENCE_COLUMNS
    art = seed_articles.iloc[0]
    for row in seed_sentences.itertuples():
        source = {"headline": art.headline, "dek": art.dek, "body": art.body}[row.section]
        assert source[row.start : row.end] == row.text
    assert seed_sentences.sent_idx.tolist() == list(range(len(seed_sentences)))


def test_sections_in_reading_order(seed_sentences):
    assert seed_sentences.section.tolist()[:3] == ["headline", "dek", "dek"]
    assert seed_sentences.para_idx.tolist()[:3] == [-2, -1, -1]
    body = seed_sentences[seed_sentences.section == "body"]
    assert body.para_idx.min() == 0 and body.para_idx.max() == 17
    assert body.para_idx.is_monotonic_increasing


@pytest.mark.parametrize(
    "sentence",
    [
        # "U.S." mid-sentence and "Nov. 1" must not end a sentence
        "After threatening additional 100% tariffs on Chinese imports starting Nov. 1, Trump in recent days spoke "
        "with senior officials, including Treasury Secretary Scott Bessent, about sending a message to the world "
        "that the U.S. wants to de-escalate trade tensions with China, according to people familiar with the matter.",
        "The renewed conflict sparked a large U.S. market selloff, during which the president suggested he might "
        "not meet with Chinese leader Xi Jinping.",
        # the closing straight quote stays with its sentence
        '“The relationship, despite this announcement last week, is good."',
        "“All applications for compliant export for civil use can get approval, so that relevant businesses have no "
        'need to worry," it said.',
        # a quotation that continues the sentence after an exclamation mark inside it
        "A Sunday social-media post read in part: “Don’t worry about China! It will all be fine,\" and added that "
        "the Trump administration wants to help China.",
        # "U.S." at the end of a sentence does end it
        "Officials have previously discussed using various measures to protect U.S. infrastructure from Chinese "
        "incursion and further limit the ability of Chinese companies to invest in the U.S.",
        "Beijing has threatened retaliation if President Trump sticks to his 100% tariff threat.",
    ],
)
def test_seed_hard_boundaries(seed_sentences, sentence):
    assert sentence in seed_sentences.text.tolist()


def test_seed_counts(seed_sentences):
    assert (seed_sentences.section == "body").sum() == 31  # counted by hand from the article
    assert len(seed_sentences) == 34


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. Smith met Gov. Jones. They talked.", ["Mr. Smith met Gov. Jones.", "They talked."]),
        ("Write to a.b@wsj.com today. Then leave.", ["Write to a.b@wsj.com today.", "Then leave."]),
        ("Sales rose 100%. Costs fell 5.5%.", ["Sales rose 100%.", "Costs fell 5.5%."]),
        ('He said "we will win." Then he left.', ['He said "we will win."', "Then he left."]),
        ("He said “we will win.” Then he left.", ["He said “we will win.”", "Then he left."]),
        ("The U.S. Trade Representative spoke at 3 p.m. on Monday.", ["The U.S. Trade Representative spoke at 3 p.m. on Monday."]),
        ("Talks end Dec. 1 in Washington, D.C. and resume in Jan. next year.", ["Talks end Dec. 1 in Washington, D.C. and resume in Jan. next year."]),
        ("It was an era. Then came tariffs.", ["It was an era.", "Then came tariffs."]),
        # 1987 Reuters capitalises the word after "U.S." mid-sentence
        ("Senior U.S. Officials have accused Tokyo of failing to live up to the accord.",
         ["Senior U.S. Officials have accused Tokyo of failing to live up to the accord."]),
        ("In return, the U.S. Agreed to hold up duties.", ["In return, the U.S. Agreed to hold up duties."]),
        ("Firms will invest in the U.S. The deal was signed.", ["Firms will invest in the U.S.", "The deal was signed."]),
        # a party and state label in parentheses ends no sentence before a lower-case word; a real end still splits
        ("Sen. Ron Wyden (D-Ore.) called it a pretext. It passed.", ["Sen. Ron Wyden (D-Ore.) called it a pretext.",
                                                                    "It passed."]),
        ("The rate was 5 pct (from 4 pct.) Prices rose.", ["The rate was 5 pct (from 4 pct.)", "Prices rose."]),
    ],
)
def test_sentence_spans(text, expected):
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


def test_no_network_and_no_nltk_data(monkeypatch):
    import nltk

    def refuse(*args, **kwargs):
        raise AssertionError("tradelib must not download anything")

    monkeypatch.setattr(nltk, "download", refuse)
    monkeypatch.setattr(nltk.data, "path", [])
    from tradelib import text

    text.punkt_parameters.cache_clear()
    text._tokenizer.cache_clear()
    assert [t for t in split_sentences(pd.DataFrame({"article_id": ["a"], "body": ["One. Two."]})).text] == ["One.", "Two."]


def test_headline_is_one_sentence():
    arts = pd.DataFrame({"article_id": ["a"], "headline": ["JAPAN WARNS U.S. IT MAY RETALIATE"], "body": ["Text."]})
    out = split_sentences(arts)
    assert out.text.tolist() == ["JAPAN WARNS U.S. IT MAY RETALIATE", "Text."]


def test_empty_and_missing():
    arts = pd.DataFrame({"article_id": ["a", "b"], "headline": ["Only a headline", ""], "dek": ["", ""], "body": ["", ""]})
    out = split_sentences(arts)
    assert out.article_id.tolist() == ["a"] and out.section.tolist() == ["headline"]
    with pytest.raises(tradelib.InputError):
        split_sentences(pd.DataFrame({"text": ["x"]}))


@needs_reuters
@pytest.mark.slow
def test_reuters_offsets_hold():
    arts = tradelib.load_articles(REUTERS / "reut2-003.sgm").articles
    sents = split_sentences(arts)
    bodies = arts.set_index("article_id").body
    body_rows = sents[sents.section == "body"]
    assert all(bodies[r.article_id][r.start : r.end] == r.text for r in body_rows.itertuples())
    # Reuters writes "U.S." constantly: a split after it must not leave a sentence starting in lower case
    after_us = body_rows.text.shift(-1)[body_rows.text.str.endswith("U.S.")]
    assert not after_us.dropna().str.match(r"^[a-z]").any()


def test_paragraphs_without_final_punctuation_stay_apart():
    body = "TRADE BALANCE FIGURES\n\n\n\nExports rose 5 pct in March\n\nImports fell. Officials were pleased."
    out = split_sentences(pd.DataFrame({"article_id": ["a"], "body": [body]}))
    assert out.text.tolist() == ["TRADE BALANCE FIGURES", "Exports rose 5 pct in March", "Imports fell.", "Officials were pleased."]
    assert out.para_idx.tolist() == [0, 1, 2, 2]
    assert all(body[r.start : r.end] == r.text for r in out.itertuples())

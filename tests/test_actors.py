"""find_actors: lexicon matching, titles, possessives, within-article reference, user lexicons."""

from __future__ import annotations

import pandas as pd
import pytest

import tradelib
from tradelib.actors import ACTOR_COLUMNS, load_lexicon
from tradelib.errors import DataFileError, InputError


def _sents(*texts: str, article_id: str = "a") -> pd.DataFrame:
    rows, pos = [], 0
    for i, t in enumerate(texts):
        rows.append({"article_id": article_id, "section": "body", "para_idx": i, "sent_idx": i,
                     "start": pos, "end": pos + len(t), "text": t})
        pos += len(t) + 2
    return pd.DataFrame(rows)


def _pairs(df: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(df["text"], df["actor"]))


def test_columns_and_offsets_on_seed(seed_articles, seed_sentences):
    found = tradelib.find_actors(seed_sentences)
    assert list(found.columns) == ACTOR_COLUMNS
    art = seed_articles.iloc[0]
    for row in found.itertuples():
        section_text = {"headline": art.headline, "dek": art.dek, "body": art.body}[row.section]
        assert section_text[row.start:row.end] == row.text
    assert set(found["side"]) <= {"US", "China", "other"}


def test_seed_mentions(seed_sentences):
    found = tradelib.find_actors(seed_sentences)
    pairs = _pairs(found[found["section"] == "body"])
    # longest match with the title: one mention, not "Xi Jinping" plus "leader"
    assert ("Chinese leader Xi Jinping", "Xi Jinping") in pairs
    assert ("Treasury Secretary Scott Bessent", "Scott Bessent") in pairs
    assert ("foreign ministry spokesman Lin Jian", "Lin Jian") in pairs
    assert ("U.S.-China Business Council", "US-China Business Council") in pairs
    # possessives: the matched text stops before the 's
    assert ("Trump", "Donald Trump") in pairs and not any(t.endswith("\u2019s") for t, _ in pairs)
    # within-article reference resolves to the actor already named
    assert ("the president", "Donald Trump") in pairs
    assert ("the Treasury secretary", "Scott Bessent") in pairs
    assert ("the ministry", "China's Ministry of Commerce") in pairs
    assert {"White House", "Treasury Department", "Wall Street", "US administration"} <= set(found["actor"])
    sides = dict(zip(found["actor"], found["side"]))
    assert sides["Xi Jinping"] == "China" and sides["Scott Bessent"] == "US" and sides["China"] == "China"


@pytest.mark.parametrize("texts, expected", [
    (["Commerce Secretary Malcolm Baldrige said the gap will narrow."], [("Commerce Secretary Malcolm Baldrige", "Malcolm Baldrige")]),
    (["Prime Minister Yasuhiro Nakasone met MITI officials."], [("Prime Minister Yasuhiro Nakasone", "Yasuhiro Nakasone"), ("MITI", "MITI")]),
    (["The EC and GATT disagreed."], [("EC", "European Community"), ("GATT", "GATT")]),
    (["Trade Representative Clayton Yeutter spoke.", "The trade representative said more."],
     [("Trade Representative Clayton Yeutter", "Clayton Yeutter"), ("The trade representative", "Clayton Yeutter")]),
    (["Beijing\u2019s response came late."], [("Beijing", "China")]),
    (["Reagan's veto stands."], [("Reagan", "Ronald Reagan")]),
])
def test_patterns(texts, expected):
    assert _pairs(tradelib.find_actors(_sents(*texts))) == expected


def test_unresolved_reference_is_left_out():
    # "the president" with no president named before, "the ministry" with no ministry: leave out
    found = tradelib.find_actors(_sents("The president and the ministry said nothing."))
    assert found.empty


def test_reference_picks_the_latest_actor_with_the_role():
    found = tradelib.find_actors(_sents("Reagan spoke first.", "Then Trump spoke.", "The president left."))
    assert _pairs(found)[-1] == ("The president", "Donald Trump")


@pytest.mark.parametrize("first, actor", [
    ("China protested.", "China's foreign ministry"),
    ("Japan protested.", "Japan's Foreign Ministry"),
])
def test_ambiguous_alias_follows_country(first, actor):
    found = tradelib.find_actors(_sents(first, "The foreign ministry issued a note."))
    assert _pairs(found)[-1] == ("foreign ministry", actor)


def test_ambiguous_alias_without_context_is_left_out():
    assert tradelib.find_actors(_sents("The foreign ministry issued a note.")).empty


def test_articles_do_not_share_context():
    s = pd.concat([_sents("Trump spoke.", article_id="a"), _sents("The president left.", article_id="b")])
    found = tradelib.find_actors(s)
    assert list(found["article_id"]) == ["a"]


def test_user_lexicon_adds_and_overrides(tmp_path):
    extra = tmp_path / "extra.toml"
    extra.write_text(
        'actor = [\n'
        '{ name = "Sean Stein", side = "US", kind = "person", aliases = ["Sean Stein", "Stein"] },\n'
        '{ name = "Wall Street", side = "other", kind = "org", aliases = ["Wall Street", "the Street"] },\n'
        ']\n', encoding="utf-8")
    found = tradelib.find_actors(_sents("Stein said Wall Street and the Street agree."), extra)
    assert _pairs(found) == [("Stein", "Sean Stein"), ("Wall Street", "Wall Street"), ("the Street", "Wall Street")]
    assert set(found["side"]) == {"US", "other"}
    # the shipped lexicon is unchanged
    assert tradelib.find_actors(_sents("Wall Street fell."))["side"].tolist() == ["US"]


def test_user_lexicon_json(tmp_path):
    extra = tmp_path / "extra.json"
    extra.write_text('{"actor": [{"name": "Keidanren", "side": "other", "kind": "org", "aliases": ["Keidanren"]}]}')
    assert _pairs(tradelib.find_actors(_sents("Keidanren objected."), extra)) == [("Keidanren", "Keidanren")]


@pytest.mark.parametrize("content", [
    "actor = [ { name = 'X', side = 'Mars', kind = 'person', aliases = ['X'] } ]",
    "actor = [ { side = 'US', aliases = ['X'] } ]",
    "this is not toml = = =",
])
def test_broken_lexicon_raises(tmp_path, content):
    bad = tmp_path / "bad.toml"
    bad.write_text(content)
    with pytest.raises(DataFileError):
        load_lexicon(bad)


def test_missing_lexicon_and_bad_input(tmp_path):
    with pytest.raises(DataFileError):
        load_lexicon(tmp_path / "nope.toml")
    with pytest.raises(InputError):
        tradelib.find_actors(pd.DataFrame({"text": ["x"]}))
    with pytest.raises(InputError):
        tradelib.find_actors("not a table")


def test_empty_table_keeps_columns():
    out = tradelib.find_actors(_sents("Nothing to see here."))
    assert list(out.columns) == ACTOR_COLUMNS and out.empty


@pytest.mark.parametrize(
    "text",
    [
        "the Fed and The Fed said the president met Xi Jinping; he said new Bank of Japan data came out.",
        "U.S.-Japan talks: Trade Representative Clayton Yeutter\u2019s office, the White House and MITI.",
        "Yahoo! and AT&T; then President Reagan, then-Commerce Secretary Baldrige, Foreign Minister Tadashi Kuranari.",
        "He Lifeng, he, He Yadong's aide, NEW Zealand, new zealand, stock markets and the Japanese.",
    ],
)
def test_token_patterns_match_like_the_whole_pattern(text):
    """Each word is tried with a smaller pattern; at every word it must match as the whole pattern does."""
    from tradelib.actors import _TOKEN, _pattern_for

    lex = load_lexicon()
    for w in _TOKEN.finditer(text):
        whole, small = lex.pattern.match(text, w.start()), _pattern_for(w.group(0), lex).match(text, w.start())
        assert (whole and (whole.span(), whole.group("name"), whole.group("pname"))) == \
            (small and (small.span(), small.group("name"), small.group("pname")))


def test_a_one_word_alias_after_another_given_name_is_someone_else():
    # the lexicon's "Hogan" is Phil Hogan; "Kevin Hogan" is not, while titles before a surname still resolve
    sents = tradelib.split_sentences(pd.DataFrame([{
        "article_id": "a", "headline": "H", "dek": "",
        "body": "Kevin Hogan, a wine importer, said prices rose. Trade commissioner Phil Hogan spoke. Hogan said no. "
                "Treasury Secretary Mnuchin agreed."}]))
    found = tradelib.find_actors(sents)
    assert found["actor"].tolist() == ["Phil Hogan", "Phil Hogan", "Steven Mnuchin"]
    assert "Kevin Hogan" not in " ".join(found["text"])

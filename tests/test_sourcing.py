"""classify_sourcing: named, anonymous, no_comment and none, on the seed and on short cases."""

from __future__ import annotations

import pandas as pd
import pytest

import tradelib
from tradelib.errors import InputError
from tradelib.quotes import SOURCING_COLUMNS


def _classify(*texts: str) -> pd.DataFrame:
    s = pd.DataFrame({"article_id": "a", "sent_idx": range(len(texts)), "text": list(texts)})
    return tradelib.classify_sourcing(s)


def _by_text(seed_sentences):
    out = tradelib.classify_sourcing(seed_sentences).merge(seed_sentences, on=["article_id", "sent_idx"])
    return out


def test_columns_and_keys(seed_sentences):
    out = tradelib.classify_sourcing(seed_sentences)
    assert list(out.columns) == SOURCING_COLUMNS
    assert out[["article_id", "sent_idx"]].equals(seed_sentences[["article_id", "sent_idx"]].reset_index(drop=True))
    assert set(out["sourcing"]) <= {"named", "anonymous", "no_comment", "none"}
    assert out.loc[out["sourcing"] == "none", "cue"].isna().all()
    assert out.loc[out["sourcing"] != "none", "cue"].notna().all()


@pytest.mark.parametrize("starts, sourcing, cue_has", [
    ("After threatening additional 100% tariffs", "anonymous", "people familiar with the matter"),
    ("Administration officials had been talking", "anonymous", "people familiar"),
    ("A person close to Bessent said", "anonymous", "person close"),
    ("Despite Beijing\u2019s conciliatory signals", "anonymous", "people close"),
    ("The White House and Treasury Department didn\u2019t respond", "no_comment", "respond"),
    ("\u201cIf the U.S. insists", "named", "Lin Jian said"),
    ("\u201cThe U.S. and China can choose", "named", "Sean Stein"),
    ("Beijing has threatened retaliation if Trump sticks", "none", None),
])
def test_seed_sentences(seed_sentences, starts, sourcing, cue_has):
    out = _by_text(seed_sentences)
    row = out[out["text"].str.startswith(starts) & (out["section"] == "body")].iloc[0]
    assert row["sourcing"] == sourcing
    if cue_has is None:
        assert row["cue"] is None or row["cue"] != row["cue"]
    else:
        assert cue_has in row["cue"]


@pytest.mark.parametrize("text, sourcing", [
    ("A spokesman for the ministry declined to comment.", "no_comment"),
    ("The company did not immediately respond to a request for comment.", "no_comment"),
    ("U.S. officials said the talks would resume next week.", "anonymous"),
    ("The deal is close, sources said.", "anonymous"),
    ("Tariffs will rise, according to a person familiar with the matter.", "anonymous"),
    ("Yeutter said the talks were useful.", "named"),
    ("Tariffs will rise, according to the Commerce Department.", "named"),
    ("\"We will respond,\" said Lin Jian.", "named"),
    ("The tariffs take effect on Monday.", "none"),
    ("Exports rose 5 pct in March.", "none"),
    # patterns the quote attribution treats specially must not trip the sourcing classifier
    ("Kyodo quoted Nakasone as telling reporters that he accepted the advice.", "named"),
    ("The official, who declined to be named, said the talks failed.", "anonymous"),  # not a refusal to comment
    ("An official declined to be identified but said the talks failed.", "anonymous"),
    ("Buttrose said he expected a deficit, and added that the outlook was poor.", "named"),
])
def test_cases(text, sourcing):
    assert _classify(text)["sourcing"].tolist() == [sourcing]


def test_bad_input():
    with pytest.raises(InputError):
        tradelib.classify_sourcing(pd.DataFrame({"article_id": ["a"], "text": ["x"]}))

"""load_articles: the seed, every format, bad input, and (with ../shared) all of Reuters-21578."""

from __future__ import annotations

import hashlib
import re

import pandas as pd
import pytest
from conftest import REUTERS, SEED_FILE, SHARED, TEST_DATA, needs_reuters

import tradelib
from tradelib.load import ARTICLE_COLUMNS, load_articles

LOAD = TEST_DATA / "load"
SCRAPE_COLUMNS = {"url": "link", "headline": "title", "published": "date", "body": "text", "source": "outlet"}


def test_seed_fields(seed_articles):
    assert list(seed_articles.columns) == ARTICLE_COLUMNS
    assert len(seed_articles) == 1
    art = seed_articles.iloc[0]
    assert art.headline == "How China and the US are racing to de-escalate the trade war"
    assert art.dek.split("\n") == [
        "President Trump is trying to publicly ease tensions with China to soothe markets while privately "
        "keeping up pressure on Beijing.",
        "Beijing has threatened retaliation if President Trump sticks to his 100% tariff threat.",
    ]
    paras = art.body.split("\n\n")
    assert len(paras) == 18
    # the first body paragraph restates the dek almost word for word and must stay in the body
    assert paras[0].startswith("President Trump is trying to publicly de-escalate tensions")
    assert paras[-1].startswith("“The U.S. and China can choose") and paras[-1].endswith('hoping for the latter."')
    assert art.authors == ["Brian Schwartz", "Lingling Wei", "Gavin Bade"]
    assert "@" not in art.body and "Write to" not in art.body
    assert art.source == "wsj.com"
    assert pd.isna(art.published)


def test_seed_copy_is_byte_identical():
    shared_seed = SHARED / "seeds" / SEED_FILE.name
    if not shared_seed.exists():
        pytest.skip("../shared/seeds is absent")
    assert SEED_FILE.read_bytes() == shared_seed.read_bytes()


def test_article_id_is_stable_and_content_based(seed_articles):
    again = load_articles(SEED_FILE).articles
    assert again.article_id.tolist() == seed_articles.article_id.tolist()
    art = seed_articles.iloc[0]
    expected = hashlib.sha256("\x1f".join([art.headline, art.dek, art.body]).encode()).hexdigest()[:16]
    assert art.article_id == expected


def test_folder_mixes_formats_and_reconciles():
    result = load_articles(LOAD)
    assert len(result.articles) + len(result.skipped) == result.seen
    formats = {m["format"] for m in result.articles.meta}
    assert formats == {"text", "html", "json", "jsonl", "reuters", "feed"}
    reasons = " | ".join(result.skipped.reason)
    for expected in ("empty file", "binary file", "malformed JSON line 3", "missing body",
                     "duplicate of article x-1", "CSV without a text column"):
        assert expected in reasons
    assert result.articles.article_id.is_unique
    assert str(result.articles.published.dtype).startswith("datetime64") and "UTC" in str(result.articles.published.dtype)


def test_csv_with_column_mapping():
    result = load_articles(LOAD / "scrape.csv", columns=SCRAPE_COLUMNS)
    arts = result.articles
    assert arts.headline.tolist() == ["Talks resume in Washington", "Tariff deadline extended"]
    assert arts.url.tolist() == ["https://example.com/a", "https://example.com/b"]
    assert arts.published.tolist() == [pd.Timestamp("2018-12-15", tz="UTC"), pd.Timestamp("2019-02-24 18:00", tz="UTC")]
    assert arts.body.iloc[1] == "The president said he would delay the increase in tariffs.\n\nMarkets rose on the news."
    assert arts.source.tolist() == ["Example Wire", "Example Wire"]
    assert result.skipped.reason.tolist() == ["missing body: the record has no article text"]
    assert result.seen == 3


@pytest.mark.parametrize(
    "text, expected",
    [
        ("December 15, 2018", pd.Timestamp("2018-12-15", tz="UTC")),
        ("2018-12-15T10:00:00-05:00", pd.Timestamp("2018-12-15 15:00", tz="UTC")),
        ("26-FEB-1987 15:01:01.79", pd.Timestamp("1987-02-26 15:01:01.79", tz="UTC")),
        ("Sun, 02 Dec 2018 01:00:00 GMT", pd.Timestamp("2018-12-02 01:00", tz="UTC")),
        ("not a date", pd.NaT),
        (None, pd.NaT),
    ],
)
def test_parse_date(text, expected):
    from tradelib.load import parse_date

    got = parse_date(text)
    assert (pd.isna(got) and pd.isna(expected)) or got == expected


def test_html_extraction_offline():
    art = load_articles(LOAD / "page.html").articles.iloc[0]
    assert art.headline == "Beijing vows countermeasures over new tariffs"
    assert art.authors == ["Jane Doe"]
    assert art.source == "Example News"
    assert art.url == "https://news.example.com/2018/07/06/tariffs"
    assert art.published.date().isoformat() == "2018-07-06"
    assert art.body.startswith("China said on Friday it would take necessary countermeasures")
    assert len(art.body.split("\n\n")) == 3
    assert "Home" not in art.body and "Copyright" not in art.body and "__pwned" not in art.body


def test_feeds_one_article_per_entry():
    arts = load_articles([LOAD / "feed.rss", LOAD / "feed.atom"]).articles
    assert arts.headline.tolist() == ["Truce agreed at G20 dinner", "Huawei executive arrested", "Tariffs raised to 25 percent"]
    assert arts.body.iloc[0] == "The two leaders agreed to a 90-day truce.\n\nNew tariffs were put on hold."
    assert arts.source.tolist() == ["Trade Desk", "Trade Desk", "Atom Trade"]
    assert arts.authors.iloc[2] == ["Sam Reporter"]
    assert arts.published.iloc[2] == pd.Timestamp("2019-05-10 04:01", tz="UTC")


def test_reuters_fixture_fields():
    result = load_articles(LOAD / "mini.sgm")
    arts = result.articles.set_index("article_id")
    assert result.seen == 3 and len(result.skipped) == 0
    first = arts.loc["reuters-90001"]
    assert first.headline == "U.S. WEIGHS TARIFFS ON JAPANESE CHIPS"
    assert first.body.split("\n\n") == [
        "The United States may impose tariffs on Japanese semiconductors, officials said <today>.",
        '"We will not accept dumping," a trade official said. Talks with Japan will resume in April.',
    ]
    assert first.meta["TOPICS"] == ["trade"] and first.meta["PLACES"] == ["usa", "japan"]
    assert first.meta["LEWISSPLIT"] == "TRAIN" and first.meta["CGISPLIT"] == "TRAINING-SET"
    assert first.published == pd.Timestamp("1987-03-26 14:02:33.10", tz="UTC")
    brief = arts.loc["reuters-90002"]
    assert brief.headline == "BANK OF ENGLAND OFFERS EARLY HELP" and brief.body == ""
    assert brief.published == pd.Timestamp("1987-03-27 00:02:59.13", tz="UTC")  # wire codes after the time
    assert arts.loc["reuters-90003"].body == "Tokyo stocks closed higher on trade hopes."


@pytest.mark.parametrize(
    "name, encoding, headline",
    [
        ("utf16_bom.txt", "utf-16", "Ministry softens tone on export rules"),
        ("utf8_bom.txt", "utf-8-sig", "Ministry eases tone on export rules"),
        ("cp1252.txt", "cp1252", "Café owners fear tariffs"),
    ],
)
def test_encodings(name, encoding, headline):
    art = load_articles(LOAD / name).articles.iloc[0]
    assert art.meta["encoding"] == encoding
    assert art.headline == headline
    assert "\ufeff" not in art.headline + art.body


def test_on_error_raise_names_file_and_record():
    with pytest.raises(tradelib.LoadError, match=r"articles\.jsonl \[record line 2\]: missing body"):
        load_articles(LOAD / "articles.jsonl", on_error="raise")
    with pytest.raises(tradelib.TradelibError, match="empty file"):
        load_articles(LOAD / "empty.txt", on_error="raise")


def test_unknown_extension_and_missing_file_are_recorded(tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    result = load_articles([tmp_path / "notes.docx", tmp_path / "nope.txt"])
    assert result.seen == 2 and result.articles.empty
    assert result.skipped.reason.tolist()[0].startswith("unsupported file type")
    assert result.skipped.reason.tolist()[1] == "file not found"


@pytest.mark.parametrize("data", [b"\x1c", b" \x1d\n\x1e ", "\u2028\n".encode()])
def test_unicode_white_space_only_file_is_recorded_as_empty(tmp_path, data):
    path = tmp_path / "a.jsonl"
    path.write_bytes(data)  # bytes.strip() keeps these characters; str.strip() does not
    res = tradelib.load_articles(path)
    assert res.seen == 1 and len(res.articles) == 0
    assert res.skipped["reason"].str.startswith("empty file").all()


@pytest.mark.parametrize("oldid, newid, loaded", [("\u00b200", "7", 1), ("5", "\u00b9", 0), ("5", "7", 1)])
def test_reuters_ids_must_be_ascii_digits(tmp_path, oldid, newid, loaded):
    sgm = (f'<REUTERS TOPICS="YES" OLDID="{oldid}" NEWID="{newid}"><DATE>26-MAR-1987 14:02:33.10</DATE>'
           "<TEXT><TITLE>U.S. WEIGHS TARIFFS</TITLE><BODY>The United States may impose tariffs.</BODY></TEXT></REUTERS>")
    path = tmp_path / "reut2-000.sgm"
    path.write_text(sgm, encoding="utf-8")
    res = tradelib.load_articles(path)  # no ValueError from int("\u00b2")
    assert len(res.articles) == loaded and len(res.articles) + len(res.skipped) == res.seen


def test_json_lines_split_at_newline_only(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"headline": "A", "body": "one\u2028two and more words here"}\n', encoding="utf-8")
    res = tradelib.load_articles(path)
    assert len(res.articles) == 1 and res.skipped.empty


def test_word_lists_are_not_articles(tmp_path):
    (tmp_path / "topics.txt").write_text("acq\nalum\nbarley\ncocoa\ntrade\n")
    result = load_articles(tmp_path)
    assert result.articles.empty
    assert result.skipped.reason.iloc[0].startswith("not a plain-text article")


def test_bad_arguments():
    with pytest.raises(tradelib.InputError):
        load_articles(LOAD, on_error="ignore")
    with pytest.raises(tradelib.InputError):
        load_articles(LOAD, format="docx")


def test_summary_counts():
    summary = load_articles(LOAD).summary().set_index("what")["count"]
    assert summary["seen"] == summary["loaded"] + summary["skipped"]


@needs_reuters
@pytest.mark.slow
def test_all_of_reuters_loads():
    result = load_articles(sorted(REUTERS.glob("reut2-*.sgm")))
    arts = result.articles
    assert result.seen == 21578 and len(arts) == 21578 and result.skipped.empty
    assert arts.article_id.is_unique
    newids = arts.meta.map(lambda m: m["NEWID"])
    assert sorted(newids) == list(range(1, 21579))
    assert not arts.body.str.contains(r"[\x00-\x08\x0b\x0c\x0e-\x1f]").any()
    assert not arts.body.str.contains(r"\bReuter\s*$").any()
    splits = arts.meta.map(lambda m: m["LEWISSPLIT"]).value_counts()
    assert splits["TRAIN"] == 14668 and splits["TEST"] == 6188 and splits["NOT-USED"] == 722  # grep -c of the raw files
    one = arts.set_index("article_id").loc["reuters-1"]
    assert one.headline == "BAHIA COCOA REVIEW"
    assert one.published == pd.Timestamp("1987-02-26 15:01:01.79", tz="UTC")
    assert one.meta["TOPICS"] == ["cocoa"] and one.meta["PLACES"] == ["el-salvador", "usa", "uruguay"]
    assert one.body.startswith("Showers continued throughout the week in the Bahia cocoa zone")
    assert one.body.endswith("after carnival which ends midday on February 27.")
    # the one document whose DATE is garbled keeps its raw text and gets NaT
    bad = arts[arts.published.isna()]
    assert bad.article_id.tolist() == ["reuters-17192"] and bad.meta.iloc[0]["unparsed_date"].startswith("31-MAR-1987")


@needs_reuters
@pytest.mark.slow
def test_reuters_folder_reports_the_non_article_files():
    result = load_articles(REUTERS)
    assert len(result.articles) == 21578
    assert len(result.articles) + len(result.skipped) == result.seen
    names = {p.rsplit("/", 1)[-1] for p in result.skipped.path}
    assert "lewis.dtd" in names and all(re.match(r".*\.(txt|dtd)$", n) for n in names)

"""run_pipeline and the run folder's Parquet tables: every step called, same inputs give the same tables."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pandas.testing as pdt
import pytest
from conftest import SEED_FILE, SEEDS, TEST_DATA, run_table_names, table_bytes

import tradelib
from tradelib import pipeline
from tradelib.errors import InputError, PipelineError

CORPUS = TEST_DATA / "corpus"
KEYS = {"sentences", "mentions", "sourcing", "tone", "stance"}


@pytest.fixture(scope="module")
def seed_run():
    return tradelib.run_pipeline(SEEDS)


@pytest.fixture(scope="module")
def corpus_run():
    return tradelib.run_pipeline(CORPUS)


def test_result_holds_every_table(seed_run):
    tables = seed_run.tables()
    assert list(tables) == list(pipeline.TABLES)
    assert all(isinstance(df, pd.DataFrame) for df in tables.values())
    assert len(seed_run.articles) == 1
    # every step ran on the seed: the seed has sentences, actors, quotes, stance, a relevance score
    for name in ("sentences", "mentions", "quotes", "sourcing", "tone", "article_tone", "stance", "stance_by_side",
                 "relevance", "quote_scores"):
        assert len(tables[name]) > 0, name
    assert seed_run.options["input_path"] == [str(SEEDS)]


def test_tables_are_keyed_by_the_loaded_articles(corpus_run):
    ids = set(corpus_run.articles["article_id"])
    for name, df in corpus_run.tables().items():
        if "article_id" in df.columns:
            assert set(df["article_id"]) <= ids, name
    sent_keys = set(zip(corpus_run.sentences.article_id, corpus_run.sentences.sent_idx))
    for name in KEYS - {"sentences", "mentions"}:
        df = getattr(corpus_run, name)
        assert set(zip(df.article_id, df.sent_idx)) == sent_keys, name
    assert len(corpus_run.quote_scores) == len(corpus_run.quotes)


def test_manifest_reconciles(corpus_run):
    m = dict(zip(corpus_run.manifest["what"], corpus_run.manifest["count"]))
    assert m["seen"] == m["loaded"] + m["skipped"]
    assert m["loaded"] == len(corpus_run.articles) == 8
    assert m["skipped"] == len(corpus_run.skipped) == 1  # the fixture's README.md
    assert corpus_run.skipped["reason"].str.startswith("unsupported file type").all()


def test_corpus_series_cover_the_dated_articles(corpus_run):
    dated = corpus_run.articles["published"].notna().sum()
    assert dated == 7
    assert corpus_run.corpus["n_articles"].sum() == dated
    assert set(corpus_run.corpus_by_source["source"]) == set(corpus_run.articles.dropna(subset=["published"])["source"])
    # the fixture spans March to July 2018: weekly periods, empty weeks kept
    assert corpus_run.corpus["period"].diff().dropna().eq(pd.Timedelta(days=7)).all()
    assert (corpus_run.corpus["n_articles"] == 0).any()


def test_undated_seed_gives_empty_series(seed_run):
    assert seed_run.articles["published"].isna().all()
    assert seed_run.corpus.empty and "n_articles" in seed_run.corpus.columns


def test_same_input_same_tables(corpus_run):
    again = tradelib.run_pipeline(CORPUS)
    for name, df in corpus_run.tables().items():
        pdt.assert_frame_equal(again.tables()[name], df, obj=name)


def test_parquet_is_byte_identical_and_round_trips(corpus_run, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    pipeline.write_tables(a, corpus_run.tables())
    pipeline.write_tables(b, tradelib.run_pipeline(CORPUS).tables())
    for name in pipeline.TABLES:
        fa, fb = pipeline.table_path(a, name), pipeline.table_path(b, name)
        assert table_bytes(fa) == table_bytes(fb), name
    back = pipeline.read_tables(a)
    assert list(back) == list(pipeline.TABLES)
    for name, df in corpus_run.tables().items():
        pdt.assert_frame_equal(back[name], df, obj=name, check_dtype=False)
    # list and dict columns come back as lists and dicts, not JSON text
    arts = back["articles"].set_index("article_id")
    assert arts.loc["fx-02", "authors"] == ["Bo Chen", "Cara Diaz"]
    assert isinstance(arts.loc["fx-02", "meta"], dict)
    assert back["stance"]["cues"].map(lambda c: isinstance(c, list)).all()


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame({"a": [[1, 2], None, []], "b": [{"x": 1}, {"y": [1, "z"]}, None]}),
        pd.DataFrame({"a": pd.Series([], dtype=object), "t": pd.Series([], dtype="datetime64[ns, UTC]")}),
        pd.DataFrame({"s": ["<script>", "é ✓", ""], "f": [0.1, float("nan"), -2.0], "i": [1, 2, 3]}),
    ],
)
def test_write_read_table_round_trip(frame, tmp_path):
    path = pipeline.write_table(frame, tmp_path / "t.parquet")
    back = pipeline.read_table(path)
    pdt.assert_frame_equal(back, frame, check_dtype=False)
    assert pipeline.write_table(frame, tmp_path / "u.parquet").read_bytes() == path.read_bytes()


def test_read_missing_table_names_the_step(tmp_path):
    with pytest.raises(PipelineError, match="run the step"):
        pipeline.read_table(tmp_path / "tables" / "tone.parquet")


def test_no_input_is_an_input_error():
    with pytest.raises(InputError):
        tradelib.run_pipeline([])


@pytest.mark.parametrize(
    ("dates", "freq"),
    [
        ([], "D"),
        (["2025-10-13", None], "D"),
        (["2025-10-01", "2025-11-10"], "D"),
        (["2018-03-02", "2018-07-07"], "W"),
        (["1987-02-26", "1987-10-20"], "W"),
        (["2017-01-01", "2019-06-30"], "M"),
    ],
)
def test_choose_freq(dates, freq):
    assert pipeline.choose_freq(pd.Series(pd.to_datetime(dates, utc=True), dtype="datetime64[ns, UTC]")) == freq


def test_out_dir_writes_tables_run_json_and_report(tmp_path):
    out = tmp_path / "run"
    res = tradelib.run_pipeline(SEED_FILE, out_dir=out)
    assert run_table_names(out) == sorted(pipeline.TABLES)
    info = json.loads((out / "run.json").read_text())
    assert info["status"] == "ok" and info["runner"] == "run_pipeline"
    assert info["inputs"] == [{"path": str(SEED_FILE), "bytes": SEED_FILE.stat().st_size,
                               "sha256": hashlib.sha256(SEED_FILE.read_bytes()).hexdigest()}]
    assert info["versions"]["tradelib"] == tradelib.__version__ and info["versions"]["pandas"] == pd.__version__
    assert set(info["seconds"]) == {f"step_{s}" for s in pipeline.STEP_TABLES}
    assert info["started"] <= info["ended"]
    assert (out / "report.html").is_file()
    assert (out / "figures" / "tone_arc_00.png").is_file() and (out / "figures" / "tone_arc_00.svg").is_file()
    pdt.assert_frame_equal(pipeline.read_table(pipeline.table_path(out, "quotes")), res.quotes, check_dtype=False)


def test_chunked_steps_equal_one_call(corpus_run, monkeypatch):
    """Long tables are scored in chunks of whole articles (for the progress bar): same result as one call."""
    pieces = pipeline._by_article_chunks(corpus_run.sentences, 7)
    assert len(pieces) > 3
    assert sum(len(p) for p in pieces) == len(corpus_run.sentences)
    for p in pieces[1:]:  # no article is split between two chunks
        assert set(p["article_id"]).isdisjoint(set().union(*(set(q["article_id"]) for q in pieces if q is not p)))
    from tradelib import engine

    monkeypatch.setattr(engine, "CHUNK_SENTENCES", 7)
    calls = []
    real = engine._by_article_chunks
    monkeypatch.setattr(engine, "_by_article_chunks", lambda t, n: calls.append(n) or real(t, n))
    a, s = corpus_run.articles, corpus_run.sentences
    voices = pipeline.step_voices(a, s, progress=True)
    tone = pipeline.step_tone(a, s, progress=True)
    stance = pipeline.step_stance(s, voices["mentions"], voices["quotes"], progress=True)
    assert calls and set(calls) <= {7, 2_000}  # the steps did cut the tables into chunks
    for name, df in {**voices, **tone, **stance}.items():
        pdt.assert_frame_equal(df, getattr(corpus_run, name), obj=name)

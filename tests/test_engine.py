"""Partitions and engines: the Dask engine gives the pandas engine's tables, nothing lost or duplicated."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import cloudpickle
import pandas as pd
import pandas.testing as pdt
import pytest
from conftest import REUTERS, SEEDS, TEST_DATA, needs_reuters

import tradelib
from tradelib import pipeline
from tradelib._partitioned import partitions, step_part
from tradelib.engine import Engine, plan_partitions
from tradelib.errors import InputError, LoadError, PipelineError

CORPUS = TEST_DATA / "corpus"
#: Keys that identify a row of each table (for comparing runs whose partitions differ).
KEYS = {
    "articles": ["article_id"], "skipped": ["path", "record", "reason"], "sentences": ["article_id", "sent_idx"],
    "mentions": ["article_id", "sent_idx", "start"], "quotes": ["article_id", "quote_idx"],
    "sourcing": ["article_id", "sent_idx"], "tone": ["article_id", "sent_idx"], "article_tone": ["article_id"],
    "stance": ["article_id", "sent_idx"], "stance_by_side": ["article_id", "side"],
    "quote_scores": ["article_id", "quote_idx"], "relevance": ["article_id"],
    "corpus_articles": ["article_id", "side"],
}
# functions defined here run on Dask workers, which cannot import this test module: send them by value
cloudpickle.register_pickle_by_value(sys.modules[__name__])


def _sorted(name: str, df: pd.DataFrame) -> pd.DataFrame:
    keys = KEYS.get(name)
    if not keys:
        return df.reset_index(drop=True)
    return df.sort_values(keys, kind="stable", na_position="first").reset_index(drop=True)


def assert_same_tables(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert list(a) == list(b)
    for name in a:
        pdt.assert_frame_equal(_sorted(name, a[name]), _sorted(name, b[name]), obj=name, check_dtype=False)


@pytest.fixture(scope="module")
def cluster():
    """A LocalCluster with two worker processes, as CI runs it."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as lc, \
            Client(lc) as client:
        yield client


# ---- partitions ---------------------------------------------------------------------------------


def test_partitions_follow_the_loader_order_and_never_split_a_file(tmp_path):
    for i, size in enumerate([500, 300, 300, 1200, 10]):
        (tmp_path / f"f{i}.txt").write_text("x" * size)
    parts = plan_partitions([tmp_path], partition_bytes=700)
    names = [[Path(f).name for f in p] for p in parts]
    assert names == [["f0.txt"], ["f1.txt", "f2.txt"], ["f3.txt"], ["f4.txt"]]
    assert plan_partitions([tmp_path], partition_bytes=10**9) == [[str(tmp_path / f"f{i}.txt") for i in range(5)]]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert plan_partitions([empty]) == [[]]
    with pytest.raises(InputError):
        plan_partitions([tmp_path], partition_bytes=0)


def test_bad_engine_arguments():
    with pytest.raises(InputError):
        Engine("spark")
    with pytest.raises(InputError, match="scheduler"):
        Engine("pandas", scheduler="tcp://localhost:8786")
    with pytest.raises(InputError):
        tradelib.run_pipeline(SEEDS, engine="ray")
    with pytest.raises(InputError, match="takes no option"):
        pipeline.run_step("nowhere", "tone", actor_lexicon="x.toml")


def _record(log: list, name: str) -> str:
    log.append(name)
    return name


def test_graph_runs_tasks_after_what_they_wait_for():
    log: list = []
    tasks = [("a", _record, (log, "a"), []), ("b", _record, (log, "b"), []), ("c", _record, (log, "c"), ["a", "b"])]
    with Engine("pandas") as eng:
        assert eng.graph(tasks) == {"a": "a", "b": "b", "c": "c"}
        assert log == ["a", "b", "c"]
        with pytest.raises(PipelineError, match="do not come before"):
            eng.graph([("c", _record, (log, "c"), ["a"]), ("a", _record, (log, "a"), [])])
        with pytest.raises(PipelineError, match="unique"):
            eng.graph([("a", _record, (log, "a"), []), ("a", _record, (log, "a"), [])])
        assert eng.chains([[(_record, (log, "x")), (_record, (log, "y"))]]) == [["x", "y"]]


def test_pipeline_steps_wait_only_for_the_tables_they_read():
    from tradelib._partitioned import _waits_for

    steps = ["voices", "tone", "stance", "corpus"]
    assert {s: _waits_for(s, steps) for s in steps} == {
        "voices": [], "tone": [], "stance": ["voices"], "corpus": ["voices", "tone", "stance"]}
    assert _waits_for("stance", ["stance"]) == []


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(PipelineError, match="Dask scheduler"):
        with Engine("dask", scheduler="tcp://127.0.0.1:9"):
            pass


@pytest.mark.parametrize("source", [SEEDS, CORPUS], ids=["seed", "corpus"])
def test_one_file_per_partition_gives_the_one_partition_tables(source):
    whole = tradelib.run_pipeline(source, partition_bytes=10**9)
    split = tradelib.run_pipeline(source, partition_bytes=1)
    assert whole.engine["partitions"] == 1
    assert split.engine["partitions"] == len([p for p in Path(source).rglob("*") if p.is_file()])
    assert_same_tables(whole.tables(), split.tables())


def _duplicated_corpus(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    seed = next(p for p in SEEDS.iterdir() if p.suffix == ".txt")
    for name in ("a.txt", "b.txt", "c.txt"):  # the same article three times, in three partitions
        (src / name).write_bytes(seed.read_bytes())
    (src / "d.json").write_text("{not json")  # a bad file
    return src


def test_duplicates_across_partitions_are_skipped_as_in_one_load(tmp_path):
    src = _duplicated_corpus(tmp_path)
    one = tradelib.load_articles(src)
    res = tradelib.run_pipeline(src, partition_bytes=1)
    assert res.engine["partitions"] == 4
    assert len(res.articles) == len(one.articles) == 1
    assert sorted(res.skipped["reason"]) == sorted(one.skipped["reason"])
    assert res.skipped["reason"].str.startswith("duplicate of article").sum() == 2
    m = dict(zip(res.manifest["what"], res.manifest["count"]))
    assert m == dict(zip(one.summary()["what"], one.summary()["count"]))
    assert m["seen"] == m["loaded"] + m["skipped"] == 4
    assert set(res.sentences["article_id"]) == set(res.articles["article_id"])


def test_run_step_refuses_a_folder_without_load(tmp_path):
    with pytest.raises(PipelineError, match="load step"):
        pipeline.run_step(tmp_path, "tone")


def test_result_reads_tables_lazily_from_the_run_folder(tmp_path):
    res = tradelib.run_pipeline(SEEDS, out_dir=tmp_path, report=False)
    assert res._tables == {}
    assert len(res.quotes) == 9 and set(res._tables) == {"quotes"}
    assert pipeline.table(tmp_path, "sentences", head=3)["sent_idx"].tolist() == [0, 1, 2]
    one = pipeline.table(tmp_path, "sentences", article_ids=res.articles["article_id"][:1], columns=["text"])
    assert list(one.columns) == ["text"] and len(one) == len(res.sentences)
    assert partitions(tmp_path) == [[str(p) for p in sorted(SEEDS.iterdir()) if p.is_file()]]


# ---- the Dask engine ----------------------------------------------------------------------------------


@pytest.mark.parametrize("source", [SEEDS, CORPUS], ids=["seed", "corpus"])
def test_dask_engine_gives_the_pandas_tables(source, cluster):
    pandas_run = tradelib.run_pipeline(source, partition_bytes=3_000)
    dask_run = tradelib.run_pipeline(source, partition_bytes=3_000, engine="dask",
                                     scheduler=cluster.scheduler.address)
    assert dask_run.engine["workers"] == 2 and dask_run.engine["partitions"] == pandas_run.engine["partitions"]
    assert_same_tables(pandas_run.tables(), dask_run.tables())


def test_dask_engine_records_bad_files_and_duplicates(tmp_path, cluster):
    src = _duplicated_corpus(tmp_path)
    res = tradelib.run_pipeline(src, partition_bytes=1, engine="dask", scheduler=cluster.scheduler.address)
    assert_same_tables(tradelib.run_pipeline(src, partition_bytes=1).tables(), res.tables())
    assert any(str(r).startswith("not valid JSON") or "JSON" in str(r) for r in res.skipped["reason"])


def test_on_error_raise_stops_the_run_under_both_engines(tmp_path, cluster):
    src = _duplicated_corpus(tmp_path)  # a.txt, b.txt (duplicate of a.txt), c.txt, d.json (not JSON)
    for kw in ({}, {"engine": "dask", "scheduler": cluster.scheduler.address}):
        # one partition: the first problem in reading order, as load_articles raises it
        with pytest.raises(LoadError, match=r"b\.txt: duplicate of article \w+ \(a\.txt\)"):
            tradelib.run_pipeline(src, on_error="raise", partition_bytes=10**9, **kw)
        # a file per partition: a problem inside a partition is raised by its task, before the
        # duplicates across partitions are looked for
        with pytest.raises(LoadError, match=r"d\.json: malformed JSON"):
            tradelib.run_pipeline(src, on_error="raise", partition_bytes=1, **kw)
    (src / "d.json").unlink()
    with pytest.raises(LoadError, match=r"b\.txt: duplicate of article \w+ \(a\.txt\)"):
        tradelib.run_pipeline(src, on_error="raise", partition_bytes=1, engine="dask",
                              scheduler=cluster.scheduler.address)


def test_local_cluster_started_by_the_engine(tmp_path):
    res = tradelib.run_pipeline(CORPUS, out_dir=tmp_path, engine="dask", partition_bytes=3_000, report=False)
    assert res.engine["workers"] == (os.cpu_count() or 1) and res.engine["startup_seconds"] > 0
    assert_same_tables(tradelib.run_pipeline(CORPUS, partition_bytes=3_000).tables(), res.tables())


def _dies_once(marker: str, step: str, run_dir: str, part: int, options: dict) -> dict:
    """step_part, but the first call kills its worker process before it returns."""
    if not os.path.exists(marker):
        with open(marker, "w") as fh:
            fh.write(str(os.getpid()))
        step_part(step, run_dir, part, options)  # the part file is written ...
        os._exit(1)  # ... and the worker dies before reporting: Dask runs the task again elsewhere
    return step_part(step, run_dir, part, options)


def test_a_worker_that_dies_is_retried_without_duplicate_rows(tmp_path, cluster):
    run_dir = tmp_path / "run"
    pipeline.run_step(run_dir, "load", input_path=CORPUS, partition_bytes=3_000)
    n = len(partitions(run_dir))
    options = {"actor_lexicon": None}
    marker = str(tmp_path / "died")
    with Engine("dask", scheduler=cluster.scheduler.address) as eng:
        eng.map(_dies_once, [(marker, "voices", str(run_dir), k, options) for k in range(n)])
    assert os.path.exists(marker)  # a worker did die
    expected = tradelib.run_pipeline(CORPUS, partition_bytes=3_000)
    for name in ("mentions", "quotes", "sourcing"):
        got = pipeline.table(run_dir, name)
        assert not got.duplicated(KEYS[name]).any(), name
        pdt.assert_frame_equal(_sorted(name, got), _sorted(name, getattr(expected, name)), obj=name,
                               check_dtype=False)


def _cache_misses() -> dict[str, int]:
    from tradelib import _tone_model, actors, relevance, stance, text

    return {"tone model": _tone_model.load_model.cache_info().misses,
            "stance model": stance.default_model.cache_info().misses,
            "relevance model": relevance.load_model.cache_info().misses,
            "actor lexicon": actors._shipped.cache_info().misses,
            "punkt": text.punkt_parameters.cache_info().misses}


def test_models_are_loaded_once_per_worker(cluster):
    cluster.restart()
    res = tradelib.run_pipeline(TEST_DATA / "load", partition_bytes=1, engine="dask",
                                scheduler=cluster.scheduler.address)
    assert res.engine["partitions"] >= 10 and len(res.articles) >= 10
    per_worker = cluster.run(_cache_misses)
    assert len(per_worker) == 2
    for worker, misses in per_worker.items():
        assert all(v <= 1 for v in misses.values()), (worker, misses)
    assert sum(m["tone model"] for m in per_worker.values()) >= 1  # the workers did score tone


@pytest.mark.slow
@needs_reuters
def test_reuters_dask_and_pandas_engines_agree(cluster):
    a = tradelib.run_pipeline(REUTERS)
    b = tradelib.run_pipeline(REUTERS, engine="dask", scheduler=cluster.scheduler.address)
    assert len(a.articles) == 21_578 and a.engine["partitions"] >= 20
    assert_same_tables(a.tables(), b.tables())

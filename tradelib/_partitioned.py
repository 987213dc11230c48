"""The pipeline's steps over the partitions of a run folder, with either engine.

Each per-partition task reads its partition's part files, calls the same step
function that :mod:`tradelib.pipeline` gives for whole tables, and writes its
part files; it returns only small summaries (counts, ids, seconds). Two steps
finish on the driver after every partition is done:

* load: an article id loaded in two partitions is a duplicate, as it would be
  in one :func:`tradelib.load_articles` call: the later copy is dropped from its
  partition and listed in ``skipped`` with the same reason; the manifest is
  summed over partitions;
* corpus: the per-article ``corpus_articles`` parts (one small row per article
  and side) are concatenated and turned into the period indices.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pandas as pd

from tradelib._runfolder import PARTITIONED, clear_table, read_table, table_path, write_table, write_tables
from tradelib.engine import Engine, part_file, plan_partitions
from tradelib.errors import PipelineError

PathLike = str | os.PathLike
#: Steps in order, with the partitioned tables each reads.
STEP_INPUTS = {
    "load": (),
    "voices": ("articles", "sentences"),
    "tone": ("articles", "sentences"),
    "stance": ("sentences", "mentions", "quotes"),
    "corpus": ("articles", "tone", "article_tone", "stance", "mentions"),
}
#: The options of each step (names of run_pipeline's keyword arguments).
STEP_OPTIONS = {
    "load": ("format", "columns", "on_error"),
    "voices": ("actor_lexicon",),
    "tone": ("tone_model", "lm_dictionary", "embeddings_model"),
    "stance": (),
    "corpus": ("relevance_method",),
}
PLAN_FILE = "partitions.json"


def _compute(step: str, tables: dict[str, pd.DataFrame], options: dict[str, Any]) -> dict[str, pd.DataFrame]:
    from tradelib import pipeline as P

    opts = {k: options.get(k) for k in STEP_OPTIONS[step]}
    if step == "voices":
        return P.step_voices(tables["articles"], tables["sentences"], **opts)
    if step == "tone":
        return P.step_tone(tables["articles"], tables["sentences"], **{**opts, "tone_model": opts["tone_model"] or "default"})
    if step == "stance":
        return P.step_stance(tables["sentences"], tables["mentions"], tables["quotes"])
    if step == "corpus":
        return P.step_relevance(tables["articles"], tables["tone"], tables["article_tone"], tables["stance"],
                                tables["mentions"], relevance_method=opts["relevance_method"] or "model")
    raise PipelineError(f"unknown step {step!r}")


def load_part(run_dir: str, part: int, files: list[str], options: dict[str, Any]) -> dict[str, Any]:
    """Load one partition's files and split them into sentences; write its parts; return ids and counts."""
    from tradelib import pipeline as P

    t0 = time.perf_counter()
    tables, loaded = P._load(files, format=options.get("format"), columns=options.get("columns"),
                             on_error=options.get("on_error") or "record")
    for name in ("articles", "skipped", "sentences"):
        write_table(tables[name], part_file(run_dir, name, part))
    ids = [(a, *loaded.origins[a]) for a in tables["articles"]["article_id"]]
    return {"seen": loaded.seen, "ids": ids, "seconds": time.perf_counter() - t0}


def step_part(step: str, run_dir: str, part: int, options: dict[str, Any]) -> dict[str, Any]:
    """Run one step on one partition: read its input parts, compute, write its output parts."""
    t0 = time.perf_counter()
    tables = {n: read_table(part_file(run_dir, n, part)) for n in STEP_INPUTS[step]}
    out = _compute(step, tables, options)
    for name, df in out.items():
        write_table(df, part_file(run_dir, name, part))
    return {"rows": {n: len(df) for n, df in out.items()}, "seconds": time.perf_counter() - t0}


def _finish_load(run_dir: str, results: list[dict[str, Any]], on_error: str) -> None:
    """Drop articles already loaded in an earlier partition (as duplicates) and write the manifest."""
    from tradelib.errors import LoadError
    from tradelib.load import duplicate_reason, manifest
    from tradelib.pipeline import normalise_skipped

    first: dict[str, tuple[str, str | None]] = {}
    dups: dict[int, list[tuple[str, str, str | None]]] = {}
    for k, res in enumerate(results):
        for aid, path, record in res["ids"]:
            if aid in first:
                dups.setdefault(k, []).append((aid, path, record))
            else:
                first[aid] = (path, record)
    if dups and on_error == "raise":
        aid, path, record = dups[min(dups)][0]
        raise LoadError(duplicate_reason(aid, *first[aid]), path=path, record=record)
    for k, rows in dups.items():
        drop = {aid for aid, _, _ in rows}
        for name in ("articles", "sentences"):
            df = read_table(part_file(run_dir, name, k))
            write_table(df[~df["article_id"].isin(drop)], part_file(run_dir, name, k))
        skipped = read_table(part_file(run_dir, "skipped", k))
        extra = pd.DataFrame([{"path": path, "record": record, "reason": duplicate_reason(aid, *first[aid])}
                              for aid, path, record in rows], columns=["path", "record", "reason"])
        write_table(normalise_skipped(pd.concat([skipped, extra], ignore_index=True)),
                    part_file(run_dir, "skipped", k))
    reasons = read_table(table_path(run_dir, "skipped"), columns=["reason"])["reason"]
    seen = sum(r["seen"] for r in results)
    write_tables(run_dir, {"manifest": manifest(seen, len(first), reasons)})


def _finish_corpus(run_dir: str, freq: str) -> None:
    from tradelib import pipeline as P

    table = read_table(table_path(run_dir, "corpus_articles"))
    table = table.sort_values(["article_id", "side"], kind="stable").reset_index(drop=True)
    write_tables(run_dir, P.step_index(table, freq=freq))


def partitions(run_dir: PathLike) -> list[list[str]]:
    """The partition plan written by the load step (files per partition)."""
    path = Path(run_dir) / PLAN_FILE
    if not path.is_file():
        raise PipelineError(f"{run_dir} has no {PLAN_FILE}: run the load step first")
    return json.loads(path.read_text(encoding="utf-8"))["partitions"]


def run_steps(run_dir: PathLike, steps: list[str], engine: Engine, options: dict[str, Any]) -> dict[str, float]:
    """Run ``steps`` (in pipeline order) over every partition of ``run_dir``; return seconds of work per step.

    The load step plans the partitions from ``options["input_path"]`` and
    ``options["partition_bytes"]``, clearing every table of an earlier run.
    The later steps run per partition, each after the steps of the same
    partition whose tables it reads (stance after voices; corpus after voices,
    tone and stance; tone waits for nothing but the load), so that with Dask
    two steps of one partition can run at once and partitions never wait for
    each other. Seconds per step are summed
    over partitions (work, not wall time, under Dask).
    """
    run_dir = str(Path(run_dir).resolve())
    seconds: dict[str, float] = {}
    if "load" in steps:
        plan = plan_partitions(options["input_path"], partition_bytes=options["partition_bytes"])
        for name in PARTITIONED + ("manifest", "corpus", "corpus_by_source", "corpus_by_side"):
            clear_table(run_dir, name)
        Path(run_dir).mkdir(parents=True, exist_ok=True)
        (Path(run_dir) / PLAN_FILE).write_text(json.dumps({"partitions": plan}, indent=1) + "\n", encoding="utf-8")
        results = engine.map(load_part, [(run_dir, k, files, options) for k, files in enumerate(plan)], desc="load")
        t0 = time.perf_counter()
        _finish_load(run_dir, results, options.get("on_error") or "record")
        seconds["load"] = sum(r["seconds"] for r in results) + time.perf_counter() - t0
    n = len(partitions(run_dir))
    middle = [s for s in ("voices", "tone", "stance", "corpus") if s in steps]
    if middle:
        for s in middle:
            for name in _outputs(s):
                clear_table(run_dir, name)
        tasks = [((s, k), step_part, (s, run_dir, k, options), [(t, k) for t in _waits_for(s, middle)])
                 for k in range(n) for s in middle]
        done = engine.graph(tasks, desc="+".join(middle))
        for s in middle:
            seconds[s] = sum(done[(s, k)]["seconds"] for k in range(n))
    if "corpus" in steps:
        t0 = time.perf_counter()
        _finish_corpus(run_dir, options.get("freq") or "auto")
        seconds["corpus"] = seconds.get("corpus", 0.0) + time.perf_counter() - t0
    return {k: round(v, 3) for k, v in seconds.items()}


def _waits_for(step: str, steps: list[str]) -> list[str]:
    """The steps of ``steps`` before ``step`` that write a table ``step`` reads (voices and tone wait for none)."""
    before = steps[:steps.index(step)]
    return [t for t in before if set(_outputs(t)) & set(STEP_INPUTS[step])]


def _outputs(step: str) -> tuple[str, ...]:
    from tradelib.pipeline import STEP_TABLES

    return STEP_TABLES[step]

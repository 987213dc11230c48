"""Partitions of the input and the engines that run the pipeline's steps over them.

A run splits its input files into *partitions* (consecutive files in the
loader's sorted order, about ``partition_bytes`` of input each; a file is never
split). Each step reads a partition's part files, computes, and writes its own
part files (``tables/<name>/part-NNNNN.parquet``), so that no step holds more
than one partition's tables in memory per worker. Two engines run the same
per-partition functions:

``"pandas"``
    one partition after the other, in this process;
``"dask"``
    the partitions as tasks on a ``dask.distributed`` cluster: a
    ``LocalCluster`` with one single-threaded worker process per core when no
    scheduler address is given, or the cluster at ``scheduler``
    (``tcp://host:8786``). Workers need tradelib installed (same version) and
    must see the input files and the run folder at the same paths.

Because both engines call the same functions on the same partitions, they
write the same tables. A part file is written to a temporary name and renamed,
so a task that Dask retries after its worker died overwrites its own part and
never duplicates rows.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tradelib.errors import InputError, PipelineError

ENGINES = ("pandas", "dask")
#: Default input bytes per partition: one Reuters-21578 SGML file (~1.3 MB, ~1,000 stories) each.
PARTITION_BYTES = 2_000_000
PathLike = str | os.PathLike


def plan_partitions(paths: Iterable[PathLike], *, partition_bytes: int = PARTITION_BYTES) -> list[list[str]]:
    """Group the input files into partitions of about ``partition_bytes`` each.

    Files come in the order :func:`tradelib.load_articles` reads them (folders
    recursively, sorted); consecutive files are packed until the next would
    pass ``partition_bytes``. A file larger than that is a partition of its own
    (files are never split). No input files give one empty partition, so that
    every table still exists with its columns.

    Returns
    -------
    list of list of str
        The files of each partition.
    """
    from tradelib.load import _iter_files

    if partition_bytes <= 0:
        raise InputError(f"partition_bytes must be positive, not {partition_bytes!r}")
    parts: list[list[str]] = []
    cur: list[str] = []
    size = 0
    for f in _iter_files(paths):
        try:
            n = f.stat().st_size
        except OSError:  # missing or unreadable: the loader records why
            n = 0
        if cur and size + n > partition_bytes:
            parts.append(cur)
            cur, size = [], 0
        cur.append(str(f))
        size += n
    if cur or not parts:
        parts.append(cur)
    return parts


def _progress(total: int, desc: str, enabled: bool, unit: str = "part") -> Any:
    from tqdm.std import tqdm

    return tqdm(total=total, desc=desc, unit=unit, disable=not enabled, file=sys.stderr, mininterval=1.0,
                ascii=True)


class Engine:
    """Runs per-partition functions with pandas (in process) or on a Dask cluster.

    Use as a context manager; a Dask cluster or client is started on entry and
    closed on exit.

    Parameters
    ----------
    kind : {"pandas", "dask"}
        The engine.
    scheduler : str, optional
        Address of a running Dask scheduler (``tcp://host:8786``). ``None``
        starts a ``LocalCluster`` with ``n_workers`` single-threaded worker
        processes.
    n_workers : int, optional
        Workers of the local cluster; one per core when ``None``.
    progress : bool
        Progress bars over partitions, on stderr.

    Attributes
    ----------
    startup_seconds : float
        Time taken to start the cluster or connect to it (0 for pandas).
    workers : int
        Worker processes that ran the tasks (1 for pandas).
    """

    def __init__(self, kind: str = "pandas", *, scheduler: str | None = None, n_workers: int | None = None,
                 progress: bool = False):
        if kind not in ENGINES:
            raise InputError(f"engine must be one of {ENGINES}, not {kind!r}")
        if scheduler is not None and kind != "dask":
            raise InputError("a scheduler address needs engine='dask'")
        if n_workers is not None and n_workers < 1:
            raise InputError(f"n_workers must be at least 1, not {n_workers!r}")
        self.kind = kind
        self.scheduler = scheduler
        self.n_workers = n_workers
        self.progress = progress
        self.client: Any = None
        self._cluster: Any = None
        self.startup_seconds = 0.0
        self.workers = 1

    def __enter__(self) -> Engine:
        if self.kind == "dask":
            self._start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _start(self) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - dask is a dependency
            raise PipelineError("engine='dask' needs dask.distributed: pip install 'dask[distributed]'") from exc
        t0 = time.perf_counter()
        try:
            if self.scheduler is None:
                self._cluster = LocalCluster(n_workers=self.n_workers or os.cpu_count() or 1, threads_per_worker=1,
                                             processes=True, dashboard_address=":0")
                self.client = Client(self._cluster)
            else:
                self.client = Client(self.scheduler, timeout="20s")
        except (OSError, TimeoutError) as exc:
            self.close()
            raise PipelineError(f"cannot start or reach the Dask scheduler {self.scheduler or '(local)'}: {exc}") from exc
        self.workers = len(self.client.scheduler_info().get("workers", {})) or 1
        self.startup_seconds = time.perf_counter() - t0

    def close(self) -> None:
        """Close the client and the local cluster (if this engine started one)."""
        for obj in (self.client, self._cluster):
            if obj is not None:
                obj.close()
        self.client = self._cluster = None

    def graph(self, tasks: Sequence[tuple[Any, Callable[..., Any], tuple, Sequence[Any]]], *,
              desc: str = "parts") -> dict[Any, Any]:
        """Run calls that may wait for each other; return each call's result by its key.

        Each task is ``(key, function, args, after)``: ``function(*args)`` starts
        once the tasks whose keys are in ``after`` have ended (their results are
        not passed on: steps hand over tables through the run folder). Tasks
        must come in an order where every task follows those it waits for. The
        pandas engine runs them in that order; Dask runs each as soon as what it
        waits for is done and a worker is free, so independent steps of one
        partition (voices and tone) can run on two workers at once. Earlier
        tasks have priority, so partitions finish roughly in input order.
        """
        keys = [t[0] for t in tasks]
        if len(set(keys)) != len(keys):
            raise PipelineError("task keys must be unique")
        seen: set[Any] = set()
        for key, _, _, after in tasks:
            missing = [a for a in after if a not in seen]
            if missing:
                raise PipelineError(f"task {key!r} waits for {missing!r}, which do not come before it")
            seen.add(key)
        if self.kind == "pandas":
            out: dict[Any, Any] = {}
            with _progress(len(tasks), desc, self.progress, "task") as bar:
                for key, fn, args, _ in tasks:
                    out[key] = fn(*args)
                    bar.update(1)
            return out
        if self.client is None:
            raise PipelineError("the Dask engine is not started: use it as a context manager")
        from distributed import as_completed

        futures: dict[Any, Any] = {}
        for n, (key, fn, args, after) in enumerate(tasks):
            futures[key] = self.client.submit(_after, fn, args, *(futures[a] for a in after), pure=False,
                                              priority=len(tasks) - n)
        with _progress(len(futures), desc, self.progress, "task") as bar:
            for _ in as_completed(list(futures.values())):
                bar.update(1)
        results = self.client.gather(list(futures.values()))
        return dict(zip(futures, results))

    def chains(self, chains: Sequence[Sequence[tuple[Callable[..., Any], tuple]]], *, desc: str = "parts") -> list[list[Any]]:
        """Run sequences of calls; calls of one sequence in order, sequences independent.

        Each sequence is a list of ``(function, args)``; ``function(*args)`` of
        step ``i + 1`` starts after step ``i`` of the same sequence has ended
        (a :meth:`graph` where each call waits for the one before it).

        Returns
        -------
        list of list
            Each call's return value, by sequence and step.
        """
        tasks = [((c, i), fn, args, [(c, i - 1)] if i else [])
                 for c, chain in enumerate(chains) for i, (fn, args) in enumerate(chain)]
        done = self.graph(tasks, desc=desc)
        return [[done[(c, i)] for i in range(len(chain))] for c, chain in enumerate(chains)]

    def map(self, fn: Callable[..., Any], args: Sequence[tuple], *, desc: str = "parts") -> list[Any]:
        """``fn(*a)`` for each ``a`` in ``args``, in parallel with Dask; results in order."""
        return [r[0] for r in self.chains([[(fn, a)] for a in args], desc=desc)]


def _after(fn: Callable[..., Any], args: tuple, *_previous: Any) -> Any:
    """Call ``fn(*args)``; ``_previous`` are the results of the tasks it waited for, passed only to order them."""
    return fn(*args)


#: Within a step, sentence tables longer than this are scored in chunks of whole articles, with a progress bar.
CHUNK_SENTENCES = 20_000


def _by_article_chunks(table: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    """Split a table into consecutive pieces of whole articles, about ``size`` rows each."""
    if len(table) <= size:
        return [table]
    ids = table["article_id"].to_numpy()
    change = np.flatnonzero(ids[1:] != ids[:-1]) + 1  # first row of each new article
    cuts, last = [0], 0
    for c in change:
        if c - last >= size:
            cuts.append(int(c))
            last = c
    cuts.append(len(table))
    return [table.iloc[a:b] for a, b in zip(cuts[:-1], cuts[1:]) if b > a]


def _chunked(fn: Any, table: pd.DataFrame, *, desc: str, progress: bool, size: int | None = None,
             related: pd.DataFrame | None = None) -> pd.DataFrame:
    """``fn(piece)`` (or ``fn(piece, related rows of the same articles)``) over article chunks, concatenated.

    Every step function scores articles independently, so the chunked result
    equals the one-call result; the chunks only give a progress bar. ``size``
    defaults to ``CHUNK_SENTENCES`` (read at call time).
    """
    from tqdm.std import tqdm

    pieces = _by_article_chunks(table, CHUNK_SENTENCES if size is None else size)
    if len(pieces) == 1:
        return fn(table) if related is None else fn(table, related)
    out = []
    with tqdm(total=len(table), desc=desc, unit="row", disable=not progress, file=sys.stderr,
              mininterval=1.0, ascii=True) as bar:
        for piece in pieces:
            if related is None:
                out.append(fn(piece))
            else:
                out.append(fn(piece, related[related["article_id"].isin(piece["article_id"].unique())]))
            bar.update(len(piece))
    return pd.concat(out, ignore_index=True)


def part_file(run_dir: PathLike, name: str, part: int) -> Path:
    """Where partition ``part`` of table ``name`` lives: ``tables/<name>/part-NNNNN.parquet``."""
    return Path(run_dir) / "tables" / name / f"part-{part:05d}.parquet"

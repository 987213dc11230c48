"""The analysis chain as plain functions: articles in, every table out.

The step functions (``step_load``, ``step_voices``, ``step_tone``,
``step_stance``, ``step_relevance``, ``step_index``) take and return whole
tables. A run applies them partition by partition (:mod:`tradelib.engine`):
the numbered notebooks under ``notebooks/`` call :func:`run_step` once per
step, and :func:`run_pipeline` runs every step in one call for use in other
analyses, without notebooks. Both take ``engine="pandas"`` (in process, one
partition after the other) or ``engine="dask"`` (the partitions as tasks on a
Dask cluster), and give the same tables.

Run folder layout (``reports/<run>/``)::

    tables/<name>/part-NNNNN.parquet  per-article tables, one part per partition (PARTITIONED)
    tables/<name>.parquet             manifest and the corpus indices
    partitions.json                   the input files of each partition
    figures/<name>.png|svg            the report's figures
    NN_<step>.ipynb                   executed notebooks (command-line runs only)
    run.json                          inputs with checksums, parameters, versions, engine, times
    report.html                       the self-contained report

:func:`read_table` / :func:`read_tables` read a partitioned table as one frame
(parts in partition order; within a part, rows in key order).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from tradelib._runfolder import (  # noqa: F401  (re-exported: the notebooks use pipeline.read_tables etc.)
    PARTITIONED,
    count_rows,
    table,
    input_files,
    read_table,
    read_tables,
    run_info,
    table_path,
    versions,
    write_run_json,
    write_table,
    write_tables,
)
from tradelib.engine import CHUNK_SENTENCES, ENGINES, PARTITION_BYTES, Engine, _by_article_chunks, _chunked  # noqa: F401
from tradelib.errors import InputError

#: Every table a run produces, in the order the steps make them.
TABLES = (
    "articles",
    "skipped",
    "manifest",
    "sentences",
    "mentions",
    "quotes",
    "sourcing",
    "tone",
    "article_tone",
    "stance",
    "stance_by_side",
    "quote_scores",
    "relevance",
    "corpus_articles",
    "corpus",
    "corpus_by_source",
    "corpus_by_side",
)
#: The tables each step writes.
STEP_TABLES = {
    "load": ("articles", "skipped", "manifest", "sentences"),
    "voices": ("mentions", "quotes", "sourcing"),
    "tone": ("tone", "article_tone"),
    "stance": ("stance", "stance_by_side", "quote_scores"),
    "corpus": ("relevance", "corpus_articles", "corpus", "corpus_by_source", "corpus_by_side"),
}
PathLike = str | os.PathLike


# ---- steps -----------------------------------------------------------------------------------------


def _as_paths(input_path: PathLike | Iterable[PathLike]) -> list[str]:
    if isinstance(input_path, (str, os.PathLike)):
        input_path = [input_path]
    paths = [str(p) for p in input_path]
    if not paths:
        raise InputError("no input given: pass at least one file or folder")
    return paths


def normalise_skipped(skipped: pd.DataFrame) -> pd.DataFrame:
    """``skipped`` with ``path`` and ``reason`` as str and ``record`` as str or None."""
    skipped = skipped.copy()
    skipped["path"] = skipped["path"].astype("str")
    skipped["reason"] = skipped["reason"].astype("str")
    skipped["record"] = skipped["record"].map(lambda v: None if v is None else str(v)).astype(object)
    return skipped


def _load(files: list[str], *, format: str | None, columns: dict[str, str] | None,
          on_error: str) -> tuple[dict[str, pd.DataFrame], Any]:
    from tradelib.load import load_articles
    from tradelib.text import split_sentences

    loaded = load_articles(files, format=format, columns=columns, on_error=on_error)
    articles = loaded.articles.sort_values("article_id", kind="stable").reset_index(drop=True)
    tables = {"articles": articles, "skipped": normalise_skipped(loaded.skipped), "manifest": loaded.summary(),
              "sentences": split_sentences(articles)}
    return tables, loaded


def step_load(
    input_path: PathLike | Iterable[PathLike],
    *,
    format: str | None = None,
    columns: dict[str, str] | None = None,
    on_error: str = "record",
) -> dict[str, pd.DataFrame]:
    """Load articles and split them into sentences.

    Returns
    -------
    dict
        ``articles``, ``skipped`` (``path, record, reason``), ``manifest``
        (``what, count``: seen, loaded, skipped, skipped by reason) and
        ``sentences``.
    """
    return _load(_as_paths(input_path), format=format, columns=columns, on_error=on_error)[0]


def step_voices(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    actor_lexicon: PathLike | None = None,
    progress: bool = False,
) -> dict[str, pd.DataFrame]:
    """Actors with their side, direct quotes with their speakers, and sourcing per sentence.

    Returns
    -------
    dict
        ``mentions`` (:func:`tradelib.find_actors`), ``quotes``
        (:func:`tradelib.extract_quotes`) and ``sourcing``
        (:func:`tradelib.classify_sourcing`).
    """
    from tradelib.actors import find_actors
    from tradelib.quotes import classify_sourcing, extract_quotes

    return {
        "mentions": _chunked(lambda s: find_actors(s, lexicon=actor_lexicon), sentences,
                             desc="actors", progress=progress),
        "quotes": _chunked(lambda a: extract_quotes(a, lexicon=actor_lexicon), articles, desc="quotes",
                           progress=progress, size=2_000),
        "sourcing": _chunked(lambda s: classify_sourcing(s, lexicon=actor_lexicon), sentences, desc="sourcing",
                             progress=progress),
    }


def step_tone(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    *,
    tone_model: str = "default",
    lm_dictionary: PathLike | None = None,
    embeddings_model: PathLike | None = None,
    progress: bool = False,
) -> dict[str, pd.DataFrame]:
    """Sentence tone and article tone.

    Returns
    -------
    dict
        ``tone`` (:func:`tradelib.score_tone` on the sentence table) and
        ``article_tone`` (:func:`tradelib.article_tone`).
    """
    from tradelib.tone import article_tone, score_tone

    kwargs: dict[str, Any] = {}
    if tone_model != "default":
        kwargs["model"] = tone_model
    if lm_dictionary is not None:
        kwargs["lm_dictionary"] = lm_dictionary
    if embeddings_model is not None:
        kwargs["embeddings_model"] = embeddings_model
    tone = _chunked(lambda s: score_tone(s, **kwargs), sentences, desc="tone", progress=progress)
    return {"tone": tone, "article_tone": article_tone(articles, sentences, tone)}


def step_stance(
    sentences: pd.DataFrame, mentions: pd.DataFrame, quotes: pd.DataFrame, *, progress: bool = False
) -> dict[str, pd.DataFrame]:
    """Escalation / de-escalation stance per sentence, per article and side, and of each quote.

    Returns
    -------
    dict
        ``stance`` (:func:`tradelib.score_stance`), ``stance_by_side``
        (:func:`tradelib.stance_by_side`) and ``quote_scores`` (``article_id,
        quote_idx, tone, stance, stance_score``: the tone and stance of each
        quote's own words).
    """
    from tradelib.stance import score_stance, stance_by_side
    from tradelib.tone import score_tone

    stance = _chunked(lambda s, m: score_stance(s, mentions=m), sentences, desc="stance", progress=progress,
                      related=mentions)
    scores = quotes[["article_id", "quote_idx"]].reset_index(drop=True)
    texts = quotes["text"].fillna("").astype(str).tolist()
    if texts:
        scores["tone"] = score_tone(texts)["tone"].to_numpy()
        qs = score_stance(texts)
        scores["stance"] = qs["stance"].to_numpy()
        scores["stance_score"] = qs["stance_score"].to_numpy()
    else:
        scores = scores.assign(tone=pd.Series(dtype="float64"), stance=pd.Series(dtype="str"),
                               stance_score=pd.Series(dtype="float64"))
    return {"stance": stance, "stance_by_side": stance_by_side(stance, mentions), "quote_scores": scores}


def choose_freq(published: pd.Series) -> str:
    """Period length for corpus series: days up to ~6 weeks, weeks up to ~1 year, else months."""
    dates = pd.to_datetime(published, utc=True).dropna()
    if dates.empty:
        return "D"
    span = dates.max() - dates.min()
    if span <= pd.Timedelta(days=45):
        return "D"
    if span <= pd.Timedelta(days=400):
        return "W"
    return "M"


def step_relevance(
    articles: pd.DataFrame,
    tone: pd.DataFrame,
    article_tone: pd.DataFrame,
    stance: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    relevance_method: str = "model",
) -> dict[str, pd.DataFrame]:
    """Trade relevance per article and the per-article corpus table.

    Returns
    -------
    dict
        ``relevance`` (:func:`tradelib.trade_relevance`) and ``corpus_articles``
        (:func:`tradelib.corpus.corpus_table`: one row per article and side,
        what the period indices aggregate).
    """
    from tradelib.corpus import corpus_table
    from tradelib.relevance import trade_relevance

    relevance = trade_relevance(articles, method=relevance_method)
    per_article = corpus_table(articles, relevance=relevance, article_tone=article_tone, stance=stance,
                               mentions=mentions, tone=tone)
    return {"relevance": relevance, "corpus_articles": per_article}


def step_index(corpus_articles: pd.DataFrame, *, freq: str = "auto") -> dict[str, pd.DataFrame]:
    """Tone, stance and uncertainty indices per period: overall, by source and by side.

    Returns
    -------
    dict
        :func:`tradelib.corpus_index` overall (``corpus``), by source
        (``corpus_by_source``) and by side (``corpus_by_side``). Freq ``"auto"``
        picks days, weeks or months from the span of the dates
        (:func:`choose_freq`). Articles without a date are left out of the
        series (the tables are empty when none has a date).
    """
    from tradelib.corpus import corpus_index

    if freq == "auto":
        freq = choose_freq(corpus_articles["published"])
    return {name: corpus_index(corpus_articles, freq=freq, by=by)
            for name, by in (("corpus", None), ("corpus_by_source", "source"), ("corpus_by_side", "side"))}


# ---- runs over partitions -----------------------------------------------------------------------------


def _options(input_path: Any, **kw: Any) -> dict[str, Any]:
    """Plain-valued run parameters (paths as str), as recorded in run.json."""
    out: dict[str, Any] = {"input_path": None if input_path is None else _as_paths(input_path)}
    for k, v in kw.items():
        out[k] = str(v) if isinstance(v, os.PathLike) else v
    return out


def run_step(
    run_dir: PathLike,
    step: str,
    *,
    engine: str = "pandas",
    scheduler: str | None = None,
    progress: bool = False,
    **options: Any,
) -> dict[str, float]:
    """Run one step of the chain over every partition of a run folder (what each notebook calls).

    Parameters
    ----------
    run_dir : path
        The run folder; the step reads the tables of the steps before it there.
    step : {"load", "voices", "tone", "stance", "corpus"}
        The step.
    engine, scheduler
        As for :func:`run_pipeline`.
    progress : bool
        A progress bar over partitions.
    **options
        The step's options, named as in :func:`run_pipeline` (``input_path``
        and ``partition_bytes`` for ``"load"``).

    Returns
    -------
    dict
        Seconds of work of the step, summed over partitions.
    """
    from tradelib._partitioned import STEP_OPTIONS, run_steps

    if step not in STEP_OPTIONS:
        raise InputError(f"step must be one of {tuple(STEP_OPTIONS)}, not {step!r}")
    allowed = set(STEP_OPTIONS[step]) | ({"input_path", "partition_bytes"} if step == "load" else set())
    allowed |= {"freq"} if step == "corpus" else set()
    unknown = set(options) - allowed
    if unknown:
        raise InputError(f"step {step!r} takes no option(s) {sorted(unknown)}; it takes {sorted(allowed)}")
    if step == "load":
        options = _options(options.pop("input_path", None), **options)
        options.setdefault("partition_bytes", PARTITION_BYTES)
        if options["input_path"] is None:
            raise InputError("the load step needs input_path")
    with Engine(engine, scheduler=scheduler, progress=progress) as eng:
        return run_steps(run_dir, [step], eng, options)


class PipelineResult:
    """Every table of one run, read from its run folder when first used.

    Attributes are the tables (``res.quotes``, ``res.stance``... see
    ``TABLES`` and the README's data dictionary); ``tables()`` gives them all
    as a dict; ``options`` the parameters used, ``run_dir`` the folder (None
    when the run was kept in memory), ``engine`` the engine's details. With
    ``out_dir``, :func:`run_pipeline` does not load the tables: each is read
    from Parquet on first use, so a corpus larger than memory can be run and
    then explored table by table (``tradelib.pipeline.read_table`` takes
    ``columns=`` and ``article_ids=`` to read less).
    """

    def __init__(self, run_dir: PathLike | None, options: dict[str, Any], *,
                 tables: dict[str, pd.DataFrame] | None = None, engine: dict[str, Any] | None = None):
        self.run_dir = None if run_dir is None else Path(run_dir)
        self.options = options
        self.engine = engine or {}
        self._tables: dict[str, pd.DataFrame] = dict(tables or {})

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name.startswith("_") or name not in TABLES:
            raise AttributeError(name)
        if name not in self._tables:
            if self.run_dir is None:
                raise AttributeError(name)
            self._tables[name] = read_table(table_path(self.run_dir, name))
        return self._tables[name]

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(TABLES))

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name, in ``TABLES`` order."""
        return {n: getattr(self, n) for n in TABLES}


def run_pipeline(
    input_path: PathLike | Iterable[PathLike],
    *,
    out_dir: PathLike | None = None,
    format: str | None = None,
    columns: dict[str, str] | None = None,
    on_error: str = "record",
    actor_lexicon: PathLike | None = None,
    tone_model: str = "default",
    lm_dictionary: PathLike | None = None,
    embeddings_model: PathLike | None = None,
    relevance_method: str = "model",
    freq: str = "auto",
    engine: str = "pandas",
    scheduler: str | None = None,
    partition_bytes: int = PARTITION_BYTES,
    report: bool = True,
    progress: bool = False,
) -> PipelineResult:
    """Run every step on files or folders of articles and return all the tables.

    The same functions the notebooks call, in the same order, without Jupyter.
    The input files are split into partitions of about ``partition_bytes``
    (:func:`tradelib.engine.plan_partitions`); each partition goes through
    load, sentences, voices, tone, stance and relevance on its own and its
    tables are written as Parquet parts, so memory stays bounded by the
    partition size, not the corpus size. Articles loaded twice in different
    partitions are skipped as duplicates, as within one file.

    Parameters
    ----------
    input_path : path or iterable of paths
        Files or folders that :func:`tradelib.load_articles` reads.
    out_dir : path, optional
        The run folder: tables (``tables/``), ``partitions.json``,
        ``run.json`` and, with ``report=True``, figures and ``report.html``.
        Without it the run goes to a temporary folder and every table is
        loaded into the result before the folder is removed.
    format, columns, on_error
        Passed to :func:`tradelib.load_articles`.
    actor_lexicon : path, optional
        Extra actor lexicon for :func:`tradelib.find_actors`.
    tone_model : str
        ``"default"`` or ``"embeddings"`` (needs the ``embeddings`` extra).
    lm_dictionary : path, optional
        The user's Loughran-McDonald Master Dictionary CSV.
    embeddings_model : path, optional
        A local sentence-transformers model folder for ``tone_model="embeddings"``.
    relevance_method : {"model", "keywords"}
        For :func:`tradelib.trade_relevance`.
    freq : str
        Period of the corpus series: ``"auto"``, ``"D"``, ``"W"`` or ``"M"``.
    engine : {"pandas", "dask"}
        ``"pandas"`` runs the partitions one after the other in this process;
        ``"dask"`` runs them as tasks on a Dask cluster (see ``scheduler``).
        Both give the same tables.
    scheduler : str, optional
        With ``engine="dask"``: a scheduler address (``tcp://host:8786``);
        ``None`` starts a ``LocalCluster`` with one worker process per core.
    partition_bytes : int
        Input bytes per partition (files are never split).
    report : bool
        With ``out_dir``, also render ``report.html``.
    progress : bool
        Progress bars over partitions.

    Returns
    -------
    PipelineResult
        Tables ``articles, skipped, manifest, sentences, mentions, quotes,
        sourcing, tone, article_tone, stance, stance_by_side, quote_scores,
        relevance, corpus_articles, corpus, corpus_by_source, corpus_by_side``;
        ``options``; ``engine`` (engine, workers, partitions, cluster
        start-up seconds).

    Examples
    --------
    >>> import tradelib
    >>> res = tradelib.run_pipeline("seeds")          # doctest: +SKIP
    >>> res.quotes[["speaker", "text"]]                # doctest: +SKIP
    >>> big = tradelib.run_pipeline("corpus/", out_dir="reports/big", engine="dask")  # doctest: +SKIP
    """
    import shutil
    import tempfile
    import time

    from tradelib._partitioned import partitions, run_steps

    if engine not in ENGINES:
        raise InputError(f"engine must be one of {ENGINES}, not {engine!r}")
    options = _options(
        input_path, format=format, columns=columns, on_error=on_error, actor_lexicon=actor_lexicon,
        tone_model=tone_model, lm_dictionary=lm_dictionary, embeddings_model=embeddings_model,
        relevance_method=relevance_method, freq=freq, engine=engine, scheduler=scheduler,
        partition_bytes=partition_bytes,
    )
    run_dir = Path(out_dir) if out_dir is not None else Path(tempfile.mkdtemp(prefix="tradelib-run-"))
    try:
        started = time.time()
        with Engine(engine, scheduler=scheduler, progress=progress) as eng:
            t0 = time.perf_counter()
            seconds = run_steps(run_dir, list(STEP_TABLES), eng, options)
            details = {"engine": engine, "scheduler": scheduler, "workers": eng.workers,
                       "partitions": len(partitions(run_dir)), "startup_seconds": round(eng.startup_seconds, 3),
                       "wall_seconds": round(time.perf_counter() - t0, 3)}
        if out_dir is None:
            return PipelineResult(None, options, tables=read_tables(run_dir, TABLES), engine=details)
        if report:
            from tradelib import report as _report

            _report.save_figures(run_dir)
        info = run_info(options["input_path"], options, started=started, ended=time.time(),
                        seconds={f"step_{k}": v for k, v in seconds.items()}, status="ok", runner="run_pipeline")
        info["engine"] = details
        write_run_json(run_dir, info)
        if report:
            _report.render_report(run_dir)
        return PipelineResult(run_dir, options, engine=details)
    finally:
        if out_dir is None:
            shutil.rmtree(run_dir, ignore_errors=True)

"""The analysis chain as plain functions: articles in, every table out.

The numbered notebooks under ``notebooks/`` call the step functions here one by
one (``step_load``, ``step_voices``, ``step_tone``, ``step_stance``,
``step_corpus``) and pass tables between them as Parquet files in a run
folder (:func:`write_tables` / :func:`read_tables`). :func:`run_pipeline` runs
the same steps in one call for use in other analyses, without notebooks.

Run folder layout (``reports/<run>/``)::

    tables/<name>.parquet   one file per table (see TABLES)
    figures/<name>.png|svg  the report's figures
    NN_<step>.ipynb         executed notebooks (command-line runs only)
    run.json                inputs with checksums, parameters, versions, times
    report.html             the self-contained report
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

from tradelib._runfolder import (  # noqa: F401  (re-exported: the notebooks use pipeline.read_tables etc.)
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
    "corpus": ("relevance", "corpus", "corpus_by_source", "corpus_by_side"),
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
    from tradelib.load import load_articles
    from tradelib.text import split_sentences

    loaded = load_articles(_as_paths(input_path), format=format, columns=columns, on_error=on_error)
    articles = loaded.articles.sort_values("article_id", kind="stable").reset_index(drop=True)
    skipped = loaded.skipped.copy()
    skipped["path"] = skipped["path"].astype("str")
    skipped["reason"] = skipped["reason"].astype("str")
    skipped["record"] = skipped["record"].map(lambda v: None if v is None else str(v)).astype(object)
    return {
        "articles": articles,
        "skipped": skipped,
        "manifest": loaded.summary(),
        "sentences": split_sentences(articles),
    }


#: Sentence tables longer than this are scored in chunks of whole articles, with a progress bar.
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


def _chunked(fn: Any, table: pd.DataFrame, *, desc: str, progress: bool, size: int = CHUNK_SENTENCES,
             related: pd.DataFrame | None = None) -> pd.DataFrame:
    """``fn(piece)`` (or ``fn(piece, related rows of the same articles)``) over article chunks, concatenated.

    Every step function scores articles independently, so the chunked result
    equals the one-call result; the chunks only give a progress bar.
    """
    from tqdm.std import tqdm

    pieces = _by_article_chunks(table, size)
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


def step_corpus(
    articles: pd.DataFrame,
    sentences: pd.DataFrame,
    tone: pd.DataFrame,
    article_tone: pd.DataFrame,
    stance: pd.DataFrame,
    mentions: pd.DataFrame,
    *,
    relevance_method: str = "model",
    freq: str = "auto",
) -> dict[str, pd.DataFrame]:
    """Trade relevance per article and tone/stance/uncertainty indices over time.

    Returns
    -------
    dict
        ``relevance`` (:func:`tradelib.trade_relevance`), and
        :func:`tradelib.corpus_index` overall (``corpus``), by source
        (``corpus_by_source``) and by side (``corpus_by_side``). Freq ``"auto"``
        picks days, weeks or months from the span of the dates
        (:func:`choose_freq`). Articles without a date are left out of the
        series (the corpus tables are empty when none has a date).
    """
    from tradelib.corpus import corpus_index, corpus_table
    from tradelib.relevance import trade_relevance

    relevance = trade_relevance(articles, method=relevance_method)
    if freq == "auto":
        freq = choose_freq(articles["published"])
    table = corpus_table(
        articles, relevance=relevance, article_tone=article_tone, stance=stance, mentions=mentions, tone=tone
    )
    out = {"relevance": relevance}
    for name, by in (("corpus", None), ("corpus_by_source", "source"), ("corpus_by_side", "side")):
        out[name] = corpus_index(table, freq=freq, by=by)
    return out


# ---- one call -----------------------------------------------------------------------------------------


@dataclass
class PipelineResult:
    """Every table of one run. See the README's data dictionary for the columns.

    ``tables()`` gives them as a dict; ``options`` the parameters used.
    """

    articles: pd.DataFrame
    skipped: pd.DataFrame
    manifest: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    quotes: pd.DataFrame
    sourcing: pd.DataFrame
    tone: pd.DataFrame
    article_tone: pd.DataFrame
    stance: pd.DataFrame
    stance_by_side: pd.DataFrame
    quote_scores: pd.DataFrame
    relevance: pd.DataFrame
    corpus: pd.DataFrame
    corpus_by_source: pd.DataFrame
    corpus_by_side: pd.DataFrame
    options: dict[str, Any] = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name, in ``TABLES`` order."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in TABLES}


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
    report: bool = True,
    progress: bool = False,
) -> PipelineResult:
    """Run every step on files or folders of articles and return all the tables.

    The same functions the notebooks call, in the same order, without Jupyter.

    Parameters
    ----------
    input_path : path or iterable of paths
        Files or folders that :func:`tradelib.load_articles` reads.
    out_dir : path, optional
        When given, the tables are written there as Parquet (``tables/``) and,
        with ``report=True``, the figures, ``run.json`` and ``report.html`` too.
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
    report : bool
        With ``out_dir``, also render ``report.html``.
    progress : bool
        Show progress bars (over the steps, and within long steps).

    Returns
    -------
    PipelineResult
        Tables ``articles, skipped, manifest, sentences, mentions, quotes,
        sourcing, tone, article_tone, stance, stance_by_side, quote_scores, relevance,
        corpus, corpus_by_source, corpus_by_side`` and ``options``.

    Examples
    --------
    >>> import tradelib
    >>> res = tradelib.run_pipeline("seeds")          # doctest: +SKIP
    >>> res.quotes[["speaker", "text"]]                # doctest: +SKIP
    """
    import time

    from tqdm.std import tqdm

    options = {
        "input_path": _as_paths(input_path),
        "format": format,
        "columns": columns,
        "on_error": on_error,
        "actor_lexicon": None if actor_lexicon is None else str(actor_lexicon),
        "tone_model": tone_model,
        "lm_dictionary": None if lm_dictionary is None else str(lm_dictionary),
        "embeddings_model": None if embeddings_model is None else str(embeddings_model),
        "relevance_method": relevance_method,
        "freq": freq,
    }
    t: dict[str, pd.DataFrame] = {}
    seconds: dict[str, float] = {}
    steps = [
        ("load", lambda: step_load(input_path, format=format, columns=columns, on_error=on_error)),
        ("voices", lambda: step_voices(t["articles"], t["sentences"], actor_lexicon=actor_lexicon, progress=progress)),
        ("tone", lambda: step_tone(t["articles"], t["sentences"], tone_model=tone_model, lm_dictionary=lm_dictionary,
                                   embeddings_model=embeddings_model, progress=progress)),
        ("stance", lambda: step_stance(t["sentences"], t["mentions"], t["quotes"], progress=progress)),
        ("corpus", lambda: step_corpus(t["articles"], t["sentences"], t["tone"], t["article_tone"], t["stance"],
                                       t["mentions"], relevance_method=relevance_method, freq=freq)),
    ]
    started = time.time()
    for name, fn in tqdm(steps, desc="tradelib", unit="step", disable=not progress):
        t0 = time.perf_counter()
        t.update(fn())
        seconds[name] = round(time.perf_counter() - t0, 3)
    result = PipelineResult(**{n: t[n] for n in TABLES}, options=options)
    if out_dir is not None:
        from tradelib import report as _report

        write_tables(out_dir, result.tables())
        if report:
            _report.save_figures(out_dir)
        info = run_info(options["input_path"], options, started=started, ended=time.time(),
                        seconds={f"step_{k}": v for k, v in seconds.items()}, status="ok", runner="run_pipeline")
        write_run_json(out_dir, info)
        if report:
            _report.render_report(out_dir)
    return result

"""The run folder's files: Parquet tables that round-trip exactly, and run.json.

run.json records what a run read (files with SHA-256 checksums), its
parameters, the versions used, start and end times and seconds per step.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from tradelib.errors import InputError, PipelineError

PathLike = str | os.PathLike
_JSON_KEY = b"tradelib.json_columns"
#: Tables with rows per article, written one part file per partition (``tables/<name>/part-NNNNN.parquet``).
PARTITIONED = ("articles", "skipped", "sentences", "mentions", "quotes", "sourcing", "tone", "article_tone",
               "stance", "stance_by_side", "quote_scores", "relevance", "corpus_articles")


# ---- Parquet tables ----------------------------------------------------------------------


def _needs_json(col: pd.Series) -> bool:
    if col.dtype != object:
        return False
    return bool(col.map(lambda v: isinstance(v, (dict, list, tuple, set))).any())


def _to_json(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, set):
        value = sorted(value, key=str)
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def write_table(df: pd.DataFrame, path: PathLike) -> Path:
    """Write one table as Parquet, byte-identical for identical frames.

    Columns holding lists or dicts (``authors``, ``meta``, ``cues``...) are
    stored as JSON text and listed in the file's metadata, so that
    :func:`read_table` gives them back as lists and dicts. The file carries no
    timestamp, so the same frame always gives the same bytes.

    Parameters
    ----------
    df : pandas.DataFrame
        The table; its index is dropped.
    path : path-like
        Target file; its folder is created.

    Returns
    -------
    pathlib.Path
        The file written.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not isinstance(df, pd.DataFrame):
        raise InputError(f"write_table needs a DataFrame, not {type(df).__name__}")
    df = df.reset_index(drop=True).copy()
    json_cols = [str(c) for c in df.columns if _needs_json(df[c])]
    for c in json_cols:
        df[c] = df[c].map(_to_json).astype(object)
    table = pa.Table.from_pandas(df, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[_JSON_KEY] = json.dumps(json_cols).encode()
    table = table.replace_schema_metadata(meta)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)
    return path


def _json_columns(schema: Any) -> list[str]:
    return json.loads((schema.metadata or {}).get(_JSON_KEY, b"[]"))


def _parts(path: Path) -> list[Path]:
    return sorted(path.glob("part-*.parquet"))


def read_table(path: PathLike, *, columns: Sequence[str] | None = None,
               article_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Read a table written by :func:`write_table` (a file) or a partitioned table (a folder of part files).

    List and dict columns come back as lists and dicts. The parts of a
    partitioned table are concatenated in partition order.

    Parameters
    ----------
    path : path-like
        A ``.parquet`` file or a folder of ``part-NNNNN.parquet`` files.
    columns : sequence of str, optional
        Read only these columns.
    article_ids : iterable of str, optional
        Read only the rows of these articles (the table needs ``article_id``).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    if path.is_dir():
        files = _parts(path)
        if not files:
            raise PipelineError(f"table {path} has no part files: run the step that writes it first")
    elif path.is_file():
        files = [path]
    else:
        raise PipelineError(f"table {path} does not exist: run the step that writes it first")
    import pyarrow.compute as pc

    wanted = None if article_ids is None else pa.array(sorted({str(a) for a in article_ids}), type=pa.string())
    read_cols = None if columns is None else list(dict.fromkeys([*columns, *(["article_id"] if wanted else [])]))
    tables = []
    json_cols: list[str] = []
    for f in files:
        t = pq.read_table(f, columns=read_cols)
        if wanted is not None:  # (an empty part may hold article_id as a null column: cast before matching)
            t = t.filter(pc.is_in(t["article_id"].cast(pa.string()), value_set=wanted))
            if columns is not None and "article_id" not in columns:
                t = t.drop_columns(["article_id"])
        json_cols += [c for c in _json_columns(pq.read_schema(f)) if c not in json_cols]
        tables.append(t)
    nonempty = [t for t in tables if t.num_rows] or tables[:1]
    table = nonempty[0] if len(nonempty) == 1 else pa.concat_tables(nonempty, promote_options="permissive")
    df = table.to_pandas()
    for c in json_cols:
        if c in df.columns:
            df[c] = pd.Series([json.loads(v) if isinstance(v, str) else None for v in df[c]], index=df.index,
                              dtype=object)
    return df


def count_rows(path: PathLike) -> int:
    """Rows of a table file or partitioned table, from the Parquet metadata (nothing is read)."""
    import pyarrow.parquet as pq

    path = Path(path)
    files = _parts(path) if path.is_dir() else [path]
    return sum(pq.ParquetFile(f).metadata.num_rows for f in files)


def table_path(run_dir: PathLike, name: str) -> Path:
    """Where table ``name`` lives in a run folder: ``tables/<name>/`` when partitioned, else ``tables/<name>.parquet``."""
    folder = Path(run_dir) / "tables" / name
    return folder if name in PARTITIONED or folder.is_dir() else folder.with_suffix(".parquet")


def table(run_dir: PathLike, name: str, *, columns: Sequence[str] | None = None,
          article_ids: Iterable[str] | None = None, head: int | None = None) -> pd.DataFrame:
    """Read table ``name`` of a run folder, or a part of it.

    Parameters
    ----------
    run_dir : path-like
        The run folder.
    name : str
        A table name (``tradelib.pipeline.TABLES``).
    columns : sequence of str, optional
        Only these columns.
    article_ids : iterable of str, optional
        Only these articles' rows.
    head : int, optional
        Only the first ``head`` rows (reading no more parts than needed).
    """
    path = table_path(run_dir, name)
    if head is None or not path.is_dir():
        df = read_table(path, columns=columns, article_ids=article_ids)
        return df if head is None else df.head(head)
    pieces, n = [], 0
    for part in _parts(path) or [path]:
        pieces.append(read_table(part, columns=columns, article_ids=article_ids))
        n += len(pieces[-1])
        if n >= head:
            break
    nonempty = [p for p in pieces if len(p)] or pieces[:1]
    return pd.concat(nonempty, ignore_index=True).head(head) if len(nonempty) > 1 else nonempty[0].head(head)


def clear_table(run_dir: PathLike, name: str) -> None:
    """Remove table ``name`` (its file, or its part files) from a run folder."""
    path = table_path(run_dir, name)
    for f in _parts(path) if path.is_dir() else [path]:
        f.unlink(missing_ok=True)


def write_tables(run_dir: PathLike, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    """Write whole tables into ``run_dir/tables/`` (see :func:`write_table`).

    A partitioned table (``PARTITIONED``) is written as one part,
    ``tables/<name>/part-00000.parquet``, replacing any parts it had.
    """
    out = []
    for name, df in tables.items():
        clear_table(run_dir, name)
        path = table_path(run_dir, name)
        out.append(write_table(df, path / "part-00000.parquet" if name in PARTITIONED else path))
    return out


def read_tables(run_dir: PathLike, names: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """Read tables from ``run_dir/tables/``; all that exist when ``names`` is None."""
    if names is None:
        from tradelib.pipeline import TABLES

        names = [n for n in TABLES if table_path(run_dir, n).exists()]
    return {n: read_table(table_path(run_dir, n)) for n in names}


# ---- run.json ----------------------------------------------------------------------------------------------


def _as_paths(input_path: PathLike | Iterable[PathLike]) -> list[str]:
    from tradelib.pipeline import _as_paths as as_paths

    return as_paths(input_path)


DEPENDENCIES = ("pandas", "numpy", "pyarrow", "matplotlib", "nltk", "scikit-learn", "vaderSentiment",
                "trafilatura", "lxml", "feedparser", "papermill", "nbformat", "ipykernel", "jinja2", "tqdm",
                "dask", "distributed")


def versions() -> dict[str, str | None]:
    """Python, tradelib and dependency versions, for run.json and the report's methods section."""
    import platform
    from importlib import metadata

    import tradelib

    out: dict[str, str | None] = {"python": platform.python_version(), "tradelib": tradelib.__version__}
    for name in DEPENDENCIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def input_files(input_path: PathLike | Iterable[PathLike]) -> list[dict[str, Any]]:
    """Every file under the inputs (folders recursively, sorted) with its size and SHA-256."""
    import hashlib

    out = []
    for p in _as_paths(input_path):
        path = Path(p)
        files = sorted(q for q in path.rglob("*") if q.is_file()) if path.is_dir() else [path]
        for f in files:
            entry: dict[str, Any] = {"path": str(f)}
            try:
                h = hashlib.sha256()
                with open(f, "rb") as fh:
                    for chunk in iter(lambda: fh.read(1 << 20), b""):
                        h.update(chunk)
                entry.update(bytes=f.stat().st_size, sha256=h.hexdigest())
            except OSError as exc:
                entry.update(bytes=None, sha256=None, error=exc.strerror or str(exc))
            out.append(entry)
    return out


def _iso(t: float | None) -> str | None:
    import datetime as dt

    return None if t is None else dt.datetime.fromtimestamp(t, dt.timezone.utc).isoformat(timespec="seconds")


def run_info(
    input_path: PathLike | Iterable[PathLike],
    parameters: Mapping[str, Any],
    *,
    started: float,
    ended: float | None,
    seconds: Mapping[str, float],
    status: str,
    runner: str,
    error: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The content of run.json: inputs with checksums, parameters, versions, start/end times, seconds per step."""
    return {
        "status": status,
        "runner": runner,
        "started": _iso(started),
        "ended": _iso(ended),
        "seconds_total": None if ended is None else round(ended - started, 3),
        "seconds": dict(seconds),
        "inputs": input_files(input_path),
        "parameters": dict(parameters),
        "versions": versions(),
        "error": None if error is None else dict(error),
    }


def write_run_json(run_dir: PathLike, info: Mapping[str, Any]) -> Path:
    """Write ``run_dir/run.json``."""
    path = Path(run_dir) / "run.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(info, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return path

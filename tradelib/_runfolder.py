"""The run folder's files: Parquet tables that round-trip exactly, and run.json.

run.json records what a run read (files with SHA-256 checksums), its
parameters, the versions used, start and end times and seconds per step.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from tradelib.errors import InputError, PipelineError

PathLike = str | os.PathLike
_JSON_KEY = b"tradelib.json_columns"


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


def read_table(path: PathLike) -> pd.DataFrame:
    """Read a table written by :func:`write_table`, with list and dict columns restored."""
    import pyarrow.parquet as pq

    path = Path(path)
    if not path.is_file():
        raise PipelineError(f"table {path} does not exist: run the step that writes it first")
    table = pq.read_table(path)
    json_cols = json.loads((table.schema.metadata or {}).get(_JSON_KEY, b"[]"))
    df = table.to_pandas()
    for c in json_cols:
        df[c] = pd.Series([json.loads(v) if isinstance(v, str) else None for v in df[c]], index=df.index, dtype=object)
    return df


def table_path(run_dir: PathLike, name: str) -> Path:
    """Where table ``name`` lives in a run folder."""
    return Path(run_dir) / "tables" / f"{name}.parquet"


def write_tables(run_dir: PathLike, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    """Write several tables into ``run_dir/tables/`` (see :func:`write_table`)."""
    return [write_table(df, table_path(run_dir, name)) for name, df in tables.items()]


def read_tables(run_dir: PathLike, names: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """Read tables from ``run_dir/tables/``; all that exist when ``names`` is None."""
    if names is None:
        from tradelib.pipeline import TABLES

        names = [n for n in TABLES if table_path(run_dir, n).is_file()]
    return {n: read_table(table_path(run_dir, n)) for n in names}


# ---- run.json ----------------------------------------------------------------------------------------------


def _as_paths(input_path: PathLike | Iterable[PathLike]) -> list[str]:
    from tradelib.pipeline import _as_paths as as_paths

    return as_paths(input_path)


DEPENDENCIES = ("pandas", "numpy", "pyarrow", "matplotlib", "nltk", "scikit-learn", "vaderSentiment",
                "trafilatura", "lxml", "feedparser", "papermill", "nbformat", "ipykernel", "jinja2", "tqdm")


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

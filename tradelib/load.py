"""Loading articles from files into one table with one schema.

``load_articles`` reads files or folders (recursively) of plain-text articles
in the seed's shape, HTML pages, JSON / JSON Lines / CSV exports, Reuters-21578
SGML and RSS/Atom feeds, and returns every article in one table plus a table of
everything it could not use, with a reason for each. Counts always reconcile:
``len(result.articles) + len(result.skipped) == result.seen``.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import warnings
from datetime import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from tradelib import _readers
from tradelib.errors import InputError, LoadError

ARTICLE_COLUMNS = ["article_id", "source", "path", "url", "published", "headline", "dek", "authors", "body", "meta"]
SKIPPED_COLUMNS = ["path", "record", "reason"]

FORMATS = ("text", "html", "json", "jsonl", "csv", "reuters", "feed")
EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".sgm": "reuters",
    ".sgml": "reuters",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}


@dataclass
class LoadResult:
    """What :func:`load_articles` found.

    Attributes
    ----------
    articles : pandas.DataFrame
        One row per article, columns ``ARTICLE_COLUMNS`` (see the README for dtypes).
    skipped : pandas.DataFrame
        One row per file or record that could not be used: ``path``, ``record``
        (``None`` for a whole file), ``reason``.
    seen : int
        How many units were looked at: each record of a readable multi-record
        file, and each file that is unreadable as a whole or holds one article.
        ``len(articles) + len(skipped) == seen``.
    """

    articles: pd.DataFrame
    skipped: pd.DataFrame
    seen: int
    files: list[str] = field(default_factory=list)
    #: Where each loaded article came from: ``article_id -> (path, record)``.
    origins: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """Counts for a load manifest: seen, loaded, skipped, and skipped by reason."""
        return manifest(self.seen, len(self.articles), self.skipped["reason"])


def manifest(seen: int, loaded: int, reasons: pd.Series) -> pd.DataFrame:
    """The load manifest (``what, count``): seen, loaded, skipped, and skipped by kind of reason."""
    rows = [("seen", int(seen)), ("loaded", int(loaded)), ("skipped", len(reasons))]
    if len(reasons):
        kinds = reasons.astype(str).str.split(":").str[0].value_counts().sort_index()
        rows += [(f"skipped: {k}", int(v)) for k, v in kinds.items()]
    return pd.DataFrame(rows, columns=["what", "count"])


def duplicate_reason(article_id: str, path: str, record: str | None) -> str:
    """The skip reason of an article whose id was already loaded from ``path`` (``record``)."""
    return f"duplicate of article {article_id} ({Path(path).name}" + (f" {record})" if record else ")")


def _iter_files(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    for p in paths:
        path = Path(p)
        if path.is_dir():
            yield from sorted(q for q in path.rglob("*") if q.is_file())
        else:
            yield path


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes: BOM-marked UTF-8/UTF-16, else UTF-8, else cp1252, else latin-1.

    Returns the text and the encoding used. Raises :class:`LoadError` for
    empty or binary content.
    """
    if not data.strip():
        raise LoadError("empty file")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise LoadError(f"undecodable bytes: file has a {enc} byte-order mark but {exc.reason}") from None
            if not text.strip():
                raise LoadError("empty file")
            return text, enc
    if b"\x00" in data[:8192]:
        raise LoadError("binary file: contains NUL bytes (not a text format)")
    for enc in ("utf-8", "cp1252", "latin-1"):  # latin-1 decodes any bytes: the loop always ends in a break
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    if not text.strip():  # only Unicode white space (e.g. a lone \x1c), which bytes.strip() keeps
        raise LoadError("empty file: only white space")
    return text, enc


FAST_DATE_FORMATS = ("%d-%b-%Y %H:%M:%S.%f", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%SZ")


def parse_date(value: Any) -> pd.Timestamp:
    """Parse a date in a common format into a UTC timestamp; naive times are taken as UTC.

    A few fixed formats (Reuters' ``26-FEB-1987 15:01:01.79``, ISO 8601) are tried
    first for speed, then dateutil's parser ("December 15, 2018", RFC 822 feed dates...).
    Returns ``NaT`` for missing or unparseable values.
    """
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return pd.NaT
    if isinstance(value, str):
        for fmt in FAST_DATE_FORMATS:
            try:
                ts = pd.Timestamp(datetime.strptime(value.strip(), fmt))
            except ValueError:
                continue
            return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    try:
        if isinstance(value, str):
            from dateutil import parser as dateparser

            with warnings.catch_warnings():  # an unknown zone name leaves a naive time: taken as UTC
                warnings.simplefilter("ignore", dateparser.UnknownTimezoneWarning)
                ts = pd.Timestamp(dateparser.parse(value.strip()))
        else:
            ts = pd.Timestamp(value)
    except (ValueError, OverflowError, TypeError):
        return pd.NaT
    if ts is pd.NaT:
        return pd.NaT
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def _content_id(fields: dict[str, Any]) -> str:
    key = "\x1f".join(str(fields.get(k) or "") for k in ("headline", "dek", "body"))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _normalise(fields: dict[str, Any], path: Path, fmt: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("headline", "dek", "body"):
        value = fields.get(key)
        value = "" if value is None else str(value)
        out[key] = _readers.strip_control(value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if fmt in ("json", "jsonl", "csv") and out["body"]:
        paras = [" ".join(p.split()) for p in out["body"].split("\n\n")]
        out["body"] = "\n\n".join(p for p in paras if p)
    if not out["body"] and not fields.get("allow_empty_body"):
        raise LoadError("missing body: the record has no article text")
    if not out["body"] and not out["headline"] and not fields.get("allow_empty_body"):
        raise LoadError("missing body and headline: nothing to analyse")
    authors = fields.get("authors") or []
    out["authors"] = [str(a) for a in (authors if isinstance(authors, list) else [authors])]
    out["url"] = str(fields["url"]) if fields.get("url") else None
    out["source"] = str(fields.get("source") or path.parent.name or "")
    published = fields.get("published")
    out["published"] = parse_date(published)
    meta = dict(fields.get("meta") or {})
    if published and out["published"] is pd.NaT:
        meta["unparsed_date"] = str(published)
    out["meta"] = meta
    out["path"] = str(path)
    given = fields.get("article_id")
    out["article_id"] = str(given) if given not in (None, "") else _content_id(out)
    return out


def _records(path: Path, fmt: str, columns: dict[str, str] | None) -> Iterator[_readers.Record]:
    data = path.read_bytes()
    if fmt == "feed":
        if not data.strip():
            raise LoadError("empty file")
        if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise LoadError("binary file: contains NUL bytes (not a text format)")
        yield from _readers.read_feed(data, path.name)
        return
    text, encoding = decode(data)
    readers = {
        "text": lambda: _readers.read_plain_text(text, path.name),
        "html": lambda: _readers.read_html(text, path.name),
        "reuters": lambda: _readers.read_reuters(text, path.name),
        "json": lambda: _readers.read_json(text, path.name, columns),
        "jsonl": lambda: _readers.read_jsonl(text, path.name, columns),
        "csv": lambda: _readers.read_csv(text, path.name, columns),
    }
    for record, fields in readers[fmt]():
        if isinstance(fields, dict):
            fields.setdefault("meta", {})["encoding"] = encoding
        yield record, fields


def load_articles(
    path_or_paths: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    format: str | None = None,
    columns: dict[str, str] | None = None,
    on_error: Literal["record", "raise"] = "record",
) -> LoadResult:
    """Load articles from files and folders into one table.

    Parameters
    ----------
    path_or_paths : path or iterable of paths
        Files or folders; folders are read recursively in sorted order, each
        file's format chosen by its extension (``EXTENSIONS``).
    format : {"text", "html", "json", "jsonl", "csv", "reuters", "feed"}, optional
        Force one format for every file instead of going by extension.
    columns : dict, optional
        Maps schema fields to the file's field names for JSON, JSON Lines and
        CSV, e.g. ``{"url": "link", "headline": "title", "published": "date",
        "body": "text"}``. Unmapped schema names are read as they are; other
        fields go into ``meta``.
    on_error : {"record", "raise"}
        ``"record"`` (default) lists every unusable file or record in
        ``skipped`` with a reason; ``"raise"`` raises :class:`LoadError` at the
        first problem, naming the file and record.

    Returns
    -------
    LoadResult
        ``articles`` (columns ``article_id, source, path, url, published,
        headline, dek, authors, body, meta``), ``skipped`` (``path, record,
        reason``) and ``seen``.

    Notes
    -----
    ``article_id`` is ``reuters-<NEWID>`` for Reuters-21578, the record's own
    ``article_id`` field when one is given or mapped, and otherwise the first
    16 hex digits of the SHA-256 of headline, dek and body, so the same input
    gets the same id on every run and machine. A second article with an id
    already loaded is an exact duplicate: it is skipped as ``duplicate of
    article <id>``.
    """
    if on_error not in ("record", "raise"):
        raise InputError(f"on_error must be 'record' or 'raise', not {on_error!r}")
    if format is not None and format not in FORMATS:
        raise InputError(f"format must be one of {FORMATS}, not {format!r}")
    if isinstance(path_or_paths, (str, os.PathLike)):
        path_or_paths = [path_or_paths]
    rows: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    ids: dict[str, tuple[str, str | None]] = {}
    seen = 0
    files: list[str] = []

    def problem(path: Path, record: str | None, reason: str) -> None:
        if on_error == "raise":
            raise LoadError(reason, path=str(path), record=record)
        skipped.append({"path": str(path), "record": record, "reason": reason})

    for path in _iter_files(path_or_paths):
        files.append(str(path))
        fmt = format or EXTENSIONS.get(path.suffix.lower())
        if fmt is None:
            seen += 1
            problem(path, None, f"unsupported file type: {path.suffix or 'no extension'!r} is not a known article format")
            continue
        n_before = seen
        try:
            for record, fields in _records(path, fmt, columns):
                seen += 1
                try:
                    if isinstance(fields, LoadError):
                        raise fields
                    art = _normalise(fields, path, fmt)
                except LoadError as exc:
                    problem(path, record, exc.reason)
                    continue
                if art["article_id"] in ids:
                    problem(path, record, duplicate_reason(art["article_id"], *ids[art["article_id"]]))
                    continue
                ids[art["article_id"]] = (str(path), record)
                rows.append(art)
        except FileNotFoundError:
            seen += 1
            problem(path, None, "file not found")
        except (IsADirectoryError, PermissionError) as exc:
            seen += 1
            problem(path, None, f"unreadable file: {exc.strerror}")
        except LoadError as exc:
            if exc.path is not None:  # raised by problem() with on_error="raise"
                raise
            if seen == n_before:
                seen += 1
                problem(path, None, exc.reason)
            else:  # a whole-file error after some records: the rest of the file is one unit
                seen += 1
                problem(path, "rest of file", exc.reason)
    articles = pd.DataFrame(rows, columns=ARTICLE_COLUMNS)
    articles["published"] = pd.to_datetime(articles["published"], utc=True)
    articles = articles.reset_index(drop=True)
    return LoadResult(
        articles=articles,
        skipped=pd.DataFrame(skipped, columns=SKIPPED_COLUMNS, dtype=object),
        seen=seen,
        files=files,
        origins=ids,
    )

"""Format readers behind :func:`tradelib.load_articles`.

Each reader takes decoded text (or raw bytes where the format needs them) and
yields ``(record, fields)`` pairs, where ``record`` names the record inside the
file for error messages and ``fields`` is a dict of schema fields. A record
that cannot be used is yielded as ``(record, LoadError)`` so that the caller
can count it; a problem with the whole file raises :class:`LoadError`.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from typing import Any

from tradelib.errors import LoadError

SCHEMA_TEXT_FIELDS = ("source", "url", "published", "headline", "dek", "authors", "body")
Record = tuple[str | None, "dict[str, Any] | LoadError"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WRITE_TO = re.compile(r"^\s*Write to\s+(?P<rest>.+)$", re.IGNORECASE)
_SENT_END = re.compile(r"""[.!?:;]["'\u201d\u2019)\]]*\s*$""")
_SPLIT_SENTENCES = re.compile(r"(?<=[.!?])[\"'\u201d\u2019]?\s+(?=[A-Z\u201c\"])")
_WORD = re.compile(r"[\w'\u2019-]+")


def strip_control(text: str) -> str:
    """Remove control characters other than tab and newline."""
    return _CONTROL.sub("", text)


# ---- plain text in the seed's shape -----------------------------------------

DEK_MAX_LINES = 3
DEK_MAX_WORDS = 40
RESTATEMENT = 0.6


def _words(line: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(line)}


def _authors_from_write_to(rest: str) -> tuple[list[str], str | None]:
    """Parse ``Brian Schwartz at a@b.com, X at y@z.com and ...`` into names and the e-mail domain."""
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+", rest.strip().rstrip("."))
    names, domain = [], None
    for part in parts:
        m = re.match(r"(?P<name>.+?)\s+at\s+(?P<email>\S+@\S+)$", part.strip())
        if m:
            names.append(m.group("name").strip())
            domain = domain or m.group("email").split("@", 1)[1].lower().rstrip(".")
        elif part.strip() and not _EMAIL.search(part):
            names.append(part.strip())
    return names, domain


def split_dek(lines: list[str]) -> int:
    """Return how many of ``lines`` (the lines after the headline) form the dek.

    The rule: the dek is the run of lines right after the headline, at most
    ``DEK_MAX_LINES`` of them, each a single sentence of at most
    ``DEK_MAX_WORDS`` words. The body starts at the first line that breaks one
    of these limits, or that restates a dek line (it contains at least 60% of
    that line's distinct words: a lede that repeats the dek, as in the seed), and
    the body always keeps at least one line.
    """
    n = 0
    dek_words: list[set[str]] = []
    for line in lines[: max(0, len(lines) - 1)][:DEK_MAX_LINES]:
        words = _words(line)
        if len(_WORD.findall(line)) > DEK_MAX_WORDS or len(_SPLIT_SENTENCES.split(line)) > 1:
            break
        if any(d and len(d & words) / len(d) >= RESTATEMENT for d in dek_words):
            break
        dek_words.append(words)
        n += 1
    return n


def read_plain_text(text: str, name: str) -> Iterator[Record]:
    """One article in the seed's shape: headline, dek lines, one paragraph per line, ``Write to`` line."""
    lines = [strip_control(line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise LoadError("empty file")
    authors: list[str] = []
    domain = None
    if len(lines) > 1 and (m := _WRITE_TO.match(lines[-1])):
        authors, domain = _authors_from_write_to(m.group("rest"))
        lines = lines[:-1]
    headline, rest = lines[0], lines[1:]
    if not rest:
        raise LoadError("missing body: the file has a headline line only")
    ending = sum(bool(_SENT_END.search(line)) for line in rest)
    if ending < len(rest) / 2:
        raise LoadError(
            "not a plain-text article: most lines do not end a sentence "
            "(hard-wrapped text or a word list?); expected one paragraph per line"
        )
    n_dek = split_dek(rest)
    body_lines = [_EMAIL.sub("[email]", line) for line in rest[n_dek:]]
    yield None, {
        "headline": headline,
        "dek": "\n".join(rest[:n_dek]),
        "body": "\n\n".join(body_lines),
        "authors": authors,
        "source": domain,
        "meta": {"format": "text"},
    }


# ---- Reuters-21578 SGML ------------------------------------------------------

_REUTERS = re.compile(r"<REUTERS(?P<attrs>[^>]*)>(?P<inner>.*?)</REUTERS>", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_D = re.compile(r"<D>(.*?)</D>", re.S)


_TAGS = {
    tag: re.compile(rf"<{tag}[^>]*>(.*?)</{tag}>", re.S)
    for tag in ("TEXT", "BODY", "TITLE", "DATELINE", "DATE", "TOPICS", "PLACES", "PEOPLE", "ORGS", "EXCHANGES")
}


def _tag(inner: str, tag: str) -> str | None:
    m = _TAGS[tag].search(inner)
    return m.group(1) if m else None


def _clean_sgml(text: str) -> str:
    return strip_control(html.unescape(text)) if ("&" in text or _CONTROL.search(text)) else text


_REUTERS_DATE = re.compile(r"\d{1,2}-[A-Za-z]{3}-\d{4}\s+\d{1,2}:\d{2}:\d{2}(?:\.\d+)?")


def _reuters_date(raw: str) -> str:
    """The DATE element's timestamp without the wire codes some carry after it (``...59.13RM``)."""
    m = _REUTERS_DATE.search(raw)
    return " ".join(m.group(0).split()) if m else " ".join(raw.split())


def reuters_paragraphs(raw: str) -> str:
    """Reuters bodies are hard-wrapped; a new paragraph starts with an indented line."""
    text = _clean_sgml(raw).replace("\r", "")
    text = re.sub(r"(?:\s*\bReuter\b)+\s*$", "", text.rstrip(), flags=re.IGNORECASE)
    paras = re.split(r"\n(?=[ \t]{2,}\S)", text)
    out = [" ".join(p.split()) for p in paras]
    return "\n\n".join(p for p in out if p)


def _is_number(text: str) -> bool:
    """ASCII digits only: ``"\u00b2".isdigit()`` is true, but ``int("\u00b2")`` fails."""
    return text.isascii() and text.isdigit()


def read_reuters(text: str, name: str) -> Iterator[Record]:
    """Every ``<REUTERS>`` element of a Reuters-21578 ``.sgm`` file."""
    found = False
    for i, m in enumerate(_REUTERS.finditer(text)):
        found = True
        attrs = dict(_ATTR.findall(m.group("attrs")))
        inner = m.group("inner")
        newid = attrs.get("NEWID", "")
        record = f"NEWID={newid}" if newid else f"element {i + 1}"
        if not _is_number(newid):
            yield record, LoadError("Reuters element without a numeric NEWID")
            continue
        text_el = _tag(inner, "TEXT") or ""
        body_raw = _tag(text_el, "BODY")
        text_type = re.search(r'<TEXT[^>]*TYPE="(\w+)"', inner)
        if body_raw is None and text_type and text_type.group(1) == "UNPROC":
            body_raw = re.sub(r"<[^>]+>", " ", text_el)
        title = " ".join(_clean_sgml(_tag(text_el, "TITLE") or "").split())
        dateline = " ".join(_clean_sgml(_tag(text_el, "DATELINE") or "").split())
        meta = {
            "format": "reuters",
            "NEWID": int(newid),
            "OLDID": int(attrs["OLDID"]) if _is_number(attrs.get("OLDID", "")) else None,
            "TOPICS_ATTR": attrs.get("TOPICS"),
            "LEWISSPLIT": attrs.get("LEWISSPLIT"),
            "CGISPLIT": attrs.get("CGISPLIT"),
            "TYPE": text_type.group(1) if text_type else "NORM",
            "DATELINE": dateline,
        }
        for field in ("TOPICS", "PLACES", "PEOPLE", "ORGS", "EXCHANGES"):
            meta[field] = [_clean_sgml(d).strip() for d in _D.findall(_tag(inner, field) or "")]
        yield record, {
            "article_id": f"reuters-{newid}",
            "source": "Reuters",
            "headline": title,
            "body": reuters_paragraphs(body_raw or ""),
            "published": _reuters_date(_clean_sgml(_tag(inner, "DATE") or "")),
            "meta": meta,
            "allow_empty_body": True,
        }
    if not found:
        raise LoadError("no <REUTERS> elements found: not a Reuters-21578 SGML file")


# ---- HTML --------------------------------------------------------------------


def html_paragraphs(fragment: str) -> str:
    """Text of an HTML fragment as paragraphs separated by a blank line."""
    import lxml.html

    fragment = fragment.strip()
    if not fragment:
        return ""
    if "<" not in fragment:
        return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", fragment) if p.strip())
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types on garbage; treat it as plain text
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    for bad in root.xpath(".//script|.//style"):
        bad.drop_tree()
    blocks = root.xpath(".//p|.//li|.//h1|.//h2|.//h3|.//blockquote")
    texts = [" ".join(b.text_content().split()) for b in blocks] if blocks else [" ".join(root.text_content().split())]
    return "\n\n".join(t for t in texts if t)


def read_html(text: str, name: str) -> Iterator[Record]:
    """An HTML page: main text and metadata extracted by trafilatura (no network access)."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, include_tables=False)
    except Exception as exc:  # the extractor can fail on garbled markup; any failure = unreadable page
        raise LoadError(f"unreadable HTML: {type(exc).__name__}: {exc}") from None
    if doc is None:
        raise LoadError("no article text found in the HTML page")
    get = doc.as_dict().get if hasattr(doc, "as_dict") else doc.get
    title = " ".join((get("title") or "").split())
    paras = [" ".join(p.split()) for p in (get("text") or "").split("\n") if p.strip()]
    if paras and paras[0] == title:  # the page's <h1> repeats the title
        paras = paras[1:]
    body = "\n\n".join(paras)
    authors = [a.strip() for a in re.split(r";|\band\b|,", get("author") or "") if a.strip()]
    yield None, {
        "headline": title,
        "dek": " ".join((get("description") or "").split()),
        "body": body,
        "authors": authors,
        "url": get("url"),
        "source": get("sitename") or get("hostname"),
        "published": get("date"),
        "meta": {"format": "html"},
    }


# ---- RSS / Atom --------------------------------------------------------------


def read_feed(data: bytes, name: str) -> Iterator[Record]:
    """One article per entry of an RSS or Atom feed (parsed by feedparser from bytes, offline)."""
    import feedparser

    try:
        feed = feedparser.parse(data)
    except Exception as exc:  # feedparser can fail on garbled encodings; any failure = unreadable file
        raise LoadError(f"unreadable feed: {type(exc).__name__}: {exc}") from None
    if not feed.entries:
        why = f" ({feed.bozo_exception})" if feed.get("bozo") else ""
        raise LoadError(f"no feed entries found: not a readable RSS/Atom feed{why}")
    source = feed.feed.get("title")
    for i, entry in enumerate(feed.entries):
        content = entry.get("content") or []
        raw = content[0].get("value", "") if content else entry.get("summary", "")
        authors = [a.get("name", "") for a in entry.get("authors", []) if a.get("name")]
        yield f"entry {i + 1}", {
            "headline": " ".join((entry.get("title") or "").split()),
            "body": html_paragraphs(raw or ""),
            "url": entry.get("link"),
            "published": entry.get("published") or entry.get("updated"),
            "authors": authors,
            "source": source,
            "meta": {"format": "feed", "entry_id": entry.get("id")},
        }


# ---- JSON, JSON Lines, CSV ---------------------------------------------------


def _map_record(obj: Any, columns: dict[str, str] | None, fmt: str) -> dict[str, Any] | LoadError:
    if not isinstance(obj, dict):
        return LoadError(f"record is a JSON {type(obj).__name__}, not an object")
    mapping = {k: k for k in ("article_id", *SCHEMA_TEXT_FIELDS)}
    mapping.update(columns or {})
    fields: dict[str, Any] = {}
    for key, src in mapping.items():
        if src in obj and obj[src] not in (None, ""):
            fields[key] = obj[src]
    used = set(mapping.values())
    fields["meta"] = {"format": fmt, **{k: v for k, v in obj.items() if k not in used}}
    if isinstance(fields.get("authors"), str):
        fields["authors"] = [a.strip() for a in re.split(r";|\band\b|,", fields["authors"]) if a.strip()]
    return fields


def read_jsonl(text: str, name: str, columns: dict[str, str] | None) -> Iterator[Record]:
    for n, line in enumerate(text.split("\n"), start=1):  # JSON Lines ends lines at \n only (JSON strings may hold U+2028)
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield f"line {n}", LoadError(f"malformed JSON line {n}: {exc.msg}")
            continue
        yield f"line {n}", _map_record(obj, columns, "jsonl")


def read_json(text: str, name: str, columns: dict[str, str] | None) -> Iterator[Record]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(f"malformed JSON: {exc.msg} at line {exc.lineno}") from None
    if isinstance(obj, dict) and isinstance(obj.get("articles"), list):
        obj = obj["articles"]
    items = obj if isinstance(obj, list) else [obj]
    if not items:
        raise LoadError("JSON file holds no records")
    for i, item in enumerate(items):
        yield f"item {i}", _map_record(item, columns, "json")


def read_csv(text: str, name: str, columns: dict[str, str] | None) -> Iterator[Record]:
    sample = text[:4096]
    delimiter = "\t" if name.lower().endswith(".tsv") else ","
    if not name.lower().endswith((".csv", ".tsv")):
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            pass
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = reader.fieldnames or []
    body_col = (columns or {}).get("body", "body")
    if body_col not in header:
        raise LoadError(
            f"CSV without a text column: no {body_col!r} among the columns {header}; "
            "map one with columns={'body': '<column>'}"
        )
    try:
        for row in reader:
            if None in row:
                yield f"row {reader.line_num}", LoadError(f"row {reader.line_num} has more fields than the header")
                continue
            yield f"row {reader.line_num}", _map_record(row, columns, "csv")
    except csv.Error as exc:
        yield f"row {reader.line_num}", LoadError(f"unreadable CSV at line {reader.line_num}: {exc}")

"""Sentence segmentation with NLTK's Punkt, offline.

The Punkt parameters ship in the package as reviewable text files under
``tradelib/data/punkt/`` (the ``punkt_tab`` layout: ``abbrev_types.txt``,
``collocations.tab``, ``sent_starters.txt``, ``ortho_context.tab``), trained on
Reuters-21578 text by ``scripts/train_punkt.py``. A hand-kept list,
``tradelib/data/abbreviations.txt``, adds the abbreviations Punkt cannot learn
from 1987 wire copy (``mr``, ``nov``, ``gov``...) and drops ordinary words it
mistook for abbreviations; ``not_sentence_starters.txt`` drops learned sentence
starters that mostly follow "U.S." inside a name ("U.S. Trade Representative"). Nothing is downloaded and
nothing is read through ``nltk.data``: the files are parsed here and handed to
``PunktSentenceTokenizer`` directly.
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from tradelib._data import data_text
from tradelib.errors import DataFileError, InputError

SENTENCE_COLUMNS = ["article_id", "section", "para_idx", "sent_idx", "start", "end", "text"]
HEADLINE_PARA, DEK_PARA = -2, -1

# A quote mark that closes a sentence: Punkt keeps straight and curly closing
# quotes with the sentence; these re-attach a mark it left at the start of the next one.
_LEADING_CLOSER = re.compile(r"[\"'\u201d\u2019)\]]+(?=\s|$)")
# Quote marks: an opener follows the start, a space, a colon or a dash; the
# sentence after a break inside a quotation continues with `," and ...`.
_QUOTE_MARK = re.compile(r"(?:(?<=^)|(?<=[\s:(\u2014-]))[\"\u201c]|[\"\u201d]")
_INTERNAL_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s")
# 1987 Reuters copy capitalises the word after "U.S." ("U.S. Officials said"); a break
# after "U.S." is kept only when the next word is one that starts sentences.
_US_END = re.compile(r"(?:^|\s)U\.S\.$")
_FIRST_WORD = re.compile(r"[\"\u201c']?([A-Za-z]+)")
_HAS_QUOTE = re.compile(r"[\"\u201c]")
_CONTINUES = re.compile(r"^[^\"\u201c\u201d]*?[,;]\s*[\"\u201d]\s+[a-z]")


def _read_lines(name: str) -> list[str]:
    text = data_text(name)
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def punkt_parameters() -> PunktParameters:
    """Load the shipped Punkt parameters plus the hand-kept abbreviation list."""
    params = PunktParameters()
    curated = _read_lines("abbreviations.txt")
    removed = {line[1:] for line in curated if line.startswith("-")}
    added = {line for line in curated if not line.startswith("-")}
    params.abbrev_types = (set(_read_lines("punkt/abbrev_types.txt")) | added) - removed
    params.sent_starters = set(_read_lines("punkt/sent_starters.txt")) - set(_read_lines("not_sentence_starters.txt"))
    try:
        params.collocations = {tuple(line.split("\t")) for line in _read_lines("punkt/collocations.tab")}
        params.ortho_context.update(
            (typ, int(flag)) for typ, flag in (line.split("\t") for line in _read_lines("punkt/ortho_context.tab"))
        )
    except ValueError as exc:
        raise DataFileError(f"malformed Punkt parameter file: {exc}") from None
    return params


@cache
def _tokenizer() -> PunktSentenceTokenizer:
    return PunktSentenceTokenizer(punkt_parameters())


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences of one paragraph.

    Punkt's spans, with repairs: a closing quote mark left at the start of
    the next sentence moves back to the sentence it closes; a break inside an
    open quotation, after "U.S." before a word that does not start sentences,
    or after an abbreviation in parentheses before a lower-case word ("Ron Wyden
    (D-Ore.) called ...") is undone; surrounding whitespace is trimmed.
    """
    if not _INTERNAL_END.search(text.rstrip()):  # Punkt only breaks after . ! ? followed by a space
        stripped = text.strip()
        return [(text.index(stripped), text.index(stripped) + len(stripped))] if stripped else []
    spans = list(_tokenizer().span_tokenize(text))
    out: list[list[int]] = []
    for start, end in spans:
        if out and (m := _LEADING_CLOSER.match(text, start, end)):
            out[-1][1] = m.end()
            start = m.end()
            while start < end and text[start].isspace():
                start += 1
            if start >= end:
                continue
        out.append([start, end])
    merged: list[list[int]] = []
    for span in out:
        prev = text[merged[-1][0] : merged[-1][1]] if merged else ""
        nxt = text[span[0] : span[1]]
        if (_HAS_QUOTE.search(prev) and _open_quote(prev) and _CONTINUES.match(nxt)) or _us_run_on(prev, nxt) or (
                prev.endswith(".)") and nxt[:1].islower()):  # "Ron Wyden (D-Ore.) called ...": no sentence ends there
            merged[-1][1] = span[1]
        else:
            merged.append(span)
    return [(s, e) for s, e in merged if text[s:e].strip()]


@cache
def _starters() -> frozenset[str]:
    return frozenset(_read_lines("sentence_starters_after_us.txt"))


def _us_run_on(prev: str, nxt: str) -> bool:
    """True when a break after "U.S." falls before a word that does not start sentences."""
    if not _US_END.search(prev):
        return False
    m = _FIRST_WORD.match(nxt)
    return bool(m) and m.group(1).lower() not in _starters()


def _open_quote(sentence: str) -> bool:
    """True when the sentence's last quote mark opens a quotation (it ends inside a quote)."""
    last = None
    for last in _QUOTE_MARK.finditer(sentence):
        pass
    if last is None:
        return False
    opener = last.start() == 0 or sentence[last.start() - 1] in " :(\u2014-"
    return last.group(0) == "\u201c" or (last.group(0) == '"' and opener)


def _rows(article_id: str, section: str, para_idx: int, text: str, offset: int) -> list[tuple]:
    return [(article_id, section, para_idx, s + offset, e + offset, text[s:e]) for s, e in sentence_spans(text)]


def split_sentences(articles: pd.DataFrame) -> pd.DataFrame:
    """Split every article's headline, dek and body into sentences.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table of :func:`tradelib.load_articles` (needs
        ``article_id``, ``body``; ``headline`` and ``dek`` are used when present).

    Returns
    -------
    pandas.DataFrame
        One row per sentence, columns ``article_id``, ``section`` (``"headline"``,
        ``"dek"`` or ``"body"``), ``para_idx`` (-2 headline, -1 dek, 0.. body
        paragraphs), ``sent_idx`` (0.. within the article, in reading order:
        headline, dek, body), ``start``, ``end`` and ``text``. Offsets index the
        section's own text: ``body[start:end] == text`` for body rows and
        ``headline[start:end]`` / ``dek[start:end]`` for the others.

    Notes
    -----
    Paragraphs are the body's blocks separated by a blank line; each dek line
    is one paragraph of the dek. The headline is always one sentence (wire
    headlines such as "JAPAN WARNS U.S. IT MAY RETALIATE" would split wrongly).
    Sentences never cross a paragraph boundary.
    """
    missing = {"article_id", "body"} - set(articles.columns)
    if missing:
        raise InputError(f"split_sentences needs an articles table; missing columns: {sorted(missing)}")
    rows: list[tuple] = []
    has_head, has_dek = "headline" in articles.columns, "dek" in articles.columns
    for art in articles.itertuples(index=False):
        aid = art.article_id
        art_rows: list[tuple] = []
        headline = (art.headline if has_head else "") or ""
        if headline.strip():  # a headline is one unit, even "JAPAN WARNS U.S. IT MAY RETALIATE"
            lead = len(headline) - len(headline.lstrip())
            art_rows.append((aid, "headline", HEADLINE_PARA, lead, len(headline.rstrip()), headline.strip()))
        dek = (art.dek if has_dek else "") or ""
        pos = 0
        for line in dek.split("\n"):
            art_rows += _rows(aid, "dek", DEK_PARA, line, pos)
            pos += len(line) + 1
        body = art.body or ""
        pos, para = 0, 0
        for block in body.split("\n\n"):
            if block.strip():
                art_rows += _rows(aid, "body", para, block, pos)
                para += 1
            pos += len(block) + 2
        rows += [(r[0], r[1], r[2], i, r[3], r[4], r[5]) for i, r in enumerate(art_rows)]
    out = pd.DataFrame(rows, columns=SENTENCE_COLUMNS)
    for col in ("para_idx", "sent_idx", "start", "end"):
        out[col] = out[col].astype("int64")
    return out

"""Quotation marks of an article body: quote spans, sentence spans and masking.

:func:`_make_quotes` pairs the quotation marks of each paragraph into
:class:`_Quote` records (straight or curly double quotes, mismatched pairs,
curly single quotes outside a double quotation; an unclosed quote runs to the
paragraph end) and lists the body's sentence spans; :func:`_mask` and
:func:`_blank` hide quoted words from the attribution rules of
:mod:`tradelib.quotes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tradelib._attribution import Speaker
from tradelib.text import sentence_spans

_MARKS = re.compile("[\u201c\u201d\"]")
# a curly single quotation; inside it a \u2019 between letters is an apostrophe ("don\u2019t", "EU\u2019s"); a \u2018
# before a digit is an elision typed with the wrong mark ("the \u201880s")
_SINGLE = re.compile("(?<![\\w\u2019'])\u2018(?!\\d)((?:[^\u2018\u2019\n]|(?<=\\w)\u2019(?=\\w))*?[\\w.,!?])\u2019(?![\\w])")
# a straight single quotation in copy that uses ' for quotation marks: opens before a letter after a space or
# paragraph start, closes after a letter or punctuation before a space, punctuation or the end; ' between letters is
# an apostrophe ("isn't", "member's")
_SINGLE_STRAIGHT = re.compile("(?<![\\w'])'(?=[A-Za-z])((?:[^'\n\"\u201c\u201d]|(?<=\\w)'(?=\\w))*?[\\w.,!?])'"
                              "(?=[\\s.,;:!?)]|$)")
_QUOTED = re.compile("[\u201c\"][^\u201c\u201d\"]*[\u201d\"]")


@dataclass
class _Quote:
    open: int  # index of the opening mark in the body
    close: int  # index of the closing mark (or paragraph end)
    start: int
    end: int
    para: int
    s_open: int = 0
    s_close: int = 0
    speaker: Speaker | None = None
    cue: str | None = None
    partial: bool = False
    channel: str = "unknown"
    attributed: bool = False


def _spans(para: str, *, single_continues: bool = False) -> list[tuple[int, int]]:
    """(opening mark, closing mark) pairs of one paragraph; an unclosed quote ends at the paragraph end.

    ``single_continues``: the next paragraph opens with a curly single mark, so a paragraph that opens with one and
    never closes it is the first part of a quotation that runs on (British style: ‘... ¶ ‘...’).
    """
    out: list[tuple[int, int]] = []
    open_at = None
    for m in _MARKS.finditer(para):
        ch, i = m.group(0), m.start()
        if ch == '"' and 0 < i < len(para) - 1 and para[i - 1].isalpha() and para[i + 1].isalpha():
            continue  # it"s: a straight mark typed for an apostrophe
        if open_at is None:
            if ch == "\u201d":
                continue
            if ch == '"' and i > 0 and not para[i - 1].isspace() and (i + 1 == len(para) or para[i + 1].isspace()):
                continue  # a straight mark that can only close
            open_at = i
        elif ch == "\u201c":
            out.append((open_at, i))
            open_at = i
        else:
            out.append((open_at, i))
            open_at = None
    if open_at is not None:
        out.append((open_at, len(para)))
    # single quotations outside the double ones: curly ones (one word is enough: "were ‘proportionate’"), then
    # straight ones of more than one word (if any ' at all: "'em" and "'80s" are no quotations)
    for rx in (_SINGLE, _SINGLE_STRAIGHT) if "'" in para else (_SINGLE,):
        taken = list(out)
        for m in rx.finditer(para):
            if not any(a <= m.start() <= b for a, b in taken) and (rx is _SINGLE or " " in m.group(1)):
                out.append((m.start(), m.end() - 1))
    lead = len(para) - len(para.lstrip())
    if single_continues and para[lead:lead + 1] == "\u2018" and not any(a <= lead <= b for a, b in out):
        out.append((lead, len(para)))
    return sorted(out)


def _make_quotes(body: str) -> tuple[list[_Quote], list[tuple[int, int, int]]]:
    quotes: list[_Quote] = []
    sents: list[tuple[int, int, int]] = []
    pos, para_no = 0, 0
    blocks = body.split("\n\n")
    for k, block in enumerate(blocks):
        if block.strip():
            for s, e in sentence_spans(block):
                sents.append((pos + s, pos + e, para_no))
            # only a paragraph that opens with \u2018 asks whether the next one does too
            runs_on = block.lstrip()[:1] == "\u2018" and next(
                (n for n in blocks[k + 1:] if n.strip()), "").lstrip()[:1] == "\u2018"
            for a, b in _spans(block, single_continues=runs_on):
                inner = block[a + 1:b]
                lead = len(inner) - len(inner.lstrip())
                text = inner.strip().rstrip(",").rstrip()
                if not text or not re.search(r"\w", text):
                    continue
                start = pos + a + 1 + lead
                quotes.append(_Quote(pos + a, pos + b, start, start + len(text), para_no))
            para_no += 1
        pos += len(block) + 2
    return quotes, sents


_NOT_NEWLINE = re.compile("[^\n]")


def _mask(body: str, quotes: list[_Quote]) -> str:
    """The body with every quoted character but newlines replaced by "_"."""
    chars = list(body)
    for q in quotes:
        lo, hi = q.open + 1, min(q.close, len(chars))
        if lo < hi:
            chars[lo:hi] = _NOT_NEWLINE.sub("_", body[lo:hi])
    return "".join(chars)


def _sent_of(sents: list[tuple[int, int, int]], pos: int) -> int:
    for i, (s, e, _) in enumerate(sents):
        if pos < e:
            return i
    return len(sents) - 1


def _blank(m: re.Match) -> str:
    q = m.group(0)
    return q[0] + "_" * (len(q) - 2) + q[-1]

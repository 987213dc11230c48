"""Shared regular-expression helpers for the actors, quotes and stance rules.

English inflection builders (:func:`verb_regex`, :func:`noun_regex`), the
regrouping of alternations by leading letters (``_trie``, ``_dispatch``),
:class:`Matcher` (many alternatives in one fast regex over lower-cased text),
:class:`Caseless` (a ``re.I`` regex run on lower-cased text) and the
offset-preserving normalisers :func:`lower_same_length` and :func:`straighten`.
Each helper has its one home here; :mod:`tradelib._stance_rules` and
:mod:`tradelib._attribution` import them.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from tradelib.errors import DataFileError

_IRREGULAR = {
    "meet": ["met"], "hold": ["held"], "strike": ["struck"], "fight": ["fought"], "break": ["broke", "broken"],
    "sit": ["sat"], "speak": ["spoke", "spoken"], "take": ["took", "taken"], "make": ["made"], "steal": ["stole", "stolen"],
    "buy": ["bought"], "seek": ["sought"], "pay": ["paid"], "come": ["came"], "dig": ["dug"], "withdraw": ["withdrew", "withdrawn"],
    "shut": [], "cut": [], "put": [], "hit": [], "set": [], "freeze": ["froze", "frozen"], "lay": ["laid"], "win": ["won"],
    "stand": ["stood"], "give": ["gave", "given"], "keep": ["kept"], "bring": ["brought"], "undertake": ["undertook"],
    "spin": ["spun"], "deal": ["dealt"], "rise": ["rose", "risen"], "lead": ["led"], "forbid": ["forbade", "forbidden"],
    "reach": [], "speak by": ["spoke by"], "ban": ["banned", "banning"], "bar": ["barred", "barring"],
    "slap": ["slapped", "slapping"], "stop": ["stopped", "stopping"], "drop": ["dropped", "dropping"],
    "scrap": ["scrapped", "scrapping"], "dig in": ["dug in"], "spiral": ["spiralled", "spiralling"],
    "cancel": ["cancelled", "cancelling"], "rebuff": [], "dump": [], "refuse": [],
}
_SPACES = re.compile(r"\s+")
_DETERMINER = r"(?:\s+(?:a|an|the|its|their|his|her|some|new|more|further|additional|fresh|any|all|our|your))?"


def _verb_forms(word: str) -> str:
    """A regex for the inflections of one English verb (over-generation is harmless)."""
    w = word.lower()
    extra = [re.escape(x) for x in _IRREGULAR.get(w, [])]
    if w.endswith("ee"):
        base = re.escape(w) + r"(?:s|d|ing)?"
    elif w.endswith("e"):
        base = re.escape(w[:-1]) + r"(?:e|es|ed|ing)"
    elif len(w) > 2 and w.endswith("y") and w[-2] not in "aeiou":
        base = re.escape(w[:-1]) + r"(?:y|ies|ied|ying)"
    elif len(w) > 2 and w[-1] not in "aeiouwxy" and w[-2] in "aeiou" and w[-3] not in "aeiou":
        base = re.escape(w) + rf"(?:s|es|ed|ing|{w[-1]}ed|{w[-1]}ing)?"
    else:
        base = re.escape(w) + r"(?:s|es|ed|ing)?"
    return "(?:" + "|".join([base, *extra]) + ")" if extra else base


def _phrase(words: str) -> str:
    return r"\s+".join(re.escape(w) for w in words.split())


def verb_regex(phrase: str) -> str:
    """Inflect the first word of a verb phrase; allow one determiner after it."""
    first, _, rest = phrase.strip().partition(" ")
    forms = _verb_forms(first)
    if not rest:
        return forms
    return forms + _DETERMINER + r"\s+" + _phrase(rest)


def noun_regex(phrase: str) -> str:
    """Allow a plural ending on the last word of a noun phrase."""
    words = phrase.strip().split()
    last = words[-1].lower()
    if last.endswith(("s", "'t")) or not last[-1].isalpha():
        tail = re.escape(last)
    elif len(last) > 2 and last.endswith("y") and last[-2] not in "aeiou":
        tail = re.escape(last[:-1]) + r"(?:y|ies)"
    else:
        tail = re.escape(last) + r"(?:s|es)?"
    return r"\s+".join([*(re.escape(w) for w in words[:-1]), tail])


_LEAD_GROUP = re.compile(r"^\(\?:([a-z][a-z|' ?*\\-]*)\)(.*)$", re.DOTALL)


@cache
def _min_width(pattern: str) -> int:
    """The fewest characters ``pattern`` can match (its length when it cannot be parsed alone)."""
    try:
        return int(re._parser.parse(pattern).getwidth()[0])  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a fragment such as an unbalanced remainder: fall back to its length
        return len(pattern)


def _trie(patterns: list[str], depth: int = 0) -> str:
    """Factor regex alternatives by their leading literal letters.

    Alternatives that must match more characters are tried first (then the longer
    pattern), so that at one position "press club" wins over "press(?:es|ed)?" and
    "tariff cuts" over "tariffs?": a regex alternation takes the first branch that matches.
    """
    groups: dict[str, list[str]] = {}
    entries: list[tuple[str, str]] = []  # ("g", first letter) or ("r", raw pattern), in order of first appearance
    for p in patterns:
        c = p[:1]
        if depth < 4 and c and (c.isalnum() and c.islower() or c == " ") and p[1:2] not in ("?", "*", "+", "{"):
            if c not in groups:
                groups[c] = []
                entries.append(("g", c))
            groups[c].append(p[1:])
        else:
            entries.append(("r", p))

    def rank(kind: str, key: str) -> tuple[int, int]:  # (-min width, -length); a group ranks as its best member
        if kind == "r":
            return -_min_width(key), -len(key)
        return min((-1 - _min_width(rest), -1 - len(rest)) for rest in groups[key])

    out = []
    for kind, key in sorted(entries, key=lambda e: rank(*e)):
        if kind == "r":
            out.append(key)
        else:
            sub = groups[key]
            body = sub[0] if len(sub) == 1 else _trie(sub, depth + 1)
            out.append(re.escape(key) + (f"(?:{body})" if body else ""))
    return "|".join(out)


_QUANTIFIERS = ("?", "*", "+", "{")
_GROUPS = re.compile(r"(?<!\\)(?:\\\\)*(?:\((?!\?)|\(\?P|\\\d)")


def _skip_class(p: str, i: int) -> int:
    """The index just after the character class that opens at ``p[i] == "["``."""
    i += 1
    i += p[i:i + 1] == "^"
    i += p[i:i + 1] == "]"
    while i < len(p) and p[i] != "]":
        i += 2 if p[i] == "\\" else 1
    return i + 1


def _split_top(alternation: str) -> list[str]:
    """The top-level alternatives of a regex (``|`` outside groups and character classes)."""
    out, cur, depth, i = [], 0, 0, 0
    while i < len(alternation):
        c = alternation[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _skip_class(alternation, i)
            continue
        depth += (c == "(") - (c == ")")
        if c == "|" and depth == 0:
            out.append(alternation[cur:i])
            cur = i + 1
        i += 1
    out.append(alternation[cur:])
    return out


def _first_char(p: str) -> tuple[str | None, str]:
    """``(c, rest)`` when ``p`` can only match starting with the literal character c, else ``(None, p)``."""
    if p[:1] == "\\" and len(p) > 1 and not p[1].isalnum():
        c, rest = p[1], p[2:]
    elif p[:1] and p[0] not in "\\.^$*+?{}[]()|":
        c, rest = p[0], p[1:]
    else:
        return None, p
    return (None, p) if rest[:1] in _QUANTIFIERS else (c, rest)


def _distribute(p: str, depth: int = 0) -> list[str]:
    """``(?:a|b)REST`` -> ``[aREST, bREST]`` (the same matches in the same order), when each starts with a letter."""
    if depth > 3 or not p.startswith("(?:"):
        return [p]
    level, i = 0, 0
    while i < len(p):
        if p[i] == "\\":
            i += 2
            continue
        if p[i] == "[":
            i = _skip_class(p, i)
            continue
        level += (p[i] == "(") - (p[i] == ")")
        if level == 0:
            break
        i += 1
    inner, rest = p[3:i], p[i + 1:]
    if i >= len(p) or rest[:1] in _QUANTIFIERS:
        return [p]
    out = [x for a in _split_top(inner) for x in _distribute(a + rest, depth + 1)]
    return out if all(_first_char(x)[0] is not None for x in out) else [p]


def _dispatch(alternation: str) -> str:
    """Regroup top-level alternatives by their first literal character.

    The regex engine skips an alternative that starts with a literal on a
    mismatching character almost for free, but must enter every other one. So
    leading groups are distributed (``(?:a|b)c`` is ``ac|bc``) and alternatives
    with the same first character are merged into one. Only alternatives that
    cannot start with the same character change their relative order, and none
    moves across one with an unknown first character, so every position
    matches exactly as before.
    """
    if _GROUPS.search(alternation):
        return alternation  # capturing groups or back-references would be renumbered
    buckets: list[tuple[str | None, list[str]]] = []
    current: dict[str, int] = {}
    for alt in (x for a in _split_top(alternation) for x in _distribute(a)):
        c, rest = _first_char(alt)
        if c is not None and not c.isascii():
            c, rest = None, alt  # (re.I may fold a non-ASCII letter onto another letter)
        if c is None:
            buckets.append((None, [alt]))
            digit = alt.startswith("\\d") and alt[2:3] not in ("?", "*", "{")  # it can only start with a digit
            for k in [k for k in current if not digit or not (k.isalpha() or k == " ")]:
                del current[k]
        elif c in current:
            buckets[current[c]][1].append(rest)
        else:
            current[c] = len(buckets)
            buckets.append((c, [rest]))
    return "|".join(
        rests[0] if c is None else re.escape(c) + (f"(?:{'|'.join(rests)})" if rests != [""] else "")
        for c, rests in buckets)


class Matcher:
    """Many alternatives compiled into one fast regex over LOWER-CASED text.

    Alternatives are tried longest first. Those that start with a literal
    letter are factored by that letter (so that the regex engine rejects a
    branch on its first character); the rest are tried first. Which
    alternative matched is found once per distinct matched string and cached.
    """

    def __init__(self, items: list[tuple[str, Any]]):
        items = sorted(items, key=lambda it: (-len(it[0]), it[0]))
        # "(?:impos|slapp|levi)\\w*..." -> one alternative per leading word, so that the trie can factor them
        scan = []
        for p, _ in items:
            m = _LEAD_GROUP.match(p)
            scan += [w + m.group(2) for w in m.group(1).split("|")] if m else [p]
        self.plain = rf"(?<![\w$])(?:{_trie(scan)})(?![\w])"
        try:
            self.rx = re.compile(self.plain)
            try:  # the same regex with its alternatives grouped by first letter: same matches, faster
                self.rx = re.compile(rf"(?<![\w$])(?:{_dispatch(_trie(scan))})(?![\w])")
            except re.error:  # e.g. a named group that distributing would repeat
                pass
            self._alts = [(re.compile(rf"(?:{p})(?![\w])"), meta) for p, meta in items]
        except re.error as exc:
            raise DataFileError(f"stance vocabulary does not compile: {exc}") from None
        self._cache: dict[str, Any] = {}
        # pure-literal alternatives resolve by a dict lookup (first = longest = highest priority)
        self._literal: dict[str, Any] = {}
        for p, meta in items:
            lit = p.replace(r"\s+", " ")
            if re.escape(lit).replace("\\ ", " ") == lit.replace(" ", " "):
                self._literal.setdefault(lit, meta)
        regex_alts = [(p, rx, meta) for (rx, meta), (p, _) in zip(self._alts, items)
                      if p.replace(r"\s+", " ") not in self._literal]
        self._by_first: dict[str, list[tuple[re.Pattern, Any]]] = {}
        for ch in {p[:1] for p, _, _ in regex_alts if p[:1].isalnum()}:
            self._by_first[ch] = [(rx, m) for p, rx, m in regex_alts if p[:1] == ch or not p[:1].isalnum()]
        self._raw_alts = [(rx, m) for p, rx, m in regex_alts if not p[:1].isalnum()]

    def _meta(self, text: str, m: re.Match) -> Any:
        key = m.group()
        if key not in self._cache:
            meta = self._literal.get(_SPACES.sub(" ", key))
            for rx, mt in ([] if meta is not None else self._by_first.get(key[:1], self._raw_alts)):
                hit = rx.match(text, m.start())
                if hit is not None and hit.end() == m.end():
                    meta = mt
                    break
            self._cache[key] = meta
        return self._cache[key]

    def finditer(self, text: str) -> list[tuple[int, int, Any]]:
        """``(start, end, meta)`` of the matches in lower-cased ``text``."""
        cache, out = self._cache, []
        for m in self.rx.finditer(text):
            meta = cache.get(m.group(), m)
            if meta is m:
                meta = self._meta(text, m)
            if meta is not None:
                out.append((m.start(), m.end(), meta))
        return out


def lower_same_length(text: str) -> str:
    """``text.lower()`` with curly quotes straightened, keeping every offset."""
    low = straighten(text).lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in straighten(text))
    return low


def straighten(text: str) -> str:
    """Curly quotes made straight (``text.translate(_APOS)``, faster on long texts)."""
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')


class Caseless:
    """A case-insensitive regex that runs on lower-cased text when it can (much faster than ``re.I``).

    ``search`` and ``finditer`` give the same matches, as ``re.Match`` objects on the
    original text, as ``re.compile(pattern, re.I)`` would: on ASCII text, a pattern whose
    letters are all lower-case matches ``text.lower()`` exactly where the ``re.I``
    pattern matches ``text``; other texts and patterns use the ``re.I`` pattern itself.
    """

    def __init__(self, pattern: str, fast: str | None = None):
        """``fast``: an equivalent pattern to run instead (see :func:`_dispatch`)."""
        try:
            re.compile(fast or pattern, re.IGNORECASE)
        except re.error:
            fast = None
        self.pattern = pattern = fast or pattern
        self.rx = re.compile(pattern, re.IGNORECASE)
        lower_only = not re.search("[A-Z]", re.sub(r"\\.", "", pattern))
        self.lc = re.compile(pattern) if lower_only else self.rx

    def search(self, text: str) -> re.Match | None:
        if not text.isascii():
            return self.rx.search(text)
        m = self.lc.search(text.lower())
        return None if m is None else self.rx.match(text, m.start())

    def finditer(self, text: str) -> list[re.Match]:
        if not text.isascii():
            return list(self.rx.finditer(text))
        return [self.rx.match(text, m.start()) for m in self.lc.finditer(text.lower())]

    def count(self, text: str) -> int:
        """``len(self.finditer(text))`` without building the matches."""
        if not text.isascii():
            return len(self.rx.findall(text))
        return len(self.lc.findall(text.lower()))


def _fast(alternation: str) -> tuple[str, str]:
    """An alternation and the same one grouped by first letter (or itself when it cannot be regrouped)."""
    try:
        return alternation, _dispatch(alternation)
    except (ValueError, IndexError):
        return alternation, alternation

"""Actors of trade news and their side: ``find_actors``.

The actor lexicon is data (``tradelib/data/actors.toml``): canonical actors with
their side (``"US"``, ``"China"``, ``"other"``), aliases, titles, role nouns and
country. One compiled regular expression per lexicon finds every alias, with an
optional run of titles before a person's name ("Chinese leader Xi Jinping" is one
mention) and an optional possessive ("Trump’s"). A second expression finds role
references ("the president", "the ministry", "the Treasury secretary") and resolves
them to the most recent actor of the article that holds that role; ambiguous
aliases ("foreign ministry") resolve through the country the article named last.
What cannot be resolved is left out rather than guessed.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Callable

import pandas as pd

from tradelib._data import data_toml
from tradelib.errors import DataFileError, InputError

ACTOR_COLUMNS = ["article_id", "sent_idx", "start", "end", "text", "actor", "side", "section"]
SIDES = ("US", "China", "other")
KINDS = ("person", "org", "place")
_APOS = "['\u2019]"


@dataclass(frozen=True)
class Actor:
    """One canonical actor of the lexicon."""

    name: str
    side: str
    kind: str
    roles: tuple[str, ...] = ()
    country: str | None = None


@dataclass
class Mention:
    """One actor mention inside a text (offsets into that text)."""

    start: int
    end: int
    text: str
    actor: Actor
    how: str = "alias"  # "alias", "title", "role"


@dataclass
class Lexicon:
    """A compiled actor lexicon (build it with :func:`load_lexicon`)."""

    actors: dict[str, Actor]
    aliases: dict[str, list[tuple[str, bool]]]  # folded alias -> [(actor name, contextual)]
    pattern: re.Pattern
    role_pattern: re.Pattern | None
    role_index: dict[str, list[str]]  # role noun -> actor names
    demonyms: dict[str, str]
    demonym_pattern: re.Pattern | None
    titles_pattern: str = ""
    first_words: frozenset = frozenset()
    # (alias regex, its folded first word) in pattern order; folded first words of the titles; the pattern's
    # titled branch (for the token patterns of :func:`_pattern_for`)
    name_parts: tuple = ()
    title_firsts: frozenset = frozenset()
    titled: str = ""
    role_firsts: frozenset = frozenset()  # folded first words of the role nouns
    token_rx: dict = field(default_factory=dict, repr=False)  # token -> its pattern, or False (caches)
    subsets: dict = field(default_factory=dict, repr=False)
    role_tok: dict = field(default_factory=dict, repr=False)  # token -> may begin a role noun

    def demonym_side(self, word: str) -> str | None:
        """The side of a demonym as the demonym pattern matched it (curly apostrophe, any white space)."""
        return self.demonyms.get(" ".join(word.replace("\u2019", "'").split()))

    def actor(self, name: str) -> Actor | None:
        return self.actors.get(name)


def _fold(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").lower().split())


def _alias_regex(alias: str, case_sensitive: bool) -> str:
    body = r"\s+".join(re.escape(part) for part in alias.split())
    body = body.replace("'", _APOS)
    return body if case_sensitive else f"(?i:{body})"


def _is_acronym(alias: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", alias)
    return 0 < len(letters) <= 6 and letters.isupper() and " " not in alias


def _read_file(path: Path | str) -> dict:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"cannot read lexicon {path}: {exc}") from None
    try:
        if path.suffix.lower() == ".json":
            return json.loads(raw.decode("utf-8"))
        return tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise DataFileError(f"malformed lexicon {path}: {exc}") from None


@cache
def _shipped(name: str) -> dict:
    return data_toml(name)


def _merge(base: dict, extra: dict) -> dict:
    actors = {a["name"]: a for a in base.get("actor", [])}
    for entry in extra.get("actor", []):
        if not isinstance(entry, dict) or "name" not in entry:
            raise DataFileError(f"lexicon actor entry without a name: {entry!r}")
        actors[entry["name"]] = entry
    titles = dict(base.get("titles", {}))
    for key, words in extra.get("titles", {}).items():
        titles[key] = list(titles.get(key, [])) + list(words)
    demonyms = {k: list(v) for k, v in base.get("demonyms", {}).items()}
    for side, words in extra.get("demonyms", {}).items():
        demonyms.setdefault(side, []).extend(words)
    return {"actor": list(actors.values()), "titles": titles, "demonyms": demonyms}


def _alternation(items: list[str]) -> str:
    return "|".join(sorted(items, key=len, reverse=True))


def _compile(data: dict) -> Lexicon:
    actors: dict[str, Actor] = {}
    aliases: dict[str, list[tuple[str, bool]]] = {}
    person_alts: list[str] = []
    all_alts: dict[str, str] = {}
    first: set[str] = set()
    role_index: dict[str, list[str]] = {}
    for entry in data.get("actor", []):
        try:
            name, side, kind = entry["name"], entry["side"], entry.get("kind", "org")
            forms = [(a, False) for a in entry.get("aliases", [])] + [(a, True) for a in entry.get("contextual", [])]
        except (KeyError, TypeError) as exc:
            raise DataFileError(f"lexicon actor entry {entry!r} lacks {exc}") from None
        if side not in SIDES or kind not in KINDS:
            raise DataFileError(f"lexicon actor {name!r}: side must be one of {SIDES}, kind one of {KINDS}")
        roles = tuple(_fold(r) for r in entry.get("roles", []))
        actors[name] = Actor(name, side, kind, roles, entry.get("country"))
        for role in roles:
            role_index.setdefault(role, []).append(name)
        for alias, contextual in forms + [(name, False)] * (kind != "person" and name[:1].isupper()):
            if not isinstance(alias, str) or not alias.strip():
                raise DataFileError(f"lexicon actor {name!r} has an empty alias")
            key = _fold(alias)
            if (name, contextual) not in aliases.setdefault(key, []):
                aliases[key].append((name, contextual))
            case_sensitive = kind in ("person", "place") or _is_acronym(alias)
            rx = _alias_regex(alias, case_sensitive)
            all_alts.setdefault(rx, alias)
            first.add(_fold(alias.split()[0]))
            if kind == "person":
                person_alts.append(rx)
    titles = data.get("titles", {})
    first.update(_fold(t.split()[0]) for key in ("prefixes", "words") for t in titles.get(key, []))
    pre = _alternation([_alias_regex(t, True) for t in titles.get("prefixes", [])])
    words = _alternation([_alias_regex(t, True) for t in titles.get("words", [])])
    title_rx = f"(?i:(?:(?:{pre})\\s+){{0,2}}(?:{words})(?:\\s+(?:{words}))?)" if words else ""
    name_alts = _alternation(list(all_alts))
    titled = f"(?P<title>{title_rx})\\s+(?P<pname>{_alternation(person_alts)})|" if title_rx and person_alts else ""
    pattern = re.compile(
        f"(?<![\\w.'\u2019-])(?:{titled}(?P<name>{name_alts}))(?P<poss>{_APOS}s)?(?![\\w'\u2019-]|\\.\\w)"
    )
    role_pattern = None
    if role_index:
        dem = [_alias_regex(d, True) for side in data.get("demonyms", {}).values() for d in side]
        dem_rx = f"(?:(?P<dem>{_alternation(dem)})\\s+)?" if dem else ""
        roles_rx = _alternation([_alias_regex(r, False) for r in role_index])
        role_pattern = re.compile(
            f"(?<![\\w-])(?:[Tt]he|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir)\\s+{dem_rx}(?P<role>{roles_rx})(?P<poss>{_APOS}s)?"
            f"(?![\\w-])(?!\\s+(?:of|for)\\b)(?!\\s+[A-Z])"
        )
    demonyms = {}
    for side, words_ in data.get("demonyms", {}).items():
        if side not in SIDES:
            raise DataFileError(f"lexicon [demonyms] side must be one of {SIDES}, got {side!r}")
        for w in words_:
            demonyms[w] = side
    dem_pattern = None
    if demonyms:
        dem_pattern = re.compile(
            f"(?<![\\w.-])(?:{_alternation([_alias_regex(d, True) for d in demonyms])})(?![\\w'\u2019-]|\\.\\w)"
        )
    sorted_alts = sorted(all_alts, key=len, reverse=True)  # the order of _alternation
    name_parts = tuple((rx, _fold(all_alts[rx].split()[0])) for rx in sorted_alts)
    if "|".join(sorted_alts) != name_alts:
        name_parts = ()  # (cannot happen) then every token uses the whole pattern
    title_firsts = frozenset(_fold(t.split()[0]) for key in ("prefixes", "words") for t in titles.get(key, []))
    return Lexicon(actors, aliases, pattern, role_pattern, role_index, demonyms, dem_pattern, title_rx,
                   frozenset(first), name_parts, title_firsts, titled,
                   frozenset(r.split()[0] for r in role_index))


@cache
def _load_cached(extra_path: str | None, mtime: float) -> Lexicon:
    data = _shipped("actors.toml")
    if extra_path is not None:
        data = _merge(data, _read_file(extra_path))
    return _compile(data)


def load_lexicon(lexicon: str | os.PathLike | Lexicon | None = None) -> Lexicon:
    """Load the shipped actor lexicon, optionally extended by a user file.

    Parameters
    ----------
    lexicon : str, path, Lexicon or None
        ``None`` for the shipped lexicon; a path to a TOML or JSON file with the
        same layout (``actor = [...]``, ``[titles]``, ``[demonyms]``) that adds
        actors or replaces shipped ones with the same ``name``; or a compiled
        :class:`Lexicon`, returned unchanged.

    Returns
    -------
    Lexicon
        Compiled and cached (per file path and modification time).
    """
    if isinstance(lexicon, Lexicon):
        return lexicon
    if lexicon is None:
        return _load_cached(None, 0.0)
    path = Path(lexicon)
    if not path.is_file():
        raise DataFileError(f"lexicon file {path} does not exist")
    return _load_cached(str(path.resolve()), path.stat().st_mtime)


class ArticleContext:
    """The mentions an article has made so far, for role references and ambiguous aliases."""

    def __init__(self, lex: Lexicon):
        self.lex = lex
        self.history: list[Actor] = []  # actors in order of mention
        self.last_country: str | None = None
        self.country_order: dict[str, int] = {}  # country -> when it was last named
        self.shadowed: dict[str, int] = {}  # one-word alias -> len(history) when someone else bore it ("Mark Carney")

    def note(self, actor: Actor) -> None:
        self.history.append(actor)
        country = actor.name if actor.kind == "place" else actor.country
        if country:
            self.last_country = country
            self.country_order[country] = len(self.history)

    def by_role(self, role: str, side: str | None = None) -> Actor | None:
        names = set(self.lex.role_index.get(role, ()))
        for actor in reversed(self.history):
            if actor.name in names and (side is None or actor.side == side):
                return actor
        return None

    def by_alias(self, folded: str) -> Actor | None:
        cands = self.lex.aliases.get(folded, [])
        direct = [n for n, ctx in cands if not ctx]
        if len(direct) == 1 and len(cands) == 1:
            return self.lex.actors[direct[0]]
        if not cands:
            return None
        # the candidate whose country the article named last ("the foreign ministry" after "Tokyo" is Japan's; after
        # "China ... U.S. soybeans", "the Ministry of Commerce" is still China's: the U.S. has none)
        named = [(self.country_order.get(self.lex.actors[n].country, 0), n) for n, _ in cands]
        when, best = max(named)
        if when:
            return self.lex.actors[best]
        return self.lex.actors[direct[0]] if len(direct) == 1 and len(cands) == len(direct) else None


def scan(text: str, lex: Lexicon, ctx: ArticleContext, *, update: bool = True) -> list[Mention]:
    """All actor mentions in ``text``, resolved against (and, by default, added to) ``ctx``."""
    found: list[tuple[int, int, str, re.Match]] = []
    toks = _TOKEN.findall(text)
    for m in _candidates(text, lex, toks):
        found.append((m.start(), m.end("pname") if m.group("pname") else m.end("name"), "title" if m.group("pname") else "alias", m))
    if lex.role_pattern is not None and _may_name_role(toks, lex):
        for m in lex.role_pattern.finditer(text):
            found.append((m.start(), m.end("role"), "role", m))
    if not found:
        return []
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[Mention] = []
    last_end = -1
    for start, end, how, m in found:
        if start < last_end:
            continue
        if how == "role":
            side = lex.demonym_side(m.group("dem")) if m.group("dem") else None
            actor = ctx.by_role(_fold(m.group("role")), side)
        else:
            actor = ctx.by_alias(_fold(m.group("pname") or m.group("name")))
            if actor is not None and how == "alias" and actor.kind == "person" and " " not in m.group("name"):
                key = _fold(m.group("name"))
                if _other_given_name(text, start, actor, lex):
                    if update:
                        ctx.shadowed[key] = len(ctx.history)
                    continue  # "Kevin Hogan" is not the lexicon's Phil Hogan
                if key in ctx.shadowed and actor not in ctx.history[ctx.shadowed[key]:]:
                    continue  # "Carney" after "Mark Carney" is him, not the lexicon's Pat Carney
        if actor is None:
            continue
        last_end = end
        out.append(Mention(start, end, text[start:end], actor, how))
        if update:
            ctx.note(actor)
    return out


_GIVEN_BEFORE = re.compile(r"([A-Z][a-z]+)\s+$")
_NOT_GIVEN = frozenset({"the", "but", "and", "in", "on", "at", "for", "as", "if", "when", "while", "after", "before",
                        "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "said", "says", "told", "with", "by",
                        "from", "to", "of", "that", "then", "also", "both", "new", "former", "acting", "outgoing",
                        "secretary", "minister", "president", "senator", "governor", "commissioner", "ambassador",
                        "spokesman", "spokeswoman", "chairman", "chairwoman", "premier", "representative",
                        "chancellor", "director", "judge", "justice", "mayor", "leader", "general", "adviser",
                        "advisor", "economist", "analyst", "envoy", "negotiator", "official", "chief", "head",
                        "deputy", "vice", "prime", "king", "queen", "emperor", "professor",
                        # sentence openers and function words that are no given names ("Although Lawson denounced")
                        "although", "though", "because", "since", "until", "unless", "whether", "where", "why", "how",
                        "what", "which", "who", "whom", "whose", "asked", "meanwhile", "however", "yet", "so", "thus",
                        "still", "now", "today", "yesterday", "earlier", "later", "last", "next", "this", "these",
                        "those", "his", "her", "their", "our", "its", "a", "an", "under", "over", "about", "against",
                        "between", "among", "during", "without", "within", "like", "unlike", "added", "according",
                        "once", "even", "only", "or", "nor", "not", "no", "either", "neither",
                        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "u.s.",
                        "senators", "officials", "instead", "despite", "following"})


def _other_given_name(text: str, start: int, actor: Actor, lex: Lexicon) -> bool:
    """Whether a capitalised word that is no title and not the actor's own name stands right before a one-word
    alias ("Kevin Hogan" is not the lexicon's Phil Hogan)."""
    m = _GIVEN_BEFORE.search(text[max(0, start - 25):start])
    if m is None:
        return False
    word = m.group(1)
    if word.lower() in _NOT_GIVEN or word in actor.name.split():
        return False
    return not (lex.titles_pattern and _compiled(lex.titles_pattern).fullmatch(word))


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


_TOKEN = re.compile(r"(?<![\w.'\u2019-])[^\s,;:!?()\"\u201c\u201d\[\]{}<>]+")


def _may_name_role(toks: list[str], lex: Lexicon) -> bool:
    """False when no token can begin a role noun, so that the role pattern cannot match (a cache per token)."""
    if not lex.role_firsts:
        return True
    known = lex.role_tok
    if len(known) > 500_000:
        known.clear()
    flags = list(map(known.get, toks))
    if None in flags:
        for k, f in enumerate(flags):
            if f is None:
                tok = _fold(toks[k])
                flags[k] = known[toks[k]] = _related_to_any(lex.role_firsts)(tok)
    return True in flags


def _candidates(text: str, lex: Lexicon, toks: list[str] | None = None):
    """Matches of the alias pattern, tried only where a word can start an alias or a title.

    One big alternation tried at every character is slow; a set lookup per word is not.
    The answer per distinct word is cached on the lexicon, with a pattern for that word
    (see :func:`_pattern_for`).
    """
    known = lex.token_rx
    if len(known) > 500_000:
        known.clear()
    if toks is None:
        toks = _TOKEN.findall(text)
    rxs = list(map(known.get, toks))
    if None in rxs:
        for k, rx in enumerate(rxs):
            if rx is None:
                rxs[k] = known[toks[k]] = _may_start(toks[k], lex.first_words) and _pattern_for(toks[k], lex)
    if not any(rxs):
        return
    starts = [w.start() for w in _TOKEN.finditer(text)]
    pos = 0
    for k, rx in enumerate(rxs):
        if rx and starts[k] >= pos:
            m = rx.match(text, starts[k])
            if m:
                pos = m.end()
                yield m


def _may_start(token: str, keys: frozenset) -> bool:
    tok = _fold(token)
    return tok in keys or tok.rstrip(".'") in keys or tok.removesuffix("'s") in keys or tok.split("-")[0] in keys


_SEPARATORS = frozenset(',;:!?()"\u201c\u201d[]{}<>')  # the characters that end a _TOKEN (besides spaces)


def _related(token: str, word: str) -> bool:
    """Whether a folded token can begin with the folded first ``word`` of an alias or title.

    The word begins the token, or the token is the word cut at a separator ("Yahoo!").
    """
    if not (token.isascii() and word.isascii()):
        return True
    return token.startswith(word) or (word.startswith(token) and word[len(token)] in _SEPARATORS)


@lru_cache(maxsize=32)
def _related_to_any(words: frozenset) -> Callable[[str], bool]:
    """``tok -> any(_related(tok, w) for w in words)``, one regex match and one set lookup instead of a loop."""
    plain = sorted((w for w in words if w.isascii()), key=len, reverse=True)
    if len(plain) < len(words):
        return lambda tok: True
    starts = re.compile("|".join(map(re.escape, plain))) if plain else None
    cuts = frozenset(w[:i] for w in plain for i in range(len(w)) if w[i] in _SEPARATORS)
    return lambda tok: not tok.isascii() or (starts is not None and starts.match(tok) is not None) or tok in cuts


def _pattern_for(token: str, lex: Lexicon) -> re.Pattern:
    """``lex.pattern`` without the alternatives that cannot match where ``token`` starts.

    An alias can match there only if its first word and the token, folded, begin
    alike (one is a prefix of the other: the token runs to the next separator); a
    title only if the first word of a title prefix or title word does. The
    alternatives left keep their order, so the match is the one of ``lex.pattern``.
    Tokens that may start a title keep the whole pattern.
    """
    tok = _fold(token)
    if not lex.name_parts or _related_to_any(lex.title_firsts)(tok):
        return lex.pattern
    keep = tuple(i for i, (_, w) in enumerate(lex.name_parts) if _related(tok, w))
    rx = lex.subsets.get(keep)
    if rx is None:
        names = "|".join(lex.name_parts[i][0] for i in keep) or "(?!)"
        titled = "(?P<title>(?!))\\s+(?P<pname>(?!))|" if lex.titled else ""
        rx = lex.subsets[keep] = re.compile(
            f"(?<![\\w.'\u2019-])(?:{titled}(?P<name>{names}))(?P<poss>{_APOS}s)?(?![\\w'\u2019-]|\\.\\w)")
    return rx


def side_from_words(text: str, lex: Lexicon) -> str | None:
    """The side named by a demonym or actor in a short phrase ("a senior Japanese official" -> "other")."""
    if lex.demonym_pattern is None:
        return None
    sides = {lex.demonym_side(m.group(0)) for m in lex.demonym_pattern.finditer(text)}
    return sides.pop() if len(sides) == 1 else None


def _check_sentences(sentences: pd.DataFrame) -> None:
    if not isinstance(sentences, pd.DataFrame):
        raise InputError("find_actors needs a sentence table (a pandas DataFrame from split_sentences)")
    missing = {"article_id", "sent_idx", "start", "text"} - set(sentences.columns)
    if missing:
        raise InputError(f"find_actors needs a sentence table; missing columns: {sorted(missing)}")


def find_actors(
    sentences: pd.DataFrame,
    lexicon: str | os.PathLike | Lexicon | None = None,
    *,
    sections: tuple[str, ...] = ("headline", "dek", "body"),
) -> pd.DataFrame:
    """Find the actors each sentence mentions, with their canonical name and side.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table of :func:`tradelib.split_sentences` (``article_id``,
        ``sent_idx``, ``start``, ``text``; ``section`` is used when present).
    lexicon : str, path or Lexicon, optional
        An extra TOML/JSON lexicon that adds to or overrides the shipped one
        (see :func:`load_lexicon`).
    sections : tuple of str, keyword-only
        Which sections to search (default all three).

    Returns
    -------
    pandas.DataFrame
        One row per mention: ``article_id``, ``sent_idx``, ``start``, ``end``
        (offsets into the section's text, like the sentence table), ``text``
        (the words matched, title included, possessive ’s excluded), ``actor``
        (canonical name), ``side`` (``"US"``, ``"China"`` or ``"other"``) and
        ``section``. Sorted by ``article_id``, ``sent_idx`` and ``start``.

    Notes
    -----
    Mentions are resolved article by article in reading order, so "the
    president" or "the ministry" refer to the latest actor with that role
    already named; ambiguous aliases ("foreign ministry") take the country the
    article named last. Unresolvable references are left out.

    Examples
    --------
    >>> import pandas as pd, tradelib
    >>> s = pd.DataFrame({"article_id": ["a"], "sent_idx": [0], "start": [0],
    ...                   "text": ["Chinese leader Xi Jinping’s plan"]})
    >>> tradelib.find_actors(s)[["text", "actor", "side"]].values.tolist()
    [['Chinese leader Xi Jinping', 'Xi Jinping', 'China']]
    """
    _check_sentences(sentences)
    lex = load_lexicon(lexicon)
    has_section = "section" in sentences.columns
    rows: list[tuple] = []
    order = sentences.sort_values(["article_id", "sent_idx"], kind="stable")
    ctx = None
    current = None
    for row in order.itertuples(index=False):
        section = row.section if has_section else "body"
        if row.article_id != current:
            current, ctx = row.article_id, ArticleContext(lex)
        if section not in sections:
            continue
        for m in scan(row.text or "", lex, ctx):
            rows.append((row.article_id, int(row.sent_idx), int(row.start) + m.start, int(row.start) + m.end,
                         m.text, m.actor.name, m.actor.side, section))
    out = pd.DataFrame(rows, columns=ACTOR_COLUMNS)
    for col in ("sent_idx", "start", "end"):
        out[col] = out[col].astype("int64")
    return out.reset_index(drop=True)

"""Noun phrases around reporting verbs, for :mod:`tradelib._attribution`.

The subject phrase before a cue ("the official, who declined to be named,
said") or after an inverted one ("said Sean Stein, president of ..."), its
appositive, and the word-level tests on names: titles, particles, proper
names, acronyms, one-letter misspellings. No article state lives here; the
:class:`~tradelib._attribution.Resolver` turns these phrases into speakers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from tradelib.actors import _is_acronym as _lexicon_acronym

_LEAD_WORDS = {"but", "and", "however", "also", "meanwhile", "instead", "still", "yet", "so", "then", "now", "said",
               "says", "told", "added"}
_TRAIL_WORDS = {"here", "there", "also", "later", "again", "then", "further", "recently", "earlier", "once", "today", "yesterday",
                "tonight", "previously", "has", "had", "have", "was", "is", "would", "will", "had", "last", "week",
                "year", "month", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                "separately", "repeatedly", "often", "frequently", "publicly", "privately", "flatly", "told", "not",
                "did", "does", "simply", "bluntly", "jokingly", "only", "in", "a", "an", "statement", "on", "at"}
_STOP_AFTER = {"on", "in", "at", "during", "after", "before", "when", "while", "that", "to", "from", "monday",
               "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday", "last",
               "this", "who", "which", "adding", "as", "and", "but", "according", "speaking", "citing", "earlier"}
_ABBREV = re.compile(r"^(?:[A-Z]\.)+$|^(?:Ltd|Inc|Co|Corp|Jr|Dr|Mr|Mrs|Ms|St|Sen|Rep|Gov|Gen|No)\.$")
_PARTICLES = {"de", "von", "van", "der", "la", "le", "du", "bin", "al", "da", "di", "del", "dos", "ben"}
_TITLE_WORDS = {
    "president", "vice", "secretary", "minister", "prime", "premier", "chancellor", "leader", "chairman",
    "chairwoman", "chair", "governor", "spokesman", "spokeswoman", "spokesperson", "senator", "sen.", "rep.",
    "representative", "trade", "congressman", "congresswoman", "ambassador", "commissioner", "director",
    "director-general", "general", "mr.", "mrs.", "ms.", "dr.", "negotiator", "chief", "deputy", "assistant",
    "under", "undersecretary", "administrator", "foreign", "finance", "commerce", "treasury", "agriculture",
    "state", "industry", "economic", "economy", "affairs", "executive", "senior", "board", "federal", "reserve",
    "department", "ministry", "counsellor", "counselor", "delegate", "head", "speaker", "majority", "minority",
    "press", "external", "relations", "international", "national", "u.s.", "us", "former", "the", "official",
    "officials", "analyst", "economist", "democratic", "republican", "democrat", "republicans", "house", "senate",
    "of", "and", "for", "managing", "acting", "white", "agency", "bank", "central", "adviser", "advisor",
    "energy", "mines", "labour", "labor", "health", "defence", "defense", "justice", "interior", "planning",
    "development", "transport", "communications", "education", "petroleum", "oil", "fisheries", "forestry",
    "budget", "economics", "industries", "cooperation", "co-operation", "trading", "exports", "imports",
}
_ORG_HEADS = re.compile(
    r"(?:Council|Association|Institute|Bank|Ministry|Department|Agency|Office|Corp|Corporation|Ltd|Inc|Co|Group|"
    r"Committee|Commission|Bureau|Federation|Union|Board|Organisation|Organization|Fund|Party|Service|Administration|"
    r"Club|Chamber|Foundation|Society|Exchange|Authority|League|Centre|Center|Institution|Unit|Delegation|"
    r"newspaper|paper|daily|agency|magazine|journal|institute|delegation|group|council|association|federation|"
    r"committee|union|bank|firm|company|ministry|government|commission|office|cabinet|panel|body|department)\.?$")
# the last word of a newspaper's or magazine's name ("The Washington Post", "Nihon Keizai Shimbun")


def _clean_np(np: str) -> str:
    np = re.sub(r"<[^>]*>", " ", np)
    np = np.strip(" \t\n,;:.\u2014\u2013-\"'\u201c\u201d\u2018\u2019_")
    words = np.split()
    while words and words[0].lower().strip(",") in _LEAD_WORDS:
        words = words[1:]
    while words and words[-1].lower().strip(",") in _TRAIL_WORDS and not (
            words[-1].lower() == "statement" and (len(words) < 3 or words[-2].lower() not in ("a", "an"))):
        words = words[:-1]  # "X in a statement" -> X; "the statement" stays (a document speaks)
    return " ".join(words).strip(" ,")


_BOUNDARY = re.compile(
    r"[;:()\[\]\u2014\u2013\u201c\u201d\u2018\"_]|\u2019(?!\w)|\s-\s|--|,|"
    r"(?<![\w-])(?:and|but|while|as|because|that|which|who|when|where|"
    r"after|before|if|although|though|since|so|or|adding|saying|whom|than)(?![\w-])")
_APPOS_END = re.compile(
    r"(?P<name>(?:[A-Z][\w'\u2019.-]*\s+){0,3}[A-Z][\w'\u2019-]+)\s*,\s*(?P<app>[^,;:\u201c\u201d\"]{3,110}),\s*$")


_BODY_APPOS_END = re.compile(
    r"(?P<name>(?:[A-Z][\w'\u2019.-]*\s+)+and\s+(?:[A-Z][\w'\u2019.-]*\s+){0,3}[A-Z][\w'\u2019-]+)\s*,\s*"
    r"(?P<app>[A-Z][\w.-]*['\u2019]s\s[^,;:\u201c\u201d\"]{3,100}),\s*$")
_NAME_END = re.compile(
    r"(?P<app>[^,;:\u201c\u201d\"_]{3,120}),\s*(?P<name>(?:[A-Z][\w'\u2019.-]*\s+){0,3}[A-Z][\w'\u2019-]+)\s*,\s*$")
_NAME_END_ANY = re.compile(
    r"(?P<app>[^,;:\u201c\u201d\"_]{3,120}),\s*(?P<name>(?:[A-Z][\w'\u2019.-]*\s+){1,3}[A-Z][\w'\u2019-]+)\s*,")
_REL_END = re.compile(r",\s*(?:who|which)(?:\s+[a-z]+){0,6},?\s*$"  # ", who declined to be named,"
                      # ", who owns a dealership in Spencer, Iowa,"
                      r"|,\s*(?:who|whose|which)\s[^;:\u201c\u201d\"_]{0,120}?,\s*$")


# a noun phrase "<name> of/from/at <capitalised body or place>": "New York analyst Jim McGroarty of Discount Corp"
_PERSON_OF_ORG = re.compile(
    r"(?P<pre>(?:[\w.'\u2019-]+\s+)*?)(?P<name>(?:[A-Z][\w'\u2019.-]*\s+){1,3}[A-Z][\w'\u2019-]+),?\s+"
    r"(?P<org>(?:of|from|at)\s+(?:the\s+)?[A-Z][\w&.'\u2019-]*(?:\s+(?:[A-Z][\w&.'\u2019-]*|and|&|of|in|the))*)$")

# a person's name, a comma and "of/from/at" an organisation's capitalised name, ending the text before a cue
_NAME_OF_FIRM = re.compile(
    r"(?<![\w.])(?P<name>(?:[A-Z][a-z][\w'-]*\s+|[A-Z]\.\s+){1,3}[A-Z][a-z][\w'-]+),\s+"
    r"(?P<app>(?:of|from|at)\s+(?:the\s+)?[A-Z][\w&.'-]*(?:\s+(?:[A-Z][\w&.'-]*|and|&|of))*)\s*$")


_NAME_PARTY = re.compile(r"(?P<name>(?:[A-Z][\w'\u2019.-]*\s+){0,3}[A-Z][\w'\u2019-]+),\s*"
                         r"(?P<app>(?:a|an)\s+(?:[A-Z][\w.-]*\s+){0,3}(?:Democrat|Republican)|\(?[RD]-[A-Z][\w.]*\)?)"
                         r",?\s*$")  # "Bill Frenzel, R-MI., said"


_NOT_NAME_START = {"in", "at", "on", "for", "from", "with", "by", "after", "before", "during", "meanwhile", "but",
                   "and", "however", "the", "a", "an", "earlier", "later", "also", "still", "yet", "under", "over",
                   "since", "while", "when", "as", "if", "although", "though", "because", "last", "this", "that",
                   "today", "yesterday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_NAME_TITLE_OPEN = re.compile(r"(?P<name>(?:[A-Z][\w'\u2019.-]*\s+){1,3}[A-Z][\w'\u2019-]+),\s*"
                              r"(?P<app>[a-z][^,;:\u201c\u201d\"_]{2,110}?)\s*$")


# a party and state label in parentheses: "Sen. Marco Rubio (R., Fla.)", "Rep. Jane Doe (D-N.Y.)"
_PAREN_PARTY = re.compile(r"\s*\((?P<party>[RDI])(?:\.,\s*|-)(?P<state>[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)\)\s*$")


# a participle clause between a subject and its cue: "X, speaking at an event in Washington, said"
_PARTICIPLE_END = re.compile(r",\s+(?:speaking|writing|testifying|appearing|addressing|responding|commenting|"
                             r"asked|interviewed|talking|briefing)\b[^;:,]{0,160},\s*$")


_WHO_END = re.compile(r",\s*who\s*$")
_NP_WHO = re.compile(r"((?:An?|The|One|an?|the|one)\s+(?:[\w.'\u2019-]+\s+){0,4}[a-z]+)\s+who\s+[a-z]+[^,;:]*$")
_PAREN_ACRONYM = re.compile(r"\s*\([A-Z][A-Za-z&]{1,9}\)(?=,)")


def unparen_party(left: str) -> str:
    """``left`` with a closing "(R., Fla.)" label written as ", R-Fla., " (the form of "Bill Frenzel, R-MI., said")."""
    if left.rstrip().endswith(")"):
        paren = _PAREN_PARTY.search(left)
        if paren:
            return f"{left[:paren.start()]}, {paren.group('party')}-{paren.group('state')}, "
    return left


def subject_before(left: str) -> tuple[str, str]:
    """The subject phrase that ends ``left`` (text up to a cue) and its appositive, if any."""
    left = unparen_party(left)
    who = _WHO_END.search(left)
    if who:  # "Katherine Tai, who told lawmakers that ...": the relative pronoun's antecedent
        return subject_before(left[: who.start()] + " ")
    restrictive = _NP_WHO.match(left.strip().rstrip(","))
    if restrictive:  # "A Washington trade lawyer who represents foreign drugmakers": the lawyer
        return _clean_np(restrictive.group(1)), ""
    if "(" in left:  # "The National Development and Reform Commission (NDRC), China's top planner, said"
        left = _PAREN_ACRONYM.sub("", left)
    part = _PARTICIPLE_END.search(left) if left.rstrip().endswith(",") else None
    if part and part.start() > 0:  # "Steven Mnuchin, speaking in an interview with Fox Business, said"
        np, app = subject_before(left[: part.start()])
        if np:
            return np, app
    rel = _REL_END.search(left)
    if rel:
        left = left[: rel.start()] + ","
        inv = _NAME_END.search(left)
        if inv and is_title_phrase(inv.group("app")):
            return _clean_np(inv.group("name")), inv.group("app")
        return subject_before(left[:-1])
    tail = left[-90:]
    party = _NAME_PARTY.search(tail) if ("Democrat" in tail or "Republican" in tail or "R-" in tail
                                        or "D-" in tail) else None
    if party:  # "James Florio, a New Jersey Democrat said": the name, the party label as its appositive
        return _clean_np(party.group("name")), party.group("app")
    of_firm = _NAME_OF_FIRM.search(tail) if (", of " in tail or ", from " in tail or ", at " in tail) else None
    if of_firm:  # "analyst William Raferty, of Smith Barney Harris Upham said"
        return _clean_np(of_firm.group("name")), of_firm.group("app")
    ends_comma = left.rstrip().endswith(",")  # both patterns end in ",\s*$": skip their slow search otherwise
    inv = _NAME_END.search(left) if ends_comma else None
    if inv and is_title_phrase(inv.group("app")) and not is_title_phrase(inv.group("name")):
        return _clean_np(inv.group("name")), inv.group("app")
    m = _APPOS_END.search(left) if ends_comma else None
    if m and not _BOUNDARY.search(m.group("name").replace(",", "")):
        app = m.group("app")
        if app[:1].islower() or app.split()[0] in ("a", "an", "the") or _ORG_HEADS.search(app.split()[-1]) \
                or is_title_phrase(app):
            return _clean_np(m.group("name")), app
    body = _BODY_APPOS_END.search(left) if ends_comma and " and " in left else None
    if body and _ORG_HEADS.search(body.group("name").split()[-1]):
        # "The National Development and Reform Commission, China's top economic planner, said"
        return _clean_np(body.group("name")), body.group("app")
    after_comma = tail.rsplit(",", 1)[-1].split()[:1] if "," in tail else []  # the appositive's first word
    if not ends_comma and after_comma and after_comma[0] in _TITLE_WORDS and not after_comma[0].endswith("s"):
        titled = _NAME_TITLE_OPEN.search(tail)  # "Tom Cook, director of industry affairs for the NCA said"
        if titled:
            name = titled.group("name").split()
            if len(name) >= 2 and _person_name(name) == name and name[0].lower() not in _NOT_NAME_START:
                return " ".join(name), titled.group("app")
    cut = 0
    for b in reversed(list(_BOUNDARY.finditer(left))):  # the last boundary that counts
        if b.group(0) in ("and", "of") and _capital_on_both_sides(left, b.start(), b.end()):
            continue
        cut = b.end()
        break
    np = _clean_np(left[cut:])
    words = np.split()
    if len(words) > 2 and words[-1] in ("he", "she", "they") and words[-2].islower():
        np = words[-1]  # "Speaking to a business conference he said": the pronoun is the subject
    if not np and ends_comma:  # "U.S. assistant trade representative Suzanne Earley, replied": a stray comma
        np2, app2 = subject_before(left.rstrip()[:-1])
        name = np2.split()
        if len(name) >= 2 and _person_name(name)[-2:] == name[-2:]:
            return np2, app2
    return np, ""


def _capital_on_both_sides(text: str, start: int, end: int) -> bool:
    before = text[:start].split()
    after = text[end:].split()
    return bool(before and after and before[-1][:1].isupper() and after[0][:1].isupper())


_TITLE_IN = re.compile(
    r"\b(?:president|vice|(?:under-?)?secretary|minister|premier|chancellor|chairman|chairwoman|chair|governor|spokes\w+|senator|"
    r"representative|congress\w+|ambassador|commissioner|director|negotiator|delegate|adviser|advisor|counsell?or|"
    r"economist|analyst|official|head|chief|executive|manager|professor|leader|envoy|administrator|officer|"
    r"strategist|member|founder|partner|consultant|attache|attaché|aide|colleague|deputy|researcher|fellow|scholar|"
    r"editor|editor-in-chief)s?\b", re.I)


def is_title_phrase(app: str) -> bool:
    """Whether an appositive describes a position ("U.S. ambassador to the GATT", "vice-chairman of ...")."""
    return bool(_TITLE_IN.search(" ".join(app.split()[:5])))


def subject_after(right: str) -> tuple[str, str]:
    """The subject right after an inverted cue ("said Sean Stein, president of X.") and its appositive."""
    tokens = right.split()
    out: list[str] = []
    app = ""
    for i, tok in enumerate(tokens[:12]):
        bare = tok.rstrip(",;:.")
        if out and bare.lower() in _STOP_AFTER:
            break
        if out and bare == "of" and i + 1 < len(tokens) and _lower_after_of(tokens[i + 1:i + 3]):
            break  # "said analyst Thomas Kurlack of the two key memory chips": no "of Body"
        if tok[:1] in "\u201c\"":
            break
        if tok.endswith((",", ";", ":")):
            out.append(bare)
            if tok.endswith(","):
                rest = " ".join(tokens[i + 1:])
                app = re.split(r",|;|\.\s|\.$", rest, maxsplit=1)[0]
            break
        if tok.endswith(".") and not _ABBREV.match(tok):
            out.append(bare)
            break
        out.append(tok)
    return _clean_np(" ".join(out)), app


def _lower_after_of(nxt: list[str]) -> bool:
    """The words after "of" start with a lower-case word (skipping "the"/"a"): no body's name follows."""
    words = [w for w in nxt if w.lower() not in ("the", "a", "an")] or nxt
    return bool(words) and words[0][:1].islower()


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by exactly one inserted, deleted or replaced letter."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[i + 1:] == b[i + 1:] or a[i + 1:] == b[i:] or a[i:] == b[i + 1:]


def _is_acronym(word: str) -> bool:
    """A plain all-capitals word of 2-6 letters ("EIU", "MITI")."""
    return len(word) >= 2 and word.isalpha() and _lexicon_acronym(word)


def _is_proper(words: list[str]) -> bool:
    caps = [w for w in words if w[:1].isupper()]
    return bool(caps) and all(w[:1].isupper() or w.lower() in _PARTICLES or w[:1].isdigit() for w in words)


def _person_name(words: list[str]) -> list[str]:
    """The trailing run of name words after titles ("Trade Minister Pat Carney" -> ["Pat", "Carney"])."""
    out: list[str] = []
    for w in reversed(words):
        if re.search(r"['\u2019]s?$", w) and out:
            break
        if w.lower() in _TITLE_WORDS or _ABBREV.match(w) or not (w[:1].isupper() or w.lower() in _PARTICLES):
            break
        out.append(w)
    while out and out[-1].lower() in _PARTICLES:
        out.pop()
    return list(reversed(out))


@lru_cache(maxsize=8192)
def _surname_rx(surname: str) -> re.Pattern:
    """Up to two capitalised words before a surname (compiled once per surname)."""
    return re.compile(r"((?:[A-Z][\w'\u2019-]+\s+){1,2})" + re.escape(surname) + r"(?![\w-])")

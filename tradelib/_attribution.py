"""Attribution helpers shared by ``extract_quotes`` and ``classify_sourcing``.

A *cue* is a reporting verb (``tradelib/data/reporting_verbs.toml``); its
*subject* is the noun phrase before it ("the ministry said") or, inverted,
after it ("said Sean Stein, president of ..."). ``Resolver`` turns a subject
into a :class:`Speaker`: a lexicon actor, a pronoun resolved to the nearest
suitable antecedent, a document ("a social-media post") resolved to its
author, an unnamed descriptor ("a senior Japanese official", kept as words),
or a proper name not in the lexicon (kept as words). Anything else is ``None``.
Finding the subject phrase itself is :mod:`tradelib._subjects`' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache

from tradelib._data import data_toml
from tradelib._regex import Caseless, _fast
from tradelib.actors import Actor, ArticleContext, Lexicon, scan
from tradelib.errors import DataFileError
from tradelib._subjects import (_NAME_END_ANY, _NOT_NAME_START, _ORG_HEADS, _PERSON_OF_ORG, _TITLE_IN,
                                _TITLE_WORDS, _is_acronym, _is_proper, _one_edit, _person_name, _surname_rx,
                                is_title_phrase)

PUBLIC_CHANNELS = ("social media", "interview/TV", "briefing")
CHANNEL_ORDER = ("social media", "interview/TV", "briefing", "statement")
_AFTER_QUOTE_COMMA = re.compile(r",\s*[\"\u201d']\s*$")
# a country or region before a research title names what the person covers, not whom they serve
_COVERAGE_TITLE = re.compile(r"(?<![\w.])(?:[A-Z][\w.]*\s+){1,2}(?=(?:economists?|analysts?|strategists?|experts?|"
                             r"specialists?|watchers?|correspondents?|researchers?|scholars?|editors?)\b)")
_HONORIFIC_HE = frozenset({"Mr. He", "Ms. He", "Mrs. He", "Mr He", "Ms He", "Mrs He", "Dr. He", "Dr He"})
_HE_NAME = re.compile(r"(?<![\w.-])He\s+[A-Z][a-z]+(?![\w-])")
_PRONOUNS = {"he": ("person",), "she": ("person",), "it": ("org", "place", "doc"), "they": ("plural", "org")}
_GENDER = {"he": "m", "she": "f"}
_HONORIFIC_GENDER = {"Mr.": "m", "Mr": "m", "Ms.": "f", "Ms": "f", "Mrs.": "f", "Mrs": "f"}
HONORIFICS = frozenset(_HONORIFIC_GENDER) | {"Dr.", "Dr"}
_SKIP_PRONOUNS = {"i", "we", "you", "this", "that", "which", "who"}
_ELLIPTIC = {"one", "another", "a second", "a third", "the other", "one of them", "one of those people",
             "one of the people"}
# a document with its author after "by" / "from": "An editorial published by the Global Times"
_DOC_BY = re.compile(r"(?:an?|the|its|his|her|their)\s+(?:[\w-]+\s+)?([a-z]+)\s+(?:(?:published|issued|released|posted|"
                     r"put out|sent)\s+)?(?:by|from)\s+(.+)$", re.I)
# "His post on Truth Social", "a statement on its website": the document, not the place it was published
_DOC_ON = re.compile(r"((?:an?|the|its|his|her|their|[A-Z][\w.'\u2019-]*)\s+(?:[\w-]+\s+)?([a-z]+))\s+on\s+\S")
_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "its": "it", "their": "they"}
_ORG_DEFINITE = re.compile(r"group|association|council|agency|organisation|organization|body|federation|union|"
                           r"company|firm|bank|paper|newspaper|institute|committee|commission|ministry|department|"
                           r"office|lobby|chamber|delegation|government|administration|board|bureau|fund")
_ADJECTIVAL_OFFICIAL = (r"(?!\s+(?:statements?|figures|data|visit|reports?|estimates?|rates?|reserves|language|"
                        r"documents?|channels|version|website|accounts?|trip|talks|news|media|gazette|records?))")
_PUBLIC_BODY_HEADS = frozenset({"commission", "ministry", "department", "office", "agency", "administration",
                                "council", "bureau", "government", "congress", "senate", "house", "parliament",
                                "committee", "court", "representative", "treasury", "cabinet", "state", "states",
                                "organization", "organisation", "union", "wto", "ustr"})
# last words of firms' names, which the resolver may have taken for people ("Lakeshore Steel Holdings")
_FIRM_HEADS = frozenset({"inc", "inc.", "corp", "corp.", "corporation", "co", "co.", "holdings", "group", "ltd",
                         "ltd.", "llc", "plc", "ag", "sa", "industries", "motors", "steel", "technologies", "systems",
                         "partners", "electronics", "enterprises", "semiconductor"})
_MASTHEAD = re.compile(r"(?:Post|Times|Journal|Herald|Shimbun|Tribune|Gazette|Telegraph|Guardian|Chronicle|Observer|"
                       r"Economist|Week|Newsweek|Zeitung|Handelsblatt|Spiegel|Figaro|Monde|Echos|Repubblica|Sole|"
                       r"Pravda|Izvestia|Yomiuri|Asahi|Mainichi|Inquirer|Standard|Mirror)$")
_FOR_BODY = re.compile(r"(?:a|an|the|one|another)\s+(?:[\w.'\u2019-]+\s+){0,3}?(\w+)\s+(?P<prep>for|of|at|in|from)\s+",
                       re.I)
_PARTY = re.compile(r"^\s*(?:(?:a|an|the)\s+(?:[A-Z][\w.-]*\s+){0,3}(?:Democrat|Republican)s?\b|\(?[RD]-[A-Z])")
_PRESS_HEADS = ("paper", "newspaper", "daily", "weekly", "magazine")
_PRESS_NAME = re.compile(r"\b(?:newspaper|daily|paper|magazine|weekly)\s+((?:[A-Z][\w'\u2019-]*\s+){0,3}[A-Z][\w'\u2019-]+)")
_MASTHEAD_NAME = re.compile(r"(?:[A-Z][\w'\u2019-]*\s+){1,3}" + _MASTHEAD.pattern.replace("$", r"\b"))
_UNKNOWN_ORG = re.compile(
    r"(?:(?<=\s)|^)((?:[A-Z][\w&'\u2019.-]*\s+){1,5}?(?:[A-Z][\w&'\u2019.-]*\s+)?"
    r"(?:Council|Association|Institute|Bank|Agency|Corp|Corporation|Group|Committee|Commission|Bureau|Federation|"
    r"Union|Board|Organisation|Organization|Fund|Club|Chamber|Foundation|Society|Econometrics|newspaper|news agency|"
    r"delegation)\b)")
_NAME_APPOS = re.compile(
    r"(?P<name>(?:[A-Z][\w'\u2019-]+\s+){1,3}[A-Z][\w'\u2019-]+),\s+(?P<app>[^,;]{3,110}?)(?=,|\.\s|\.$|$)")
# Cheap necessary conditions: a part that every match of the pattern above (or below) contains.
_NAME_APPOS_PART = re.compile(r"[A-Z][\w'\u2019-]+\s+[A-Z][\w'\u2019-]+,\s")
_NAME_END_ANY_PART = re.compile(r",\s*(?:[A-Z][\w'\u2019.-]*\s+){1,3}[A-Z][\w'\u2019-]+\s*,")
_UNKNOWN_ORG_PART = re.compile(r"Council|Association|Institute|Bank|Agency|Corp|Group|Committee|Commission|Bureau|"
                               r"Federation|Union|Board|Organi[sz]ation|Fund|Club|Chamber|Foundation|Society|"
                               r"Econometrics|newspaper|news agency|delegation")


_POSSESSIVE_OPEN = re.compile(r"[A-Z][\w.]*['\u2019]s\s")


@cache
def _title_rx(head: str) -> re.Pattern:
    """A title word as a noun ("an official statement" names no official)."""
    return re.compile(r"\b" + re.escape(head) + r"\b" + (_ADJECTIVAL_OFFICIAL if head == "official" else ""), re.I)


@cache
def _given_after_rx(surname: str) -> re.Pattern:
    """A surname followed by one capitalised given name that ends the name ("Wang Shouwen told", "Tan Weiguo,")."""
    return re.compile(r"(?<![\w-])" + re.escape(surname) + r"\s+([A-Z][a-z]+(?:-[a-z]+)?)(?=,|\s+[a-z]|\.\s)")

@dataclass
class Cues:
    verb: Caseless
    weak: frozenset
    channels: list[tuple[str, Caseless]]
    no_comment: Caseless
    anonymous: Caseless
    according: Caseless
    descriptors: frozenset
    documents: frozenset


@cache
def cues() -> Cues:
    """The compiled cue lists of ``reporting_verbs.toml`` (loaded once)."""
    try:
        data = data_toml("reporting_verbs.toml")
        verbs = sorted(set(data["cues"]["verbs"]), key=len, reverse=True)
        chans = [(name, Caseless("|".join(f"(?:{p})" for p in data["channels"][name]))) for name in CHANNEL_ORDER]
        src = data["sourcing"]
        return Cues(
            verb=Caseless(*(r"(?<![\w'\u2019-])(?:" + alt + r")(?![\w-])" for alt in _fast("|".join(verbs)))),
            weak=frozenset(v.lower() for v in data["cues"].get("weak", [])),
            channels=chans,
            no_comment=Caseless(*_fast("|".join(f"(?:{p})" for p in src["no_comment"]))),
            anonymous=Caseless(*_fast("|".join(f"(?:{p})" for p in src["anonymous"]))),
            according=Caseless(r"\b(?:" + "|".join(src["according"]) + r")\b"),
            descriptors=frozenset(data["speakers"]["descriptors"]),
            documents=frozenset(data["speakers"]["documents"]),
        )
    except (KeyError, ValueError, re.error) as exc:
        raise DataFileError(f"malformed tradelib data file reporting_verbs.toml: {exc}") from None


_NAME_BEFORE_PERFECT = re.compile(r"(?<![\w.'\u2019-])[A-Z][a-z]+\s+[A-Z][a-z]+\s+(?:has|had|have)\s+$")
_DETERMINER_BEFORE = re.compile(r"(?:\b(?:the|a|an|its|his|her|their|our|this|that|has|had|have|been|be|being)|['\u2019]s)\s+$",
                                re.I)


def cue_in_name(text: str, m: re.Match) -> bool:
    """Whether a cue word is capitalised inside a sentence, so part of a name ("the United States")."""
    return m.group(0)[:1].isupper() and text[:m.start()].rstrip()[-1:] not in ("", ".", "!", "?", '"')


_DOC_PARTICIPLE = re.compile(r"\b(?:video|message|letter|statement|article|photo|clip|notice|essay)\s+$", re.I)


def real_cue(text: str, m: re.Match) -> bool:
    """False for a participle used as an adjective or a perfect ("the announced plan", "has said"), and for a
    capitalised cue word inside a name (:func:`cue_in_name`)."""
    if cue_in_name(text, m):
        return False
    if _DOC_PARTICIPLE.search(text[max(0, m.start() - 30):m.start()]) and m.group(0).lower() in ("posted", "read"):
        return False  # "said in a video posted on Weibo": the video was posted, no one is quoted by "posted"
    if m.group(0).lower() in ("said", "says", "say"):
        return True
    if m.group(0).lower() in ("continued", "agreed") and \
            text[m.end():m.end() + 4] == " to ":
        return False  # "trade ... continued to grow", "agreed to meet": a verb of its own, no report of words
    det = _DETERMINER_BEFORE.search(text[max(0, m.start() - 12):m.start()])
    # a perfect after a person's surname is a report: "Robert Lighthizer has argued that ..."
    return det is None or (det.group(0).split()[0].lower() in ("has", "had", "have")
                           and _NAME_BEFORE_PERFECT.search(text, max(0, m.start() - 60), m.start()) is not None)


def channel_of(text: str) -> str | None:
    """The first channel (in priority order) whose phrases occur in ``text``."""
    for name, rx in cues().channels:
        if rx.search(text):
            return name
    return None


@dataclass
class Speaker:
    name: str | None
    side: str | None
    kind: str  # person | org | place | doc | plural
    anon: bool = False
    head: str = ""

    @classmethod
    def of(cls, actor: Actor, head: str = "") -> Speaker:
        """The speaker a lexicon actor names."""
        return cls(actor.name, actor.side, actor.kind, head=head)


@dataclass
class Event:
    pos: int
    sent_no: int
    speaker: Speaker
    cue: bool = False  # the subject of a reporting verb


@dataclass
class State:
    """What the article has said so far (for pronouns, definite descriptors and surnames)."""

    lex: Lexicon
    ctx: ArticleContext
    text: str
    events: list[Event] = field(default_factory=list)
    name_side: dict[str, str] = field(default_factory=dict)


_NEXT_WORD = re.compile(r"\s+([A-Z][\w&'-]*)")
# "economist at Zhongyuan Bank in Beijing": where the employer sits is no side (the employer's name may give one)
_AT_FIRM_IN_PLACE = re.compile(r"(\bat\s+(?:the\s+)?[A-Z][\w&.'-]*(?:\s+(?:[A-Z][\w&.'-]*|of|and|&))*)"
                               r"\s+in\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)?")


def _in_firm_name(demonym: str, after: str) -> bool:
    """Whether "American" begins a firm's or association's name ("American Express", "American Farm Bureau").

    The US government calls itself "U.S.", so "American" followed by a capitalised
    word that is not a title ("American Ambassador") names a company or a group,
    whose side is not the US government's.
    """
    if demonym != "American":
        return False
    m = _NEXT_WORD.match(after)
    return bool(m) and m.group(1).lower() not in _TITLE_WORDS


class Resolver:
    """Resolve subject phrases to speakers against one article's :class:`State`."""

    def __init__(self, state: State):
        self.s = state
        self.cues = cues()
        self._full: dict[str, list] = {}  # surname -> [(position, full name words)] found in the text
        self.gender: dict[str, str] = {}  # speaker name -> "m" / "f", from "Mr."/"Ms." and resolved he/she

    # -- antecedents -------------------------------------------------------
    def antecedent(self, kinds: tuple[str, ...], sent_no: int, *, public: bool = False,
                   para_quotes: list | None = None, window: int = 6, prefer: str | None = None,
                   pos: int | None = None, gender: str | None = None, business: bool = False) -> Speaker | None:
        """The speaker a pronoun refers back to; ``gender`` ("m"/"f" for he/she) skips people known to be the
        other ("she told reporters" made Raimondo "f", so a later "he" is not her); ``business`` skips
        governments, public bodies and people (for "the company")."""
        def fits(spk: Speaker) -> bool:
            if business and ((spk.side in ("US", "China") and spk.name in self.s.lex.actors)
                             or spk.head in _PUBLIC_BODY_HEADS or spk.name.lower() in _FIRM_HEADS
                             or (spk.kind == "person" and spk.head not in _FIRM_HEADS)):
                return False  # a government, a public body, a bare "Ltd" or a person
            return gender is None or self.gender.get(spk.name) in (None, gender)

        for q in reversed(para_quotes or []):
            spk = q.speaker
            if spk is not None and spk.kind in kinds and not (public and spk.anon) and fits(spk):
                return q.speaker
        if pos is not None and re.search(r"\b(?:but|and)\s+$", self.s.text[max(pos - 8, 0):pos]):
            # "Fitzwater told reporters ..., but he added": the subject of the reporting verb before it
            same = [ev for ev in self.s.events if ev.sent_no == sent_no and ev.cue and ev.pos < pos
                    and ev.speaker.kind in kinds and ev.speaker.name and not (public and ev.speaker.anon)
                    and fits(ev.speaker)]
            if same:
                return max(same, key=lambda e: e.pos).speaker
        by_sent: dict[int, list[Event]] = {}
        for ev in self.s.events:
            if sent_no - window <= ev.sent_no < sent_no and ev.speaker.kind in kinds and ev.speaker.name:
                if (public and ev.speaker.anon) or not fits(ev.speaker):
                    continue
                by_sent.setdefault(ev.sent_no, []).append(ev)
        if not by_sent:
            return None
        evs = sorted(by_sent[max(by_sent)], key=lambda e: e.pos)
        subjects = [e for e in evs if e.cue]
        evs = subjects or evs  # the subject of that sentence's reporting verb before any other mention
        if prefer:
            pref = [e for e in evs if e.speaker.kind == prefer]
            evs = pref or evs
        return evs[0].speaker

    def _elliptic(self, low: str, sent_no: int) -> Speaker | None:
        """'one said' / 'another added' -> one of the unnamed speakers just mentioned."""
        if low.startswith("one of"):  # "one of those people said": one of the unnamed group named just before
            for ev in reversed(self.s.events):
                if ev.sent_no < sent_no - 4:
                    break
                spk = ev.speaker
                if ev.sent_no <= sent_no and spk.anon and spk.kind == "plural" and spk.name:
                    return Speaker("one of " + spk.name[:1].lower() + spk.name[1:], spk.side, "person", anon=True,
                                   head=spk.head)
            return None
        for ev in reversed(self.s.events):
            if ev.sent_no < sent_no - 4:
                break
            spk = ev.speaker
            if ev.sent_no <= sent_no and spk.anon and spk.name and spk.head in self.cues.descriptors:
                words = spk.name.split()
                if words[0].lower() in ("a", "an", "one", "the", "another", "two", "some", "several", "other"):
                    words = words[1:]
                if words and words[0].lower() in ("second", "third", "fourth", "fifth", "other"):
                    words = words[1:]  # "Another said" after "A third arbitrageur": another arbitrageur
                if words and words[-1].lower().endswith("s") and spk.kind == "plural":
                    words[-1] = words[-1][:-1]
                if not words:
                    return None
                return Speaker(" ".join([low] + words), spk.side, "person", anon=True, head=spk.head.rstrip("s"))
        return None

    def _same_description(self, words: list[str], sent_no: int, window: int = 10) -> Speaker | None:
        """The unnamed speaker last described with the same words after "a/an/one" ("a State Department official")."""
        key = [w.lower() for w in words]
        for ev in reversed(self.s.events):
            spk = ev.speaker
            if ev.sent_no > sent_no or not spk.anon or not spk.name:
                continue
            if ev.sent_no < sent_no - window:
                break
            named = spk.name.split()
            if named[0].lower() in ("a", "an", "one", "another") and [w.lower() for w in named[1:]] == key:
                return spk
        return None

    def _by_modifier(self, modifiers: list[str], sent_no: int) -> Speaker | None:
        """'The Chase economist' -> the person last named near the word 'Chase'."""
        caps = [w for w in modifiers if w[:1].isupper() and self.s.lex.demonym_side(w) is None]
        if not caps:
            return None
        for ev in reversed(self.s.events):
            if ev.sent_no < sent_no and ev.speaker.kind == "person" and ev.speaker.name and not ev.speaker.anon:
                window = self.s.text[max(ev.pos - 200, 0): ev.pos + 200]
                if all(re.search(r"\b" + re.escape(w) + r"\b", window) for w in caps):
                    return ev.speaker
        return None

    def _definite(self, head: str, sent_no: int, *, titled: bool = False, window: int = 10) -> Speaker | None:
        """'the ministry' / 'the (senior) spokesman' -> the latest speaker described by that noun ("a ministry
        spokesman"); with ``titled``, also a person named with that title ("White House spokesman Marlin
        Fitzwater", "Robert Crandall, an analyst at ..."), within ``window`` sentences."""
        rx = _title_rx(head) if titled else None
        for ev in reversed(self.s.events):
            spk = ev.speaker
            if ev.sent_no > sent_no:
                continue
            if spk.name and spk.head == head and spk.kind != "doc":
                return spk
            if rx is None or ev.sent_no < sent_no - window or spk.kind != "person" or not spk.name or spk.anon:
                continue
            after = self.s.text[ev.pos:ev.pos + 200]
            surname = spk.name.split()[-1]
            at = after.find(surname)
            if at < 0:
                continue
            # the title before the name (inside the mention or just before it), or an appositive after it
            before = " ".join((self.s.text[max(ev.pos - 80, 0):ev.pos] + " " + after[:at]).split()[-5:])
            appos = re.match(r"[^,.;]{0,12},\s*([^,;]{0,80})", after[at + len(surname):])
            if rx.search(before) or (appos and rx.search(appos.group(1))):
                return spk
        return None

    def _intro_side(self, full: list[str]) -> str | None:
        """The side of the title before a name's first mention ("the call by U.S. Deputy Trade Representative
        Michael Smith"), when it is a title; None for a bare name or one surname."""
        if len(full) < 2:
            return None
        at = self.s.text.find(" ".join(full))
        if at < 0:
            return None
        run: list[str] = []  # the title words right before the name
        for w in reversed(re.split(r"\n\s*\n", self.s.text[max(at - 80, 0):at])[-1].split()):
            if w.lower() not in _TITLE_WORDS:
                break
            run.insert(0, w)
        title = " ".join(run)
        return self._side_of(title) if run and _TITLE_IN.search(title) else None

    def _press(self) -> Speaker | None:
        """'the newspaper' when the article names exactly one newspaper ("the newspaper La Repubblica")."""
        names = {m.group(1) for m in _PRESS_NAME.finditer(self.s.text)}
        names |= {" ".join(m.group(0).split()[1:] if m.group(0).startswith("The ") else m.group(0).split())
                  for m in _MASTHEAD_NAME.finditer(self.s.text)}
        if len(names) != 1:
            return None
        return self._press_speaker(names.pop())

    def _press_speaker(self, name: str) -> Speaker:
        """A newspaper: press, side ``other``, not the government of the place it is named after (``China`` for
        Chinese state papers)."""
        return Speaker(name, "China" if self._side_of(name) == "China" else "other", "org", head="newspaper")

    def _acronym(self, acr: str) -> str:
        """The article's expansion of an acronym ("Economist Intelligence Unit (EIU)"), else the acronym."""
        for m in re.finditer(r"((?:[A-Z][\w&'-]*\s+(?:(?:of|for|and|on|the|&)\s+)*){1,8})\(\s*"
                             + re.escape(acr) + r"\s*\)", self.s.text):
            words = m.group(1).split()
            caps = [w for w in words if w[:1].isupper()]
            for k in range(len(caps)):  # the last capitalised words whose initials spell the acronym, or
                initials = "".join(w[0] for w in caps[k:]).upper()  # its end: "Institute of Economic
                if initials == acr.upper() or (len(initials) >= 3 and acr.upper().endswith(initials)):  # Research
                    first = len(words) - words[::-1].index(caps[k]) - 1  # (NZIER)"
                    return " ".join(words[first:])
        return acr

    # -- one subject -------------------------------------------------------
    def resolve(self, np: str, sent_no: int, *, appositive: str = "", public: bool = False,
                para_quotes: list | None = None, pos: int | None = None) -> Speaker | None:
        """The speaker a subject phrase names (``pos``: where a pronoun stands, for an antecedent earlier
        in its own sentence)."""
        if not np or "_" in np:
            return None
        words = np.split()
        low = np.lower()
        if (np == "He" and pos is not None and _AFTER_QUOTE_COMMA.search(self.s.text, max(pos - 4, 0), pos)) or (
                np in _HONORIFIC_HE and pos is not None):  # "Ms. He said" after "He Yanping": her, not He Lifeng
            # '"The door remains open," He said': after a quote ending in a comma, a capital "He" is the
            # family name of a He Yadong or He Lifeng named earlier, not the pronoun
            named = [m.group(0) for m in _HE_NAME.finditer(self.s.text, 0, pos)]
            if named:
                return self.resolve(named[-1], sent_no, public=public)
        if low in _PRONOUNS:
            gender = _GENDER.get(low)
            sp = self.antecedent(_PRONOUNS[low], sent_no, public=public, para_quotes=para_quotes,
                                 prefer="org" if low == "it" else None, pos=pos, gender=gender)
            if sp is not None and gender and sp.kind == "person" and sp.name:
                self.gender.setdefault(sp.name, gender)
            return sp
        if low in _SKIP_PRONOUNS or len(words) > 14:
            return None
        if low in _ELLIPTIC:
            return self._elliptic(low, sent_no)
        if words[0].lower() == "the" and _ORG_DEFINITE.fullmatch(words[-1].lower()) and \
                all(w[:1].islower() for w in words[1:]):
            head = words[-1].lower()
            if head in _PRESS_HEADS:  # a newspaper is not whichever body was named last
                return self._definite("newspaper", sent_no) or self._press()
            found = self._definite(head, sent_no)
            if found is None and head in ("company", "firm"):
                # "the company said": the latest firm ("Lakeshore Steel Holdings"), not a ministry or commission
                # named since; none, rather than a public body
                return self.antecedent(("org", "person"), sent_no, business=True)
            return found or self.antecedent(("org",), sent_no)
        of_org = _PERSON_OF_ORG.match(np)
        if of_org and len(_person_name(of_org.group("name").split())) >= 2:  # "Republican Bill Frenzel of Michigan"
            # "Jim McGroarty of Discount Corp", "Pat Carney of Canada": the person, with the side the body gives
            sp = self.resolve(of_org.group("pre") + of_org.group("name"), sent_no, appositive=appositive,
                              public=public, para_quotes=para_quotes)
            if sp is not None and sp.side is None:
                sp = replace(sp, side=self._side_of(of_org.group("org")))
            return sp
        lex = self.s.lex
        app_side = self._side_of(appositive) if appositive and (
            is_title_phrase(appositive) or _POSSESSIVE_OPEN.match(appositive)) else None  # "China's top planner"
        if appositive and _PARTY.search(appositive):  # "James Florio, a New Jersey Democrat"
            app_side = "US"
        if self.cues.anonymous.search(np) and re.search(r"\b(?:close|familiar|briefed|knowledge|sources?)\b", low):
            side = self._side_of(np)
            # the head is the describing noun ("A person familiar with Commerce's licensing process": a person, so
            # that "the person said" later is that source), else the last word
            head = next((w.lower() for w in words if w.lower() in self.cues.descriptors), words[-1].lower())
            return Speaker(np, side, "plural" if re.search(r"\b(?:people|sources|officials)\b", low) else "person",
                           anon=True, head=head)
        mentions = scan(np, lex, self.s.ctx, update=False)
        head = words[-1].lower().strip(".,")
        for_body = _FOR_BODY.match(np)
        desc = for_body.group(1).lower() if for_body else ""
        if desc in self.cues.descriptors and mentions:
            # "a spokesman for the International Trade and Industry Ministry": a person speaking for the body
            return Speaker(np, app_side or mentions[-1].actor.side, "person", head=desc)
        if desc in self.cues.descriptors and len(words) <= 9:
            rest = np[for_body.end():]
            body = rest[4:] if rest.lower().startswith("the ") else rest
            if body[:1].isupper():
                # "a spokesman for Pillsbury", "a spokesperson for the Ministry of Transport", "a correspondent for
                # Chinese state broadcaster CGTN": a person speaking for a named body the lexicon does not know;
                # "a trader in Tokyo": an unnamed person of a place
                return Speaker(np, app_side or self._side_of(np), "person", head=desc,
                               anon=for_body.group("prep").lower() == "in")
            if rest.lower().split()[:1] in (["a"], ["an"]):
                # "a lobbyist for a major chip company", "an official at a Chinese bank": an unnamed source
                return Speaker(np, app_side or self._side_of(np), "person", anon=True, head=desc)
            if body != rest and len(body.split()) == 1 and _ORG_DEFINITE.fullmatch(body.lower()):
                # "a spokesperson for the ministry": for the ministry named before
                org = self._definite(body.lower(), sent_no) or self.antecedent(("org",), sent_no)
                return Speaker(np, app_side or (org.side if org else None), "person", anon=org is None, head=desc)
        if mentions and not np[mentions[-1].end:].strip(" '\u2019s"):
            return Speaker.of(mentions[-1].actor, head)
        if _MASTHEAD.search(words[-1]):  # "The Washington Post"
            masthead = words[1:] if words[0].lower() == "the" else words
            if _is_proper(masthead):
                return self._press_speaker(" ".join(masthead))
        doc_on = _DOC_ON.match(np)
        if doc_on and doc_on.group(2).lower().rstrip("s") in self.cues.documents and not re.search(
                r"\bby\b", np[doc_on.end(1):]):  # "statements in recent weeks by several members of the cabinet"
            return self.resolve(doc_on.group(1), sent_no, public=public, pos=pos)
        if len(words) == 2 and words[0].lower() in _POSSESSIVE_PRONOUNS and words[1].lower().rstrip("s") in \
                self.cues.documents:  # "His post read": his
            return self.resolve(_POSSESSIVE_PRONOUNS[words[0].lower()], sent_no, public=public, pos=pos)
        by = _DOC_BY.match(np)
        if by and by.group(1).lower().rstrip("s") in self.cues.documents:
            # "An editorial published by the Global Times", "a statement from the White House": the author's
            owner = self.resolve(by.group(2), sent_no)
            if owner is not None and owner.kind in ("org", "person", "place"):
                return replace(owner, head=by.group(1).lower())
        pre_of = re.split(r"\s+of\s+", np, maxsplit=1)
        head_word = pre_of[0].split()[-1].lower() if pre_of[0].split() else head
        if head_word.rstrip("s") in self.cues.documents or head_word in self.cues.documents:
            owner = [m for m in mentions if m.actor.kind != "place" or "'" in np or "\u2019" in np]
            if owner:
                a = owner[-1].actor
                return Speaker(a.name, a.side, a.kind, head=head_word)
            return self.antecedent(("person", "org"), sent_no, prefer="org")
        if words[0].lower() == "the" and head_word in ("democrat", "republican") and len(words) <= 4:
            sp = self.antecedent(("person",), sent_no)  # "the Texas Democrat told reporters": a US politician
            return replace(sp, side="US") if sp is not None else None
        if head_word in self.cues.descriptors:
            definite = words[0].lower() == "the"
            plural = head_word.endswith(("s", "people", "men")) and head_word not in ("analysis",)
            if definite and len(words) == 2:
                return self._definite(head_word, sent_no, titled=True)
            if definite:
                # "the State Department official" after "a State Department official said": that source, not a
                # person named near the words "State Department"
                prev = self._same_description(words[1:], sent_no) or self._by_modifier(words[1:-1], sent_no)
                if prev is None and not plural and all(w[:1].islower() for w in words[1:]):
                    prev = self._definite(head_word, sent_no, titled=True)  # "the presidential spokesman" -> Fitzwater
                if prev is not None:
                    return prev
            side = app_side or self._side_of(np)
            named_body = any(m.actor.kind in ("org",) for m in mentions) and head_word.startswith("spokes")
            return Speaker(np, side, "plural" if plural else "person", anon=not named_body, head=head_word)
        if words[0].lower() == "the" and len(words) == 2:
            if _is_acronym(words[1]):  # "the EIU said"
                return Speaker(self._acronym(words[1]), app_side, "org", head=words[1].lower())
            return self._definite(words[1].lower(), sent_no)
        inner = [w for w in words[1:-1] if w not in ("and", "of", "for", "&")]  # "Development and Reform"
        if _ORG_HEADS.search(words[-1]) and (len(words) > 1 and _is_proper(inner or words[:1])):
            name_words = [w for w in words if not (w.lower() in ("the", "a") or w.endswith("-based"))]
            name = " ".join(name_words)
            side = app_side or self.s.name_side.get(name) or self._side_of(np)
            return Speaker(name, side, "org", head=words[-1].lower())
        if len(words) == 2 and words[0] in ("U.S.", "US") and words[1][:1].isupper() and not mentions[1:]:
            # "U.S. Steel said": a firm named with the country, no person "Steel"
            return Speaker(np, app_side or "US", "org", head=words[1].lower())
        titled = _person_name(words)
        if titled and len(titled) < len(words) and all(w.islower() and w in _TITLE_WORDS for w in words[:-len(titled)]):
            words = words[len(words) - len(titled):]  # "analyst Peck", "industry analyst Peck": the name
        if _is_proper(words) or (len(words) > 1 and _is_proper(words[-2:])):
            name = _person_name(np[mentions[-1].end:].split() if mentions else words)
            if not name:
                if len(words) == 1 and _is_acronym(words[0]):
                    return Speaker(self._acronym(words[0]), app_side, "org", head=words[0].lower())
                return None
            full = self._full_name(name, pos)
            if words[0] in _HONORIFIC_GENDER:  # "Ms. Brandt said"
                self.gender.setdefault(" ".join(full), _HONORIFIC_GENDER[words[0]])
            if len(full) > len(name):  # "Liu" after "Vice Premier Liu He": the lexicon's Liu He
                whole = " ".join(full)
                known = [m for m in scan(whole, self.s.lex, self.s.ctx, update=False)
                         if m.start == 0 and m.end == len(whole)]
                if known:
                    return Speaker.of(known[0].actor, full[-1].lower())
            congress = any(w in ("Rep.", "Sen.", "Republican", "Democrat", "Democratic")  # US-only titles
                           for w in words[: len(words) - len(name)])
            side = ("US" if congress else None) or (
                app_side or self.s.name_side.get(" ".join(full)) or self.s.name_side.get(full[-1])
                or self._side_of(" ".join(words[: len(words) - len(name)])) or self._intro_side(full))
            kind = "org" if (len(name) == 1 and name[0].isupper()) else "person"
            if side:
                self.s.name_side.setdefault(" ".join(full), side)
                self.s.name_side.setdefault(full[-1], side)
            return Speaker(" ".join(full), side, kind, head=full[-1].lower())
        return None

    def _side_of(self, text: str) -> str | None:
        """The side of the first actor or demonym a phrase names."""
        if not text:
            return None
        lex = self.s.lex
        text = _AT_FIRM_IN_PLACE.sub(r"\1", text.replace("-based", " based"))
        text = _COVERAGE_TITLE.sub(" ", text)  # "chief China economist at Pinecrest Securities": no side
        found = [(m.start, m.actor.side) for m in scan(text, lex, self.s.ctx, update=False)]
        if lex.demonym_pattern is not None:
            found += [(m.start(), lex.demonym_side(m.group(0))) for m in lex.demonym_pattern.finditer(text)
                      if not _in_firm_name(m.group(0), text[m.end():])]
        return min(found)[1] if found else None

    def _full_name(self, name: list[str], pos: int | None = None) -> list[str]:
        """A surname's full name in the article: the one named last before ``pos`` when several people share it
        ("Gary Brandt" ... "His wife, Linda Brandt" ... "Ms. Brandt said"), else the first."""
        if len(name) != 1:
            return name
        if name[0] not in self._full:
            found: list[tuple[int, list[str]]] = []
            several = self.s.text.count(name[0]) > 2  # else the first full name is the only one
            for m in _surname_rx(name[0]).finditer(self.s.text):
                # no title words, demonyms or countries: "Chinese Premier Li Qiang", "Ambassador to Japan Wu Jianghao"
                first = [w for w in m.group(1).split() if w.lower() not in _TITLE_WORDS
                         and self.s.lex.demonym_side(w) is None and not self._is_place(w)]
                while first and first[0].lower().strip(",") in _NOT_NAME_START:
                    first = first[1:]  # "But Johnson said": no given name
                poss = [i for i, w in enumerate(first) if w.endswith(("'s", "\u2019s"))]
                first = first[poss[-1] + 1:] if poss else first  # "Jardine Fleming's Edwards": the firm's, no name
                if first and all(w[:1].isupper() for w in first) and first[-1] not in ("Mr.", "Ms.", "Mrs.", "Dr."):
                    found.append((m.start(), first + name))
                    if not several:
                        break
            if not found:  # a Chinese name, family name first: "Vice Premier Liu He, ..." then "Liu said"
                m = _given_after_rx(name[0]).search(self.s.text)
                found = [(m.start(), name + [m.group(1)])] if m else []
            self._full[name[0]] = found
        found = self._full[name[0]]
        if found:
            before = [f for at, f in found if pos is not None and at < pos]
            given = {f[-2] for _, f in found}  # the word before the surname: two given names, two people
            return before[-1] if before and len(given) > 1 else found[0][1]
        if len(name[0]) >= 6:  # wire copy misspells names: "Jason Benderly ... Benderley said"
            for ev in reversed(self.s.events):
                words = (ev.speaker.name or "").split()
                if ev.speaker.kind == "person" and not ev.speaker.anon and len(words) >= 2 \
                        and _one_edit(words[-1], name[0]):
                    return words
        return name

    def _is_place(self, word: str) -> bool:
        """Whether a word is a country or place the lexicon knows ("Japan")."""
        found = scan(word, self.s.lex, self.s.ctx, update=False)
        return bool(found) and found[0].actor.kind == "place" and found[0].end == len(word)

    def note_appositives(self, text: str) -> None:
        """Remember the side an appositive gives a name ("Robert Arnott, Australia's delegate, ...")."""
        for m in (_NAME_APPOS.finditer(text) if _NAME_APPOS_PART.search(text) else ()):
            words = m.group("name").split()
            name = _person_name(words)
            if not name:
                continue
            side = self._side_of(m.group("app")) if is_title_phrase(m.group("app")) else None
            if side:
                self.s.name_side.setdefault(" ".join(name), side)
                self.s.name_side.setdefault(name[-1], side)

        for m in (_NAME_END_ANY.finditer(text) if _NAME_END_ANY_PART.search(text) else ()):
            name = _person_name(m.group("name").split())
            app = " ".join(m.group("app").split()[-8:])
            if name and _TITLE_IN.search(app):
                side = self._side_of(app)
                if side:
                    self.s.name_side.setdefault(" ".join(name), side)
                    self.s.name_side.setdefault(name[-1], side)

    def unknown_orgs(self, text: str) -> list[tuple[int, Speaker]]:
        out = []
        for m in (_UNKNOWN_ORG.finditer(text) if _UNKNOWN_ORG_PART.search(text) else ()):
            words = [w for w in m.group(1).split() if not w.endswith("-based")]
            if words and words[0] in ("The", "A", "An"):
                words = words[1:]
            if len(words) < 2:
                continue
            side = self._side_of(m.group(1))
            if side is None and self.s.ctx.last_country:
                country = self.s.lex.actors.get(self.s.ctx.last_country)
                side = country.side if country else None
            name = " ".join(words)
            if side:
                self.s.name_side.setdefault(name, side)
            out.append((m.start(1), Speaker(name, side, "org", head=words[-1].lower())))
        return out

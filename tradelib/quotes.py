"""Direct quotes with their speakers (``extract_quotes``) and how claims are sourced (``classify_sourcing``).

Quotes are found paragraph by paragraph from their marks: straight or curly
double quotes, also mismatched pairs (“ ... "), and curly single quotes outside
a double quotation. A quotation left open at the end of a paragraph runs to that
paragraph's end (the convention for a quote that continues in the next one).

Each article is read once, sentence by sentence, with quoted words masked out:
actor mentions and the subjects of reporting verbs become *events* that later
pronouns ("he said", "it said"), definite descriptors ("the dealer") and
documents ("a social-media post") resolve to. A quote's speaker is the subject
of the reporting verb right after it ("…,” X said / “…,” said X) or right
before it (X said: “…”, or any earlier verb of the sentence for a partial
quote); a quote without its own attribution continues the previous quote of
its paragraph, or of the paragraph before when it opens a follow-on paragraph,
or takes the speaker of the previous sentence's reporting verb.

Scare quotes and titles (a quoted phrase with no reporting verb in its
sentence, or after "so-called", "dubbed", ...) are **kept** with ``speaker``,
``speaker_side`` and ``cue`` set to ``None``. Precision comes before recall:
when the subject cannot be resolved, ``speaker`` is ``None``.
"""

from __future__ import annotations

import os
import re
from functools import cache

import pandas as pd

from tradelib._attribution import (_PRONOUNS, HONORIFICS, PUBLIC_CHANNELS, Event, Resolver, Speaker, State, channel_of,
                                   cue_in_name, cues, real_cue)
from tradelib._quote_marks import _QUOTED, _blank, _make_quotes, _mask, _Quote, _sent_of
from tradelib._subjects import _PAREN_PARTY, _clean_np, _person_name, subject_after, subject_before, unparen_party
from tradelib.actors import _NOT_GIVEN, ArticleContext, Lexicon, load_lexicon, scan
from tradelib.errors import InputError

QUOTE_COLUMNS = ["article_id", "quote_idx", "text", "start", "end", "speaker", "speaker_side", "cue", "partial",
                 "channel"]
SOURCING_COLUMNS = ["article_id", "sent_idx", "sourcing", "cue"]
_SCARE = re.compile(r"(?<![\w-])(?:(?:so-called|dubbed|called|termed|known as|labell?ed|branded|titled|entitled|nicknamed)"
                    r"(?:\s+(?:the|a|an))?|the words?|the terms?|the phrases?|as|"
                    r"(?:the|a|an|his|her|their|its)\s+(?:new\s+|latest\s+|\d{4}\s+)?"
                    r"(?:book|film|movie|documentary|show|programme|program|novel|column|essay|podcast|series|song|"
                    r"album|bill|act|law|bestseller|best-seller|memoir|autobiography|white\s+paper|manifesto|"
                    r"slogan|motto|hashtag),?)\s*$", re.I)
# a full stop after a title or company abbreviation ends no sentence: "Sen. Marco Rubio", "Mr. Ren", "Corp. said"
_NOT_ABBR = "".join(f"(?<!\\b{a})" for a in ("Sen", "Rep", "Gov", "Gen", "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Co",
                                              "Inc", "Corp", "Ltd", "No", "Lt", "Col", "Amb", "Prof"))
_NEW_CLAUSE = re.compile(r"(?<=[a-z0-9)])" + _NOT_ABBR + r"[.!?]\s+[A-Z]")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)])" + _NOT_ABBR + r"[.!?]\s+(?=[A-Z\u201c\"])")
_INHERIT_VERBS = {"saying", "adding", "telling", "writing"}
_QUOTED_AS = re.compile(r"\s+((?:[A-Z][\w.'\u2019-]*\s+){0,4}[A-Z][\w'\u2019-]+)\s+as\s+(?:saying|telling|having)\b")
_LEAD_TITLED = re.compile(r"(?:(?:But|And|However|Yet|Still),?\s+)?(?P<np>(?:[A-Z][\w'\u2019.-]*\s+){1,4}(?:press\s+|deputy\s+|"
                          r"trade\s+|foreign\s+|vice\s+|senior\s+|chief\s+)?(?i:secretary|spokes(?:man|woman|person)|"
                          r"minister|adviser|advisor|representative|ambassador|envoy|negotiator|director|official|"
                          r"chairman|chairwoman|president|executive)\s+(?:[A-Z][\w'\u2019.-]*\s+){0,2}[A-Z][\w'\u2019-]+)"
                          r"(?=,|\s+[a-z])")
_CLAUSE_JOIN = re.compile(r"(?:,\s+and|;)\s+")
_SUBORDINATE = re.compile(r"(?<![\w-])(?:if|when|while|unless|because|after|before|though|although|until|whether)\s")
_PREPOSITIONS = frozenset({"at", "of", "for", "with", "from", "in", "to", "by", "on"})
_NAME_OF = re.compile(r"((?:(?:Sen|Rep|Gov|Mr|Ms|Mrs|Dr)\.\s+)?(?:[A-Z][\w'\u2019-]+\s+){1,3}[A-Z][\w'\u2019-]+)\s+of\s+")
_INTRO_PHRASE = re.compile(r"\s*(?:In|At|On|During|After|Before|Under|With|From|Through|Since|Despite|When|While|As|"
                           r"Although|Though|If|Once)\b[^,;:]*\s")
_LEAD_SUBJECT = re.compile(r"(?:(?:But|And|However|Yet|Still),?\s+)?(?:[A-Z][a-z]+ing\b[^,]{0,50},\s+)?"  # "Speaking ..., "
                           r"((?:[A-Z][\w'\u2019.-]*\s+){0,3}[A-Z][\w'\u2019-]+|"
                           r"He|She|It|They)\s+(?:also\s+|later\s+|then\s+)?(?:[a-z]+(?:ed|s)|set|told|made|gave|took|put|"
                           r"met|held|sent|spoke|wrote|left|kept|brought|sought|led|hit|cut|struck|drew)\b")


# a place opening a sentence before its subject: "In Tokyo, ...", "Back in Humboldt, ..."
_PLACE_LEAD = r"(?:Back\s+in|In|At|From|On)\s+[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*)?,\s+"
# a sentence that opens with a named person as its subject: words up to the first comma or verb-like lower-case word
_LEAD_PERSON = re.compile(r"(?:(?:But|And|However|Nevertheless|Meanwhile|Still|Yet|Earlier|Later),?\s+)?"
                          r"(?:" + _PLACE_LEAD + r")?"
                          # "Commerce and Industry Minister Piyush Goyal": "and" with two more capitalised words after it
                          r"(?P<np>(?:[A-Z][\w.'\u2019-]*\s+(?:and\s+(?=(?:[A-Z][\w.'\u2019-]*\s+){2,}[A-Z]))?|"
                          r"(?:head|chief|minister|secretary|president|chairman|"
                          r"governor|director|official|spokesman|economist|analyst)\s+){1,7}[A-Z][\w'\u2019-]+)(?=,|\s+[a-z])")


_INTRO_HINT = re.compile(r"[A-Z][a-z][\w'\u2019-]*,\s+(?:who|a|an|[a-z]{3,}ed)\s")  # a cheap test before _INTRO_PERSON
# a person introduced inside a sentence: "growers like Julie Brandt, who raises ...", "Alan Tse, a factory owner"
_INTRO_PERSON = re.compile(r"(?<![\w.'\u2019-])((?:[A-Z][a-z][\w'\u2019-]*\s+){1,2}[A-Z][a-z][\w'\u2019-]+),\s+"
                           r"(?:who|a|an|[a-z]{3,}ed)\s")  # "..., Lawrence MacAulay, pushed back"


_NEW_COMPLEMENT = re.compile(r"(?:(?:and|but)\s+(?:that|the|a|an|he|she|it|they|we)|while|whereas)\s")
_STOP_FIRST = re.compile(r"[.!?]\s")
_PHRASE_END = re.compile(r"[,;]|\.(?:\s|$)")
# "what she called", "what the ministry described as": the words are the subject's
_WHAT_X_CALLED = re.compile(r"\b(?:what|that|which)\s+((?:the\s+)?[\w.'\u2019-]+(?:\s+(?:of\s+)?[A-Z][\w.'\u2019-]*){0,4})"
                            r"(?:\s+\([A-Z][\w.&-]*\))?"  # "measures that the Ministry of Commerce (MOFCOM) called"
                            r"(?:,\s+[^,;:]{2,60},)?\s+(?:(?:has|had|have)\s+)?"  # "what Xi Jinping, China's leader, has called"
                            r"(called|calls|described\s+as|describes\s+as|termed|dubbed|branded)(?:\s+(?:a|an|the))?"
                            r"(?:\s+[a-z][\w-]*){0,2}\s*$")  # "what it called potential 'backdoor' risks"
# "Ishiba calls the 24% rate on Japan 'extremely regrettable'", "he called it 'a tremendous day'": the words of the
# verb's subject; a name ("a plan called 'Made in China 2025'", "so-called") has no object between verb and quote,
# and naming verbs ("branded the 'Clean Network'", "described the measures as 'rebalancing'") give terms, not words
_X_CALLED = re.compile(r"(?<![\w-])(?P<verb>calls|called)\s+(?!(?:for|on|off|up|in|out|back|upon|into|to)\s)"
                       r"(?:[\w$%.,'\u2019-]+\s+){1,8}?$")
_AUX_END = re.compile(r"\s+(?:(?:has|have|had)(?:\s+(?:also|since|long|repeatedly|previously))?|also|once|repeatedly)\s*$")
_DESCRIBED_AS = re.compile(r"\b(?:described|describes|characteri[sz]ed|branded|labell?ed|dismissed|denounced|"
                           r"criticised|criticized|called)\b[^.;:]{0,80}\bas\s*$")
_STRAIGHT_OPEN = re.compile(r"(?:^|\s)'[A-Za-z]")  # a straight single mark that may open a quotation
_VERB_NP = re.compile(r"(?:^|\s)to$|^(?:declined|refused|did|would|could|also|not)\b")
_DOC_OWNER = re.compile(r"([A-Z][\w.&'\u2019-]*(?:\s+[A-Z][\w.&'\u2019-]*){0,3})['\u2019]s\s+(?:[a-z]+\s+)?"
                        r"(?:statement|post|letter|response|message|reply|note)\b")
_PREP_NP = re.compile(r"(?:in|at|on|to|during|from|after|before|with|for|by|about|of|that)\s")
_MASKED_END = re.compile("[\"\u201c\u2018]_+[\"\u201d\u2019]\\s*$")


# "Asked on TV whether he had urged Trump to pause, Bessent declined to say": after a leading subordinate or
# participial clause (or a time or place: "In late August, Dale Fenstermaker climbed"), the main clause's subject
# (a later "he" is Bessent, not Trump)
_AFTER_LEAD_CLAUSE = re.compile(r"(?:(?P<sub>Asked|Pressed|Speaking|Questioned|Interviewed|When|While|After|Before|"
                                r"Although|Though|Since|Despite|Unlike|Like)|On|In|At|During|Early|Late|Last|This)\b"
                                r"[^,;:]{3,160},\s+(?P<np>(?:[A-Z][\w.'\u2019-]*\s+){0,2}[A-Z][a-z][\w'\u2019-]+)"
                                r"(?=\s+[a-z])")
# '"...," to defend workers from what she described as ...': a "what X described" after a quote attributes nothing
_WHAT_BEFORE = re.compile(r"\bwhat\s+(?:[\w.'\u2019-]+\s+){1,3}$")
# "..., and Lighthizer has argued ...": a new clause with its own subject after a partial quote
_NEW_SUBJECT = re.compile(r",\s+(?:and|but|while|whereas)\s+(?:[A-Z]|the\s|a\s|an\s)")
# words that open a sentence but no name ("By Sunday, ...", "In January, ...", "But Sindt said")
_LEAD_NOT_NAME = frozenset({"by", "in", "on", "at", "from", "to", "of", "with", "after", "before", "during", "while",
                            "when", "last", "this", "next", "since", "until", "but", "and", "or", "a", "an", "the",
                            "as", "if"})
# a sentence opening with a lone surname as its subject ("Meng, who is free on bail, wore ...")
_LEAD_SURNAME = re.compile(r"(?:(?:But|And|However|Meanwhile|Still|Yet),?\s+)?"
                           # two-letter family names too ("Li did not answer"), not the pronoun "He" or function words
                           r"(?!(?:He|It|We|So|In|As|At|If|On|Or|No|Do|Go|Up|My|Us|By|An|To|Be|Of|Oh)\b)"
                           r"([A-Z][a-z][\w'\u2019-]*)"
                           r"(?=,\s+(?:who|whose)\b|\s+(?:has|had|was|is|did|does|remains|remained|[a-z]{2,}ed)\b)")


def _party_after(np: str, app: str) -> tuple[str, str]:
    """'said Sen. Charles Grassley (R-Iowa), a farmer': the name, with the party label moved to the appositive."""
    paren = _PAREN_PARTY.search(np)
    if paren is None:
        return np, app
    label = f"{paren.group('party')}-{paren.group('state')}"
    return np[:paren.start()].rstrip(), f"{label}, {app}" if app else label


def _after_verb(before: str, verb: str, np: str) -> bool:
    """Whether ``np`` stands after the last ``verb`` in ``before`` ("said the administration was ...")."""
    at = before.lower().rfind(verb)
    return at >= 0 and before.find(np, at) >= 0


def _word_at(text: str, np: str, at: int) -> bool:
    """Whether ``np`` at ``at`` in ``text`` stands as whole words (no letter, digit, _ or - on either side)."""
    end = at + len(np)
    return not (at > 0 and (text[at - 1].isalnum() or text[at - 1] in "_-")) and \
        not (end < len(text) and (text[end].isalnum() or text[end] in "_-"))


def _np_pos(np: str, before: str, lo: int, after: str, hi: int) -> int:
    """Where ``np`` stands: its last occurrence as words in ``before`` (at ``lo``), else its first in ``after``.

    Plain string search with word-boundary checks (a regex per phrase cost a compile per quote)."""
    at = before.rfind(np)
    while at >= 0:
        if _word_at(before, np, at):
            return lo + at
        at = before.rfind(np, 0, at + len(np) - 1) if at > 0 else -1
    at = after.find(np)
    while at >= 0:
        if _word_at(after, np, at):
            return hi + at
        at = after.find(np, at + 1)
    return hi


@cache
def _lead_descriptor(descriptors: frozenset[str]) -> re.Pattern:
    """A sentence opening with an unnamed speaker as its subject: "The senior official sounded ...", "The
    spokesperson did not answer directly"."""
    heads = "|".join(sorted((re.escape(d) for d in descriptors if d.isalpha() and not d.endswith("s")),
                            key=len, reverse=True))
    return re.compile(r"(?:(?:But|And|However|Still|Yet|Meanwhile),?\s+)?"
                      r"(?:" + _PLACE_LEAD + r"(?=[a-z]))?"  # "In Tokyo, a senior trade official was blunter"
                      r"(?P<np>(?:The|A|An|One|Another|the|a|an|one|another)"
                      r"(?:\s+(?!(?:said|says|told|the|a|an)\s)[\w.'\u2019-]+){0,3}?\s+(?:" + heads + r"))\s+(?:also\s+)?"
                      r"(?:[a-z]+(?:ed|s)|did|was|were|"
                      r"had|would|could|will|can|gave|made|took|sought|spoke|told|went|kept|left|came|saw|held|met)\b")


class _Article:
    """One pass over one article: events, then the quotes that close in each sentence."""

    def __init__(self, body: str, lex: Lexicon):
        self.body = body
        self.quotes, self.sents = _make_quotes(body)
        self.masked = _mask(body, self.quotes)
        self.state = State(lex, ArticleContext(lex), body)
        self.res = Resolver(self.state)
        self.cues = cues()
        self.cue_events: dict[int, list[tuple[int, str, Speaker]]] = {}
        self._channels: dict[str, str | None] = {}
        for q in self.quotes:
            q.s_open = _sent_of(self.sents, q.open)
            q.s_close = _sent_of(self.sents, max(q.close - 1, q.open))

    def run(self) -> list[_Quote]:
        by_close: dict[int, list[_Quote]] = {}
        for q in self.quotes:
            by_close.setdefault(q.s_close, []).append(q)
        for k, (s, e, _) in enumerate(self.sents):
            self._events(k, s, e)
            for q in by_close.get(k, []):
                self._attribute(q)
        return self.quotes

    def _events(self, k: int, s: int, e: int) -> None:
        text = self.masked[s:e]
        st, res = self.state, self.res
        orgs = res.unknown_orgs(text)  # before this sentence's mentions move the country context
        for m in scan(text, st.lex, st.ctx):
            st.events.append(Event(s + m.start, k, Speaker.of(m.actor, m.text.split()[-1].lower())))
        for p, spk in orgs:
            st.events.append(Event(s + p, k, spk))
        lead = _LEAD_PERSON.match(text)
        first = lead.group("np").split()[0] if lead else ""
        if first.lower() in _LEAD_NOT_NAME and not first.isupper():
            lead = None  # "By Sunday, his tone had softened", "In January, ...": no person; "But Wyss pointed out": a surname
        sur = None if lead else _LEAD_SURNAME.match(text)
        if sur:  # "Meng, who is free on bail, ..." after "Meng Wanzhou": a later "she" may be her
            full = res._full_name([sur.group(1)], s + sur.start(1))
            if len(full) >= 2:
                spk = res.resolve(" ".join(full), k)
                if spk is not None and spk.kind == "person":
                    st.events.append(Event(s + sur.start(1), k, spk))
        if lead:  # "Polish National Bank head Wladyslaw Baka, in talks ..., made it clear": a later "he" may be him
            words = lead.group("np").split()
            name = _person_name(words)
            if len(name) == 1 and words[0] in HONORIFICS:
                name = res._full_name(name, s + lead.start("np"))  # "Back in Humboldt, Mr. Brandt plans ..."
            if len(name) >= 2 and st.lex.demonym_side(name[-1]) is None:
                spk = res.resolve(" ".join(words), k)
                if spk is not None and spk.kind == "person":
                    st.events.append(Event(s + lead.start("np"), k, spk))
        for m in _INTRO_PERSON.finditer(text) if ", " in text and _INTRO_HINT.search(text) else ():
            # "For growers like Julie Brandt, who raises soybeans, ...": a later "she" may be her
            name = _person_name(m.group(1).split())
            if len(name) >= 2 and (not lead or m.start(1) > lead.end("np")):
                spk = res.resolve(" ".join(name), k)
                if spk is not None and spk.kind == "person":
                    st.events.append(Event(s + m.start(1), k, spk))
        after_lead = None if lead else _AFTER_LEAD_CLAUSE.match(text)
        if after_lead:
            words = after_lead.group("np").split()
            if len(words) == 1:  # "..., Bessent declined": the full name named before
                words = res._full_name(words, s + after_lead.start("np"))
            known = scan(" ".join(words), st.lex, st.ctx, update=False)
            if known and known[-1].end == len(" ".join(words)):  # "(Chancellor of the) Exchequer Nigel Lawson"
                words = known[-1].text.split()
            elif len(words) > 2 or words[:1] and words[0] in HONORIFICS or any(
                    w.lower() in _NOT_GIVEN for w in words):  # "Adivser Christopher Johnson", "Deputy Minister of"
                words = []
            spk = res.resolve(" ".join(words), k) if len(words) >= 2 else None
            if spk is not None and spk.kind == "person":  # after "Asked ...," the subject as if of a reporting
                # verb (preferred as an antecedent); after "In late August," a plain mention
                st.events.append(Event(s + after_lead.start("np"), k, spk, cue=after_lead.group("sub") is not None))
        lead_d = _lead_descriptor(self.cues.descriptors).match(text)
        if lead_d:  # "The senior official sounded pessimistic ...": a later "he" may be that official
            spk = res.resolve(lead_d.group("np"), k)
            if spk is not None and spk.kind == "person":
                st.events.append(Event(s + lead_d.start("np"), k, spk))
        res.note_appositives(text)
        public = None
        for c in self.cues.verb.finditer(text):
            if not real_cue(text, c):
                continue
            np, app, at = self._subject(text, c)
            if np and public is None and np.lower() in _PRONOUNS:
                public = self._channel_of(text) in PUBLIC_CHANNELS
            spk = res.resolve(np, k, appositive=app, public=bool(public), pos=s + max(at, 0)) if np else None
            if spk is not None:
                st.events.append(Event(s + max(at, 0), k, spk, cue=True))
                self.cue_events.setdefault(k, []).append((s + c.start(), c.group(0), spk))

    def _subject(self, text: str, c: re.Match) -> tuple[str, str, int]:
        verb = c.group(0).lower()
        left = text[:c.start()]
        if verb in _INHERIT_VERBS:  # a participle's subject is the clause's: the caller looks for it
            return "", "", c.start()
        if verb == "quoted":  # "Kyodo quoted Nakasone as telling reporters": the one quoted speaks
            m = _QUOTED_AS.match(text, c.end())
            if m:
                return _clean_np(m.group(1)), "", m.start(1)
        # 'Navarro, author of the book "Death by China," said': the comma was inside the (masked) title's marks
        left = _MASKED_END.sub(", ", left)
        np, app = ("", "") if verb == "according to" else subject_before(left)
        if not np and verb != "according to" and left.endswith(" ") and _AUX_END.search(left):
            # "China's ambassador to India, Xu Feihong, had said": the subject before the auxiliary
            np, app = subject_before(_AUX_END.sub(" ", left))
        if np:
            at = left.rfind(np)
            if app and at >= 0 and _INTRO_PHRASE.fullmatch(left[:at]):
                # "In its report filed with the Securities and Exchange Commission, the company said": the phrase's
                # last noun is no subject with an appositive; the words after the comma are the subject
                return app, "", left.rfind(app)
            of = _NAME_OF.search(left, 0, at) if at > 0 else None
            if of is not None and of.end() == at:  # "Sen. Amy Klobuchar of Minnesota, the top Democrat ..., said"
                return of.group(1) + " of " + np, app, of.start(1)
            words_before = left[:at].split()
            lead = _LEAD_PERSON.match(left) if words_before and words_before[-1].lower() in _PREPOSITIONS else None
            if lead is not None and lead.end("np") < at and len(_person_name(lead.group("np").split())) >= 2 \
                    and lead.group("np").split()[0].lower() not in _NOT_GIVEN:
                # "Rosalind Acheson, a trade fellow at the Centre for Open Markets, a London thinktank, said": the
                # body after "at" belongs to an appositive; the subject is the name that opens the sentence
                return _clean_np(lead.group("np")), "", lead.start("np")
            return np, app, at if at >= 0 else c.start() - len(np) - 1
        if re.search(r"(?<![\w-])(?:and|but)\s*$", left):  # "Buttrose said he expected ..., and added": same subject
            prev = [m for m in self.cues.verb.finditer(left) if real_cue(left, m)]
            if prev:
                return self._subject(left, prev[-1])
            lead = _LEAD_PERSON.match(left)
            if lead:  # "Narendra Modi, speaking in Ahmedabad, did not name the US but said:": the sentence's subject
                return _clean_np(lead.group("np")), "", lead.start("np")
        if verb in _INHERIT_VERBS or verb.startswith(("tel", "urg", "ask", "warn", "remind", "advis")) or verb == "told":
            return "", "", c.start()  # "urged the U.K. Government to": the noun after the verb is its object
        np, app = _party_after(*subject_after(text[c.end():]))
        if _PREP_NP.match(np):  # "Senhor, said in an editorial": no subject after the verb
            return "", "", c.end() + 1
        return np, app, c.end() + 1

    def _attribute(self, q: _Quote) -> None:
        sents, masked = self.sents, self.masked
        s0, s1 = sents[q.s_open][0], sents[q.s_close][1]
        prev = [p for p in self.quotes if p.close < q.open and p.para == q.para]
        nxt = [p.open for p in self.quotes if p.open > q.close and p.para == q.para]
        lo = max([s0] + [p.close + 1 for p in prev])
        para_end = max(e for _, e, p in sents if p == q.para)
        hi = min([para_end] + nxt)
        before, after = masked[lo:q.open], masked[q.close + 1:hi] if q.close < len(masked) else ""
        inner = self.body[q.start:q.end]
        q.partial = self._partial(before, inner)
        q.channel = self._channel_of(masked[s0:s1]) or "unknown"
        public = q.channel in PUBLIC_CHANNELS
        para_quotes = [p for p in prev if p.speaker is not None]
        found = self._after(after, inner, q.partial)
        if found is None or not found[1]:
            # 'X said "...," adding ...': the cue before the quote names who is adding
            found = self._before(before, q.partial, inner) or found
        if q.partial and lo > s0 and (found is None or not found[1] or _after_verb(before, *found[:2])
                                      or found[1].split()[0].lower() in _PRONOUNS):
            # a second quoted phrase in one sentence: 'Tai called the tariffs "leverage" and said she would not give
            # them up "for nothing"': its cue's subject stands before the first quote
            wider = self._before(masked[s0:q.open], True, inner)
            if wider is not None and wider[1]:
                found = wider
        if found is not None and found[0] == "according to" and q.partial and _DESCRIBED_AS.search(before):
            # 'Mr. He described the discussions as "candid," according to Xinhua': the describer's words; the
            # agency only reports them
            desc = self._before(before, True, inner)
            if desc is not None and desc[1]:
                found = desc
        what = _WHAT_X_CALLED.search(before)
        if what and q.partial:  # "against what she called 'the global scourge of overcapacity'": her words
            q.speaker = self._what_speaker(what.group(1), q.s_open, lo + what.start(1))
            q.cue = what.group(2).split()[0].lower() if q.speaker is not None else None
            q.attributed = q.speaker is not None
            return self._channel(q)
        called = _X_CALLED.search(masked[s0:q.open]) if q.partial and (found is None or not found[1]) \
            and not _is_title(inner) else None
        if called is not None:
            left = _AUX_END.sub(" ", masked[s0:s0 + called.start("verb")])  # "Lighthizer ... has called it"
            np, app = subject_before(left) if not _NEW_CLAUSE.search(left[-3:] + " X") else ("", "")
            named = np[:1].isupper() or np.lower() in _PRONOUNS
            spk = self.res.resolve(np, q.s_open, appositive=app, public=public,
                                   pos=s0 + max(left.rfind(np), 0)) if np and named else None
            if spk is not None:
                q.speaker, q.cue, q.attributed = spk, called.group("verb").lower(), True
                return self._channel(q)
        scare = _SCARE.search(before)
        if scare is not None and found is not None and found[1] and _DESCRIBED_AS.search(before):
            scare = None  # 'Its filing described the measures as "a threat ..."': the describer's words
        if q.partial and found is None and not scare:
            same = [p for p in prev if p.s_close == q.s_open and p.speaker is not None and p.partial]
            if same:
                q.speaker, q.cue, q.attributed = same[-1].speaker, same[-1].cue, True
                return self._channel(q)
        named_after = (scare is not None and scare.group(0).strip().lower() == "as"  # 'described it as "nebulous," one said'
                       and found is not None and bool(found[1]) and after.lstrip()[:1].isalpha()
                       and self.body[max(q.start, q.close - 2):q.close].rstrip().endswith(","))
        shouting = q.channel == "social media" and inner.upper() == inner  # "GREAT PROGRESS" in a post: no title
        if q.partial and (found is None or (scare and not named_after) or (_is_title(inner) and not shouting)):
            q.speaker, q.cue = None, None
            return self._channel(q)
        if found is not None and not found[1] and lo > s0:
            # 'had called it "the biggest deal ever made", adding: "..."', 'called the ad "FAKE" and wrote: "..."':
            # a verb with no subject of its own after a quote of this sentence goes on with that quote's speaker
            same = [p for p in prev if p.s_close == q.s_open and p.speaker is not None
                    and not _WHAT_X_CALLED.search(masked[s0:p.open])]  # not 'what the State Department calls "..."'
            if same:
                q.speaker, q.cue, q.attributed = same[-1].speaker, found[0], True
                return self._channel(q)
        if found is not None:
            verb, np, app = found
            q.cue, q.attributed = verb, True
            if not np and verb in _INHERIT_VERBS:
                subj = [ev for ev in self.state.events if ev.sent_no == q.s_open and ev.cue and ev.pos < q.open]
                if subj:
                    q.speaker = subj[-1].speaker
                else:
                    head = masked[s0:q.open]
                    # "Baker went out of his way ..., and French Finance Minister Edouard Balladur underscored that by
                    # saying:": the subject of the last clause before the participle, not the sentence's first
                    starts = [m.end() for m in _CLAUSE_JOIN.finditer(head)][::-1] + [0]
                    titled = next((t for t in (_LEAD_TITLED.match(head, j) for j in starts) if t), None)
                    lead = _LEAD_SUBJECT.match(head)
                    # "White House press secretary Karoline Leavitt also pushed back ..., telling reporters": the
                    # titled name, not "White House"
                    np = titled.group("np") if titled else lead.group(1) if lead else ""
                    q.speaker = self.res.resolve(np, q.s_open, public=public, para_quotes=para_quotes) if np else None
            else:  # where the subject stands: a pronoun's antecedent may come earlier in its sentence
                q.speaker = self.res.resolve(np, q.s_open, appositive=app, public=public, para_quotes=para_quotes,
                                             pos=_np_pos(np, before, lo, after, q.close + 1))
            return self._channel(q)
        if before.rstrip().endswith(":") and (len(before.split()) >= 3 or lo == s0):
            # 'PhRMA's statement was measured but pointed: "..."': the document's owner; 'Bessent interjected: "..."',
            # 'Ms. Mao then repeated a line ...: "..."': a person who is the sentence's subject; 'a hand-painted sign
            # summed up the mood: "..."': the sentence has its own subject and no reporting verb, so no one
            owner = _DOC_OWNER.search(before)
            q.speaker = self.res.resolve(owner.group(1), q.s_open) if owner else None
            lead = _LEAD_SUBJECT.match(before) if owner is None and lo == s0 else None
            if lead is not None:
                spk = self.res.resolve(lead.group(1), q.s_open, public=public, para_quotes=para_quotes,
                                       pos=lo + lead.start(1))
                q.speaker = spk if spk is not None and spk.kind == "person" else None
            q.cue = "said" if q.speaker is not None else None
            return self._channel(q)
        self._follow_on(q, prev)
        self._channel(q)

    def _what_speaker(self, np: str, sent_no: int, pos: int):
        """The X of "what X called": a pronoun is the subject of its own sentence's reporting verb, a name or a
        body the lexicon knows is itself; anything vaguer is no one (precision first)."""
        if np.lower() in _PRONOUNS:
            same = [ev for ev in self.state.events if ev.sent_no == sent_no and ev.cue and ev.pos < pos]
            if not same:  # "the Cyberspace Administration of China summoned ... over what it called": the subject
                same = [ev for ev in self.state.events if ev.sent_no == sent_no and ev.pos < pos
                        and ev.speaker.kind in _PRONOUNS[np.lower()] and ev.speaker.kind != "place"][:1]
            return same[-1].speaker if same else None
        found = scan(np, self.state.lex, self.state.ctx, update=False)
        if found and found[-1].end == len(np):
            return Speaker.of(found[-1].actor, np.split()[-1].lower())
        return self.res.resolve(np, sent_no) if np[:1].isupper() else None

    def _partial(self, before: str, inner: str) -> bool:
        b = before.rstrip()
        if not b or b[-1] in ":,(\u2014\u2013-_\u201d\"" or _NEW_CLAUSE.search(b[-3:] + " X"):
            return False
        if b[-1] in ".!?":
            return False
        ends_with_cue = self.cues.verb.search(b.split()[-1]) is not None
        return inner[:1].islower() or not ends_with_cue

    def _after(self, after: str, inner: str, partial: bool):
        text = after.lstrip(" ,;:\u2014\u2013-")
        if partial and _NEW_COMPLEMENT.match(text):
            return None  # 'told reporters the talks had been "friendly" and that the two leaders had agreed ...'
        if partial and inner.rstrip()[-1:] in ".!?" and text[:1].isupper():
            return None  # 'use tariffs "strategically, not as a blunt instrument." Raimondo told ...': a new sentence
        if inner.rstrip()[-1:] in ".!?" and text[:1].isupper() and after.rstrip().endswith(":"):
            return None  # '... "more united." In a later post, he added: "...': that cue opens the next quote
        if _STOP_FIRST.match(text):
            return None  # '... "never bow to threats". He said: ...': the full stop after the mark ends the sentence
        head = _SENTENCE_END.split(text, maxsplit=1)[0]
        words = head.split()
        window = " ".join(words[:16])
        m = next((c for c in self.cues.verb.finditer(window) if not cue_in_name(window, c)), None)
        if m is None:
            return self._tail(head)
        if inner.rstrip()[-1:] in ".!?" and text[:1].isupper() and len(words) > 6:
            return None  # the quote ended its sentence; a new one starts after the mark
        verb = m.group(0).lower()
        left = unparen_party(window[:m.start()])
        if _NEW_CLAUSE.search(left) or "_" in left or (partial and _NEW_SUBJECT.search(left)):
            return None
        if _WHAT_BEFORE.search(left):
            return None  # '"...," to defend workers from what she described as ...': no attribution of this quote
        if partial and _SUBORDINATE.search(left):
            return None  # 'it would "fight to the end" if Washington insisted on ...': a clause of its own
        if left.strip() and verb != "according to":
            np, app = subject_before(left)
            if _PREP_NP.match(np) or _VERB_NP.search(np):
                return None  # '"..." in Republican-held states', '"..." but declined to say more': no subject
            if not np or np != _strip(left):
                np2, app2 = self._appositive_subject(left)
                np, app = (np2, app2) if np2 else (np, app)
            if not np and left.rstrip().endswith(","):  # '"..." out of Congress now, said Touche Ross's Collander'
                np, app = subject_after(text[text.find(m.group(0)) + len(m.group(0)):])
            return (verb, np, app) if np else None
        if verb in _INHERIT_VERBS:  # '"...," adding that ...': a participle has no subject after it
            return verb, "", ""
        rest = text[text.find(m.group(0)) + len(m.group(0)):]
        np, app = _party_after(*subject_after(rest))
        if verb == "according to" and np.split()[-1:] and np.split()[-1].lower() in self.cues.documents:
            # "according to a statement from the White House": the document with its author
            np = _clean_np(_PHRASE_END.split(rest, maxsplit=1)[0])
        if _PREP_NP.match(np):
            np, app = "", ""  # '"...," said in a speech to ministers': no subject after the verb
        return verb, np, app

    def _tail(self, head: str):
        """An attribution that ends the sentence after a longer stretch: '..., he said.'"""
        last = None
        for c in self.cues.verb.finditer(head):
            if not cue_in_name(head, c):  # "... into the United States, ...": no cue
                last = c
        if last is None or len(head[last.end():].split()) > 4:
            return None
        comma = head.rfind(",", 0, last.start())
        if comma < 0 or "_" in head[comma:last.start()] or head[comma + 1:comma + 2].isdigit():
            return None  # "with 10,000 members of ...": no clause before a subject
        np, app = subject_before(head[comma + 1:last.start()])
        return (last.group(0).lower(), np, app) if np else None

    def _appositive_subject(self, left: str) -> tuple[str, str]:
        parts = [p.strip() for p in left.strip().rstrip(",").split(",")]
        if len(parts) >= 2 and parts[0][:1].isupper():
            return parts[0], ", ".join(parts[1:])
        return "", ""

    def _before(self, before: str, partial: bool, inner: str = ""):
        matches = [m for m in self.cues.verb.finditer(before) if real_cue(before, m)
                   and not (m.group(0).lower() == "telling" and before[:m.start()].endswith(" as "))]
        if not matches:
            return None
        c = matches[-1]
        verb = c.group(0).lower()
        between = before[c.end():]
        if not partial:
            b = before.rstrip()
            short = (len(between.split()) <= 6 and (b.endswith((":", ",")) or not between.strip()
                                                    or b.endswith(("that", "saying")))) or (
                b.endswith(":") and len(between.split()) <= 14 and not re.search(r"[.!?]\s", between))
            clause = b.endswith(",") and len(inner.split()) >= 3 and not _is_title(inner)
            if not (short or clause):
                return None
        if verb in self.cues.weak and not partial and not before.rstrip().endswith(":"):
            return None
        np, app, _ = self._subject(before, c)
        return verb, np, app

    def _follow_on(self, q: _Quote, prev: list[_Quote]) -> None:
        src = next((p for p in reversed(prev) if p.speaker is not None), None)
        if src is None and q.para > 0 and self.masked[max(q.open - 2, 0):q.open].strip() == "":
            last = [p for p in self.quotes if p.para == q.para - 1]
            if last and last[-1].s_close >= self._last_sent(q.para - 1) and last[-1].speaker is not None:
                src = last[-1]
            elif last and last[-1].speaker is not None and not last[-1].partial and self._only_quotes(q.para) \
                    and self._nobody_else(last[-1], q.open):
                # a paragraph of quotation only, after '"...," said Wendell Armistead, an economist. He does not
                # expect ...': the speaker goes on, as no one else has been named since
                src = last[-1]
            else:
                evs = self.cue_events.get(self._last_sent(q.para - 1), [])
                whole = self.masked[self.sents[q.s_open][0]:].split("\n\n")[0].strip()
                only_quote = whole.startswith(self.body[q.open]) and whole.rstrip(" .").endswith(
                    ("_", "\u201d", '"', "\u2019"))
                colon = self.masked[: self.sents[q.s_open][0]].rstrip().endswith(":")
                if evs and (colon or (only_quote and len({e[2].name for e in evs}) == 1)):
                    q.speaker, q.cue = evs[-1][2], evs[-1][1].lower()
                    return
                if colon and not evs:
                    # "Commerce Secretary Gina Raimondo, on a call with reporters, framed the package as maintenance:"
                    # then a paragraph of quotation: the titled person who opens that sentence
                    s_prev = self._last_sent(q.para - 1)
                    titled = _LEAD_TITLED.match(self.masked[self.sents[s_prev][0]:self.sents[s_prev][1]])
                    spk = self.res.resolve(titled.group("np"), s_prev) if titled else None
                    if spk is not None and spk.kind == "person":
                        q.speaker, q.cue = spk, "said"
                        return
        if src is not None:
            q.speaker, q.cue = src.speaker, src.cue
            return
        k = q.s_open - 1
        if k >= 0 and self.sents[k][2] == q.para and self.cue_events.get(k):
            _, verb, spk = self.cue_events[k][-1]
            q.speaker, q.cue = spk, verb.lower()

    def _only_quotes(self, para: int) -> bool:
        """Whether paragraph ``para`` holds nothing but quoted text (its quotes are masked with ``_``)."""
        text = "".join(self.masked[s:e] for s, e, p in self.sents if p == para)
        return not re.sub(r"[_\s.,;:!?\"'\u201c\u201d\u2018\u2019\u2014\u2013-]", "", text)

    def _nobody_else(self, src: _Quote, end: int) -> bool:
        """Whether no speaker other than ``src``'s was named or cued between ``src`` and ``end``."""
        return all(ev.speaker == src.speaker or ev.speaker.kind not in ("person", "plural")
                   for ev in self.state.events if src.close <= ev.pos < end)

    def _channel_of(self, text: str) -> str | None:
        """:func:`channel_of`, remembered per text within the article (paragraphs are asked about often)."""
        if text not in self._channels:
            self._channels[text] = channel_of(text)
        return self._channels[text]

    def _last_sent(self, para: int) -> int:
        idx = [i for i, s in enumerate(self.sents) if s[2] == para]
        return idx[-1] if idx else -1

    def _channel(self, q: _Quote) -> None:
        if q.channel != "unknown":
            return
        para_text = "".join(self.masked[s:e] + " " for s, e, p in self.sents if p == q.para)
        ch = self._channel_of(para_text)
        if ch is None and q.speaker is not None and q.speaker.name:
            same = [p for p in self.quotes if p.close < q.open and p.speaker is not None
                    and p.speaker.name == q.speaker.name and p.channel != "unknown"]
            if same:
                ch = same[-1].channel
            else:
                for ev in reversed(self.state.events):
                    if ev.pos < q.open and ev.speaker.name == q.speaker.name and ev.sent_no >= q.s_open - 8:
                        s, e, _ = self.sents[ev.sent_no]
                        ch = self._channel_of(self.masked[s:e])
                        if ch:
                            break
        q.channel = ch or "unknown"


def _is_title(inner: str) -> bool:
    """A short Title-Case phrase ("Moneyline", "Today") is a name of something, not words of a speaker."""
    words = inner.strip(" ,.").split()
    small = ("of", "the", "and", "a", "in", "on", "for", "to", "at", "with")
    return 0 < len(words) <= 5 and words[0][:1].isupper() and words[0] != "I" and \
        all(w[:1].isupper() or w[:1].isdigit() or w.lower() in small for w in words)


def _strip(text: str) -> str:
    return text.strip(" ,;:")


def _check_articles(articles: pd.DataFrame) -> None:
    if not isinstance(articles, pd.DataFrame) or not {"article_id", "body"} <= set(articles.columns):
        raise InputError("extract_quotes needs an articles table with 'article_id' and 'body' columns")


def extract_quotes(articles: pd.DataFrame, *, lexicon: str | os.PathLike | Lexicon | None = None) -> pd.DataFrame:
    """Find the direct quotes of each article's body and who said them.

    Parameters
    ----------
    articles : pandas.DataFrame
        The articles table of :func:`tradelib.load_articles` (needs ``article_id`` and ``body``).
    lexicon : str, path or Lexicon, keyword-only, optional
        An extra actor lexicon (see :func:`tradelib.actors.load_lexicon`).

    Returns
    -------
    pandas.DataFrame
        One row per quoted passage: ``article_id``, ``quote_idx`` (0.. within
        the article), ``text`` (without the marks, a trailing comma dropped),
        ``start``, ``end`` (``body[start:end] == text``), ``speaker`` (canonical
        actor name, the speaker's own words when not in the lexicon, or ``None``
        when unclear, for scare quotes and titles), ``speaker_side`` (``"US"``,
        ``"China"``, ``"other"`` or ``None``), ``cue`` (the reporting verb,
        lower-case, e.g. ``"said"``, ``"read"``, ``"according to"``), ``partial``
        (a quoted phrase embedded in the reporter's sentence) and ``channel``
        (``"statement"``, ``"interview/TV"``, ``"social media"``, ``"briefing"``
        or ``"unknown"``, from the article's own words).

    Examples
    --------
    >>> import pandas as pd, tradelib
    >>> arts = pd.DataFrame({"article_id": ["a"], "body": ['"We will respond," Lin Jian said.']})
    >>> tradelib.extract_quotes(arts)[["text", "speaker", "speaker_side", "cue"]].values.tolist()
    [['We will respond', 'Lin Jian', 'China', 'said']]
    """
    _check_articles(articles)
    lex = load_lexicon(lexicon)
    rows: list[tuple] = []
    for art in articles[["article_id", "body"]].itertuples(index=False):
        body = art.body or ""
        if '"' not in body and "\u201c" not in body and "\u2018" not in body and not _STRAIGHT_OPEN.search(body):
            continue
        for i, q in enumerate(_Article(body, lex).run()):
            spk = q.speaker
            rows.append((art.article_id, i, body[q.start:q.end], q.start, q.end,
                         spk.name if spk else None, (spk.side or "other") if spk else None,
                         q.cue if spk else None, bool(q.partial), q.channel))
    out = pd.DataFrame(rows, columns=QUOTE_COLUMNS)
    for col in ("quote_idx", "start", "end"):
        out[col] = out[col].astype("int64")
    out["partial"] = out["partial"].astype(bool)
    return out


def classify_sourcing(sentences: pd.DataFrame, *, lexicon: str | os.PathLike | Lexicon | None = None) -> pd.DataFrame:
    """Classify how each sentence sources its claim.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The sentence table of :func:`tradelib.split_sentences` (``article_id``, ``sent_idx``, ``text``).
    lexicon : str, path or Lexicon, keyword-only, optional
        An extra actor lexicon.

    Returns
    -------
    pandas.DataFrame
        ``article_id``, ``sent_idx``, ``sourcing`` and ``cue``. ``sourcing`` is
        ``"no_comment"`` (declined / did not respond to requests for comment),
        ``"anonymous"`` (an attribution to unnamed people: "people familiar with
        the matter", "a person close to Bessent", "U.S. officials said"),
        ``"named"`` (a reporting verb or "according to" whose subject is a named
        person or body, a pronoun, or a document of a named body) or ``"none"``.
        ``cue`` is the matched text (``None`` for ``"none"``). Checked in that
        order: refusals first, then unnamed sources, then named ones.
    """
    missing = {"article_id", "sent_idx", "text"} - set(getattr(sentences, "columns", []))
    if missing:
        raise InputError(f"classify_sourcing needs a sentence table; missing columns: {sorted(missing)}")
    lex = load_lexicon(lexicon)
    cs = cues()
    rows: list[tuple] = []
    order = sentences.sort_values(["article_id", "sent_idx"], kind="stable")
    aids, missing = order["article_id"].tolist(), order["article_id"].isna().tolist()
    idxs, texts = order["sent_idx"].tolist(), order["text"].astype(str).tolist()
    i, n = 0, len(aids)
    while i < n:  # article by article (the rows of one article are adjacent; no article_id, no article)
        j = i + 1
        while j < n and not missing[j] and aids[j] == aids[i]:
            j += 1
        if missing[i]:
            i = j
            continue
        state = State(lex, ArticleContext(lex), " ".join(texts[i:j]))
        res = Resolver(state)
        masked = [_QUOTED.sub(_blank, t) if '"' in t or "\u201c" in t else t for t in texts[i:j]]
        scanned = [0]

        def catch_up(k: int, masked=masked, state=state, scanned=scanned) -> None:
            # the actor mentions of the sentences up to k, in order, before a subject is resolved in sentence k;
            # sentences after the last one that needs a subject are never scanned (the same events and context)
            for kk in range(scanned[0], k + 1):
                for m in scan(masked[kk], lex, state.ctx):
                    state.events.append(Event(m.start, kk, Speaker.of(m.actor)))
            scanned[0] = max(scanned[0], k + 1)

        for k in range(j - i):
            rows.append((aids[i], int(idxs[i + k])) + _sourcing(masked[k], k, res, cs, catch_up))
        i = j
    out = pd.DataFrame(rows, columns=SOURCING_COLUMNS)
    out["sent_idx"] = out["sent_idx"].astype("int64")
    return out


def _sourcing(text: str, k: int, res: Resolver, cs, catch_up) -> tuple[str, str | None]:
    m = cs.no_comment.search(text)
    if m:
        return "no_comment", m.group(0)
    verbs = list(cs.verb.finditer(text))
    acc = cs.according.search(text)
    if not verbs and not acc:
        return "none", None
    anchors = [(c.start(), c.end()) for c in verbs] + ([(acc.start(), acc.end())] if acc else [])
    spans: list[list[int]] = []
    for m in cs.anonymous.finditer(text):
        if spans and m.start() - spans[-1][1] <= 1:
            spans[-1][1] = m.end()  # "according to people" + "familiar with the matter"
        else:
            spans.append([m.start(), m.end()])
    best = None
    for s0, s1 in spans:
        gap = min(max(a - s1, s0 - b, 0) for a, b in anchors)
        if gap <= 30 and (best is None or gap < best[0]):
            best = (gap, s0, s1)
    if best is not None:
        return "anonymous", text[best[1]:best[2]].strip()
    catch_up(k)
    for c in verbs:
        verb = c.group(0).lower()
        left = text[:c.start()]
        np, app = ("", "") if verb == "according to" else subject_before(left)
        if not np:
            np, app = subject_after(text[c.end():])
        spk = res.resolve(np, k, appositive=app) if np else None
        if spk is not None:
            res.s.events.append(Event(c.start(), k, spk, cue=True))
            if np.lower() in _PRONOUNS and spk.anon:
                return "anonymous", f"{np} {c.group(0)}"
            return ("anonymous" if spk.anon else "named"), (f"{np} {c.group(0)}" if left.strip() else
                                                             f"{c.group(0)} {np}")
        if np.lower() in _PRONOUNS:
            return "named", f"{np} {c.group(0)}"
    return "none", None

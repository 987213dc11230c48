"""Rule engine behind :mod:`tradelib.stance`: action cues, modifiers and agents.

The vocabulary is data: ``data/stance_actions.toml`` (moves such as threaten,
impose, retaliate versus negotiate, agree, suspend, each with a direction and a
weight), ``data/stance_modifiers.toml`` (negation, absence, avoidance, refusal
words that flip the cues after them; condition, hedge, demand and reported-speech
words that only mark them) and ``data/stance_actors.toml`` (fallback country and
actor cues). Everything is compiled once into a handful of regular expressions.

For one sentence :func:`analyse` returns a :class:`Analysis`: the cues (text,
direction after modifiers, weight, modifier, action, agent side), the summed
escalation and de-escalation weights, the rule label and the side.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from tradelib._regex import (Matcher, _dispatch, _split_top, lower_same_length, noun_regex,  # noqa: F401
                            straighten, verb_regex)
from tradelib._data import data_toml
from tradelib.errors import DataFileError

ESC, DE = "escalation", "de-escalation"
DIRECTIONS = (ESC, DE)
SIDES = ("US", "China", "both", "other", "none")
FLIP_NAMES = {"negation": "negated", "absence": "absence", "avoidance": "avoided", "refusal": "refused",
              "rejection": "refused"}
MODIFIERS = ("negated", "absence", "avoided", "refused", "double-negated", "demanded", "condition",
             "conditional", "hedged", "reported")


def _expand(pattern: str, macros: dict[str, str]) -> str:
    def sub(m: re.Match) -> str:
        if m.group(1) not in macros:
            raise DataFileError(f"stance_actions.toml: unknown macro <{m.group(1)}>")
        return macros[m.group(1)]

    return re.sub(r"<([A-Z0-9]+)>", sub, pattern)


@dataclass(frozen=True)
class Action:
    name: str
    direction: str
    weight: float


@dataclass
class Vocabulary:
    cues: Matcher
    mods: Matcher
    actors: Matcher
    actions: list[Action]
    settings: dict[str, float]
    both: re.Pattern | None = None  # the "both" actor patterns alone: no match, no joint subject (a quick test)


@cache
def vocabulary() -> Vocabulary:
    """Compile the three stance data files once."""
    acts = data_toml("stance_actions.toml")
    macros = {k: str(v) for k, v in acts.get("macros", {}).items()}
    items: list[tuple[str, Any]] = []
    actions: list[Action] = []
    for entry in acts.get("action", []):
        try:
            act = Action(str(entry["name"]), str(entry["direction"]), float(entry["weight"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise DataFileError(f"stance_actions.toml: bad action entry {entry!r}: {exc}") from None
        if act.direction not in DIRECTIONS:
            raise DataFileError(f"stance_actions.toml: bad direction {act.direction!r} in {act.name}")
        actions.append(act)
        pats = [verb_regex(v) for v in entry.get("verbs", [])]
        pats += [noun_regex(n) for n in entry.get("nouns", [])]
        pats += [_expand(p, macros) for p in entry.get("patterns", [])]
        # raw patterns get a length bonus so that they win over single words at one position
        items += [(p, act) for p in pats]
    if not actions:
        raise DataFileError("stance_actions.toml defines no actions")
    cue_m = Matcher([(p if p[:1] == "(" or "\\" in p[:2] else p.lower(), a) for p, a in items])

    mods = data_toml("stance_modifiers.toml")
    mitems: list[tuple[str, Any]] = []
    for cat, words in mods.get("flip", {}).items():
        mitems += [(w.replace(" ", r"\s+"), ("flip", cat)) for w in words]
    for cat, words in mods.get("mark", {}).items():
        mitems += [(w.replace(" ", r"\s+"), ("mark", cat)) for w in words]
    mitems += [(w.replace(" ", r"\s+"), ("ignore", "ignore")) for w in mods.get("ignore", {}).get("words", [])]
    mitems += [(w.replace(" ", r"\s+"), ("break", "break")) for w in mods.get("clause_breaks", {}).get("words", [])]
    mod_m = Matcher(mitems)
    settings = {k: float(v) for k, v in mods.get("settings", {}).items()}

    actors = data_toml("stance_actors.toml").get("sides", {})
    aitems = [(pat, side) for side, pats in actors.items() for pat in pats]
    if any(side not in SIDES for side, _ in ((s, 0) for s in actors)):
        raise DataFileError("stance_actors.toml: sides must be US, China, both, other")
    actor_m = Matcher(aitems)
    joint = [pat for pat, side in aitems if side == "both"]
    both = re.compile(rf"(?<![\w$])(?:{'|'.join(joint)})(?![\w])") if joint else None
    return Vocabulary(cue_m, mod_m, actor_m, actions, settings, both)


_COMMA = re.compile(",")
_STOP_VERB = re.compile(r"(?:suspend|delay|postpon|halt|stop|withdr|cancel|scrap|end|freez|pause|drop|shelv|call\w* off|termin|ceas)")
_DONE = re.compile(r"(?:stopped|ending|ended|halted|ceased|has stopped|have stopped)")
_FAR = {"avoidance", "refusal", "rejection"}
_PASSIVE_UNDO = re.compile(r"\s+(?:[\w-]+\s+){0,3}?(?:has|have|had|was|were|is|are|be|been|being)\s+(?:\w+\s+)?"
                          r"(?:cut|lifted|removed|reduced|eased|suspended|scrapped|dropped|lowered|withdrawn|waived|"
                          r"relaxed|rescinded|revoked|postponed|delayed|halved|eliminated|abolished|repealed|rolled back|modified|softened)\b")
_BREAK_PUNCT = re.compile(r"[;:\u2014\u2013()]|\s-{1,2}\s")
_BREAK_CHAR = re.compile(r"[;:\u2014\u2013()-]")  # in every match of _BREAK_PUNCT (a quick test)
_TARGET_BEFORE = re.compile(r"(?:\b(?:on|against|with|to|from|at|toward|towards|into|for|of|over|about|than|in|between|like"
                            r"|warns?|warned|urges?|urged|urging|convinced?|persuaded?|press(?:es|ed)?|asked|asks|told|tells"
                            r"|penali[sz]e[sd]?|punish(?:es|ed)?|hit|hits)\s+(?:the\s+)?|\bagainst\s+\w+\s+)$",
                            re.IGNORECASE)
_TARGET_AFTER = re.compile(r"^(?:\S*)(?:\s+[\w-]+){0,2}?\s+(?:goods|imports?|products|exports?|steel|companies|firms|stocks|"
                           r"students|markets?|economy|soybeans|chips?|semiconductors?|telecom|technology|makers?|"
                           r"manufacturers|shipments|electronics?|cars|autos|vehicles|investment|investors|farmers)\b",
                           re.IGNORECASE)
_ADJECTIVE = re.compile(r"(?:chinese|japanese|american|european|korean|taiwanese|canadian|mexican|british|french|german)$")
_AGENT_NOUN = re.compile(r"^\s+(?:[\w-]+\s+)?(?:officials?|government|ministry|side|negotiators?|leaders?|authorities|"
                         r"delegation|president|premier|minister|spokes\w+|embassy|regulators?|lawmakers|state|"
                         r"commerce|trade|foreign|vice|ambassador|customs|central|people)\b")
_SPEECH_BEFORE = re.compile(r"(?:said|says|told|according to|quoted|stated)\s+(?:\S+\s+){0,3}$")
_ACCUSE_VERB = re.compile(r"(?:accus|blam|critici|condemn|denounc|slam|lash|designat|label|brand)", re.IGNORECASE)
# "rejected U.S. accusations that Beijing had backtracked": a bare denial (guide: neutral); the accusation it denies
# is no move of the sentence, to the end of its clause
_DENIAL = re.compile(r"\b(?:(?:reject(?:ed|s|ing)?|den(?:y|ied|ies|ying)|dismiss(?:ed|es|ing)?|rebuff(?:ed|s|ing)?|"
                     r"refut(?:e|ed|es|ing))\s+(?:[\w.'-]+\s+){0,5}?(?:accusations?|charges?|allegations?|"
                     r"violations?|wrongdoing|criticism|claims?\s+(?:that|of))|"
                     # "said the accusations were groundless": a rebuttal, as the project's label decisions say
                     r"(?:accusations?|charges?|allegations?|claims?)\s+(?:were|was|are|is)\s+(?:\w+\s+)?"
                     r"(?:groundless|baseless|unfounded|false|untrue))\b")
_SPEECH = re.compile(r"\b(?:said|says|told|tells|telling|accused|warned|urged|criticized|criticised|denounced|blamed|"
                     r"vowed|pledged|promised|announced|insisted|demanded|stated|tweeted|wrote)\b", re.IGNORECASE)
_SPEECH_LOWER = re.compile(_SPEECH.pattern)


@dataclass
class Analysis:
    """The rule analysis of one sentence."""

    cues: list[dict[str, Any]] = field(default_factory=list)
    esc: float = 0.0
    de: float = 0.0
    label: str = "neutral"
    side: str = "none"
    score: float = 0.0
    side_weight: dict[str, float] = field(default_factory=dict)
    n_condition: int = 0
    speaker: str = "none"
    contrast: bool = False
    norm: str = ""


def _mentions_in(text: str, voc: Vocabulary) -> list[tuple[int, int, str]]:
    return voc.actors.finditer(text)


def _is_target(text: str, start: int, end: int) -> bool:
    if text[end:end + 2] == "'s":
        return False  # a possessive is an agent: "Beijing's desire", "of China's ministry"
    if _ADJECTIVE.search(text[start:end]) and not _AGENT_NOUN.match(text[end:end + 30]):
        return True  # "Japanese electronic goods", "Chinese stocks": an adjective, not an agent
    return bool(_TARGET_BEFORE.search(text[max(0, start - 30):start])) or bool(
        _TARGET_AFTER.match(text[end:end + 25]) and not text[end:end + 2].startswith("'s"))


def _agent(text: str, mentions: list[tuple[int, int, str]], pos: int, default: str = "none",
           targets: dict | None = None) -> str:
    """The side of the agent of a cue at ``pos``: nearest non-target actor before it, else after it.

    ``targets`` may memoise :func:`_is_target` per mention span within one sentence.
    """
    before = [m for m in mentions if m[1] <= pos]
    for m in reversed(before):
        if targets is None:
            target = _is_target(text, m[0], m[1])
        else:
            target = targets.get(m[:2])
            if target is None:
                target = targets[m[:2]] = _is_target(text, m[0], m[1])
        if not target:
            return m[2]
    for m in mentions:  # "..., said Lin Jian": a speaker after the cue
        if m[0] >= pos and _SPEECH_BEFORE.search(text[max(0, m[0] - 40):m[0]]):
            return m[2]
    return before[-1][2] if before else default


_SEP = "\x00"


def _scan_each(matcher: Matcher, texts: list[str]) -> list[list] | None:
    """``matcher.finditer`` of each text, from one scan over all of them joined.

    None when a match runs across two texts (then scan them one by one); the
    stance patterns of modifiers and actors cannot match the separator, so this
    gives exactly the matches of separate scans.
    """
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    out: list[list] = [[] for _ in texts]
    for s_, e_, meta in matcher.finditer(_SEP.join(texts)):
        i = bisect.bisect_right(starts, s_) - 1
        if e_ > starts[i] + len(texts[i]):
            return None
        out[i].append((s_ - starts[i], e_ - starts[i], meta))
    return out


def analyse_many(texts: list[str], mentions: list | Callable[[list[int]], list] | None = None, *,
                 joined: str | None = None) -> list[Analysis]:
    """:func:`analyse` over many sentences, with one cue scan over all of them.

    ``mentions`` is one span list per sentence, or a function that gives them for a
    list of sentence numbers (it is asked only about the sentences with cues).
    ``joined`` may give ``lower_same_length("\\x00".join(texts))`` when the caller has it.
    Equal sentences with equal mentions and cues are analysed once (they share one :class:`Analysis`).
    """
    voc = vocabulary()
    if joined is None:
        joined = lower_same_length(_SEP.join(texts))
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    found: dict[int, list] = {}
    for s_, e_, meta in voc.cues.finditer(joined):
        i = bisect.bisect_right(starts, s_) - 1
        if _SEP not in joined[s_:e_]:
            found.setdefault(i, []).append((s_ - starts[i], e_ - starts[i], meta))
    # modifiers and fallback actors of the sentences with cues, in one scan each
    with_cues = sorted(found)
    norms = [joined[starts[i]:starts[i] + len(texts[i])] for i in with_cues]
    mods = _scan_each(voc.mods, norms) or [None] * len(norms)
    actors = (_scan_each(voc.actors, norms) or [None] * len(norms)) if mentions is None else None
    if callable(mentions):
        mentions = dict(zip(with_cues, mentions(with_cues)))
    slot = {i: k for k, i in enumerate(with_cues)}
    memo: dict[tuple, Analysis] = {}
    out = []
    for i, t in enumerate(texts):
        if i not in found:
            out.append(Analysis())
            continue
        k = slot[i]
        cues = found[i]
        ments = actors[k] if mentions is None else mentions[i]
        key = (t, None if ments is None else tuple(ments), tuple(cues))
        res = memo.get(key)
        if res is None:
            res = memo[key] = analyse(t, ments, _norm=norms[k], _cues=cues, _mods=mods[k])
        out.append(res)
    return out


_WORD = re.compile(r"[A-Za-z][\w'.&-]*")
_OPENERS = tuple('.!?:;"\u201c\u2018(\u2014\u2013-')


def _title_cased(text: str) -> bool:
    """A headline in capitals or Title Case, where capitals mark no names."""
    words = [w for w in _WORD.findall(text) if len(w) > 3]  # "on", "of", "the" stay lower case in Title Case
    return len(words) >= 3 and sum(w[0].isupper() for w in words) > 0.8 * len(words)


def _in_proper_name(text: str, start: int, end: int) -> bool:
    """Whether the cue at ``start:end`` is a capitalised word of a name inside a sentence ("Morgan Guaranty Trust
    Co.", "the Asia-Pacific Economic Cooperation forum"), not a move. A word after "U.S." is no evidence: Reuters
    copy capitalises it ("the U.S. Hopes Japan will ...")."""
    if not text[start:start + 1].isupper():
        return False
    before = text[:start].rstrip()
    if not before or before.endswith(_OPENERS):
        return False  # the sentence, a quotation or a clause starts with it
    prev = before.rsplit(None, 1)[-1]
    prev_cap = prev[:1].isupper() and not prev.endswith(".")
    return prev_cap or text[end:].lstrip()[:1].isupper()


def analyse(text: str, mentions: list[tuple[int, int, str]] | None = None, *, _norm: str | None = None,
            _cues: list | None = None, _mods: list | None = None) -> Analysis:
    """Cues, modifier effects, weights, rule label and side of one sentence.

    ``mentions`` are ``(start, end, side)`` spans into ``text``; when None the
    fallback actor list in ``stance_actors.toml`` is used.
    """
    voc = vocabulary()
    st = voc.settings
    norm = lower_same_length(text) if _norm is None else _norm
    cues = voc.cues.finditer(norm) if _cues is None else _cues
    if cues and any(text[c[0]:c[0] + 1].isupper() for c in cues) and not _title_cased(text):
        cues = [c for c in cues if not _in_proper_name(text, c[0], c[1])]
    res = Analysis()
    if not cues:
        return res
    res.norm = norm
    breaks = [m.start() for m in _BREAK_PUNCT.finditer(norm)] if _BREAK_CHAR.search(norm) else []
    mods: list[tuple[int, int, str, str]] = []
    for m_start, m_end, (kind, cat) in (voc.mods.finditer(norm) if _mods is None else _mods):
        if kind == "ignore":
            continue
        if kind == "break":
            breaks.append(m_start)
            res.contrast = True
            continue
        if kind == "flip" and any(c[0] <= m_start and m_end <= c[1] and c[1] - c[0] > m_end - m_start
                                  for c in cues):
            continue  # "cut off", "don't worry", "lower the temperature": inside a longer cue
        # a flip word that is itself a de-escalation move (lift, ease, rescind) only flips escalation cues
        own_de = kind == "flip" and any(c[0] == m_start and c[2].direction == DE for c in cues)
        mods.append((m_start, m_end, kind, cat + "/de" if own_de else cat))
    breaks.sort()
    commas = [m.start() for m in _COMMA.finditer(norm)]
    window = int(st.get("window", 6))
    avoid_window = int(st.get("avoid_window", 10))

    def broken(a: int, b: int, seps: list[int]) -> bool:
        i = bisect.bisect_left(seps, a)
        return i < len(seps) and seps[i] < b

    # condition spans: from if/unless to the next comma or clause break
    cond_spans = []
    for s, e, kind, cat in mods:
        if kind == "mark" and cat == "condition":
            stops = [p for p in breaks + commas if p > e]
            cond_spans.append((s, min(stops) if stops else len(norm)))
    concessive = []
    for s_, e_, kind, cat in mods:
        if kind == "mark" and cat == "concessive":
            stops = [p for p in breaks + commas if p > e_]
            concessive.append((s_, min(stops) if stops else len(norm)))
    reported = any(k == "mark" and c == "reported" for _, _, k, c in mods)
    if concessive:
        res.contrast = True
    # only flips, hedges and demands act on single cues; skip far-away modifiers by a bisect on their ends
    mods = [m for m in mods if m[2] == "flip" or m[3] in ("hedge", "demanded")]
    mod_ends = [m[1] for m in mods]
    if mentions is None:
        mentions = _mentions_in(norm, voc)

    sp = (_SPEECH_LOWER if norm.isascii() else _SPEECH).search(norm)  # lower-case ASCII: no case folding needed
    targets: dict[tuple[int, int], bool] = {}
    res.speaker = _agent(norm, mentions, sp.start(), targets=targets) if sp else "none"
    denied = []
    if ("den" in norm or "rej" in norm or "dismiss" in norm or "rebuff" in norm or "refut" in norm
            or "groundless" in norm or "baseless" in norm or "unfounded" in norm or "false" in norm
            or "untrue" in norm):
        for m in _DENIAL.finditer(norm):
            stops = [p for p in breaks if p > m.end()]
            denied.append((m.start(), min(stops) if stops else len(norm)))
    used_refusals: set[int] = set()
    stopped: set[int] = set()
    reach: dict[int, int] = {}  # a far-reaching modifier -> the end of the first cue it flipped
    out = []
    for cs, ce, act in cues:
        if act.weight <= 0:
            continue  # a name such as "General Agreement on Tariffs and Trade"
        if denied and any(a <= cs < b for a, b in denied):
            continue
        flips: list[str] = []
        marks: set[str] = set()
        for ms, me, kind, cat in mods[bisect.bisect_left(mod_ends, cs - 160):]:
            if me > cs:
                break
            if ms < cs < me or (ms <= cs and me >= ce):
                continue
            gap = norm.count(" ", me, cs)  # words between modifier and cue
            if kind == "mark" and cat == "demanded":
                if gap <= window + 2 and not broken(me, cs, breaks):
                    marks.add("demanded")
                continue
            if gap > (avoid_window if cat.split("/")[0] in _FAR else window) or broken(me, cs, breaks):
                continue
            if ms in reach and broken(reach[ms], cs, commas):
                continue  # "by avoiding inflammatory rhetoric, China is building an off-ramp": its object came first
            if kind == "flip" and act.name == "oppose_protectionism" and cat.split("/")[0] not in ("negation", "refusal"):
                continue  # "cut its deficit, resist protectionism": the phrase is a whole move of its own
            if kind == "flip" and act.name == "accuse" and cat not in ("negation",) and not (
                    _DONE.match(norm, ms) and _DONE.match(norm, ms).end() == me) and not (
                    cat == "avoidance" and norm.startswith("protectionis", cs)):  # "we do not want protectionism"
                continue  # "stop dumping", "failed to end predatory pricing" stay accusations; "stopped dumping" not
            if kind == "flip" and any(k2 == "flip" and c2 == cat and me <= s2 and e2 <= cs
                                      and any(me <= c[0] < s2 or c[0] == ms for c in cues) for s2, e2, k2, c2 in mods):
                # "we do not want protectionism ... we do not want a trade war", "to de-escalate ... to quell
                # tensions": a flip whose object came first (or that is a move itself) leaves the next cue to the nearer one
                continue
            if kind == "flip":
                if cat.endswith("/de"):
                    cat = cat[:-3]
                    if act.direction == DE:
                        if not _STOP_VERB.match(norm, ms) or norm[me:cs].strip(" ,") in ("or", "and"):
                            # "suspend or remove the countermeasures": two easing verbs, not one stopping the other
                            continue  # "ease tensions ... soothe": two de-escalatory moves
                        stopped.add(ms)  # "delayed approval", "suspended talks": one escalatory move
                    else:
                        marks.add("object")
                if cat == "rejection" and act.direction == ESC and act.name != "protectionist_legislation" \
                        and not norm.startswith("protectionis", cs):
                    used_refusals.add(ms)
                    continue
                flips.append(cat)
                if cat.split("/")[0] in _FAR:
                    reach.setdefault(ms, ce)
                if cat in ("refusal", "rejection"):
                    used_refusals.add(ms)
            elif cat == "hedge":
                marks.add("hedged")
        if act.direction == ESC and _PASSIVE_UNDO.match(norm, ce):
            flips.append("absence")  # "the sanctions would be lifted", "import taxes have been cut"
        direction, weight, modifier = act.direction, act.weight, None
        if len(flips) % 2 == 1:
            direction = DE if direction == ESC else ESC
            modifier = FLIP_NAMES.get(flips[-1], "negated")
            if flips[-1] in ("refusal", "rejection"):
                weight = max(weight, 0.6)  # "rejected the deal" is a move of its own
            # "lift sanctions", "ease tensions": the move is the verb, its object counts little
            weight *= 0.3 if "object" in marks and len(flips) == 1 else 0.9
        elif flips:
            modifier = "double-negated"
        in_cond = any(a <= cs < b for a, b in cond_spans)
        if any(a <= cs < b for a, b in concessive):
            weight *= 0.4  # "despite Beijing's conciliatory signals, ..." : the main clause decides
        if "demanded" in marks and act.direction == DE and direction == DE and act.name not in _CALLED_FOR:
            # "demand that China rescind": demanding the other side's concession is pressure
            direction, modifier, weight = ESC, "demanded", weight * 0.3
        elif in_cond:
            weight *= st.get("condition_weight", 0.5)
            modifier = modifier or "condition"
            res.n_condition += 1
        elif modifier is None and cond_spans:
            modifier = "conditional"
        if modifier is None and "hedged" in marks:
            modifier, weight = "hedged", weight * st.get("hedge_weight", 0.8)
        if modifier is None and reported:
            modifier = "reported"
        out.append({"text": text[cs:ce], "direction": direction, "weight": round(weight, 3),
                    "modifier": modifier, "action": act.name, "side": _agent(norm, mentions, cs, res.speaker, targets),
                    "start": cs})
    # a refusal that flipped nothing is an escalatory move itself ("rejected the proposal")
    for ms, me, kind, cat in mods:
        if kind == "flip" and cat in ("refusal", "rejection") and ms not in used_refusals and not any(
                c[0] <= ms < c[1] for c in cues) and not any(a <= ms < b for a, b in denied):
            out.append({"text": text[ms:me], "direction": ESC, "weight": 0.6, "modifier": None,
                        "action": "reject_refuse", "side": _agent(norm, mentions, ms, res.speaker, targets),
                        "start": ms})
    if stopped:
        out = [c for c in out if not (c["start"] in stopped and c["direction"] == DE)]
    called = [c for c in out if c["action"] in _CALLED_FOR and c["direction"] == DE]
    if called:  # "urged Washington to resist protectionism": a call for dialogue or cooperation is no demand
        out = [c for c in out if not (c["action"] == "demand" and any(
            0 <= k["start"] - c["start"] - len(c["text"]) and norm.count(" ", c["start"] + len(c["text"]), k["start"]) <= 4
            for k in called))]
    for c in out:  # "veto a trade bill requiring mandatory retaliation": what is opposed is not a threat
        if c["action"] == "oppose_protectionism" and c["direction"] == DE:
            end = c["start"] + len(c["text"])
            for o in out:
                if o["direction"] == ESC and o["start"] >= end and norm.count(" ", end, o["start"]) <= window \
                        and not broken(end, o["start"], breaks):
                    o["direction"], o["modifier"] = DE, "refused"

    if res.speaker in ("US", "China", "other"):
        # "Tai said China had not lived up to its pledges": the charge of a broken promise is the speaker's
        for c in out:
            if c["modifier"] == "refused" and c["direction"] == ESC and c["side"] not in (res.speaker, "both"):
                c["side"] = res.speaker
    out.sort(key=lambda c: c.pop("start"))
    # "X accused Y of Z": what follows an accusation verb is the accuser's move
    for i, c in enumerate(out):
        if c["action"] == "accuse" and _ACCUSE_VERB.match(c["text"]):
            for later in out[i + 1:]:
                later["side"] = c["side"]
            break
    return _aggregate(res, out, st)


# calls for these are calls for dialogue or cooperation (guide: de-escalation), not demands for a concession
_CALLED_FOR = {"negotiate", "discuss", "meet", "reassure_cooperate", "oppose_protectionism"}
_VERBAL = {"accuse", "demand", "hostile_rhetoric", "threaten", "reassure_cooperate", "ease"}


def _aggregate(res: Analysis, cues: list[dict[str, Any]], st: dict[str, float]) -> Analysis:
    res.cues = cues
    res.esc = sum(c["weight"] for c in cues if c["direction"] == ESC)
    res.de = sum(c["weight"] for c in cues if c["direction"] == DE)
    hi, lo = max(res.esc, res.de), min(res.esc, res.de)
    if hi < st.get("neutral_max", 0.45):
        res.label = "neutral"
    elif lo >= st.get("mixed_min", 0.8) and lo / hi >= st.get(
            "contrast_ratio" if res.contrast else "both_ratio", 0.6):  # "publicly ease ... while privately pressing"
        res.label = "mixed"
    else:
        res.label = ESC if res.esc > res.de else DE
    res.score = (res.esc - res.de) / (res.esc + res.de + 0.5)
    chosen = cues if res.label in ("mixed", "neutral") else [c for c in cues if c["direction"] == res.label]
    sw: dict[str, float] = {}
    for c in chosen:
        sw[c["side"]] = sw.get(c["side"], 0.0) + c["weight"]
    # the speaker of a reported statement voices its stance: "Japan warned the U.S. it may retaliate"
    if res.speaker in ("US", "China", "other") and sw:
        verbal = sum(c["weight"] for c in chosen if c["action"] in _VERBAL)
        sw[res.speaker] = sw.get(res.speaker, 0.0) + 0.6 * sum(sw.values()) + 0.6 * verbal
    res.side_weight = sw
    res.side = decide_side(sw) if res.label != "neutral" else "none"
    return res


def decide_side(sw: dict[str, float]) -> str:
    """The sentence side from the summed weights of its cues' agents."""
    us, cn = sw.get("US", 0.0), sw.get("China", 0.0)
    if us > 0 and cn > 0 and min(us, cn) / max(us, cn) >= 0.5:
        return "both"
    known = {k: v for k, v in sw.items() if k != "none" and v > 0}
    if not known:
        return "none"
    return max(sorted(known), key=lambda k: known[k])

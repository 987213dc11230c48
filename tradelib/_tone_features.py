"""Sentence features behind :mod:`tradelib.tone`: one VADER pass, one tokenisation.

Everything a tone column needs is computed from a single pass of VADER's own
rules over a sentence (:func:`parse`): VADER's scores, the same scores with the
trade-sense words of ``data/trade_sense.txt`` set to valence 0, and the
sentence's normalised words (for the word lists, the GDELT-style counts, the
Loughran-McDonald categories and the model's n-grams). VADER's lexicon is read
by ``vaderSentiment`` from its own installed package files, offline.

For speed, VADER's sentence-level rules (valence, booster, negation, idiom and
"least" checks) are re-implemented here from vaderSentiment 3.3.2 (C.J. Hutto,
MIT licence) over a token list made once per sentence; tests/test_tone.py
checks that the ``vader_*`` columns equal ``polarity_scores``.
"""

from __future__ import annotations

import csv
import math
import os
import re
import string
from functools import cache
from pathlib import Path
from typing import NamedTuple

from tradelib._data import data_text
from tradelib.errors import DataFileError

_PUNCT = string.punctuation + "\u2018\u2019\u201c\u201d\u2014\u2013\u2026"
_POSSESSIVE = ("'s", "\u2019s")

LM_CATEGORIES = ("positive", "negative", "uncertainty", "litigious", "constraining")
_LM_CSV_COLUMNS = {"positive": "Positive", "negative": "Negative", "uncertainty": "Uncertainty",
                   "litigious": "Litigious", "constraining": "Constraining"}


# Word-level valence sums of :func:`parse` (valence / 4; a word in a negation's
# scope counts -0.74 x, VADER's N_SCALAR): over VADER lexicon words, over
# words of the extended lexicon (data/extended_lexicon.tsv), over positive and
# negative values, the most negative and most positive value, and the number of
# extended-lexicon words below -0.25 and above 0.25.
LEXICON_FEATURES = ("lex_sum", "ext_sum", "val_pos", "val_neg", "val_min", "val_max", "n_ext_neg", "n_ext_pos")
N_SCALAR = -0.74


class Parsed(NamedTuple):
    """What :func:`parse` finds in one sentence."""

    vader: tuple[float, float, float, float]  # compound, pos, neg, neu (VADER unchanged)
    trade: tuple[float, float, float, float]  # the same with trade-sense words at valence 0
    pos_sum: float  # sum of positive valences after VADER's rules (trade sense)
    neg_sum: float  # sum of negative valences (<= 0)
    words: list[str]  # lower-case words (tokens with a letter, negators included), punctuation and "'s" stripped
    negated: list[bool]  # word lies in a negation's scope (up to 3 words after a VADER negator, same clause)
    n_pos: int  # words with positive VADER lexicon valence (trade sense)
    n_neg: int  # words with negative VADER lexicon valence (trade sense)
    lexicon: tuple[float, ...]  # see LEXICON_FEATURES: sums over words of valence / 4, negation-flipped
    n_uncertainty: int  # words in data/uncertainty.txt
    n_hedging: int  # words in data/hedging.txt


@cache
def word_list(name: str) -> frozenset[str]:
    """A shipped word list: one lower-case word per line, ``#`` comments."""
    text = data_text(name)
    words = {line.split("#", 1)[0].strip().lower() for line in text.splitlines()}
    words.discard("")
    if not words:
        raise DataFileError(f"tradelib data file {name} has no words")
    return frozenset(words)


@cache
def _valence_fn():
    """vaderSentiment's ``sentiment_valence`` as one function over the sentence's lower-cased tokens.

    vaderSentiment 3.3.2 (MIT licence) lower-cases the whole sentence again for
    every lexicon word (in ``sentiment_valence``, ``_negation_check``,
    ``_special_idioms_check``, ``_least_check``); these copies of its code take
    the list :func:`parse` made once. The rules and the arithmetic are
    unchanged (tests/test_tone.py checks ``polarity_scores`` parity).
    """
    from vaderSentiment.vaderSentiment import (
        BOOSTER_DICT,
        C_INCR,
        NEGATE,
        SPECIAL_CASES,
    )
    from vaderSentiment.vaderSentiment import N_SCALAR as vs_n

    negate = frozenset(NEGATE)
    lexicon = analyzer().lexicon
    booster = BOOSTER_DICT
    # tokens hold no spaces: a phrase can only match when each of its words is a token
    phrase_words = frozenset(w for k in (*SPECIAL_CASES, *BOOSTER_DICT) if " " in k for w in k.split(" "))

    def _negation_check(valence: float, wl: list[str], start_i: int, i: int) -> float:
        if start_i == 0:
            w = wl[i - (start_i + 1)]
            if w in negate or "n't" in w:
                valence = valence * vs_n
        if start_i == 1:
            if wl[i - 2] == "never" and (wl[i - 1] == "so" or wl[i - 1] == "this"):
                valence = valence * 1.25
            elif wl[i - 2] == "without" and wl[i - 1] == "doubt":
                valence = valence  # noqa: PLW0127 - vaderSentiment's code, kept as it is
            elif wl[i - (start_i + 1)] in negate or "n't" in wl[i - (start_i + 1)]:
                valence = valence * vs_n
        if start_i == 2:
            if wl[i - 3] == "never" and (wl[i - 2] == "so" or wl[i - 2] == "this") or \
                    (wl[i - 1] == "so" or wl[i - 1] == "this"):
                valence = valence * 1.25
            elif wl[i - 3] == "without" and (wl[i - 2] == "doubt" or wl[i - 1] == "doubt"):
                valence = valence  # noqa: PLW0127 - vaderSentiment's code, kept as it is
            elif wl[i - (start_i + 1)] in negate or "n't" in wl[i - (start_i + 1)]:
                valence = valence * vs_n
        return valence


    def _special_idioms_check(valence: float, wl: list[str], i: int) -> float:
        if phrase_words.isdisjoint(wl[max(i - 3, 0):i + 3]):
            return valence
        onezero = f"{wl[i - 1]} {wl[i]}"
        twoonezero = f"{wl[i - 2]} {wl[i - 1]} {wl[i]}"
        twoone = f"{wl[i - 2]} {wl[i - 1]}"
        threetwoone = f"{wl[i - 3]} {wl[i - 2]} {wl[i - 1]}"
        threetwo = f"{wl[i - 3]} {wl[i - 2]}"
        for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
            if seq in SPECIAL_CASES:
                valence = SPECIAL_CASES[seq]
                break
        if len(wl) - 1 > i:
            zeroone = f"{wl[i]} {wl[i + 1]}"
            if zeroone in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroone]
        if len(wl) - 1 > i + 1:
            zeroonetwo = f"{wl[i]} {wl[i + 1]} {wl[i + 2]}"
            if zeroonetwo in SPECIAL_CASES:
                valence = SPECIAL_CASES[zeroonetwo]
        for n_gram in (threetwoone, threetwo, twoone):
            if n_gram in BOOSTER_DICT:
                valence = valence + BOOSTER_DICT[n_gram]
        return valence


    def valence_of(i: int, tokens: list[str], wl: list[str], st: _SentiText) -> float:
        low = wl[i]
        valence = lexicon[low]
        if low == "no" and i != len(wl) - 1 and wl[i + 1] in lexicon:
            valence = 0.0
        if (i > 0 and wl[i - 1] == "no") or (i > 1 and wl[i - 2] == "no") \
                or (i > 2 and wl[i - 3] == "no" and wl[i - 1] in ["or", "nor"]):
            valence = lexicon[low] * vs_n
        if tokens[i].isupper() and st.is_cap_diff:
            if valence > 0:
                valence += C_INCR
            else:
                valence -= C_INCR
        for start_i in range(3):
            j = i - (start_i + 1)
            if i > start_i and wl[j] not in lexicon:
                s = 0.0  # vaderSentiment's scalar_inc_dec
                if wl[j] in booster:
                    s = booster[wl[j]]
                    if valence < 0:
                        s *= -1
                    if tokens[j].isupper() and st.is_cap_diff:
                        if valence > 0:
                            s += C_INCR
                        else:
                            s -= C_INCR
                if start_i == 1 and s != 0:
                    s = s * 0.95
                if start_i == 2 and s != 0:
                    s = s * 0.9
                valence = valence + s
                valence = _negation_check(valence, wl, start_i, i)
                if start_i == 2:
                    valence = _special_idioms_check(valence, wl, i)
        # vaderSentiment's _least_check
        if i > 1 and wl[i - 1] not in lexicon and wl[i - 1] == "least":
            if wl[i - 2] != "at" and wl[i - 2] != "very":
                valence = valence * vs_n
        elif i > 0 and wl[i - 1] not in lexicon and wl[i - 1] == "least":
            valence = valence * vs_n
        return valence

    return valence_of


@cache
def analyzer():
    """vaderSentiment's analyser; it reads ``vader_lexicon.txt`` from its own package."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise DataFileError("vaderSentiment is not installed; `pip install vaderSentiment`") from exc
    an = SentimentIntensityAnalyzer()
    if not an.lexicon:
        raise DataFileError(f"the VADER lexicon {an.lexicon_full_filepath[:60]!r} is empty")
    return an


@cache
def _vader_tables():
    from vaderSentiment.vaderSentiment import BOOSTER_DICT, NEGATE, SentiText

    an = analyzer()
    neutral = word_list("trade_sense.txt")
    lex = an.lexicon
    polarity = {w: (1 if v > 0 else -1) for w, v in lex.items() if v != 0 and w not in neutral}
    negators = frozenset(NEGATE) | {"no", "n't", "not", "never"}
    return an, SentiText, BOOSTER_DICT, frozenset(an.emojis), neutral, polarity, negators


def _scores(an, sentiments: list[float], text: str) -> tuple[float, float, float, float]:
    d = an.score_valence(sentiments, text)
    return (d["compound"], d["pos"], d["neg"], d["neu"])


def parse(text: str) -> Parsed:
    """Run VADER's rules once over ``text`` and collect every feature tradelib needs.

    ``vader`` equals ``SentimentIntensityAnalyzer().polarity_scores(text)``
    (compound, pos, neg, neu), exactly.
    """
    an, _, booster, emoji_chars, neutral, _, _ = _vader_tables()
    if not text.isascii() and not emoji_chars.isdisjoint(text):  # VADER's emoji-to-words step, when needed
        out, prev_space = [], True
        for ch in text:
            if ch in an.emojis:
                if not prev_space:
                    out.append(" ")
                out.append(an.emojis[ch])
                prev_space = False
            else:
                out.append(ch)
                prev_space = ch == " "
        text = "".join(out)
    text = text.strip()
    raw_cache = _RAW_CACHE
    entries = [raw_cache.get(r) or _raw_entry(r) for r in text.split()]
    n = len(entries)
    hits = [i for i, e in enumerate(entries) if e[2]]
    sentiments: list[float] = [0] * n
    nonzero = False
    lower: list[str] = []
    tokens: list[str] = []
    if hits:  # VADER's valence of each lexicon token (polarity_scores's loop)
        tokens = [e[0] for e in entries]  # VADER's words_and_emoticons
        lower = [e[1] for e in entries]
        st = _SentiText(text, tokens)
        valence_of = _valence_fn()
        for i in hits:
            low = lower[i]
            if low in booster or (low == "kind" and i < n - 1 and lower[i + 1] == "of"):
                continue
            sentiments[i] = valence_of(i, tokens, lower, st)
            nonzero = True
    # tradelib's words, negation scopes and word-level counts
    words = [e[3] for e in entries if e[4]]  # words, negators included
    flagged = [e for e in entries if e[9]]  # tokens with a value, a word-list flag or a negator
    bits = [e[8] for e in flagged if e[8]]
    if not flagged:
        negated = [False] * len(words)
        lexv = extv = []
    elif any(b & 16 for b in bits):  # a negator: mark the next 3 words (to the clause end)
        winfo = [e for e in entries if e[4]]
        negated = []
        scope = 0
        for e in entries:
            if e[4] == 2:
                negated.append(scope > 0)
                scope = 0 if e[5] else (scope - 1 if scope else 0)
            elif e[4] == 1:
                negated.append(False)
                scope = 0 if e[5] else 3
            elif e[5]:
                scope = 0
        lexv = [e[6] * N_SCALAR if g else e[6] for e, g in zip(winfo, negated) if e[6]]
        extv = [e[7] * N_SCALAR if g else e[7] for e, g in zip(winfo, negated) if e[7]]
    else:
        negated = [False] * len(words)
        lexv = [e[6] for e in flagged if e[6]]
        extv = [e[7] for e in flagged if e[7]]
    allv = lexv + extv
    lexicon = (sum(lexv), sum(extv), sum([v for v in allv if v > 0]), sum([v for v in allv if v < 0]),
               min(0.0, min(allv, default=0.0)), max(0.0, max(allv, default=0.0)),
               sum([1 for v in extv if v < -0.25]), sum([1 for v in extv if v > 0.25]))
    n_pos = sum([1 for b in bits if b & 4])
    n_neg = sum([1 for b in bits if b & 8])
    n_unc = sum([1 for b in bits if b & 1])
    n_hed = sum([1 for b in bits if b & 2])
    if not nonzero:  # what score_valence returns for all-zero valences
        vader = (0.0, 0.0, 0.0, 1.0) if n else (0.0, 0.0, 0.0, 0.0)
        return Parsed(vader, vader, 0.0, 0.0, words, negated, n_pos, n_neg, lexicon, n_unc, n_hed)
    if "but" in lower:
        sentiments = an._but_check(tokens, sentiments)
    vader = _scores(an, sentiments, text)
    if neutral.isdisjoint(lower):
        trade_s, trade = sentiments, vader
    else:
        trade_s = [0 if lower[i] in neutral else v for i, v in enumerate(sentiments)]
        trade = _scores(an, trade_s, text)
    pos_sum = float(sum([v for v in trade_s if v > 0]))
    neg_sum = float(sum([v for v in trade_s if v < 0]))
    return Parsed(vader, trade, pos_sum, neg_sum, words, negated, n_pos, n_neg, lexicon, n_unc, n_hed)


class _SentiText:
    """vaderSentiment's SentiText built from tokens tradelib already has; ``is_cap_diff`` computed on first use."""

    __slots__ = ("_cap", "text", "words_and_emoticons")

    def __init__(self, text: str, tokens: list[str]):
        self.text = text
        self.words_and_emoticons = tokens
        self._cap: bool | None = None

    @property
    def is_cap_diff(self) -> bool:
        if self._cap is None:
            from vaderSentiment.vaderSentiment import allcap_differential

            self._cap = allcap_differential(self.words_and_emoticons)
        return self._cap


_RAW_CACHE: dict[str, tuple[str, str, tuple]] = {}


def _raw_entry(raw: str) -> tuple:
    """Everything :func:`parse` needs about a whitespace-separated piece of text, as one flat tuple.

    (0 VADER token, 1 its lower case, 2 in VADER's lexicon, 3 normalised word,
    4 kind: 0 no letter / 1 negator / 2 word, 5 ends a clause, 6 VADER value / 4,
    7 extended-lexicon value, 8 bits: 1 uncertainty, 2 hedging, 4 VADER-positive,
    8 VADER-negative, 16 negator; 9 whether 6, 7 or 8 is non-zero).
    """
    stripped = raw.strip(string.punctuation)  # vaderSentiment's SentiText._strip_punc_if_word
    tok = raw if len(stripped) <= 2 else stripped
    low = tok.lower()
    info = _TOKEN_CACHE.get(low)
    if info is None:
        info = _TOKEN_CACHE[low] = _token_info(low)
    w, kind, ends, lexval, extval, flags, pol = info
    bits = flags | (4 if pol == 1 else 0) | (8 if pol == -1 else 0) | (16 if kind == 1 else 0)
    entry = (tok, low, low in _tables()[0], w, kind, ends, lexval, extval, bits, bool(lexval or extval or bits))
    if len(_RAW_CACHE) > 500_000:
        _RAW_CACHE.clear()
        _TOKEN_CACHE.clear()
    _RAW_CACHE[raw] = entry
    return entry


_HAS_LETTER = re.compile(r"[^\W\d_]")
_TOKEN_CACHE: dict[str, tuple] = {}


@cache
def _tables() -> tuple:
    """(VADER lexicon, trade-sense words, negators, uncertainty words, hedging words, extended lexicon)."""
    an, _, _, _, neutral, _, negators = _vader_tables()
    return (an.lexicon, neutral, negators, word_list("uncertainty.txt"), word_list("hedging.txt"),
            extended_lexicon())


def clear_caches() -> None:
    """Forget the per-token caches (after the word lists or the extended lexicon changed)."""
    _RAW_CACHE.clear()
    _TOKEN_CACHE.clear()
    _tables.cache_clear()


def _token_info(low: str) -> tuple[str, int, bool, float, float, int, int]:
    """Normalised word, kind (0 no letter / 1 negator / 2 word), whether it ends a clause,
    VADER lexicon value / 4, extended-lexicon value (0 when absent or a trade-sense word)
    word-list flags (1 uncertainty, 2 hedging) and VADER polarity (1, -1, 0; trade-sense words 0)."""
    lexicon, neutral, negators, unc, hed, ext = _tables()
    w = low.strip(_PUNCT)
    if w.endswith(_POSSESSIVE):
        w = w[:-2]
    ends = bool(low) and low[-1] in ".,;:!?"
    if w in negators or w.endswith(("n't", "n\u2019t")):
        return (w, 1, ends, 0.0, 0.0, 0, 0)
    if not _HAS_LETTER.search(w):
        return (w, 0, ends, 0.0, 0.0, 0, 0)
    flags = (1 if w in unc else 0) | (2 if w in hed else 0)
    if w in neutral:
        return (w, 2, ends, 0.0, 0.0, flags, 0)
    lexval = lexicon.get(w, 0.0) / 4.0
    extval = 0.0 if w in lexicon else ext.get(w, 0.0)
    pol = 1 if lexval > 0 else (-1 if lexval < 0 else 0)
    return (w, 2, ends, lexval, extval, flags, pol)


@cache
def extended_lexicon() -> dict[str, float]:
    """``data/extended_lexicon.tsv``: word -> predicted valence / 4 for words outside VADER's lexicon."""
    name = "extended_lexicon.tsv"
    text = data_text(name, remedy="run scripts/fit_tone.py")
    out: dict[str, float] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            word, value = line.split("\t")
            out[word] = float(value)
        except ValueError:
            raise DataFileError(f"{name} line {n}: expected word<TAB>number, got {line!r}") from None
    return out


def share(words: list[str], vocabulary: frozenset[str]) -> float:
    """Share of ``words`` found in ``vocabulary`` (NaN for a sentence without words)."""
    if not words:
        return math.nan
    return sum(1 for w in words if w in vocabulary) / len(words)


def gdelt(parsed: Parsed) -> tuple[float, float]:
    """GDELT-style (tone, polarity) in percent of words, from the VADER lexicon (trade sense)."""
    n = len(parsed.words)
    if not n:
        return (math.nan, math.nan)
    return (100.0 * (parsed.n_pos - parsed.n_neg) / n, 100.0 * (parsed.n_pos + parsed.n_neg) / n)


def resolve_lm_path(lm_dictionary: str | os.PathLike[str] | None) -> Path | None:
    """The LM dictionary path from the argument or ``TRADELIB_LM_DICTIONARY`` (``None``: no LM columns)."""
    if lm_dictionary is None:
        env = os.environ.get("TRADELIB_LM_DICTIONARY", "").strip()
        if not env:
            return None
        lm_dictionary = env
    return Path(lm_dictionary).expanduser().resolve()


@cache
def lm_dictionary(path: Path) -> dict[str, frozenset[str]]:
    """Read a Loughran-McDonald Master Dictionary CSV: category -> set of lower-case words.

    A word belongs to a category when that column holds a number other than 0
    (the Master Dictionary stores the year the word was added, or -year when it
    was removed: negative years count as removed, i.e. not a member).
    """
    if not path.is_file():
        raise DataFileError(f"Loughran-McDonald dictionary {path} does not exist")
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            header = reader.fieldnames or []
            missing = [c for c in ["Word", *_LM_CSV_COLUMNS.values()] if c not in header]
            if missing:
                raise DataFileError(f"{path} is not a Loughran-McDonald Master Dictionary CSV: no column(s) {missing}")
            cats: dict[str, set[str]] = {c: set() for c in LM_CATEGORIES}
            for row in reader:
                word = (row.get("Word") or "").strip().lower()
                if not word:
                    continue
                for cat, col in _LM_CSV_COLUMNS.items():
                    raw = (row.get(col) or "0").strip() or "0"
                    try:
                        val = float(raw)
                    except ValueError:
                        raise DataFileError(f"{path}: {col} of {word!r} is {raw!r}, not a number") from None
                    if val > 0:
                        cats[cat].add(word)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataFileError(f"cannot read Loughran-McDonald dictionary {path}: {exc}") from exc
    return {c: frozenset(ws) for c, ws in cats.items()}

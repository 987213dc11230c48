"""Escalation / de-escalation stance of trade-news sentences, and its sum per side.

Two layers:

1. A rule engine (:mod:`tradelib._stance_rules`) finds action cues from a
   reviewable vocabulary (``data/stance_actions.toml``: threaten, impose,
   retaliate, demand, accuse, investigate, sanction/restrict... versus
   negotiate, meet, agree, ease, suspend, exempt/approve, buy, reassure), applies
   the modifiers of ``data/stance_modifiers.toml`` (negation and absence flip a
   cue, "not ruling out" flips twice, avoidance and refusal flip, conditions and
   hedges weaken, demands absorb the move demanded) and finds each cue's agent.
2. A multinomial logistic regression (:class:`StanceClassifier`) over the rule
   features plus word 1-2-grams, fitted on the labelled sentences by
   ``scripts/fit_stance.py`` and shipped as JSON coefficients in
   ``data/stance_model.json``. ``model="rules"`` uses the rule layer alone.

Labels follow ``../shared/docs/stance-annotation-guide.md``.
"""

from __future__ import annotations

import bisect
import gc
import json
from contextlib import contextmanager
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tradelib import _stance_rules as rules
from tradelib._stance_model import MODEL_FILE, StanceClassifier, default_model, predict_gated  # noqa: F401
from tradelib.errors import DataFileError, InputError

LABELS = ("escalation", "de-escalation", "mixed", "neutral")
SIDES = rules.SIDES
KEYS = ["article_id", "section", "para_idx", "sent_idx"]
STANCE_COLUMNS = ["stance", "stance_score", "side", "cues"]
BY_SIDE_COLUMNS = ["article_id", "side", "n_escalation", "n_de_escalation", "n_mixed", "n_neutral",
                   "n_sentences", "mean_score"]


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector while the rule loop allocates many small, acyclic objects.

    The loop makes no reference cycles, so nothing is leaked; it only avoids repeated collections of
    the caller's large heaps (about a quarter of the run time on Reuters-21578).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# ----------------------------------------------------------------------------- public API

def _sentences(x: Any) -> tuple[list[str], pd.DataFrame]:
    if isinstance(x, pd.DataFrame):
        if "text" not in x.columns:
            raise InputError("score_stance needs a sentence table with a 'text' column")
        keys = x[[c for c in KEYS + ["start", "end"] if c in x.columns]].reset_index(drop=True)
        return [t if isinstance(t, str) else "" for t in x["text"]], keys
    if isinstance(x, str) or not isinstance(x, Sequence | pd.Series | np.ndarray):
        raise InputError("score_stance takes a sentence table or a sequence of strings")
    texts = list(x)
    if not all(isinstance(t, str) for t in texts):
        raise InputError("score_stance: every sentence must be a string")
    return texts, pd.DataFrame(index=range(len(texts)))


def _mention_spans(texts: list[str], keys: pd.DataFrame, mentions: pd.DataFrame,
                   low: list[str] | None = None) -> Callable[[list[int]], list[list[tuple[int, int, str]]]]:
    """A function giving, for sentence numbers, the (start, end, side) spans of ``find_actors`` mentions in them.

    ``low`` may give each sentence's :func:`rules.lower_same_length` (for the joint subjects).
    """
    need = {"article_id", "sent_idx", "text", "side"}
    if not isinstance(mentions, pd.DataFrame) or not need <= set(mentions.columns):
        raise InputError(f"mentions must be a find_actors table with columns {sorted(need)}")
    if not {"article_id", "sent_idx"} <= set(keys.columns):
        raise InputError("mentions need a sentence table with article_id and sent_idx")
    has_offsets = "start" in keys.columns and "start" in mentions.columns
    by_sent: dict[tuple, list] = {}
    m_start = mentions["start"].tolist() if has_offsets else [None] * len(mentions)
    for aid, idx, mtext, side, mst in zip(mentions["article_id"].tolist(), mentions["sent_idx"].tolist(),
                                          mentions["text"].tolist(), mentions["side"].tolist(), m_start):
        by_sent.setdefault((aid, int(idx)), []).append((mtext, side, mst))
    k_aid, k_idx = keys["article_id"].tolist(), keys["sent_idx"].tolist()
    k_start = keys["start"].tolist() if has_offsets else None

    def spans_of(rows: list[int]) -> list[list[tuple[int, int, str]]]:
        voc = rules.vocabulary()
        lows = [low[i] if low is not None else rules.lower_same_length(texts[i]) for i in rows]
        # joint subjects ("both sides", "the U.S. and China") come from the fallback list; it is scanned only
        # in the sentences where one of its "both" patterns occurs at all
        sub = list(range(len(rows)))
        if voc.both is not None:
            offs = np.cumsum([0] + [len(t) + 1 for t in lows]).tolist()
            sub = sorted({bisect.bisect_right(offs, m.start()) - 1 for m in voc.both.finditer(rules._SEP.join(lows))})
        some = [lows[k] for k in sub]
        joints = [[] for _ in rows]
        for k, spans in zip(sub, rules._scan_each(voc.actors, some) or [rules._mentions_in(t, voc) for t in some]):
            joints[k] = spans
        out = []
        for i, found in zip(rows, joints):
            text, spans = texts[i], []
            for mtext, side, mst in by_sent.get((k_aid[i], int(k_idx[i])), ()):
                side = side if side in ("US", "China", "other", "both") else "other"
                pos = -1
                if has_offsets:
                    rel = int(mst) - int(k_start[i])
                    if 0 <= rel and text[rel:rel + len(mtext)] == mtext:
                        pos = rel
                if pos < 0:
                    pos = text.find(mtext)
                if pos >= 0:
                    spans.append((pos, pos + len(mtext), side))
            joint = [s for s in found if s[2] == "both"]
            if joint:
                spans = [s for s in spans if not any(j[0] <= s[0] and s[1] <= j[1] for j in joint)] + joint
            out.append(sorted(spans))
        return out

    return spans_of


def score_stance(x: pd.DataFrame | Sequence[str], mentions: pd.DataFrame | None = None, *,
                 model: str | StanceClassifier | None = "default") -> pd.DataFrame:
    """Stance (escalation / de-escalation / mixed / neutral) of each sentence.

    Parameters
    ----------
    x : DataFrame or sequence of str
        The sentence table of :func:`tradelib.split_sentences` (its keys
        ``article_id, section, para_idx, sent_idx`` are kept) or plain strings.
    mentions : DataFrame, optional
        Output of :func:`tradelib.find_actors` (``article_id, sent_idx, start,
        end, text, actor, side``); the agent of each cue is then the mention
        nearest before it that is not a prepositional object. Without it a
        small fallback actor list (``data/stance_actors.toml``) is used.
    model : {"default", "rules"} or StanceClassifier
        ``"default"``: the shipped regression (falls back on the rules when the
        model file is absent); ``"rules"``: rule layer only; or a fitted
        :class:`StanceClassifier`.

    Returns
    -------
    DataFrame
        The keys (or, for strings, a 0.. index), ``text``, and ``stance``,
        ``stance_score`` (in [-1, 1], positive = escalation: P(esc) - P(de-esc)
        for the model, ``(E - D) / (E + D + 0.5)`` of the cue weights for the
        rules), ``side`` (US | China | both | other | none) and ``cues`` (list of
        dicts: text, direction, weight, modifier, action, side).
    """
    texts, keys = _sentences(x)
    if isinstance(model, StanceClassifier):
        clf = model
    elif model == "default":
        clf = default_model()
    elif model == "rules":
        clf = None
    else:
        raise InputError(f"model must be 'default', 'rules' or a StanceClassifier, not {model!r}")
    joined = None
    if mentions is not None:
        raw = rules._SEP.join(texts)
        joined, low = rules.straighten(raw).lower(), None
        if len(joined) == len(raw):  # then each sentence's lower_same_length is its slice
            pos = np.cumsum([0] + [len(t) + 1 for t in texts]).tolist()
            low = [joined[a:a + len(t)] for a, t in zip(pos, texts)]
        else:
            joined = rules.lower_same_length(raw)
        spans = _mention_spans(texts, keys, mentions, low)
        uniq, inv = texts, np.arange(len(texts))
    else:  # wire copy repeats sentences: score each distinct sentence once
        spans = None
        first: dict[str, int] = {}
        inv = np.array([first.setdefault(t, len(first)) for t in texts], dtype=np.int64)
        uniq = list(first)
    with _gc_paused():
        analyses = rules.analyse_many(uniq, spans, joined=joined)
        if clf is None or not uniq:
            stance = np.array([a.label for a in analyses], dtype=object)
            score = np.array([a.score for a in analyses], dtype=float)
            side = np.array([a.side for a in analyses], dtype=object)
        else:
            stance, score, side = predict_gated(clf, uniq, analyses)
    out = keys.copy()
    out["text"] = texts
    out["stance"] = stance[inv] if len(texts) else np.array([], dtype=object)
    out["stance_score"] = (np.asarray(score, dtype=float)[inv] if len(texts) else np.array([], dtype=float)).clip(-1.0, 1.0)
    out["side"] = side[inv] if len(texts) else np.array([], dtype=object)
    out["cues"] = [analyses[i].cues for i in inv]
    return out


def stance_by_side(stance: pd.DataFrame, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sum a :func:`score_stance` table per article and side.

    Parameters
    ----------
    stance : DataFrame
        Output of :func:`score_stance` on a sentence table (needs ``article_id``,
        ``stance``, ``stance_score``, ``side``).
    mentions : DataFrame, optional
        ``find_actors`` output. When given, a non-neutral sentence whose side is
        ``none`` is credited to the side mentioned most often in it (ties: US,
        China, other).

    Returns
    -------
    DataFrame
        One row per (article_id, side) present, sorted: ``article_id, side,
        n_escalation, n_de_escalation, n_mixed, n_neutral, n_sentences,
        mean_score`` (mean ``stance_score`` of those sentences).
    """
    need = {"article_id", "stance", "stance_score", "side"}
    if not isinstance(stance, pd.DataFrame) or not need <= set(stance.columns):
        raise InputError(f"stance_by_side needs a score_stance table with columns {sorted(need)}")
    df = stance[["article_id", "stance", "stance_score", "side"] + (["sent_idx"] if "sent_idx" in stance else [])].copy()
    if mentions is not None and "sent_idx" in df.columns and len(mentions):
        counts = (mentions.groupby(["article_id", "sent_idx", "side"]).size().rename("n").reset_index()
                  .assign(order=lambda d: d["side"].map({"US": 0, "China": 1}).fillna(2))
                  .sort_values(["article_id", "sent_idx", "n", "order"], ascending=[True, True, False, True])
                  .drop_duplicates(["article_id", "sent_idx"]))
        top = dict(zip(zip(counts["article_id"], counts["sent_idx"]), counts["side"]))
        fill = (df["side"] == "none") & (df["stance"] != "neutral")
        df.loc[fill, "side"] = [top.get(k, "none") for k in zip(df.loc[fill, "article_id"], df.loc[fill, "sent_idx"])]
    counts = {f"n_{label.replace('-', '_')}": (df["stance"] == label).to_numpy(dtype="int64") for label in LABELS}
    g = df.assign(**counts).groupby(["article_id", "side"], sort=True)
    out = g[list(counts)].sum()
    out["n_sentences"] = g.size()
    out["mean_score"] = g["stance_score"].mean()
    out = out.reset_index()
    return out[BY_SIDE_COLUMNS].reset_index(drop=True)


def load_labels(path: str | Path) -> pd.DataFrame:
    """Read a stance label file (JSON lines: id, article_id, source, text, stance, side)."""
    rows = []
    try:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    rows.append(json.loads(line))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataFileError(f"cannot read stance labels {path}: {exc}") from None
    df = pd.DataFrame(rows)
    need = {"article_id", "text", "stance"}
    if len(df) and not need <= set(df.columns):
        raise DataFileError(f"{path}: stance labels need {sorted(need)}")
    if len(df):
        df = df[df["stance"].isin(LABELS)].reset_index(drop=True)
        if "side" not in df:
            df["side"] = "none"
        df["side"] = df["side"].fillna("none")
    return df

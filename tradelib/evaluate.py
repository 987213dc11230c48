"""Evaluation of tradelib's measures against labelled data.

Each function returns a tidy DataFrame that a notebook can show as it is and
that the README's figures are copied from. Sections: tone (human ratings),
quotes (speaker and side accuracy), stance (cross-validated labels),
relevance (Reuters-21578 ModApte split).
"""

from __future__ import annotations

import re

# ---- tone (in tradelib/_eval_tone.py) ---------------------------------------

from tradelib._eval_tone import (  # noqa: E402,F401  (public here)
    TONE_MEASURES,
    VADER_GT_FILES,
    cross_validate_tone,
    default_vader_gt_path,
    evaluate_tone,
    load_vader_ground_truth,
    tone_metrics,
)


# ---- quotes -----------------------------------------------------------------

def _q_norm(text: object) -> str:
    text = str(text).replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip(" \"',.;:").lower()


_Q_DETERMINERS = {"a", "an", "the", "one", "another", "its", "his", "her", "their", "ltd", "inc", "corp", "co"}
# an honorific or office before a capitalised name: "President Reagan", "Mr. Baker" name "Reagan", "Baker"
_HONORIFIC = re.compile(r"^(?:(?:U\.S\.|US|Vice|Prime)\s+)?(?:President|Minister|Premier|Chancellor|Secretary|Senator|"
                        r"Sen\.|Rep\.|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+(?=[A-Z])")


def speaker_matches(predicted: object, gold: object, *, lexicon: object = None) -> bool:
    """Whether a predicted speaker names the same speaker as a gold label.

    ``None`` matches only ``None``. Otherwise, after lower-casing and dropping
    ticker symbols (``<HIT.T>``), punctuation and determiners, the two match when
    they are equal, when both resolve to the same lexicon actor (a gold "Yeutter"
    matches a predicted "Clayton Yeutter"), or when the words of one are a subset
    of the other's ("Stephens" / "Malcolm Stephens", "one official" / "one
    Japanese official").
    """
    from tradelib.actors import _fold, load_lexicon

    if predicted is None or gold is None or predicted != predicted or gold != gold:  # None / NaN
        return (predicted is None or predicted != predicted) and (gold is None or gold != gold)
    lex = load_lexicon(lexicon)

    def canon(s: str) -> str:
        s = _HONORIFIC.sub("", s.strip())  # "President Reagan" names the lexicon's "Reagan"
        hits = lex.aliases.get(_fold(s), [])
        return hits[0][0] if len(hits) == 1 else s

    p, g = canon(str(predicted)), canon(str(gold))
    if p == g:
        return True

    def words(s: str) -> set[str]:
        s = re.sub(r"<[^>]*>", " ", s.replace("\u2019", "'")).lower()
        return {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w  # officials ~ official
                for w in re.findall(r"[\w.'-]+", s) if w.strip(".") and w not in _Q_DETERMINERS}

    wp, wg = words(p), words(g)
    return bool(wp and wg) and (wp <= wg or wg <= wp)


def quote_accuracy(labels: object, articles: object = None, *, lexicon: object = None, details: bool = False,
                   by: str | None = None):
    """Speaker and side accuracy of :func:`tradelib.extract_quotes` against labelled quotes.

    Parameters
    ----------
    labels : str, path or pandas.DataFrame
        JSON Lines (or a table) with ``article_id``, ``text`` (the quote or a
        distinctive part of it), ``speaker`` (canonical name or the speaker's
        words; null when no one is quoted, e.g. scare quotes) and ``side``.
    articles : pandas.DataFrame, str or path, optional
        The articles the labels come from, or a path for ``load_articles``;
        default ``../shared/data/reuters21578`` next to the repository.
    lexicon : optional
        Extra actor lexicon passed to ``extract_quotes``.
    details : bool, keyword-only
        Return the per-label table instead of the summary.
    by : str, keyword-only, optional
        A label column (e.g. ``"set"``): one summary row for all labels
        (``"all"``) and one per value of that column, with the metrics as
        columns. The quotes are extracted once for all groups.

    Returns
    -------
    pandas.DataFrame
        Summary rows ``metric`` / ``value``: ``labelled``, ``found`` (a predicted
        quote overlaps the label's text; the one scored is the same text, else
        the shortest holding it, else the longest held in it), ``coverage``
        (found / labelled),
        ``speaker_accuracy`` (correct speaker among found; ``None`` is correct
        only for a null label), ``speaker_precision`` (correct among found quotes
        given a non-null speaker), ``speaker_answered`` (share of found quotes
        with a non-null speaker) and ``side_accuracy`` (among found).
    """
    from pathlib import Path

    import pandas as pd

    import tradelib
    from tradelib.errors import InputError

    if isinstance(labels, pd.DataFrame):
        gold = labels.copy()
    else:
        gold = pd.read_json(Path(labels), lines=True)
    if not {"article_id", "text", "speaker", "side"} <= set(gold.columns):
        raise InputError("quote labels need article_id, text, speaker and side")
    if articles is None:
        articles = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "reuters21578"
    if not isinstance(articles, pd.DataFrame):
        articles = tradelib.load_articles(articles).articles
    articles = articles[articles["article_id"].isin(set(gold["article_id"]))]
    pred = tradelib.extract_quotes(articles, lexicon=lexicon)
    by_article = {aid: g for aid, g in pred.groupby("article_id")}
    rows = []
    for lab in gold.itertuples(index=False):
        cands = by_article.get(lab.article_id)
        hit = None
        if cands is not None:
            # the predicted quote that corresponds best: the same text, else the shortest that holds the label's
            # text, else the longest held in it ("TACO trade" inside a label "The TACO trade works ..." is
            # another, shorter quote of the same article, not the one labelled)
            want, best = _q_norm(lab.text), None
            for q in cands.itertuples(index=False):
                have = _q_norm(q.text)
                if want in have:
                    key = (0 if have == want else 1, len(have))
                elif len(have) >= 8 and have in want:
                    key = (2, -len(have))
                else:
                    continue
                if best is None or key < best:
                    best, hit = key, q
        gold_spk = None if lab.speaker != lab.speaker else lab.speaker
        gold_side = None if lab.side != lab.side else lab.side
        spk = None if hit is None or hit.speaker != hit.speaker else hit.speaker
        side = None if hit is None or hit.speaker_side != hit.speaker_side else hit.speaker_side
        rows.append({"article_id": lab.article_id, "text": lab.text, "gold_speaker": gold_spk,
                     "gold_side": gold_side, "found": hit is not None, "speaker": spk, "side": side,
                     "speaker_ok": hit is not None and speaker_matches(spk, gold_spk, lexicon=lexicon),
                     "side_ok": hit is not None and side == gold_side})
    table = pd.DataFrame(rows)
    if details:
        return table
    if by is None:
        return pd.DataFrame(list(_quote_summary(table).items()), columns=["metric", "value"])
    if by not in gold.columns:
        raise InputError(f"quote labels have no column {by!r} to group by")
    groups = [("all", table), *table.groupby(gold[by].to_numpy(), sort=True)]
    return pd.DataFrame([{by: name, **_quote_summary(part)} for name, part in groups])


def _quote_summary(table) -> dict[str, float]:
    found = table[table["found"]]
    answered = found[found["speaker"].notna()]
    n = max(len(found), 1)
    summary = {"labelled": len(table), "found": len(found), "coverage": len(found) / max(len(table), 1),
               "speaker_accuracy": found["speaker_ok"].sum() / n,
               "speaker_precision": answered["speaker_ok"].sum() / max(len(answered), 1),
               "speaker_answered": len(answered) / n,
               "side_accuracy": found["side_ok"].sum() / n}
    return {k: float(v) for k, v in summary.items()}


# ---- stance -----------------------------------------------------------------

STANCE_LABELS = ("escalation", "de-escalation", "mixed", "neutral")


def evaluate_stance(gold, pred, *, gold_side=None, pred_side=None) -> dict:
    """Score stance predictions against labels.

    Parameters
    ----------
    gold, pred : sequence of str
        Stance labels (escalation, de-escalation, mixed, neutral).
    gold_side, pred_side : sequence of str, optional
        Side labels (US, China, both, other, none) for side accuracy.

    Returns
    -------
    dict
        ``n``, ``accuracy``, ``macro_f1`` (over the four labels), ``side_accuracy``
        (NaN without sides), ``per_class`` (DataFrame: label, precision, recall,
        f1, support) and ``confusion`` (DataFrame, rows = gold, columns = predicted).
    """
    import numpy as np
    import pandas as pd
    from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

    from tradelib.errors import InputError

    gold, pred = [str(g) for g in gold], [str(p) for p in pred]
    if len(gold) != len(pred) or not gold:
        raise InputError("evaluate_stance needs two non-empty label sequences of equal length")
    labels = list(STANCE_LABELS)
    p, r, f, sup = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    present = [i for i, lab in enumerate(labels) if lab in set(gold) | set(pred)]
    side_acc = float("nan")
    if gold_side is not None and pred_side is not None:
        gs, ps = list(gold_side), list(pred_side)
        if len(gs) != len(gold) or len(ps) != len(gold):
            raise InputError("side labels must have the same length as the stance labels")
        side_acc = float(np.mean([a == b for a, b in zip(gs, ps)]))
    return {
        "n": len(gold),
        "accuracy": float(accuracy_score(gold, pred)),
        "macro_f1": float(np.mean(f[present])),
        "side_accuracy": side_acc,
        "per_class": pd.DataFrame({"label": labels, "precision": p, "recall": r, "f1": f, "support": sup}),
        "confusion": pd.DataFrame(confusion_matrix(gold, pred, labels=labels),
                                  index=pd.Index(labels, name="gold"), columns=pd.Index(labels, name="predicted")),
    }


def cross_validate_stance(labels, *, n_splits: int = 5, extra=None, params: dict | None = None,
                          model: str = "model"):
    """Cross-validated stance predictions, folds grouped by ``article_id``.

    Parameters
    ----------
    labels : DataFrame
        Labelled sentences (``article_id``, ``text``, ``stance``, ``side``), e.g.
        ``tradelib.stance.load_labels("tests/data/stance_labels.jsonl")``.
    n_splits : int
        Number of GroupKFold folds (fewer if there are fewer articles).
    extra : DataFrame, optional
        Extra labelled rows (e.g. synthetic sentences) added to every training
        fold and never scored.
    params : dict, optional
        Parameters of :class:`tradelib.stance.StanceClassifier`.
    model : {"model", "rules"}
        ``"rules"`` scores the rule layer alone (no fitting).

    Returns
    -------
    DataFrame
        ``labels`` with ``pred_stance``, ``pred_side`` and ``fold`` columns added;
        pass it to :func:`evaluate_stance`.
    """
    from sklearn.model_selection import GroupKFold

    from tradelib import _stance_rules as rules
    from tradelib.stance import StanceClassifier, predict_gated

    df = labels.reset_index(drop=True).copy()
    analyses = rules.analyse_many(list(df["text"]))
    df["pred_stance"] = [a.label for a in analyses]
    df["pred_side"] = [a.side for a in analyses]
    df["fold"] = -1
    if model == "rules":
        return df
    ex_an = rules.analyse_many(list(extra["text"])) if extra is not None and len(extra) else []
    k = min(n_splits, df["article_id"].nunique())
    if k < 2:
        from tradelib.errors import InputError

        raise InputError("cross_validate_stance needs labelled sentences from at least two articles")
    for fold, (tr, te) in enumerate(GroupKFold(n_splits=k).split(df, groups=df["article_id"])):
        texts = list(df["text"].iloc[tr]) + (list(extra["text"]) if ex_an else [])
        y = list(df["stance"].iloc[tr]) + (list(extra["stance"]) if ex_an else [])
        sides = list(df["side"].iloc[tr]) + (list(extra["side"]) if ex_an else [])
        clf = StanceClassifier(**(params or {})).fit(texts, y, sides, analyses=[analyses[i] for i in tr] + ex_an)
        stance, _, side = predict_gated(clf, list(df["text"].iloc[te]), [analyses[i] for i in te])
        df.loc[te, "pred_stance"] = stance
        df.loc[te, "pred_side"] = side
        df.loc[te, "fold"] = fold
    return df


# ---- relevance --------------------------------------------------------------

from typing import TYPE_CHECKING  # noqa: E402

if TYPE_CHECKING:
    import os

    import pandas as pd


def evaluate_relevance(
    reuters_path: str | os.PathLike[str] | pd.DataFrame,
    *,
    methods: tuple[str, ...] = ("model", "keywords"),
) -> pd.DataFrame:
    """Precision, recall and F1 of :func:`tradelib.trade_relevance` on the Reuters-21578 ModApte test split.

    Parameters
    ----------
    reuters_path : path or pandas.DataFrame
        The Reuters-21578 folder (``reut2-*.sgm``), or an articles table already
        loaded from it with :func:`tradelib.load_articles`.
    methods : tuple of str
        Methods of :func:`tradelib.trade_relevance` to evaluate.

    Returns
    -------
    pandas.DataFrame
        One row per method: ``method``, ``precision``, ``recall``, ``f1`` (for
        the topic ``trade``), ``n_test`` (test documents: TOPICS="YES",
        LEWISSPLIT="TEST", at least one of the 90 ModApte topics) and
        ``n_positive`` (those labelled ``trade``).
    """
    import pandas as pd

    from tradelib.load import load_articles
    from tradelib.relevance import modapte_split, trade_relevance

    articles = reuters_path if isinstance(reuters_path, pd.DataFrame) else load_articles(reuters_path).articles
    docs = modapte_split(articles)
    test = docs[docs["split"] == "test"]
    truth = test["label"].to_numpy(bool)
    rows = []
    for method in methods:
        pred = trade_relevance(test, method=method)["trade_relevant"].to_numpy(bool)
        tp = int((pred & truth).sum())
        precision = tp / pred.sum() if pred.sum() else float("nan")
        recall = tp / truth.sum() if truth.sum() else float("nan")
        f1 = 2 * tp / (pred.sum() + truth.sum()) if (pred.sum() + truth.sum()) else float("nan")
        rows.append({"method": method, "precision": float(precision), "recall": float(recall), "f1": float(f1),
                     "n_test": int(len(test)), "n_positive": int(truth.sum())})
    return pd.DataFrame(rows, columns=["method", "precision", "recall", "f1", "n_test", "n_positive"])

"""Evaluation of tradelib's measures against labelled data.

Each function returns a tidy DataFrame that a notebook can show as it is and
that the README's figures are copied from. Sections: tone (human ratings),
quotes (speaker and side accuracy), stance (cross-validated labels),
relevance (Reuters-21578 ModApte split).
"""

from __future__ import annotations

# ---- tone -------------------------------------------------------------------

VADER_GT_FILES = {
    "tweets": "tweets_GroundTruth.txt",
    "movie": "movieReviewSnippets_GroundTruth.txt",
    "amazon": "amazonReviewSnippets_GroundTruth.txt",
    "nyt": "nytEditorialSnippets_dev.txt",
}
TONE_MEASURES = ("tone", "tone_embeddings", "vader_compound", "gdelt_tone", "lm_net")
# divisor that maps a measure onto [-1, 1] before the +-0.05 class cut (then clipped)
_TONE_SCALE = {"tone": 1.0, "tone_embeddings": 1.0, "vader_compound": 1.0, "gdelt_tone": 100.0, "lm_net": 1.0}


def default_vader_gt_path():
    """``$TRADELIB_VADER_GT``, else ``../shared/data/vader_ground_truth`` beside the checkout."""
    import os
    from pathlib import Path

    env = os.environ.get("TRADELIB_VADER_GT", "").strip()
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "vader_ground_truth"


def load_vader_ground_truth(path=None, *, datasets=None):
    """Read the human-rated sentence sets of Hutto & Gilbert (2014).

    Parameters
    ----------
    path : path, optional
        The folder holding the ``*_GroundTruth.txt`` / ``nytEditorialSnippets_dev.txt``
        files (default :func:`default_vader_gt_path`), or one such file (its
        data set is read from the name: tweets, movie, amazon, nyt).
    datasets : sequence of str, optional
        Which of ``tweets``, ``movie``, ``amazon``, ``nyt`` to read (default: all
        whose file exists; at least one must).

    Returns
    -------
    pandas.DataFrame
        ``dataset``, ``id`` (str), ``group`` (the id before the underscore, i.e.
        the NYT editorial or Amazon product; the id itself when it has none),
        ``rating`` (mean human rating in [-4, 4]), ``target`` (rating / 4) and
        ``text``, in file order.
    """
    from pathlib import Path

    import pandas as pd

    from tradelib.errors import InputError, LoadError

    path = Path(path) if path is not None else default_vader_gt_path()
    wanted = list(datasets) if datasets is not None else list(VADER_GT_FILES)
    bad = [d for d in wanted if d not in VADER_GT_FILES]
    if bad:
        raise InputError(f"unknown tone data set(s) {bad}; choose from {list(VADER_GT_FILES)}")
    if path.is_file():
        name = path.name.lower()
        guess = [d for d in VADER_GT_FILES if name.startswith(VADER_GT_FILES[d][:5].lower())]
        if not guess:
            raise LoadError("cannot tell which data set this file is", path=str(path))
        files = {guess[0]: path}
    elif path.is_dir():
        files = {d: path / VADER_GT_FILES[d] for d in wanted if (path / VADER_GT_FILES[d]).is_file()}
        if datasets is not None and len(files) < len(wanted):
            raise LoadError(f"missing {[VADER_GT_FILES[d] for d in wanted if d not in files]}", path=str(path))
    else:
        raise LoadError("no such file or folder (the VADER ground truth is third-party data)", path=str(path))
    if not files:
        raise LoadError("no ground-truth files found", path=str(path))
    rows = []
    for ds, f in files.items():
        for n, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if not line.strip():
                continue
            parts = line.split("\t", 2)
            try:
                rating = float(parts[1])
            except (IndexError, ValueError):
                raise LoadError("expected id<TAB>rating<TAB>sentence", path=str(f), record=str(n)) from None
            rid = parts[0].strip()
            rows.append((ds, rid, rid.split("_", 1)[0], rating, rating / 4.0, parts[2] if len(parts) > 2 else ""))
    return pd.DataFrame(rows, columns=["dataset", "id", "group", "rating", "target", "text"])


def tone_metrics(scores, ratings, *, scale: float = 1.0) -> dict:
    """Pearson r and 3-class macro-F1 of scores against mean human ratings.

    Parameters
    ----------
    scores : sequence of float
        A measure's scores; divided by ``scale`` and clipped to [-1, 1].
    ratings : sequence of float
        Mean human ratings in [-4, 4] (divided by 4).
    scale : float
        What maps the measure onto [-1, 1] (100 for GDELT tone in percent).

    Returns
    -------
    dict
        ``n`` (pairs where both are finite), ``pearson_r``, ``macro_f1`` (classes
        negative < -0.05 <= neutral <= 0.05 < positive on both sides, F1 averaged
        over the classes present in either; Hutto & Gilbert's convention).
    """
    import numpy as np
    from sklearn.metrics import f1_score

    s = np.asarray(scores, dtype=float) / scale
    r = np.asarray(ratings, dtype=float) / 4.0
    ok = np.isfinite(s) & np.isfinite(r)
    s, r = np.clip(s[ok], -1, 1), r[ok]
    out = {"n": int(ok.sum()), "pearson_r": float("nan"), "macro_f1": float("nan")}
    if len(s) < 2:
        return out
    if np.std(s) > 0 and np.std(r) > 0:
        out["pearson_r"] = float(np.corrcoef(s, r)[0, 1])

    def cls(v):
        return np.where(v < -0.05, -1, np.where(v > 0.05, 1, 0))

    out["macro_f1"] = float(f1_score(cls(r), cls(s), average="macro", labels=sorted(set(cls(r)) | set(cls(s)))))
    return out


def cross_validate_tone(data, *, model: str = "default", n_splits: int = 10, datasets=None, embed=None):
    """Cross-validated ``tone`` predictions for the rows of ``data``.

    For each data set ``d`` scored, its rows are split by ``GroupKFold(n_splits)``
    on ``group`` (NYT: the editorial); each fold's rows are predicted by a model
    refitted, with the shipped model's hyperparameters (its JSON ``fit``
    section), on the other folds of ``d`` plus the rows of the other data sets
    that the shipped model trains on, with the same sample weights. A row never
    trains the model that scores it.

    Parameters
    ----------
    data : pandas.DataFrame
        :func:`load_vader_ground_truth` output.
    model : {"default", "embeddings"}
        Which shipped model's recipe to cross-validate.
    n_splits : int
        Folds per data set.
    datasets : sequence of str, optional
        Data sets to score (default: all in ``data``).
    embed : callable, optional
        ``embed(texts) -> array`` for the embeddings model (default: encode with
        the installed all-MiniLM-L6-v2).

    Returns
    -------
    pandas.Series
        Predictions aligned with ``data`` (NaN for rows not scored).
    """
    import numpy as np
    import pandas as pd
    from sklearn.model_selection import GroupKFold

    from tradelib._tone_model import load_model, regressor_from_spec

    spec = load_model(model).spec
    weights = spec["fit"]["dataset_weights"]
    if embed is None and model == "embeddings":
        from tradelib import _tone_embed as E

        path = E.default_model_path()
        memo: dict = {}

        def embed(texts):  # each sentence is encoded once across folds
            todo = list(dict.fromkeys(t for t in texts if t not in memo))
            if todo:
                memo.update(zip(todo, E.encode(todo, path)))
            return np.array([memo[t] for t in texts])

    d = data.reset_index(drop=True)
    pred = np.full(len(d), np.nan)
    texts = d["text"].tolist()
    for ds in datasets if datasets is not None else d["dataset"].unique().tolist():
        here = np.flatnonzero((d["dataset"] == ds).to_numpy())
        if weights.get(ds, 0.0) <= 0:  # never trained on: the shipped model's scores are out-of-sample
            from tradelib.tone import score_tone

            sub = [texts[i] for i in here]
            pred[here] = score_tone(sub, model=model)["tone"].to_numpy() if sub else []
            continue
        others = np.flatnonzero(((d["dataset"] != ds) & d["dataset"].map(lambda x: weights.get(x, 0) > 0)).to_numpy())
        k = min(n_splits, d["group"].iloc[here].nunique())
        for tr, te in GroupKFold(n_splits=k).split(here, groups=d["group"].iloc[here]):
            train = np.concatenate([here[tr], others])
            sw = np.array(d["dataset"].iloc[train].map(lambda x: weights.get(x, 0.0)), dtype=float)
            sw[: len(tr)] = weights[ds]
            reg = regressor_from_spec(spec, embed=embed)
            reg.fit([texts[i] for i in train], d["target"].iloc[train].to_numpy(float), sample_weight=sw)
            pred[here[te]] = reg.predict([texts[i] for i in here[te]])
    return pd.Series(pred, index=data.index, name=f"cv_{model}")


def evaluate_tone(datasets=None, measures=None, *, path=None, lm_dictionary=None, n_splits: int = 10):
    """Tone measures against the human ratings: Pearson r and 3-class macro-F1.

    Parameters
    ----------
    datasets : sequence of str, optional
        ``tweets``, ``movie``, ``amazon``, ``nyt`` (default: all found).
    measures : sequence of str, optional
        From ``tone`` (cross-validated, see :func:`cross_validate_tone`),
        ``tone_embeddings`` (the embeddings model, cross-validated; needs the
        extra and computes embeddings: minutes), ``vader_compound``, ``gdelt_tone``
        (divided by 100) and ``lm_net`` (``lm_positive - lm_negative``; needs
        ``lm_dictionary``). Default: ``tone``, ``vader_compound``, ``gdelt_tone``
        (+ ``lm_net`` with a dictionary).
    path : path, optional
        Ground-truth folder or file (see :func:`load_vader_ground_truth`).
    lm_dictionary : path, optional
        Loughran-McDonald Master Dictionary CSV.
    n_splits : int
        Folds for the fitted models.

    Returns
    -------
    pandas.DataFrame
        One row per data set and measure: ``dataset``, ``measure``, ``n``,
        ``pearson_r``, ``macro_f1``, ``how`` (``"grouped CV"`` for fitted models,
        ``"lexicon"`` otherwise).
    """
    from pathlib import Path

    import pandas as pd

    from tradelib.errors import InputError
    from tradelib.tone import score_tone

    data = load_vader_ground_truth(path, datasets=datasets)
    # the fitted models' CV trains on every data set the shipped model trains on, whichever are reported
    pool = load_vader_ground_truth(path) if datasets is not None and (path is None or Path(path).is_dir()) else data
    pool = pool.reset_index(drop=True)
    scored = data["dataset"].unique().tolist()
    if measures is None:
        measures = ["tone", "vader_compound", "gdelt_tone"] + (["lm_net"] if lm_dictionary else [])
    bad = [m for m in measures if m not in TONE_MEASURES]
    if bad:
        raise InputError(f"unknown tone measure(s) {bad}; choose from {list(TONE_MEASURES)}")
    if "lm_net" in measures and lm_dictionary is None:
        raise InputError("measure 'lm_net' needs lm_dictionary=PATH")
    scores = score_tone(data["text"].tolist(), lm_dictionary=lm_dictionary)
    cols = {}
    for m in measures:
        if m in ("tone", "tone_embeddings"):
            cv = cross_validate_tone(pool, model="default" if m == "tone" else "embeddings",
                                     n_splits=n_splits, datasets=scored)
            key = pool["dataset"] + "\t" + pool["id"] + "\t" + pool["text"]
            by_key = dict(zip(key, cv.to_numpy()))
            cols[m] = (data["dataset"] + "\t" + data["id"] + "\t" + data["text"]).map(by_key).to_numpy(float)
        elif m == "lm_net":
            cols[m] = (scores["lm_positive"] - scores["lm_negative"]).to_numpy()
        else:
            cols[m] = scores[m].to_numpy()
    rows = []
    for ds in data["dataset"].unique():
        mask = (data["dataset"] == ds).to_numpy()
        for m in measures:
            met = tone_metrics(cols[m][mask], data["rating"].to_numpy()[mask], scale=_TONE_SCALE[m])
            rows.append({"dataset": ds, "measure": m, **met,
                         "how": "grouped CV" if m.startswith("tone") else "lexicon"})
    return pd.DataFrame(rows, columns=["dataset", "measure", "n", "pearson_r", "macro_f1", "how"])


# ---- quotes -----------------------------------------------------------------

def _q_norm(text: object) -> str:
    import re

    text = str(text).replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip(" \"',.;:").lower()


_Q_DETERMINERS = {"a", "an", "the", "one", "another", "its", "his", "her", "their", "ltd", "inc", "corp", "co"}


def speaker_matches(predicted: object, gold: object, *, lexicon: object = None) -> bool:
    """Whether a predicted speaker names the same speaker as a gold label.

    ``None`` matches only ``None``. Otherwise, after lower-casing and dropping
    ticker symbols (``<HIT.T>``), punctuation and determiners, the two match when
    they are equal, when both resolve to the same lexicon actor (a gold "Yeutter"
    matches a predicted "Clayton Yeutter"), or when the words of one are a subset
    of the other's ("Stephens" / "Malcolm Stephens", "one official" / "one
    Japanese official").
    """
    import re

    from tradelib.actors import _fold, load_lexicon

    if predicted is None or gold is None or predicted != predicted or gold != gold:  # None / NaN
        return (predicted is None or predicted != predicted) and (gold is None or gold != gold)
    lex = load_lexicon(lexicon)

    def canon(s: str) -> str:
        hits = lex.aliases.get(_fold(s), [])
        return hits[0][0] if len(hits) == 1 else s

    p, g = canon(str(predicted)), canon(str(gold))
    if p == g:
        return True

    def words(s: str) -> set[str]:
        s = re.sub(r"<[^>]*>", " ", s.replace("\u2019", "'")).lower()
        return {w for w in re.findall(r"[\w.'-]+", s) if w.strip(".") and w not in _Q_DETERMINERS}

    wp, wg = words(p), words(g)
    return bool(wp and wg) and (wp <= wg or wg <= wp)


def quote_accuracy(labels: object, articles: object = None, *, lexicon: object = None, details: bool = False):
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

    Returns
    -------
    pandas.DataFrame
        Summary rows ``metric`` / ``value``: ``labelled``, ``found`` (a predicted
        quote overlaps the label's text), ``coverage`` (found / labelled),
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
            want = _q_norm(lab.text)
            for q in cands.itertuples(index=False):
                have = _q_norm(q.text)
                if want in have or (len(have) >= 8 and have in want):
                    hit = q
                    break
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
    found = table[table["found"]]
    answered = found[found["speaker"].notna()]
    n = max(len(found), 1)
    summary = [("labelled", len(table)), ("found", len(found)), ("coverage", len(found) / max(len(table), 1)),
               ("speaker_accuracy", found["speaker_ok"].sum() / n),
               ("speaker_precision", answered["speaker_ok"].sum() / max(len(answered), 1)),
               ("speaker_answered", len(answered) / n),
               ("side_accuracy", found["side_ok"].sum() / n)]
    return pd.DataFrame([(k, float(v)) for k, v in summary], columns=["metric", "value"])


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

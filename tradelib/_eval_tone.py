"""Tone against human ratings: the VADER ground-truth sets, r and macro-F1, grouped cross-validation.

Public through :mod:`tradelib.evaluate` (``evaluate_tone``, ``cross_validate_tone``,
``tone_metrics``, ``load_vader_ground_truth``); kept apart to keep each module short.
"""

from __future__ import annotations

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


def training_rows(datasets, fit: dict):
    """Which rows a tone-model recipe trains on, and how.

    ``datasets``: each row's data set name; ``fit``: a model's ``fit`` section
    (``dataset_weights``, and ``transfer_sets`` for data sets that only fit the
    transfer heads). Returns a boolean array (the row is used), the sample
    weights of the main ridge, and the ``aux`` labels for
    :meth:`ToneRegressor.fit` (None when the recipe has no transfer heads).
    """
    import numpy as np

    weights = fit["dataset_weights"]
    transfer = set(fit.get("transfer_sets") or ())
    names = list(datasets)
    sw = np.array([weights.get(x, 0.0) for x in names], dtype=float)
    aux = [x if x in transfer else None for x in names] if transfer else None
    used = (sw > 0) | np.array([x in transfer for x in names], dtype=bool)
    return used, sw, aux


def grouped_cv(d, ds: str, fit: dict, regressor, *, n_splits: int):
    """Out-of-fold predictions for the rows of data set ``ds`` in ``d`` (a ground-truth table, index 0..n-1).

    ``GroupKFold`` on ``group`` (NYT: the editorial); each fold is predicted by
    ``regressor()`` (a fresh :class:`ToneRegressor`) fitted on the other folds
    of ``ds`` plus every row of the other data sets that the recipe ``fit``
    uses (:func:`training_rows`). A row never trains the model that scores it.
    """
    import numpy as np
    from sklearn.model_selection import GroupKFold

    here = np.flatnonzero((d["dataset"] == ds).to_numpy())
    used, sw, aux = training_rows(d["dataset"], fit)
    others = np.flatnonzero(used & (d["dataset"] != ds).to_numpy())
    texts = d["text"].tolist()
    y = d["target"].to_numpy(float)
    out = np.full(len(here), np.nan)
    k = min(n_splits, d["group"].iloc[here].nunique())
    for tr, te in GroupKFold(n_splits=k).split(here, groups=d["group"].iloc[here]):
        train = np.concatenate([here[tr], others])
        reg = regressor()
        reg.fit([texts[i] for i in train], y[train], sample_weight=sw[train],
                aux=None if aux is None else [aux[i] for i in train])
        out[te] = reg.predict([texts[i] for i in here[te]])
    return out


def cross_validate_tone(data, *, model: str = "default", n_splits: int = 10, datasets=None, embed=None):
    """Cross-validated ``tone`` predictions for the rows of ``data``.

    For each data set ``d`` scored, its rows are split by ``GroupKFold(n_splits)``
    on ``group`` (NYT: the editorial); each fold's rows are predicted by a model
    refitted, with the shipped model's hyperparameters (its JSON ``fit``
    section), on the other folds of ``d`` plus the rows of the other data sets
    that the shipped model trains on: with the same sample weights in the main
    ridge, or as the rows of its transfer heads (the embeddings model's
    ``transfer_sets``; a scored transfer set's own heads see only its training
    folds). A row never trains the model that scores it.

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

    from tradelib._tone_model import load_model, regressor_from_spec

    spec = load_model(model).spec
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
    for ds in datasets if datasets is not None else d["dataset"].unique().tolist():
        here = np.flatnonzero((d["dataset"] == ds).to_numpy())
        if not training_rows([ds], spec["fit"])[0][0]:
            # never trained on: the shipped model's scores are out-of-sample
            from tradelib.tone import score_tone

            sub = d["text"].iloc[here].tolist()
            pred[here] = score_tone(sub, model=model)["tone"].to_numpy() if sub else []
            continue
        pred[here] = grouped_cv(d, ds, spec["fit"], lambda: regressor_from_spec(spec, embed=embed),
                                n_splits=n_splits)
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

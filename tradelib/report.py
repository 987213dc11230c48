"""The self-contained HTML report of a run folder.

:func:`save_figures` draws the report's figures from the run's Parquet tables
into ``figures/`` (PNG and SVG); :func:`render_report` fills the Jinja
template ``tradelib/templates/report.html.j2`` and writes ``report.html``.

The page makes no external request: no scripts at all, figures embedded as
base64 PNG, styles inline. Every piece of article text goes through Jinja's
autoescaping, so markup in an article (``<script>``, ``<img onerror=...>``)
shows as text and never runs.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from tradelib import figures
from tradelib.errors import PipelineError
from tradelib.pipeline import count_rows, table, table_path, versions

#: At most this many articles get a detailed section (all of them when the run has no more).
DETAIL_ARTICLES = 10
#: At most this many rows in the report's list of articles.
LIST_ARTICLES = 200
SIDES = ["US", "China", "both", "other", "none"]
CORPUS_SERIES = [
    ("mean_tone", "mean tone,\ntrade articles"),
    ("escalation_index", "escalation index"),
    ("tpu", "trade-policy\nuncertainty\n(mean = 100)"),
]


def detail_ids(tables: dict[str, pd.DataFrame], n: int = DETAIL_ARTICLES) -> list[str]:
    """Articles that get a detailed section: the ``n`` most trade-relevant (then earliest, then by id)."""
    arts = tables["articles"][["article_id", "published"]]
    rel = tables.get("relevance")
    if rel is not None and len(rel):
        arts = arts.merge(rel[["article_id", "trade_score"]], on="article_id", how="left")
    else:
        arts = arts.assign(trade_score=0.0)
    arts = arts.sort_values(["trade_score", "published", "article_id"], ascending=[False, True, True],
                            na_position="last", kind="stable")
    return arts["article_id"].head(n).tolist()


def _has_series(tables: dict[str, pd.DataFrame]) -> bool:
    c = tables.get("corpus")
    return c is not None and len(c) >= 2


def make_figures(tables: dict[str, Any], *, detail: int = DETAIL_ARTICLES) -> dict[str, Any]:
    """All figures of the report as ``{name: matplotlib Figure}`` (names are file stems).

    ``tables`` holds the run's tables by name; the sentence-level ones may
    instead be under ``tables["detail"]``, read for the detailed articles only.
    """
    figs: dict[str, Any] = {}
    d = tables.get("detail", tables)
    for i, aid in enumerate(detail_ids(tables, detail)):
        figs[f"tone_arc_{i:02d}"] = figures.tone_arc(d["sentences"], d["tone"], d.get("stance"), aid)
        sb = d.get("stance_by_side")
        if sb is not None and len(sb[sb["article_id"] == aid]):
            figs[f"sides_{i:02d}"] = figures.stance_sides(sb, aid)
    from tradelib import _methods

    figs.update(_methods.figures())
    if _has_series(tables):
        figs["corpus_series"] = figures.corpus_series(tables["corpus"], CORPUS_SERIES)
        src = tables.get("corpus_by_source")
        if src is not None and src["source"].nunique() > 1:  # one source: the overall series says it all
            figs["corpus_by_source"] = figures.corpus_groups(src, "source", "mean_tone_all", "mean article tone")
        side = tables.get("corpus_by_side")
        if side is not None and len(side):
            figs["corpus_by_side"] = figures.corpus_groups(side, "side", "escalation_index", "escalation index")
    return figs


#: Tables read whole (one row per article or period, or small).
_WHOLE = ("manifest", "relevance", "article_tone", "corpus", "corpus_by_source", "corpus_by_side")
#: Tables read only for the articles with a detailed section.
_DETAIL = ("articles", "sentences", "tone", "stance", "quotes", "quote_scores", "mentions", "sourcing",
           "stance_by_side")


def _read(run_dir: str | os.PathLike, detail: int = DETAIL_ARTICLES) -> dict[str, Any]:
    """What the report needs from a run folder, without loading sentence-level tables whole.

    Per-article and per-period tables are read whole; ``articles`` without
    the text; the sentence-level tables only for the detailed articles
    (``detail_ids``). ``counts`` gives the rows of every table.
    """
    from tradelib.pipeline import TABLES

    missing = [n for n in TABLES if not table_path(run_dir, n).exists()]
    if missing:
        raise PipelineError(f"{run_dir} lacks tables {missing}: run the notebook chain (or run_pipeline) first")
    t: dict[str, Any] = {n: table(run_dir, n) for n in _WHOLE}
    t["articles"] = table(run_dir, "articles", columns=["article_id", "published", "source", "headline"])
    ids = detail_ids(t, detail)
    t["detail"] = {n: table(run_dir, n, article_ids=ids) for n in _DETAIL}
    t["counts"] = {n: count_rows(table_path(run_dir, n)) for n in TABLES}
    t["skipped"] = table(run_dir, "skipped", head=50)
    t["actors"] = table(run_dir, "mentions", columns=["actor"])["actor"].nunique()
    ca = table(run_dir, "corpus_articles", columns=["article_id", "side", "stance_score"])
    t["article_stance"] = ca[ca["side"] == "all"][["article_id", "stance_score"]]
    return t


def extreme_sentences(run_dir: str | os.PathLike, n: int = 3) -> pd.DataFrame:
    """The ``n`` most negative and ``n`` most positive sentences of a run by tone, with their text."""
    tone = table(run_dir, "tone", columns=["article_id", "sent_idx", "tone"]).dropna(subset=["tone"])
    tone = tone.sort_values(["tone", "article_id", "sent_idx"], kind="stable")
    pick = pd.concat([tone.head(n), tone.tail(n)]).drop_duplicates(["article_id", "sent_idx"])
    sents = table(run_dir, "sentences", article_ids=pick["article_id"].unique())
    out = pick.merge(sents, on=["article_id", "sent_idx"], how="left")
    return out[["article_id", "section", "para_idx", "tone", "text"]].reset_index(drop=True)


def save_figures(run_dir: str | os.PathLike, *, detail: int = DETAIL_ARTICLES) -> dict[str, dict[str, Path]]:
    """Draw the report's figures from the run folder's tables into ``run_dir/figures`` (PNG + SVG)."""
    tables = _read(run_dir, detail)
    fig_dir = Path(run_dir) / "figures"
    if fig_dir.is_dir():
        for old in fig_dir.glob("*"):
            if old.suffix in (".png", ".svg"):
                old.unlink()
    return {name: figures.save(fig, fig_dir, name) for name, fig in make_figures(tables, detail=detail).items()}


# ---- context -----------------------------------------------------------------------------------------


def _date(ts: Any) -> str:
    if ts is None or pd.isna(ts):
        return "no date given"
    return pd.Timestamp(ts).strftime("%Y-%m-%d %H:%M UTC").replace(" 00:00 UTC", "")


def _num(v: Any, fmt: str = "{:+.2f}") -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return "–"
    try:
        return fmt.format(float(v))
    except (TypeError, ValueError):
        return str(v)


def _none(v: Any) -> Any:
    """Missing values (NaN, NA, NaT) as None, so the template shows them as missing, not as "nan"."""
    if isinstance(v, (list, dict, tuple)):
        return v
    try:
        return None if pd.isna(v) else v
    except (TypeError, ValueError):
        return v


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _none(v) for k, v in r.items()} for r in df.to_dict("records")]


def _rows(df: pd.DataFrame, cols: list[str]) -> list[dict[str, Any]]:
    cols = [c for c in cols if c in df.columns]
    return _records(df[cols])


def _cue_text(cue: Any) -> tuple[str, str]:
    """(phrase, direction) of one entry of a stance ``cues`` list; a modifier is named after the phrase."""
    if isinstance(cue, dict):
        phrase = str(cue.get("text") or cue.get("cue") or cue.get("phrase") or "")
        if cue.get("modifier"):
            phrase += f" [{cue['modifier']}]"
        return phrase, str(cue.get("direction") or "")
    return str(cue), ""


def _side_cues(stance: pd.DataFrame, aid: str) -> dict[str, list[tuple[str, str, int]]]:
    """The cues per side (the cue's own agent when the stance step found one, else the sentence's side)."""
    d = stance[stance["article_id"] == aid]
    out: dict[str, dict[tuple[str, str], int]] = {}
    for side, cues in zip(d["side"], d["cues"]):
        for cue in cues if isinstance(cues, (list, tuple)) else []:
            who = cue.get("side") if isinstance(cue, dict) and cue.get("side") not in (None, "", "none") else side
            key = _cue_text(cue)
            bucket = out.setdefault(str(who), {})
            bucket[key] = bucket.get(key, 0) + 1
    return {
        side: sorted(((p, d, n) for (p, d), n in c.items()), key=lambda r: (-r[2], r[1], r[0]))[:10]
        for side, c in out.items()
    }


def _article_context(run: dict[str, Any], aid: str, i: int, figs: dict[str, str]) -> dict[str, Any]:
    t = {**run, **run["detail"]}
    art = t["articles"].set_index("article_id").loc[aid]
    sents = t["sentences"][t["sentences"]["article_id"] == aid]
    tone = sents.merge(t["tone"][["article_id", "sent_idx", "tone"]], on=["article_id", "sent_idx"], how="left")
    tone = tone.dropna(subset=["tone"])
    ranked = tone.sort_values(["tone", "sent_idx"], kind="stable")
    label = {"headline": "headline", "dek": "dek"}

    def where(r: Any) -> str:
        return label.get(r.section, f"¶{int(r.para_idx) + 1}")

    st = t["stance"][t["stance"]["article_id"] == aid][["sent_idx", "stance", "stance_score"]]
    all_sents = tone.merge(st, on="sent_idx", how="left", suffixes=("", "_stance")).sort_values("sent_idx")

    def pick(d: pd.DataFrame) -> list[dict[str, str]]:
        return [{"text": r.text, "tone": _num(r.tone), "where": where(r)} for r in d.itertuples()]

    quotes = t["quotes"][t["quotes"]["article_id"] == aid].sort_values("quote_idx")
    qs = t.get("quote_scores")
    if qs is not None and len(qs):
        quotes = quotes.merge(qs, on=["article_id", "quote_idx"], how="left", suffixes=("", "_score"))
    mentions = t["mentions"][t["mentions"]["article_id"] == aid]
    sourcing = t["sourcing"][t["sourcing"]["article_id"] == aid]
    src = sourcing.merge(sents[["sent_idx", "text"]], on="sent_idx", how="left")
    by_side = t["stance_by_side"][t["stance_by_side"]["article_id"] == aid].copy()
    by_side["o"] = by_side["side"].map({s: k for k, s in enumerate(SIDES)}).fillna(len(SIDES))
    side_cues = _side_cues(t["stance"], aid)
    at = t["article_tone"].set_index("article_id")
    rel = t["relevance"].set_index("article_id") if len(t["relevance"]) else None
    return {
        "anchor": f"article-{i}",
        "article_id": aid,
        "headline": art["headline"],
        "dek": art["dek"],
        "source": art["source"],
        "date": _date(art["published"]),
        "authors": list(art["authors"] or []),
        "url": art["url"],
        "n_sentences": len(sents),
        "n_paragraphs": int(sents.loc[sents["section"] == "body", "para_idx"].nunique()),
        "n_quotes": len(quotes),
        "n_mentions": len(mentions),
        "actors": mentions.groupby(["actor", "side"]).size().reset_index(name="n")
        .sort_values(["n", "actor"], ascending=[False, True]).to_dict("records"),
        "tone": _num(at.loc[aid, "tone"]) if aid in at.index else "–",
        "trade": (None if rel is None or aid not in rel.index else
                  {"score": _num(rel.loc[aid, "trade_score"], "{:.2f}"),
                   "relevant": bool(rel.loc[aid, "trade_relevant"])}),
        "most_negative": pick(ranked.head(3)[ranked.head(3)["tone"] < 0]),
        "most_positive": pick(ranked.tail(3).iloc[::-1][ranked.tail(3).iloc[::-1]["tone"] > 0]),
        "sentences": [
            {"i": int(r.sent_idx) + 1, "where": where(r), "text": r.text, "tone": _num(r.tone),
             "stance": r.stance if isinstance(r.stance, str) else "–", "stance_score": _num(r.stance_score)}
            for r in all_sents.itertuples()
        ],
        "fig_arc": figs.get(f"tone_arc_{i:02d}"),
        "fig_sides": figs.get(f"sides_{i:02d}"),
        "sides": [
            {**r, "mean_score": _num(r.get("mean_score")), "cues": side_cues.get(str(r["side"]), [])}
            for r in _records(by_side.sort_values(["o", "side"]))
        ],
        "quotes": [
            {**r, "tone": _num(r.get("tone")), "stance_score": _num(r.get("stance_score"))}
            for r in _records(quotes)
        ],
        "sourcing_counts": src["sourcing"].value_counts()
        .reindex(["named", "anonymous", "no_comment", "none"], fill_value=0).to_dict(),
        "sourcing_examples": _rows(src[src["sourcing"].isin(["anonymous", "no_comment"])], ["sourcing", "cue", "text"]),
    }


def _embed(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _validation() -> dict[str, Any]:
    """Validation figures the measures ship with (read from the package's model files), for the methods section."""
    from tradelib import _methods

    return _methods.validation()


def build_context(run_dir: str | os.PathLike, *, detail: int = DETAIL_ARTICLES) -> dict[str, Any]:
    """Everything the template shows, from the run folder's tables, figures and run.json."""
    run_dir = Path(run_dir)
    t = _read(run_dir, detail)
    fig_dir = run_dir / "figures"
    figs = {p.stem: _embed(p) for p in sorted(fig_dir.glob("*.png"))} if fig_dir.is_dir() else {}
    info = json.loads((run_dir / "run.json").read_text()) if (run_dir / "run.json").is_file() else {}
    arts = t["articles"]
    listing = arts[["article_id", "published", "source", "headline"]]
    listing = listing.merge(t["article_tone"][["article_id", "tone"]], on="article_id", how="left")
    listing = listing.merge(t["article_stance"], on="article_id", how="left")
    if len(t.get("relevance", [])):
        listing = listing.merge(t["relevance"][["article_id", "trade_score", "trade_relevant"]],
                                on="article_id", how="left")
    if len(listing) > LIST_ARTICLES and "trade_score" in listing.columns:  # a big corpus: the most trade-relevant
        listing = listing.sort_values(["trade_score", "article_id"], ascending=[False, True], kind="stable")
        listing = listing.head(LIST_ARTICLES)
    listing = listing.sort_values(["published", "article_id"], na_position="last", kind="stable")
    ids = detail_ids(t, detail)
    corpus = t.get("corpus")
    return {
        "title": arts["headline"].iloc[0] if len(arts) == 1 else f"{len(arts)} articles",
        "n_articles": len(arts),
        "n_sentences": t["counts"]["sentences"],
        "n_quotes": t["counts"]["quotes"],
        "n_mentions": t["counts"]["mentions"],
        "n_actors": int(t["actors"]),
        "n_relevant": int(t["relevance"]["trade_relevant"].sum()) if len(t.get("relevance", [])) else None,
        "manifest": _rows(t["manifest"], ["what", "count"]),
        "skipped": _rows(t["skipped"].head(50), ["path", "record", "reason"]),
        "n_skipped": t["counts"]["skipped"],
        "articles": [
            {**r, "date": _date(r["published"]), "tone": _num(r.get("tone")),
             "stance_score": _num(r.get("stance_score")), "trade_score": _num(r.get("trade_score"), "{:.2f}")}
            for r in _records(listing.head(LIST_ARTICLES))
        ],
        "n_listed": min(len(listing), LIST_ARTICLES),
        "details": [_article_context(t, aid, i, figs) for i, aid in enumerate(ids)],
        "series": _has_series(t),
        "corpus_freq": _freq(info, arts),
        "corpus_rows": [] if corpus is None else [
            {**r, "period": pd.Timestamp(r["period"]).strftime("%Y-%m-%d"),
             **{c: _num(r.get(c), "{:.0f}" if c == "tpu" else "{:+.2f}") for c, _ in CORPUS_SERIES}}
            for r in _records(corpus)
        ],
        "figs": figs,
        "run": info,
        "versions": info.get("versions") or versions(),
        "validation": _validation(),
    }


def _freq(info: dict[str, Any], articles: pd.DataFrame) -> str:
    from tradelib.pipeline import choose_freq

    freq = (info.get("parameters") or {}).get("freq") or "auto"
    return choose_freq(articles["published"]) if freq == "auto" else freq


def render_report(run_dir: str | os.PathLike, *, out: str | os.PathLike | None = None,
                  detail: int = DETAIL_ARTICLES) -> Path:
    """Render ``report.html`` from a run folder's tables and figures.

    Parameters
    ----------
    run_dir : path
        A run folder holding ``tables/`` (and ``figures/``; drawn when missing).
    out : path, optional
        Where to write; ``run_dir/report.html`` by default. The file is written
        to a temporary name first and renamed, so a failed render leaves none.
    detail : int
        How many articles get a detailed section.

    Returns
    -------
    pathlib.Path
        The report written.
    """
    import jinja2

    run_dir = Path(run_dir)
    if not (run_dir / "figures").is_dir():
        save_figures(run_dir, detail=detail)
    ctx = build_context(run_dir, detail=detail)
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("tradelib", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    html = env.get_template("report.html.j2").render(**ctx)
    out = Path(out) if out is not None else run_dir / "report.html"
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, out)
    return out

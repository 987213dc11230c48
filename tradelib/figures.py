"""The figures of the report and the notebooks, as matplotlib ``Figure`` objects (no pyplot state).

Each function takes tables of one run and returns a Figure that a notebook
shows as it is and :func:`tradelib.report.save_figures` writes as PNG and SVG.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

NEG, POS, MIX, NEU = "#c0392b", "#1e8449", "#8e7cc3", "#95a5a6"
ESC, DEESC = "#c0392b", "#2471a3"
SIDE_ORDER = ["US", "China", "both", "other", "none"]


class ReportFigure(Figure):
    """A matplotlib Figure that shows itself as PNG in Jupyter without pyplot."""

    def _repr_png_(self) -> bytes:
        import io

        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=90)
        return buf.getvalue()


def _label(text: object) -> str:
    """Text for a legend or tick label: a ``$`` in data must not start matplotlib mathtext."""
    return str(text).replace("$", r"\$")


def _finish(fig: Figure) -> Figure:
    fig.set_layout_engine("constrained")
    return fig


def save(fig: Figure, fig_dir: str | Path, name: str) -> dict[str, Path]:
    """Write ``name.png`` and ``name.svg`` without timestamps (same figure, same bytes)."""
    import matplotlib

    fig_dir = Path(fig_dir)
    fig_dir.mkdir(parents=True, exist_ok=True)
    out = {"png": fig_dir / f"{name}.png", "svg": fig_dir / f"{name}.svg"}
    with matplotlib.rc_context({"svg.hashsalt": "tradelib", "svg.fonttype": "path"}):
        fig.savefig(out["png"], dpi=110, metadata={"Software": None})
        fig.set_layout_engine("none")  # keep the layout of that first draw: SVG (and any later save) agree with it
        fig.savefig(out["svg"], metadata={"Date": None, "Creator": None})
    # clip-path ids hash object reprs that differ between runs: number them in order of appearance
    svg = out["svg"].read_text(encoding="utf-8")
    ids: dict[str, str] = {}
    svg = re.sub(r"(?<=[\"#])p[0-9a-f]{10}(?=[\")])", lambda m: ids.setdefault(m.group(0), f"clip{len(ids):04d}"), svg)
    out["svg"].write_text(svg, encoding="utf-8")
    return out


def tone_arc(sentences: pd.DataFrame, tone: pd.DataFrame, stance: pd.DataFrame | None, article_id: str) -> Figure:
    """Tone (and stance, when given) sentence by sentence through one article.

    Headline and dek are shaded and labelled; a dashed line marks the start of
    each body paragraph (numbered from 1 along the top).
    """
    s = sentences[sentences["article_id"] == article_id].sort_values("sent_idx")
    t = s.merge(tone[["article_id", "sent_idx", "tone"]], on=["article_id", "sent_idx"], how="left")
    has_stance = stance is not None and "stance_score" in stance.columns and len(stance)
    nrows = 2 if has_stance else 1
    fig = ReportFigure(figsize=(9, 4.6 if has_stance else 3.0))
    axes = fig.subplots(nrows, 1, sharex=True, squeeze=False)[:, 0]
    x = t["sent_idx"].to_numpy()
    y = t["tone"].fillna(0).to_numpy(dtype=float)
    ax = axes[0]
    ax.bar(x, y, color=[NEG if v < -0.05 else POS if v > 0.05 else NEU for v in y], width=0.8)
    ax.axhline(0, color="black", lw=0.6)
    ax.set_ylabel("tone\n(-1 neg … +1 pos)")
    lim = max(0.2, float(np.nanmax(np.abs(y))) * 1.15) if len(y) else 1
    ax.set_ylim(-lim, lim)
    if has_stance:
        st = s.merge(stance[["article_id", "sent_idx", "stance_score"]], on=["article_id", "sent_idx"], how="left")
        z = st["stance_score"].fillna(0).to_numpy(dtype=float)
        axes[1].bar(x, z, color=[ESC if v > 0 else DEESC for v in z], width=0.8)
        axes[1].axhline(0, color="black", lw=0.6)
        axes[1].set_ylim(-1.1, 1.1)
        axes[1].set_ylabel("stance\n(+ escalation,\n− de-escalation)")
    for a in axes:
        for section, colour in (("headline", "#f4d03f"), ("dek", "#f9e79f")):
            idx = t.loc[t["section"] == section, "sent_idx"]
            if len(idx):
                a.axvspan(idx.min() - 0.5, idx.max() + 0.5, color=colour, alpha=0.35, lw=0, zorder=0)
        starts = t[t["section"] == "body"].groupby("para_idx")["sent_idx"].min()
        for p in starts:
            a.axvline(p - 0.5, color="grey", ls=":", lw=0.7)
    ticks, labels = [], []
    for section, short in (("headline", "head"), ("dek", "dek")):
        idx = t.loc[t["section"] == section, "sent_idx"]
        if len(idx):
            ticks.append((idx.min() + idx.max()) / 2)
            labels.append(short)
    starts = t[t["section"] == "body"].groupby("para_idx")["sent_idx"].min()
    ticks += [float(v) for v in starts.to_numpy()]
    labels += [f"¶{p + 1}" for p in starts.index]
    top = ax.secondary_xaxis("top")
    top.set_xticks(ticks, labels, fontsize=7)
    axes[-1].set_xlabel("sentence, in reading order")
    if len(x):
        axes[-1].set_xlim(x.min() - 0.7, x.max() + 0.7)
    return _finish(fig)


def stance_sides(by_side: pd.DataFrame, article_id: str | None = None) -> Figure:
    """Escalation versus de-escalation sentences by side (de-escalation to the left)."""
    d = by_side if article_id is None else by_side[by_side["article_id"] == article_id]
    d = d.groupby("side", as_index=False)[["n_escalation", "n_de_escalation", "n_mixed"]].sum()
    d["order"] = d["side"].map({s: i for i, s in enumerate(SIDE_ORDER)}).fillna(len(SIDE_ORDER))
    d = d.sort_values(["order", "side"], ascending=[False, True])
    fig = ReportFigure(figsize=(7, 0.5 + 0.55 * max(1, len(d))))
    ax = fig.subplots()
    yy = np.arange(len(d))
    ax.barh(yy, -d["n_de_escalation"], color=DEESC, label="de-escalation")
    ax.barh(yy, d["n_escalation"], color=ESC, label="escalation")
    ax.barh(yy, d["n_mixed"], left=d["n_escalation"], color=MIX, label="mixed")
    ax.set_yticks(yy, [_label(v) for v in d["side"]])
    ax.axvline(0, color="black", lw=0.6)
    ax.set_xlabel("sentences (de-escalation ←   → escalation)")
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    m = max(1, int(d[["n_de_escalation"]].max().max() if len(d) else 1),
            int((d["n_escalation"] + d["n_mixed"]).max() if len(d) else 1))
    ax.set_xlim(-m - 0.5, m + 0.5)
    return _finish(fig)


def _period_axis(ax, periods: pd.Series) -> None:
    ax.tick_params(axis="x", labelrotation=30, labelsize=7)


def corpus_series(corpus: pd.DataFrame, series: list[tuple[str, str]], count_col: str = "n_articles") -> Figure:
    """Stacked panels, one per (column, label), with the article count per period under them."""
    series = [(c, lab) for c, lab in series if c in corpus.columns]
    fig = ReportFigure(figsize=(9, 1.9 * len(series) + 1.6))
    ratios = [3] * len(series) + [2]
    axes = fig.subplots(len(series) + 1, 1, sharex=True, gridspec_kw={"height_ratios": ratios})
    x = pd.to_datetime(corpus["period"]).dt.tz_localize(None) if len(corpus) else pd.Series(dtype="datetime64[ns]")
    for ax, (col, label) in zip(axes, series):
        ax.plot(x, corpus[col].astype(float), marker="o", ms=3, lw=1.2, color="#1f4e79")
        ax.axhline(100 if col.startswith("tpu") else 0, color="grey", lw=0.6, ls="--")
        ax.set_ylabel(label, fontsize=8)
    width = _bar_width(x)
    axes[-1].bar(x, corpus[count_col] if count_col in corpus else 0, width=width, color="#7f8c8d",
                 label="articles")
    if "n_relevant" in corpus.columns:
        axes[-1].bar(x, corpus["n_relevant"], width=width, color="#2e86c1", label="trade-relevant")
    axes[-1].set_ylabel("articles\nper period", fontsize=8)
    axes[-1].legend(fontsize=7, frameon=False, loc="upper left")
    _period_axis(axes[-1], x)
    return _finish(fig)


def _bar_width(x: pd.Series) -> float:
    if len(x) < 2:
        return 5.0
    return float(np.median(np.diff(np.sort(x.to_numpy()).astype("datetime64[s]").astype(float)))) / 86400 * 0.8


def corpus_groups(table: pd.DataFrame, by: str, value: str, label: str, *, max_groups: int = 6) -> Figure:
    """One line per group (source or side) of ``value`` over time, with counts per group under it."""
    d = table.copy()
    d["period"] = pd.to_datetime(d["period"]).dt.tz_localize(None)
    totals = d.groupby(by)["n_articles"].sum().sort_values(ascending=False, kind="stable")
    groups = list(totals.index[:max_groups])
    fig = ReportFigure(figsize=(9, 4.6))
    ax, axc = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 2]})
    for g in groups:
        gd = d[d[by] == g].sort_values("period")
        ax.plot(gd["period"], gd[value].astype(float), marker="o", ms=3, lw=1.2, label=_label(g))
        axc.plot(gd["period"], gd["n_articles"], lw=1, marker=".", label=_label(g))
    ax.axhline(0, color="grey", lw=0.6, ls="--")
    ax.set_ylabel(label, fontsize=8)
    ax.legend(fontsize=7, frameon=False, ncols=min(3, max(1, len(groups))))
    axc.set_ylabel("articles\nper period", fontsize=8)
    _period_axis(axc, d["period"])
    return _finish(fig)


def validation_bars(table: pd.DataFrame, *, x: str, y: str, hue: str | None, title: str) -> Figure:
    """A grouped bar chart of a validation table (e.g. Pearson r by data set and measure)."""
    fig = ReportFigure(figsize=(8, 3.2))
    ax = fig.subplots()
    if hue is None:
        ax.bar(table[x].astype(str), table[y].astype(float), color="#1f4e79")
    else:
        cats = list(dict.fromkeys(table[x].astype(str)))
        hues = list(dict.fromkeys(table[hue].astype(str)))
        w = 0.8 / max(1, len(hues))
        for i, h in enumerate(hues):
            d = table[table[hue].astype(str) == h].set_index(table[x].astype(str).name)
            vals = [float(d.loc[c, y]) if c in d.index.astype(str) else np.nan for c in cats]
            ax.bar(np.arange(len(cats)) + i * w - 0.4 + w / 2, vals, width=w, label=h)
        ax.set_xticks(np.arange(len(cats)), cats, fontsize=8)
        ax.legend(fontsize=7, frameon=False)
    ax.set_ylabel(y)
    ax.set_title(title, fontsize=9)
    return _finish(fig)


def confusion(matrix: pd.DataFrame, title: str) -> Figure:
    """A labelled confusion matrix (rows: true label, columns: predicted)."""
    fig = ReportFigure(figsize=(4.6, 4.0))
    ax = fig.subplots()
    m = matrix.to_numpy(dtype=float)
    ax.imshow(m, cmap="Blues")
    ax.set_xticks(range(m.shape[1]), [str(c) for c in matrix.columns], rotation=30, fontsize=8)
    ax.set_yticks(range(m.shape[0]), [str(c) for c in matrix.index], fontsize=8)
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            ax.text(j, i, f"{m[i, j]:g}", ha="center", va="center", fontsize=8,
                    color="white" if m[i, j] > m.max() / 2 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("labelled")
    ax.set_title(title, fontsize=9)
    return _finish(fig)

"""report.html: self-contained, no scripts or external requests, article text escaped, the content a reader needs."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from conftest import SEEDS, TEST_DATA

import tradelib
from tradelib import figures, pipeline, report
from tradelib.errors import PipelineError

CORPUS = TEST_DATA / "corpus"


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the page's visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _parse(page: str) -> _Tags:
    p = _Tags()
    p.feed(page)
    return p


@pytest.fixture(scope="module")
def seed_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed")
    tradelib.run_pipeline(SEEDS, out_dir=out)
    return out


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    tradelib.run_pipeline(CORPUS, out_dir=out)
    return out


@pytest.fixture(params=["seed", "corpus"])
def page(request, seed_dir, corpus_dir):
    run = seed_dir if request.param == "seed" else corpus_dir
    return (run / "report.html").read_text(encoding="utf-8")


def test_no_scripts_no_external_resources(page):
    tags = _parse(page).tags
    names = {t for t, _ in tags}
    assert not names & {"script", "iframe", "object", "embed", "link", "base", "frame"}
    for tag, attrs in tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        if "src" in attrs:
            assert attrs["src"].startswith("data:image/png;base64,"), (tag, attrs["src"][:60])
        if "href" in attrs:
            assert attrs["href"].startswith("#"), (tag, attrs["href"])
    # no URL to fetch anything from, anywhere in the markup (CDN MathJax, require.js, fonts...)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", page, re.I)
    assert "mathjax" not in page.lower() and "require.js" not in page.lower()
    assert "http://" not in page.replace("http-equiv", "")
    assert "https://" not in page


def test_every_figure_embedded_is_a_png(page):
    imgs = [a["src"] for t, a in _parse(page).tags if t == "img"]
    assert imgs
    import base64

    for src in imgs:
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"


def test_hostile_article_shows_as_text(corpus_dir):
    page = (corpus_dir / "report.html").read_text(encoding="utf-8")
    parsed = _parse(page)
    text = "".join(parsed.text)
    # the payloads are in the page as text a reader sees...
    for payload in ['<script>window.__pwned = 1; document.title = "pwned";</script>',
                    "<img src=x onerror=\"window.__pwned = 2; document.title = 'pwned'\">",
                    "**sharply** $x^2$", r"$$\sum_i t_i$$", "[details](javascript:window.__pwned=5)",
                    "{{ 7*7 }} {% raw %} ${1+1}", "<b>Eve</b> Mallory", "Hostile <i>Times</i>",
                    '<iframe src="javascript:window.__pwned=7"></iframe>']:
        assert payload in text, payload
    # ...and none of them became markup
    assert not any(t in ("script", "iframe", "i") for t, _ in parsed.tags)
    assert sum(t == "b" for t, _ in parsed.tags) == page.count('<div class="card"><b>')  # only the report's own
    assert sum(t == "img" for t, _ in parsed.tags) == len(list((corpus_dir / "figures").glob("*.png")))
    assert "49" not in text.split("{{ 7*7 }}")[0][-5:]
    assert html.escape("<script>") in page


def test_seed_report_content(seed_dir):
    page = (seed_dir / "report.html").read_text(encoding="utf-8")
    text = " ".join("".join(_parse(page).text).split())
    res = pipeline.read_tables(seed_dir)
    art = res["articles"].iloc[0]
    assert art["headline"] in text
    for author in art["authors"]:
        assert author in text
    assert art["source"] in text
    assert "no date given" in text
    for label in ("Tone arc", "Most negative sentences", "Most positive sentences",
                  "Escalation versus de-escalation by side", "Quotes", "Sourcing", "Load manifest",
                  "Methods, validation and versions", "headline", "dek"):
        assert label in text, label
    # counts the reader needs, as computed by the pipeline
    assert f"{len(res['sentences'])} sentences" in text
    assert f"{len(res['quotes'])} quotes" in text
    for quote in res["quotes"]["text"]:
        assert " ".join(quote.split()) in text
    # the most negative sentence by tone is quoted
    scored = res["sentences"].merge(res["tone"], on=["article_id", "sent_idx"])
    assert scored.sort_values("tone").iloc[0]["text"] in text
    # anonymous sourcing of the seed is listed
    assert "anonymous" in text
    # versions and input checksum
    assert tradelib.__version__ in text and "pandas" in text
    # no code cells
    assert "pipeline.step_" not in text and "In [" not in text
    # one tone arc and one side figure for the one article, no corpus series
    assert "Tone and stance over time" not in text


def test_corpus_report_has_series_and_article_list(corpus_dir):
    page = (corpus_dir / "report.html").read_text(encoding="utf-8")
    text = " ".join("".join(_parse(page).text).split())
    assert "Tone and stance over time" in text
    assert "articles per period" in text.lower() or "number of articles per period" in text
    assert "All 8 articles by date." in text
    for fig in ("corpus_series", "corpus_by_source", "corpus_by_side"):
        assert (corpus_dir / "figures" / f"{fig}.png").is_file() and (corpus_dir / "figures" / f"{fig}.svg").is_file()
    assert "unsupported file type" in text  # the manifest's skipped README


def test_figures_are_deterministic(corpus_dir, tmp_path):
    tables = pipeline.read_tables(corpus_dir)
    def arc():
        return figures.tone_arc(tables["sentences"], tables["tone"], tables["stance"], "fx-01")

    fig = arc()
    a = figures.save(fig, tmp_path / "a", "arc")
    b = figures.save(arc(), tmp_path / "b", "arc")
    c = figures.save(fig, tmp_path / "c", "arc")  # saving the same figure again
    assert c["svg"].read_bytes() == a["svg"].read_bytes()
    assert a["svg"].read_bytes() == b["svg"].read_bytes()
    assert a["png"].read_bytes() == b["png"].read_bytes()
    assert fig._repr_png_()[:4] == b"\x89PNG"


def test_detail_articles_are_the_most_relevant(corpus_dir):
    tables = pipeline.read_tables(corpus_dir)
    ids = report.detail_ids(tables, 3)
    rel = tables["relevance"].sort_values(["trade_score", "article_id"], ascending=[False, True])
    assert ids == rel["article_id"].head(3).tolist()


def test_render_without_tables_fails_and_writes_nothing(tmp_path):
    (tmp_path / "tables").mkdir()
    with pytest.raises(PipelineError, match="lacks tables"):
        report.render_report(tmp_path)
    assert not (tmp_path / "report.html").exists()


def test_methods_show_the_shipped_validation_figures(seed_dir):
    from tradelib import _methods

    data = _methods.validation()
    assert data.get("sections"), "tradelib/data/validation.json ships with the package"
    page = (seed_dir / "report.html").read_text(encoding="utf-8")
    text = " ".join("".join(_parse(page).text).split())
    assert data["command"] in text
    for sec in data["sections"]:
        assert sec["title"] in text
        for row in sec["rows"]:
            for col in sec["columns"]:
                v = row[col]
                shown = f"{v:.3f}" if isinstance(v, float) else str(v)
                assert shown in text, (sec["key"], col, shown)
        if sec.get("figure"):
            assert (seed_dir / "figures" / f"validation_{sec['key']}.png").is_file()

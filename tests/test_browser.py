"""report.html in headless Debian Chromium.

Images load, no console errors, no request leaves the page, no script from article text runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SEEDS, TEST_DATA

import tradelib

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.is_file(), reason="Debian chromium (/usr/bin/chromium) is not installed: "
                       "`make test` installs it with scripts/ensure_chromium.sh"),
]


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    """Open a report in a fresh profile; returns a function report_dir -> observations."""
    sync_api = pytest.importorskip("playwright.sync_api")

    def open_report(run_dir: Path, shot: str) -> dict:
        profile = tmp_path_factory.mktemp("profile")
        with sync_api.sync_playwright() as pw:
            ctx = pw.chromium.launch_persistent_context(
                str(profile), executable_path=str(CHROMIUM), headless=True, args=FLAGS,
                viewport={"width": 1100, "height": 900}, offline=True,
            )
            try:
                page = ctx.new_page()
                console, errors, requests = [], [], []
                page.on("console", lambda m: console.append((m.type, m.text)))
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.on("request", lambda r: requests.append(r.url))
                page.goto((run_dir / "report.html").as_uri(), wait_until="load")
                page.wait_for_timeout(300)  # give any (unwanted) script or onerror handler time to run
                page.screenshot(path=str(run_dir / shot), full_page=True)
                obs = {
                    "console": console,
                    "errors": errors,
                    "requests": requests,
                    "title": page.title(),
                    "pwned": page.evaluate("typeof window.__pwned === 'undefined' ? null : window.__pwned"),
                    "images": page.evaluate(
                        "Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.naturalHeight])"),
                    "scripts": page.evaluate("document.scripts.length"),
                    "iframes": page.evaluate("document.querySelectorAll('iframe, object, embed').length"),
                    "text": page.inner_text("body"),
                }
            finally:
                ctx.close()
        return obs

    return open_report


@pytest.fixture(scope="module")
def seed_obs(browser_page, tmp_path_factory):
    out = tmp_path_factory.mktemp("seed-report")
    tradelib.run_pipeline(SEEDS, out_dir=out)
    return out, browser_page(out, "report.png")


@pytest.fixture(scope="module")
def corpus_obs(browser_page, tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus-report")
    tradelib.run_pipeline(TEST_DATA / "corpus", out_dir=out)
    return out, browser_page(out, "report.png")


@pytest.fixture(params=["seed", "corpus"])
def obs(request, seed_obs, corpus_obs):
    return seed_obs if request.param == "seed" else corpus_obs


def test_every_image_loads(obs):
    run_dir, o = obs
    assert o["images"], "the report has figures"
    assert len(o["images"]) == len(list((run_dir / "figures").glob("*.png")))
    for complete, width, height in o["images"]:
        assert complete and width > 0 and height > 0


def test_no_console_errors(obs):
    _, o = obs
    assert o["errors"] == []
    assert [m for m in o["console"] if m[0] in ("error", "warning")] == []


def test_no_network_request(obs):
    run_dir, o = obs
    page_url = (run_dir / "report.html").as_uri()
    assert [u for u in o["requests"] if u != page_url and not u.startswith("data:")] == []


def test_screenshot_in_run_folder(obs):
    run_dir, _ = obs
    shot = run_dir / "report.png"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000


def test_hostile_article_script_did_not_run(corpus_obs):
    _, o = corpus_obs
    assert o["pwned"] is None
    assert o["title"] == "tradelib report: 8 articles"
    assert o["scripts"] == 0 and o["iframes"] == 0
    # the payloads are shown as text instead
    assert '<script>window.__pwned = 1; document.title = "pwned";</script>' in o["text"]
    assert "<img src=x onerror=" in o["text"]
    assert "$x^2$" in o["text"] and "**sharply**" in o["text"]


def test_seed_report_reads_as_the_article(seed_obs):
    run_dir, o = seed_obs
    assert o["title"] == "tradelib report: How China and the US are racing to de-escalate the trade war"
    assert "Brian Schwartz" in o["text"] and "Tone arc" in o["text"]


def test_the_checks_can_fail(browser_page, tmp_path):
    """The same observations on a page that does run a script and load a broken image."""
    (tmp_path / "report.html").write_text(
        "<html><body><script>window.__pwned = 1; document.title = 'pwned'; console.error('boom')</script>"
        "<img src='missing.png'></body></html>")
    o = browser_page(tmp_path, "report.png")
    assert o["pwned"] == 1 and o["title"] == "pwned" and o["scripts"] == 1
    assert ("error", "boom") in o["console"]
    assert o["images"] == [[True, 0, 0]]
    assert any(u.endswith("missing.png") for u in o["requests"])

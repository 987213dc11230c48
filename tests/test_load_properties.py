"""Property-based: random bytes and garbled versions of every format never crash the loader."""

from __future__ import annotations

import tempfile
from pathlib import Path

from conftest import TEST_DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tradelib
from tradelib.load import load_articles

SAMPLES = {p.suffix: p.read_bytes() for p in sorted((TEST_DATA / "load").iterdir())
           if p.suffix in {".sgm", ".html", ".csv", ".jsonl", ".json", ".rss", ".atom"}}
SAMPLES[".txt"] = (TEST_DATA.parent.parent / "seeds" / "000_82dc86d613431f07.txt").read_bytes()
EXTENSIONS = sorted(SAMPLES)


@st.composite
def garbled(draw):
    ext = draw(st.sampled_from(EXTENSIONS))
    data = SAMPLES[ext]
    kind = draw(st.sampled_from(["random", "truncate", "flip", "splice"]))
    if kind == "random":
        data = draw(st.binary(max_size=400))
    elif kind == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif kind == "flip":
        pos = draw(st.lists(st.integers(0, max(0, len(data) - 1)), max_size=8))
        buf = bytearray(data)
        for p in pos:
            if buf:
                buf[p] = draw(st.integers(0, 255))
        data = bytes(buf)
    else:
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.binary(max_size=50)) + data[cut:]
    return ext, data


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(garbled())
def test_record_mode_always_reconciles(case):
    ext, data = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{ext}"
        path.write_bytes(data)
        result = load_articles(path)
        assert len(result.articles) + len(result.skipped) == result.seen >= 1
        assert result.articles.article_id.is_unique
        assert all(isinstance(r, str) and r for r in result.skipped.reason)


@SETTINGS
@given(garbled())
def test_raise_mode_only_raises_load_error(case):
    ext, data = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{ext}"
        path.write_bytes(data)
        try:
            load_articles(path, on_error="raise")
        except tradelib.LoadError as exc:
            assert str(path) in str(exc)

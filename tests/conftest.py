"""Shared fixtures: paths to the seed, to ../shared data, and the seed's tables."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_FILE = SEEDS / "000_82dc86d613431f07.txt"
TEST_DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"
REUTERS = SHARED / "data" / "reuters21578"
VADER_GT = SHARED / "data" / "vader_ground_truth"

needs_reuters = pytest.mark.skipif(
    not REUTERS.is_dir(), reason="../shared/data/reuters21578 is absent (third-party data, not in the repo)"
)
needs_vader_gt = pytest.mark.skipif(
    not VADER_GT.is_dir(), reason="../shared/data/vader_ground_truth is absent (third-party data, not in the repo)"
)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED_FILE


@pytest.fixture(scope="session")
def seed_articles():
    import tradelib

    return tradelib.load_articles(SEED_FILE).articles


@pytest.fixture(scope="session")
def seed_sentences(seed_articles):
    import tradelib

    return tradelib.split_sentences(seed_articles)


def table_bytes(path):
    """The bytes of a table file, or of each part file of a partitioned table (by part name)."""
    from pathlib import Path

    path = Path(path)
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.glob("part-*.parquet"))}
    return path.read_bytes()


def run_table_names(run_dir):
    """Names of the tables in a run folder (files and partitioned folders)."""
    from pathlib import Path

    tables = Path(run_dir) / "tables"
    return sorted([p.stem for p in tables.glob("*.parquet")] + [p.name for p in tables.iterdir() if p.is_dir()])

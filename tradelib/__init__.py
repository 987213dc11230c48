"""tradelib: tone and escalation/de-escalation stance of trade-dispute news.

Every public function takes and returns pandas DataFrames keyed by
``article_id`` (and ``sent_idx`` for sentence-level tables). Submodules are
imported lazily, so ``import tradelib`` stays fast and the command-line tool
starts quickly.
"""

from __future__ import annotations

import importlib
from typing import Any

from tradelib.errors import DataFileError, InputError, LoadError, PipelineError, TradelibError

__version__ = "0.1.0"

_PUBLIC = {
    "load_articles": "tradelib.load",
    "LoadResult": "tradelib.load",
    "split_sentences": "tradelib.text",
    "find_actors": "tradelib.actors",
    "extract_quotes": "tradelib.quotes",
    "classify_sourcing": "tradelib.quotes",
    "score_tone": "tradelib.tone",
    "article_tone": "tradelib.tone",
    "score_stance": "tradelib.stance",
    "stance_by_side": "tradelib.stance",
    "trade_relevance": "tradelib.relevance",
    "corpus_index": "tradelib.corpus",
    "run_pipeline": "tradelib.pipeline",
}
_SUBMODULES = {"evaluate", "load", "text", "actors", "quotes", "tone", "stance",
               "relevance", "corpus", "pipeline", "report", "cli"}

__all__ = sorted(_PUBLIC) + ["evaluate", "TradelibError", "LoadError", "InputError",
                             "DataFileError", "PipelineError", "__version__"]


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"tradelib.{name}")
    else:
        raise AttributeError(f"module 'tradelib' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

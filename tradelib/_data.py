"""Reading the files shipped under ``tradelib/data/`` (lexicons, word lists, models).

One place for the lookup and for the errors: a missing or malformed shipped
file raises :class:`tradelib.DataFileError` naming it.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

from tradelib.errors import DataFileError


def data_text(name: str, *, remedy: str = "reinstall tradelib") -> str:
    """The text of ``tradelib/data/<name>``; ``remedy`` says what to do when it is missing."""
    try:
        return (resources.files("tradelib") / "data" / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(f"tradelib data file {name} is missing; {remedy}") from None


def data_toml(name: str) -> dict[str, Any]:
    """``tradelib/data/<name>`` parsed as TOML."""
    try:
        return tomllib.loads(data_text(name))
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"malformed tradelib data file {name}: {exc}") from None

"""Validation figures for the report's methods section.

They are measured by ``scripts/validation_figures.py`` (which needs the
third-party data under ``../shared``) with the functions of
:mod:`tradelib.evaluate`, and shipped as the reviewable file
``tradelib/data/validation.json``. Each section there is::

    {"key": "stance", "title": "...", "text": "...", "command": "...",
     "columns": [...], "rows": [{...}, ...],
     "figure": {"kind": "bars", "x": ..., "y": ..., "hue": ...}
            | {"kind": "confusion", "labels": [...], "matrix": [[...]]}}
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd

from tradelib.errors import DataFileError

VALIDATION_FILE = "validation.json"


@cache
def _load() -> dict[str, Any]:
    try:
        text = (resources.files("tradelib") / "data" / VALIDATION_FILE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(f"tradelib data file {VALIDATION_FILE} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("sections", []), list):
        raise DataFileError(f"tradelib data file {VALIDATION_FILE} lacks a list of sections")
    return data


def validation() -> dict[str, Any]:
    """The shipped validation figures: ``{"generated", "command", "sections": [...]}`` (empty when none ship)."""
    return _load()


def figures() -> dict[str, Any]:
    """Figures of the validation sections, as ``{"validation_<key>": Figure}``."""
    from tradelib import figures as figs

    out: dict[str, Any] = {}
    for sec in validation().get("sections", []):
        spec = sec.get("figure")
        if not spec:
            continue
        name = f"validation_{sec['key']}"
        if spec.get("kind") == "confusion":
            m = pd.DataFrame(spec["matrix"], index=spec["labels"], columns=spec["labels"])
            out[name] = figs.confusion(m, f"{sec['key']}: labelled against predicted")
        elif spec.get("kind") == "bars":
            table = pd.DataFrame(sec["rows"])
            out[name] = figs.validation_bars(table, x=spec["x"], y=spec["y"], hue=spec.get("hue"),
                                             title=f"{sec['key']}: {spec['y']} by {spec['x']}")
    return out

"""The public API: every name importable from tradelib, typed, with a NumPy-style docstring."""

from __future__ import annotations

import inspect

import pytest

import tradelib

FUNCTIONS = ["load_articles", "split_sentences", "find_actors", "extract_quotes", "classify_sourcing",
             "score_tone", "article_tone", "score_stance", "stance_by_side", "trade_relevance",
             "corpus_index", "run_pipeline"]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_public_function_is_documented_and_typed(name):
    func = getattr(tradelib, name)
    doc = inspect.getdoc(func) or ""
    assert "Parameters\n----------" in doc and "Returns\n-------" in doc, f"{name}: NumPy-style docstring"
    sig = inspect.signature(func)
    assert sig.return_annotation is not inspect.Signature.empty, f"{name}: return type"
    for param in sig.parameters.values():
        if param.kind not in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            assert param.annotation is not inspect.Parameter.empty, f"{name}({param.name}): annotation"


def test_errors_share_one_base():
    for err in (tradelib.LoadError, tradelib.InputError, tradelib.DataFileError, tradelib.PipelineError):
        assert issubclass(err, tradelib.TradelibError)


def test_unknown_attribute():
    with pytest.raises(AttributeError):
        tradelib.no_such_thing  # noqa: B018


def test_evaluate_is_a_module():
    assert inspect.ismodule(tradelib.evaluate)

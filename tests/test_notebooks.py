"""The notebook chain: clean committed notebooks, and papermill runs on the seed and on a small corpus."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys

import pandas.testing as pdt
import pytest
from conftest import ROOT, SEEDS, TEST_DATA, run_table_names, table_bytes

import tradelib
from tradelib import cli, pipeline

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CORPUS = TEST_DATA / "corpus"
CHAIN = ["01_load", "02_voices", "03_tone", "04_stance", "05_report"]


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_the_chain_is_numbered():
    assert [p.stem for p in NOTEBOOKS] == CHAIN


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs_or_counts(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], _source(cell)[:60]
            assert cell["execution_count"] is None, _source(cell)[:60]
        assert "attachments" not in cell or not cell["attachments"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_thin_notebooks_with_a_parameters_cell(path):
    cells = _cells(path)
    params = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1 and params[0]["cell_type"] == "code"
    names = cli.notebook_parameters(path)
    assert "run_dir" in names
    if path.stem == "01_load":
        assert "input_path" in names
    # the parameters cell only assigns literals (papermill overrides them)
    for node in ast.parse(_source(params[0])).body:
        assert isinstance(node, ast.Assign)
        ast.literal_eval(node.value)
    code = [_source(c) for c in cells if c["cell_type"] == "code" and c is not params[0]]
    for src in code:
        tree = ast.parse(src)
        assert not any(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda))
                       for n in ast.walk(tree)), src
        assert len(src.splitlines()) <= 8, src  # logic lives in tradelib, not here
    assert cells[0]["cell_type"] == "markdown" and cells[0]["source"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_papermill_reads_every_parameter(path):
    """papermill must parse each parameter line (a comment it cannot parse makes it drop the parameter)."""
    import papermill as pm

    assert list(pm.inspect_notebook(str(path))) == cli.notebook_parameters(path)


def test_every_step_option_is_a_parameter():
    """Each option of run_pipeline is a parameter of the notebook that uses it, with the same default."""
    import inspect

    defaults = {n: p.default for n, p in inspect.signature(tradelib.run_pipeline).parameters.items()
                if p.kind is p.KEYWORD_ONLY}
    rename = {"format": "load_format", "columns": "load_columns"}
    found: dict[str, object] = {}
    for path in NOTEBOOKS:
        params = next(c for c in _cells(path) if "parameters" in c.get("metadata", {}).get("tags", []))
        for node in ast.parse(_source(params)).body:
            found[node.targets[0].id] = ast.literal_eval(node.value)
    for name, default in defaults.items():
        if name in ("out_dir", "report", "progress"):
            continue
        assert rename.get(name, name) in found, name
        assert found[rename.get(name, name)] == default, name


def _run(args, tmp_path):
    return subprocess.run([sys.executable, "-m", "tradelib", "report", *args], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "run"
    proc = _run([str(SEEDS), "--out", str(out)], out.parent)
    assert proc.returncode == 0, proc.stderr
    return out, proc


@pytest.mark.slow
def test_seed_chain_fills_the_run_folder(seed_run):
    out, proc = seed_run
    for name in CHAIN:
        assert (out / f"{name}.ipynb").is_file()
        assert f"{name}.ipynb" in proc.stderr  # progress per notebook
        executed = _cells(out / f"{name}.ipynb")
        code = [c for c in executed if c["cell_type"] == "code"]
        assert all(c["execution_count"] for c in code)
        assert not any(o.get("output_type") == "error" for c in code for o in c["outputs"])
        assert any("injected-parameters" in c.get("metadata", {}).get("tags", []) for c in executed)
    assert run_table_names(out) == sorted(pipeline.TABLES)
    pngs = sorted(p.stem for p in (out / "figures").glob("*.png"))
    assert pngs and pngs == sorted(p.stem for p in (out / "figures").glob("*.svg"))
    assert (out / "report.html").stat().st_size > 10_000
    info = json.loads((out / "run.json").read_text())
    assert info["status"] == "ok" and info["runner"] == "papermill"
    assert list(info["seconds"]) == CHAIN and all(v > 0 for v in info["seconds"].values())
    assert info["parameters"]["input_path"] == [str(SEEDS)]
    assert {f["path"] for f in info["inputs"]} == {str(p) for p in SEEDS.iterdir() if p.is_file()}
    assert all(len(f["sha256"]) == 64 for f in info["inputs"])
    assert info["versions"]["papermill"] and info["versions"]["tradelib"] == tradelib.__version__


@pytest.mark.slow
def test_notebooks_and_run_pipeline_give_the_same_tables(seed_run, tmp_path):
    out, _ = seed_run
    direct = tradelib.run_pipeline(SEEDS.resolve(), out_dir=tmp_path, report=False)
    for name, df in direct.tables().items():
        # byte-identical Parquet: same functions, same options, no timestamps in the files
        assert table_bytes(pipeline.table_path(out, name)) == table_bytes(pipeline.table_path(tmp_path, name)), name
        pdt.assert_frame_equal(pipeline.read_table(pipeline.table_path(out, name)), df, check_dtype=False, obj=name)


@pytest.mark.slow
def test_corpus_chain_and_rerun_in_the_same_folder(tmp_path):
    out = tmp_path / "corpus"
    first = _run([str(CORPUS), "--out", str(out), "--quiet"], tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""
    tables = pipeline.read_tables(out)
    assert len(tables["articles"]) == 8 and tables["corpus"]["n_articles"].sum() == 7
    assert (out / "figures" / "corpus_series.png").is_file()
    before = {n: table_bytes(pipeline.table_path(out, n)) for n in run_table_names(out)}
    (out / "figures" / "stale.png").write_bytes(b"old")
    second = _run([str(CORPUS), "--out", str(out), "--quiet"], tmp_path)
    assert second.returncode == 0, second.stderr
    assert {n: table_bytes(pipeline.table_path(out, n)) for n in run_table_names(out)} == before
    assert not (out / "figures" / "stale.png").exists()


@pytest.mark.slow
def test_failed_run_names_notebook_and_cell_and_leaves_no_report(tmp_path):
    out = tmp_path / "bad"
    out.mkdir()
    (out / "report.html").write_text("stale report of an earlier run")
    # on_error="raise": the fixture's README.md is not an article format, so 01_load raises LoadError
    proc = _run([str(CORPUS), "--out", str(out), "--on-error", "raise", "--quiet"], tmp_path)
    assert proc.returncode == 1
    assert "01_load.ipynb" in proc.stderr and "cell 3" in proc.stderr and "LoadError" in proc.stderr
    assert "README.md" in proc.stderr
    assert not (out / "report.html").exists()
    kept = _cells(out / "01_load.ipynb")
    tb = [o for c in kept if c["cell_type"] == "code" for o in c["outputs"] if o.get("output_type") == "error"]
    assert len(tb) == 1 and tb[0]["ename"] == "LoadError" and tb[0]["traceback"]
    assert not (out / "02_voices.ipynb").exists()
    info = json.loads((out / "run.json").read_text())
    assert info["status"] == "failed"
    assert info["error"]["notebook"] == "01_load.ipynb" and info["error"]["cell"] == 3
    assert list(info["seconds"]) == ["01_load"]


def test_missing_input_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["report", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_console_script_is_declared():
    import tomllib

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["tradelib"] == "tradelib.cli:main"


@pytest.mark.slow
def test_reuters_corpus_through_the_one_command(tmp_path):
    """Issue 7: the Reuters run goes through the same command as any corpus."""
    from conftest import REUTERS

    if not REUTERS.is_dir():
        pytest.skip("../shared/data/reuters21578 is absent (third-party data, not in the repo)")
    out = tmp_path / "reuters"
    proc = subprocess.run([sys.executable, "-m", "tradelib", "report", str(REUTERS), "--out", str(out)],
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert (out / "report.html").is_file()
    tables = pipeline.read_tables(out)
    manifest = tables["manifest"].set_index("what")["count"]
    assert manifest["loaded"] == 21578 and manifest["seen"] == manifest["loaded"] + manifest["skipped"]
    corpus = tables["corpus"]
    assert corpus["n_articles"].sum() == tables["articles"]["published"].notna().sum()
    assert 500 < corpus["n_relevant"].sum() <= tables["relevance"]["trade_relevant"].sum()  # undated ones drop out
    assert corpus["period"].min().year == 1987 and corpus["period"].max().month == 10


@pytest.mark.slow
def test_chain_on_the_dask_engine_gives_the_pandas_tables(tmp_path):
    out = tmp_path / "dask"
    proc = _run([str(CORPUS), "--out", str(out), "--engine", "dask", "--partition-bytes", "3000"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "local Dask cluster: 2 workers" in proc.stderr or "local Dask cluster" in proc.stderr
    info = json.loads((out / "run.json").read_text())
    assert info["engine"]["engine"] == "dask" and info["parameters"]["engine"] == "dask"
    assert (out / "report.html").is_file()
    direct = tradelib.run_pipeline(CORPUS, partition_bytes=3000)
    assert direct.engine["partitions"] > 1
    for name, df in direct.tables().items():
        pdt.assert_frame_equal(pipeline.read_table(pipeline.table_path(out, name)), df, check_dtype=False, obj=name)


def test_report_kernel_keeps_ipykernels_shutdown_noise_off_stderr(tmp_path, monkeypatch):
    """The kernelspec the command registers starts tradelib._kernel, which quiets tornado's logger, then ipykernel."""
    import logging

    from ipykernel import kernelapp

    from tradelib import _kernel

    monkeypatch.setenv("JUPYTER_PATH", "")
    monkeypatch.setattr(sys, "path", list(sys.path))  # main() drops the working folder from it, as ipykernel does
    cli._register_kernel(tmp_path)
    spec = json.loads((tmp_path / "kernels" / cli.KERNEL / "kernel.json").read_text())
    assert spec["argv"][:3] == [sys.executable, "-m", "tradelib._kernel"]
    assert spec["env"]["TRADELIB_KERNEL_STDERR"] == str(tmp_path / cli.KERNEL_STDERR)
    started = []
    monkeypatch.setattr(kernelapp, "launch_new_instance", lambda: started.append(True))
    logger = logging.getLogger("tornado.general")
    monkeypatch.setattr(logger, "level", logging.NOTSET)
    _kernel.main()
    assert started == [True] and logger.level == logging.CRITICAL


def test_report_kernel_writes_its_process_stderr_to_the_named_file(tmp_path):
    """In a kernel-like child process, file descriptor 2 goes to TRADELIB_KERNEL_STDERR, not to the parent's."""
    log = tmp_path / "k.log"
    code = ("import os, sys, types; from ipykernel import kernelapp; "
            "kernelapp.launch_new_instance = lambda: os.write(2, b'zmq noise\\n'); "
            "from tradelib import _kernel; _kernel.main()")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "TRADELIB_KERNEL_STDERR": str(log)}, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stderr == "" and log.read_text() == "zmq noise\n"

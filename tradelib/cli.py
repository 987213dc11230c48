"""Command line: ``tradelib report [INPUT ...] --out DIR`` runs the notebook chain and renders the report.

The numbered notebooks (``notebooks/NN_*.ipynb``) are executed one after the
other with papermill in a fresh ``python3`` kernel each (a kernelspec the
command registers for the run: ipykernel on the interpreter running this
command, started by :mod:`tradelib._kernel`; no Jupyter server). Executed copies, tables, figures, ``run.json``
and ``report.html`` go into the run folder. A failing cell stops the run: the
command names the notebook and the cell, keeps the executed notebook with the
traceback, writes no ``report.html`` and exits with status 1.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tradelib.errors import InputError, PipelineError, TradelibError

#: Notebooks shipped next to the package in a source checkout (``pip install -e .``).
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
KERNEL = "python3"


def notebook_parameters(path: Path) -> list[str]:
    """Names assigned in a notebook's ``parameters`` cell."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            return [t.id for node in ast.parse(src).body if isinstance(node, ast.Assign)
                    for t in node.targets if isinstance(t, ast.Name)]
    raise PipelineError(f"{path.name} has no cell tagged 'parameters'")


#: The kernel process's own stderr, in the kernel's temporary folder (shown when a notebook fails).
KERNEL_STDERR = "kernel-stderr.log"


def _register_kernel(home: Path) -> None:
    """Make kernel name ``python3`` mean this interpreter for the run, whatever kernelspecs the user has.

    A ``kernels/python3/kernel.json`` under a temporary folder put first on
    ``JUPYTER_PATH`` (which Jupyter searches before the user's and the
    environment's folders); notebooks keep the standard name ``python3``.
    """
    spec = home / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "tradelib._kernel", "-f", "{connection_file}"],
        "env": {"TRADELIB_KERNEL_STDERR": str(home / KERNEL_STDERR)},
        "display_name": "Python 3 (ipykernel)", "language": "python",
        "metadata": {"debugger": False},
    }))
    old = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(home)] + ([old] if old else []))


def _clean(run_dir: Path) -> None:
    """Remove what an earlier run left in the folder, so nothing stale mixes with this run."""
    for pattern in ("report.html", "report.html.tmp", "tables/*.parquet", "tables/*/part-*.parquet",
                    "partitions.json", "figures/*.png", "figures/*.svg", "[0-9][0-9]_*.ipynb"):
        for p in run_dir.glob(pattern):
            p.unlink()


def _failure(exc: Exception, source_nb: Path, out_nb: Path) -> dict[str, Any]:
    """What failed: the notebook, the cell (numbered as in the source notebook, and its In [n]), the error."""
    info: dict[str, Any] = {"notebook": source_nb.name, "executed_notebook": str(out_nb),
                            "error": type(exc).__name__, "message": str(exc)}
    if getattr(exc, "cell_index", None) is None:
        return info
    info.update(execution_count=getattr(exc, "exec_count", None), ename=getattr(exc, "ename", None),
                evalue=getattr(exc, "evalue", None))
    try:  # find the failing cell by its id in the source notebook (the executed copy has extra cells)
        executed = json.loads(out_nb.read_text(encoding="utf-8"))["cells"]
        failed = next(c for c in executed if c.get("cell_type") == "code"
                      and any(o.get("output_type") == "error" for o in c.get("outputs", [])))
        source = json.loads(source_nb.read_text(encoding="utf-8"))["cells"]
        number = next(i for i, c in enumerate(source, 1) if c.get("id") == failed.get("id"))
        text = "".join(failed["source"]) if isinstance(failed["source"], list) else failed["source"]
        info.update(cell=number, cell_id=failed.get("id"), cell_source=text.strip().splitlines()[0][:80])
    except (OSError, ValueError, KeyError, StopIteration, IndexError):
        info.update(cell=int(exc.cell_index) + 1)
    return info


def run_notebooks(
    inputs: Sequence[str | os.PathLike],
    run_dir: str | os.PathLike,
    *,
    parameters: dict[str, Any] | None = None,
    notebooks: str | os.PathLike | None = None,
    progress: bool = True,
    echo: bool = True,
) -> dict[str, Any]:
    """Execute the numbered notebooks on ``inputs`` into ``run_dir`` and return the run.json content.

    Parameters
    ----------
    inputs : sequence of paths
        Files or folders for 01_load (made absolute).
    run_dir : path
        The run folder (created; stale outputs of an earlier run are removed).
    parameters : dict, optional
        Step options, passed to every notebook whose parameters cell names them.
    notebooks : path, optional
        Folder of ``NN_*.ipynb``; the checkout's ``notebooks/`` by default.
    progress : bool
        Show the steps' progress bars (long steps only) live on stderr.
    echo : bool
        Print one line per notebook.

    Raises
    ------
    PipelineError
        When a notebook fails; the message names the notebook and cell.
    """
    import papermill as pm

    from tradelib.pipeline import run_info, write_run_json

    nb_dir = Path(notebooks) if notebooks is not None else NOTEBOOKS
    chain = sorted(nb_dir.glob("[0-9][0-9]_*.ipynb"))
    if not chain:
        raise PipelineError(f"no notebooks NN_*.ipynb in {nb_dir}: pass --notebooks with the chain's folder")
    run_dir = Path(run_dir).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    _clean(run_dir)
    inputs = [str(Path(p).resolve()) for p in inputs]
    params = {"input_path": inputs, "run_dir": str(run_dir), "progress": progress, **(parameters or {})}
    started = time.time()
    seconds: dict[str, float] = {}
    write_run_json(run_dir, run_info(inputs, params, started=started, ended=None, seconds=seconds,
                                     status="running", runner="papermill"))
    env_backup = {k: os.environ.get(k) for k in ("PYDEVD_DISABLE_FILE_VALIDATION", "MPLBACKEND", "JUPYTER_PATH")}
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # no debugger warning on the kernel's stderr
    os.environ.pop("MPLBACKEND", None)
    kernel_home = tempfile.TemporaryDirectory(prefix="tradelib-kernel-")
    _register_kernel(Path(kernel_home.name))
    try:
        for k, nb in enumerate(chain, 1):
            out_nb = run_dir / nb.name
            names = notebook_parameters(nb)
            nb_params = {n: v for n, v in params.items() if n in names}
            if echo:
                print(f"[{k}/{len(chain)}] {nb.name} ...", file=sys.stderr, flush=True)
            t0 = time.perf_counter()
            try:
                pm.execute_notebook(
                    str(nb), str(out_nb), parameters=nb_params, kernel_name=KERNEL, cwd=str(run_dir),
                    progress_bar=False, log_output=False, report_mode=False,
                    stderr_file=sys.stderr if progress else None,  # the steps' own progress bars, live
                    extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
                )
            except Exception as exc:  # papermill/nbclient raise several kinds; all end the run the same way
                seconds[nb.stem] = round(time.perf_counter() - t0, 3)
                (run_dir / "report.html").unlink(missing_ok=True)
                fail = _failure(exc, nb, out_nb)
                write_run_json(run_dir, run_info(inputs, params, started=started, ended=time.time(),
                                                 seconds=seconds, status="failed", runner="papermill", error=fail))
                where = "before any cell ran"
                if "cell" in fail:
                    where = f"cell {fail['cell']} (In [{fail.get('execution_count')}])"
                    if fail.get("cell_source"):
                        where += f" `{fail['cell_source']}`"
                what = f"{fail.get('ename')}: {fail.get('evalue')}" if fail.get("ename") else fail["message"]
                log = Path(kernel_home.name) / KERNEL_STDERR
                tail = log.read_text(errors="replace")[-2000:].strip() if log.is_file() else ""
                raise PipelineError(
                    f"notebook {nb.name} failed in {where}: {what}\n"
                    f"The executed notebook with the traceback is kept at {out_nb}; no report.html was written."
                    + (f"\nThe kernel process wrote to its stderr:\n{tail}" if tail else "")
                ) from exc
            seconds[nb.stem] = round(time.perf_counter() - t0, 3)
            if echo:
                print(f"      done in {seconds[nb.stem]:.1f} s", file=sys.stderr, flush=True)
    finally:
        kernel_home.cleanup()
        for key, value in env_backup.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    if not (run_dir / "report.html").is_file():
        raise PipelineError(f"the chain ran but {chain[-1].name} wrote no report.html in {run_dir}")
    info = run_info(inputs, params, started=started, ended=time.time(), seconds=seconds, status="ok",
                    runner="papermill")
    write_run_json(run_dir, info)
    return info


def _run_with_engine(inputs: Sequence[str], out: str, params: dict[str, Any], **kw: Any) -> dict[str, Any]:
    """Run the chain; with the Dask engine and no scheduler, start one local cluster for all notebooks."""
    if params["engine"] != "dask" or params["scheduler"]:
        return run_notebooks(inputs, out, parameters=params, **kw)
    from tradelib.engine import Engine

    with Engine("dask") as eng:
        if kw.get("echo"):
            print(f"local Dask cluster: {eng.workers} workers at {eng.client.scheduler.address} "
                  f"(started in {eng.startup_seconds:.1f} s)", file=sys.stderr, flush=True)
        info = run_notebooks(inputs, out, parameters={**params, "scheduler": eng.client.scheduler.address}, **kw)
        info["engine"] = {"engine": "dask", "scheduler": None, "local_cluster_workers": eng.workers,
                          "startup_seconds": round(eng.startup_seconds, 3)}
    from tradelib.pipeline import write_run_json

    write_run_json(out, info)
    return info


def _parser() -> argparse.ArgumentParser:
    import tradelib

    p = argparse.ArgumentParser(prog="tradelib", description="Tone and escalation/de-escalation stance of trade news.")
    p.add_argument("--version", action="version", version=f"tradelib {tradelib.__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("report", help="run the notebook chain on articles and render report.html",
                       description="Run the numbered notebooks with papermill on INPUT (files or folders of articles) "
                                   "and write tables, figures, run.json and report.html into the run folder.")
    r.add_argument("inputs", nargs="*", metavar="INPUT", help="files or folders to read (default: ./seeds)")
    r.add_argument("--out", metavar="DIR", help="run folder (default: reports/<name of the first input>)")
    r.add_argument("--format", dest="load_format",
                   help="force one input format (text, html, json, jsonl, csv, reuters, feed)")
    r.add_argument("--columns", dest="load_columns", type=json.loads, metavar="JSON",
                   help='field names of JSON/CSV exports, e.g. \'{"headline": "title", "body": "text"}\'')
    r.add_argument("--on-error", choices=["record", "raise"], default="record")
    r.add_argument("--actor-lexicon", metavar="FILE", help="extra actor lexicon")
    r.add_argument("--tone-model", default="default", choices=["default", "embeddings"])
    r.add_argument("--lm-dictionary", metavar="CSV", help="your Loughran-McDonald Master Dictionary CSV")
    r.add_argument("--embeddings-model", metavar="DIR",
                   help="local sentence-transformers model folder for --tone-model embeddings")
    r.add_argument("--relevance-method", default="model", choices=["model", "keywords"])
    r.add_argument("--freq", default="auto", choices=["auto", "D", "W", "M"], help="period of the corpus series")
    r.add_argument("--detail", type=int, default=10, help="articles with a detailed section (default 10)")
    r.add_argument("--engine", default="pandas", choices=["pandas", "dask"],
                   help="pandas: partitions one after the other; dask: partitions as tasks on a Dask cluster")
    r.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --engine dask: a running scheduler, e.g. tcp://host:8786 (default: a local cluster "
                        "with one worker process per core, started once for the whole chain)")
    r.add_argument("--partition-bytes", type=int, default=2_000_000,
                   help="input bytes per partition (files are never split; default 2000000)")
    r.add_argument("--notebooks", metavar="DIR",
                   help="folder of the NN_*.ipynb chain (default: the checkout's notebooks/)")
    r.add_argument("--quiet", action="store_true", help="no progress output")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``tradelib`` console script; returns the exit status."""
    args = _parser().parse_args(argv)
    inputs = args.inputs or (["seeds"] if Path("seeds").is_dir() else [])
    if not inputs:
        print("tradelib report: give at least one INPUT file or folder", file=sys.stderr)
        return 2
    out = args.out or str(Path("reports") / (Path(inputs[0]).resolve().stem or "run"))
    params = {
        "load_format": args.load_format, "load_columns": args.load_columns, "on_error": args.on_error,
        "actor_lexicon": args.actor_lexicon and str(Path(args.actor_lexicon).resolve()),
        "tone_model": args.tone_model,
        "lm_dictionary": args.lm_dictionary and str(Path(args.lm_dictionary).resolve()),
        "embeddings_model": args.embeddings_model and str(Path(args.embeddings_model).resolve()),
        "relevance_method": args.relevance_method, "freq": args.freq, "detail": args.detail,
        "engine": args.engine, "scheduler": args.scheduler, "partition_bytes": args.partition_bytes,
    }
    if args.scheduler and args.engine != "dask":
        print("tradelib report: --scheduler needs --engine dask", file=sys.stderr)
        return 2
    missing = [p for p in inputs if not Path(p).exists()]
    if missing:
        print(f"tradelib report: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        info = _run_with_engine(inputs, out, params, notebooks=args.notebooks,
                                progress=not args.quiet and sys.stderr.isatty(), echo=not args.quiet)
    except (PipelineError, InputError) as exc:
        print(f"tradelib report: FAILED: {exc}", file=sys.stderr)
        return 1
    except TradelibError as exc:
        print(f"tradelib report: FAILED: {exc}", file=sys.stderr)
        return 1
    if not args.quiet:
        per = ", ".join(f"{k} {v:.1f} s" for k, v in info["seconds"].items())
        print(f"report: {Path(out) / 'report.html'}  ({info['seconds_total']:.1f} s: {per})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

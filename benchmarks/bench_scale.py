"""Benchmark: the whole pipeline on Reuters-21578 and on 4x it, pandas engine vs Dask, against VADER alone.

    python benchmarks/bench_scale.py [--scales 1,4] [--workers 2] [--keep DIR]

For each scale (1 = the 21,578 Reuters stories; 4 = four copies with their
NEWIDs made unique, written to a temporary folder) it runs
``tradelib.run_pipeline(..., report=False)`` in a fresh process with the
pandas engine and with the Dask engine (a LocalCluster with ``--workers``
worker processes), and times vaderSentiment's ``polarity_scores`` alone over
the same sentences in this process. It prints, per scale and engine: articles
and sentences, wall time (cluster start-up excluded, printed apart),
articles/s and sentences/s, peak memory (the largest sum of RSS over the run's
process tree, sampled every 0.2 s; the tree is listed once a second) and the ratios the goals are about:

* pipeline (pandas) time / VADER time (goal <= 2);
* pandas time / Dask time (goal >= 1.5 with 2 workers on 2 cores);
* time at 4x / time at 1x (goal <= 4.4) and peak memory at 4x / 1x (goal <= 1.5).

Needs ../shared/data/reuters21578. Takes about 15 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"

CHILD = r"""
import json, sys, tradelib
from tradelib import pipeline
def main():
    src, out, engine, workers = sys.argv[1:5]
    kw = {}
    if engine == "dask":
        from tradelib.engine import Engine
        import time
        t0 = time.perf_counter()
        from distributed import Client, LocalCluster
        cluster = LocalCluster(n_workers=int(workers), threads_per_worker=1, processes=True, dashboard_address=":0")
        client = Client(cluster)
        startup = time.perf_counter() - t0
        kw["scheduler"] = cluster.scheduler_address
    res = tradelib.run_pipeline(src, out_dir=out, report=False, engine=engine, **kw)
    info = dict(res.engine)
    if engine == "dask":
        info["startup_seconds"] = startup
        client.close(); cluster.close()
    info["articles"] = pipeline.count_rows(pipeline.table_path(out, "articles"))
    info["sentences"] = pipeline.count_rows(pipeline.table_path(out, "sentences"))
    print("RESULT " + json.dumps(info))
if __name__ == "__main__":
    main()
"""


def make_copies(src: Path, dest: Path, n: int) -> Path:
    """``n`` copies of the Reuters SGML files with NEWIDs offset by 100000 per copy (unique article ids)."""
    dest.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        for f in sorted(src.glob("*.sgm")):
            data = f.read_bytes()
            if k:
                data = re.sub(rb'NEWID="(\d+)"', lambda m: b'NEWID="%d"' % (int(m.group(1)) + 100_000 * k), data)
            (dest / f"copy{k}-{f.name}").write_bytes(data)
    return dest


def run_child(src: Path, engine: str, workers: int, tmp: Path) -> dict:
    """Run the pipeline in a fresh process; sample the RSS of its process tree; return its figures."""
    import psutil

    out = tmp / f"run-{engine}-{src.name}"
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(src), str(out), engine, str(workers)],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    parent = psutil.Process(proc.pid)
    peak, procs, listed = 0, [parent], 0.0
    while proc.poll() is None:
        # the sampler must not compete with a run that keeps both cores busy: the process tree is listed once a
        # second (a walk over /proc), the memory of the known processes read five times a second
        try:
            if time.monotonic() - listed >= 1.0:
                procs, listed = [parent, *parent.children(recursive=True)], time.monotonic()
            rss = 0
            for p in procs:
                try:
                    rss += p.memory_info().rss
                except psutil.Error:  # a process that ended since the last listing
                    pass
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.2)
    stdout = proc.stdout.read() if proc.stdout else ""
    line = next((ln for ln in stdout.splitlines() if ln.startswith("RESULT ")), None)
    if proc.returncode or line is None:
        raise SystemExit(f"{engine} run on {src} failed (exit {proc.returncode})")
    info = json.loads(line[len("RESULT "):])
    info["peak_mb"] = peak / 2**20
    info["out"] = str(out)
    return info


def vader_seconds(run_dir: str) -> float:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from tradelib import pipeline

    texts = pipeline.table(run_dir, "sentences", columns=["text"])["text"].tolist()
    an = SentimentIntensityAnalyzer()
    t0 = time.perf_counter()
    for t in texts:
        an.polarity_scores(t)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="1,4", help="corpus sizes in copies of Reuters (default 1,4)")
    ap.add_argument("--workers", type=int, default=2, help="Dask workers (default 2)")
    ap.add_argument("--keep", type=Path, help="keep the runs and copies in this folder")
    args = ap.parse_args(argv)
    if not REUTERS.is_dir():
        print(f"needs {REUTERS} (Reuters-21578)", file=sys.stderr)
        return 2
    scales = [int(s) for s in args.scales.split(",")]
    tmp_ctx = tempfile.TemporaryDirectory(prefix="tradelib-bench-") if args.keep is None else None
    tmp = Path(tmp_ctx.name) if tmp_ctx else args.keep
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    rows = {}
    for n in scales:
        src = REUTERS if n == 1 else make_copies(REUTERS, tmp / f"reuters-x{n}", n)
        pandas_run = run_child(src, "pandas", 1, tmp)
        dask_run = run_child(src, "dask", args.workers, tmp)
        vader = vader_seconds(pandas_run["out"])
        rows[n] = {"pandas": pandas_run, "dask": dask_run, "vader": vader}
        print(f"\n== {n}x Reuters: {pandas_run['articles']} articles, {pandas_run['sentences']} sentences, "
              f"{pandas_run['partitions']} partitions")
        print(f"{'':24}{'wall s':>9}{'articles/s':>12}{'sentences/s':>13}{'peak MB':>9}{'/ VADER':>9}")
        print(f"{'vaderSentiment alone':24}{vader:9.1f}{pandas_run['articles'] / vader:12.0f}"
              f"{pandas_run['sentences'] / vader:13.0f}{'':>9}{1:9.2f}")
        for name, r in (("pandas engine", pandas_run), (f"dask, {dask_run['workers']} workers", dask_run)):
            w = r["wall_seconds"]
            print(f"{name:24}{w:9.1f}{r['articles'] / w:12.0f}{r['sentences'] / w:13.0f}{r['peak_mb']:9.0f}"
                  f"{w / vader:9.2f}")
        print(f"Dask cluster start-up (excluded above): {dask_run['startup_seconds']:.1f} s")
        print(f"pipeline (pandas) / VADER time : {pandas_run['wall_seconds'] / vader:6.2f}  (goal <= 2)")
        print(f"pandas / Dask time             : {pandas_run['wall_seconds'] / dask_run['wall_seconds']:6.2f}"
              f"  (goal >= 1.5)")
    if 1 in rows:
        for n in [s for s in scales if s != 1]:
            for eng in ("pandas", "dask"):
                t = rows[n][eng]["wall_seconds"] / rows[1][eng]["wall_seconds"]
                m = rows[n][eng]["peak_mb"] / rows[1][eng]["peak_mb"]
                print(f"{eng:7} {n}x / 1x: time {t:5.2f} (goal <= {1.1 * n:.1f}), peak memory {m:5.2f} (goal <= 1.5)")
    if tmp_ctx:
        tmp_ctx.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Every benchmark in turn (`./run.sh bench`): figures printed, never asserted.

    .venv/bin/python benchmarks/run.py [--quick | --repeat N] [--only NAME,...] [--posts 100]

build       benchmarks/build_bench.py       full site build vs MkDocs alone on the same Markdown
network     benchmarks/network_bench.py     a network of --posts N (100) generated posts: full build,
                                            size, rebuilds after an edit, vs the old way (serial, full)
runtime     benchmarks/runtime_bench.py     the Pyodide runtime on a bare page: shipped vs full stdlib
wizard      benchmarks/wizard_bench.py      the wizard page as a visitor meets it, http and file://
engines     benchmarks/engines_bench.py     the wizard page, the runtime self-test and stock Pyodide in
                                            Chromium, Firefox and WebKit, http and file://, cold
lighthouse  benchmarks/lighthouse_bench.py  Lighthouse (Performance and the rest) per kind of page,
                                            as published (compressed, headers) and from a plain server

Each runs as its own process with the same Python (one Playwright per process, and a crash or a
hang in one does not take the others with it), its output printed under a heading. The exit
status is non-zero if any of them failed or ran out of time.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = {
    "build": "build_bench.py",
    "network": "network_bench.py",
    "runtime": "runtime_bench.py",
    "wizard": "wizard_bench.py",
    "engines": "engines_bench.py",
    "lighthouse": "lighthouse_bench.py",
}
# Per benchmark. build, runtime and wizard take about three minutes together; lighthouse about
# 15 s per page, run and server (12 pages per run).
TIMEOUT_S = 1800


def run(script, repeat, extra=()):
    """Run one benchmark in its own process group, so that on a timeout or Ctrl-C the browsers it
    started go with it. Returns its exit status, or "timeout"."""
    command = [sys.executable, str(script), "--repeat", str(repeat), *extra]
    process = subprocess.Popen(command, start_new_session=True)
    try:
        return process.wait(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        print(f"timed out after {TIMEOUT_S} s", flush=True)
        return "timeout"
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="repeats per measurement (medians or best printed)")
    parser.add_argument("--quick", action="store_true", help="one repeat each (same as --repeat 1): a smoke run")
    parser.add_argument("--posts", type=int, default=100, help="posts in the network benchmark's generated network")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated: " + ", ".join(BENCHMARKS))
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown or not names:
        parser.error(f"--only: unknown {', '.join(unknown) or '(nothing)'}; choose from {', '.join(BENCHMARKS)}")
    repeat = 1 if args.quick else args.repeat

    failed = []
    for name in names:
        script = HERE / BENCHMARKS[name]
        print(f"\n=== {name}: benchmarks/{script.name} --repeat {repeat} ===", flush=True)
        started = time.perf_counter()
        status = run(script, repeat, ["--posts", str(args.posts)] if name == "network" else [])
        print(
            f"({name}: {time.perf_counter() - started:.0f} s"
            f"{'' if status == 0 else f', FAILED: exit status {status}'})",
            flush=True,
        )
        if status != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Every benchmark in turn (`./run.sh bench`): figures printed, never asserted.

    .venv/bin/python benchmarks/run.py [--repeat N] [--only build,runtime,wizard]

build    benchmarks/build_bench.py    full site build vs MkDocs alone on the same Markdown
runtime  benchmarks/runtime_bench.py  the Pyodide runtime: shipped (trimmed, .pyc) vs full stdlib
wizard   benchmarks/wizard_bench.py   the wizard page as a visitor meets it, http and file://

Each runs as its own process (one Playwright per process), with the same Python.
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = {"build": "build_bench.py", "runtime": "runtime_bench.py", "wizard": "wizard_bench.py"}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="repeats per measurement (medians or best printed)")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated: " + ", ".join(BENCHMARKS))
    args = parser.parse_args(argv)
    failed = []
    for name in args.only.split(","):
        script = HERE / BENCHMARKS[name]
        print(f"\n=== {name}: {script.name} ===", flush=True)
        started = time.perf_counter()
        status = subprocess.run([sys.executable, str(script), "--repeat", str(args.repeat)]).returncode
        print(f"(took {time.perf_counter() - started:.0f} s)", flush=True)
        if status != 0:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

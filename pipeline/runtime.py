"""The wizard's browser runtime, installed once per built site into `<site>/_wizard/`.

What a visitor's browser gets (see wizard/web/runtime.js for how it is used):

    runtime.js          the page's one script tag: `WizardRuntime.start()`; picks worker or main thread
    worker.mjs          the module Web Worker (http/https)
    pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm   from the pinned npm package, unchanged
    stdlib.zip          Python's standard library: only the modules the engine imports, as .pyc
                        compiled by this very Pyodide (optimised), or the package's full zip
    engine.zip          the `wizard` package (+ `wizard_entry`, the JSON entry point), zip-imported
    procedures.json     the compiled procedures of this site, {id: procedure}
    manifest.json       Pyodide's version and lock-file header, file sizes
    runtime-bundle.js   file:// only: the files above as one classic script (base64; wasm gzipped)
    procedures.js       file:// only: procedures.json as a classic script
    selftest.html       diagnostics: open it (over http or from the USB stick) to see whether and
                        how fast the runtime starts in this browser

The optimised standard library is found by running the engine on every answer path of every
procedure inside Pyodide (Node, pipeline/runtime_node.mjs) and keeping what it imported; the
same Node run compiles it. Output is byte-identical across runs (fixed zip dates, sorted entries).
"""

import base64
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from wizard.engine import evaluate
from wizard.paths import enumerate_paths

RUNTIME_DIR = "_wizard"
TRACE_DATE = "2026-12-01"  # any fixed date: the modules imported do not depend on it
PYC_OPTIMIZE = 2  # compile() optimisation level of the shipped .pyc: 2 drops docstrings and asserts
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
WEB_FILES = ("runtime.js", "worker.mjs", "selftest.html")
# Compressed inside runtime-bundle.js (DecompressionStream); the rest is small or already a zip.
BUNDLE_GZIP = ("pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs")


class RuntimeBuildError(Exception):
    """The runtime could not be prepared (Node or the Pyodide package missing, Pyodide failed)."""


def install_runtime(site_root, procedures, root, optimise=True, cache_dir=None):
    """Install the runtime for `procedures` ({id: compiled procedure}) into `site_root/_wizard/`.

    `root` is the repository (node_modules/pyodide, wizard/). `optimise=False` ships Pyodide's
    full standard library and the engine as .py sources (the benchmark's "before").
    `cache_dir`, if given, keeps the compiled standard library between builds (keyed by
    content hash); without it every call runs Pyodide under Node once (a few seconds).
    Returns {"dir": path, "variant": ..., "files": {name: bytes}, "total": bytes,
    "http_start"/"file_start": bytes a cold start reads over http / from file://}.
    """
    root, site_root = Path(root), Path(site_root)
    pyodide_dir = root / "node_modules" / "pyodide"
    web_dir = root / "wizard" / "web"
    out = site_root / RUNTIME_DIR
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    procedures_json = json.dumps(procedures, ensure_ascii=False, separators=(",", ":"))
    sources = engine_sources(root)
    engine_src_zip = _zip_bytes({name: data for name, data in sources.items()})

    if optimise:
        stdlib, engine = _optimised(root, pyodide_dir, engine_src_zip, procedures, procedures_json, cache_dir)
    else:
        stdlib, engine = (pyodide_dir / "python_stdlib.zip").read_bytes(), engine_src_zip

    lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text(encoding="utf-8"))
    files = {name: (pyodide_dir / name).read_bytes() for name in PYODIDE_FILES}
    files["stdlib.zip"] = stdlib
    files["engine.zip"] = engine
    files["procedures.json"] = procedures_json.encode("utf-8")
    manifest = {
        "pyodide": json.loads((pyodide_dir / "package.json").read_text(encoding="utf-8"))["version"],
        "variant": "optimised" if optimise else "full",
        "stdlib": "stdlib.zip",
        "engine": "engine.zip",
        "procedures": "procedures.json",
        "lock": {"info": lock["info"], "packages": {}},
        "sizes": {name: len(files[name]) for name in sorted(files)},
    }
    files["manifest.json"] = (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode("utf-8")
    files["runtime-bundle.js"] = _bundle(files, manifest)
    files["procedures.js"] = ("window.__wizardProcedures = " + json.dumps(procedures_json) + ";\n").encode("utf-8")
    for name in WEB_FILES:
        files[name] = (web_dir / name).read_bytes()

    for name in sorted(files):
        (out / name).write_bytes(files[name])
    sizes = {name: len(files[name]) for name in sorted(files)}
    http_cold = [n for n in sizes if n not in ("runtime-bundle.js", "procedures.js", "selftest.html")]
    return {
        "dir": out,
        "variant": manifest["variant"],
        "files": sizes,
        "total": sum(sizes.values()),
        # What a cold start fetches: over http the worker's files; over file:// the bundle.
        "http_start": sum(sizes[n] for n in http_cold),
        "file_start": sizes["runtime.js"] + sizes["runtime-bundle.js"] + sizes["procedures.js"],
    }


def gzip_sizes(runtime_dir):
    """{file name: bytes after gzip -6}: what a server that compresses would send (benchmark)."""
    return {p.name: len(gzip.compress(p.read_bytes(), 6, mtime=0)) for p in sorted(Path(runtime_dir).iterdir())}


def engine_sources(root):
    """{archive name: source bytes}: the `wizard` package's modules and the `wizard_entry` module."""
    wizard = Path(root) / "wizard"
    sources = {f"wizard/{p.name}": p.read_bytes() for p in sorted(wizard.glob("*.py"))}
    sources["wizard_entry.py"] = (wizard / "web" / "entry.py").read_bytes()
    return sources


def trace_calls(procedures, on=TRACE_DATE):
    """Calls that exercise the runtime as a visitor would: every path evaluated and described."""
    calls = []
    for pid in sorted(procedures):
        procedure = procedures[pid]
        for answers, result in enumerate_paths(procedure, on):
            calls.append(["evaluate", {"procedure": pid, "answers": dict(answers), "on": on}])
            if result["status"] == "outcome":
                calls.append(["describe", {"procedure": pid, "result": result, "lang": "en"}])
        calls.append(["describe", {"procedure": pid, "result": evaluate(procedure, {}, on), "lang": "fr"}])
        calls.append(["evaluate", {"procedure": pid, "answers": {"no-such-question": "x"}, "on": on}])
        calls.append(
            [
                "render_step",
                {"procedure": pid, "pairs": [], "on": on, "lang": "en", "strings": {}, "post": {}, "style": "hash"},
            ]
        )
    calls.append(["no-such-entry", {}])
    return calls


def run_node(root, mode, job, timeout=300):
    """Run pipeline/runtime_node.mjs; return its JSON output (raises RuntimeBuildError with stderr)."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeBuildError("node not found on PATH: it is needed to prepare the Pyodide runtime")
    script = Path(__file__).with_name("runtime_node.mjs")
    proc = subprocess.run(
        [node, str(script), mode],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        cwd=root,
    )
    if proc.returncode != 0:
        raise RuntimeBuildError(f"Pyodide under Node failed ({mode}):\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout)


def _optimised(root, pyodide_dir, engine_src_zip, procedures, procedures_json, cache_dir):
    """(trimmed standard library of .pyc, engine of .pyc), compiled inside Pyodide."""
    full = pyodide_dir / "python_stdlib.zip"
    calls = trace_calls(procedures)
    key = hashlib.sha256(
        b"\0".join(
            [
                (pyodide_dir / "package.json").read_bytes(),
                full.read_bytes(),
                Path(__file__).with_name("runtime_node.mjs").read_bytes(),
                engine_src_zip,
                json.dumps([calls, PYC_OPTIMIZE]).encode(),
            ]
        )
    ).hexdigest()[:20]
    cached = Path(cache_dir) / f"runtime-{key}.json" if cache_dir else None
    if cached and cached.is_file():
        prepared = json.loads(cached.read_text(encoding="utf-8"))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            engine_path = Path(tmp) / "engine-src.zip"
            engine_path.write_bytes(engine_src_zip)
            prepared = run_node(
                root,
                "prepare",
                {
                    "stdlib": str(full),
                    "engine": str(engine_path),
                    "procedures": procedures_json,
                    "calls": calls,
                    "compile": [str(engine_path)],
                    "optimize": PYC_OPTIMIZE,
                },
            )
        prepared.pop("results", None)
        if cached:  # written whole, then renamed: a parallel build or test never reads half a file
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_name(f"{cached.name}.{os.getpid()}.tmp")
            partial.write_text(json.dumps(prepared, sort_keys=True), encoding="utf-8")
            partial.replace(cached)
    pyc = {name: base64.b64decode(data) for name, data in prepared["pyc"].items()}
    engine_names = {name[:-3] + ".pyc" for name in zipfile.ZipFile(io.BytesIO(engine_src_zip)).namelist()}
    stdlib = _zip_bytes({n: d for n, d in pyc.items() if n not in engine_names})
    engine = _zip_bytes({n: d for n, d in pyc.items() if n in engine_names})
    return stdlib, engine


def _zip_bytes(entries):
    """A deterministic zip (sorted names, fixed dates, deflated) of {name: bytes}."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, entries[name], compresslevel=9)
    return buffer.getvalue()


def _bundle(files, manifest):
    """runtime-bundle.js: a classic script that hands runtime.js every file it needs over file://."""
    names = list(PYODIDE_FILES) + ["stdlib.zip", "engine.zip"]
    parts = [
        "/* The wizard's Pyodide runtime for file:// (no fetch, no modules, no workers there).\n"
        "   Generated by pipeline/runtime.py; read by wizard/web/runtime.js. */\n",
        'window.__wizardBundle = {"manifest": ',
        json.dumps(manifest, sort_keys=True),
        ', "files": {',
    ]
    for i, name in enumerate(names):
        data, encoding = files[name], "base64"
        if name in BUNDLE_GZIP:
            data, encoding = gzip.compress(data, 9, mtime=0), "gzip+base64"
        parts.append(
            ("," if i else "")
            + "\n"
            + json.dumps(name)
            + ': {"encoding": "'
            + encoding
            + '", "data": "'
            + base64.b64encode(data).decode("ascii")
            + '"}'
        )
    parts.append("\n}};\n")
    return "".join(parts).encode("ascii")


def run_installed(runtime_dir, calls, root):
    """Run `calls` ([name, arguments] pairs) on an installed runtime, in Pyodide under Node.

    Uses exactly the installed files (standard library zip, engine zip, procedures.json): what a
    browser gets. Returns the decoded results, one per call. For the parity test and checks.
    """
    out = run_node(root, "run", {"dir": str(runtime_dir), "calls": calls})
    return [json.loads(text) for text in out["results"]]

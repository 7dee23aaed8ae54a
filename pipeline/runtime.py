"""The wizard's browser runtime, installed once per built site into `<site>/_wizard/`.

What a visitor's browser gets (see wizard/web/runtime.js for how it is used):

    runtime.js          the page's one script tag: `WizardRuntime.start()`; picks worker or main thread
    worker.mjs          the module Web Worker (http/https)
    pyodide.mjs, pyodide.asm.mjs, pyodide.asm.wasm   from the pinned npm package, unchanged
    stdlib.zip          Python's standard library: only the modules the engine imports, as .pyc
                        compiled by this very Pyodide (optimised), or the package's full zip
    engine.zip          the `wizard` package (its entry point for JavaScript: wizard.browser), zip-imported
    wizard-data.json    what the wizard needs of this site: compiled procedures, posts, and per
                        language the string catalogue and the CLDR locale data
    snapshot.bin        Pyodide's memory after `wizard.browser` was imported (no site data: loaded after)
                        (makeMemorySnapshot), gzipped, its memory XORed with a fresh instance's:
                        restored instead of starting Python and importing (see runtime.js)
    manifest.json       Pyodide's version and lock-file header, file sizes, the snapshot's layout
    runtime-bundle.js   file:// only: the files above as one classic script (base64; wasm gzipped)
    wizard-data.js      file:// only: wizard-data.json as a classic script
    runtime-snapshot.js file:// only: snapshot.bin as a classic script: its bytes as they are in a
                        string literal, read as windows-1252 (a quarter smaller than base64)
    selftest.html       diagnostics: open it (over http or from the USB stick) to see whether and
                        how fast the runtime starts in this browser

The optimised standard library is found by running the wizard on every answer prefix of every
procedure inside Pyodide (Node, pipeline/runtime_node.mjs) and keeping what it imported; the
same Node run compiles it. Output is byte-identical across runs (fixed zip dates, sorted entries;
the snapshot is taken with fixed clocks and a fixed random source, so it is the same bytes too).
"""

import base64
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from wizard.paths import all_prefixes
from wizard.presentation import json_script
from wizard.state import fragment_of

from .archive import zip_bytes
from .csp import with_policy

RUNTIME_DIR = "_wizard"
PYC_OPTIMIZE = 2  # compile() optimisation level of the shipped .pyc: 2 drops docstrings and asserts
DATA_FILE = "wizard-data.json"
DATA_SCRIPT = "wizard-data.js"  # the same data as a classic script, for file://
SNAPSHOT = "snapshot.bin"  # gzip of Pyodide's memory snapshot (XORed with a fresh instance's memory)
SNAPSHOT_SCRIPT = "runtime-snapshot.js"  # the same as a classic script, for file://
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm")
WEB_FILES = ("runtime.js", "worker.mjs", "selftest.html")
# What a site opened from disk (file://) reads: the rest is for http (worker, modules, fetch).
FROM_DISK = ("runtime.js", "runtime-bundle.js", DATA_SCRIPT, SNAPSHOT_SCRIPT, "selftest.html")
# Read only from disk: over http no page asks for them (not worth compressing for a web host).
DISK_ONLY = ("runtime-bundle.js", DATA_SCRIPT, SNAPSHOT_SCRIPT)
# Compressed inside runtime-bundle.js (DecompressionStream); the rest is small or already a zip.
BUNDLE_GZIP = ("pyodide.asm.wasm", "pyodide.asm.mjs", "pyodide.mjs")


class RuntimeBuildError(Exception):
    """The runtime could not be prepared (Node or the Pyodide package missing, Pyodide failed)."""


def install_runtime(site_root, data, root, on, optimise=True, cache_dir=None):
    """Install the runtime for the site's wizard `data` into `site_root/_wizard/`.

    `data` is what wizard.browser.load reads: {"procedures": {id: compiled procedure}, "posts":
    {id: post}, "catalogue": {lang: {key: text}}, "locale": {lang: CLDR data}}; `on` (ISO) the
    date the build runs the wizard on to find the modules it imports.
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

    data_json = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    engine_src_zip = zip_bytes(engine_sources(root))

    if optimise:
        stdlib, engine = _optimised(root, pyodide_dir, engine_src_zip, data, data_json, on, cache_dir)
    else:
        stdlib, engine = (pyodide_dir / "python_stdlib.zip").read_bytes(), engine_src_zip

    lock = json.loads((pyodide_dir / "pyodide-lock.json").read_text(encoding="utf-8"))
    files = {name: (pyodide_dir / name).read_bytes() for name in PYODIDE_FILES}
    files["stdlib.zip"] = stdlib
    files["engine.zip"] = engine
    files[DATA_FILE] = data_json.encode("utf-8")
    snapshot = None
    if optimise:
        files[SNAPSHOT], snapshot = _snapshot(root, pyodide_dir, stdlib, engine, data_json, cache_dir)
    manifest = {
        "pyodide": json.loads((pyodide_dir / "package.json").read_text(encoding="utf-8"))["version"],
        "variant": "optimised" if optimise else "full",
        "stdlib": "stdlib.zip",
        "engine": "engine.zip",
        "data": DATA_FILE,
        "lock": {"info": lock["info"], "packages": {}},
        "sizes": {name: len(files[name]) for name in sorted(files)},
    }
    if snapshot:
        manifest["snapshot"] = dict(snapshot, file=SNAPSHOT, script=SNAPSHOT_SCRIPT)
    files["manifest.json"] = (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode("utf-8")
    files["runtime-bundle.js"] = _bundle(files, manifest)
    files[DATA_SCRIPT] = ("window.__wizardData = " + json_script(data_json) + ";\n").encode("utf-8")
    if snapshot:
        files[SNAPSHOT_SCRIPT] = snapshot_script(files[SNAPSHOT])
    for name in WEB_FILES:
        files[name] = (web_dir / name).read_bytes()
    # The self-test page runs Pyodide: its policy allows that and hashes its inline script.
    files["selftest.html"] = with_policy(files["selftest.html"].decode("utf-8"), pyodide=True).encode("utf-8")

    for name in sorted(files):
        (out / name).write_bytes(files[name])
    sizes = {name: len(files[name]) for name in sorted(files)}
    http_cold = [n for n in sizes if n not in ("runtime-bundle.js", DATA_SCRIPT, SNAPSHOT_SCRIPT, "selftest.html")]
    return {
        "dir": out,
        "variant": manifest["variant"],
        "files": sizes,
        "total": sum(sizes.values()),
        # What a cold start fetches: over http the worker's files; over file:// the bundle.
        "http_start": sum(sizes[n] for n in http_cold),
        "file_start": sum(sizes.get(n, 0) for n in ("runtime.js", "runtime-bundle.js", DATA_SCRIPT, SNAPSHOT_SCRIPT)),
    }


def gzip_sizes(runtime_dir):
    """{file name: bytes after gzip -6}: what a server that compresses would send (benchmark)."""
    return {p.name: len(gzip.compress(p.read_bytes(), 6, mtime=0)) for p in sorted(Path(runtime_dir).iterdir())}


def engine_sources(root):
    """{archive name: source bytes}: the `wizard` package's modules (wizard.browser is the entry point)."""
    wizard = Path(root) / "wizard"
    return {f"wizard/{p.name}": p.read_bytes() for p in sorted(wizard.glob("*.py"))}


def trace_calls(data, on):
    """Calls that exercise the runtime as a visitor would: every answer prefix rendered, each form kind
    submitted, the engine evaluated, and calls that fail (every module their handling imports counts)."""
    calls = []
    lang = sorted(data["catalogue"])[0]
    for pid in sorted(data["procedures"]):
        procedure = data["procedures"][pid]
        common = {"procedure": pid, "lang": lang, "post": None, "today": on}
        for answers in all_prefixes(procedure, on):
            calls.append(["render", dict(common, fragment=fragment_of(answers, on))])
            calls.append(["evaluate", {"procedure": pid, "answers": dict(answers), "on": on}])
        calls.append(["submit", dict(common, fragment="", action="answer", fields={})])
        calls.append(["submit", dict(common, fragment="#x=y", action="date", fields={"on-day": "31"})])
        calls.append(["render", dict(common, fragment="#%zz=1&on=9999-99-99")])
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


def _optimised(root, pyodide_dir, engine_src_zip, data, data_json, on, cache_dir):
    """(trimmed standard library of .pyc, engine of .pyc), compiled inside Pyodide."""
    full = pyodide_dir / "python_stdlib.zip"
    calls = trace_calls(data, on)
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
        if cached:  # the scratch folder lives in the cache (ignored by git), not in the system's temp
            cached.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="prepare-", dir=cached.parent if cached else None) as tmp:
            engine_path = Path(tmp) / "engine-src.zip"
            engine_path.write_bytes(engine_src_zip)
            prepared = run_node(
                root,
                "prepare",
                {
                    "stdlib": str(full),
                    "engine": str(engine_path),
                    "data": data_json,
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
    stdlib = zip_bytes({n: d for n, d in pyc.items() if n not in engine_names})
    engine = zip_bytes({n: d for n, d in pyc.items() if n in engine_names})
    return stdlib, engine


# Bytes that cannot stand for themselves in a JavaScript string literal, and their escapes.
_LITERAL_ESCAPES = {0x00: b"\\x00", 0x0A: b"\\n", 0x0D: b"\\r", 0x22: b'\\"', 0x5C: b"\\\\"}


def snapshot_script(packed):
    """runtime-snapshot.js: `packed` as a classic script, each byte one character of a string
    literal (escaped where a literal needs it), for runtime.js to load as windows-1252, where
    every byte is one character; it turns the characters back into bytes (see binaryString)."""
    body = bytearray()
    for run in re.split(rb"([\x00\n\r\"\\])", packed):
        body += _LITERAL_ESCAPES[run[0]] if len(run) == 1 and run[0] in _LITERAL_ESCAPES else run
    return (
        b"/* Pyodide's memory snapshot for file:// (see runtime.js). Generated by pipeline/runtime.py;\n"
        b"   its string holds the gzip's bytes as windows-1252 characters: not UTF-8, not text. */\n"
        b'window.__wizardSnapshot = {"encoding": "gzip+windows-1252", "data": "' + bytes(body) + b'"};\n'
    )


def _snapshot(root, pyodide_dir, stdlib, engine, data_json, cache_dir):
    """(gzip of Pyodide's memory snapshot with the site's engine imported, its layout for
    runtime.js), made under Node from exactly the shipped stdlib and engine zips. It holds no
    site's data (runtime.js loads it after the restore), so one snapshot serves every content
    edit: only a change of code or of the standard library's modules makes a new one."""
    key = hashlib.sha256(
        b"\0".join(
            [
                (pyodide_dir / "package.json").read_bytes(),
                Path(__file__).with_name("runtime_node.mjs").read_bytes(),
                stdlib,
                engine,
            ]
        )
    ).hexdigest()[:20]
    cached = Path(cache_dir) / f"snapshot-{key}" if cache_dir else None
    if cached and cached.with_suffix(".json").is_file() and cached.with_suffix(".gz").is_file():
        return cached.with_suffix(".gz").read_bytes(), json.loads(cached.with_suffix(".json").read_text("utf-8"))
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="snapshot-", dir=cached.parent if cached else None) as tmp:
        paths = {name: Path(tmp) / name for name in ("stdlib.zip", "engine.zip", "snapshot.bin")}
        paths["stdlib.zip"].write_bytes(stdlib)
        paths["engine.zip"].write_bytes(engine)
        out = run_node(
            root,
            "snapshot",
            {
                "stdlib": str(paths["stdlib.zip"]),
                "engine": str(paths["engine.zip"]),
                "data": data_json,
                "out": str(paths["snapshot.bin"]),
            },
        )
        if out.pop("check") != "question":
            raise RuntimeBuildError("the restored snapshot did not render a first question")
        packed = gzip.compress(paths["snapshot.bin"].read_bytes(), 9, mtime=0)
    if cached:  # written whole, then renamed: a parallel build never reads half a file
        for suffix, data in ((".gz", packed), (".json", json.dumps(out, sort_keys=True).encode("utf-8"))):
            partial = cached.with_name(f"{cached.name}{suffix}.{os.getpid()}.tmp")
            partial.write_bytes(data)
            partial.replace(cached.with_suffix(suffix))
    return packed, out


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
            data, encoding = _gzipped(data), "gzip+base64"
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


_GZIPPED = {}  # sha256 -> gzip: the same Pyodide files are compressed once per process (serve rebuilds)


def _gzipped(data):
    key = hashlib.sha256(data).digest()
    if key not in _GZIPPED:
        _GZIPPED[key] = gzip.compress(data, 9, mtime=0)
    return _GZIPPED[key]


def run_installed(runtime_dir, calls, root):
    """Run `calls` ([name, arguments] pairs) on an installed runtime, in Pyodide under Node.

    Uses exactly the installed files (standard library zip, engine zip, wizard-data.json): what a
    browser gets. Returns the decoded results, one per call. For the parity test and checks.
    """
    out = run_node(root, "run", {"dir": str(runtime_dir), "calls": calls})
    return [json.loads(text) for text in out["results"]]

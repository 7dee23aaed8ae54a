// Build-time and test-time helper for pipeline/runtime.py: the pinned Pyodide, under Node.
//
//   node pipeline/runtime_node.mjs prepare < job.json   (build: trace imports, compile .pyc)
//   node pipeline/runtime_node.mjs run     < job.json   (tests: run calls on an installed runtime)
//
// prepare  job: {"stdlib": path of python_stdlib.zip, "engine": path of the engine zip (sources),
//                "data": JSON text of the wizard data, "calls": [[name, arguments], ...],
//                "compile": [path of a zip whose *.py entries are compiled, ...]}
//   Starts Pyodide on the full standard library exactly as the browser does (engine zip on
//   sys.path, `wizard.browser` imported, the site's data loaded), runs the calls, then lists every module
//   the runtime imported from the standard library zip. Then compiles, INSIDE Pyodide (so the
//   bytecode matches the interpreter that will run it), those standard library modules and every
//   *.py of the engine zip to unchecked hash-based .pyc.
//   stdout: {"modules": [zip entry, ...], "pyc": {"entry.pyc": base64}, "results": [JSON text]}
//
// run      job: {"dir": an installed _wizard directory, "calls": [[name, arguments], ...]}
//   Starts Pyodide from the files of that directory (its standard library zip, its engine zip,
//   its wizard-data.json): what the browser gets. stdout: {"results": [JSON text, ...]}
//
// Python output goes to stderr; on failure the traceback goes to stderr and the exit is non-zero.

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const PYODIDE_DIR = path.join(here, "..", "node_modules", "pyodide") + path.sep;
const ENGINE_PATH = "/home/pyodide/wizard-engine.zip";

const toStderr = (s) => process.stderr.write(s + "\n");

async function start(stdLibURL, engineBytes, dataText) {
  const { loadPyodide } = await import(pathToFileURL(PYODIDE_DIR + "pyodide.mjs").href);
  const lock = JSON.parse(readFileSync(PYODIDE_DIR + "pyodide-lock.json", "utf8"));
  const pyodide = await loadPyodide({
    indexURL: PYODIDE_DIR,
    stdLibURL,
    lockFileContents: { info: lock.info, packages: {} },
    packageBaseUrl: PYODIDE_DIR,
    stdout: toStderr,
    stderr: toStderr,
  });
  // The same three steps as wizard/web/runtime.js (boot): engine zip on sys.path, entry, data.
  pyodide.FS.writeFile(ENGINE_PATH, engineBytes);
  pyodide.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(ENGINE_PATH)})`);
  const entry = pyodide.pyimport("wizard.browser");
  entry.load(dataText);
  return { pyodide, entry };
}

function runCalls(entry, calls) {
  return calls.map(([name, args]) => entry.call(name, JSON.stringify(args)));
}

const PREPARE_PY = `
import sys
_stdlib_prefix = "/lib/python%d%d.zip/" % sys.version_info[:2]
_modules = set()
for _m in list(sys.modules.values()):
    _origin = getattr(getattr(_m, "__spec__", None), "origin", None) or ""
    if _origin.startswith(_stdlib_prefix):
        _modules.add(_origin[len(_stdlib_prefix):])

import base64, importlib.util, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

def _pyc(source, filename):
    code = compile(source, filename, "exec", dont_inherit=True, optimize=__optimize)
    return _code_to_hash_pyc(code, importlib.util.source_hash(source), False)

_out = {}
with zipfile.ZipFile("/lib/python%d%d.zip" % sys.version_info[:2]) as _zf:
    for _name in sorted(_modules):
        _out[_name[:-3] + ".pyc"] = base64.b64encode(_pyc(_zf.read(_name), _stdlib_prefix + _name)).decode()
for _i, _zip in enumerate(__compile_zips):
    with zipfile.ZipFile(_zip) as _zf:
        for _name in sorted(_zf.namelist()):
            if _name.endswith(".py"):
                _out[_name[:-3] + ".pyc"] = base64.b64encode(_pyc(_zf.read(_name), _name)).decode()
import json
__prepared = json.dumps({"modules": sorted(_modules), "pyc": _out})
`;

async function prepare(job) {
  const { pyodide, entry } = await start(job.stdlib, readFileSync(job.engine), job.data);
  const results = runCalls(entry, job.calls);
  const zips = [];
  for (const [i, p] of (job.compile || []).entries()) {
    const dest = `/tmp/compile-${i}.zip`;
    pyodide.FS.writeFile(dest, readFileSync(p));
    zips.push(dest);
  }
  pyodide.globals.set("__compile_zips", pyodide.toPy(zips));
  pyodide.globals.set("__optimize", job.optimize || 0);
  pyodide.runPython(PREPARE_PY);
  return { ...JSON.parse(pyodide.globals.get("__prepared")), results };
}

async function run(job) {
  const dir = path.resolve(job.dir);
  const manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
  const { entry } = await start(
    path.join(dir, manifest.stdlib),
    readFileSync(path.join(dir, manifest.engine)),
    readFileSync(path.join(dir, manifest.data), "utf8"),
  );
  return { results: runCalls(entry, job.calls) };
}

async function main() {
  const mode = process.argv[2];
  const job = JSON.parse(readFileSync(0, "utf8"));
  const out = mode === "prepare" ? await prepare(job) : mode === "run" ? await run(job) : null;
  if (out === null) throw new Error("usage: node pipeline/runtime_node.mjs prepare|run < job.json");
  await new Promise((resolve) => process.stdout.write(JSON.stringify(out) + "\n", resolve));
}

main().then(
  () => process.exit(0),
  (e) => {
    toStderr(e && e.message ? e.message : String(e));
    process.exit(1);
  },
);

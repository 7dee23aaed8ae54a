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
// snapshot job: {"stdlib": path of the shipped stdlib.zip, "engine": path of the shipped engine.zip,
//                "data": JSON text of the wizard data, "out": path to write the snapshot to}
//   Starts Pyodide exactly as the browser does, with the shipped files, imports `wizard.browser`
//   (no site data: runtime.js loads it once restored), and writes Pyodide's memory snapshot (makeMemorySnapshot) to `out`, its wasm
//   memory XORed, over [lo, hi), with the memory a fresh Pyodide instance has before restoring a
//   snapshot: the wasm's read-only data (unchanged bytes become zeros and compress). [lo, hi) ends
//   before the first 4 KB block that the fresh instance's start-up wrote to (its .data and .bss:
//   seeds, argv, pointers differ per browser); runtime.js checks the Adler-32. The clocks and the
//   random source are fixed for this run, so the same files give the same bytes. Then restores the
//   snapshot in a second instance, as the browser will, loads the data and renders a first step.
//   Of the snapshot only its 64 KB pages that are not all zeros are written, one after the other.
//   stdout: {"size": bytes, "header": bytes before the memory, "lo": .., "hi": .., "sum": adler32
//            of the fresh memory over [lo, hi) (the browser checks it before XORing), "ranges":
//            [[start, end], ...] of the snapshot that the file holds, "check": text}
//
// Python output goes to stderr; on failure the traceback goes to stderr and the exit is non-zero.

import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
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

/* A deterministic stand-in for the clocks and the random source, for the snapshot run only:
   Python's hash secret, mimalloc's and libc's seeds and start-up times end up in the memory. */
function fixEntropy() {
  const nodeCrypto = createRequire(import.meta.url)("node:crypto");
  let seed = 0x2545f491;
  const fill = (view) => {
    const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    for (let i = 0; i < bytes.length; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      bytes[i] = seed >>> 24;
    }
    return view;
  };
  nodeCrypto.randomFillSync = fill;
  globalThis.crypto.getRandomValues = fill;
  let mono = 0;
  let wall = Date.UTC(2000, 0, 1);
  Object.defineProperty(performance, "now", { value: () => (mono += 0.001), configurable: true });
  Date.now = () => (wall += 1);
}

/* The memory image of the wasm module's active data segments (offsets as i32.const). */
function dataImage(wasm, size) {
  const image = new Uint8Array(size);
  let pos = 8;
  const leb = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = wasm[pos++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(byte & 0x80)) return result;
    }
  };
  while (pos < wasm.length) {
    const id = wasm[pos++];
    const size = leb();
    const end = pos + size;
    if (id === 11) {
      for (let count = leb(); count > 0; count--) {
        const flags = leb();
        if (flags !== 0 || wasm[pos++] !== 0x41) throw new Error("unexpected data segment in pyodide.asm.wasm");
        const offset = leb();  // i32.const: below 2**31 here, so the signed LEB reads the same
        if (wasm[pos++] !== 0x0b) throw new Error("unexpected data segment offset in pyodide.asm.wasm");
        const length = leb();
        image.set(wasm.subarray(pos, pos + length), offset);
        pos += length;
      }
    }
    pos = end;
  }
  return image;
}

function adler32(bytes) {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i += 4096) {
    const end = Math.min(i + 4096, bytes.length);
    for (let j = i; j < end; j++) {
      a += bytes[j];
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

const SNAPSHOT_PY = `
import gc, json, sys
sys.path.insert(0, ENGINE_PATH)
import wizard.browser
gc.collect()
`;

async function snapshot(job) {
  fixEntropy();
  const engine = readFileSync(job.engine);
  const { loadPyodide } = await import(pathToFileURL(PYODIDE_DIR + "pyodide.mjs").href);
  const createModule = (await import(pathToFileURL(PYODIDE_DIR + "pyodide.asm.mjs").href)).default;
  const lock = JSON.parse(readFileSync(PYODIDE_DIR + "pyodide-lock.json", "utf8"));
  const options = {
    indexURL: PYODIDE_DIR,
    stdLibURL: job.stdlib,
    lockFileContents: { info: lock.info, packages: {} },
    packageBaseUrl: PYODIDE_DIR,
    stdout: toStderr,
    stderr: toStderr,
  };
  const maker = await loadPyodide({ ...options, _makeSnapshot: true, env: { PYTHONHASHSEED: "0" } });
  maker.FS.writeFile(ENGINE_PATH, engine);
  // Only a Python str crosses: Python holds no JavaScript object when the memory is taken.
  maker.globals.set("ENGINE_PATH", ENGINE_PATH);
  maker.runPython(SNAPSHOT_PY);
  maker.runPython("del ENGINE_PATH");
  const snap = maker.makeMemorySnapshot();
  const header = new Uint32Array(snap.buffer, snap.byteOffset, 4)[1];

  // The memory a fresh instance has when the snapshot is restored (what runtime.js XORs with).
  let fresh = null;
  const restored = await loadPyodide({
    ...options,
    _loadSnapshot: snap.slice(),
    createPyodideModule: async (settings) => {
      const module = await createModule(settings);
      fresh = module.HEAPU8.slice(0, snap.length - header);
      return module;
    },
  });
  // [lo, hi): from the first byte of the wasm's data up to the first block start-up changed.
  const image = dataImage(readFileSync(PYODIDE_DIR + "pyodide.asm.wasm"), fresh.length);
  let lo = 0;
  while (lo < image.length && image[lo] === 0) lo++;
  let hi = lo;
  const BLOCK = 4096;
  for (let block = lo - (lo % BLOCK); block < image.length; block += BLOCK) {
    const end = Math.min(block + BLOCK, image.length);
    let same = true;
    for (let i = block; i < end && same; i++) same = image[i] === fresh[i];
    if (!same) break;
    hi = end;
  }
  const out = snap.slice();
  for (let i = lo; i < hi; i++) out[header + i] ^= fresh[i];
  // Only the pages that are not all zeros are written (the rest of the memory is zeros: the
  // browser need not inflate them): `ranges` [[start, end], ...] of the snapshot, in order.
  const PAGE = 65536;
  const ranges = [];
  for (let start = 0; start < out.length; start += PAGE) {
    const end = Math.min(start + PAGE, out.length);
    let zero = start > 0;  // the header's page is always kept
    for (let i = start; i < end && zero; i++) zero = out[i] === 0;
    if (zero) continue;
    if (ranges.length && ranges[ranges.length - 1][1] === start) ranges[ranges.length - 1][1] = end;
    else ranges.push([start, end]);
  }
  writeFileSync(job.out, Buffer.concat(ranges.map(([start, end]) => out.subarray(start, end))));

  restored.FS.writeFile(ENGINE_PATH, engine);
  const entry = restored.pyimport("wizard.browser");
  entry.load(job.data);  // as runtime.js does once restored: the snapshot holds no site's data
  const first = JSON.parse(job.data).procedures;
  const check = entry.call(
    "render",
    JSON.stringify({ procedure: Object.keys(first).sort()[0], fragment: "", lang: "en", post: null, today: "2000-01-01" }),
  );
  const sum = adler32(fresh.subarray(lo, hi));
  return { size: snap.length, header, lo, hi, sum, ranges, check: JSON.parse(check).status };
}

async function main() {
  const mode = process.argv[2];
  const job = JSON.parse(readFileSync(0, "utf8"));
  const modes = { prepare, run, snapshot };
  if (!Object.hasOwn(modes, mode)) throw new Error("usage: node pipeline/runtime_node.mjs prepare|run|snapshot < job.json");
  const out = await modes[mode](job);
  await new Promise((resolve) => process.stdout.write(JSON.stringify(out) + "\n", resolve));
}

main().then(
  () => process.exit(0),
  (e) => {
    toStderr(e && e.message ? e.message : String(e));
    process.exit(1);
  },
);

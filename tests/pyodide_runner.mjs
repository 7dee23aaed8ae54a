// Run the wizard engine inside Pyodide (the same Python runtime the site
// ships to the browser), under Node, for tests.
//
//   node tests/pyodide_runner.mjs <path/to/wizard>  < job.json
//
// job.json: {"calls": [{"procedure": {...}, "answers": {...}, "on": "YYYY-MM-DD"}, ...]}
//
// Every *.py file under <path/to/wizard> (sub-packages included, __pycache__
// skipped) is written into Pyodide's filesystem as the package `wizard` under
// /home/pyodide/wizard/. Then, for each call, in one Pyodide start:
//
//   from wizard.engine import evaluate
//   evaluate(procedure, answers, on=datetime.date.fromisoformat(on))
//
// ("on" may be omitted or null: evaluate is then called without it.)
// stdout gets exactly ONE line: the JSON list of results, one per call.
// Whatever Python prints goes to stderr. On any failure: the Python traceback
// (or JS error) on stderr and a non-zero exit.
//
// Pyodide is loaded from the repo's node_modules/pyodide (npm ci), never from a
// CDN. Only the standard library is available: the engine must not import
// third-party packages.

import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..");
const PY_HOME = "/home/pyodide";

function fail(msg, code = 1) {
  process.stderr.write(String(msg).replace(/\n?$/, "\n"));
  process.exit(code);
}

function collectPy(dir, rel = "") {
  const out = [];
  for (const name of readdirSync(path.join(dir, rel)).sort()) {
    if (name === "__pycache__" || name.startsWith(".")) continue;
    const r = rel ? `${rel}/${name}` : name;
    const st = statSync(path.join(dir, r));
    if (st.isDirectory()) out.push(...collectPy(dir, r));
    else if (st.isFile() && name.endsWith(".py")) out.push(r);
  }
  return out;
}

function readStdin() {
  try {
    return readFileSync(0, "utf8");
  } catch (e) {
    if (e.code === "EAGAIN" || e.code === "EOF") return "";
    throw e;
  }
}

const PY_DRIVER = `
import datetime, json, sys
sys.path.insert(0, ${JSON.stringify(PY_HOME)})
from wizard.engine import evaluate

_calls = json.loads(__job_json)["calls"]
_results = []
for _i, _c in enumerate(_calls):
    _kw = {}
    if _c.get("on") is not None:
        _kw["on"] = datetime.date.fromisoformat(_c["on"])
    try:
        _results.append(evaluate(_c["procedure"], _c.get("answers", {}), **_kw))
    except Exception as _e:
        _e.add_note(f"pyodide_runner: while evaluating call #{_i}")
        raise
__result_json = json.dumps(_results, ensure_ascii=False, allow_nan=False)
`;

async function main() {
  const wizardDir = process.argv[2];
  if (!wizardDir) fail("usage: node tests/pyodide_runner.mjs <wizard-dir> < job.json", 2);
  const wizardAbs = path.resolve(wizardDir);
  let files;
  try {
    files = collectPy(wizardAbs);
  } catch (e) {
    fail(`pyodide_runner: cannot read wizard dir ${wizardAbs}: ${e.message}`, 2);
  }
  if (!files.includes("engine.py")) fail(`pyodide_runner: no engine.py in ${wizardAbs}`, 2);

  const jobText = readStdin();
  let job;
  try {
    job = JSON.parse(jobText);
  } catch (e) {
    fail(`pyodide_runner: stdin is not valid JSON: ${e.message}`, 2);
  }
  if (!job || !Array.isArray(job.calls)) fail('pyodide_runner: job must be {"calls": [...]}', 2);

  const indexURL = path.join(repoRoot, "node_modules", "pyodide") + path.sep;
  let loadPyodide;
  try {
    ({ loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href));
  } catch (e) {
    fail(`pyodide_runner: cannot load ${indexURL}pyodide.mjs (run npm ci / ./run.sh setup): ${e.message}`);
  }

  const toStderr = (s) => process.stderr.write(s + "\n");
  const pyodide = await loadPyodide({ indexURL, stdout: toStderr, stderr: toStderr });

  const FS = pyodide.FS;
  FS.mkdirTree(`${PY_HOME}/wizard`);
  for (const rel of files) {
    const dest = `${PY_HOME}/wizard/${rel}`;
    FS.mkdirTree(path.posix.dirname(dest));
    FS.writeFile(dest, readFileSync(path.join(wizardAbs, rel), "utf8"), { encoding: "utf8" });
  }

  pyodide.globals.set("__job_json", jobText);
  await pyodide.runPythonAsync(PY_DRIVER);
  const out = pyodide.globals.get("__result_json");
  await new Promise((resolve) => process.stdout.write(out + "\n", resolve));
}

main().then(
  () => process.exit(0),
  (e) => {
    // PythonError.message carries the full Python traceback.
    fail(e && e.message ? e.message : String(e));
  },
);

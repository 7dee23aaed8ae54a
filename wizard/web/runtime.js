/* The wizard's Python runtime in the browser: the project's own engine on self-hosted Pyodide.
 *
 * A classic script (no modules needed by the page), installed once per site as _wizard/runtime.js
 * by pipeline/runtime.py. The page includes it with a relative path, e.g.
 *
 *     <script src="../../_wizard/runtime.js"></script>
 *
 * and then calls
 *
 *     WizardRuntime.start(options) -> Promise<api>
 *
 *   options.base     URL of the _wizard/ folder, relative to the page (default: the folder this
 *                    script was loaded from, found from its own <script src>)
 *   options.mode     "auto" (default), "worker" or "main" (force where Pyodide runs; tests)
 *   options.timeout  milliseconds before giving up on start-up (default 120000)
 *
 *   api.mode                       "worker" (http/https, module Web Worker) or "main" (main thread:
 *                                   always over file://, and over http if the worker failed)
 *   api.procedures                 ids of the procedures loaded
 *   api.timings                    {ready: ms from start() to ready}
 *   api.call(name, args)           -> Promise<object>: an entry point of wizard/browser.py
 *                                   ("render", "submit", "evaluate")
 *   api.close()                    stops the worker
 *
 * Every promise resolves with a plain object (JSON through the boundary). Problems with the
 * visitor's answers come back as values ({status: "error", errors: [...]}), never as rejections.
 * start() never throws: if Pyodide cannot start, the promise rejects with an Error and the page
 * keeps its static behaviour. Repeated start() calls share one runtime.
 *
 * Over file:// browsers refuse ES modules, fetch() and workers, so runtime-bundle.js (a classic
 * script) carries every file as base64; the loader and pyodide.asm.mjs are imported from blob:
 * URLs, and Pyodide's own request for pyodide.asm.wasm is answered from memory by a wrapper
 * around fetch for that one URL, only while Pyodide starts.
 *
 * The same file is imported by worker.mjs (module Web Worker), which uses WizardRuntime._http.
 */
(function (global) {
  "use strict";

  var ENGINE_PATH = "/home/pyodide/wizard-engine.zip";
  var DATA = "wizard-data.json";  // the site's procedures, posts, words and locale data
  var DEFAULT_TIMEOUT = 120000;
  var scriptBase = null;
  var started = {};

  if (typeof document !== "undefined" && document.currentScript && document.currentScript.src) {
    scriptBase = new URL(".", document.currentScript.src).href;
  }

  function now() {
    return typeof performance !== "undefined" ? performance.now() : Date.now();
  }


  // --- shared by the main thread and the worker ------------------------------------------------

  /* Start Pyodide, put the engine zip on sys.path, load the site's data; return a `call`.
     engineBytes (Uint8Array) and dataText may be promises: they load while Pyodide starts. */
  function boot(loadPyodide, pyodideOptions, engineBytes, dataText) {
    return Promise.all([loadPyodide(pyodideOptions), engineBytes, dataText]).then(function (loaded) {
      var pyodide = loaded[0];
      engineBytes = loaded[1];
      dataText = loaded[2];
      pyodide.FS.writeFile(ENGINE_PATH, engineBytes);
      pyodide.runPython("import sys\nsys.path.insert(0, " + JSON.stringify(ENGINE_PATH) + ")");
      var entry = pyodide.pyimport("wizard.browser");
      var procedures = JSON.parse(entry.load(dataText));
      var pyCall = entry.call;
      return {
        procedures: procedures,
        version: pyodide.version,
        call: function (name, argumentsJson) { return pyCall(String(name), argumentsJson); }
      };
    });
  }

  function fetchOk(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error("cannot load " + url + ": HTTP " + response.status); }
      return response;
    });
  }

  /* Over http(s): everything is fetched next to `base` (worker, or main thread as fallback). */
  function startHttp(loadPyodide, base) {
    var manifest = fetchOk(base + "manifest.json").then(function (r) { return r.json(); });
    var engine = fetchOk(base + "engine.zip").then(function (r) { return r.arrayBuffer(); })
      .then(function (buffer) { return new Uint8Array(buffer); });
    var data = fetchOk(base + DATA).then(function (r) { return r.text(); });
    // Each is awaited below; these handlers only keep an early failure from being reported as
    // an "unhandled rejection" while Pyodide is still starting.
    [manifest, engine, data].forEach(function (p) { p.catch(function () {}); });
    // WebAssembly.instantiateStreaming needs Content-Type application/wasm; a server that sends
    // another type would leave Pyodide hanging, so only then the response is relabelled.
    var realFetch = global.fetch;
    return answerWasm(base, function (url) {
      return realFetch(url).then(function (response) {
        if (/^application\/wasm/.test(response.headers.get("Content-Type") || "")) { return response; }
        return new Response(response.body, { status: response.status, headers: { "Content-Type": "application/wasm" } });
      });
    }, function () {
      return boot(loadPyodide, {
        indexURL: base,
        stdLibURL: base + "stdlib.zip",
        lockFileContents: manifest.then(function (m) { return m.lock; }),
        packageBaseUrl: base
      }, engine, data);
    });
  }

  /* Run `starting()` with fetch answering Pyodide's one request for pyodide.asm.wasm by
     `provide(url)`; every other request goes to the real fetch; restored once started. */
  function answerWasm(base, provide, starting) {
    var wasmURL = new URL("pyodide.asm.wasm", base).href;
    var realFetch = global.fetch;
    global.fetch = function (input, init) {
      var url = typeof input === "string" ? input : (input && input.url) || String(input);
      if (url === wasmURL) { return provide(url); }
      return realFetch.apply(this, arguments);
    };
    function restore() { global.fetch = realFetch; }
    return new Promise(function (resolve) { resolve(starting()); }).then(
      function (value) { restore(); return value; },
      function (error) { restore(); throw error; });
  }

  // --- the page side -----------------------------------------------------------------------------

  function withTimeout(promise, ms, what, onTimeout) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        if (onTimeout) { onTimeout(); }
        reject(new Error(what + " did not start within " + ms + " ms"));
      }, ms);
      promise.then(function (v) { clearTimeout(timer); resolve(v); },
                   function (e) { clearTimeout(timer); reject(e); });
    });
  }

  function makeApi(mode, procedures, rawCall, t0, close) {
    function call(name, args) {
      return rawCall(name, JSON.stringify(args === undefined ? {} : args)).then(function (text) {
        return JSON.parse(text);
      });
    }
    return {
      mode: mode,
      procedures: procedures,
      timings: { ready: Math.round(now() - t0) },
      call: call,
      close: close || function () {}
    };
  }

  function startWorker(base, t0, timeout) {
    var worker;
    var pending = {};
    var nextId = 1;
    var failure = null;
    var ready = new Promise(function (resolve, reject) {
      worker = new Worker(base + "worker.mjs", { type: "module" });
      worker.onmessage = function (event) {
        var msg = event.data || {};
        if (msg.type === "ready") { resolve(msg); return; }
        if (msg.type === "failed") { reject(new Error("worker: " + msg.message)); return; }
        var waiter = pending[msg.id];
        if (!waiter) { return; }
        delete pending[msg.id];
        if (msg.error !== undefined) { waiter.reject(new Error(msg.error)); } else { waiter.resolve(msg.result); }
      };
      worker.onerror = function (event) {
        if (event && event.preventDefault) { event.preventDefault(); }
        failure = new Error("worker error: " + ((event && event.message) || "could not load worker.mjs"));
        reject(failure);
        Object.keys(pending).forEach(function (id) { pending[id].reject(failure); delete pending[id]; });
      };
      worker.postMessage({ type: "start" });
    });
    return withTimeout(ready, timeout, "the Pyodide worker", function () { worker.terminate(); })
      .then(function (msg) {
        function rawCall(name, argumentsJson) {
          if (failure) { return Promise.reject(failure); }
          return new Promise(function (resolve, reject) {
            var id = nextId++;
            pending[id] = { resolve: resolve, reject: reject };
            worker.postMessage({ id: id, name: name, args: argumentsJson });
          });
        }
        return makeApi("worker", msg.procedures, rawCall, t0, function () { worker.terminate(); });
      }, function (error) {
        worker.terminate();
        throw error;
      });
  }

  function mainApi(runtime, t0) {
    return makeApi("main", runtime.procedures, function (name, argumentsJson) {
      return new Promise(function (resolve) { resolve(runtime.call(name, argumentsJson)); });
    }, t0);
  }

  function startMainHttp(base, t0) {
    return import(base + "pyodide.mjs").then(function (module) {
      return startHttp(module.loadPyodide, base);
    }).then(function (runtime) { return mainApi(runtime, t0); });
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("cannot load " + src)); };
      (document.head || document.documentElement).appendChild(script);
    });
  }

  /* base64 -> bytes, decoded in slices so no giant intermediate string is built at once. */
  function fromBase64(text) {
    var total = Math.floor(text.length * 3 / 4) - (text.slice(-2) === "==" ? 2 : text.slice(-1) === "=" ? 1 : 0);
    var bytes = new Uint8Array(total);
    var slice = 1 << 20;  // characters per slice, a multiple of 4
    var at = 0;
    for (var start = 0; start < text.length; start += slice) {
      var binary = atob(text.slice(start, start + slice));
      for (var i = 0; i < binary.length; i++) { bytes[at++] = binary.charCodeAt(i); }
    }
    return bytes;
  }

  function decodeFile(entry) {
    var bytes = fromBase64(entry.data);
    if (entry.encoding !== "gzip+base64") { return Promise.resolve(bytes); }
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("this browser has no DecompressionStream"));
    }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (buffer) { return new Uint8Array(buffer); });
  }

  function blobURL(bytes, type) {
    return URL.createObjectURL(new Blob([bytes], { type: type }));
  }

  /* file:// (USB stick): no fetch, no modules, no workers; everything comes from the bundle. */
  function startMainFile(base, t0) {
    var scripts = [];
    if (!global.__wizardBundle) { scripts.push(loadScript(base + "runtime-bundle.js")); }
    if (global.__wizardData === undefined) { scripts.push(loadScript(base + "wizard-data.js")); }
    var urls = [];
    return Promise.all(scripts).then(function () {
      var files = global.__wizardBundle.files;
      var names = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "stdlib.zip", "engine.zip"];
      return Promise.all(names.map(function (name) { return decodeFile(files[name]); }));
    }).then(function (bytes) {
      var manifest = global.__wizardBundle.manifest;
      global.__wizardBundle = null;  // the decoded copies are enough; let the base64 text go
      var loaderURL = blobURL(bytes[0], "text/javascript");
      var asmURL = blobURL(bytes[1], "text/javascript");
      var stdlibURL = blobURL(bytes[3], "application/zip");
      urls.push(loaderURL, asmURL, stdlibURL);
      var wasm = bytes[2];
      return answerWasm(base, function () {
        return Promise.resolve(new Response(wasm, { headers: { "Content-Type": "application/wasm" } }));
      }, function () {
        return Promise.all([import(loaderURL), import(asmURL)]).then(function (modules) {
          return boot(modules[0].loadPyodide, {
            indexURL: base,
            stdLibURL: stdlibURL,
            lockFileContents: manifest.lock,
            packageBaseUrl: base,
            createPyodideModule: modules[1].default
          }, bytes[4], global.__wizardData);
        });
      });
    }).then(function (runtime) {
      return mainApi(runtime, t0);
    }).finally(function () {
      urls.forEach(function (url) { URL.revokeObjectURL(url); });
    });
  }

  function resolveBase(base) {
    var url = base ? new URL(base, document.baseURI).href : scriptBase;
    if (!url) { throw new Error("WizardRuntime: no base given and runtime.js's own address is unknown"); }
    return url.charAt(url.length - 1) === "/" ? url : url + "/";
  }

  function startFresh(options, base) {
    var t0 = now();
    var timeout = options.timeout || DEFAULT_TIMEOUT;
    var mode = options.mode || "auto";
    if (global.location.protocol === "file:") {
      return withTimeout(startMainFile(base, t0), timeout, "Pyodide");
    }
    if (mode === "main" || typeof Worker === "undefined") {
      return withTimeout(startMainHttp(base, t0), timeout, "Pyodide");
    }
    return startWorker(base, t0, timeout).catch(function (error) {
      if (mode === "worker") { throw error; }
      if (global.console) { console.warn("WizardRuntime: worker failed, running Pyodide on the main thread", error); }
      return withTimeout(startMainHttp(base, now()), timeout, "Pyodide");
    });
  }

  function start(options) {
    return new Promise(function (resolve) {
      options = options || {};
      var base = resolveBase(options.base);
      var key = base + " " + (options.mode || "auto");
      if (!started[key]) {
        started[key] = startFresh(options, base).catch(function (error) {
          delete started[key];  // a later start() may try again
          throw error instanceof Error ? error : new Error(String(error));
        });
      }
      resolve(started[key]);
    });
  }

  global.WizardRuntime = { start: start, _http: startHttp };
})(typeof self !== "undefined" ? self : globalThis);

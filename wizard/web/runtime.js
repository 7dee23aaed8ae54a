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
 *   api.mode                       "worker" (a module Web Worker: worker.mjs over http(s), one made
 *                                   from a blob: URL over file://) or "main" (the page's own thread:
 *                                   where the engine allows no worker, or the worker failed)
 *   api.workerError                why the worker did not start (mode "main"), else undefined
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
 * Over file:// browsers refuse ES modules, fetch() and workers from files, so runtime-bundle.js (a
 * classic script) carries every file as base64. The page hands it to a classic worker made from a
 * blob: URL (this very script's source plus fileWorker below), so that decoding and starting
 * Python never block the page; where the engine allows no such worker from a page on disk
 * (WebKitGTK 2.50 refuses the worker's import() of the blob: modules: "Cross-origin script load
 * denied by Cross-Origin Resource Sharing policy"), the same steps run on the page.
 * Either way the loader and pyodide.asm.mjs are imported from blob: URLs, and Pyodide's own
 * request for pyodide.asm.wasm is answered from memory by a wrapper around fetch for that one URL,
 * only while Pyodide starts.
 *
 * The same file is imported by worker.mjs (module Web Worker, http), which uses WizardRuntime._http,
 * and is the first half of the file:// worker, which uses WizardRuntime._bundle.
 */
(function wizardRuntime(global) {
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
    var answers = {};
    answers[wasmURL(base)] = function (url) {
      return realFetch(url).then(function (response) {
        if (/^application\/wasm/.test(response.headers.get("Content-Type") || "")) { return response; }
        return new Response(response.body, { status: response.status, headers: { "Content-Type": "application/wasm" } });
      });
    };
    return answerFetch(answers, function () {
      return boot(loadPyodide, {
        indexURL: base,
        stdLibURL: base + "stdlib.zip",
        lockFileContents: manifest.then(function (m) { return m.lock; }),
        packageBaseUrl: base
      }, engine, data);
    });
  }

  /* Run `starting()` with fetch answering Pyodide's requests for the URLs in `answers` ({url:
     function(url) -> Promise<Response>}) itself; every other request goes to the real fetch;
     restored once started. */
  function answerFetch(answers, starting) {
    var realFetch = global.fetch;
    global.fetch = function (input, init) {
      var url = typeof input === "string" ? input : (input && input.url) || String(input);
      if (Object.prototype.hasOwnProperty.call(answers, url)) { return answers[url](url); }
      return realFetch.apply(this, arguments);
    };
    function restore() { global.fetch = realFetch; }
    return new Promise(function (resolve) { resolve(starting()); }).then(
      function (value) { restore(); return value; },
      function (error) { restore(); throw error; });
  }

  function wasmURL(base) { return new URL("pyodide.asm.wasm", base).href; }

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

  /* Pyodide in a Web Worker made by `create()`, started by the message `start`; the page talks to it
     with the protocol of worker.mjs. */
  function startWorker(create, start, t0, timeout) {
    var worker;
    var pending = {};
    var nextId = 1;
    var failure = null;
    var ready = new Promise(function (resolve, reject) {
      worker = create();
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
        failure = new Error("worker error: " + ((event && event.message) || "the worker could not load"));
        reject(failure);
        Object.keys(pending).forEach(function (id) { pending[id].reject(failure); delete pending[id]; });
      };
      worker.postMessage(start);
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

  function startHttpWorker(base, t0, timeout) {
    return startWorker(function () { return new Worker(base + "worker.mjs", { type: "module" }); },
                       { type: "start" }, t0, timeout);
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
    // From the bytes' own stream, not a Blob's: WebKit cannot read Blobs in a worker from file://.
    var stream = new Response(bytes).body.pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (buffer) { return new Uint8Array(buffer); });
  }

  function blobURL(bytes, type) {
    return URL.createObjectURL(new Blob([bytes], { type: type }));
  }

  /* Start Pyodide from runtime-bundle.js's files ({name: {encoding, data}}) and the site's data
     (JSON text): on the page (file://, when no worker can start) or in the file:// worker. */
  function startBundle(files, manifest, dataText, base) {
    var urls = [];
    var names = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "stdlib.zip", "engine.zip"];
    return Promise.all(names.map(function (name) { return decodeFile(files[name]); })).then(function (bytes) {
      files = null;  // the decoded copies are enough; let the base64 text go
      var loaderURL = blobURL(bytes[0], "text/javascript");
      var asmURL = blobURL(bytes[1], "text/javascript");
      urls.push(loaderURL, asmURL);
      // The wasm and the standard library are answered from memory, not read back from blob: URLs.
      var stdlibURL = new URL("stdlib.zip", base).href;
      var answers = {};
      answers[wasmURL(base)] = function () {
        return Promise.resolve(new Response(bytes[2], { headers: { "Content-Type": "application/wasm" } }));
      };
      answers[stdlibURL] = function () {
        return Promise.resolve(new Response(bytes[3], { headers: { "Content-Type": "application/zip" } }));
      };
      return answerFetch(answers, function () {
        return Promise.all([import(loaderURL), import(asmURL)]).then(function (modules) {
          return boot(modules[0].loadPyodide, {
            indexURL: base,
            stdLibURL: stdlibURL,
            lockFileContents: manifest.lock,
            packageBaseUrl: base,
            createPyodideModule: modules[1].default
          }, bytes[4], dataText);
        });
      });
    }).finally(function () {
      urls.forEach(function (url) { URL.revokeObjectURL(url); });
    });
  }

  /* file:// (USB stick): the bundle and the data come as classic scripts beside this one. */
  function loadBundle(base) {
    var scripts = [];
    if (!global.__wizardBundle) { scripts.push(loadScript(base + "runtime-bundle.js")); }
    if (global.__wizardData === undefined) { scripts.push(loadScript(base + "wizard-data.js")); }
    return Promise.all(scripts).then(function () {
      var bundle = global.__wizardBundle;
      global.__wizardBundle = null;  // whoever starts Pyodide holds it from now on
      return { files: bundle.files, manifest: bundle.manifest, data: global.__wizardData };
    });
  }

  function startMainFile(bundle, base, t0) {
    return startBundle(bundle.files, bundle.manifest, bundle.data, base).then(function (runtime) {
      return mainApi(runtime, t0);
    });
  }

  /* The Worker constructor of this browser. Material's search shim (iframe-worker) replaces
     window.Worker over file:// with an iframe-based stand-in; a hidden about:blank frame of this
     page still has the real one (the frame stays: a worker lives as long as its document). */
  function nativeWorker() {
    if (typeof Worker === "undefined") { return null; }
    if (!global.IFrameWorker || Worker !== global.IFrameWorker) { return Worker; }
    var frame = document.createElement("iframe");
    frame.hidden = true;
    frame.setAttribute("aria-hidden", "true");
    frame.tabIndex = -1;
    (document.body || document.documentElement).appendChild(frame);
    return frame.contentWindow && frame.contentWindow.Worker || null;
  }

  /* The file:// worker's own code (after this script's, which defines self.WizardRuntime): the
     protocol of worker.mjs, its start message carrying the bundle and the data. A classic worker:
     Chromium refuses a module worker from a blob: URL on a page from disk ("cross-origin
     redirect"). Pyodide refuses classic workers, which it detects by calling
     importScripts("data:..."), a load the page's policy refuses and reports as a violation; this
     worker imports nothing by importScripts, so it has none. */
  function fileWorker(self) {
    var runtime = null;
    var t0 = performance.now();
    self.importScripts = undefined;
    self.onmessage = function (event) {
      var msg = event.data || {};
      if (msg.type === "start") {
        runtime = self.WizardRuntime._bundle(msg.files, msg.manifest, msg.data, msg.base);
        runtime.then(
          function (rt) { self.postMessage({ type: "ready", procedures: rt.procedures, timings: { boot: Math.round(performance.now() - t0) } }); },
          function (error) { self.postMessage({ type: "failed", message: String((error && error.message) || error) }); });
        return;
      }
      runtime.then(function (rt) {
        try {
          self.postMessage({ id: msg.id, result: rt.call(msg.name, msg.args) });
        } catch (error) {
          self.postMessage({ id: msg.id, error: String((error && error.message) || error) });
        }
        self.WizardRuntime._warm(rt);
      }, function (error) { self.postMessage({ id: msg.id, error: String((error && error.message) || error) }); });
    };
  }

  /* In a worker, once, after the page's first call (its first step): wizard.browser.warm renders a
     question and an outcome of each procedure, so that the visitor's first answers do not pay for
     Pyodide compiling its WebAssembly on first use. */
  function warm(rt) {
    if (rt.warmed) { return; }
    rt.warmed = true;
    var d = new Date();
    var today = d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
    var left = rt.procedures.slice();
    // One procedure per task: a call that arrives meanwhile waits for one procedure's warm-up at most.
    (function next() {
      if (!left.length) { return; }
      var only = left.shift();
      setTimeout(function () {
        try { rt.call("warm", JSON.stringify({ today: today, only: only })); } catch (error) { /* only a warm-up */ }
        next();
      }, 0);
    })();
  }

  function startFileWorker(bundle, base, t0, timeout) {
    var Native = nativeWorker();
    if (!Native) { return Promise.reject(new Error("no Worker here")); }
    var source = "(" + wizardRuntime.toString() + ")(self);\n(" + fileWorker.toString() + ")(self);\n";
    var url = blobURL(source, "text/javascript");
    return startWorker(function () { return new Native(url); }, {
      type: "start", files: bundle.files, manifest: bundle.manifest, data: bundle.data, base: base
    }, t0, timeout).finally(function () { URL.revokeObjectURL(url); });
  }

  function startFile(base, t0, mode, timeout) {
    return withTimeout(loadBundle(base), timeout, "the runtime bundle").then(function (bundle) {
      if (mode === "main") { return withTimeout(startMainFile(bundle, base, t0), timeout, "Pyodide"); }
      return startFileWorker(bundle, base, t0, timeout).catch(function (error) {
        if (mode === "worker") { throw error; }
        // Expected in some engines from disk (not a fault of the page): no warning, the reason kept.
        return withTimeout(startMainFile(bundle, base, t0), timeout, "Pyodide").then(function (api) {
          api.workerError = String(error && error.message || error);
          return api;
        });
      });
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
      return startFile(base, t0, mode, timeout);
    }
    if (mode === "main" || typeof Worker === "undefined") {
      return withTimeout(startMainHttp(base, t0), timeout, "Pyodide");
    }
    return startHttpWorker(base, t0, timeout).catch(function (error) {
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

  global.WizardRuntime = { start: start, _http: startHttp, _bundle: startBundle, _warm: warm };
})(typeof self !== "undefined" ? self : globalThis);

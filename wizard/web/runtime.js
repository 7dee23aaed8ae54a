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
 *   options.snapshot false: start Python from scratch, not from the build's memory snapshot
 *                    (also when the page's address has ?snapshot=0; benchmarks, tests)
 *
 *   api.mode                       "worker" (a module Web Worker: worker.mjs over http(s), one made
 *                                   from a blob: URL over file://) or "main" (the page's own thread:
 *                                   where the engine allows no worker, or the worker failed)
 *   api.workerError                why the worker did not start (mode "main"), else undefined
 *   api.procedures                 ids of the procedures loaded
 *   api.timings                    {ready: ms from start() to ready, phases: from a snapshot, when
 *                                   (ms by the clock of the thread Pyodide runs in) it began, the
 *                                   snapshot was unpacked, the wasm instantiated, the memory restored,
 *                                   and the runtime was ready}
 *   api.start                      "snapshot" (Pyodide's memory restored from the build's snapshot:
 *                                   Python already started, the engine imported; the data loaded after)
 *                                   or "normal" (started from scratch)
 *   api.snapshotError              why the snapshot was not used ("normal"), else undefined
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
 * Python never block the page; a second worker from the same URL, the helper, compiles the wasm and
 * inflates the snapshot meanwhile (startFileWorker: about 0.1 s sooner ready from disk on 2 cores);
 * where the engine allows no such worker from a page on disk
 * (WebKitGTK 2.50 refuses the worker's import() of the blob: modules: "Cross-origin script load
 * denied by Cross-Origin Resource Sharing policy"), the same steps run on the page.
 * Either way the loader and pyodide.asm.mjs are imported from blob: URLs.
 *
 * Over http and from disk alike, the wasm is compiled as soon as its bytes are there (fetched, or
 * decoded from the bundle), not when Pyodide asks for it after loading pyodide.asm.mjs: while
 * Pyodide starts, wrappers around fetch and WebAssembly.instantiateStreaming answer its request
 * for pyodide.asm.wasm with that module (answerFetch).
 *
 * The snapshot (snapshot.bin over http, runtime-snapshot.js from disk; its layout in the manifest):
 * Pyodide's memory as the build left it after importing wizard.browser and loading the site's
 * data (pipeline/runtime_node.mjs). It is gzipped, and its memory XORed over [lo, hi) with the
 * memory a fresh instance of this very pyodide.asm.wasm has (its static data: unchanged bytes
 * become zeros and compress); runtime.js checks that fresh memory's Adler-32 against the build's
 * before undoing the XOR, and gzip's CRC-32 guards the rest. Whatever goes wrong with it (missing,
 * corrupt, another Pyodide, Python failing after the restore), Pyodide starts normally instead
 * and api.snapshotError says why.
 *
 * The same file is imported by worker.mjs (module Web Worker, http), which uses WizardRuntime._http,
 * and is the first half of the file:// worker, which uses WizardRuntime._bundle.
 */
(function wizardRuntime(global) {
  "use strict";

  var ENGINE_PATH = "/home/pyodide/wizard-engine.zip";
  var DATA = "wizard-data.json";  // the site's procedures, posts, words and locale data
  var SNAPSHOT = "snapshot.bin";  // Pyodide's memory, the engine imported (no site data)
  var DEFAULT_TIMEOUT = 120000;
  var SNAPSHOT_TIMEOUT = 30000;  // a start from the snapshot that takes longer gives way to a normal one
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
     engineBytes (Uint8Array) may be a promise: it loads while Pyodide starts; data() returns the
     site's data (JSON text, or a promise of it). */
  function bootNormal(loadPyodide, pyodideOptions, engineBytes, data) {
    return Promise.all([loadPyodide(pyodideOptions), engineBytes, data()]).then(function (loaded) {
      var pyodide = loaded[0];
      pyodide.FS.writeFile(ENGINE_PATH, loaded[1]);
      pyodide.runPython("import sys\nsys.path.insert(0, " + JSON.stringify(ENGINE_PATH) + ")");
      var entry = pyodide.pyimport("wizard.browser");
      return runtimeOf(pyodide, entry, JSON.parse(entry.load(loaded[2])), "normal");
    });
  }

  function runtimeOf(pyodide, entry, procedures, start) {
    // What is loaded by now (the standard library, the engine, the site's data) lives as long as the
    // page: gc.freeze moves it out of the collector's sight, so that its collections (one every few
    // steps) scan what the steps allocate, not the whole heap again.
    pyodide.runPython("import gc\ngc.freeze()");
    var pyCall = entry.call;
    return {
      procedures: procedures,
      version: pyodide.version,
      start: start,
      call: function (name, argumentsJson) { return pyCall(String(name), argumentsJson); }
    };
  }

  /* Adler-32 of `bytes` (the build computes the same over the fresh memory). */
  function adler32(bytes) {
    var a = 1, b = 0;
    for (var i = 0; i < bytes.length; i += 4096) {
      var end = Math.min(i + 4096, bytes.length);
      for (var j = i; j < end; j++) { a += bytes[j]; b += a; }
      a %= 65521;
      b %= 65521;
    }
    return ((b << 16) | a) >>> 0;
  }

  /* The gzip stream `body` decompressed into the `ranges` ([[start, end], ...], in order) of
     `target` (zeros elsewhere), which it must fill exactly. */
  function gunzipInto(body, target, ranges) {
    if (typeof DecompressionStream === "undefined") {
      return Promise.reject(new Error("this browser has no DecompressionStream"));
    }
    var reader = body.pipeThrough(new DecompressionStream("gzip")).getReader();
    var range = 0;
    var at = ranges.length ? ranges[0][0] : 0;
    function pump() {
      return reader.read().then(function (chunk) {
        if (chunk.done) {
          if (range !== ranges.length) { throw new Error("the snapshot is shorter than its manifest says"); }
          return target;
        }
        var bytes = chunk.value;
        while (bytes.length) {
          if (range === ranges.length) { throw new Error("the snapshot is longer than its manifest says"); }
          var take = Math.min(bytes.length, ranges[range][1] - at);
          target.set(take === bytes.length ? bytes : bytes.subarray(0, take), at);
          bytes = bytes.subarray(take);
          at += take;
          if (at === ranges[range][1] && ++range < ranges.length) { at = ranges[range][0]; }
        }
        return pump();
      });
    }
    return pump();
  }

  /* The snapshot's memory (zeros) and the promise of it filled from the gzip stream `body`. */
  function unpackSnapshot(info, body, phases) {
    var memory = new Uint8Array(info.size);
    var filled = Promise.resolve(body).then(function (stream) { return gunzipInto(stream, memory, info.ranges); })
      .then(function (bytes) { phases.unpacked = Math.round(now()); return bytes; });
    filled.catch(function () {});  // awaited by bootSnapshot
    return { memory: memory, filled: filled };
  }

  /* The snapshot's memory (zeros) and the promise of it filled from `raw` (a promise of the gzip's
     inflated bytes, as the file:// helper worker sends them: the `ranges` one after another). */
  function placeSnapshot(info, raw, phases) {
    var memory = new Uint8Array(info.size);
    var filled = raw.then(function (buffer) {
      var bytes = new Uint8Array(buffer);
      var at = 0;
      info.ranges.forEach(function (range) {
        var length = range[1] - range[0];
        if (at + length > bytes.length) { throw new Error("the snapshot is shorter than its manifest says"); }
        memory.set(bytes.subarray(at, at + length), range[0]);
        at += length;
      });
      if (at !== bytes.length) { throw new Error("the snapshot is longer than its manifest says"); }
      phases.unpacked = Math.round(now());
      return memory;
    });
    filled.catch(function () {});  // awaited by bootSnapshot
    return { memory: memory, filled: filled };
  }

  /* Start from the build's memory snapshot: `snapshot` is {info: the manifest's layout, body: a
     promise of its gzip stream, createModule: a promise of pyodide.asm.mjs's default export;
     or, already being unpacked, `unpacked` and `phases` instead of `body`}.
     The snapshot is decompressed while the wasm compiles; the fresh instance's memory is checked
     and XORed back in before Pyodide restores it. */
  function bootSnapshot(loadPyodide, pyodideOptions, engineBytes, data, snapshot) {
    var info = snapshot.info;
    var phases = snapshot.phases || { begun: Math.round(now()) };
    var unpacked = snapshot.unpacked || unpackSnapshot(info, snapshot.body, phases);
    var memory = unpacked.memory;
    var filled = unpacked.filled;
    var options = {};
    Object.keys(pyodideOptions).forEach(function (key) { options[key] = pyodideOptions[key]; });
    options._loadSnapshot = memory;
    options.createPyodideModule = function (settings) {
      return Promise.all([Promise.resolve(snapshot.createModule).then(function (create) { return create(settings); }), filled])
        .then(function (got) {
          phases.instantiated = Math.round(now());
          var fresh = got[0].HEAPU8;
          if (adler32(fresh.subarray(info.lo, info.hi)) !== info.sum) {
            throw new Error("this Pyodide's fresh memory is not the one the snapshot was made against");
          }
          for (var i = info.lo, at = info.header + info.lo; i < info.hi; i++, at++) { memory[at] ^= fresh[i]; }
          return got[0];
        });
    };
    return Promise.all([loadPyodide(options), engineBytes, data()]).then(function (loaded) {
      var pyodide = loaded[0];
      memory = null;
      phases.restored = Math.round(now());
      // Files live outside the wasm memory: the engine zip is written again (same bytes, same
      // place); `random` was seeded at build time and is seeded again from this browser. The
      // snapshot holds the engine, not the site's data (one snapshot serves every content).
      pyodide.FS.writeFile(ENGINE_PATH, loaded[1]);
      pyodide.runPython("import sys\nif 'random' in sys.modules: sys.modules['random'].seed()");
      var entry = pyodide.pyimport("wizard.browser");
      var rt = runtimeOf(pyodide, entry, JSON.parse(entry.load(loaded[2])), "snapshot");
      phases.ready = Math.round(now());
      rt.phases = phases;
      return rt;
    });
  }

  /* From the snapshot if there is one (`snapshot`: a promise of the argument of bootSnapshot, or
     of null if the build made none), else, or if that fails, normally; the reason is kept as
     snapshotError. `snapshot` false: not wanted (options.snapshot false, ?snapshot=0). */
  function boot(loadPyodide, pyodideOptions, engineBytes, data, snapshot) {
    function normally(why) {
      return bootNormal(loadPyodide, pyodideOptions, engineBytes, data).then(function (rt) {
        if (why) { rt.snapshotError = why; }
        return rt;
      });
    }
    return Promise.resolve(snapshot).then(function (snap) {
      if (snap === false) { return normally("turned off (?snapshot=0 or options.snapshot false)"); }
      if (!snap) { return normally("the build made no snapshot"); }
      var attempt = withTimeout(bootSnapshot(loadPyodide, pyodideOptions, engineBytes, data, snap), SNAPSHOT_TIMEOUT,
                                "Pyodide from the snapshot");
      return attempt.catch(function (error) {
        return normally(String((error && error.message) || error));
      });
    }, function (error) {
      return normally(String((error && error.message) || error));
    });
  }

  function fetchOk(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error("cannot load " + url + ": HTTP " + response.status); }
      return response;
    });
  }

  /* Over http(s): everything is fetched next to `base` (worker, or main thread as fallback).
     useSnapshot: false to start normally. */
  function startHttp(loadPyodide, base, useSnapshot) {
    var manifest = fetchOk(base + "manifest.json").then(function (r) { return r.json(); });
    var engine = fetchOk(base + "engine.zip").then(function (r) { return r.arrayBuffer(); })
      .then(function (buffer) { return new Uint8Array(buffer); });
    var snapshot = false;
    if (useSnapshot !== false) {
      // Fetched at once, beside the manifest that describes it; started from once both answered.
      var body = fetchOk(base + SNAPSHOT).then(function (r) { return r.body; });
      snapshot = Promise.all([manifest, body]).then(function (got) {
        if (!got[0].snapshot) { return null; }
        return {
          info: got[0].snapshot,
          body: got[1],
          createModule: import(base + "pyodide.asm.mjs").then(function (module) { return module.default; })
        };
      });
    }
    function data() { return fetchOk(base + DATA).then(function (r) { return r.text(); }); }
    // Each is awaited below; these handlers only keep an early failure from being reported as
    // an "unhandled rejection" while Pyodide is still starting.
    [manifest, engine, snapshot].forEach(function (p) { if (p && p.catch) { p.catch(function () {}); } });
    // WebAssembly.instantiateStreaming needs Content-Type application/wasm; a server that sends
    // another type would leave Pyodide hanging, so only then the response is relabelled.
    var realFetch = global.fetch;
    function wasmResponse(url) {
      return realFetch(url).then(function (response) {
        if (/^application\/wasm/.test(response.headers.get("Content-Type") || "")) { return response; }
        return new Response(response.body, { status: response.status, headers: { "Content-Type": "application/wasm" } });
      });
    }
    var wasm = { url: wasmURL(base) };
    // Compiled from now on, while the snapshot unpacks and pyodide.asm.mjs loads and runs.
    wasm.module = compile(wasmResponse(wasm.url));
    var answers = {};
    answers[wasm.url] = wasmResponse;  // only if that compile failed
    return answerFetch(answers, function () {
      return boot(loadPyodide, {
        indexURL: base,
        stdLibURL: base + "stdlib.zip",
        lockFileContents: manifest.then(function (m) { return m.lock; }),
        packageBaseUrl: base
      }, engine, data, snapshot);
    }, wasm);
  }

  /* A promise of the WebAssembly.Module of `source` (a promise of its Response, or of its bytes). */
  function compile(source) {
    var module = Promise.resolve(source).then(function (got) {
      if (!(got instanceof Response)) { return WebAssembly.compile(got); }
      if (typeof WebAssembly.compileStreaming === "function") { return WebAssembly.compileStreaming(got); }
      return got.arrayBuffer().then(function (bytes) { return WebAssembly.compile(bytes); });
    });
    module.catch(function () {});  // awaited when Pyodide asks for the wasm
    return module;
  }

  /* Run `starting()` with fetch answering Pyodide's requests for the URLs in `answers` ({url:
     function(url) -> Promise<Response>}) itself; every other request goes to the real fetch;
     restored once started.

     `wasm` ({url, module}): Pyodide's wasm, already being compiled (`module`, a promise of its
     WebAssembly.Module) since before Pyodide asked for it. Pyodide fetches it and hands the
     response to WebAssembly.instantiateStreaming only once pyodide.asm.mjs has loaded and run
     (about 0.3 s into a cold start in Chromium); compiled from the start instead, the worker was
     ready about 45 ms sooner (median of four cold starts, http and file://). So its request for
     wasm.url gets a stand-in, and instantiateStreaming of that stand-in instantiates the module
     compiled early (or, if that compile failed, streams answers[url]). */
  function answerFetch(answers, starting, wasm) {
    var realFetch = global.fetch;
    var realStreaming = WebAssembly.instantiateStreaming;
    var standIns = [];
    global.fetch = function (input, init) {
      var url = typeof input === "string" ? input : (input && input.url) || String(input);
      if (wasm && url === wasm.url) {
        var standIn = wasm.module.then(function () { return new Response(null); },
                                       function () { return answers[url](url); });
        standIns.push(standIn);
        return standIn;
      }
      if (Object.prototype.hasOwnProperty.call(answers, url)) { return answers[url](url); }
      return realFetch.apply(this, arguments);
    };
    if (wasm) {
      WebAssembly.instantiateStreaming = function (source, imports) {
        if (standIns.indexOf(source) < 0) { return realStreaming.apply(WebAssembly, arguments); }
        return wasm.module.then(function (module) {
          return WebAssembly.instantiate(module, imports).then(function (instance) {
            return { module: module, instance: instance };
          });
        }, function () { return realStreaming.call(WebAssembly, source, imports); });
      };
    }
    function restore() {
      global.fetch = realFetch;
      WebAssembly.instantiateStreaming = realStreaming;
    }
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

  /* `runtime`: {procedures, start, snapshotError} (from boot, or the worker's ready message). */
  function makeApi(mode, runtime, rawCall, t0, close) {
    function call(name, args) {
      return rawCall(name, JSON.stringify(args === undefined ? {} : args)).then(function (text) {
        return JSON.parse(text);
      });
    }
    return {
      mode: mode,
      procedures: runtime.procedures,
      start: runtime.start,
      snapshotError: runtime.snapshotError,
      timings: { ready: Math.round(now() - t0), phases: runtime.phases },
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
        return makeApi("worker", msg, rawCall, t0, function () { worker.terminate(); });
      }, function (error) {
        worker.terminate();
        throw error;
      });
  }

  function startHttpWorker(base, t0, timeout, useSnapshot) {
    var url = base + "worker.mjs" + (useSnapshot === false ? "?snapshot=0" : "");
    return startWorker(function () { return new Worker(url, { type: "module" }); },
                       { type: "start" }, t0, timeout);
  }

  function mainApi(runtime, t0) {
    return makeApi("main", runtime, function (name, argumentsJson) {
      return new Promise(function (resolve) { resolve(runtime.call(name, argumentsJson)); });
    }, t0);
  }

  function startMainHttp(base, t0, useSnapshot) {
    return import(base + "pyodide.mjs").then(function (module) {
      return startHttp(module.loadPyodide, base, useSnapshot);
    }).then(function (runtime) { return mainApi(runtime, t0); });
  }

  function loadScript(src, charset) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      if (charset) { script.charset = charset; }
      script.src = src;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("cannot load " + src)); };
      (document.head || document.documentElement).appendChild(script);
    });
  }

  /* base64 -> bytes, decoded in slices so no giant intermediate string is built at once. */
  function fromBase64(text) {
    if (typeof Uint8Array.fromBase64 === "function") { return Uint8Array.fromBase64(text); }
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

  /* A string whose characters are windows-1252's for bytes (runtime-snapshot.js's, loaded with
     that charset) -> the bytes. A character no byte gives (U+FFFD: the file was read as another
     encoding) is an error. */
  var fromWindows1252 = null;
  function binaryString(text) {
    if (!fromWindows1252) {
      fromWindows1252 = {};
      var decoder = new TextDecoder("windows-1252");
      for (var b = 0x80; b < 0xa0; b++) { fromWindows1252[decoder.decode(new Uint8Array([b])).charCodeAt(0)] = b; }
    }
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c < 256) { bytes[i] = c; continue; }
      var byte = fromWindows1252[c];
      if (byte === undefined) { throw new Error("runtime-snapshot.js was not read as windows-1252"); }
      bytes[i] = byte;
    }
    return bytes;
  }

  /* A runtime-bundle.js entry's bytes as a stream (inflated as it is read, if gzipped). From the
     bytes' own stream, not a Blob's: WebKit cannot read Blobs in a worker from file://. */
  function fileStream(entry) {
    var body = new Response(fromBase64(entry.data)).body;
    if (entry.encoding !== "gzip+base64") { return body; }
    if (typeof DecompressionStream === "undefined") { throw new Error("this browser has no DecompressionStream"); }
    return body.pipeThrough(new DecompressionStream("gzip"));
  }

  function decodeFile(entry) {
    if (entry.encoding !== "gzip+base64") { return Promise.resolve(fromBase64(entry.data)); }
    return new Promise(function (resolve) { resolve(new Response(fileStream(entry)).arrayBuffer()); })
      .then(function (buffer) { return new Uint8Array(buffer); });
  }

  function messageOf(error) { return String((error && error.message) || error); }

  /* In the file:// helper worker (see startFileWorker): `wasmEntry` (runtime-bundle.js's entry of
     the wasm) compiled as it inflates, then, given by snapshot(entry), the snapshot inflated
     (runtime-snapshot.js's {encoding, data}, or {error}); each handed to send(reply, transfer) as
     soon as it is ready: {what: "wasm" or "snapshot", value} or {what, error}. The wasm goes as a
     WebAssembly.Module (where an engine cannot pass one on, postMessage throws: Pyodide's worker
     fails, and the page starts Pyodide itself), the snapshot as the bytes of its ranges, in order.
     Returns {wasmSent, snapshot(entry) -> a promise of it sent}. */
  function unpackInHelper(wasmEntry, send) {
    var module;
    try {
      module = compile(new Response(fileStream(wasmEntry), { headers: { "Content-Type": "application/wasm" } }));
    } catch (error) {
      module = Promise.reject(error);
    }
    wasmEntry = null;
    var wasmSent = module.then(function (compiled) { send({ what: "wasm", value: compiled }); })
      .catch(function (error) { send({ what: "wasm", error: messageOf(error) }); });
    function snapshot(snap) {
      // After the wasm, which is needed first; meanwhile the other worker sets Pyodide up.
      return wasmSent.then(function () {
        if (snap.error) { throw new Error(snap.error); }
        var packed = snap.encoding === "gzip+windows-1252" ? binaryString(snap.data) : fromBase64(snap.data);
        snap = null;
        if (typeof DecompressionStream === "undefined") { throw new Error("this browser has no DecompressionStream"); }
        return new Response(new Response(packed).body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
      }).then(function (buffer) {
        send({ what: "snapshot", value: buffer }, [buffer]);
      }, function (error) {
        send({ what: "snapshot", error: messageOf(error) });
      });
    }
    return { wasmSent: wasmSent, snapshot: snapshot };
  }

  /* In the file:// worker: the promises of what the helper worker sends (relayed by the page):
     `wasm` (a WebAssembly.Module) and `snapshot` (the bytes of its ranges); deliver(reply)
     settles them. */
  function fromHelper() {
    var settle = {};
    var got = {};
    ["wasm", "snapshot"].forEach(function (what) {
      got[what] = new Promise(function (resolve, reject) { settle[what] = { resolve: resolve, reject: reject }; });
    });
    got.wasm.catch(function () {});  // awaited when Pyodide asks for the wasm
    got.snapshot.catch(function () {});  // awaited by bootSnapshot
    got.deliver = function (reply) {
      var waiter = settle[reply.what];
      if (!waiter) { return; }
      if (reply.error !== undefined) {
        waiter.reject(new Error("the helper worker: " + reply.error));
      } else {
        waiter.resolve(reply.value);
      }
    };
    return got;
  }

  function blobURL(bytes, type) {
    return URL.createObjectURL(new Blob([bytes], { type: type }));
  }

  /* Start Pyodide from runtime-bundle.js's files ({name: {encoding, data}}) and the site's data
     (JSON text): on the page (file://, when no worker can start) or in the file:// worker.
     `snap`: runtime-snapshot.js's {encoding, data}, {error: why there is none}, {helper: true} (the
     helper worker unpacks it), or null (not wanted). `helper`: what the helper worker sends (see
     fromHelper: the wasm compiled, the snapshot inflated), or null; with it, `files` has no wasm. */
  function startBundle(files, manifest, dataText, base, snap, helper) {
    var urls = [];
    var names = ["pyodide.mjs", "pyodide.asm.mjs", "stdlib.zip", "engine.zip"];
    var phases = { begun: Math.round(now()) };
    // The snapshot first: unpacking it is the longest part, and goes on while the rest decodes.
    var snapshot = false;
    if (snap && snap.error) {
      snapshot = Promise.reject(new Error(snap.error));
    } else if (snap && !manifest.snapshot) {
      snapshot = Promise.reject(new Error("the manifest describes no snapshot"));
    } else if (snap && snap.helper) {
      snapshot = { info: manifest.snapshot, phases: phases, unpacked: placeSnapshot(manifest.snapshot, helper.snapshot, phases) };
    } else if (snap) {
      try {
        var packed = snap.encoding === "gzip+windows-1252" ? binaryString(snap.data) : fromBase64(snap.data);
        var body = new Response(packed).body;
        snapshot = { info: manifest.snapshot, phases: phases, unpacked: unpackSnapshot(manifest.snapshot, body, phases) };
      } catch (error) {
        snapshot = Promise.reject(error);
      }
    }
    snap = null;
    if (snapshot && snapshot.catch) { snapshot.catch(function () {}); }
    var decoded = names.map(function (name) { return decodeFile(files[name]); });
    var wasmBytes = helper ? null : decodeFile(files["pyodide.asm.wasm"]);
    // Compiled as soon as decoded here, or by the helper worker meanwhile.
    var wasm = { url: wasmURL(base), module: helper ? helper.wasm : compile(wasmBytes) };
    return Promise.all(decoded).then(function (bytes) {
      files = null;  // the decoded copies are enough; let the base64 text go
      var loaderURL = blobURL(bytes[0], "text/javascript");
      var asmURL = blobURL(bytes[1], "text/javascript");
      urls.push(loaderURL, asmURL);
      // The wasm and the standard library are answered from memory, not read back from blob: URLs.
      var stdlibURL = new URL("stdlib.zip", base).href;
      var answers = {};
      answers[wasm.url] = function () {
        // Asked only if the wasm did not compile. Pyodide, handed a failure here, warns and never
        // settles; without the helper's wasm the start fails below instead, and quietly.
        if (!wasmBytes) { return new Promise(function () {}); }
        return wasmBytes.then(function (b) { return new Response(b, { headers: { "Content-Type": "application/wasm" } }); });
      };
      answers[stdlibURL] = function () {
        return Promise.resolve(new Response(bytes[2], { headers: { "Content-Type": "application/zip" } }));
      };
      var started = answerFetch(answers, function () {
        return Promise.all([import(loaderURL), import(asmURL)]).then(function (modules) {
          if (snapshot && !snapshot.catch) { snapshot.createModule = modules[1].default; }
          return boot(modules[0].loadPyodide, {
            indexURL: base,
            stdLibURL: stdlibURL,
            lockFileContents: manifest.lock,
            packageBaseUrl: base,
            createPyodideModule: modules[1].default
          }, bytes[3], function () { return dataText; }, snapshot);
        });
      }, wasm);
      // Without the helper's wasm, no start: fail now (the page then starts Pyodide itself).
      return helper ? Promise.race([started, helper.wasm.then(function () { return new Promise(function () {}); })]) : started;
    }).finally(function () {
      urls.forEach(function (url) { URL.revokeObjectURL(url); });
    });
  }

  /* file:// (USB stick): the bundle, the data and the snapshot come as classic scripts beside
     this one (the snapshot only if wanted; the start goes on without it if it cannot load).
     Once the bundle and the data are read: {files, manifest, data, snapshot: a promise of
     runtime-snapshot.js's {encoding, data} or {error}, or null if not wanted}. */
  function loadBundle(base, useSnapshot) {
    var scripts = [];
    var snapshot = null;
    if (!global.__wizardBundle) { scripts.push(loadScript(base + "runtime-bundle.js")); }
    if (global.__wizardData === undefined) { scripts.push(loadScript(base + "wizard-data.js")); }
    if (useSnapshot !== false) {
      snapshot = global.__wizardSnapshot ? Promise.resolve() : loadScript(base + "runtime-snapshot.js", "windows-1252");
      snapshot = snapshot.then(function () {
        var entry = global.__wizardSnapshot;
        global.__wizardSnapshot = null;
        return entry || { error: "runtime-snapshot.js defines no snapshot" };
      }, function (error) { return { error: String((error && error.message) || error) }; });
    }
    return Promise.all(scripts).then(function () {
      var bundle = global.__wizardBundle;
      global.__wizardBundle = null;  // whoever starts Pyodide holds it from now on
      return { files: bundle.files, manifest: bundle.manifest, data: global.__wizardData, snapshot: snapshot };
    });
  }

  function startMainFile(bundle, base, t0) {
    return Promise.resolve(bundle.snapshot).then(function (snap) {
      return startBundle(bundle.files, bundle.manifest, bundle.data, base, snap);
    }).then(function (runtime) {
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
     protocol of worker.mjs, its start message carrying the bundle and the data; or, as the helper
     worker, the messages "unpack" and "snapshot" (unpackInHelper), whose results the page relays
     to the other as messages "helper". A classic worker:
     Chromium refuses a module worker from a blob: URL on a page from disk ("cross-origin
     redirect"). Pyodide refuses classic workers, which it detects by calling
     importScripts("data:..."), a load the page's policy refuses and reports as a violation; this
     worker imports nothing by importScripts, so it has none. */
  function fileWorker(self) {
    var runtime = null;
    var fromHelper = null;
    var unpacking = null;
    var t0 = performance.now();
    self.importScripts = undefined;
    self.onmessage = function (event) {
      var msg = event.data || {};
      if (msg.type === "unpack") {  // this is the helper worker
        unpacking = self.WizardRuntime._unpack(msg.wasm, function (reply, transfer) {
          reply.type = "helper";
          self.postMessage(reply, transfer || []);
        });
        if (!msg.snapshot) { unpacking.wasmSent.then(function () { self.close(); }); }
        return;
      }
      if (msg.type === "snapshot") {  // the helper worker's second message
        unpacking.snapshot(msg.snapshot).then(function () { self.close(); });
        return;
      }
      if (msg.type === "helper") {  // the helper's results, relayed by the page
        if (fromHelper) { fromHelper.deliver(msg); }
        return;
      }
      if (msg.type === "start") {
        fromHelper = msg.helper ? self.WizardRuntime._fromHelper() : null;
        runtime = self.WizardRuntime._bundle(msg.files, msg.manifest, msg.data, msg.base, msg.snapshot, fromHelper);
        runtime.then(
          function (rt) { self.postMessage(self.WizardRuntime._ready(rt, t0)); },
          function (error) { self.postMessage({ type: "failed", message: String((error && error.message) || error) }); });
        return;
      }
      runtime.then(function (rt) {
        try {
          self.postMessage({ id: msg.id, result: rt.call(msg.name, msg.args) });
        } catch (error) {
          self.postMessage({ id: msg.id, error: String((error && error.message) || error) });
        }
        self.WizardRuntime._warm(rt, msg.args);
      }, function (error) { self.postMessage({ id: msg.id, error: String((error && error.message) || error) }); });
    };
  }

  /* In a worker, once, after the page's first call (its first step; `argumentsJson` its arguments):
     wizard.browser.warm renders, one step per task, every step of the page's procedure (in its
     language, for its post) and a question and an outcome of the others, so that the visitor's
     answers do not pay for Pyodide compiling its WebAssembly on first use. A call that arrives
     meanwhile waits for one step at most. */
  function warm(rt, argumentsJson) {
    if (rt.warmed) { return; }
    rt.warmed = true;
    var first = {};
    try { first = JSON.parse(argumentsJson) || {}; } catch (error) { /* warm the others only */ }
    var d = new Date();
    var today = first.today ||
      d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
    var args = JSON.stringify({ today: today, procedure: first.procedure, lang: first.lang, post: first.post });
    (function next() {
      setTimeout(function () {
        var more = false;
        try { more = JSON.parse(rt.call("warm", args)) !== null; } catch (error) { /* only a warm-up */ }
        if (more) { next(); }
      }, 0);
    })();
  }

  /* Two workers from the same blob: URL: one starts Pyodide; a helper compiles the wasm and
     inflates the snapshot meanwhile (unpackInHelper), so that this work, the longest of a start from
     disk, runs beside Pyodide's own set-up instead of before it. Both start once the bundle is
     read; the snapshot goes to the helper when its own script is read. The helper's results come
     through this page (a worker from a blob: URL on a page from disk cannot be reached otherwise
     in every engine); the compiled wasm and the snapshot's bytes are passed on, not copied. */
  function startFileWorker(bundle, base, t0, timeout) {
    var Native = nativeWorker();
    if (!Native) { return Promise.reject(new Error("no Worker here")); }
    var source = "(" + wizardRuntime.toString() + ")(self);\n(" + fileWorker.toString() + ")(self);\n";
    var url = blobURL(source, "text/javascript");
    var helper;
    try {
      helper = new Native(url);
    } catch (error) {
      URL.revokeObjectURL(url);
      return Promise.reject(error);
    }
    helper.postMessage({ type: "unpack", wasm: bundle.files["pyodide.asm.wasm"], snapshot: Boolean(bundle.snapshot) });
    if (bundle.snapshot) {
      bundle.snapshot.then(function (snap) { helper.postMessage({ type: "snapshot", snapshot: snap }); });
    }
    var start = {
      type: "start", files: {}, manifest: bundle.manifest, data: bundle.data, base: base, helper: true,
      snapshot: bundle.snapshot ? { helper: true } : null
    };
    Object.keys(bundle.files).forEach(function (name) {
      if (name !== "pyodide.asm.wasm") { start.files[name] = bundle.files[name]; }
    });
    return startWorker(function () {
      var worker = new Native(url);
      helper.onmessage = function (event) {
        var reply = event.data || {};
        var buffer = Object.prototype.toString.call(reply.value) === "[object ArrayBuffer]";
        worker.postMessage(reply, buffer ? [reply.value] : []);
      };
      helper.onerror = function (event) {
        if (event && event.preventDefault) { event.preventDefault(); }
        var why = "it stopped: " + ((event && event.message) || "it could not load");
        ["wasm", "snapshot"].forEach(function (what) { worker.postMessage({ type: "helper", what: what, error: why }); });
      };
      return worker;
    }, start, t0, timeout).finally(function () {
      URL.revokeObjectURL(url);
      helper.terminate();
    });
  }

  function startFile(base, t0, mode, timeout, useSnapshot) {
    return withTimeout(loadBundle(base, useSnapshot), timeout, "the runtime bundle").then(function (bundle) {
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
    var useSnapshot = options.snapshot;
    if (useSnapshot === undefined && /[?&]snapshot=0(&|$)/.test(global.location.search)) { useSnapshot = false; }
    if (global.location.protocol === "file:") {
      return startFile(base, t0, mode, timeout, useSnapshot);
    }
    if (mode === "main" || typeof Worker === "undefined") {
      return withTimeout(startMainHttp(base, t0, useSnapshot), timeout, "Pyodide");
    }
    return startHttpWorker(base, t0, timeout, useSnapshot).catch(function (error) {
      if (mode === "worker") { throw error; }
      if (global.console) { console.warn("WizardRuntime: worker failed, running Pyodide on the main thread", error); }
      return withTimeout(startMainHttp(base, now(), useSnapshot), timeout, "Pyodide").then(function (api) {
        api.workerError = messageOf(error);
        return api;
      });
    });
  }

  function start(options) {
    return new Promise(function (resolve) {
      options = options || {};
      var base = resolveBase(options.base);
      var key = base + " " + (options.mode || "auto") + " " + (options.snapshot === false ? "normal" : "");
      if (!started[key]) {
        started[key] = startFresh(options, base).catch(function (error) {
          delete started[key];  // a later start() may try again
          throw error instanceof Error ? error : new Error(String(error));
        });
      }
      resolve(started[key]);
    });
  }

  /* A worker's "ready" message for the runtime `rt` it started (t0: when it began). */
  function readyMessage(rt, t0) {
    return {
      type: "ready",
      procedures: rt.procedures,
      start: rt.start,
      snapshotError: rt.snapshotError,
      phases: rt.phases,
      timings: { boot: Math.round(performance.now() - t0) }
    };
  }

  global.WizardRuntime = {
    start: start, _http: startHttp, _bundle: startBundle, _unpack: unpackInHelper, _fromHelper: fromHelper,
    _warm: warm, _ready: readyMessage
  };
})(typeof self !== "undefined" ? self : globalThis);

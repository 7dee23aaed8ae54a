// The wizard's Pyodide runtime in a module Web Worker (http/https): the page stays responsive.
//
// Started by runtime.js (`new Worker(base + "worker.mjs", {type: "module"})`). Protocol:
//   page -> worker  {type: "start"}
//   worker -> page  {type: "ready", procedures: [...], start: "snapshot"|"normal", snapshotError?,
//                   timings: {...}} or {type: "failed", message}
//   page -> worker  {id, name, args}      args: JSON text of the keyword arguments
//   worker -> page  {id, result}           result: JSON text (errors in the answers are values)
//                   {id, error}            only if the call itself could not run
// Everything is loaded from this worker's own folder (_wizard/), never from elsewhere.
// worker.mjs?snapshot=0 starts Python from scratch instead of from the build's memory snapshot.

import "./runtime.js";  // defines self.WizardRuntime (the shared start-up code)
import { loadPyodide } from "./pyodide.mjs";

const base = new URL("./", import.meta.url).href;
const t0 = performance.now();
const useSnapshot = new URL(import.meta.url).searchParams.get("snapshot") !== "0";
const runtime = self.WizardRuntime._http(loadPyodide, base, useSnapshot);

self.onmessage = (event) => {
  const msg = event.data || {};
  if (msg.type === "start") {
    runtime.then(
      (rt) => self.postMessage(self.WizardRuntime._ready(rt, t0)),
      (error) => self.postMessage({ type: "failed", message: String((error && error.message) || error) }),
    );
    return;
  }
  runtime.then((rt) => {
    try {
      self.postMessage({ id: msg.id, result: rt.call(msg.name, msg.args) });
    } catch (error) {
      self.postMessage({ id: msg.id, error: String((error && error.message) || error) });
    }
    self.WizardRuntime._warm(rt, msg.args);
  }, (error) => self.postMessage({ id: msg.id, error: String((error && error.message) || error) }));
};

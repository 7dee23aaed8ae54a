/* The interactive wizard: a thin transport between the page and the Python in Pyodide.
 *
 * Progressive enhancement: the page already shows the first question as plain links to the
 * pre-rendered no-JS pages. This script starts the Pyodide runtime (runtime.js) in the background;
 * once it is ready, Python (wizard/browser.py -> wizard/steps.py) decides and renders every step,
 * including the error summary, Back, Change and Start again links and the canonical address.
 * This script only swaps that HTML in, moves focus, and updates the address; it never parses or
 * writes the address itself, and it holds no words of its own. If the runtime cannot start, nothing
 * changes: the links keep working. Classic script (no modules): it must also run from file://.
 */
(function () {
  "use strict";

  var root = document.getElementById("wizard");
  if (!root || !window.WizardRuntime) { return; }
  var status = document.getElementById("wizard-status");
  var base = {
    procedure: root.getAttribute("data-procedure"),
    lang: root.getAttribute("data-lang"),
    post: root.getAttribute("data-post")
  };
  var api = null;
  var pending = null;  // the call in flight; a newer one supersedes it
  var ahead = null;    // {sent, call}: the submit of a form as it was last changed, asked before Continue

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function args(extra) {
    var all = { procedure: base.procedure, lang: base.lang, post: base.post, today: today(),
                fragment: window.location.hash };
    Object.keys(extra || {}).forEach(function (k) { all[k] = extra[k]; });
    return all;
  }

  function sameAddress(fragment) {
    return (window.location.hash || "#") === fragment;
  }

  function address(fragment) {
    return fragment === "#" ? window.location.pathname + window.location.search : fragment;
  }

  function ask(call, then) {
    pending = call;
    return call.then(function (step) {
      if (call !== pending || step.status === "error") { return; }  // superseded, or kept as it is
      then(step);
    });
  }

  function show(step, focus) {
    ahead = null;  // asked for a form that is going
    root.innerHTML = step.html;
    root.classList.add("wizard--interactive");  // with Python's first step, in the same task
    root.setAttribute("data-state", step.status);
    document.title = step.title;
    if (status) { status.textContent = step.heading; }
    var summary = root.querySelector(".wizard-error-summary");
    var target = summary || (focus ? document.getElementById("wizard-heading") : null);
    if (target) { target.focus(); }
  }

  function render(focus) {
    return ask(api.call("render", args()), function (step) {
      if (!sameAddress(step.fragment)) { history.replaceState(null, "", address(step.fragment)); }
      show(step, focus);
    });
  }

  function fields(form) {
    var found = {};
    new FormData(form).forEach(function (value, name) { found[name] = String(value); });
    return found;
  }

  /* The submit of `form` as it is filled in now. Python's answer depends on nothing else, so the
     call made when the visitor last changed the form serves if it sent the same: the next step is
     worked out while the visitor reaches for Continue, which then shows it at once. */
  function submitted(form) {
    var sent = JSON.stringify(args({ action: form.getAttribute("data-action"), fields: fields(form) }));
    if (!ahead || ahead.sent !== sent) { ahead = { sent: sent, call: api.call("submit", JSON.parse(sent)) }; }
    return ahead.call;
  }

  root.addEventListener("change", function (event) {
    var form = event.target.form;
    if (api && form && form.getAttribute("data-action")) { submitted(form).catch(function () {}); }
  });

  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (!api || !form.getAttribute("data-action")) { return; }
    event.preventDefault();
    ask(submitted(form), function (step) {
      // A new address is a new history entry, so the browser's Back button goes one step back.
      if (!sameAddress(step.fragment)) { history.pushState(null, "", address(step.fragment)); }
      show(step, true);
    });
  });

  root.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-focus]");
    if (link) {  // the error summary's link moves focus; it is not a new address
      event.preventDefault();
      var target = document.getElementById(link.getAttribute("data-focus"));
      if (target) { target.focus(); }
      return;
    }
    if (event.target.closest("[data-action=print]")) { window.print(); }
  });

  window.addEventListener("hashchange", function () { if (api) { render(true); } });

  if (status) { status.textContent = status.getAttribute("data-loading") || ""; }
  window.WizardRuntime.start({ base: root.getAttribute("data-runtime") }).then(function (ready) {
    api = ready;
    // Interactive once Python's first step is on the page (until then its links keep working);
    // show() marks it, or here if that step was an error value and the page kept its links.
    return render(Boolean(window.location.hash)).then(function () {
      root.classList.add("wizard--interactive");
    });
  }).catch(function () {
    // The plain links keep working: stop announcing "loading", and say nothing alarming.
    if (status) { status.textContent = ""; }
    root.setAttribute("data-runtime-state", "unavailable");
  });
})();

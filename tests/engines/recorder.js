/* What went wrong on a page, recorded by the page itself: for browsers whose driver reports no
   console (WebKit through WebKitWebDriver) and for what no driver reports (CSP violations).
   tests/engine_drivers.py puts it before everything else a page runs: Firefox gets it as a preload
   script (Puppeteer's evaluateOnNewDocument), WebKit as the first <script> of every page of a
   copy of the site, placed before the page's Content-Security-Policy meta tag (which governs only
   what follows it), so the page's own policy still applies to every one of the page's scripts.

   window.__problems   [[kind, text, where], ...]  kinds as in tests/browser_checks.py
   window.__wizardReady  ms (performance.now()) when the interactive wizard's first step was on the page
   window.__longestTask  the longest gap seen by a 10 ms timer while the wizard started (ms)
   window.__stepTimes    ms from each submitted answer to the next step's heading on the page
*/
(function () {
  "use strict";
  if (window.__problems) { return; }
  var problems = window.__problems = [];
  var here = String(location.href);
  function add(kind, text) { problems.push([kind, String(text), here]); }

  window.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target !== window && (target.src || target.href)) {
      add("failed request", (target.src || target.href) + " (" + target.tagName.toLowerCase() + " did not load)");
    } else {
      add("exception", (event.message || "error") + (event.filename ? " at " + event.filename + ":" + event.lineno : ""));
    }
  }, true);
  window.addEventListener("unhandledrejection", function (event) {
    var reason = event.reason;
    add("exception", "unhandled rejection: " + (reason && reason.message ? reason.message : String(reason)));
  });
  document.addEventListener("securitypolicyviolation", function (event) {
    add("csp violation", event.effectiveDirective + " blocked " + (event.blockedURI || "?") +
        (event.sample ? " " + JSON.stringify(event.sample) : ""));
  });
  ["error", "warn"].forEach(function (level) {
    var original = console[level];
    console[level] = function () {
      var text = Array.prototype.map.call(arguments, function (a) {
        return a && a.message ? a.message : String(a);
      }).join(" ");
      add(level === "error" ? "console error" : "console warning", text);
      return original.apply(console, arguments);
    };
  });
  window.alert = window.confirm = window.prompt = function (message) { add("dialog", String(message)); };

  // Where every resource of the page came from (requests that leave the site show up here).
  window.__resources = function () {
    return performance.getEntriesByType("resource").map(function (entry) { return entry.name; });
  };

  // When the interactive wizard shows its first step, and how long the page was busy meanwhile.
  var last = performance.now();
  window.__longestTask = 0;
  var ticker = setInterval(function () {
    var t = performance.now();
    window.__longestTask = Math.max(window.__longestTask, t - last - 10);
    last = t;
  }, 10);
  function ready() {
    var root = document.getElementById("wizard");
    if (root && root.classList.contains("wizard--interactive") && root.querySelector("#wizard-heading")) {
      window.__wizardReady = performance.now();
      clearInterval(ticker);
      return true;
    }
    return false;
  }
  new MutationObserver(function (records, observer) {
    if (ready()) { observer.disconnect(); }
  }).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["class"] });
  // Answer to next step: from the form's submit to the new heading in the DOM (benchmarks).
  var submitted = null, before = null;
  window.__stepTimes = [];
  document.addEventListener("submit", function () {
    submitted = performance.now();
    before = document.getElementById("wizard-heading");
  }, true);
  new MutationObserver(function () {
    if (submitted === null) { return; }
    var heading = document.getElementById("wizard-heading");
    if (heading && heading !== before) {
      window.__stepTimes.push(performance.now() - submitted);
      submitted = null;
    }
  }).observe(document, { childList: true, subtree: true });
  window.addEventListener("load", function () { if (!document.getElementById("wizard")) { clearInterval(ticker); } });
  setTimeout(function () { clearInterval(ticker); }, 120000);
})();

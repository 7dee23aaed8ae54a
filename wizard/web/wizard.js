/* The interactive wizard: one question per page, GOV.UK style, driven by the Python engine in Pyodide.
 *
 * Progressive enhancement: the page already shows the first question as plain links to the
 * pre-rendered no-JS pages. This script starts the Pyodide runtime (wizard/web/runtime.js) in the
 * background; once it is ready it replaces the links by a form and from then on every step is
 * evaluated AND rendered by the project's own Python (wizard.steps.render_step), the same code the
 * build used for the no-JS pages. If the runtime cannot start, nothing changes: the links work.
 *
 * State lives in the URL fragment (#question=answer&...&on=YYYY-MM-DD), so a result can be
 * bookmarked and shared; a tampered fragment is reported and the wizard resumes where it can.
 * Classic script (no modules): it must also run from file://.
 */
(function () {
  "use strict";

  var root = document.getElementById("wizard");
  var configNode = document.getElementById("wizard-config");
  if (!root || !configNode || !window.WizardRuntime) { return; }
  var config = JSON.parse(configNode.textContent);
  var strings = config.strings;
  var procedureId = root.getAttribute("data-procedure");
  var api = null;
  var busy = false;

  var status = document.createElement("p");
  status.className = "wizard-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.textContent = strings.loading;
  root.parentNode.insertBefore(status, root);

  function today() {
    var d = new Date();
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate());
  }

  function readFragment() {
    var pairs = [];
    var on = null;
    var parts = (window.location.hash || "").replace(/^#/, "").split("&");
    for (var i = 0; i < parts.length; i++) {
      if (!parts[i]) { continue; }
      var eq = parts[i].indexOf("=");
      var key, value;
      try {
        key = decodeURIComponent(eq < 0 ? parts[i] : parts[i].slice(0, eq));
        value = eq < 0 ? "" : decodeURIComponent(parts[i].slice(eq + 1));
      } catch (e) {
        key = parts[i]; value = "";
      }
      if (key === "on") { on = value; } else { pairs.push([key, value]); }
    }
    return { pairs: pairs, on: on };
  }

  function fragmentOf(pairs, on) {
    var parts = pairs.map(function (p) { return encodeURIComponent(p[0]) + "=" + encodeURIComponent(p[1]); });
    if (on && on !== today()) { parts.push("on=" + on); }
    return "#" + parts.join("&");
  }

  function validDate(value) {
    return /^\d{4}-\d{2}-\d{2}$/.test(value || "") && !isNaN(Date.parse(value + "T00:00:00Z"));
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) { node.textContent = text; }
    return node;
  }

  function errorSummary(message, targetId) {
    var box = el("div", { "class": "wizard-error-summary", "role": "alert", "tabindex": "-1" });
    box.appendChild(el("h2", {}, strings.error_title));
    var list = el("ul");
    var item = el("li");
    var link = el("a", { href: "#" + targetId }, message);
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var target = document.getElementById(targetId);
      if (target) { target.focus(); }
    });
    item.appendChild(link);
    list.appendChild(item);
    box.appendChild(list);
    return box;
  }

  function render(focus) {
    var state = readFragment();
    var on = validDate(state.on) ? state.on : today();
    busy = true;
    return api.call("render_step", {
      procedure: procedureId, pairs: state.pairs, on: on, lang: config.lang,
      strings: strings, post: config.post, style: "hash", exact_dates: true
    }).then(function (step) {
      busy = false;
      show(step, on, focus);
      if (step.problem) {
        // Replace the unusable address by the usable one, without a new history entry.
        history.replaceState(null, "", fragmentOf(step.pairs, on));
      }
    }, function (error) {
      busy = false;
      status.textContent = "";
      if (window.console) { console.error("wizard step failed", error); }
    });
  }

  function show(step, on, focus) {
    root.innerHTML = "";
    root.setAttribute("data-state", step.status);
    if (step.problem) {
      var dateProblem = step.problem.code === "invalid-date" && step.question;
      root.appendChild(errorSummary(dateProblem ? strings.error_date : strings.url_problem,
        dateProblem ? step.question + "-birth" : "wizard-main"));
    }
    var nav = el("p", { "class": "wizard-nav" });
    if (step.back !== null) {
      nav.appendChild(el("a", { href: step.back, "class": "wizard-back" }, strings.back));
      root.appendChild(nav);
    }
    var main = el("div", { id: "wizard-main", tabindex: "-1" });
    main.innerHTML = step.html;
    root.appendChild(main);
    if (step.answers_html) {
      var answers = el("div");
      answers.innerHTML = step.answers_html;
      root.appendChild(answers);
    }
    root.appendChild(dateControl(on));
    if (step.status === "outcome") {
      var actions = el("p", { "class": "wizard-actions" });
      var print = el("button", { type: "button", "class": "md-button" }, strings.print);
      print.addEventListener("click", function () { window.print(); });
      actions.appendChild(print);
      actions.appendChild(document.createTextNode(" "));
      actions.appendChild(el("a", { href: step.start, "class": "md-button" }, strings.start_again));
      root.appendChild(actions);
    }
    var form = root.querySelector("form.wizard-question");
    if (form) { form.addEventListener("submit", onSubmit); }
    var heading = root.querySelector(step.status === "outcome" ? "#wizard-result-title" : ".wizard-legend");
    status.textContent = heading ? heading.textContent : "";
    if (step.problem) {
      root.querySelector(".wizard-error-summary").focus();
    } else if (focus && heading) {
      heading.focus();
    }
  }

  function dateControl(on) {
    var box = el("div", { "class": "wizard-date wizard-on-date" });
    box.appendChild(el("label", { "for": "wizard-on" }, strings.application_date));
    box.appendChild(el("p", { "class": "wizard-hint", id: "wizard-on-hint" }, strings.application_date_hint));
    var input = el("input", { type: "date", id: "wizard-on", "aria-describedby": "wizard-on-hint" });
    input.value = on;
    input.addEventListener("change", function () {
      if (!validDate(input.value)) { return; }
      var state = readFragment();
      history.replaceState(null, "", fragmentOf(state.pairs, input.value));
      render(false);
    });
    box.appendChild(input);
    return box;
  }

  function onSubmit(event) {
    event.preventDefault();
    if (busy) { return; }
    var form = event.currentTarget;
    var question = form.getAttribute("data-question");
    var checked = form.querySelector("input[type=radio]:checked");
    var birth = form.querySelector("input[type=date]");
    var value = birth && birth.value ? birth.value : (checked ? checked.value : null);
    var old = root.querySelector(".wizard-error-summary");
    if (old) { old.parentNode.removeChild(old); }
    if (!value) {
      var message = form.querySelector(".wizard-error-message");
      message.textContent = strings.error_choose;
      message.hidden = false;
      form.querySelector(".wizard-fieldset").classList.add("wizard-fieldset--error");
      var first = form.querySelector("input[type=radio]");
      var summary = errorSummary(strings.error_choose, first.id);
      root.insertBefore(summary, root.firstChild);
      summary.focus();
      return;
    }
    var state = readFragment();
    state.pairs.push([question, value]);
    window.location.hash = fragmentOf(state.pairs, state.on);  // a history entry: the browser's Back works
  }

  window.addEventListener("hashchange", function () { if (api) { render(true); } });

  window.WizardRuntime.start({ base: root.getAttribute("data-runtime"), procedures: [procedureId] }).then(function (ready) {
    api = ready;
    root.classList.add("wizard--interactive");
    return render(Boolean(window.location.hash));
  }).catch(function (error) {
    // The static links keep working: say nothing alarming, just stop announcing "loading".
    status.textContent = "";
    if (window.console) { console.warn("interactive wizard unavailable; the plain pages still work", error); }
  });
})();

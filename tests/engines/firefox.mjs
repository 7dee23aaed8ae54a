// Firefox (Debian's firefox-esr) driven through WebDriver BiDi by puppeteer-core: nothing downloaded.
//
//   node tests/engines/firefox.mjs < job.json > result.json
//
// job: {"executable": "/usr/bin/firefox-esr", "recorder": source of tests/engines/recorder.js,
//       "visits": [visit, ...]}  (a visit: see tests/engine_drivers.py, which writes the jobs)
// Each visit gets a fresh browser context (its own cache: a cold start) and reports
//   {"name", "error"?, "heading", "total", "result", "url", "ready", "longest", "steps", "problems"}
// or, for a visit with "probe" (a page that reports itself: benchmarks), {"name", "probe", "problems"}
// where problems are [kind, text, where] as in tests/browser_checks.py. Firefox keeps its own default
// security.fileuri.strict_origin_policy=true (Puppeteer's profile turns it off unless told).
import { readFileSync } from "node:fs";
import puppeteer from "puppeteer-core";

const job = JSON.parse(readFileSync(0, "utf8"));
const TIMEOUT = job.timeout || 90000;

function inside(url, bases) {
  return /^(data:|blob:|about:)/.test(url) || bases.some((base) => url.startsWith(base));
}

// Click what a visitor reads: the element matching `selector` whose text is exactly `text`, with the
// mouse at its centre (puppeteer's element.click() waits forever when the page's scripts are off).
async function click(page, selector, text) {
  const box = await page.evaluate((selector, text) => {
    const element = [...document.querySelectorAll(selector)].find((e) => e.textContent.trim() === text);
    if (!element) return null;
    element.scrollIntoView({ block: "center" });
    const r = element.getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  }, selector, text);
  if (!box) throw new Error(`nothing reads ${JSON.stringify(text)} in ${selector} on ${page.url()}`);
  await page.mouse.click(box.x, box.y);
}

async function follow(page, selector, text) {
  await Promise.all([page.waitForNavigation({ waitUntil: "load", timeout: TIMEOUT }), click(page, selector, text)]);
}

async function heading(page) {
  return page.evaluate(() => { const h = document.getElementById("wizard-heading"); return h ? h.textContent.trim() : null; });
}

async function waitNewStep(page, before) {
  await page.waitForFunction((before) => {
    const root = document.getElementById("wizard");
    const h = document.getElementById("wizard-heading");
    return root && root.classList.contains("wizard--interactive") && h && h.textContent.trim() !== before;
  }, { timeout: TIMEOUT, polling: 20 }, before);
}

async function visit(browser, v) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const problems = [];
  const add = (kind, text, where) => problems.push([kind, String(text), String(where || page.url())]);
  page.on("console", (message) => {
    const type = message.type();
    if (type === "error") add("console error", message.text(), message.location().url);
    else if (type === "warn" && !(job.browserWarnings || []).some((w) => message.text().includes(w))) {
      add("console warning", message.text(), message.location().url);
    }
  });
  page.on("pageerror", (error) => add("exception", error.message || error));
  page.on("dialog", (dialog) => { add("dialog", dialog.message()); dialog.dismiss().catch(() => {}); });
  page.on("request", (request) => { if (!inside(request.url(), v.bases)) add("outside request", request.url()); });
  page.on("requestfailed", (request) => add("failed request", request.url() + " " + ((request.failure() || {}).errorText || "")));
  const out = { name: v.name };
  try {
    if (v.javascript !== false) await page.evaluateOnNewDocument(job.recorder);
    await page.goto(v.url, { waitUntil: v.javascript === false ? "load" : "domcontentloaded", timeout: TIMEOUT });
    if (v.probe) {  // a page that reports itself in window[v.probe] (benchmarks)
      await page.waitForFunction((name) => window[name] !== undefined, { timeout: TIMEOUT, polling: 20 }, v.probe);
      out.probe = await page.evaluate((name) => window[name], v.probe);
      return out;
    }
    for (const [selector, text] of v.follow || []) await follow(page, selector, text);  // index -> post -> wizard
    if (v.javascript !== false) {
      await page.waitForFunction(() => window.__wizardReady !== undefined, { timeout: TIMEOUT, polling: 20 });
      out.ready = await page.evaluate(() => window.__wizardReady);
      out.longest = await page.evaluate(() => window.__longestTask);
      for (const step of v.steps || []) {
        const before = await heading(page);
        await click(page, "#wizard-main label", step.choose);
        await click(page, "#wizard-main button", step.continue);
        await waitNewStep(page, before);
      }
      out.steps = await page.evaluate(() => window.__stepTimes);
    } else {
      for (const step of v.steps || []) await follow(page, ".wizard-options a", step.link);
    }
    Object.assign(out, await page.evaluate(() => {
      const text = (selector) => { const e = document.querySelector(selector); return e ? e.textContent.replace(/\s+/g, " ").trim() : null; };
      return {
        heading: text("#wizard-heading"), total: text(".wizard-total"), result: text(".wizard-result"), url: location.href,
        scripted: document.documentElement.classList.contains("js"),  // Material's script ran
      };
    }));
    if (v.javascript !== false) {
      for (const p of await page.evaluate(() => window.__problems || [])) problems.push(p);
      for (const url of await page.evaluate(() => window.__resources())) {
        if (!inside(url, v.bases)) add("outside request", url);
      }
    }
  } catch (error) {
    out.error = String(error && error.stack || error);
  } finally {
    out.problems = problems;
    await context.close().catch(() => {});
  }
  return out;
}

// Visits without JavaScript get a browser of their own: this Firefox has no BiDi command to turn
// scripts off per page (emulation.setScriptingEnabled), so its javascript.enabled preference does.
function launch(javascript) {
  const prefs = { "security.fileuri.strict_origin_policy": true };
  if (!javascript) prefs["javascript.enabled"] = false;
  return puppeteer.launch({
    browser: "firefox",
    executablePath: job.executable,
    headless: true,
    protocol: "webDriverBiDi",
    extraPrefsFirefox: prefs,
    timeout: TIMEOUT,
  });
}

const results = { visits: [] };
for (const javascript of [true, false]) {
  const visits = job.visits.filter((v) => (v.javascript !== false) === javascript);
  if (!visits.length) continue;
  const browser = await launch(javascript);
  try {
    results.version = await browser.version();
    for (const v of visits) results.visits.push(await visit(browser, v));
  } finally {
    await browser.close();
  }
}
process.stdout.write(JSON.stringify(results) + "\n");

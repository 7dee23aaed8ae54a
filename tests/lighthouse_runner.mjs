// Lighthouse over several pages in one browser: what tests/test_lighthouse.py and
// benchmarks/lighthouse_bench.py run (node tests/lighthouse_runner.mjs JOB.json).
//
// JOB.json: {"chromium": "/usr/bin/chromium", "args": [...], "categories": ["seo", ...], "quick": true,
//            "pages": [{"name": "home", "url": "http://…", "waitFor": "css selector" | null}]}
//
// One headless Chromium (Debian's, launched by puppeteer-core; nothing is downloaded) serves every
// page; each page is one Lighthouse navigation in a fresh tab. A page with `waitFor` is loaded by
// the script itself and audited once the selector is there (the wizard's result, drawn by Python
// in the browser after Pyodide started); Lighthouse waits for the load as usual otherwise.
// Timings are simulated (Lighthouse's default throttling: a mid-range phone on a slow 4G network,
// computed from the real load). `quick`: a page counts as loaded once quiet for 250 ms rather than
// Lighthouse's second (with observed throttling Lighthouse would wait 5 s), which changes nothing
// for the categories that read the loaded page (Accessibility, Best practices, SEO).
// Printed on stdout, as JSON: [{name, url, finalUrl, seconds, scores: {category: 0..1}, failed:
// [{category, id, title, score, explanation, items}], metrics: {id: numericValue}, warnings, error}].

import fs from "node:fs";
import puppeteer from "puppeteer-core";
import { startFlow } from "lighthouse";

const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const METRICS = [
  "first-contentful-paint",
  "largest-contentful-paint",
  "total-blocking-time",
  "cumulative-layout-shift",
  "speed-index",
  "interactive",
];

function summary(page, lhr) {
  const scores = {};
  const failed = [];
  for (const [id, category] of Object.entries(lhr.categories)) {
    scores[id] = category.score;
    for (const ref of category.auditRefs) {
      const audit = lhr.audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
        const items = ((audit.details && audit.details.items) || []).slice(0, 5).map((item) => {
          const node = item.node || {};
          return node.snippet || node.selector || item.url || item.source || JSON.stringify(item).slice(0, 200);
        });
        failed.push({ category: id, id: ref.id, title: audit.title, score: audit.score, explanation: audit.explanation, items });
      }
    }
  }
  const metrics = {};
  for (const id of METRICS) {
    if (lhr.audits[id] && typeof lhr.audits[id].numericValue === "number") {
      metrics[id] = lhr.audits[id].numericValue;
    }
  }
  const warnings = lhr.runWarnings || [];
  const error = lhr.runtimeError ? lhr.runtimeError.message : null;
  return { name: page.name, url: page.url, finalUrl: lhr.finalDisplayedUrl, scores, failed, metrics, warnings, error };
}

async function audit(browser, page) {
  const tab = await browser.newPage();
  const config = {
    extends: "lighthouse:default",
    settings: {
      onlyCategories: job.categories,
      throttlingMethod: "simulate",
      maxWaitForLoad: 60000,
      disableFullPageScreenshot: true,
      ...(job.quick ? { pauseAfterFcpMs: 0, pauseAfterLoadMs: 0, networkQuietThresholdMs: 250, cpuQuietThresholdMs: 250 } : {}),
    },
  };
  try {
    const flow = await startFlow(tab, { config });
    if (page.waitFor) {
      await flow.startNavigation({ name: page.name });
      await tab.goto(page.url);
      await tab.waitForSelector(page.waitFor, { timeout: 90000 });
      await flow.endNavigation();
    } else {
      await flow.navigate(page.url, { name: page.name });
    }
    const result = await flow.createFlowResult();
    return summary(page, result.steps[0].lhr);
  } finally {
    await tab.close();
  }
}

const browser = await puppeteer.launch({
  executablePath: job.chromium,
  args: job.args || [],
  headless: true,
});
try {
  const results = [];
  for (const page of job.pages) {
    const started = Date.now();
    const result = await audit(browser, page);
    result.seconds = (Date.now() - started) / 1000;
    results.push(result);
  }
  process.stdout.write(JSON.stringify(results));
} finally {
  await browser.close();
}

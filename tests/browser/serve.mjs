// `cxbook serve` in headless Chromium: an open map page reloads by itself
// after a save, shows the error overlay after a broken save (keeping the
// last good page under it), and reloads without the overlay after a fix.
//
//   node tests/browser/serve.mjs CONFIG.json
//
// CONFIG: { "url": "http://127.0.0.1:PORT/cx/retail/checkout/",
//           "file": "/abs/content/retail/checkout.md",
//           "steps": { "edit": TEXT, "broken": TEXT, "fixed": TEXT },
//           "expect": { "first": "…", "edit": "…", "location": "file:7:18", "fixed": "…" } }
// Prints one line per check and "N passed, N failed"; exits 1 on failure.

import { chromium } from "playwright-core";
import fs from "node:fs";

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
// Generous: on a loaded 2-core machine Chromium with a dozen tabs is slow to
// start; what is checked is that pages load and reload, not how fast.
const TIMEOUT = 30000;

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) passed++;
  else failed++;
  console.log((ok ? "ok   " : "FAIL ") + what);
}

/** Marks the current document so that a reload can be told apart. */
async function mark(page) {
  await page.evaluate(() => { window.__cxbookTestMark = true; });
}

async function reloaded(page) {
  await page.waitForFunction(() => !window.__cxbookTestMark && document.readyState === "complete",
    null, { timeout: TIMEOUT });
}

async function text(page) {
  return page.evaluate(() => document.body.innerText);
}

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  // The browser's own favicon probe is the site's business, not serve's.
  page.on("console", (m) => {
    if (m.type() === "error" && !(m.location().url || "").endsWith("/favicon.ico")) {
      errors.push(`${m.text()} (${m.location().url})`);
    }
  });
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
  await page.goto(config.url, { waitUntil: "load" });
  check((await text(page)).includes(config.expect.first), "the map page is served");
  const origin = new URL(config.url).origin;
  await page.waitForFunction((prefix) => performance.getEntriesByType("resource")
    .some((e) => e.name.startsWith(prefix + "reload.js")), origin + "/cx/__cxbook/",
    { timeout: TIMEOUT });
  check(true, "the reload script comes from the same host and port, under the base path");
  // Let the event stream connect before the first save.
  await page.waitForTimeout(500);

  // 1. A save reloads the page by itself.
  await mark(page);
  let t0 = Date.now();
  fs.writeFileSync(config.file, config.steps.edit);
  await reloaded(page);
  await page.waitForFunction((t) => document.body.innerText.includes(t), config.expect.edit,
    { timeout: TIMEOUT });
  check(true, `a save reloads the page (${Date.now() - t0} ms from save to loaded page)`);

  // 2. A broken save shows the overlay over the last good page.
  await mark(page);
  fs.writeFileSync(config.file, config.steps.broken);
  const overlay = await page.waitForSelector("#cxbook-overlay", { state: "visible", timeout: TIMEOUT });
  const said = await overlay.innerText();
  check(said.includes(config.expect.location), "the overlay names file:line:column: " + config.expect.location);
  check(said.includes(config.expect.source), "the overlay shows the source line");
  check(await page.evaluate(() => window.__cxbookTestMark === true), "a broken save does not reload");
  check((await text(page)).includes(config.expect.edit), "the last good page stays under the overlay");

  // 3. A fix removes the overlay and reloads.
  t0 = Date.now();
  fs.writeFileSync(config.file, config.steps.fixed);
  await reloaded(page);
  await page.waitForFunction((t) => document.body.innerText.includes(t), config.expect.fixed,
    { timeout: TIMEOUT });
  check(true, `a fix reloads the page (${Date.now() - t0} ms)`);
  check((await page.$("#cxbook-overlay")) === null, "the overlay is gone after the fix");

  // 4. A page opened while the build is broken shows the overlay at once.
  fs.writeFileSync(config.file, config.steps.broken);
  await page.waitForSelector("#cxbook-overlay", { state: "visible", timeout: TIMEOUT });
  const second = await browser.newPage();
  await second.goto(config.url, { waitUntil: "load" });
  check((await second.$("#cxbook-overlay")) !== null, "a page opened while broken shows the overlay");
  await mark(second);
  fs.writeFileSync(config.file, config.steps.fixed);
  await reloaded(second);
  check((await second.$("#cxbook-overlay")) === null, "and loses it after the fix");

  // 5. Many tabs: one shared stream, so the seventh tab still loads (a
  // browser allows about six connections per host) and all of them reload.
  const tabs = [];
  const profile = await browser.newContext();
  for (let i = 0; i < 9; i++) {
    const tab = await profile.newPage();
    try {
      await tab.goto(config.url, { waitUntil: "load", timeout: TIMEOUT });
    } catch (e) {
      throw new Error(`tab ${i + 1} did not load: ${e}`);
    }
    tabs.push(tab);
  }
  check(true, "nine more tabs of the site load");
  await page.waitForTimeout(500);
  for (const tab of tabs) await mark(tab);
  fs.writeFileSync(config.file, config.steps.edit);
  await Promise.all(tabs.map((tab) => reloaded(tab)));
  check(true, "every tab reloads after a save");

  check(errors.length === 0, "no console errors: " + errors.join(" | "));
} catch (e) {
  check(false, "unexpected: " + e);
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

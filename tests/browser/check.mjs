// Opens a built cxbook site in headless Chromium, from file:// and from a
// local HTTP server under a sub-path, and checks what a person would see:
// no console error, nothing loaded from another host, search results for
// each query as it is typed, and a styled 404 page.
//
//   node tests/browser/check.mjs CONFIG.json
//
// CONFIG: { "site": "/abs/out", "base": "/cx/", "pages": ["index.html", …],
//           "queries": [{ "page": "index.html", "text": "宽带", "expect": "#tp-" }] }
// Prints one line per problem and "N passed, N failed"; exits 1 on failure.

import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const site = path.resolve(config.site);
const base = config.base || "/";
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8", ".json": "application/json",
  ".svg": "image/svg+xml", ".xml": "application/xml", ".png": "image/png",
};

/** A static server for the site under `base`; anything else is a 404 page. */
function serve() {
  const server = http.createServer((req, res) => {
    let url = decodeURIComponent(new URL(req.url, "http://x").pathname);
    let file = null;
    if (url.startsWith(base)) {
      let rel = url.slice(base.length);
      if (rel === "" || rel.endsWith("/")) rel += "index.html";
      const p = path.join(site, rel);
      if (p.startsWith(site) && fs.existsSync(p) && fs.statSync(p).isFile()) file = p;
    }
    if (!file) {
      res.writeHead(404, { "content-type": types[".html"] });
      res.end(fs.readFileSync(path.join(site, "404.html")));
      return;
    }
    res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream" });
    res.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

function encodePath(p) {
  return p.split("/").map(encodeURIComponent).join("/");
}

let passed = 0;
let failed = 0;
function check(ok, what) {
  if (ok) passed++;
  else { failed++; console.log("FAIL " + what); }
}

const server = await serve();
const httpRoot = `http://127.0.0.1:${server.address().port}${base}`;
const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync"],
});

try {
  for (const [mode, rootUrl] of [["file", pathToFileURL(site).href + "/"], ["http", httpRoot]]) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    let errors = [];
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => {
      const u = r.url();
      if (!(u.startsWith("file:") || u.startsWith(httpRoot.slice(0, httpRoot.indexOf(base) + 1)) || u.startsWith("data:"))) {
        errors.push("request to another host: " + u);
      }
    });
    page.on("requestfailed", (r) => {
      // A navigation that replaces a loading page aborts its requests: not an error.
      const why = r.failure() ? r.failure().errorText : "";
      if (!why.includes("ERR_ABORTED")) errors.push("failed: " + r.url() + " " + why);
    });

    for (const p of config.pages) {
      errors = [];
      const url = rootUrl + encodePath(p);
      const resp = await page.goto(url, { waitUntil: "load" });
      check(!resp || resp.ok() || mode === "file", `${mode} ${p}: HTTP ${resp && resp.status()}`);
      const styled = await page.evaluate(() => getComputedStyle(document.querySelector(".topbar")).position === "sticky");
      check(styled, `${mode} ${p}: the stylesheet is applied`);
      const lang = await page.evaluate(() => document.documentElement.lang);
      check(lang.length > 0, `${mode} ${p}: <html lang>`);
      await page.waitForTimeout(50);
      check(errors.length === 0, `${mode} ${p}: console errors: ${errors.join(" | ")}`);
    }

    for (const q of config.queries) {
      errors = [];
      await page.goto(rootUrl + encodePath(q.page), { waitUntil: "load" });
      await page.focus("#search-input");
      await page.keyboard.type(q.text, { delay: 20 });
      // Results follow typing after a short pause: read those of the whole query.
      await page.waitForTimeout(400);
      let hrefs = [];
      try {
        await page.waitForSelector("#search-results li a", { timeout: 5000 });
        hrefs = await page.$$eval("#search-results li a", (as) => as.map((a) => a.getAttribute("href")));
      } catch (e) { /* no results: reported below */ }
      check(hrefs.length > 0, `${mode} search "${q.text}" on ${q.page}: no results`);
      if (q.expect) check(hrefs.some((h) => h.includes(q.expect)), `${mode} search "${q.text}": no result with ${q.expect} in ${hrefs.join(", ")}`);
      // Following the first result opens a page of the site.
      if (hrefs.length) {
        const before = page.url();
        await page.keyboard.press("ArrowDown");
        await page.keyboard.press("Enter");
        try {
          await page.waitForURL((u) => u.href !== before, { timeout: 5000 });
          await page.waitForLoadState("load");
        } catch (e) { /* reported below */ }
        const opened = decodeURIComponent(page.url());
        const expected = decodeURIComponent(new URL(hrefs[0], before).href);
        check(opened === expected, `${mode} search "${q.text}": Enter opened ${opened}, not ${expected}`);
      }
      check(errors.length === 0, `${mode} search "${q.text}": console errors: ${errors.join(" | ")}`);
    }
    await context.close();
  }

  // 404 over HTTP, from a folder deep under the base: styled, links work.
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error" && !m.text().includes("404")) errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  const resp = await page.goto(httpRoot + "no/such/page/", { waitUntil: "load" });
  check(resp.status() === 404, "404 status");
  const styled = await page.evaluate(() => getComputedStyle(document.querySelector(".topbar")).position === "sticky");
  check(styled, "404 page is styled");
  const home = await page.$eval("a.brand", (a) => a.href);
  check(home === httpRoot + "index.html", `404 home link ${home}`);
  check(errors.length === 0, "404 console errors: " + errors.join(" | "));
  await context.close();
} finally {
  await browser.close();
  server.close();
}
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

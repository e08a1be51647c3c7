/* cxbook default theme: the navigation drawer and offline search.
   The search index is a script (search-index.js sets window.cxbookSearch),
   so it loads from file:// as well as over HTTP; it is fetched the first
   time the search box is used. Matching is substring matching on lower-cased
   text, so Chinese words are found inside sentences without word splitting. */
(function () {
  "use strict";
  var body = document.body;
  var root = body.getAttribute("data-root") || "";

  /* Navigation drawer (phones) */
  var toggle = document.querySelector(".nav-toggle");
  var sidebar = document.getElementById("sidebar");
  function setNav(open) {
    body.classList.toggle("nav-open", open);
    if (toggle) toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = !body.classList.contains("nav-open");
      setNav(open);
      if (open && sidebar) {
        var first = sidebar.querySelector("a[aria-current]") || sidebar.querySelector("a");
        if (first) first.focus();
      }
    });
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && body.classList.contains("nav-open")) {
      setNav(false);
      if (toggle) toggle.focus();
    }
  });
  if (sidebar) {
    var cur = sidebar.querySelector(".nav-tree a[aria-current]");
    if (cur && cur.scrollIntoView && sidebar.scrollHeight > sidebar.clientHeight) {
      cur.scrollIntoView({ block: "center" });
    }
  }

  /* Search */
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  if (!input || !list) return;
  var loading = false;
  var prepared = 0;
  var selected = -1;
  var timer = null;

  function index() { return window.cxbookSearch; }

  function loadScript(src, done) {
    var s = document.createElement("script");
    s.src = src;
    s.async = true;
    s.onload = function () { done(true); };
    s.onerror = function () { done(false); };
    document.head.appendChild(s);
  }

  function ensureIndex() {
    if (index() || loading) return;
    loading = true;
    loadScript(root + "search-index.js", function (ok) {
      if (!ok || !index()) { loading = false; return; }
      var parts = index().parts || [];
      var next = 0;
      (function more() {
        run();
        if (next < parts.length) loadScript(root + parts[next++], more);
        else loading = false;
      })();
    });
  }

  function norm(s) {
    s = String(s || "");
    if (s.normalize) s = s.normalize("NFKC");
    return s.toLowerCase();
  }

  /* Lower-cased copies of the chunks loaded so far. A touchpoint's texts
     are indices into its chunk's string table. */
  var chunks = [];
  function prepare() {
    var all = index() ? index().chunks : [];
    for (; prepared < all.length; prepared++) {
      var c = all[prepared];
      var low = c.strings.map(norm);
      var mine = { strings: c.strings, low: low, docs: [] };
      for (var d = 0; d < c.docs.length; d++) {
        var doc = c.docs[d];
        mine.docs.push({
          url: doc[0], title: doc[1], sub: doc[2], text: doc[3],
          ht: norm(doc[1]), hay: norm(doc[1] + " " + doc[2] + " " + doc[3]), tps: doc[4]
        });
      }
      chunks.push(mine);
    }
  }

  function search(q) {
    var terms = norm(q).split(/\s+/).filter(function (t) { return t.length > 0; });
    if (!terms.length) return [];
    var out = [];
    var order = 0;
    chunks.forEach(function (c) {
      /* Which strings hold which term: each distinct string is tested once. */
      var hits = terms.map(function (t) {
        var h = new Uint8Array(c.low.length);
        for (var i = 0; i < c.low.length; i++) if (c.low[i].indexOf(t) >= 0) h[i] = 1;
        return h;
      });
      function tpHas(tp, j) {
        if (hits[j][tp[1]]) return true;
        for (var k = 0; k < tp[2].length; k++) if (hits[j][tp[2][k]]) return true;
        return false;
      }
      for (var i = 0; i < c.docs.length; i++, order++) {
        var d = c.docs[i];
        var score = 0, ok = true, best = null, bestHits = 0;
        for (var k = 0; k < d.tps.length; k++) {
          var n = 0;
          for (var j = 0; j < terms.length; j++) if (tpHas(d.tps[k], j)) n++;
          if (n > bestHits) { bestHits = n; best = d.tps[k]; }
        }
        for (var j2 = 0; j2 < terms.length; j2++) {
          var term = terms[j2];
          var at = d.ht.indexOf(term);
          if (at >= 0) score += at === 0 ? 12 : 8;
          else if (d.hay.indexOf(term) >= 0) score += 3;
          else {
            var inTp = false;
            for (var k2 = 0; k2 < d.tps.length && !inTp; k2++) inTp = tpHas(d.tps[k2], j2);
            if (inTp) score += 2; else { ok = false; break; }
          }
        }
        if (!ok) continue;
        /* Link to the touchpoint when the match is in one, not all in the title. */
        var titleAll = terms.every(function (t) { return d.ht.indexOf(t) >= 0; });
        var tp = null;
        if (best && !titleAll) {
          var texts = best[2].map(function (x) { return c.strings[x]; });
          tp = { anchor: best[0], name: c.strings[best[1]], text: texts.join(" · ") };
        }
        out.push({ doc: d, score: score + bestHits, tp: tp, order: order });
      }
    });
    out.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return out.slice(0, 30).map(function (r) { r.terms = terms; return r; });
  }

  /* Appends `text` to `el`, marking the first occurrence of each term. */
  function highlight(el, text, terms) {
    var low = norm(text);
    var marks = [];
    terms.forEach(function (t) {
      var at = low.indexOf(t);
      if (at >= 0 && low.length === text.length) marks.push([at, at + t.length]);
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      el.appendChild(document.createTextNode(text.slice(pos, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(m[0], m[1]);
      el.appendChild(mark);
      pos = m[1];
    });
    el.appendChild(document.createTextNode(text.slice(pos)));
  }

  function snippet(text, terms) {
    var low = norm(text);
    var at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) at = low.indexOf(terms[i]);
    if (at < 0 || low.length !== text.length) return text.slice(0, 120);
    var from = Math.max(0, at - 40);
    return (from > 0 ? "…" : "") + text.slice(from, from + 120) + (from + 120 < text.length ? "…" : "");
  }

  function render(results) {
    list.textContent = "";
    selected = -1;
    if (!input.value.trim()) { close(); return; }
    if (!results.length) {
      var li = document.createElement("li");
      li.className = "r-empty";
      li.setAttribute("role", "option");
      li.textContent = index() ? input.getAttribute("data-no-results") : input.getAttribute("data-loading");
      list.appendChild(li);
    }
    results.forEach(function (r, n) {
      var li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "search-result-" + n;
      var a = document.createElement("a");
      a.href = root + r.doc.url + (r.tp ? "#tp-" + r.tp.anchor : "");
      a.tabIndex = -1;
      var title = document.createElement("span");
      title.className = "r-title";
      highlight(title, r.doc.title, r.terms);
      a.appendChild(title);
      if (r.tp) {
        var tp = document.createElement("span");
        tp.className = "r-tp";
        highlight(tp, "› " + r.tp.name + " — " + snippet(r.tp.text, r.terms), r.terms);
        a.appendChild(tp);
      } else if (r.doc.sub || r.doc.text) {
        var sub = document.createElement("span");
        sub.className = "r-sub";
        highlight(sub, r.doc.sub || snippet(r.doc.text, r.terms), r.terms);
        a.appendChild(sub);
      }
      li.appendChild(a);
      li.addEventListener("mousedown", function (e) { e.preventDefault(); });
      li.addEventListener("click", function () { close(); });
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function run() {
    if (!input.value.trim()) { close(); return; }
    prepare();
    render(search(input.value));
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function select(n) {
    var items = list.querySelectorAll("li[role=option] a");
    if (!items.length) return;
    if (selected >= 0 && items[selected]) items[selected].parentNode.removeAttribute("aria-selected");
    selected = (n + items.length) % items.length;
    var li = items[selected].parentNode;
    li.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", li.id);
    if (li.scrollIntoView) li.scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("focus", ensureIndex);
  input.addEventListener("input", function () {
    ensureIndex();
    clearTimeout(timer);
    timer = setTimeout(run, 60);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); if (list.hidden) run(); select(selected + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); select(selected - 1); }
    else if (e.key === "Enter") {
      var items = list.querySelectorAll("li[role=option] a");
      var target = items[selected >= 0 ? selected : 0];
      if (target) { e.preventDefault(); close(); window.location.href = target.href; }
    } else if (e.key === "Escape") { close(); }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
    if (!typing && (e.key === "/" || e.key === "s") && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      input.focus();
    }
  });
})();

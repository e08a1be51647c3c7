// cxbook serve: live reload and the build-error overlay. Injected into HTML
// responses by the dev server only; never part of `cxbook build`'s output.
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.EventSource) return;
  var generation = Number(me.getAttribute("data-cxbook-generation"));
  var base = me.getAttribute("data-cxbook-base");
  // The endpoint sits next to this script, so it follows whatever host,
  // port and path prefix the page was loaded through.
  var events = new URL("events", me.src);

  function overlay() {
    return document.getElementById("cxbook-overlay");
  }

  function show(html) {
    var t = document.createElement("template");
    t.innerHTML = html; // escaped by the server
    var el = t.content.firstElementChild;
    var old = overlay();
    if (old) old.replaceWith(el);
    else (document.body || document.documentElement).appendChild(el);
  }

  function hide() {
    var old = overlay();
    if (old) old.remove();
  }

  var source = new EventSource(events);
  source.onmessage = function (e) {
    var d;
    try {
      d = JSON.parse(e.data);
    } catch (_) {
      return;
    }
    if (d.error) {
      show(d.error);
    } else if (d.generation === generation) {
      hide();
    } else {
      source.close();
      if (d.base && base && d.base !== base) {
        location.href = new URL(d.base, location.href).href;
      } else {
        location.reload();
      }
    }
  };
  window.addEventListener("pagehide", function () {
    source.close();
  });
})();

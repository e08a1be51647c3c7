// cxbook serve: one event stream shared by every open page of the site.
// Browsers allow about six HTTP/1.1 connections per host; an EventSource
// per tab would use them all up with a few tabs open and the next page
// would never load. Pages reach this worker through reload.js.
"use strict";
var ports = [];
var last = null;
var source = new EventSource(new URL("events", self.location.href));
source.onmessage = function (e) {
  last = e.data;
  ports.forEach(function (p) { p.postMessage(e.data); });
};
self.onconnect = function (e) {
  var port = e.ports[0];
  ports.push(port);
  port.onmessage = function (m) {
    if (m.data === "bye") ports = ports.filter(function (p) { return p !== port; });
  };
  port.start();
  if (last !== null) port.postMessage(last);
};

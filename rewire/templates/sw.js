// Rewire's service worker. For now it keeps one thing working with no signal: the Urgent help
// page (issue 14). It is installed from any page, and at once fetches a signed-out copy of
// Urgent help (credentials omitted, so nothing of the person is ever stored) with the style
// sheet and script it uses. With a connection, Urgent help comes from the server as usual and
// the copy is refreshed; without one, the copy is shown.
// The version changes when the helplines or the static files do, so the copy is renewed.
"use strict";

const VERSION = "{{ version }}";
const CACHE = "rewire-offline-" + VERSION;
const OFFLINE_PAGES = ["{{ urgent_help }}"];

async function keepSignedOutCopy(cache, url) {
  const response = await fetch(url, { credentials: "omit", cache: "no-store" });
  if (!response.ok) return;
  const page = await response.clone().text();
  // The style sheet, icon and scripts the page asks for, from this server only.
  const assets = [...page.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((match) => match[1]);
  await cache.addAll(assets.map((asset) => new Request(asset, { credentials: "omit" })));
  await cache.put(url, response);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => Promise.all(OFFLINE_PAGES.map((url) => keepSignedOutCopy(cache, url))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("rewire-offline-") && name !== CACHE)
            .map((name) => caches.delete(name))
        )
      )
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && OFFLINE_PAGES.includes(url.pathname)) {
    // Network first: the page as the server has it now (signed in or not); the signed-out
    // copy when there is no connection.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            event.waitUntil(caches.open(CACHE).then((cache) => keepSignedOutCopy(cache, url.pathname)).catch(() => {}));
          }
          return response;
        })
        .catch(() => caches.match(url.pathname, { cacheName: CACHE }).then((copy) => copy || Response.error()))
    );
    return;
  }
  if (url.pathname.startsWith("/static/")) {
    // A static file the copy needs: from the network, or the kept one when offline.
    event.respondWith(
      fetch(request).catch(() =>
        caches.match(url.pathname, { cacheName: CACHE }).then((copy) => copy || Response.error())
      )
    );
  }
});

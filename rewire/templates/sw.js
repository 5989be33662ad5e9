// Rewire's service worker: it keeps pages working with no signal (docs/offline.md).
// - Urgent help (issue 14): installed from any page, it at once fetches a signed-out copy of
//   Urgent help (credentials omitted, so nothing of the person is ever stored) with the style
//   sheet and scripts it uses. With a connection, Urgent help comes from the server as usual
//   and the copy is refreshed; without one, the copy is shown.
// - The signed-in person's own pages (the check-in, the flare plan, the safety messages): the
//   page's script (static/rewire/offline.js) keeps them in a cache named after that person
//   ("rewire-user-" + an opaque name) and deletes it at sign-out or when someone else signs
//   in. This worker only reads it, and only when the network fails.
// The version changes when the helplines, the page's templates or the static files do, so the
// copy is renewed.
"use strict";

const VERSION = "{{ version }}";
const CACHE = "rewire-offline-" + VERSION;
// Shown, from its signed-out copy, for any page that cannot be reached and has no copy.
const OFFLINE_PAGE = "{{ offline_page }}";
const OFFLINE_PAGES = ["{{ urgent_help }}", OFFLINE_PAGE];
const PERSONAL_PAGES = {{ personal_pages|safe }};
const PERSONAL_CACHE_PREFIX = "rewire-user-";
const SIGN_IN = "{{ sign_in }}";
const MANIFEST = "{{ manifest }}";

// With no answer this soon, the kept copy is shown: a crisis page must not hang on a bad line.
const NETWORK_WAIT_MS = 3000;

async function keepSignedOutCopy(cache, url) {
  // A redirect (to a sign-in page, say) is never kept as the page.
  const response = await fetch(url, { credentials: "omit", cache: "no-store", redirect: "error" });
  if (!response.ok) return;
  const page = await response.clone().text();
  // The style sheet, icon and scripts the page asks for, from this server only, each once.
  const assets = new Set([...page.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((match) => match[1]));
  assets.add(MANIFEST);  // the web app manifest every page links (it names no one)
  await cache.addAll([...assets].map((asset) => new Request(asset, { credentials: "omit" })));
  await cache.put(url, response);
}

function keptCopy(path) {
  return caches.match(path, { cacheName: CACHE });
}

async function forgetPersonalCopies() {
  const names = (await caches.keys()).filter((name) => name.startsWith(PERSONAL_CACHE_PREFIX));
  await Promise.all(names.map((name) => caches.delete(name)));
}

// The signed-in person's copy of a page; nothing unless exactly one person's cache is here
// (offline.js keeps it so: it deletes any other before filling its own).
async function personalCopy(path) {
  const names = (await caches.keys()).filter((name) => name.startsWith(PERSONAL_CACHE_PREFIX));
  if (names.length !== 1) return undefined;
  return caches.match(path, { cacheName: names[0] });
}

// A page the person kept: from the network, or their copy when it fails (no timeout: a slow
// answer may be the check-in being saved elsewhere, and the copy may be a little old).
function networkOrPersonalCopy(request, path) {
  return fetch(request).catch(() => personalCopy(path).then((copy) => copy || offlinePage()));
}

// "No connection", and what works without one: better than the browser's error page.
function offlinePage() {
  return keptCopy(OFFLINE_PAGE).then((copy) => copy || Response.error());
}

// The network's answer, unless it fails or is slow: then the kept copy (if there is one).
function networkOrCopy(request, path) {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (response) => {
      if (!settled && response) {
        settled = true;
        resolve(response);
      }
    };
    const fallBack = () => keptCopy(path).then((copy) => settle(copy));
    const timer = setTimeout(fallBack, NETWORK_WAIT_MS);
    fetch(request)
      .then((response) => {
        clearTimeout(timer);
        settle(response);
      })
      .catch(() => {
        clearTimeout(timer);
        keptCopy(path).then((copy) => settle(copy || Response.error()));
      });
  });
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
    event.respondWith(networkOrCopy(request, url.pathname));
    // Online: renew the copy (it may have changed since the worker was installed).
    event.waitUntil(
      caches.open(CACHE).then((cache) => keepSignedOutCopy(cache, url.pathname)).catch(() => {})
    );
    return;
  }
  if (request.mode === "navigate" && url.pathname === SIGN_IN) {
    // Someone is about to sign in (or a session ended and the server sent its person here):
    // the pages kept for the last person go, even before any page script runs.
    event.waitUntil(forgetPersonalCopies());
    event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  if (request.mode === "navigate" && PERSONAL_PAGES.includes(url.pathname) && !url.search) {
    event.respondWith(networkOrPersonalCopy(request, url.pathname));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  if (url.pathname.startsWith("/static/") || url.pathname === MANIFEST) {
    // A file a kept page needs (no health data): from the network, or a kept one.
    event.respondWith(
      fetch(request).catch(() => caches.match(url.pathname).then((copy) => copy || Response.error()))
    );
  }
});

// Reminders as notifications (Web Push): the payload says only that a reminder is due, and
// which page of this site to open.
self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  event.waitUntil(
    self.registration.showNotification(data.title || "Rewire", {
      body: data.body || "A reminder you asked for.",
      tag: "rewire-reminder",
      data: { url: data.url || "/" },
    })
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  // Only a page of this site, whatever the payload says.
  event.waitUntil(self.clients.openWindow(target.pathname + target.search));
});

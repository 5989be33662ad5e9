// With no connection, a check-in or a flare is kept on this device, encrypted, and sent when
// the connection returns; the person's own pages are kept for use offline. docs/offline.md
// says what is stored and how it is protected and wiped. Without JavaScript, or online, the
// forms are sent to the server as they always are.
(function () {
  "use strict";

  var status = document.querySelector("[data-offline-status]");
  // Who is signed in, as an opaque name (rewire/context_processors.py); empty when nobody is.
  var owner = status ? status.dataset.offlineOwner : "";
  if (!status || !window.isSecureContext || !window.indexedDB || !window.crypto.subtle) return;

  var DB_NAME = "rewire-offline";
  var CACHE_PREFIX = "rewire-user-";
  // The same list as rewire/measures/help_views.py's personal_offline_pages (a test checks).
  var PERSONAL_PAGES = ["/", "/programme/flare-plan", "/programme/safety"];
  var KEEP_EVERY_MS = 5 * 60 * 1000;
  var RETRY_MS = 30 * 1000;
  var KEPT_AT = "rewire-offline-kept";
  var API = "/api/v1/checkins";
  var URGENT_HELP = new URL(document.querySelector("a.urgent-help").href).pathname;
  var PROBE = status.dataset.offlineProbe;  // "No connection": small, and no one's data
  var PROBE_WAIT_MS = 4000;
  var SEND_WAIT_MS = 10000;  // a hung request must not hold the queue (or a sign-out) for ever
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("rewire-offline") : null;

  // IndexedDB: "queue" holds the encrypted entries; "meta" the key and whose entries they are.
  var opened = null;
  function database() {
    opened = opened || new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("queue", { keyPath: "id", autoIncrement: true });
        request.result.createObjectStore("meta");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
    return opened;
  }
  function done(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  async function store(name, mode) {
    return (await database()).transaction(name, mode || "readonly").objectStore(name);
  }

  // A key the browser can use but never hands out (extractable: false), kept as a CryptoKey
  // object; the first tab to make one wins, the others use it.
  async function queueKey() {
    var key = await done((await store("meta")).get("key"));
    if (key) return key;
    key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    try {
      await done((await store("meta", "readwrite")).add(key, "key"));
      return key;
    } catch (error) {
      return done((await store("meta")).get("key"));
    }
  }

  // Refused when someone else has signed in on this device since this page opened (their
  // page claimed the queue): an entry is only ever kept, and sent, as the person who wrote it.
  async function keep(entry) {
    entry.owner = owner;
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var plain = new TextEncoder().encode(JSON.stringify(entry));
    var data = await crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, await queueKey(), plain);
    var transaction = (await database()).transaction(["queue", "meta"], "readwrite");
    var claimed = await done(transaction.objectStore("meta").get("owner"));
    if (claimed !== owner) {
      transaction.abort();
      throw new Error("another person");
    }
    await done(transaction.objectStore("queue").add({ iv: iv, data: data }));
    if (channel) channel.postMessage("changed");
  }

  async function waiting() {
    var records = await done((await store("queue")).getAll());
    if (!records.length) return [];
    var key = await queueKey();
    var readable = [];
    for (var record of records) {
      try {
        var plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: record.iv }, key, record.data);
        readable.push({ id: record.id, entry: JSON.parse(new TextDecoder().decode(plain)) });
      } catch (error) {
        await forget(record.id);  // kept under a key since wiped: no one can read it any more
      }
    }
    return readable;
  }

  async function forget(id) {
    await done((await store("queue", "readwrite")).delete(id));
    if (channel) channel.postMessage("changed");
  }

  async function forgetPages() {
    sessionStorage.removeItem(KEPT_AT);
    if (!("caches" in window)) return;
    var names = (await caches.keys()).filter(function (name) { return name.startsWith(CACHE_PREFIX); });
    await Promise.all(names.map(function (name) { return caches.delete(name); }));
  }

  // Everything this device keeps of the person: the queue, its key, their cached pages.
  async function wipe() {
    await forgetPages();
    var transaction = (await database()).transaction(["queue", "meta"], "readwrite");
    transaction.objectStore("queue").clear();
    transaction.objectStore("meta").clear();
    await new Promise(function (resolve, reject) {
      transaction.oncomplete = resolve;
      transaction.onerror = function () { reject(transaction.error); };
    });
    if (channel) channel.postMessage("changed");
  }

  // A page of this person: if the device holds another person's entries or pages, they go.
  async function claimForThisPerson() {
    var meta = await store("meta");
    var previous = await done(meta.get("owner"));
    if (previous && previous !== owner) await wipe();
    if (previous !== owner) await done((await store("meta", "readwrite")).put(owner, "owner"));
    if ("caches" in window) {
      var others = (await caches.keys()).filter(function (name) {
        return name.startsWith(CACHE_PREFIX) && name !== CACHE_PREFIX + owner;
      });
      await Promise.all(others.map(function (name) { return caches.delete(name); }));
    }
  }

  // The person's pages, for use with no connection: kept only if the server answered with
  // this person's page (not a sign-in page, not someone else's), with the files they use.
  async function keepPagesForOffline() {
    if (!("caches" in window) || !navigator.onLine) return;
    // Not on every page: once every few minutes per tab once all are kept, sooner while one
    // is missing (the flare plan opens only after the warning signs), at once for a new person.
    // Noted only when done: a page left at once keeps nothing, and the next one tries again.
    var last = JSON.parse(sessionStorage.getItem(KEPT_AT) || "{}");
    var wait = last.all ? KEEP_EVERY_MS : RETRY_MS;
    if (last.owner === owner && Date.now() - last.at < wait) return;
    var all = true;
    var cache = await caches.open(CACHE_PREFIX + owner);
    for (var path of PERSONAL_PAGES) {
      // The header keeps the person's pending messages for the page they open next.
      var response = await fetch(path, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { "X-Rewire-Offline-Copy": "1" },
      });
      var page = response.ok && !response.redirected ? await response.clone().text() : "";
      if (!page.includes('data-offline-owner="' + owner + '"')) {
        all = false;
        continue;
      }
      var assets = new Set(Array.from(page.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g), function (m) { return m[1]; }));
      await cache.addAll(Array.from(assets));
      await cache.put(path, response);
    }
    sessionStorage.setItem(KEPT_AT, JSON.stringify({ owner: owner, at: Date.now(), all: all }));
  }

  // The form, as the API's check-in (docs/offline.md lists this mapping). Names the API uses
  // as they are; body areas, emotions and tags gathered into its lists; unknown names left out.
  var WHOLE_NUMBERS = ["pain", "stress", "sleep_quality", "movement_minutes"];
  var DECIMALS = ["sleep_hours"];
  var TEXTS = ["thought", "note"];
  var TICKED = ["is_flare"];
  var TAG_LISTS = { tags: "new_tags", helped: "new_helped" };
  var NOT_SENT = ["csrfmiddlewaretoken", "submission", "shown_at", "recorded_at"];

  function checkinBody(form, data) {
    var body = { body_areas: [], emotions: [], tags: [], helped: [] };
    var others = {};
    data.forEach(function (value, name) {
      value = typeof value === "string" ? value.trim() : "";
      if (NOT_SENT.includes(name) || value === "") return;
      var match;
      if (WHOLE_NUMBERS.includes(name)) body[name] = parseInt(value, 10);
      else if (DECIMALS.includes(name)) body[name] = parseFloat(value);
      else if (TEXTS.includes(name)) body[name] = value;
      else if (TICKED.includes(name)) body[name] = true;
      else if (name in TAG_LISTS) body[name].push(value);
      else if ((match = /^new_(tags|helped)$/.exec(name))) {
        value.split(",").forEach(function (typed) {
          typed = typed.trim().replace(/\s+/g, " ");
          if (typed) body[match[1]].push(typed);
        });
      } else if ((match = /^area_(.+)$/.exec(name))) {
        // "pain": as strong as the pain chosen above (static/diary/checkin.js).
        var strength = value === "pain" ? data.get("pain") : value;
        body.body_areas.push({ area: match[1], intensity: parseInt(strength, 10) });
      } else if ((match = /^emotion_(.+)$/.exec(name))) {
        body.emotions.push({ name: match[1], intensity: parseInt(value, 10) });
      } else if ((match = /^other_(emotion|intensity)_(\d+)$/.exec(name))) {
        others[match[2]] = others[match[2]] || {};
        others[match[2]][match[1]] = value;
      }
    });
    Object.keys(others).forEach(function (index) {
      var other = others[index];
      if (other.emotion) {
        body.emotions.push({ name: other.emotion, intensity: parseInt(other.intensity || "", 10) });
      }
    });
    // The time the person chose, read as this device's local time; unchanged, it is now.
    var when = form.querySelector('[name="recorded_at"]');
    var chosen = when && when.value && when.value !== when.defaultValue ? new Date(when.value) : null;
    body.recorded_at = (chosen && !isNaN(chosen) ? chosen : new Date()).toISOString();
    return body;
  }

  // What the server would refuse, said now, while the person is still on the form: offline,
  // a refusal would only come back once the entry has left their hands.
  function problemIn(body, data) {
    if (!(body.pain >= 0 && body.pain <= 10)) return "Choose your pain from 0 (none) to 10 (worst).";
    var sleep = (data.get("sleep_hours") || "").toString().trim();
    if (sleep && !(/^\d{1,2}([.,]\d)?$/.test(sleep) && parseFloat(sleep.replace(",", ".")) <= 24)) {
      return "Hours of sleep: a number from 0 to 24, with at most one decimal place, such as 6.5.";
    }
    if (body.sleep_hours !== undefined) body.sleep_hours = parseFloat(sleep.replace(",", "."));
    var minutes = (data.get("movement_minutes") || "").toString().trim();
    if (minutes && !/^\d{1,4}$/.test(minutes)) return "Minutes of movement: a whole number, such as 20.";
    var unrated = body.emotions.filter(function (emotion) { return isNaN(emotion.intensity); });
    if (unrated.length) return "Give “" + unrated[0].name + "” a strength from 0 to 10.";
    if (body.body_areas.some(function (area) { return isNaN(area.intensity); })) {
      return "Give each body area you marked a strength from 0 to 10.";
    }
    return "";
  }

  function flareBody(data) {
    return { pain: parseInt(data.get("pain"), 10), is_flare: true, recorded_at: new Date().toISOString() };
  }

  function plural(count) {
    return count === 1 ? "1 entry" : count + " entries";
  }

  async function showWaiting(before) {
    var count = (await done((await store("queue")).count()));
    var text = before ? before + " " : "";
    if (count) {
      text += plural(count) + " waiting to be sent — " +
        (count === 1 ? "it" : "they") + " will go when you are back online.";
    } else if (!navigator.onLine) {
      text += "You are offline. A check-in or flare you save now is kept on this device and sent when you are back online.";
    }
    if (text || ["waiting", "offline"].includes(status.dataset.state)) status.textContent = text;
    status.dataset.state = count ? "waiting" : navigator.onLine ? "" : "offline";
  }

  function csrfToken() {
    var cookie = document.cookie.split("; ").find(function (part) { return part.startsWith("csrftoken="); });
    if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
    var input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  // Each entry once, in order, with its own Idempotency-Key: a retry, or another tab sending
  // the same entry, gets the first answer and records nothing more.
  async function sendWaiting() {
    // Only this person's entries, from a page of theirs: if someone else has signed in
    // since this page opened (in another tab), their page has wiped or claimed the queue.
    if ((await done((await store("meta")).get("owner"))) !== owner) return;
    var sent = 0, refused = [];
    for (var item of await waiting()) {
      if (item.entry.owner !== owner) {
        await forget(item.id);  // written in a tab of someone who has signed out since
        continue;
      }
      var response;
      try {
        response = await fetch(API, {
          method: "POST",
          credentials: "same-origin",
          headers: {
            "Content-Type": "application/json",
            "X-CSRFToken": csrfToken(),
            "Idempotency-Key": item.entry.key,
          },
          body: JSON.stringify(item.entry.body),
          signal: AbortSignal.timeout(SEND_WAIT_MS),
        });
      } catch (error) {
        break;  // still no connection: later
      }
      if (response.status === 201 || response.status === 410) {
        sent += 1;
      } else if (response.status === 422) {
        refused.push(item.entry);
      } else {
        break;  // signed out, or the server is busy: kept for later
      }
      await forget(item.id);
    }
    var words = [];
    if (sent) words.push("Sent: " + plural(sent) + " saved on this device " + (sent === 1 ? "has" : "have") + " arrived.");
    refused.forEach(function (entry) {
      words.push("The " + (entry.kind === "flare" ? "flare" : "check-in") + " saved on this device at " +
        timeOf(entry.body.recorded_at) + " could not be saved (something in it was not accepted); please enter it again.");
    });
    if (sent || refused.length) status.dataset.state = "sent";
    await showWaiting(words.join(" "));
  }

  function sendWhenPossible() {
    if (!navigator.onLine || !owner) return Promise.resolve();
    // One tab at a time (the keys make a second send harmless, this makes it rare).
    var send = function () { return sendWaiting().catch(function () {}); };
    return navigator.locks ? navigator.locks.request("rewire-offline-send", send) : send();
  }

  function timeOf(iso) {
    var moment = new Date(iso);
    return String(moment.getHours()).padStart(2, "0") + ":" + String(moment.getMinutes()).padStart(2, "0");
  }

  // Whether Rewire's server answers now. navigator.onLine says only that there is a network:
  // a weak signal, or a captive portal, says "online" too, and a form sent into it is lost.
  function serverAnswers() {
    if (!navigator.onLine) return Promise.resolve(false);
    return fetch(PROBE, { method: "HEAD", cache: "no-store", signal: AbortSignal.timeout(PROBE_WAIT_MS) })
      .then(function (response) { return response.ok && !response.redirected; }, function () { return false; });
  }

  // A check-in or flare goes to the server as always when the server answers; with no
  // connection it is kept here instead.
  document.querySelectorAll('form[data-offline="checkin"], form[data-offline="flare"]').forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!owner || form.dataset.sending) return;  // the server answered: sent as always
      event.preventDefault();
      // A second tap while the first is under way (a flare tapped twice) does nothing more.
      if (form.dataset.keeping) return;
      form.dataset.keeping = "yes";
      var submitter = event.submitter;
      var data = new FormData(form, submitter);
      serverAnswers().then(function (answers) {
        delete form.dataset.keeping;
        if (!answers) return keepHere(form, data);
        form.dataset.sending = "yes";
        form.requestSubmit(submitter || null);
        delete form.dataset.sending;
      });
    });
  });

  function keepHere(form, data) {
    var kind = form.dataset.offline;
    var body = kind === "flare" ? flareBody(data) : checkinBody(form, data);
    var problem = kind === "flare" ? problemIn(Object.assign({ emotions: [], body_areas: [] }, body), data) : problemIn(body, data);
    if (problem) {
      status.textContent = problem;
      return;
    }
    form.dataset.keeping = "yes";
    keep({ kind: kind, key: crypto.randomUUID(), body: body }).then(function () {
      form.reset();
      var panel = form.closest("details");
      if (panel) panel.open = false;
      return showWaiting("Saved on this device: " + (kind === "flare" ? "a flare, " : "") +
        "pain " + body.pain + " at " + timeOf(body.recorded_at) + ".");
    }).catch(function (error) {
      status.textContent = error && error.message === "another person"
        ? "Someone else has signed in on this device since this page opened, so this was not kept. Open Rewire again to sign in."
        : "This could not be kept on this device. Please try again when you are online.";
    }).finally(function () {
      delete form.dataset.keeping;
    });
  }

  // Signing out wipes what this device keeps of the person (sent first, when it can be).
  document.querySelectorAll('form[data-offline="signout"]').forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.wiped) return;
      event.preventDefault();
      var signOut = function () { form.dataset.wiped = "yes"; form.submit(); };
      var giveUp = new Promise(function (resolve) { setTimeout(resolve, 4000); });
      // The kept pages go first, whatever happens next; then what waits is sent if it can
      // be, and the queue and its key go too.
      var leave = forgetPages().then(sendWhenPossible).then(wipe);
      Promise.race([leave, giveUp]).then(signOut, signOut);
    });
  });

  async function start() {
    if (!owner) {
      // Signed out (a sign-out elsewhere, a session that ended, an account deleted): the
      // pages kept for the last person go. Urgent help is the one signed-out page the service
      // worker may show from its own copy offline; every other one came from the server. The
      // entries wait, encrypted, for their own person; anyone else signing in wipes them.
      // Offline, a signed-out page can only be one of the worker's copies: nothing to forget.
      var copy = location.pathname === URGENT_HELP || document.querySelector("[data-offline-fallback]");
      if (navigator.onLine && !copy) await forgetPages();
      return;
    }
    await claimForThisPerson();
    await showWaiting();
    await sendWhenPossible();
    if (document.querySelector('form[data-offline="flare"]') && navigator.locks) {
      await navigator.locks.request("rewire-offline-keep", keepPagesForOffline);
    }
  }

  window.addEventListener("online", function () {
    if (owner) showWaiting();
    sendWhenPossible();
  });
  window.addEventListener("offline", function () { if (owner) showWaiting(); });
  if (channel) channel.onmessage = function () { showWaiting(); };
  start().catch(function () {});
})();

// The reminders page: allow this device to show reminders as notifications (Web Push). The
// browser makes the subscription with the server's public key; the server keeps it.
(function () {
  "use strict";
  var button = document.querySelector("[data-push-allow]");
  var status = document.querySelector("[data-push-status]");
  if (!button || !status) return;
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    status.textContent = "This browser cannot show Rewire's notifications; email reminders still work.";
    return;
  }
  button.hidden = false;

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  button.addEventListener("click", function () {
    status.textContent = "Asking the browser…";
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") {
        status.textContent = "Notifications were not allowed. You can allow them in this site's settings in your browser.";
        return null;
      }
      return navigator.serviceWorker.ready.then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(button.dataset.key),
        });
      }).then(function (subscription) {
        var token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
        return fetch(button.dataset.url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token },
          body: JSON.stringify(subscription),
        });
      }).then(function (response) {
        status.textContent = response.ok
          ? "This device will show your reminders."
          : "This device could not be added. Please try again.";
      });
    }).catch(function () {
      status.textContent = "This device could not be added. Please try again.";
    });
  });
})();

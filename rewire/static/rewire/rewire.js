// Small behaviours on top of pages that work without JavaScript.
(function () {
  "use strict";

  // Urgent help keeps working with no connection once any page has been visited (sw.js).
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }

  // The browser knows the person's timezone; fill it in on sign-up and offer it in settings.
  function deviceTimezone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }
  document.querySelectorAll("[data-detect-timezone]").forEach(function (input) {
    if (!input.value) input.value = deviceTimezone();
  });
  document.querySelectorAll("[data-use-device-timezone]").forEach(function (button) {
    var zone = deviceTimezone();
    var select = document.getElementById("id_timezone");
    if (!zone || !select) return;
    button.hidden = false;
    button.textContent = "Use this device’s timezone (" + zone + ")";
    button.addEventListener("click", function () { select.value = zone; });
  });

  // The flare panel and the phone's "More" sheet close with Escape or a tap outside them;
  // Escape returns focus to their button.
  document.querySelectorAll("details.flare, details.more-sheet").forEach(function (panel) {
    var summary = panel.querySelector("summary");
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && panel.open) {
        panel.open = false;
        summary.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (panel.open && !panel.contains(event.target)) panel.open = false;
    });
  });
  // A skip link into a closed panel (Log a flare) opens it (Chromium does so by itself, Safari
  // does not) and puts the focus on its first button, where it can be seen.
  document.querySelectorAll('a.skip-link[href^="#"]').forEach(function (link) {
    link.addEventListener("click", function (event) {
      var target = document.getElementById(link.hash.slice(1));
      var panel = target && target.closest("details");
      var first = target && target.querySelector("button");
      if (!panel || !first) return;
      event.preventDefault();
      event.stopPropagation();  // not a click outside the panel: it must not close it again
      panel.open = true;
      first.focus();
    });
  });
  // In the flare scale the arrow keys move along the numbers and wrap round (Left from 0 is
  // 10), so any number is a few presses from the first; Tab still goes through them in turn.
  document.querySelectorAll(".flare-scale").forEach(function (scale) {
    var buttons = Array.prototype.slice.call(scale.querySelectorAll("button"));
    scale.addEventListener("keydown", function (event) {
      var step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
      var at = buttons.indexOf(document.activeElement);
      if (!step || at < 0) return;
      event.preventDefault();
      buttons[(at + step + buttons.length) % buttons.length].focus();
    });
  });
  // After a refused form, go to its list of problems: on a phone the page would otherwise
  // reload at the top, far from them, and a screen reader would not hear of them.
  var problems = document.querySelector(".form-errors");
  if (problems) {
    problems.setAttribute("tabindex", "-1");
    problems.focus();
  }
})();

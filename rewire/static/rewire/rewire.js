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

  // Body map: a region mirrors its select in the list, which stays the real control.
  document.querySelectorAll("[data-bodymap]").forEach(function (map) {
    var form = map.closest("form");
    var status = map.querySelector("[data-bodymap-status]");
    function selectFor(area) { return form.querySelector('select[data-area="' + area + '"]'); }
    function labelFor(select) {
      var label = form.querySelector('label[for="' + select.id + '"]');
      return label ? label.textContent.trim() : select.name;
    }
    function currentPain() {
      var checked = form.querySelector('input[name="pain"]:checked');
      return checked ? checked.value : "5";
    }
    function paint() {
      map.querySelectorAll("[data-area]").forEach(function (region) {
        var select = selectFor(region.dataset.area);
        if (select && select.value !== "") region.setAttribute("data-level", select.value);
        else region.removeAttribute("data-level");
      });
      if (!status) return;
      var marked = [];
      form.querySelectorAll("select[data-area]").forEach(function (select) {
        if (select.value !== "") marked.push(labelFor(select) + " " + select.value);
      });
      status.textContent = marked.length ? "Marked: " + marked.join(", ") : "Nothing marked yet.";
    }
    map.addEventListener("click", function (event) {
      var region = event.target.closest("[data-area]");
      if (!region) return;
      var select = selectFor(region.dataset.area);
      if (!select) return;
      select.value = select.value === "" ? currentPain() : "";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    form.addEventListener("change", paint);
    map.hidden = false;
    paint();
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
  // After a refused form, go to its list of problems: on a phone the page would otherwise
  // reload at the top, far from them, and a screen reader would not hear of them.
  var problems = document.querySelector(".form-errors");
  if (problems) {
    problems.setAttribute("tabindex", "-1");
    problems.focus();
  }
})();

// The check-in's details: the body map marks the areas' checkboxes, one strength row sets how
// strong a marked area is, and an emotion chip shows the number chosen. Without this script the
// form still works: the areas are shown as chips and a marked one has the pain chosen above.
(function () {
  "use strict";

  var SAME_AS_PAIN = "pain";

  document.querySelectorAll("[data-bodymap]").forEach(function (map) {
    var form = map.closest("form");
    var figures = map.querySelector("[data-bodymap-figures]");
    var marks = map.querySelector("[data-area-marks]");
    var status = map.querySelector("[data-bodymap-status]");
    var strength = map.querySelector("[data-area-strength]");
    var strengthName = map.querySelector("[data-area-strength-name]");
    var help = map.querySelector("[data-bodymap-help]");
    var boxes = Array.prototype.slice.call(marks.querySelectorAll("input[data-area]"));
    var current = null; // the box the strength row is about

    function pain() {
      var checked = form.querySelector('input[name="pain"]:checked');
      return checked ? checked.value : "";
    }
    function level(box) {
      return box.value === SAME_AS_PAIN ? (pain() || "5") : box.value;
    }
    function label(box) {
      return box.closest("label").firstChild.nextSibling.textContent.trim();
    }
    function boxFor(area) {
      return marks.querySelector('input[data-area="' + area + '"]');
    }
    function paint() {
      map.querySelectorAll("svg [data-area]").forEach(function (region) {
        var box = boxFor(region.dataset.area);
        if (box && box.checked) region.setAttribute("data-level", level(box));
        else region.removeAttribute("data-level");
      });
      var marked = boxes.filter(function (box) { return box.checked; });
      boxes.forEach(function (box) {
        var shown = box.closest("label").querySelector("[data-chip-value]");
        if (shown) shown.textContent = box.checked && box.value !== SAME_AS_PAIN ? " " + box.value : "";
      });
      status.textContent = marked.length
        ? "Marked: " + marked.map(function (box) { return label(box) + " " + level(box); }).join(", ")
        : "Nothing marked yet.";
      if (current && !current.checked) current = null;
      strength.hidden = current === null;
      if (current) {
        strengthName.textContent = label(current);
        var value = level(current);
        strength.querySelectorAll("input").forEach(function (radio) {
          radio.checked = radio.value === value;
        });
      }
    }

    map.addEventListener("click", function (event) {
      var region = event.target.closest("svg [data-area]");
      if (!region) return;
      var box = boxFor(region.dataset.area);
      if (!box) return;
      box.checked = !box.checked;
      if (!box.checked) box.value = SAME_AS_PAIN;
      current = box.checked ? box : null;
      paint();
    });
    boxes.forEach(function (box) {
      box.addEventListener("change", function () {
        if (!box.checked) box.value = SAME_AS_PAIN;
        current = box.checked ? box : null;
        paint();
      });
      // A keyboard user moving through the hidden boxes sees where each one is on the drawing.
      box.addEventListener("focus", function () {
        map.querySelectorAll('svg [data-area="' + box.dataset.area + '"]').forEach(function (r) {
          r.classList.add("focused");
        });
      });
      box.addEventListener("blur", function () {
        map.querySelectorAll("svg .focused").forEach(function (r) { r.classList.remove("focused"); });
      });
    });
    strength.addEventListener("change", function (event) {
      if (current && event.target.checked) {
        current.value = event.target.value;
        paint();
      }
    });
    form.addEventListener("change", function (event) {
      if (event.target.name === "pain") paint();
    });
    // Emptied (after a check-in kept offline, static/rewire/offline.js): the boxes are
    // unticked by the browser; their strengths go back to "as the pain" and the drawing clears.
    form.addEventListener("reset", function () {
      boxes.forEach(function (box) { box.value = SAME_AS_PAIN; });
      current = null;
      setTimeout(paint, 0);
    });
    // Whatever sends the form (a submit, or a script building FormData from it) sends numbers.
    form.addEventListener("formdata", function (event) {
      boxes.forEach(function (box) {
        if (box.checked && box.value === SAME_AS_PAIN && pain() !== "") {
          event.formData.set(box.name, pain());
        }
      });
    });

    figures.hidden = false;
    marks.classList.add("visually-hidden");
    status.hidden = false;
    if (help) help.textContent = "tap to mark, again to clear";
    paint();
  });

  // An emotion chip shows the number chosen for it.
  document.querySelectorAll(".rated-chip").forEach(function (chip) {
    var shown = chip.querySelector("[data-chip-value]");
    chip.addEventListener("change", function (event) {
      if (shown && event.target.checked) {
        shown.textContent = event.target.value === "" ? "" : " " + event.target.value;
      }
    });
  });
})();

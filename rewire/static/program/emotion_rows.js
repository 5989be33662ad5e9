// Thought record: the page sends a few empty emotion rows to fill in without JavaScript;
// here they stay out of the way until "Add another emotion" asks for one.
(function () {
  "use strict";

  document.querySelectorAll("[data-emotion-rows]").forEach(function (group) {
    var button = group.querySelector("[data-add-emotion]");
    var rows = Array.prototype.slice.call(group.querySelectorAll("[data-emotion-row]"));
    function isEmpty(row) {
      return Array.prototype.every.call(row.querySelectorAll("input, select"), function (field) {
        return field.value === "";
      }) && !row.querySelector(".error");
    }
    // Keep every filled row and the first empty one; hide the other empty ones.
    var firstEmptySeen = false;
    rows.forEach(function (row) {
      if (!isEmpty(row)) return;
      if (firstEmptySeen) row.hidden = true;
      firstEmptySeen = true;
    });
    function hiddenRows() { return rows.filter(function (row) { return row.hidden; }); }
    button.hidden = hiddenRows().length === 0;
    button.addEventListener("click", function () {
      var next = hiddenRows()[0];
      if (!next) return;
      next.hidden = false;
      next.querySelector("input").focus();
      button.hidden = hiddenRows().length === 0;
    });
  });
})();

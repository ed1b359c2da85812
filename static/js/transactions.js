// Transactions page islands: select-all, selection count, "/" to search, Escape cancels an edit.
(function () {
  "use strict";
  function updateCount() {
    var boxes = document.querySelectorAll('input[name="ids"][form="bulk-form"]');
    var checked = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
    var label = document.getElementById("bulk-count");
    if (label) { label.textContent = checked ? checked + " selected:" : "With selected:"; }
    var all = document.getElementById("txn-select-all");
    if (all) {
      all.checked = boxes.length > 0 && checked === boxes.length;
      all.indeterminate = checked > 0 && checked < boxes.length;
    }
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.id === "txn-select-all") {
      document.querySelectorAll('input[name="ids"][form="bulk-form"]').forEach(function (box) {
        box.checked = target.checked;
      });
    }
    if (target.id === "txn-select-all" || target.name === "ids") { updateCount(); }
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    var typing = tag === "input" || tag === "textarea" || tag === "select";
    if (event.key === "/" && !typing) {
      var search = document.getElementById("txn-q");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
    }
    if (event.key === "Escape") {
      var form = event.target.closest && event.target.closest(".txn-quick-form");
      var cancel = form && form.querySelector(".txn-cancel");
      if (cancel) { event.preventDefault(); cancel.click(); }
    }
  });
  // Keep keyboard focus where the person is working after an inline swap.
  document.addEventListener("htmx:afterSettle", function (event) {
    var elt = event.detail.elt;
    var form = elt && elt.querySelector ? elt.querySelector(".txn-quick-form") : null;
    if (form) {
      var field = form.querySelector("input:not([type=hidden]), select");
      if (field) { field.focus(); }
    } else if (elt && elt.id && elt.id.indexOf("txn-") === 0 && elt.tagName === "TR") {
      var edit = elt.querySelector("a.btn");
      if (edit) { edit.focus(); }
    }
    updateCount();
  });
})();

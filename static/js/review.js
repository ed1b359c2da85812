// Review queue keys: on a focused row, 1-3 accept a suggestion; j/k or arrows move between rows.
(function () {
  "use strict";
  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-review-row]"));
  }
  document.addEventListener("keydown", function (event) {
    var row = event.target.closest && event.target.closest("[data-review-row]");
    if (!row || event.target !== row || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var all = rows();
    var index = all.indexOf(row);
    if (/^[1-3]$/.test(event.key)) {
      var button = row.querySelector('[data-review-key="' + event.key + '"]');
      if (button) {
        event.preventDefault();
        button.click();
      }
    } else if ((event.key === "j" || event.key === "ArrowDown") && all[index + 1]) {
      event.preventDefault();
      all[index + 1].focus();
    } else if ((event.key === "k" || event.key === "ArrowUp") && all[index - 1]) {
      event.preventDefault();
      all[index - 1].focus();
    }
  });
  // When an accepted row leaves, keep the keyboard on the next one.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var row = event.detail.target;
    if (row && row.matches && row.matches("[data-review-row]")) {
      var all = rows();
      var next = all[all.indexOf(row) + 1] || all[all.indexOf(row) - 1];
      if (next) {
        window.setTimeout(function () { next.focus(); }, 0);
      }
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-select-all]")) {
      document.querySelectorAll('input[name="ids"][form="bulk-form"]:not(:disabled)')
        .forEach(function (box) { box.checked = event.target.checked; });
    }
  });
})();

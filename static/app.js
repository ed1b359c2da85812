// Small islands of behaviour; every page works without this file.
(function () {
  "use strict";
  // Confirmation for destructive buttons: <button data-confirm="Delete this?">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  // Keep HTMX validation errors (422) visible: swap them in like successful responses.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();

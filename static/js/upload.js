// Import wizard: show the new-account fields only when "Create a new account" is chosen.
(function () {
  "use strict";
  function sync(fieldset, select) {
    fieldset.classList.toggle("is-hidden", select.value !== "new");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var fieldset = document.getElementById("new-account-fields");
    if (!fieldset) { return; }
    var select = document.getElementById(fieldset.getAttribute("data-account-select"));
    if (!select) { return; }
    sync(fieldset, select);
    select.addEventListener("change", function () { sync(fieldset, select); });
  });
})();

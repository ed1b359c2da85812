// Plaid Link island: opens Link with the server's link token; on success posts the public
// token through the page's own form (CSRF included). Without Plaid's script, says so.
(function () {
  "use strict";
  function start() {
    var island = document.getElementById("plaid-link");
    if (!island) return;
    var button = document.getElementById("plaid-link-open");
    var status = document.getElementById("plaid-link-status");
    var form = document.getElementById("plaid-link-form");
    function say(text) {
      status.textContent = text;
      status.classList.remove("d-none");
    }
    if (!window.Plaid || !window.Plaid.create) {
      say("Plaid Link could not be loaded. Check that nothing blocks cdn.plaid.com, then reload this page.");
      return;
    }
    var handler = window.Plaid.create({
      token: island.dataset.linkToken,
      onSuccess: function (publicToken) {
        say("Linking your bank…");
        document.getElementById("plaid-public-token").value = publicToken || "linked";
        form.submit();
      },
      onExit: function (error) {
        if (error) say(error.display_message || "Plaid Link closed before your bank was linked.");
      }
    });
    button.disabled = false;
    button.addEventListener("click", function () { handler.open(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

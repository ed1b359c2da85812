// Goal milestone confetti: a burst once when the page carries #goal-celebration; nothing under
// prefers-reduced-motion (the text of the alert says it all). No worker: the CSP allows none.
(function () {
  "use strict";

  function celebrate() {
    var marker = document.getElementById("goal-celebration");
    if (!marker || typeof window.confetti !== "function") return;
    if (window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches) return;
    var canvas = document.createElement("canvas");
    canvas.className = "goal-confetti";
    canvas.setAttribute("aria-hidden", "true");
    canvas.style.position = "fixed";
    canvas.style.inset = "0";
    canvas.style.width = "100%";
    canvas.style.height = "100%";
    canvas.style.pointerEvents = "none";
    canvas.style.zIndex = "1080";
    document.body.appendChild(canvas);
    var fire = window.confetti.create(canvas, { resize: true, useWorker: false,
                                               disableForReducedMotion: true });
    var full = Number(marker.dataset.percent) >= 100;
    var shot = fire({ particleCount: full ? 180 : 90, spread: full ? 100 : 70,
                      origin: { y: 0.6 } });
    document.documentElement.dataset.goalConfetti = "fired";
    var done = function () { canvas.remove(); };
    if (shot && typeof shot.then === "function") { shot.then(done); } else { setTimeout(done, 4000); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", celebrate);
  } else {
    celebrate();
  }
})();

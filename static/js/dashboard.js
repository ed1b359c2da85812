// Charts of the dashboard and budget pages: each <canvas data-chart data-spec='{json}'> is drawn
// from its JSON spec (an attribute, because htmx drops <script> tags from swapped fragments).
// The page is complete without this file: every chart has a table or summary next to it.
(function () {
  "use strict";
  var charts = new WeakMap();

  function paintDots(root) {
    root.querySelectorAll("[data-color]").forEach(function (el) {
      el.style.backgroundColor = el.getAttribute("data-color");
    });
  }

  function build(canvas) {
    if (typeof window.Chart === "undefined" || charts.has(canvas)) return;
    var spec = JSON.parse(canvas.getAttribute("data-spec"));
    var round = spec.type === "doughnut";
    var datasets = spec.series.map(function (s) {
      return {
        label: s.label,
        data: s.data.map(Number),
        backgroundColor: s.colors || s.color,
        borderColor: round ? "#fff" : s.color,
        tension: 0.25,
        fill: false,
        pointRadius: spec.labels.length > 40 ? 0 : 2
      };
    });
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: { legend: { position: "bottom" } }
    };
    if (spec.urls && spec.urlTemplate) {
      options.onClick = function (_event, elements) {
        if (!elements.length || !window.htmx) return;
        var key = spec.urls[elements[0].index];
        window.htmx.ajax("GET", spec.urlTemplate.replace("__KEY__", encodeURIComponent(key)),
                         { target: "#category-transactions", swap: "outerHTML" });
      };
      options.onHover = function (event, elements) {
        event.native.target.style.cursor = elements.length ? "pointer" : "default";
      };
    }
    charts.set(canvas, new window.Chart(canvas, {
      type: spec.type, data: { labels: spec.labels, datasets: datasets }, options: options
    }));
  }

  function drawAll(root) {
    root.querySelectorAll("canvas[data-chart]").forEach(build);
    paintDots(root);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // htmx:load fires on every element htmx inserts (outerHTML swaps included), after the swap.
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
})();

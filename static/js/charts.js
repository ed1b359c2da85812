// Every chart of the app: each <canvas data-chart data-spec='{json}'> (templates/_macros/charts.html) is
// drawn from its JSON spec (an attribute, because htmx drops <script> tags from swapped
// fragments). The page is complete without this file: every chart has a table or summary next
// to it, and the numbers here only draw; the tables show the exact amounts.
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
        backgroundColor: s.colors || (s.fill ? s.color + "14" : s.color),  // 14: 8 % alpha
        borderColor: round ? "#fff" : s.color,
        tension: 0.25,
        fill: !!s.fill,
        pointRadius: spec.labels.length > 40 ? 0 : 2
      };
    });
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: round },
      plugins: { legend: { position: "bottom" } }
    };
    if (spec.currency) {
      var format = new Intl.NumberFormat(undefined, {
        style: "currency", currency: spec.currency, maximumFractionDigits: 0
      });
      options.scales = { y: { ticks: { callback: function (v) { return format.format(v); } } } };
      options.plugins.tooltip = { callbacks: { label: function (ctx) {
        return ctx.dataset.label + ": " + format.format(ctx.parsed.y);
      } } };
    }
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

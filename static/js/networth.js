// Net-worth chart: draws from the JSON block beside the canvas; redraws after HTMX swaps.
(function () {
  "use strict";
  var chart = null;

  function draw() {
    var canvas = document.getElementById("net-worth-chart");
    var source = document.getElementById("net-worth-data");
    if (!canvas || !source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    if (chart) { chart.destroy(); }
    var format = new Intl.NumberFormat(undefined, {
      style: "currency", currency: data.currency, maximumFractionDigits: 0
    });
    // Numbers here only draw the chart; the table shows the exact amounts.
    var toNumbers = function (values) { return values.map(Number); };
    chart = new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: "Net worth", data: toNumbers(data.net), borderColor: "#4338ca",
            backgroundColor: "rgba(67,56,202,0.08)", fill: true, pointRadius: 0, tension: 0.2 },
          { label: "Assets", data: toNumbers(data.assets), borderColor: "#16a34a",
            pointRadius: 0, borderWidth: 1.5 },
          { label: "Liabilities", data: toNumbers(data.liabilities), borderColor: "#dc2626",
            pointRadius: 0, borderWidth: 1.5 }
        ]
      },
      options: {
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: { ticks: { callback: function (v) { return format.format(v); } } } },
        plugins: { tooltip: { callbacks: { label: function (ctx) {
          return ctx.dataset.label + ": " + format.format(ctx.parsed.y);
        } } } }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "net-worth-history") { draw(); }
  });
})();

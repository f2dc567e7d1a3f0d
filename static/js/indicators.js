/* Small bar charts of indicators by year. The numbers come from the json_script element
   "indicator-chart-data" (one entry per series, null where nothing is drawn); each canvas names
   its series by data-indicator-chart. No inline script or style: the page keeps its
   Content-Security-Policy. The table beside the charts holds the same numbers. */
(function () {
  "use strict";
  var source = document.getElementById("indicator-chart-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var series = JSON.parse(source.textContent);
  document.querySelectorAll("canvas[data-indicator-chart]").forEach(function (canvas) {
    var one = series[Number(canvas.dataset.indicatorChart)];
    if (!one) {
      return;
    }
    var colour = window.getComputedStyle(canvas).getPropertyValue("--bs-primary").trim();
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: one.years,
        datasets: [{ label: one.label, data: one.data, backgroundColor: colour || "#0d6efd" }],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: false } },
      },
    });
  });
})();

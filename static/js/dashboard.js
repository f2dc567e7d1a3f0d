/* The cycle dashboard: widths of the stacked bars and the chart of statuses by section.
   Everything comes from the page (data attributes and the json_script element), so the page
   needs no inline script or style and works under a Content-Security-Policy without
   'unsafe-inline'. Without JavaScript the numbers are all in the tables. */
(function () {
  "use strict";

  // Segments of the stacked bars. Setting element.style from a script is allowed by a CSP
  // that forbids style attributes in the markup.
  document.querySelectorAll(".dash-bar [data-width]").forEach(function (segment) {
    segment.style.width = segment.dataset.width + "%";
  });

  var source = document.getElementById("dashboard-chart-data");
  var canvas = document.getElementById("dashboard-chart");
  if (!source || !canvas || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var styles = window.getComputedStyle(canvas);

  // The colours are the matrix's, defined once in portal.css as --dash-<status>.
  function colour(key, part) {
    return styles.getPropertyValue("--dash-" + key + (part ? "-" + part : "")).trim();
  }

  // Section titles are long: a tooltip shows them on a few short lines.
  function wrap(text, width) {
    var lines = [];
    var line = "";
    text.split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > width) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) {
      lines.push(line);
    }
    return lines;
  }

  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.datasets.map(function (dataset) {
        return {
          label: dataset.label,
          data: dataset.data,
          backgroundColor: colour(dataset.key),
          borderColor: colour(dataset.key, "border") || colour(dataset.key),
          borderWidth: 1,
        };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { stacked: true },
        y: {
          stacked: true,
          beginAtZero: true,
          ticks: { precision: 0 },
          title: { display: true, text: canvas.dataset.yTitle || "" },
        },
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: {
          callbacks: {
            title: function (items) {
              var index = items[0].dataIndex;
              return wrap(data.labels[index] + ". " + data.titles[index], 48);
            },
          },
        },
      },
    },
  });
})();

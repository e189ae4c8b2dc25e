// Draws every chart of a page: an element [data-chart="ID"] is drawn from the figure that
// the server embedded as JSON in <script type="application/json" id="ID"> (json_script).
// No inline scripts: this file and plotly.min.js are served by the app itself.
(function () {
  "use strict";
  function draw() {
    if (typeof Plotly === "undefined") {
      return;
    }
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var source = document.getElementById(element.dataset.chart);
      if (!source) {
        return;
      }
      var figure = JSON.parse(source.textContent);
      Plotly.newPlot(element, figure.data, figure.layout || {}, {
        responsive: true,
        displaylogo: false,
      }).then(function () {
        element.dataset.chartDrawn = "true";
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();

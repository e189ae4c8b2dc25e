// Draws every chart of a page: an element [data-chart="ID"] is drawn from the figure that
// the server embedded as JSON in <script type="application/json" id="ID"> (json_script).
// No inline scripts: this file and plotly.min.js are served by the app itself.
//
// A heatmap whose cells are already on the page in a table (the portfolio's 500 units ×
// capabilities) is sent once, as the table: its figure carries `table` = {id, levels,
// none} and traces without per-cell arrays, and the cells are read from the last
// `x.length` cells of each row of the table's body (reports/presenters/charts.py,
// heatmap_spec):
//   class "level-R-of-N" → z = R (the level's rank: the colour); no such class → no level;
//   the cell's text → the cell's text ("2 · 3.04"), whose leading number is the level,
//   named by `levels` for the hover (`none` without a level);
//   an empty cell without a level → the grey "no score" trace beneath.
(function () {
  "use strict";
  var RANK = /(?:^|\s)level-(\d+)-of-\d+(?:\s|$)/;
  var LEVEL = /^(-?\d+)(?= ·|$)/;

  function fromTable(figure) {
    var source = figure.table;
    var table = document.getElementById(source.id);
    var noScore = figure.data[0];
    var levels = figure.data[1];
    var columns = levels.x.length;
    var z = [];
    var blank = [];
    var text = [];
    var customdata = [];
    if (table && table.tBodies.length) {
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var cells = row.cells;
        var zRow = [];
        var blankRow = [];
        var textRow = [];
        var labelRow = [];
        for (var i = cells.length - columns; i < cells.length; i++) {
          var words = (cells[i].textContent || "").trim();
          var rank = RANK.exec(cells[i].className);
          var level = LEVEL.exec(words);
          zRow.push(rank ? Number(rank[1]) : null);
          blankRow.push(!rank && !words ? 1 : null);
          textRow.push(words);
          labelRow.push(level ? source.levels[level[1]] || level[1] : source.none);
        }
        z.push(zRow);
        blank.push(blankRow);
        text.push(textRow);
        customdata.push(labelRow);
      });
    }
    noScore.z = blank;
    levels.z = z;
    levels.text = text;
    levels.customdata = customdata;
    return figure;
  }

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
      if (figure.table) {
        figure = fromTable(figure);
      }
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

/* A sensor's chart from the roll-ups (uPlot, vendored): mean with min/max, per minute for
   hours, per hour for days; read from /api/v1/monitoring/sensors/<id>/readings (session auth). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("sensor-chart-config").textContent);
  var el = document.getElementById("sensor-chart");
  var form = document.getElementById("chart-range");
  var plot = null;

  function load() {
    var hours = parseInt(form.elements.range.value, 10);
    var end = new Date(), start = new Date(end.getTime() - hours * 3600 * 1000);
    var resolution = hours > 24 ? "hour" : "minute";
    var url = config.url + "?resolution=" + resolution + "&start=" + encodeURIComponent(start.toISOString()) +
              "&end=" + encodeURIComponent(end.toISOString());
    fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (rows) {
      var data = [[], [], [], []];
      rows.forEach(function (row) {
        data[0].push(Date.parse(row.ts) / 1000);
        data[1].push(row.mean); data[2].push(row.min); data[3].push(row.max);
      });
      var options = {width: el.clientWidth || 800, height: 320,
        series: [{}, {label: config.labels.mean + " (" + config.unit + ")", stroke: "#0072B2", width: 2},
                 {label: config.labels.min, stroke: "#56B4E9"}, {label: config.labels.max, stroke: "#D55E00"}]};
      if (plot) { plot.destroy(); }
      plot = new uPlot(options, data, el);
    });
  }
  form.addEventListener("change", load);
  load();
  setInterval(load, 60000);
})();

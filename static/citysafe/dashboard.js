// The dashboard and its big screen: ECharts trend charts (static/vendor/echarts), a Leaflet map
// of the existing layers (four-colour townships, installations, open hazards, sensors in alarm,
// incidents), and on the big screen a refresh that fetches data.json every N seconds and
// redraws numbers, charts, warnings and the ranking without reloading the page.
(function () {
  "use strict";
  var big = document.body.classList.contains("big-screen");
  var charts = {};
  var TEXT = big ? "#dbe7f3" : "#222";
  var LEVEL = { 0: "#9e9e9e", 1: "#e53935", 2: "#fb8c00", 3: "#fdd835", 4: "#1e88e5" };
  var ALARM = { 0: "#009E73", 1: "#D55E00", 2: "#E69F00", 3: "#F0E442", "-1": "#999999" };

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function monthsOption(c) {
    return {
      textStyle: { color: TEXT },
      title: { text: c.labels.months, left: "center", textStyle: { color: TEXT, fontSize: 14 } },
      tooltip: { trigger: "axis" },
      legend: { bottom: 0, textStyle: { color: TEXT } },
      grid: { left: 40, right: 44, top: 40, bottom: 56 },
      xAxis: { type: "category", data: c.months, axisLabel: { color: TEXT } },
      yAxis: [{ type: "value", minInterval: 1, axisLabel: { color: TEXT } },
              { type: "value", min: 0, max: 100, axisLabel: { color: TEXT, formatter: "{value}%" } }],
      series: [
        { name: c.labels.found, type: "bar", data: c.found, itemStyle: { color: "#0072B2" } },
        { name: c.labels.closed, type: "bar", data: c.closed, itemStyle: { color: "#009E73" } },
        { name: c.labels.rate, type: "line", yAxisIndex: 1, data: c.rate, connectNulls: true,
          itemStyle: { color: "#D55E00" } }
      ]
    };
  }

  function daysOption(c) {
    return {
      textStyle: { color: TEXT },
      title: { text: c.labels.days, left: "center", textStyle: { color: TEXT, fontSize: 14 } },
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 40, bottom: 28 },
      xAxis: { type: "category", data: c.days, axisLabel: { color: TEXT } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { color: TEXT } },
      series: [{ name: c.labels.alarms, type: "line", areaStyle: { opacity: 0.25 }, data: c.alarms,
                 itemStyle: { color: "#E69F00" } }]
    };
  }

  function drawCharts(c) {
    if (typeof echarts === "undefined" || !c) return;
    [["chart-months", monthsOption], ["chart-days", daysOption]].forEach(function (pair) {
      var el = document.getElementById(pair[0]);
      if (!el) return;
      charts[pair[0]] = charts[pair[0]] || echarts.init(el, null, { renderer: "canvas" });
      charts[pair[0]].setOption(pair[1](c), true);
    });
  }

  function drawMap(config) {
    var el = document.getElementById("dash-map");
    if (!el || typeof L === "undefined" || !config) return;
    var map = L.map(el, { attributionControl: false, zoomSnap: 0.25, maxZoom: 18 });
    if (config.tileUrl) L.tileLayer(config.tileUrl, { maxZoom: 18 }).addTo(map);
    var overlays = {}, fitted = false;
    function point(colour, radius) {
      return function (f, latlng) {
        return L.circleMarker(latlng, { radius: radius, color: "#fff", weight: 1, fillOpacity: 0.95,
                                        fillColor: typeof colour === "function" ? colour(f) : colour });
      };
    }
    var styles = {
      townships: { style: function (f) { return { color: "#555", weight: 1, fillOpacity: 0.45,
                   fillColor: LEVEL[f.properties.level] || LEVEL[0] }; } },
      installations: { pointToLayer: point(function (f) { return LEVEL[f.properties.level] || "#7b1fa2"; }, 6) },
      hazards: { pointToLayer: point(function (f) { return f.properties.overdue ? "#b3261e" :
                 (f.properties.major ? "#D55E00" : "#0072B2"); }, 4) },
      sensors: { pointToLayer: point(function (f) { return ALARM[f.properties.status] || "#999"; }, 4),
                 filter: function (f) { return f.properties.status > 0; } },
      incidents: { pointToLayer: point("#000", 7) }
    };
    var control = L.control.layers(null, {}, { collapsed: big ? false : true }).addTo(map);
    Object.keys(styles).forEach(function (key) {
      fetch(config.layers[key], { credentials: "same-origin" }).then(function (r) {
        return r.ok ? r.json() : null;
      }).then(function (data) {
        if (!data) return;
        var opts = styles[key];
        opts.onEachFeature = function (f, l) { if (f.properties.name) l.bindTooltip(String(f.properties.name)); };
        var layer = L.geoJSON(data, opts).addTo(map);
        overlays[key] = layer;
        control.addOverlay(layer, config.names[key]);
        // the townships' outline frames the map; until it arrives, the first layer drawn does
        if ((key === "townships" || !fitted) && layer.getBounds().isValid()) {
          map.fitBounds(layer.getBounds(), { animate: false, padding: [8, 8] });
          fitted = true;
        }
      }).catch(function () { /* a layer that fails to load leaves the others drawn */ });
    });
    el.dataset.loaded = "true";
  }

  function setTiles(tiles) {
    Object.keys(tiles).forEach(function (group) {
      tiles[group].forEach(function (m) {
        var li = document.querySelector('.dash-tile[data-key="' + m.key + '"]');
        if (!li) return;
        var v = li.querySelector(".dash-value");
        if (v.dataset.value !== String(m.value)) {
          v.dataset.value = String(m.value);
          v.textContent = m.text;
          li.classList.remove("changed"); void li.offsetWidth; li.classList.add("changed");
        }
      });
    });
  }

  function setList(selector, items, render) {
    var list = document.querySelector(selector);
    if (!list) return;
    var nodes = items.map(render);
    if (!nodes.length && list.dataset.empty) {
      var li = document.createElement("li");
      li.textContent = list.dataset.empty;
      nodes = [li];
    }
    list.replaceChildren.apply(list, nodes);
  }

  function refresh(url) {
    var status = document.querySelector("[data-status]");
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        setTiles(data.tiles);
        drawCharts(data.charts);
        document.querySelectorAll("[data-updated]").forEach(function (el) { el.textContent = data.updated; });
        setList("[data-warnings]", data.warnings, function (w) {
          var li = document.createElement("li");
          li.className = "warn-level-" + w.level;
          li.textContent = w.level_label + " · " + w.headline;
          return li;
        });
        setList("[data-townships]", data.townships.slice(0, 12), function (r) {
          var li = document.createElement("li"), name = document.createElement("span"),
              rate = document.createElement("b"), overdue = document.createElement("em");
          name.textContent = r.name; rate.textContent = r.rate === null ? "—" : r.rate + "%";
          overdue.textContent = r.overdue;
          li.append(name, rate, overdue);
          return li;
        });
        if (status) { status.textContent = ""; status.classList.remove("stale"); }
        document.body.dataset.refreshed = String(Number(document.body.dataset.refreshed || 0) + 1);
      })
      .catch(function () { if (status) { status.textContent = "⚠"; status.classList.add("stale"); } });
  }

  drawCharts(readJSON("dash-charts"));
  drawMap(readJSON("dash-map-config"));
  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (k) { charts[k].resize(); });
  });
  if (big) {
    var seconds = Math.max(5, Number(document.body.dataset.refresh) || 60);
    window.setInterval(function () { refresh(document.body.dataset.url); }, seconds * 1000);
    var full = document.querySelector("[data-fullscreen]");
    if (full) full.addEventListener("click", function () {
      if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
    });
  }
})();

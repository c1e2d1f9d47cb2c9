/* The four-colour risk map (安全风险四色图): townships and grids filled by their area level,
 * risk points coloured by level, major hazard installations as black-edged triangles, active
 * large gatherings as stars, raised areas with a dark-red dashed edge and their reason.
 * Data from the scoped layer endpoints of citysafe.risks.map (or the public ones); a click on a
 * point opens its risk card (fetched on demand). No inline scripts or styles (CSP): config
 * arrives through json_script, colours as SVG attributes and Leaflet path options.
 * The map object is window.citysafeRiskMap (browser tests use it). */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("risk-map-config").textContent);
  var text = config.text;
  var container = document.getElementById("risk-map");
  var filterForm = document.getElementById("risk-map-filters");
  var statusLine = document.getElementById("risk-map-status");
  var NARROW = window.matchMedia("(max-width: 767px)").matches;
  var RAISED_EDGE = "#5a0000";
  var view = window.CitySafeMapView;
  var escapeText = view.escapeText;

  var COLOURS = {};
  var LABELS = {};
  config.levels.forEach(function (item) { COLOURS[item.level] = item.colour; LABELS[item.level] = item.label; });
  var NO_LEVEL_FILL = "#f4f4f0";

  var map = L.map(container, { zoomControl: true, maxZoom: 19, preferCanvas: true, zoomSnap: 0.25 }).setView([35.66, 103.39], 10);
  window.citysafeRiskMap = map;
  if (container.dataset.tileUrl) { L.tileLayer(container.dataset.tileUrl, { maxZoom: 19 }).addTo(map); }
  map.createPane("risk-water").classList.add("registry-map-pane-water");
  map.createPane("risk-areas").classList.add("risk-map-pane-areas");
  map.createPane("risk-outlines").classList.add("registry-map-pane-outlines");
  // Points need an SVG/canvas renderer of their own pane above the area fills.
  var svgAreas = L.svg({ pane: "risk-areas" });

  function markSvg(shape, fill, cls) {
    var body;
    if (shape === "triangle") {
      body = '<polygon points="10,1.5 19,18 1,18" fill="' + fill + '" stroke="#000" stroke-width="2"></polygon>';
    } else if (shape === "star") {
      body = '<polygon points="10,1 12.6,7.4 19.5,7.6 14,11.9 16,18.6 10,14.6 4,18.6 6,11.9 0.5,7.6 7.4,7.4" fill="' +
        fill + '" stroke="#000" stroke-width="1.2"></polygon>';
    } else if (shape === "hatch") {
      body = '<rect x="1" y="1" width="18" height="18" fill="#fff" stroke="' + RAISED_EDGE +
        '" stroke-width="2.5" stroke-dasharray="4 2"></rect>';
    } else if (shape === "square") {
      body = '<rect x="1" y="1" width="18" height="18" fill="' + fill + '" stroke="#333" stroke-width="1"></rect>';
    } else {
      body = '<circle cx="10" cy="10" r="7" fill="' + fill + '" stroke="#fff" stroke-width="2"></circle>';
    }
    return '<svg class="' + cls + '" viewBox="0 0 20 20" aria-hidden="true">' + body + "</svg>";
  }
  function swatch(shape, fill, label) { return markSvg(shape, fill, "registry-map-swatch") + escapeText(label); }
  var iconCache = {};
  function icon(shape, level) {
    var key = shape + level;
    if (!iconCache[key]) {
      iconCache[key] = L.divIcon({
        html: markSvg(shape, COLOURS[level] || NO_LEVEL_FILL, "risk-map-icon-svg"),
        className: "registry-map-icon risk-map-" + shape, iconSize: [20, 20], iconAnchor: [10, 10]
      });
    }
    return iconCache[key];
  }

  function areaStyle(weight) {
    return function (feature) {
      var p = feature.properties;
      var style = {
        color: "#444", weight: weight, fillOpacity: 0.55,
        fillColor: p.level ? COLOURS[p.level] : NO_LEVEL_FILL
      };
      if (p.raised) { style.color = RAISED_EDGE; style.weight = weight + 2.5; style.dashArray = "8 4"; }
      return style;
    };
  }
  function areaTooltip(feature, layer) {
    var p = feature.properties;
    var html = "<strong>" + escapeText(p.name) + "</strong><br>" + escapeText(text.level) + "：" +
      escapeText(LABELS[p.level] || "") + "<br>" + escapeText(text.counts) + "：" + escapeText(p.counts.join(" / "));
    if (p.raised) { html += "<br>" + escapeText(text.raisedBecause) + escapeText(p.raise_reason); }
    layer.bindTooltip(html, { sticky: true });
  }

  var areaLayers = {};
  var layers = {
    water: L.geoJSON(null, {
      pane: "risk-water",
      style: function (f) {
        return f.properties.kind === "lake" ? { color: "#4a90c8", weight: 1, fillColor: "#a6cee3", fillOpacity: 0.8 }
          : { color: "#4a90c8", weight: 3, opacity: 0.9 };
      }
    }),
    county: L.geoJSON(null, {
      pane: "risk-outlines", interactive: false,
      style: { color: "#5b4a3a", weight: 3, dashArray: "8 4 2 4", fill: false }
    }),
    // Township outlines over the grid colours (from the base layer, the caller's townships).
    outlines: L.geoJSON(null, {
      pane: "risk-outlines", interactive: false, style: { color: "#222", weight: 1.6, fill: false }
    }),
    townships: L.geoJSON(null, {
      pane: "risk-areas", renderer: svgAreas, style: areaStyle(1.5), onEachFeature: function (f, l) { areaLayers["townships:" + f.id] = l; areaTooltip(f, l); }
    }),
    grids: L.geoJSON(null, {
      pane: "risk-areas", renderer: svgAreas, style: areaStyle(0.5), onEachFeature: function (f, l) { areaLayers["grids:" + f.id] = l; areaTooltip(f, l); }
    }),
    points: L.layerGroup(),
    installations: L.layerGroup(),
    gatherings: L.layerGroup()
  };
  L.layerGroup([layers.water, layers.county, layers.outlines]).addTo(map);

  var overlays = {};
  overlays[escapeText(text.townships)] = layers.townships;
  overlays[escapeText(text.grids)] = layers.grids;
  overlays[swatch("circle", COLOURS[1], text.points)] = layers.points.addTo(map);
  overlays[swatch("triangle", COLOURS[2], text.installations)] = layers.installations.addTo(map);
  overlays[swatch("star", COLOURS[3], text.gatherings)] = layers.gatherings.addTo(map);
  L.control.layers(null, overlays, { collapsed: NARROW }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  // Grids carry the colour by default: a township is red as soon as one of its grids is
  // (取最高级), so the township fill is the overview one switches to in the layer control.
  map.addLayer(layers.grids);

  var Legend = L.Control.extend({
    options: { position: "bottomright" },
    onAdd: function () {
      var root = L.DomUtil.create("details", "registry-map-legend risk-map-legend");
      root.open = !NARROW;
      L.DomUtil.create("summary", "", root).textContent = text.legend;
      [1, 2, 3, 4, 0].forEach(function (level) {
        L.DomUtil.create("div", "registry-map-legend-row", root).innerHTML =
          swatch("square", level ? COLOURS[level] : NO_LEVEL_FILL, LABELS[level]);
      });
      L.DomUtil.create("div", "registry-map-legend-row", root).innerHTML = swatch("hatch", "", text.raised);
      L.DomUtil.create("div", "registry-map-legend-row", root).innerHTML = swatch("circle", "#888", text.points);
      L.DomUtil.create("div", "registry-map-legend-row", root).innerHTML =
        swatch("triangle", COLOURS[2], text.installationMark);
      L.DomUtil.create("div", "registry-map-legend-row", root).innerHTML =
        swatch("star", COLOURS[3], text.gatheringMark);
      L.DomEvent.disableClickPropagation(root);
      L.DomEvent.disableScrollPropagation(root);
      return root;
    }
  });
  new Legend().addTo(map);

  view.fillViewport(container, map);

  // ---- the risk card ---------------------------------------------------------------------
  function row(list, label, value) {
    if (!value) { return; }
    L.DomUtil.create("dt", "", list).textContent = label;
    L.DomUtil.create("dd", "", list).textContent = value;
  }
  function cardContent(card, id) {
    var root = L.DomUtil.create("div", "risk-card");
    var head = L.DomUtil.create("p", "risk-card-name risk-level-" + card.level, root);
    head.textContent = card.name + " · " + card.level_label;
    var list = L.DomUtil.create("dl", "", root);
    row(list, text.category, card.category);
    row(list, text.township, card.township);
    row(list, text.controlLevel, card.control_level);
    row(list, text.persons, card.responsible_persons.join("、") || text.none);
    if (card.last_assessment) {
      var a = card.last_assessment;
      row(list, text.lastAssessment, a.date + " " + a.method + (a.score != null ? " " + a.score : "") + " → " + a.level);
    } else { row(list, text.lastAssessment, text.none); }
    L.DomUtil.create("p", "risk-card-sub", root).textContent = text.measures;
    var measures = L.DomUtil.create("ul", "risk-card-measures", root);
    if (!card.measures.length) { L.DomUtil.create("li", "", measures).textContent = text.none; }
    card.measures.forEach(function (m) {
      L.DomUtil.create("li", "", measures).textContent = m.kind + "：" + m.description +
        (m.responsible ? "（" + m.responsible + "）" : "");
    });
    var links = L.DomUtil.create("p", "risk-card-links", root);
    var detail = L.DomUtil.create("a", "", links);
    detail.href = config.detail.replace("{id}", id);
    detail.textContent = text.detail;
    links.appendChild(document.createTextNode(" · "));
    var pdf = L.DomUtil.create("a", "", links);
    pdf.href = config.cardPdf.replace("{id}", id);
    pdf.textContent = text.cardPdf;
    return root;
  }
  function openCard(layer, id, fallback) {
    if (!config.card) { layer.bindPopup(fallback).openPopup(); return; }
    fetch(config.card.replace("{id}", id), { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error("card: HTTP " + response.status); }
      return response.json();
    }).then(function (card) {
      layer.unbindPopup();
      layer.bindPopup(cardContent(card, id), { maxWidth: NARROW ? 280 : 380 }).openPopup();
    }).catch(function () { layer.bindPopup(fallback).openPopup(); });
  }
  function simplePopup(rows) {
    var root = L.DomUtil.create("div", "registry-map-popup");
    var list = L.DomUtil.create("dl", "", root);
    rows.forEach(function (r) { row(list, r[0], r[1]); });
    return root;
  }

  // Smaller dots while the whole county is in view, so the area colours still show; zoomed in,
  // larger with a dark edge, so a point reads on an area fill of its own colour.
  function pointStyle(level) {
    var near = map.getZoom() >= 11.5;
    var radius = (near ? 5 : 3) + (level === 1 ? 2 : 0);
    return { radius: radius, color: near ? "#222" : "#fff", weight: near ? 1.5 : 1 };
  }
  map.on("zoomend", function () {
    layers.points.eachLayer(function (marker) {
      if (marker.setRadius) { marker.setStyle(pointStyle(marker.options.level)); } // clusters keep their look
    });
  });
  var pointMarkers = {};
  // A cluster the server counted for a zoomed-out view of many points (issue 19): the count in
  // a bubble filled with the worst level inside it; a click zooms in on it.
  function clusterMarker(feature) {
    var level = feature.properties.level;
    // black on yellow, white on red, orange, blue and grey
    return points.clusterMarker(feature, COLOURS[level] || NO_LEVEL_FILL, level === 3 ? "#000" : "#fff",
                                "risk-map-server-cluster");
  }
  function addPoints(data) {
    layers.points.clearLayers();
    pointMarkers = {};
    if (data.mode === "clusters") {
      data.features.forEach(function (feature) { layers.points.addLayer(clusterMarker(feature)); });
      return data.total;
    }
    data.features.forEach(function (feature) {
      var p = feature.properties;
      if (p.installation) { return; } // drawn once, as the installation's triangle
      var c = feature.geometry.coordinates;
      var marker = L.circleMarker([c[1], c[0]], L.extend(pointStyle(p.level), {
        fillColor: COLOURS[p.level] || NO_LEVEL_FILL, fillOpacity: 0.95, level: p.level
      }));
      marker.on("click", function () {
        openCard(marker, feature.id, simplePopup([[text.points, p.name], [text.level, LABELS[p.level]]]));
      });
      marker.bindTooltip(escapeText(p.name));
      pointMarkers[feature.id] = marker;
      layers.points.addLayer(marker);
    });
    return data.features.length;
  }
  function addInstallations(data) {
    layers.installations.clearLayers();
    data.features.forEach(function (feature) {
      var p = feature.properties;
      var c = feature.geometry.coordinates;
      var marker = L.marker([c[1], c[0]], { icon: icon("triangle", p.level || 2), title: p.name, zIndexOffset: 500 });
      marker.on("click", function () {
        var fallback = simplePopup([[text.installations, p.name], [text.level, LABELS[p.level]]]);
        if (p.risk_point) { openCard(marker, p.risk_point, fallback); } else { marker.bindPopup(fallback).openPopup(); }
      });
      layers.installations.addLayer(marker);
    });
    return data.features.length;
  }
  function addGatherings(data) {
    layers.gatherings.clearLayers();
    data.features.forEach(function (feature) {
      var p = feature.properties;
      var c = feature.geometry.coordinates;
      var marker = L.marker([c[1], c[0]], { icon: icon("star", p.level), title: p.name, zIndexOffset: 800 });
      marker.bindPopup(simplePopup([[text.gatherings, p.name], [text.level, LABELS[p.level]],
        [text.attendance, String(p.attendance)], [text.time, p.starts + " — " + p.ends]]));
      layers.gatherings.addLayer(marker);
    });
  }
  function addBase(data) {
    layers.water.clearLayers();
    layers.county.clearLayers();
    layers.outlines.clearLayers();
    data.features.forEach(function (f) {
      var kind = f.properties.kind;
      if (kind === "river" || kind === "lake") { layers.water.addData(f); }
      else if (kind === "county") { layers.county.addData(f); }
      else if (kind === "township") { layers.outlines.addData(f); }
    });
  }

  function queryString() {
    var params = new URLSearchParams();
    new FormData(filterForm).forEach(function (value, key) { if (value) { params.append(key, value); } });
    return params.toString();
  }
  function fetchJson(url, signal) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" }, signal: signal })
      .then(function (response) {
        if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
        return response.json();
      });
  }
  function updateLinks(qs) {
    ["risk-map-png", "risk-map-pdf", "risk-map-ledger"].forEach(function (id) {
      var link = document.getElementById(id);
      if (link) { link.href = link.dataset.base + (qs ? "?" + qs : ""); }
    });
  }

  // Risk points are asked for the view on screen (bbox + zoom), again after each move or zoom
  // (map_view.js: debounced, an older view's answer dropped, none asked inside a complete view).
  var installationCount = 0;
  var points = view.viewLoader(map, container, {
    fetch: function (viewQuery, signal) {
      return fetchJson(config.layers.points + "?" + [queryString(), viewQuery].filter(Boolean).join("&"), signal);
    },
    draw: function (data) {
      var count = addPoints(data);
      container.dataset.mode = data.mode || "features";
      statusLine.textContent = text.loaded.replace("{points}", count).replace("{installations}", installationCount);
      return data.mode !== "clusters" && !data.truncated;
    },
    failed: failed
  });

  var generation = 0;
  var baseLoaded = false;
  function load() {
    var mine = ++generation;
    points.pause();
    var qs = queryString();
    updateLinks(qs);
    statusLine.textContent = text.loading;
    var names = ["townships", "grids", "installations", "gatherings"];
    var requests = names.map(function (name) { return fetchJson(config.layers[name] + (qs ? "?" + qs : "")); });
    if (!baseLoaded) { requests.push(fetchJson(config.base).then(addBase).then(function () { baseLoaded = true; })); }
    return Promise.all(requests).then(function (results) {
      if (mine !== generation) { return; }
      areaLayers = {};
      layers.townships.clearLayers();
      layers.townships.addData(results[0]);
      layers.grids.clearLayers();
      layers.grids.addData(results[1]);
      installationCount = addInstallations(results[2]);
      addGatherings(results[3]);
      var townshipChosen = !!filterForm.elements.township.value || results[0].features.length === 1;
      var frame = townshipChosen ? layers.townships : (layers.county.getLayers().length ? layers.county : layers.townships);
      var bounds = frame.getBounds();
      // Not animated: the points are asked for this view at once (map_view.js viewLoader).
      if (bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10], animate: false }); }
      points.resume();
    }).catch(function (error) { if (mine === generation) { failed(error); } });
  }
  function failed(error) {
    statusLine.textContent = text.failed;
    container.dataset.loaded = "error";
    if (window.console) { window.console.error(error); }
  }
  filterForm.addEventListener("change", load);
  filterForm.addEventListener("submit", function (event) { event.preventDefault(); });

  map.risk = {
    layers: layers,
    areaLayer: function (layer, id) { return areaLayers[layer + ":" + id]; },
    areaFill: function (layer, id) {
      var l = areaLayers[layer + ":" + id];
      return l ? l.options.fillColor : null;
    },
    pointMarker: function (id) { return pointMarkers[id]; },
    reload: load
  };
  load();
}());

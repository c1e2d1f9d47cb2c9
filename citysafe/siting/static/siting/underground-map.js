// Underground lines by kind (colour per kind, legend) over the county outline; on the dig check
// page also a drawing tool (point, trench line, polygon → the form's GeoJSON box) and the result:
// the excavation and the lines found. Data from our own scoped endpoints; no tiles unless
// MAP_TILE_URL is set. Words come translated in the page's config.
(function () {
  var el = document.getElementById("underground-map");
  if (!el || typeof L === "undefined") return;
  var config = JSON.parse(document.getElementById("underground-config").textContent);
  var T = config.text, colours = {};
  config.kinds.forEach(function (k) { colours[k.kind] = k.colour; });
  var status = document.getElementById("underground-status");
  function say(text) { if (status) status.textContent = text; }
  function esc(s) { var d = document.createElement("div"); d.textContent = s == null ? "" : String(s); return d.innerHTML; }

  var map = L.map(el, { attributionControl: false, maxZoom: 20 });
  if (el.dataset.tileUrl) L.tileLayer(el.dataset.tileUrl, { maxZoom: 20 }).addTo(map);
  map.setView([35.66, 103.39], 10);
  function fit(bounds) {
    // Not animated: the zoom is final at once (data-zoom, read by the browser test).
    if (bounds && bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 18, animate: false });
  }

  // Both layers load at once; the view is fitted once both have answered: to the dig check's
  // result, else to the lines, else to the county.
  var baseBounds = null, linesBounds = null, resultBounds = null;
  var baseLoaded = fetch(config.base, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
    var base = L.geoJSON(d, { style: { color: "#888", weight: 1, fill: false }, interactive: false,
                              filter: function (f) { return f.properties.kind !== "seat"; } }).addTo(map);
    base.bringToBack();
    baseBounds = base.getBounds();
  }).catch(function () {});

  // The legend: one swatch per kind, with a check box that shows or hides the kind.
  var groups = {};
  config.kinds.forEach(function (k) { groups[k.kind] = L.featureGroup().addTo(map); });
  var legend = L.control({ position: "bottomright" });
  legend.onAdd = function () {
    var root = L.DomUtil.create("details", "underground-legend");
    root.open = window.innerWidth > 600;
    L.DomUtil.create("summary", "", root).textContent = T.legend;
    config.kinds.forEach(function (k) {
      var row = L.DomUtil.create("label", "underground-legend-row", root);
      // Colours by class (siting.css): the page's CSP allows no inline styles.
      row.innerHTML = '<input type="checkbox" checked data-kind="' + esc(k.kind) + '"> <span class="swatch kind-' +
        esc(k.kind) + '"></span> ' + esc(k.label);
    });
    L.DomEvent.disableClickPropagation(root);
    root.addEventListener("change", function (e) {
      var g = groups[e.target.dataset.kind];
      if (g) { if (e.target.checked) map.addLayer(g); else map.removeLayer(g); }
    });
    return root;
  };
  legend.addTo(map);

  function popup(p, detail) {
    var rows = [esc(p.code) + " " + esc(p.name)];
    if (p.diameter_mm) rows.push(esc(T.diameter) + "：" + esc(p.diameter_mm) + " mm");
    if (p.depth_m != null) rows.push(esc(T.depth) + "：" + esc(p.depth_m) + " m");
    if (p.owner) rows.push(esc(T.owner) + "：" + esc(p.owner));
    if (detail) rows.push('<a href="' + detail.replace("{id}", p.id) + '">' + esc(T.detail) + "</a>");
    return rows.join("<br>");
  }

  // The lines of the current view only (issue 19): ?bbox=&zoom= through CitySafeMapView (js/map_view.js);
  // zoomed out over many lines the server sends per-cell counts by kind, drawn as bubbles in the
  // kind's colour. The first answer also carries the extent of the caller's lines, to fit the view to.
  var view = window.CitySafeMapView;
  var drawn = L.featureGroup();
  function draw(data) {
    drawn.eachLayer(function (l) { Object.keys(groups).forEach(function (k) { groups[k].removeLayer(l); }); });
    drawn.clearLayers();
    var lines = 0, all = L.featureGroup();
    data.features.forEach(function (f) {
      var p = f.properties, k = p.cluster ? p.group : p.kind, tunnel = k === "tunnel", layer;
      if (p.cluster) {
        layer = view.clusterMarker(map, f, colours[k] || "#333", "#fff", "underground-cluster");
        lines += p.count;
      } else {
        layer = L.geoJSON(f, { style: { color: colours[k] || "#333", weight: tunnel ? 7 : 3, opacity: tunnel ? 0.55 : 0.9 } });
        layer.bindPopup(popup(p, data.detail[p.record]));
        all.addLayer(L.geoJSON(f));
        lines += 1;
      }
      drawn.addLayer(layer);
      if (groups[k]) groups[k].addLayer(layer); else layer.addTo(map);
    });
    say(T.loaded.replace("{n}", lines));
    return all;
  }
  function load(extent) {
    var url = config.layer + (config.layer.indexOf("?") < 0 ? "?" : "&") + (view ? view.query(map) : "") +
      (extent ? "&extent=1" : "");
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    }).then(function (data) {
      draw(data);
      if (data.extent) linesBounds = L.latLngBounds([data.extent[1], data.extent[0]], [data.extent[3], data.extent[2]]);
    });
  }
  say(T.loading);
  var linesLoaded = load(true).catch(function () { say(T.failed); el.dataset.loaded = "error"; });
  var pending = null;
  Promise.all([baseLoaded, linesLoaded]).then(function () {
    map.invalidateSize();
    fit(resultBounds || linesBounds || baseBounds);
    el.dataset.zoom = map.getZoom();
    // Asked again 250 ms after a move or zoom has settled (the fit above included).
    map.on("moveend", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        load(false).then(function () { el.dataset.loaded = "true"; }, function () { say(T.failed); });
      }, 250);
    });
    load(false).then(function () {
      el.dataset.zoom = map.getZoom();
      if (el.dataset.loaded !== "error") el.dataset.loaded = "true";
    }, function () { say(T.failed); el.dataset.loaded = "error"; });
  });

  // ---- the dig check -----------------------------------------------------------------------
  var drawnEl = document.getElementById("dig-drawn");
  function drawnHasResult() { return drawnEl && JSON.parse(drawnEl.textContent).features.length > 0; }
  if (!config.draw) return;
  var box = document.getElementById("dig-geometry");
  var excavation = L.featureGroup().addTo(map);
  var shape = { color: "#6a1b9a", weight: 3, dashArray: "6 4", fillOpacity: 0.15 };
  if (drawnHasResult()) {
    var result = L.geoJSON(JSON.parse(drawnEl.textContent), {
      style: function (f) {
        if (f.properties.kind === "excavation") return shape;
        return { color: colours[f.properties.kind] || "#333", weight: 8, opacity: 0.9 };
      },
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 8, color: "#6a1b9a", weight: 3 }); },
      onEachFeature: function (f, l) {
        if (f.properties.hit) l.bindTooltip(esc(f.properties.name) + " · " + f.properties.distance + " m");
      }
    }).addTo(map);
    // The view: the excavation and the search distance around it (the lines found may run far beyond).
    var metres = parseFloat(document.getElementById("dig-metres").value) || 5;
    result.eachLayer(function (l) {
      if (l.feature.properties.kind !== "excavation") return;
      var b = l.getBounds ? l.getBounds() : L.latLngBounds([l.getLatLng()]);
      [b.getSouthWest(), b.getNorthEast()].forEach(function (c) {
        var around = c.toBounds(2 * metres + 40);
        resultBounds = resultBounds ? resultBounds.extend(around) : around;
      });
    });
  }
  if (L.Control.Draw) {
    map.addControl(new L.Control.Draw({
      position: "topleft",
      draw: { polyline: { shapeOptions: shape }, polygon: { allowIntersection: false, showArea: false, shapeOptions: shape },
              marker: true, rectangle: false, circle: false, circlemarker: false },
      edit: { featureGroup: excavation, remove: true }
    }));
    map.on("draw:created", function (ev) {
      excavation.clearLayers();
      excavation.addLayer(ev.layer);
      box.value = JSON.stringify(ev.layer.toGeoJSON().geometry);
    });
    map.on("draw:edited", function () {
      var l = excavation.getLayers()[0];
      if (l) box.value = JSON.stringify(l.toGeoJSON().geometry);
    });
    map.on("draw:deleted", function () { if (!excavation.getLayers().length) box.value = ""; });
  }
})();

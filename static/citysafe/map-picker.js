// The map picker of record forms (records/_map_picker.html, core.kinds.location): a map over the
// plain base layer of /map/ in which a click or tap sets the point (longitude/latitude inputs),
// Leaflet.draw draws and edits a line or polygon (the GeoJSON input), and typing the numbers or
// the GeoJSON moves the map. The inputs stay the form's truth: without this script the form
// works the same, and the server converts GCJ-02 input and checks everything.
(function () {
  var box = document.getElementById("map-picker");
  var mapEl = document.getElementById("map-picker-map");
  var textEl = document.getElementById("map-picker-text");
  if (!box || !mapEl || typeof L === "undefined") return;
  var T = textEl ? JSON.parse(textEl.textContent) : { draw: {} };
  var D = T.draw || {};
  var modes = (box.dataset.draw || "point").split(" ");
  var canPoint = modes.indexOf("point") >= 0;
  var canLine = modes.indexOf("line") >= 0;
  var canPolygon = modes.indexOf("polygon") >= 0;
  function input(key) {
    var id = box.dataset[key + "Input"];
    return id ? document.getElementById(id) : null;
  }
  var lonIn = input("lon"), latIn = input("lat"), geomIn = input("geometry"), crsIn = input("crs");
  var statusEl = document.getElementById("map-picker-status");
  box.hidden = false;

  function say(message) { if (statusEl) statusEl.textContent = message || ""; }
  function round6(v) { return Math.round(v * 1e6) / 1e6; }  // ~0.1 m, what a phone GPS can tell

  var map = L.map(mapEl, { attributionControl: false, maxZoom: 19 });
  mapEl.leafletMap = map;  // for browser tests and the console: the map behind the element
  map.setView([35.66, 103.39], 10);
  if (box.dataset.tileUrl) L.tileLayer(box.dataset.tileUrl, { maxZoom: 19 }).addTo(map);
  map.createPane("citysafe-water").style.zIndex = 350;
  map.createPane("citysafe-outlines").style.zIndex = 380;

  var drawn = L.featureGroup().addTo(map);  // the one point, line or polygon being picked
  var busy = false;  // true while Leaflet.draw draws, edits or deletes: a click is then not a point
  var shapeStyle = { color: "#b3261e", weight: 3, fillOpacity: 0.2 };

  function isWgs84() { return !crsIn || crsIn.value !== "gcj02"; }
  function toWgs84FromMap() {
    // Anything taken from the map is WGS-84: switch the choice back and say so.
    if (crsIn && !isWgs84()) { crsIn.value = "wgs84"; return true; }
    return false;
  }
  function fire(el) { if (el) el.dispatchEvent(new Event("change", { bubbles: true })); }

  function showPoint(latlng) {
    drawn.clearLayers();
    var marker = L.marker(latlng, { draggable: true, autoPan: true, keyboard: true }).addTo(drawn);
    marker.on("dragend", function () { setPoint(marker.getLatLng(), true); });
    return marker;
  }

  function setPoint(latlng, fromMap) {
    showPoint(latlng);
    if (lonIn) { lonIn.value = round6(latlng.lng); fire(lonIn); }
    if (latIn) { latIn.value = round6(latlng.lat); fire(latIn); }
    if (geomIn) geomIn.value = "";  // a point is its two numbers
    var switched = fromMap && toWgs84FromMap();
    say(T.point_set + (switched ? "；" + T.switched_to_wgs84 : ""));
  }

  function roundCoords(coords) {
    return typeof coords[0] === "number" ? [round6(coords[0]), round6(coords[1])] : coords.map(roundCoords);
  }

  function setShape(layer) {
    drawn.clearLayers();
    layer.setStyle && layer.setStyle(shapeStyle);
    drawn.addLayer(layer);
    writeShape();
    var switched = toWgs84FromMap();
    say(T.shape_set + (switched ? "；" + T.switched_to_wgs84 : ""));
  }

  function writeShape() {
    var layer = drawn.getLayers()[0];
    if (!layer || !geomIn) return;
    var g = layer.toGeoJSON().geometry;
    geomIn.value = JSON.stringify({ type: g.type, coordinates: roundCoords(g.coordinates) });
    fire(geomIn);
    if (lonIn) lonIn.value = "";
    if (latIn) latIn.value = "";
  }

  function clearAll() {
    drawn.clearLayers();
    [lonIn, latIn, geomIn].forEach(function (el) { if (el) el.value = ""; });
    say(T.cleared);
  }

  // From the inputs to the map (typed numbers, pasted GeoJSON, the values a page came with).
  function numbers() {
    if (!lonIn || !latIn) return null;
    var lon = parseFloat(lonIn.value), lat = parseFloat(latIn.value);
    if (!isFinite(lon) || !isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) return null;
    return L.latLng(lat, lon);
  }
  function geometryValue() {
    if (!geomIn || !geomIn.value.trim()) return null;
    try { return JSON.parse(geomIn.value); } catch (e) { return undefined; }
  }
  function fromInputs(fit) {
    var g = geometryValue();
    if (g === undefined) { say(T.bad_geojson); return; }
    if (g && g.type && g.type !== "Point") {
      drawn.clearLayers();
      try {
        L.geoJSON(g, { style: shapeStyle }).eachLayer(function (layer) { drawn.addLayer(layer); });
      } catch (e) { say(T.bad_geojson); return; }
      if (fit && drawn.getLayers().length) map.fitBounds(drawn.getBounds(), { padding: [16, 16], maxZoom: 15 });
      return;
    }
    var p = g && g.type === "Point" && g.coordinates ? L.latLng(g.coordinates[1], g.coordinates[0]) : numbers();
    if (!p) { drawn.clearLayers(); return; }
    if (!isWgs84()) { drawn.clearLayers(); say(T.gcj02_typed); return; }
    showPoint(p);
    // Zoom 14 (about 4 km across): close enough to aim, wide enough to see the grid around it.
    if (fit) map.setView(p, Math.max(map.getZoom(), 14));
  }
  [lonIn, latIn].forEach(function (el) {
    if (el) el.addEventListener("input", function () { if (geomIn) geomIn.value = ""; fromInputs(true); });
  });
  if (geomIn) geomIn.addEventListener("input", function () { fromInputs(true); });
  if (crsIn) crsIn.addEventListener("change", function () { fromInputs(false); });

  // A click or tap sets the point (not while a line or polygon is being drawn or edited).
  if (canPoint) {
    map.on("click", function (e) { if (!busy) setPoint(e.latlng, true); });
  }

  if ((canLine || canPolygon) && L.Control.Draw) {
    var t = L.drawLocal.draw, e = L.drawLocal.edit;
    t.toolbar.buttons.polyline = D.polyline; t.toolbar.buttons.polygon = D.polygon;
    t.toolbar.actions = { title: D.cancel, text: D.cancel };
    t.toolbar.finish = { title: D.finish, text: D.finish };
    t.toolbar.undo = { title: D.undo, text: D.undo };
    t.handlers.polyline.tooltip = { start: D.line_start, cont: D.line_cont, end: D.line_end };
    t.handlers.polyline.error = D.intersect;
    t.handlers.polygon.tooltip = { start: D.polygon_start, cont: D.polygon_cont, end: D.polygon_end };
    e.toolbar.actions.save = { title: D.save, text: D.save };
    e.toolbar.actions.cancel = { title: D.cancel, text: D.cancel };
    e.toolbar.actions.clearAll = { title: D.clear_all, text: D.clear_all };
    e.toolbar.buttons = { edit: D.edit, editDisabled: D.edit_none, remove: D.remove, removeDisabled: D.remove_none };
    e.handlers.edit.tooltip = { text: D.edit_tip, subtext: D.edit_subtip };
    e.handlers.remove.tooltip = { text: D.remove_tip };
    map.addControl(new L.Control.Draw({
      position: "topleft",
      draw: {
        polyline: canLine ? { shapeOptions: shapeStyle } : false,
        polygon: canPolygon ? { allowIntersection: false, showArea: false, shapeOptions: shapeStyle } : false,
        rectangle: false, circle: false, circlemarker: false, marker: false
      },
      edit: { featureGroup: drawn, remove: true }
    }));
    ["drawstart", "editstart", "deletestart"].forEach(function (n) {
      map.on("draw:" + n, function () { busy = true; });
    });
    ["drawstop", "editstop", "deletestop"].forEach(function (n) {
      // After the click that finished a shape has been handled.
      map.on("draw:" + n, function () { setTimeout(function () { busy = false; }, 0); });
    });
    map.on("draw:created", function (ev) { setShape(ev.layer); });
    map.on("draw:edited", function () {
      var layer = drawn.getLayers()[0];
      if (layer && layer.getLatLng) setPoint(layer.getLatLng(), true); else writeShape();
    });
    map.on("draw:deleted", function () { if (!drawn.getLayers().length) clearAll(); });
  }

  var locate = document.getElementById("map-picker-locate");
  if (locate) {
    locate.addEventListener("click", function () {
      if (!navigator.geolocation) { say(T.geo_unsupported); return; }
      if (window.isSecureContext === false) { say(T.geo_insecure); return; }
      say(T.locating);
      locate.disabled = true;
      navigator.geolocation.getCurrentPosition(function (pos) {
        locate.disabled = false;
        var p = L.latLng(pos.coords.latitude, pos.coords.longitude);
        setPoint(p, true);
        map.setView(p, 17);
        say(T.located.replace("%(metres)s", Math.round(pos.coords.accuracy)));
      }, function (err) {
        locate.disabled = false;
        say(err.code === 1 ? T.geo_denied : err.code === 3 ? T.geo_timeout : T.geo_unavailable);
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  fromInputs(true);
  var hasValue = drawn.getLayers().length > 0;
  mapEl.dataset.loaded = "false";
  fetch("/map/layers/base.geojson", { credentials: "same-origin" }).then(function (response) {
    if (!response.ok) throw new Error("base: HTTP " + response.status);
    return response.json();
  }).then(function (base) {
    var townships = L.latLngBounds([]), county = L.latLngBounds([]);
    L.geoJSON(base, {
      filter: function (f) { return f.properties.kind !== "seat"; },
      interactive: false,
      style: function (f) {
        var kind = f.properties.kind;
        if (kind === "river") return { pane: "citysafe-water", color: "#4a90c8", weight: 3, interactive: false };
        if (kind === "lake") return { pane: "citysafe-water", color: "#4a90c8", weight: 1, fillColor: "#a6cee3", fillOpacity: 0.8, interactive: false };
        if (kind === "county") return { pane: "citysafe-outlines", color: "#5b4a3a", weight: 3, dashArray: "8 4 2 4", fill: false, interactive: false };
        return { pane: "citysafe-outlines", color: "#333", weight: 2, fill: false, interactive: false };
      },
      onEachFeature: function (f, layer) {
        if (f.properties.kind === "township") townships.extend(layer.getBounds());
        if (f.properties.kind === "county") county.extend(layer.getBounds());
      }
    }).eachLayer(function (layer) {
      var kind = layer.feature.properties.kind;
      layer.options.pane = kind === "river" || kind === "lake" ? "citysafe-water" : "citysafe-outlines";
      layer.addTo(map);
    });
    base.features.forEach(function (f) {
      if (f.properties.kind !== "seat") return;
      var c = f.geometry.coordinates;
      var label = document.createElement("span");
      label.textContent = f.properties.name;
      L.circleMarker([c[1], c[0]], { pane: "citysafe-outlines", radius: 3, color: "#333", fillColor: "#333", fillOpacity: 1, interactive: false })
        .bindTooltip(label.innerHTML, { permanent: true, direction: "right", className: "map-picker-label" })
        .addTo(map);
    });
    // Zoomed to the user's own townships (the base layer carries only those), else the county;
    // a record that already has a location is shown where it is.
    if (!hasValue) {
      var extent = townships.isValid() ? townships : county;
      if (extent.isValid()) map.fitBounds(extent, { padding: [8, 8], animate: false });
    }
    loadAreas();
    mapEl.dataset.loaded = "true";
  }).catch(function (error) {
    mapEl.dataset.loaded = "error";
    say(T.base_failed);
    if (window.console) window.console.error(error);
  });
  // Village and grid outlines (the user's own, from the /map/ page's scoped layers) once zoomed
  // in far enough to pick a spot: a grid worker sees which grid the point falls in.
  var areaLayers = { villages: null, grids: null };
  var gridNames = L.layerGroup();
  function loadAreas() {
    if (map.getZoom() < 12 || areaLayers.grids) return;
    ["villages", "grids"].forEach(function (name) {
      areaLayers[name] = "loading";
      fetch("/map/layers/" + name + ".geojson", { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(name + ": HTTP " + response.status);
        return response.json();
      }).then(function (data) {
        var grid = name === "grids";
        areaLayers[name] = L.geoJSON(data, {
          pane: "citysafe-outlines", interactive: false,
          style: grid ? { color: "#6a5acd", weight: 1.5, fill: false, interactive: false }
                      : { color: "#777", weight: 1, dashArray: "4 4", fill: false, interactive: false },
          onEachFeature: function (f, layer) {
            if (!grid) return;
            var label = document.createElement("span");
            label.textContent = f.properties.name;
            L.tooltip({ permanent: true, direction: "center", className: "map-picker-label map-picker-grid-label" })
              .setLatLng(layer.getBounds().getCenter()).setContent(label.innerHTML).addTo(gridNames);
          }
        }).addTo(map);
        if (grid) { showGridNames(); mapEl.dataset.areas = "loaded"; }
      }).catch(function (error) {
        areaLayers[name] = null;
        if (window.console) window.console.error(error);
      });
    });
  }
  function showGridNames() {
    if (map.getZoom() >= 14) gridNames.addTo(map); else gridNames.remove();
  }
  map.on("zoomend", function () { loadAreas(); showGridNames(); });

  // The map was laid out while hidden; let Leaflet measure it again once visible.
  setTimeout(function () { map.invalidateSize(); }, 0);
})();

/* Restricted zones (禁行区): every zone on a Leaflet map (polygons, or circles for zones
   without a drawn boundary); users who may edit draw a new polygon or pick a zone and edit
   its vertices with Leaflet.draw, and the form posts the ring as JSON [[lon, lat], …].
   No inline script (CSP). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("zones-config").textContent);
  var mapEl = document.getElementById("zones-map");
  var map = L.map(mapEl).setView([35.66, 103.39], 11);
  if (mapEl.dataset.tileUrl) { L.tileLayer(mapEl.dataset.tileUrl, {maxZoom: 18}).addTo(map); }
  var editable = mapEl.dataset.editable === "1" && L.Control.Draw;
  var shown = L.featureGroup().addTo(map);     // zones not being edited
  var drawn = L.featureGroup().addTo(map);     // the one polygon in the form
  var byId = {};
  var form = document.getElementById("zone-form");

  function hours(z) { return z.start_hour === z.end_hour ? config.text.all_day : z.start_hour + ":00–" + z.end_hour + ":00"; }
  function style(z) { return {color: z.is_enabled ? "#D55E00" : "#777", weight: 2, fillOpacity: 0.2, dashArray: z.is_enabled ? null : "4"}; }

  function shape(z) {
    var layer = z.polygon ? L.polygon(z.polygon.map(function (p) { return [p[1], p[0]]; }), style(z))
                          : L.circle(z.centre, Object.assign({radius: z.radius}, style(z)));
    layer.bindTooltip(z.name + "（" + config.text.hours + " " + hours(z) + "）");
    layer.on("click", function () { pick(z.id); });
    return layer;
  }

  function ring(layer) {
    var latlngs = layer.getLatLngs()[0] || [];
    return latlngs.map(function (ll) { return [Number(ll.lng.toFixed(7)), Number(ll.lat.toFixed(7))]; });
  }

  function sync() {
    if (!form) return;
    var layer = drawn.getLayers()[0];
    var points = layer ? ring(layer) : [];
    document.getElementById("zone-polygon").value = points.length ? JSON.stringify(points) : "";
    document.getElementById("zone-points").textContent = points.length ? points.length + " ×" : "";
  }

  function redraw(exceptId) {
    shown.clearLayers();
    config.zones.forEach(function (z) { if (z.id !== exceptId) shown.addLayer(shape(z)); });
  }

  function pick(id) {
    var z = byId[id];
    if (!z) return;
    if (!form) { map.fitBounds(shape(z).getBounds(), {padding: [30, 30], animate: false}); return; }
    document.getElementById("zone-id").value = z.id;
    document.getElementById("zone-version").value = z.version;
    document.getElementById("zone-name").value = z.name;
    document.getElementById("zone-start").value = z.start_hour;
    document.getElementById("zone-end").value = z.end_hour;
    document.getElementById("zone-all").checked = z.applies_to_all;
    document.getElementById("zone-enabled").checked = z.is_enabled;
    document.getElementById("zone-archive").hidden = false;
    document.getElementById("zone-form-title").textContent = z.name;
    drawn.clearLayers();
    if (z.polygon) { drawn.addLayer(L.polygon(z.polygon.map(function (p) { return [p[1], p[0]]; }), {color: "#0072B2"})); }
    redraw(z.polygon ? z.id : null);
    map.fitBounds(shape(z).getBounds(), {padding: [30, 30], animate: false});
    sync();
  }

  config.zones.forEach(function (z) { byId[z.id] = z; });
  redraw(null);
  if (shown.getLayers().length) { map.fitBounds(shown.getBounds(), {padding: [20, 20], animate: false}); }

  document.querySelectorAll("[data-zone]").forEach(function (a) {
    a.addEventListener("click", function (e) { e.preventDefault(); pick(Number(a.dataset.zone)); });
  });

  if (editable && form) {
    map.addControl(new L.Control.Draw({
      draw: {polygon: {allowIntersection: false, showArea: false, shapeOptions: {color: "#0072B2"}},
             polyline: false, rectangle: false, circle: false, marker: false, circlemarker: false},
      edit: {featureGroup: drawn, remove: true}
    }));
    map.on(L.Draw.Event.CREATED, function (e) { drawn.clearLayers(); drawn.addLayer(e.layer); sync(); });
    map.on(L.Draw.Event.EDITED, sync);
    map.on(L.Draw.Event.DELETED, sync);
    document.getElementById("zone-new").addEventListener("click", function () {
      form.reset();
      ["zone-id", "zone-version", "zone-polygon"].forEach(function (id) { document.getElementById(id).value = ""; });
      document.getElementById("zone-archive").hidden = true;
      drawn.clearLayers();
      redraw(null);
      sync();
    });
  }
})();

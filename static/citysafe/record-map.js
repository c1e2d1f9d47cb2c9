// A record's geometry over the map's plain base layer (county outline, rivers and lakes, the
// caller's township outlines with their names), from the scoped base layer endpoint. A tile
// layer only when the county configured an intranet tile server (MAP_TILE_URL), since nothing
// may load from the internet.
(function () {
  var el = document.getElementById("record-map");
  var data = document.getElementById("record-geometry");
  if (!el || !data || typeof L === "undefined") return;
  var BASE_URL = el.dataset.baseUrl || "/map/layers/base.geojson";
  var geometry = JSON.parse(data.textContent);
  var map = L.map(el, { attributionControl: false, maxZoom: 19 });
  el.dataset.loaded = "false";
  if (el.dataset.tileUrl) L.tileLayer(el.dataset.tileUrl, { maxZoom: 19 }).addTo(map);
  // Water under outlines under the record. Pane order set through the DOM: the CSP forbids
  // style attributes, not styles set from script.
  map.createPane("citysafe-water").classList.add("registry-map-pane-water");
  map.getPane("citysafe-water").style.zIndex = 350;
  map.createPane("citysafe-outlines").classList.add("registry-map-pane-outlines");
  map.getPane("citysafe-outlines").style.zIndex = 380;

  var record = L.geoJSON(geometry, {
    style: { color: "#b3261e", weight: 3, fillOpacity: 0.2 },
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 8, color: "#fff", weight: 2, fillColor: "#b3261e", fillOpacity: 1 });
    }
  }).addTo(map);
  var bounds = record.getBounds();
  // A minimum extent (about 2 km) so a point or a short line is shown with its surroundings.
  function padded(b) {
    var c = b.getCenter();
    var half = 0.01;
    return b.extend(L.latLngBounds([c.lat - half, c.lng - half], [c.lat + half, c.lng + half]));
  }
  if (bounds.isValid()) map.fitBounds(padded(L.latLngBounds(bounds.getSouthWest(), bounds.getNorthEast())));
  else map.setView([35.66, 103.39], 10);

  function escapeText(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  fetch(BASE_URL, { credentials: "same-origin" }).then(function (response) {
    if (!response.ok) throw new Error("base: HTTP " + response.status);
    return response.json();
  }).then(function (base) {
    var around = null;
    L.geoJSON(base, {
      filter: function (f) { return f.properties.kind !== "seat"; },
      pane: "citysafe-outlines",
      style: function (f) {
        var kind = f.properties.kind;
        if (kind === "river") return { pane: "citysafe-water", color: "#4a90c8", weight: 3 };
        if (kind === "lake") return { pane: "citysafe-water", color: "#4a90c8", weight: 1, fillColor: "#a6cee3", fillOpacity: 0.8 };
        if (kind === "county") return { color: "#5b4a3a", weight: 3, dashArray: "8 4 2 4", fill: false };
        return { color: "#333", weight: 2, fill: false };
      },
      onEachFeature: function (f, layer) {
        if (f.properties.kind !== "township" || !bounds.isValid()) return;
        var tb = layer.getBounds();
        if (tb.contains(bounds.getCenter())) around = tb;
      }
    }).eachLayer(function (layer) {
      // Lines and polygons take their pane from the options given at creation.
      var kind = layer.feature.properties.kind;
      if (kind === "river" || kind === "lake") layer.options.pane = "citysafe-water";
      layer.addTo(map);
    });
    base.features.forEach(function (f) {
      if (f.properties.kind !== "seat") return;
      var c = f.geometry.coordinates;
      L.circleMarker([c[1], c[0]], { pane: "citysafe-outlines", radius: 3, color: "#333", fillColor: "#333", fillOpacity: 1 })
        .bindTooltip(escapeText(f.properties.name), { permanent: true, direction: "right", className: "registry-map-label" })
        .addTo(map);
    });
    // A point or small shape: show its whole township, so the reader sees where it lies.
    if (around && bounds.isValid() && record.getLayers().length) {
      map.fitBounds(around.extend(bounds), { padding: [8, 8] });
    }
    el.dataset.loaded = "true";
  }).catch(function (error) {
    el.dataset.loaded = "error";
    if (window.console) window.console.error(error);
  });
})();

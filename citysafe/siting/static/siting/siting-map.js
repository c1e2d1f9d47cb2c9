// Siting maps: conflicts (both sites and the line between them), a site check's footprint and
// what it found. GeoJSON from our own endpoints or inline (data-geojson); the county outline from
// /map/layers/base.geojson underneath. No tiles unless MAP_TILE_URL is set.
(function () {
  var el = document.getElementById("siting-map");
  if (!el || typeof L === "undefined") return;
  var map = L.map(el, { attributionControl: false, maxZoom: 19 });
  if (el.dataset.tileUrl) L.tileLayer(el.dataset.tileUrl, { maxZoom: 19 }).addTo(map);
  var COLOURS = { hazardous: "#b3261e", sensitive: "#1565c0", project: "#6a1b9a", installation: "#e65100",
                  line: "#b3261e", pipeline: "#2e7d32" };
  function draw(data) {
    var layer = L.geoJSON(data, {
      style: function (f) {
        var k = f.properties.kind;
        if (k === "line") return { color: COLOURS.line, weight: 3, dashArray: "6 4" };
        if (k === "radius") return { color: "#b3261e", weight: 1, fill: false, dashArray: "2 4" };
        return { color: COLOURS[k] || "#333", weight: 2, fillOpacity: 0.25 };
      },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 7, color: "#fff", weight: 2,
          fillColor: COLOURS[f.properties.kind] || "#333", fillOpacity: 1 });
      },
      onEachFeature: function (f, l) { if (f.properties.name) l.bindTooltip(String(f.properties.name)); }
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 18 });
    else map.setView([35.66, 103.39], 10);
    el.dataset.loaded = "true";
  }
  if (el.dataset.baseUrl) {
    fetch(el.dataset.baseUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
      L.geoJSON(d, { style: { color: "#888", weight: 1, fill: false }, pointToLayer: function () { return null; },
                     interactive: false }).addTo(map);
    }).catch(function () {});
  }
  if (el.dataset.geojsonId) draw(JSON.parse(document.getElementById(el.dataset.geojsonId).textContent));
  else if (el.dataset.url) {
    fetch(el.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(draw)
      .catch(function () { el.dataset.loaded = "error"; });
  }
})();

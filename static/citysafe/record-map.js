// Draws a record's geometry on a plain background; a tile layer only when the county
// configured an intranet tile server (MAP_TILE_URL), since nothing may load from the internet.
(function () {
  var el = document.getElementById("record-map");
  var data = document.getElementById("record-geometry");
  if (!el || !data || typeof L === "undefined") return;
  var geometry = JSON.parse(data.textContent);
  var map = L.map(el, { attributionControl: false });
  if (el.dataset.tileUrl) L.tileLayer(el.dataset.tileUrl, { maxZoom: 19 }).addTo(map);
  var layer = L.geoJSON(geometry, {
    style: { color: "#b3261e", weight: 2, fillOpacity: 0.15 },
    pointToLayer: function (feature, latlng) {
      return L.circleMarker(latlng, { radius: 7, color: "#b3261e", fillOpacity: 0.8 });
    }
  }).addTo(map);
  var bounds = layer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds.pad(0.5), { maxZoom: 15 });
  else map.setView([28.3, 116.6], 10);
})();

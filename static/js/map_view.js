/* View-aware map layers (issue 19), shared by the registry map and the four-colour risk map:
 * the bbox + zoom query a point layer is asked with, and the bubble of a cluster the server
 * counted. Exposed as window.CitySafeMapView; Leaflet must be loaded first. */
(function () {
  "use strict";

  function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }

  // Bounds clamped to the world (Leaflet's run past ±180° when zoomed far out) and the zoom.
  function query(map) {
    var b = map.getBounds();
    var box = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
      clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)];
    return "bbox=" + box.map(function (v) { return v.toFixed(5); }).join(",") + "&zoom=" + Math.round(map.getZoom());
  }

  // The count in a circle of the given fill and ink; a click zooms in two levels on it.
  function clusterMarker(map, feature, fill, ink, className) {
    var n = feature.properties.count;
    var c = feature.geometry.coordinates;
    var label = n < 10000 ? String(n) : Math.round(n / 1000) + "k";
    var size = n < 10 ? 26 : (n < 100 ? 32 : (n < 1000 ? 40 : 48));
    var marker = L.marker([c[1], c[0]], {
      icon: L.divIcon({
        html: '<svg class="registry-map-cluster-svg" viewBox="0 0 40 40" aria-hidden="true"><circle cx="20" cy="20" ' +
          'r="18" fill="' + fill + '" fill-opacity="0.9" stroke="#fff" stroke-width="3"></circle><text x="20" y="20" ' +
          'dy="0.35em" text-anchor="middle" font-size="' + (label.length > 3 ? 12 : 15) + '" font-weight="600" fill="' +
          ink + '">' + label + "</text></svg>",
        className: "registry-map-cluster " + className, iconSize: [size, size]
      }),
      title: String(n)
    });
    marker.on("click", function () { map.setView(marker.getLatLng(), Math.min(map.getZoom() + 2, map.getMaxZoom())); });
    return marker;
  }

  window.CitySafeMapView = { query: query, clusterMarker: clusterMarker };
}());

// The public report form's map: a click or "use my location" fills the hidden lon/lat inputs.
// No inline script (CSP); the tile URL comes from a data- attribute (empty: outline only).
(function () {
  "use strict";
  var box = document.getElementById("report-map");
  if (!box || typeof L === "undefined") return;
  var lon = document.getElementById("id_lon"), lat = document.getElementById("id_lat");
  var status = document.getElementById("report-location-status");
  var map = L.map(box).setView([35.66, 103.39], 10);  // 东乡族自治县
  if (box.dataset.tileUrl) L.tileLayer(box.dataset.tileUrl, { maxZoom: 19 }).addTo(map);
  var marker = null;
  function put(latlng) {
    if (marker) marker.setLatLng(latlng); else marker = L.marker(latlng).addTo(map);
    lon.value = latlng.lng.toFixed(6);
    lat.value = latlng.lat.toFixed(6);
    status.textContent = lon.value + ", " + lat.value;
  }
  if (lon.value && lat.value) put(L.latLng(parseFloat(lat.value), parseFloat(lon.value)));
  map.on("click", function (e) { put(e.latlng); });
  var locate = document.getElementById("report-locate");
  locate.addEventListener("click", function () {
    if (!navigator.geolocation) { status.textContent = status.dataset.unsupported; return; }
    navigator.geolocation.getCurrentPosition(function (p) {
      var here = L.latLng(p.coords.latitude, p.coords.longitude);
      put(here); map.setView(here, 15);
    }, function (err) {
      status.textContent = err.code === 1 ? status.dataset.denied : status.dataset.failed;
    }, { enableHighAccuracy: true, timeout: 10000 });
  });
})();

/* The monitoring wall: sensors on a Leaflet map coloured by status (refreshed with the live
   panel), and a sound when a new unacknowledged alarm appears (browsers allow audio only after
   a user gesture: the first click or key press on the page unlocks it). No inline script (CSP). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("monitoring-wall-config").textContent);
  var mapEl = document.getElementById("monitoring-map");
  var map = L.map(mapEl, {preferCanvas: true}).setView([35.66, 103.39], 10);
  if (mapEl.dataset.tileUrl) { L.tileLayer(mapEl.dataset.tileUrl, {maxZoom: 18}).addTo(map); }
  var layer = L.layerGroup().addTo(map);
  var vehicleLayer = L.layerGroup().addTo(map);
  var fitted = false;

  function colour(status) { return config.colours[String(status)] || config.colours["0"]; }

  // The sensors and vehicles of the current view only (issue 19): ?bbox=&zoom= through
  // CitySafeMapView (js/map_view.js). Zoomed out over many devices the server sends per-cell
  // counts; a bubble takes the colour of the worst active alarm inside it, so no alarm hides.
  // The first answer carries the extent of the caller's sensors, to fit the view to.
  var view = window.CitySafeMapView;
  function viewUrl(base, extent) {
    return base + (base.indexOf("?") < 0 ? "?" : "&") + view.query(map) + (extent ? "&extent=1" : "");
  }
  function clusterBubble(f) {
    var level = f.properties.level || 0;
    return view.clusterMarker(map, f, colour(level), level === 3 ? "#222" : "#fff", "monitoring-cluster");
  }

  function loadSensors() {
    fetch(viewUrl(config.geojson, !fitted), {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      layer.clearLayers();
      if (!fitted && data.extent) {
        fitted = true;
        var e = data.extent;
        // A changed view asks again (moveend); until then this view's answer is drawn.
        map.fitBounds([[e[1], e[0]], [e[3], e[2]]], {padding: [20, 20], maxZoom: 16});
      }
      fitted = true;
      data.features.forEach(function (f) {
        var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        var p = f.properties;
        if (p.cluster) { clusterBubble(f).addTo(layer); return; }
        var marker = L.circleMarker(ll, {radius: p.status > 0 ? 9 : 6, color: "#333", weight: 1,
                                          fillColor: colour(p.status), fillOpacity: 0.9});
        var box = document.createElement("div");
        var link = document.createElement("a");
        link.href = p.url; link.textContent = p.name;
        box.appendChild(link);
        if (p.value !== null) { box.appendChild(document.createTextNode(" " + p.value.toFixed(2) + " " + p.unit)); }
        marker.bindPopup(box);
        marker.addTo(layer);
      });
    });
  }
  var pending = null;
  map.on("moveend", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { loadSensors(); loadVehicles(); }, 250);
  });

  // Vehicles (两客一危): their newest positions as squares labelled with the plate, coloured
  // by their worst active alarm.
  function loadVehicles() {
    if (!config.vehicles) { return; }
    fetch(viewUrl(config.vehicles, false), {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      vehicleLayer.clearLayers();
      data.features.forEach(function (f) {
        var p = f.properties;
        if (p.cluster) { clusterBubble(f).addTo(vehicleLayer); return; }
        // a class per status, not an inline style (the CSP allows no inline styles)
        var icon = L.divIcon({className: "vehicle-marker vehicle-status-" + p.status, iconSize: [14, 14]});
        var marker = L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {icon: icon, title: p.name});
        var box = document.createElement("div");
        var link = document.createElement("a");
        link.href = p.url; link.textContent = p.name;
        box.appendChild(link);
        box.appendChild(document.createTextNode(" " + p.type));
        if (p.speed !== null) { box.appendChild(document.createTextNode(" " + p.speed.toFixed(0) + " " + config.text.speed)); }
        if (p.replay) {
          var replay = document.createElement("a");
          replay.href = p.replay; replay.textContent = " " + config.text.replay;
          box.appendChild(replay);
        }
        if (p.alarms.length) {
          var warn = document.createElement("strong");
          warn.textContent = " " + p.alarms.join("、");
          box.appendChild(warn);
        }
        marker.bindPopup(box);
        marker.bindTooltip(p.name, {permanent: false, direction: "top"});
        marker.addTo(vehicleLayer);
      });
    });
  }

  var audio = null;
  function unlock() { if (!audio && window.AudioContext) { audio = new AudioContext(); } }
  document.addEventListener("click", unlock, {once: true});
  document.addEventListener("keydown", unlock, {once: true});
  function beep(level) {
    if (!audio) { return; }
    var osc = audio.createOscillator(), gain = audio.createGain();
    osc.frequency.value = level === 1 ? 880 : 660;
    gain.gain.value = 0.2;
    osc.connect(gain); gain.connect(audio.destination);
    osc.start(); osc.stop(audio.currentTime + (level === 1 ? 0.8 : 0.3));
  }

  var lastUnacknowledged = null;
  function checkAlarms() {
    var panel = document.getElementById("alarm-panel");
    if (!panel) { return; }
    var count = parseInt(panel.dataset.unacknowledged, 10) || 0;
    var top = parseInt(panel.dataset.topLevel, 10) || 0;
    if (lastUnacknowledged !== null && count > lastUnacknowledged) {
      beep(top);
      document.title = "(" + count + ") " + config.text.alarm;
    }
    lastUnacknowledged = count;
  }

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id === "monitoring-live") { checkAlarms(); loadSensors(); loadVehicles(); }
  });
  checkAlarms();
  loadSensors();
  loadVehicles();
})();

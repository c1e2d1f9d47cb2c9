// Emergency maps: the green-channel route of a team to an incident (buttons with
// data-route-url), and layers of the coverage page (#emergency-map[data-url]). GeoJSON from our
// own endpoints; features styled by properties.kind. No tiles unless MAP_TILE_URL is set.
(function () {
  var el = document.getElementById("emergency-map");
  if (!el || typeof L === "undefined") return;
  var map = null, layer = null;
  var message = document.getElementById("route-message");
  var STYLES = {
    route: { color: "#2e7d32", weight: 5 },
    isochrone: { color: "#1565c0", weight: 1, fillColor: "#64b5f6", fillOpacity: 0.3 },
    uncovered: { color: "#b3261e", weight: 1, fillColor: "#ef9a9a", fillOpacity: 0.4 },
    road: { color: "#777", weight: 1 },
    closed: { color: "#b3261e", weight: 3, dashArray: "4 4" }
  };
  var COLOURS = { incident: "#b3261e", station: "#1565c0", site: "#ef6c00", place: "#b3261e" };

  function ensureMap() {
    if (map) return map;
    el.hidden = false;
    map = L.map(el, { attributionControl: false, maxZoom: 19, zoomSnap: 0.25 });
    if (el.dataset.tileUrl) L.tileLayer(el.dataset.tileUrl, { maxZoom: 19 }).addTo(map);
    return map;
  }

  function draw(data) {
    ensureMap();
    if (layer) layer.remove();
    layer = L.geoJSON(data, {
      style: function (f) { return STYLES[f.properties.kind] || STYLES.route; },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, { radius: 6, color: "#fff", weight: 2,
          fillColor: COLOURS[f.properties.kind] || "#333", fillOpacity: 1 });
      },
      onEachFeature: function (f, l) {
        if (f.properties.name) l.bindTooltip(String(f.properties.name));
      }
    }).addTo(map);
    var bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20] });
    el.dataset.loaded = "true";
  }

  function say(text) { if (message) message.textContent = text; }

  function load(url, onFeature) {
    el.dataset.loaded = "false";
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (r) {
      if (!r.ok) { say(r.body.detail && r.body.detail[0] ? r.body.detail[0].msg : "?"); el.dataset.loaded = "error"; return; }
      draw(r.body);
      if (onFeature) onFeature(r.body);
    }).catch(function () { say(el.dataset.failed || "路线加载失败"); el.dataset.loaded = "error"; });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".route-button"), function (button) {
    button.addEventListener("click", function () {
      load(button.dataset.routeUrl, function (body) {
        var route = body.features[0].properties;
        say(route.team + "：" + route.minutes + " min, " + (route.metres / 1000).toFixed(1) + " km");
      });
    });
  });
  if (el.dataset.url) load(el.dataset.url);

  // The resource map: one overlay per layer, switched in Leaflet's layer control. Each layer holds
  // the current view only (issue 19): ?bbox=&zoom= through CitySafeMapView (js/map_view.js), per-cell
  // count bubbles when zoomed out over many rows; the first answers carry the extent to fit to.
  var listed = document.getElementById("emergency-layers");
  if (listed) {
    var layers = JSON.parse(listed.textContent);
    var view = window.CitySafeMapView;
    var control = L.control.layers(null, {}, { collapsed: false }).addTo(ensureMap());
    map.setView([35.66, 103.39], 10);
    var palette = ["#b3261e", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#c2185b"];
    var groups = {}, extent = null;
    Object.keys(layers).forEach(function (key) {
      groups[key] = L.featureGroup().addTo(map);
      control.addOverlay(groups[key], layers[key].title);
    });
    var isPointLayer = function (key) { return key !== "roads"; };
    function fill(group, data, colour) {
      group.clearLayers();
      L.geoJSON(data, {
        style: function (f) { return STYLES[f.properties.kind] || STYLES.road; },
        pointToLayer: function (f, latlng) {
          if (f.properties.cluster) return view.clusterMarker(map, f, colour, "#fff", "emergency-cluster");
          return L.circleMarker(latlng, { radius: 6, color: "#fff", weight: 1, fillColor: colour, fillOpacity: 1 });
        },
        onEachFeature: function (f, l) {
          if (!f.properties.name) return;
          if (f.properties.url) {
            var a = document.createElement("a");
            a.href = f.properties.url;
            a.textContent = f.properties.name;
            l.bindPopup(a);
          } else {
            l.bindTooltip(String(f.properties.name));
          }
        }
      }).eachLayer(function (l) { group.addLayer(l); });
    }
    function loadAll(first) {
      var keys = Object.keys(layers);
      return Promise.all(keys.map(function (key, i) {
        if (!first && !isPointLayer(key)) return null;  // the road network is whole (not scoped, loaded once)
        var url = layers[key].url;
        if (isPointLayer(key)) url += (url.indexOf("?") < 0 ? "?" : "&") + view.query(map) + (first ? "&extent=1" : "");
        return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
          fill(groups[key], data, palette[i % palette.length]);
          if (data.extent) {
            var b = L.latLngBounds([data.extent[1], data.extent[0]], [data.extent[3], data.extent[2]]);
            extent = extent ? extent.extend(b) : b;
          }
        }).catch(function () { return null; });
      }));
    }
    var pending = null;
    loadAll(true).then(function () {
      if (extent && extent.isValid()) map.fitBounds(extent, { animate: false });
      map.on("moveend", function () {
        clearTimeout(pending);
        pending = setTimeout(function () { loadAll(false).then(function () { el.dataset.loaded = "true"; }); }, 250);
      });
      return loadAll(false);
    }).then(function () { el.dataset.loaded = "true"; });
  }
})();

/* Registry map (一张图): area outlines, enterprises and places from the scoped layer
 * endpoints of citysafe.registry.map. Leaflet and Leaflet.markercluster are served locally.
 * The map object is exposed as window.citysafeMap (browser tests and the console use it). */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("registry-map-config").textContent);
  var text = config.text;
  var container = document.getElementById("registry-map");
  var filterForm = document.getElementById("registry-map-filters");
  var statusLine = document.getElementById("registry-map-status");

  // Dongxiang county seat; replaced by the outlines' bounds once they arrive. markercluster
  // needs a finite maxZoom, which a map without a tile layer does not have by itself.
  var map = L.map(container, { zoomControl: true, maxZoom: 19 }).setView([35.66, 103.39], 10);
  window.citysafeMap = map;
  if (container.dataset.tileUrl) {
    L.tileLayer(container.dataset.tileUrl, { maxZoom: 19 }).addTo(map);
  }

  var PLACE_TYPES = Object.keys(config.placeTypes);
  function typeColour(index, count) {
    return "hsl(" + Math.round((index * 360) / count) + ", 70%, 42%)";
  }
  var ENTERPRISE_COLOUR = "#c0392b";

  function escapeText(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }
  // An SVG fill attribute, not a style attribute: the Content-Security-Policy allows no
  // inline styles, and the layer control rebuilds its labels from this HTML.
  function swatch(colour, label) {
    return '<svg class="registry-map-swatch" viewBox="0 0 10 10" aria-hidden="true"><circle cx="5" cy="5" r="5" fill="' +
      colour + '"></circle></svg>' + escapeText(label);
  }

  function nameTooltip(feature, layer) {
    layer.bindTooltip(escapeText(feature.properties.name), { sticky: true });
  }
  var layers = {
    townships: L.geoJSON(null, { style: { color: "#333", weight: 2, fill: false }, onEachFeature: nameTooltip }),
    villages: L.geoJSON(null, {
      style: { color: "#666", weight: 1, dashArray: "4 3", fill: false }, onEachFeature: nameTooltip
    }),
    grids: L.geoJSON(null, {
      style: { color: "#2c7fb8", weight: 0.6, fillOpacity: 0.03 }, onEachFeature: nameTooltip
    }),
    enterprises: L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false })
  };

  // One group per place type: clustered points plus lines and polygons drawn as they are.
  var placeGroups = {};
  PLACE_TYPES.forEach(function (type, index) {
    var colour = typeColour(index, PLACE_TYPES.length);
    placeGroups[type] = {
      colour: colour,
      group: L.layerGroup(),
      points: L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false }),
      shapes: L.geoJSON(null, { style: { color: colour, weight: 3, fillOpacity: 0.3 } })
    };
    placeGroups[type].group.addLayer(placeGroups[type].points).addLayer(placeGroups[type].shapes);
  });

  var overlays = {};
  overlays[escapeText(text.townships)] = layers.townships.addTo(map);
  overlays[escapeText(text.villages)] = layers.villages.addTo(map);
  overlays[escapeText(text.grids)] = layers.grids;
  overlays[swatch(ENTERPRISE_COLOUR, text.enterprises)] = layers.enterprises.addTo(map);
  PLACE_TYPES.forEach(function (type) {
    var entry = placeGroups[type];
    // Off until asked for: 20,000 places of 22 types drawn at once hide the county.
    overlays[swatch(entry.colour, text.placePrefix + config.placeTypes[type])] = entry.group;
  });
  L.control.layers(null, overlays, { collapsed: false }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  function popupContent(rows, href) {
    var root = L.DomUtil.create("div", "registry-map-popup");
    var list = L.DomUtil.create("dl", "", root);
    rows.forEach(function (row) {
      if (!row[1]) { return; }
      L.DomUtil.create("dt", "", list).textContent = row[0];
      L.DomUtil.create("dd", "", list).textContent = row[1];
    });
    var link = L.DomUtil.create("a", "registry-map-detail", root);
    link.href = href;
    link.textContent = text.detail;
    return root;
  }

  // Markers by id, so a search result or a test can find and open one.
  var enterpriseMarkers = {};
  var placeMarkers = {};

  function addEnterprises(data) {
    var markers = [];
    enterpriseMarkers = {};
    data.features.forEach(function (feature) {
      var p = feature.properties;
      var c = feature.geometry.coordinates;
      var marker = L.circleMarker([c[1], c[0]], {
        radius: 6, color: "#fff", weight: 1, fillColor: ENTERPRISE_COLOUR, fillOpacity: 0.9,
        className: "registry-map-enterprise"
      });
      marker.bindPopup(function () {
        return popupContent([
          [text.name, p.name],
          [text.industry, data.industries[p.industry]],
          [text.township, data.townships[p.township]]
        ], config.detail.enterprise.replace("{id}", feature.id));
      });
      enterpriseMarkers[feature.id] = marker;
      markers.push(marker);
    });
    layers.enterprises.clearLayers();
    layers.enterprises.addLayers(markers);
    return markers.length;
  }

  function addPlaces(data) {
    var points = {};
    placeMarkers = {};
    PLACE_TYPES.forEach(function (type) {
      points[type] = [];
      placeGroups[type].points.clearLayers();
      placeGroups[type].shapes.clearLayers();
    });
    data.features.forEach(function (feature) {
      var p = feature.properties;
      var entry = placeGroups[p.type];
      if (!entry) { return; }
      var popup = function () {
        return popupContent([
          [text.name, p.name],
          [text.type, data.types[p.type]],
          [text.township, data.townships[p.township]]
        ], config.detail.place.replace("{id}", feature.id));
      };
      var layer;
      if (feature.geometry.type === "Point") {
        var c = feature.geometry.coordinates;
        layer = L.circleMarker([c[1], c[0]], {
          radius: 5, color: "#fff", weight: 1, fillColor: entry.colour, fillOpacity: 0.9,
          className: "registry-map-place"
        });
        points[p.type].push(layer);
      } else {
        layer = L.geoJSON(feature, { style: { color: entry.colour, weight: 3, fillOpacity: 0.3 } });
        entry.shapes.addLayer(layer);
      }
      layer.bindPopup(popup);
      placeMarkers[feature.id] = layer;
    });
    PLACE_TYPES.forEach(function (type) { placeGroups[type].points.addLayers(points[type]); });
    return data.features.length;
  }

  function fillOutlines(name, data) {
    layers[name].clearLayers();
    layers[name].addData(data);
  }

  function query(layer) {
    var params = new URLSearchParams();
    new FormData(filterForm).forEach(function (value, key) {
      if (value) { params.append(key, value); }
    });
    var qs = params.toString();
    return fetch(config.layers[layer] + (qs ? "?" + qs : ""), {
      credentials: "same-origin", headers: { Accept: "application/geo+json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error(layer + ": HTTP " + response.status); }
      return response.json();
    });
  }

  function fitToTownship() {
    var chosen = filterForm.elements.township.value;
    var bounds = null;
    layers.townships.eachLayer(function (layer) {
      if (!chosen || String(layer.feature.id) === chosen) {
        bounds = bounds ? bounds.extend(layer.getBounds()) : L.latLngBounds(layer.getBounds());
      }
    });
    if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10] }); }
  }

  var generation = 0;
  function load(withTownships) {
    var mine = ++generation;
    container.dataset.loaded = "false";
    statusLine.textContent = text.loading;
    var names = ["villages", "grids", "enterprises", "places"];
    if (withTownships) { names.unshift("townships"); }
    return Promise.all(names.map(query)).then(function (results) {
      if (mine !== generation) { return; } // a newer filter choice is already loading
      var counts = {};
      names.forEach(function (name, index) {
        var data = results[index];
        if (name === "enterprises") { counts.enterprises = addEnterprises(data); }
        else if (name === "places") { counts.places = addPlaces(data); }
        else { fillOutlines(name, data); }
      });
      fitToTownship();
      statusLine.textContent = text.loaded.replace("{enterprises}", counts.enterprises)
        .replace("{places}", counts.places);
      container.dataset.loaded = "true";
    }).catch(function (error) {
      if (mine !== generation) { return; }
      statusLine.textContent = text.failed;
      container.dataset.loaded = "error";
      if (window.console) { window.console.error(error); }
    });
  }

  filterForm.addEventListener("change", function (event) {
    // Choosing a place type shows that type's layer as well as filtering the data.
    if (event.target.name === "type" && placeGroups[event.target.value]) {
      map.addLayer(placeGroups[event.target.value].group);
    }
    load(false);
  });
  filterForm.addEventListener("submit", function (event) { event.preventDefault(); });

  map.registry = {
    layers: layers,
    placeGroups: placeGroups,
    enterpriseMarker: function (id) { return enterpriseMarkers[id]; },
    placeLayer: function (id) { return placeMarkers[id]; },
    reload: load
  };
  load(true);
}());

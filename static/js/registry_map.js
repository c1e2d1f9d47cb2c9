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
  var view = window.CitySafeMapView;
  var escapeText = view.escapeText;

  // Dongxiang county seat; replaced by the outlines' bounds once they arrive. markercluster
  // needs a finite maxZoom, which a map without a tile layer does not have by itself.
  var map = L.map(container, { zoomControl: true, maxZoom: 19 }).setView([35.66, 103.39], 10);
  window.citysafeMap = map;
  if (container.dataset.tileUrl) {
    L.tileLayer(container.dataset.tileUrl, { maxZoom: 19 }).addTo(map);
  }

  var PLACE_TYPES = Object.keys(config.placeTypes);
  var FAMILIES = config.families;
  var familyOfType = {};
  FAMILIES.forEach(function (family) {
    family.types.forEach(function (type) { familyOfType[type] = family; });
  });
  // Okabe-Ito vermilion's neighbour is taken by hazards: enterprises are black-bordered blue-green.
  var ENTERPRISE_COLOUR = "#000000";
  var NARROW = window.matchMedia("(max-width: 767px)").matches;

  // Layer order: water under outlines under data (Leaflet's overlayPane is 400, markers 600).
  map.createPane("citysafe-water").classList.add("registry-map-pane-water");
  map.createPane("citysafe-outlines").classList.add("registry-map-pane-outlines");

  // Marker shapes as SVG with fill attributes, not style attributes: the Content-Security-Policy
  // allows no inline styles, and the layer control rebuilds its labels from this HTML.
  function shapeSvg(colour, shape, cls) {
    var body;
    if (shape === "square") {
      body = '<rect x="1" y="1" width="8" height="8" fill="' + colour + '" stroke="#fff" stroke-width="1"></rect>';
    } else if (shape === "triangle") {
      body = '<polygon points="5,0.5 9.6,9.3 0.4,9.3" fill="' + colour + '" stroke="#fff" stroke-width="1"></polygon>';
    } else {
      body = '<circle cx="5" cy="5" r="4.5" fill="' + colour + '" stroke="#fff" stroke-width="1"></circle>';
    }
    return '<svg class="' + cls + '" viewBox="0 0 10 10" aria-hidden="true">' + body + "</svg>";
  }
  function swatch(colour, label, shape) {
    return shapeSvg(colour, shape || "circle", "registry-map-swatch") + escapeText(label);
  }
  var icons = {};
  function familyIcon(family) {
    if (!icons[family.key]) {
      icons[family.key] = L.divIcon({
        html: shapeSvg(family.colour, family.shape, "registry-map-icon-svg"),
        className: "registry-map-icon registry-map-place", iconSize: [14, 14], iconAnchor: [7, 7]
      });
    }
    return icons[family.key];
  }

  // Client-side clusters (the rows of a sparse view) in the same bubbles as the server's.
  function clusterGroup(colour) {
    return L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false,
      iconCreateFunction: function (cluster) {
        return view.clusterIcon(cluster.getChildCount(), colour, view.inkFor(colour), "registry-map-client-cluster");
      }
    });
  }

  function nameTooltip(feature, layer) {
    layer.bindTooltip(escapeText(feature.properties.name), { sticky: true });
  }
  var layers = {
    water: L.geoJSON(null, {
      pane: "citysafe-water",
      style: function (feature) {
        return feature.properties.kind === "lake"
          ? { color: "#4a90c8", weight: 1, fillColor: "#a6cee3", fillOpacity: 0.8 }
          : { color: "#4a90c8", weight: 3, opacity: 0.9 };
      },
      onEachFeature: function (feature, layer) {
        if (feature.properties.name) { layer.bindTooltip(escapeText(feature.properties.name), { sticky: true }); }
      }
    }),
    county: L.geoJSON(null, {
      pane: "citysafe-outlines", interactive: false,
      style: { color: "#5b4a3a", weight: 3, dashArray: "8 4 2 4", fillColor: "#fffdf6", fillOpacity: 0.6 }
    }),
    seats: L.layerGroup(),
    townships: L.geoJSON(null, {
      pane: "citysafe-outlines", style: { color: "#333", weight: 2, fill: false }, onEachFeature: nameTooltip
    }),
    villages: L.geoJSON(null, {
      pane: "citysafe-outlines",
      style: { color: "#777", weight: 1, dashArray: "4 3", fill: false }, onEachFeature: nameTooltip
    }),
    grids: L.geoJSON(null, {
      pane: "citysafe-outlines",
      style: { color: "#2c7fb8", weight: 0.6, fillOpacity: 0.03 }, onEachFeature: nameTooltip
    }),
    enterprises: clusterGroup(ENTERPRISE_COLOUR),
    // Clusters counted by the server for a zoomed-out view of many rows (issue 19).
    enterpriseClusters: L.layerGroup()
  };

  // One group per family: clustered points plus lines and polygons drawn as they are.
  var familyGroups = {};
  FAMILIES.forEach(function (family) {
    var entry = {
      family: family,
      group: L.layerGroup(),
      points: clusterGroup(family.colour),
      shapes: L.geoJSON(null, { style: { color: family.colour, weight: 3, fillOpacity: 0.3 } }),
      clusters: L.layerGroup()
    };
    entry.group.addLayer(entry.points).addLayer(entry.shapes).addLayer(entry.clusters);
    familyGroups[family.key] = entry;
  });
  // By type, for the type filter and scripts that ask for one type's layer.
  var placeGroups = {};
  PLACE_TYPES.forEach(function (type) {
    var family = familyOfType[type] || FAMILIES[FAMILIES.length - 1];
    placeGroups[type] = familyGroups[family.key];
  });

  var overlays = {};
  overlays[swatch("#4a90c8", text.base)] = L.layerGroup([layers.water, layers.county, layers.seats]).addTo(map);
  overlays[escapeText(text.townships)] = layers.townships.addTo(map);
  overlays[escapeText(text.villages)] = layers.villages.addTo(map);
  overlays[escapeText(text.grids)] = layers.grids;
  overlays[swatch(ENTERPRISE_COLOUR, text.enterprises)] =
    L.layerGroup([layers.enterprises, layers.enterpriseClusters]).addTo(map);
  FAMILIES.forEach(function (family) {
    // On for people-crowded places and hazards; the rest until asked for, so the county shows.
    var group = familyGroups[family.key].group;
    if (family.key === "crowded" || family.key === "hazard") { group.addTo(map); }
    overlays[swatch(family.colour, family.label, family.shape)] = group;
  });
  // Collapsed to a button on a phone, so the control does not cover the map.
  L.control.layers(null, overlays, { collapsed: NARROW }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  // The legend: each family with its marker, expandable to the place types it holds.
  var Legend = L.Control.extend({
    options: { position: "bottomright" },
    onAdd: function () {
      var root = L.DomUtil.create("details", "registry-map-legend");
      root.open = !NARROW;
      L.DomUtil.create("summary", "", root).textContent = text.legend;
      var item = L.DomUtil.create("div", "registry-map-legend-row", root);
      item.innerHTML = swatch(ENTERPRISE_COLOUR, text.enterprises);
      FAMILIES.forEach(function (family) {
        var details = L.DomUtil.create("details", "registry-map-legend-family", root);
        var summary = L.DomUtil.create("summary", "", details);
        summary.innerHTML = swatch(family.colour, family.label, family.shape);
        var list = L.DomUtil.create("ul", "", details);
        family.types.forEach(function (type) {
          L.DomUtil.create("li", "", list).textContent = config.placeTypes[type];
        });
      });
      var seat = L.DomUtil.create("div", "registry-map-legend-row", root);
      seat.innerHTML = swatch("#333", text.seat);
      L.DomEvent.disableClickPropagation(root);
      L.DomEvent.disableScrollPropagation(root);
      return root;
    }
  });
  new Legend().addTo(map);

  // The whole window below the header, edge to edge (map_view.js).
  view.fillViewport(container, map);

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

  // A cluster the server counted: the same bubble as a client-side one (map_view.js).
  function serverCluster(feature, colour) {
    return points.clusterMarker(feature, colour, view.inkFor(colour), "registry-map-server-cluster");
  }

  // Markers by id, so a search result or a test can find and open one.
  var enterpriseMarkers = {};
  var placeMarkers = {};

  function addEnterprises(data) {
    var markers = [];
    enterpriseMarkers = {};
    layers.enterpriseClusters.clearLayers();
    if (data.mode === "clusters") {
      layers.enterprises.clearLayers();
      data.features.forEach(function (feature) {
        layers.enterpriseClusters.addLayer(serverCluster(feature, ENTERPRISE_COLOUR));
      });
      return data.total;
    }
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
    FAMILIES.forEach(function (family) {
      points[family.key] = [];
      familyGroups[family.key].points.clearLayers();
      familyGroups[family.key].shapes.clearLayers();
      familyGroups[family.key].clusters.clearLayers();
    });
    if (data.mode === "clusters") {
      data.features.forEach(function (feature) {
        var entry = familyGroups[feature.properties.group] || familyGroups.other;
        entry.clusters.addLayer(serverCluster(feature, entry.family.colour));
      });
      return data.total;
    }
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
        layer = L.marker([c[1], c[0]], { icon: familyIcon(entry.family), title: p.name });
        points[entry.family.key].push(layer);
      } else {
        layer = L.geoJSON(feature, { style: { color: entry.family.colour, weight: 3, fillOpacity: 0.3 } });
        entry.shapes.addLayer(layer);
      }
      layer.bindPopup(popup);
      placeMarkers[feature.id] = layer;
    });
    FAMILIES.forEach(function (family) { familyGroups[family.key].points.addLayers(points[family.key]); });
    return data.features.length;
  }

  function addBase(data) {
    layers.water.clearLayers();
    layers.county.clearLayers();
    layers.seats.clearLayers();
    data.features.forEach(function (feature) {
      var kind = feature.properties.kind;
      if (kind === "river" || kind === "lake") { layers.water.addData(feature); }
      else if (kind === "county") { layers.county.addData(feature); }
      else if (kind === "seat") {
        var c = feature.geometry.coordinates;
        var seat = L.circleMarker([c[1], c[0]], {
          pane: "citysafe-outlines", radius: 3, color: "#333", weight: 1, fillColor: "#333", fillOpacity: 1
        });
        seat.bindTooltip(escapeText(feature.properties.name), {
          permanent: true, direction: "right", offset: [4, 0], className: "registry-map-label"
        });
        layers.seats.addLayer(seat);
      }
    });
  }

  function fillOutlines(name, data) {
    layers[name].clearLayers();
    layers[name].addData(data);
  }

  // A layer with the filters; the point layers also with the view (clusters or rows, as the
  // server decides).
  function query(layer, viewQuery, signal) {
    var params = new URLSearchParams();
    new FormData(filterForm).forEach(function (value, key) {
      if (value) { params.append(key, value); }
    });
    var qs = [params.toString(), viewQuery].filter(Boolean).join("&");
    return fetch(config.layers[layer] + (qs ? "?" + qs : ""), {
      credentials: "same-origin", headers: { Accept: "application/geo+json" }, signal: signal
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
    if (!(bounds && bounds.isValid()) && layers.grids.getLayers().length && !layers.townships.getLayers().length) {
      // No township outline (a grid worker, an enterprise officer): show and zoom to their grids,
      // not the whole county with their few points at its edge.
      map.addLayer(layers.grids);
      bounds = layers.grids.getBounds();
    }
    // Not animated: the points are asked for this view at once (map_view.js viewLoader).
    if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10], animate: false }); }
  }

  // Outlines (and the base) once per filter; the point layers for the view on screen, again
  // after every move or zoom (map_view.js), so a view never asks for more than it shows.
  var points = view.viewLoader(map, container, {
    fetch: function (viewQuery, signal) {
      return Promise.all([query("enterprises", viewQuery, signal), query("places", viewQuery, signal)]);
    },
    draw: function (results) {
      statusLine.textContent = text.loaded.replace("{enterprises}", addEnterprises(results[0]))
        .replace("{places}", addPlaces(results[1]));
      container.dataset.mode = results[1].mode || "features";
      return results.every(function (r) { return r.mode !== "clusters" && !r.truncated; });
    },
    failed: failed
  });
  function failed(error) {
    statusLine.textContent = text.failed;
    container.dataset.loaded = "error";
    if (window.console) { window.console.error(error); }
  }
  var generation = 0;
  function load(withTownships) {
    var mine = ++generation;
    points.pause();
    statusLine.textContent = text.loading;
    var names = ["villages", "grids"];
    if (withTownships) { names.unshift("townships"); }
    var base = withTownships
      ? fetch(config.base, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error("base: HTTP " + response.status); }
        return response.json();
      }).then(addBase)
      : Promise.resolve();
    return Promise.all(names.map(function (name) { return query(name); }).concat([base])).then(function (results) {
      if (mine !== generation) { return; }
      names.forEach(function (name, index) { fillOutlines(name, results[index]); });
      fitToTownship();
      points.resume();
    }).catch(function (error) { if (mine === generation) { failed(error); } });
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
    familyGroups: familyGroups,
    enterpriseMarker: function (id) { return enterpriseMarkers[id]; },
    placeLayer: function (id) { return placeMarkers[id]; },
    reload: load
  };
  load(true);
}());

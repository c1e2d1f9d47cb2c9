/* View-aware map layers (issue 19), shared by the registry map and the four-colour risk map:
 * the bbox + zoom query a point layer is asked with, the loader that asks it again after each
 * move or zoom, the bubble of a cluster the server counted, and the full-window map size.
 * Exposed as window.CitySafeMapView; Leaflet must be loaded first. */
(function () {
  "use strict";

  var DEBOUNCE_MS = 250;

  function clamp(v, lo, hi) { return Math.min(hi, Math.max(lo, v)); }

  // Bounds clamped to the world (Leaflet's run past ±180° when zoomed far out) and the zoom.
  function query(map) {
    var b = map.getBounds();
    var box = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
      clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)];
    return "bbox=" + box.map(function (v) { return v.toFixed(5); }).join(",") + "&zoom=" + Math.round(map.getZoom());
  }

  function escapeText(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span.innerHTML;
  }

  // The whole window below the header, edge to edge. Set from script (the CSP forbids style
  // attributes, not styles set through the DOM), since the header's height varies with the screen.
  function fillViewport(container, map) {
    function fit() {
      container.style.marginLeft = "0px";
      container.style.marginLeft = -container.getBoundingClientRect().left + "px";
      container.style.width = document.documentElement.clientWidth + "px";
      var top = container.getBoundingClientRect().top + window.scrollY;
      container.style.height = Math.max(300, window.innerHeight - top - 2) + "px";
      map.invalidateSize();
    }
    fit();
    window.addEventListener("resize", fit);
    window.addEventListener("citysafe:header-fit", fit);  // the header folded or unfolded (menu.js)
  }

  // Black or white ink, whichever reads on the fill colour ("#rrggbb").
  function inkFor(colour) {
    var rgb = parseInt(colour.slice(1), 16);
    return 0.299 * (rgb >> 16) + 0.587 * ((rgb >> 8) & 255) + 0.114 * (rgb & 255) > 150 ? "#000" : "#fff";
  }

  // A cluster bubble: the count in a circle of the layer's colour (markercluster's default green /
  // yellow / orange means "how many", which read as categories next to the legend). Used for the
  // clusters the server counted and for Leaflet.markercluster's own.
  function clusterIcon(n, fill, ink, className) {
    var label = n < 10000 ? String(n) : Math.round(n / 1000) + "k";
    var size = n < 10 ? 26 : (n < 100 ? 32 : (n < 1000 ? 40 : 48));
    return L.divIcon({
      html: '<svg class="registry-map-cluster-svg" viewBox="0 0 40 40" aria-hidden="true"><circle cx="20" cy="20" ' +
        'r="18" fill="' + fill + '" fill-opacity="0.9" stroke="#fff" stroke-width="3"></circle><text x="20" y="20" ' +
        'dy="0.35em" text-anchor="middle" font-size="' + (label.length > 3 ? 12 : 15) + '" font-weight="600" fill="' +
        ink + '">' + label + "</text></svg>",
      className: "registry-map-cluster " + className, iconSize: [size, size]
    });
  }

  // A server cluster on a page that asks for its view itself (the monitoring wall, the
  // underground and resource maps): the bubble; a click zooms in two levels on it.
  function clusterMarker(map, feature, fill, ink, className) {
    var c = feature.geometry.coordinates;
    var marker = L.marker([c[1], c[0]], {
      icon: clusterIcon(feature.properties.count, fill, ink, className), title: String(feature.properties.count)
    });
    marker.on("click", function () { map.setView(marker.getLatLng(), Math.min(map.getZoom() + 2, map.getMaxZoom())); });
    return marker;
  }

  /* The point layers of the view on screen, asked again after every move or zoom.
   * options.fetch(viewQuery, abortSignal) → Promise of the answer; options.draw(answer) draws it
   * and returns true when it holds every row of the view (rows, not clusters, none cut);
   * options.failed(error) reports a failure. The loader:
   * - waits DEBOUNCE_MS after the last move, and a move that starts cancels what is pending or
   *   in flight (the request is aborted, its answer dropped): an older view never overwrites a
   *   newer one, whatever order the answers arrive in;
   * - asks nothing for a view inside the last one drawn completely (leaves an open popup open);
   * - keeps container.dataset.loaded "false" from the start of a move until the answer for the
   *   view on screen is drawn ("error" if it failed), so a script waiting for "true" sees it;
   * - starts paused: resume() after the page framed its first view (without animation — during
   *   a zoom animation Leaflet reports the old bounds and drops any other zoom asked of it).
   */
  function viewLoader(map, container, options) {
    var generation = 0;
    var timer = null;
    var controller = null;
    var covered = null;   // the bounds whose rows are all drawn
    var paused = true;
    var zooming = false;  // a zoom animation runs (Leaflet's zoomanim … zoomend)

    function cancel() {
      generation += 1;
      window.clearTimeout(timer);
      if (controller) { controller.abort(); controller = null; }
    }
    function fetchView(mine) {
      controller = new AbortController();
      var asked = map.getBounds();
      options.fetch(query(map), controller.signal).then(function (answer) {
        if (mine !== generation) { return; }
        controller = null;
        covered = options.draw(answer) ? asked : null;
        container.dataset.loaded = "true";
      }).catch(function (error) {
        if (mine !== generation) { return; }
        controller = null;
        container.dataset.loaded = "error";
        options.failed(error);
      });
    }
    function reload(delay) {
      cancel();
      var mine = generation;
      container.dataset.loaded = "false";
      if (delay) {
        timer = window.setTimeout(function () { fetchView(mine); }, delay);
      } else {
        fetchView(mine);
      }
    }

    map.on("zoomanim", function () { zooming = true; });
    map.on("zoomend", function () { zooming = false; });
    map.on("movestart", function () {
      if (paused) { return; }
      cancel();
      container.dataset.loaded = "false";
    });
    map.on("moveend", function () {
      if (paused) { return; }
      if (covered && covered.contains(map.getBounds())) {
        cancel();
        container.dataset.loaded = "true";
        return;
      }
      reload(DEBOUNCE_MS);
    });

    // Zoom in on a point; asked during a zoom animation, once it has ended (Leaflet would drop it).
    function zoomIn(latlng, levels) {
      function go() { map.setView(latlng, Math.min(map.getZoom() + levels, map.getMaxZoom())); }
      if (zooming) { map.once("moveend", go); } else { go(); }
    }

    return {
      // Outlines or filters are being (re)loaded: nothing is asked, what is in flight is dropped.
      pause: function () {
        paused = true;
        covered = null;
        cancel();
        container.dataset.loaded = "false";
      },
      // Ask for the view on screen now (or at the end of the zoom animation that runs).
      resume: function () {
        paused = false;
        covered = null;
        if (zooming) {
          cancel();
          container.dataset.loaded = "false";
        } else {
          reload(0);
        }
      },
      // A server cluster: the count in a bubble (clusterIcon); a click zooms in two levels on it.
      clusterMarker: function (feature, fill, ink, className) {
        var c = feature.geometry.coordinates;
        var marker = L.marker([c[1], c[0]], {
          icon: clusterIcon(feature.properties.count, fill, ink, className), title: String(feature.properties.count)
        });
        marker.on("click", function () { zoomIn(marker.getLatLng(), 2); });
        return marker;
      }
    };
  }

  window.CitySafeMapView = {
    query: query, escapeText: escapeText, fillViewport: fillViewport, inkFor: inkFor, clusterIcon: clusterIcon,
    clusterMarker: clusterMarker, viewLoader: viewLoader
  };
}());

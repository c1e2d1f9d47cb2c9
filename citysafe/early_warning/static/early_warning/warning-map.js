// Public warning map: the areas of the warnings on the page, coloured by level, from the
// page's json_script data (no inline script: CSP). Without JavaScript the list stays.
(function () {
  "use strict";
  var box = document.getElementById("warning-map");
  var data = document.getElementById("warning-areas");
  if (!box || !data || typeof L === "undefined") { return; }
  var areas = JSON.parse(data.textContent);
  var colours = {red: "#d7191c", orange: "#fd8d3c", yellow: "#e6c700", blue: "#2b83ba"};
  var map = L.map(box, {attributionControl: false});
  var layer = L.geoJSON(areas, {
    style: function (f) { var c = colours[f.properties.colour] || "#555"; return {color: c, fillColor: c, weight: 2, fillOpacity: 0.3}; },
    onEachFeature: function (f, l) {
      var a = document.createElement("a");
      a.href = f.properties.url; a.textContent = f.properties.headline;
      l.bindPopup(a);
    }
  }).addTo(map);
  if (areas.features.length) { map.fitBounds(layer.getBounds(), {padding: [12, 12]}); }
  else { map.setView([35.69, 103.45], 10); }
  box.setAttribute("data-loaded", "true");
})();

// Warning map: the areas of the warnings on the page, coloured by level, from the page's
// json_script data (no inline script: CSP). Without JavaScript the list stays.
// With data-base-url (staff pages) the county outline and the township outlines with their
// names are drawn under the areas, so the reader sees which townships a warning covers.
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
      if (!f.properties.url) { return; }
      var a = document.createElement("a");
      a.href = f.properties.url; a.textContent = f.properties.headline;
      l.bindPopup(a);
    }
  }).addTo(map);
  if (areas.features.length) { map.fitBounds(layer.getBounds(), {padding: [12, 12]}); }
  else { map.setView([35.69, 103.45], 10); }
  if (!box.dataset.baseUrl) { box.setAttribute("data-loaded", "true"); return; }
  map.createPane("warning-outlines").style.zIndex = 380;
  fetch(box.dataset.baseUrl, {credentials: "same-origin"}).then(function (response) {
    if (!response.ok) { throw new Error("base: HTTP " + response.status); }
    return response.json();
  }).then(function (base) {
    L.geoJSON(base, {
      pane: "warning-outlines",
      interactive: false,
      filter: function (f) { return f.properties.kind === "county" || f.properties.kind === "township"; },
      style: function (f) {
        return f.properties.kind === "county" ? {color: "#5b4a3a", weight: 3, dashArray: "8 4 2 4", fill: false}
          : {color: "#555", weight: 1, fill: false};
      },
      onEachFeature: function (f, l) {
        if (f.properties.kind === "township" && f.properties.name) {
          l.bindTooltip(f.properties.name, {permanent: true, direction: "center", className: "warning-map-label"});
        }
      }
    }).addTo(map);
    box.setAttribute("data-loaded", "true");
  }).catch(function (error) {
    box.setAttribute("data-loaded", "error");
    if (window.console) { window.console.error(error); }
  });
})();

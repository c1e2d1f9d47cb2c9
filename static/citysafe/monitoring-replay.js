/* Track replay of one vehicle (两客一危): the positions of the chosen range as a line, the
   approved route and the restricted zones beside it, and a marker moved along the track by a
   slider or by playing at a chosen rate (seconds of track per second). No inline script (CSP). */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("replay-config").textContent);
  var T = config.text;
  var mapEl = document.getElementById("replay-map");
  var map = L.map(mapEl).setView([35.66, 103.39], 11);
  if (mapEl.dataset.tileUrl) { L.tileLayer(mapEl.dataset.tileUrl, {maxZoom: 18}).addTo(map); }
  var track = config.track;   // [[t, lat, lon, speed], …]
  var slider = document.getElementById("replay-slider");
  var out = document.getElementById("replay-now");
  var button = document.getElementById("replay-play");

  config.zones.forEach(function (z) {
    var style = {color: "#D55E00", weight: 1, fillOpacity: 0.15};
    (z.polygon ? L.polygon(z.polygon.map(function (p) { return [p[1], p[0]]; }), style)
               : L.circle(z.centre, Object.assign({radius: z.radius}, style))).bindTooltip(z.name).addTo(map);
  });
  if (config.route.length > 1) {
    L.polyline(config.route, {color: "#009E73", weight: 6, opacity: 0.5}).bindTooltip(T.route).addTo(map);
  }
  if (!track.length) {
    out.textContent = T.none;
    slider.disabled = true; button.disabled = true;
    return;
  }
  var line = L.polyline(track.map(function (p) { return [p[1], p[2]]; }), {color: "#0072B2", weight: 3}).addTo(map);
  // positions over the speed limit in orange on top of the line
  if (config.limit) {
    track.forEach(function (p) {
      if (p[3] > config.limit) { L.circleMarker([p[1], p[2]], {radius: 3, color: "#E69F00", weight: 1, fillOpacity: 1}).addTo(map); }
    });
  }
  map.fitBounds(line.getBounds(), {padding: [20, 20], maxZoom: 16, animate: false});
  var marker = L.circleMarker([track[0][1], track[0][2]], {radius: 8, color: "#000", weight: 2, fillColor: "#56B4E9", fillOpacity: 1}).addTo(map);

  function stamp(t) {
    var d = new Date(t * 1000);
    return d.toLocaleString("zh-CN", {hour12: false, timeZone: "Asia/Shanghai"});
  }
  function show(i) {
    var p = track[i];
    marker.setLatLng([p[1], p[2]]);
    out.textContent = stamp(p[0]) + " · " + p[3].toFixed(1) + " " + T.speed + (config.limit && p[3] > config.limit ? "（" + T.over + "）" : "");
    out.classList.toggle("over", Boolean(config.limit && p[3] > config.limit));
  }
  slider.addEventListener("input", function () { show(Number(slider.value)); });

  var timer = null, clock = 0, last = 0;
  function step(now) {
    if (!timer) return;
    var rate = Number(document.getElementById("replay-rate").value);
    clock += (now - last) / 1000 * rate; last = now;
    var i = Number(slider.value);
    while (i < track.length - 1 && track[i + 1][0] <= clock) { i++; }
    slider.value = i; show(i);
    if (i >= track.length - 1) { stop(); return; }
    timer = requestAnimationFrame(step);
  }
  function stop() { if (timer) cancelAnimationFrame(timer); timer = null; button.textContent = T.play; }
  button.addEventListener("click", function () {
    if (timer) { stop(); return; }
    if (Number(slider.value) >= track.length - 1) { slider.value = 0; }
    clock = track[Number(slider.value)][0]; last = performance.now();
    button.textContent = T.pause;
    timer = requestAnimationFrame(step);
  });
  show(0);
})();

// Offline inspection form: a form that cannot be sent (no connection) is kept in localStorage
// under its task and client key, and sent with fetch when the browser is online again. The
// client key (random, per form) makes the server store a resent form once. Photos are not kept
// offline (localStorage holds text only); the form says so by sending without them.
(function () {
  "use strict";
  var form = document.getElementById("inspection-form");
  if (!form) return;
  var status = document.getElementById("offline-status");
  var key = document.getElementById("client-key");
  var storeKey = "citysafe.inspection." + form.dataset.task;
  key.value = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();

  function say(text) { status.hidden = false; status.textContent = text; }
  function fields() {
    var data = {};
    new FormData(form).forEach(function (value, name) { if (typeof value === "string") data[name] = value; });
    return data;
  }
  function send(data) {
    var body = new FormData();
    Object.keys(data).forEach(function (name) { body.append(name, data[name]); });
    return fetch(form.action || window.location.href, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(String(response.status)); return response; });
  }
  function flush() {
    var saved = localStorage.getItem(storeKey);
    if (!saved || !navigator.onLine) return;
    send(JSON.parse(saved)).then(function () {
      localStorage.removeItem(storeKey);
      say(status.dataset.sent);
    }).catch(function () { /* still offline: try again on the next online event */ });
  }
  form.addEventListener("submit", function (event) {
    if (navigator.onLine) return;  // normal submit
    event.preventDefault();
    localStorage.setItem(storeKey, JSON.stringify(fields()));
    say(status.dataset.saved);
  });
  window.addEventListener("online", flush);
  flush();

  var locate = document.getElementById("inspect-locate");
  locate.addEventListener("click", function () {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition(function (p) {
      document.getElementById("inspect-lon").value = p.coords.longitude.toFixed(6);
      document.getElementById("inspect-lat").value = p.coords.latitude.toFixed(6);
      document.getElementById("inspect-location").textContent = p.coords.longitude.toFixed(5) + ", " + p.coords.latitude.toFixed(5);
    });
  });
})();

// Offline inspection form: a form that cannot be sent (no connection) is kept in the browser's
// IndexedDB — its text fields and its photos as Blobs (IndexedDB stores files by structured
// clone; localStorage holds only strings, so photos were lost there) — under its task, and sent
// with fetch as multipart when the browser is online again. The client key (random, per form)
// makes the server store a resent form once. Plain IndexedDB, no library: one object store, two
// calls (put/get/delete), which a wrapper would not make shorter. A form kept by the older
// version of this script in localStorage (text only) is still sent.
(function () {
  "use strict";
  var form = document.getElementById("inspection-form");
  if (!form) return;
  var status = document.getElementById("offline-status");
  var key = document.getElementById("client-key");
  var storeKey = "citysafe.inspection." + form.dataset.task;
  var DB = "citysafe-inspections", STORE = "forms";
  key.value = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();

  function say(text) { status.hidden = false; status.textContent = text; }

  function openDb() {
    return new Promise(function (resolve, reject) {
      if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function withStore(mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = action(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request && request.result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }
  function keep(record) { return withStore("readwrite", function (s) { return s.put(record, storeKey); }); }
  function kept() { return withStore("readonly", function (s) { return s.get(storeKey); }); }
  function forget() { return withStore("readwrite", function (s) { return s.delete(storeKey); }); }

  function snapshot() {
    var record = { fields: {}, photos: [] };
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") record.fields[name] = value;
      else if (value && value.size) record.photos.push({ name: name, file: value, filename: value.name });
    });
    return record;
  }
  function send(record) {
    var body = new FormData();
    Object.keys(record.fields).forEach(function (name) { body.append(name, record.fields[name]); });
    (record.photos || []).forEach(function (p) { body.append(p.name, p.file, p.filename || "photo.jpg"); });
    return fetch(form.action || window.location.href, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error(String(response.status)); return response; });
  }
  function flushLegacy() {
    var saved = localStorage.getItem(storeKey);
    if (!saved) return Promise.resolve();
    return send({ fields: JSON.parse(saved), photos: [] }).then(function () { localStorage.removeItem(storeKey); });
  }
  function flush() {
    if (!navigator.onLine) return;
    flushLegacy().then(kept).then(function (record) {
      if (!record) return;
      return send(record).then(forget).then(function () {
        form.dataset.sent = "1";
        say(status.dataset.sent);
      });
    }).catch(function () { /* still offline: try again on the next online event */ });
  }
  form.addEventListener("submit", function (event) {
    if (navigator.onLine) return;  // normal submit
    event.preventDefault();
    var record = snapshot();
    keep(record).then(function () {
      form.dataset.kept = String(record.photos.length);
      say(status.dataset.saved);
    }).catch(function () {
      // No IndexedDB (a private window on an old browser): keep the text as before.
      localStorage.setItem(storeKey, JSON.stringify(record.fields));
      say(status.dataset.saved);
    });
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

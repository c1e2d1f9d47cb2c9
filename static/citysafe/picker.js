// Typed-ahead pickers for reference fields with thousands of targets (an owner enterprise,
// a person's enterprise): core.kinds.widgets.PickerInput. Without this script the field is a
// plain input taking the record's number; with it, a search box asks the kind's lookup
// endpoint (scoped on the server, at most 20 matches) and puts the chosen id into that input.
// Loaded as a static file (no inline script: the Content-Security-Policy forbids it).
(function () {
  "use strict";

  function setup(root) {
    var idInput = root.querySelector("input.picker-id");
    var data = root.querySelector(".picker-data");
    if (!idInput || !data || root.dataset.ready) return;
    root.dataset.ready = "1";
    var url = idInput.getAttribute("data-picker-url");
    var listId = idInput.id + "_options";

    var search = document.createElement("input");
    search.type = "search";
    search.className = "picker-search";
    search.autocomplete = "off";
    search.placeholder = data.getAttribute("data-search-label") || "";
    search.value = data.getAttribute("data-label") || (idInput.value ? "#" + idInput.value : "");
    search.setAttribute("role", "combobox");
    search.setAttribute("aria-autocomplete", "list");
    search.setAttribute("aria-expanded", "false");
    search.setAttribute("aria-controls", listId);
    // The field's <label for=…> now names the search box; the id travels in a hidden input.
    search.id = idInput.id;
    idInput.id = idInput.id + "_value";
    idInput.type = "hidden";
    var described = idInput.getAttribute("aria-describedby");
    if (described) search.setAttribute("aria-describedby", described);

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "picker-options";
    list.setAttribute("role", "listbox");
    list.hidden = true;

    var hint = root.querySelector(".picker-hint");
    if (hint) hint.hidden = true;
    root.insertBefore(search, idInput);
    root.appendChild(list);

    var timer = null;
    var active = -1;
    var asked = 0;

    function close() {
      list.hidden = true;
      search.setAttribute("aria-expanded", "false");
      search.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(item) {
      idInput.value = item.getAttribute("data-id");
      search.value = item.getAttribute("data-label");
      close();
      idInput.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function highlight(index) {
      var items = list.querySelectorAll("li[role=option]");
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
      search.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function show(payload) {
      list.textContent = "";
      payload.results.forEach(function (result, i) {
        var li = document.createElement("li");
        li.id = listId + "_" + i;
        li.setAttribute("role", "option");
        li.setAttribute("data-id", String(result.id));
        li.setAttribute("data-label", result.label);
        li.textContent = result.label;
        if (result.hint) {
          var small = document.createElement("small");
          small.textContent = result.hint;
          li.appendChild(small);
        }
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(li); });
        list.appendChild(li);
      });
      if (!payload.results.length || payload.more) {
        var note = document.createElement("li");
        note.className = "picker-note";
        note.textContent = payload.results.length ? "…" : "—";
        list.appendChild(note);
      }
      list.hidden = false;
      search.setAttribute("aria-expanded", "true");
      active = -1;
    }

    function ask() {
      var number = ++asked;
      fetch(url + "?q=" + encodeURIComponent(search.value.trim()), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : { results: [], more: false };
      }).then(function (payload) {
        if (number === asked) show(payload); // an older, slower answer never replaces a newer one
      }).catch(function () { /* offline: the list stays as it was */ });
    }

    search.addEventListener("input", function () {
      if (!search.value.trim()) idInput.value = ""; // an emptied box clears the choice
      clearTimeout(timer);
      timer = setTimeout(ask, 200);
    });
    search.addEventListener("focus", function () { if (list.hidden) ask(); });
    search.addEventListener("blur", function () { setTimeout(close, 100); });
    search.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) ask(); else highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(list.querySelectorAll("li[role=option]")[active]);
      } else if (event.key === "Escape") { close(); }
    });
  }

  function setupAll() { document.querySelectorAll("[data-picker]").forEach(setup); }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupAll);
  else setupAll();
})();

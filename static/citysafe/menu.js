// The page header (templates/base.html): on phones (<= 768 px), and wherever the one-line header
// would not fit (long English labels on a tablet), it turns compact: a 菜单 button opens and
// closes the panel holding the nav and the user links, keeping aria-expanded in step; Escape
// closes it. Measuring the header is why this is script, not a fixed CSS breakpoint; a separate
// file because the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var PHONE = "(max-width: 768px)";

  function setUp() {
    document.documentElement.classList.remove("no-js");
    var header = document.getElementById("topbar");
    var button = header && header.querySelector(".menu-toggle");
    if (!button) return;

    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    }

    function fit() {
      var wasCompact = header.classList.contains("compact");
      header.classList.remove("compact");
      var compact = window.matchMedia(PHONE).matches || header.scrollWidth > header.clientWidth;
      header.classList.toggle("compact", compact);
      if (!compact && wasCompact) setOpen(false);
      // Full-height pages (the map) size themselves below the header: tell them it changed.
      if (compact !== wasCompact) window.dispatchEvent(new CustomEvent("citysafe:header-fit"));
    }

    var pending = false;
    window.addEventListener("resize", function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; fit(); });
    });
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
    // Nav groups (core.nav): a click opens one menu and closes the others; a click elsewhere or
    // Escape closes it. In the compact panel every group is listed open (CSS), so clicks there
    // change nothing visible.
    var groups = Array.prototype.slice.call(header.querySelectorAll(".nav-group"));
    function closeGroups(except) {
      groups.forEach(function (group) {
        if (group === except) return;
        group.classList.remove("open");
        group.querySelector(".nav-group-toggle").setAttribute("aria-expanded", "false");
      });
    }
    groups.forEach(function (group) {
      var toggle = group.querySelector(".nav-group-toggle");
      toggle.addEventListener("click", function () {
        var open = !group.classList.contains("open");
        closeGroups(group);
        group.classList.toggle("open", open);
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest(".nav-group")) closeGroups(null);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") closeGroups(null);
    });
    fit();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();

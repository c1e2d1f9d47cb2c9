// The page header (templates/base.html): on phones (<= 768 px), and wherever the one-line header
// would not fit (long English labels on a tablet), it turns compact: a 菜单 button opens and
// closes the panel holding the nav and the user links, keeping aria-expanded in step; Escape
// closes it. Measuring the header is why this is script, not a fixed CSS breakpoint; a separate
// file because the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var PHONE = "(max-width: 768px)";

  function setUp() {
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
    fit();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();

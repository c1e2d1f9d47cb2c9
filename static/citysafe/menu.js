// The phone header's menu button (templates/base.html): opens and closes the panel holding the
// nav and the user links, keeping aria-expanded in step; Escape closes it. A separate file
// because the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  function setUp() {
    var button = document.querySelector(".topbar .menu-toggle");
    var header = document.getElementById("topbar");
    if (!button || !header) return;
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      header.classList.toggle("menu-open", open);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();

// A table wider than a phone's screen scrolls inside its own box (kense.css); such a box must
// be reachable and scrollable from the keyboard too (WCAG 2.1.1; axe: scrollable-region-
// focusable), so a table that overflows is made focusable, and named by its caption or the
// heading above it.
(function () {
  "use strict";

  function reach(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("main table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        if (!table.hasAttribute("tabindex")) table.setAttribute("tabindex", "0");
      } else if (table.getAttribute("tabindex") === "0") {
        table.removeAttribute("tabindex");
      }
    });
  }

  function everywhere() {
    reach(document);
  }

  document.addEventListener("DOMContentLoaded", everywhere);
  window.addEventListener("resize", everywhere);
  document.addEventListener("htmx:load", function (event) {
    reach(event.detail.elt);
  });
})();

// The header's "Menu" button on a narrow screen: it shows and hides the navigation panel
// (kense.css folds the panel only when this script has run, so without it the menu stays open).
// Loaded in <head> without defer, so that a phone draws the page with the menu already folded.
document.documentElement.classList.add("js");

function kenseMenu(button, open) {
  button.setAttribute("aria-expanded", open ? "true" : "false");
  document.getElementById(button.getAttribute("aria-controls")).classList.toggle("open", open);
}

document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-menu-toggle]");
  if (button) {
    kenseMenu(button, button.getAttribute("aria-expanded") !== "true");
  }
});

document.addEventListener("keydown", function (event) {
  var button = document.querySelector("[data-menu-toggle][aria-expanded=true]");
  if (event.key === "Escape" && button) {
    kenseMenu(button, false);
    button.focus();
  }
});

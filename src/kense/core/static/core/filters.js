// On a phone a list's filter form (form.filters) would fill the first screen and push the
// list below it, so it folds behind one button that says how many filters are set
// («Сүзгілер (2)»); the button's word comes from the form's data-fold-label, in the page's
// language. A wider screen always shows the form (kense.css).
(function () {
  "use strict";

  function setCount(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      if (!field.name || field.type === "submit" || field.type === "button" || field.type === "hidden") {
        return false;
      }
      if (field.type === "checkbox" || field.type === "radio") return field.checked;
      return field.value !== "";
    }).length;
  }

  function fold(form) {
    if (form.dataset.folded || !form.dataset.foldLabel) return;
    form.dataset.folded = "1";
    var set = setCount(form);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary filters-toggle";
    button.textContent = form.dataset.foldLabel + (set ? " (" + set + ")" : "");
    button.setAttribute("aria-expanded", "false");
    if (form.id) button.setAttribute("aria-controls", form.id);
    form.classList.add("folded");
    button.addEventListener("click", function () {
      var open = form.classList.toggle("folded") === false;
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    form.parentNode.insertBefore(button, form);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.matchMedia("(max-width: 800px)").matches) return;
    document.querySelectorAll("form.filters").forEach(fold);
  });
})();

// Searchable multi-selects: every <select multiple data-multi-search> (kense.core.forms
// FastSelectMultiple) becomes a tom-select box (vendor/tom-select, from npm) that finds a choice
// as one types and shows the chosen ones as removable chips. The select stays in the form and
// posts the same values; without this script it is the plain select. Its words come from the
// select's data-* attributes, translated by the server.
(function () {
  "use strict";

  function enhance(root) {
    if (typeof window.TomSelect !== "function" || !root.querySelectorAll) return;
    root.querySelectorAll("select[multiple][data-multi-search]").forEach(function (select) {
      if (select.tomselect) return;
      var words = select.dataset;
      // tom-select hands the select's <label> to its own search box; the select, kept for the
      // form, keeps the label's words as its name.
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      if (label && !select.hasAttribute("aria-label")) {
        select.setAttribute("aria-label", label.textContent.trim());
      }
      new window.TomSelect(select, {
        plugins: { remove_button: { title: words.remove || "" } },
        placeholder: words.placeholder || "",
        maxOptions: 1000,
        hidePlaceholder: true,
        // A chosen one clears the search, ready for the next name.
        onItemAdd: function () {
          this.setTextboxValue("");
          this.refreshOptions(false);
        },
        render: {
          no_results: function (_data, escape) {
            return '<div class="no-results">' + escape(words.noResults || "") + "</div>";
          },
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
  });
  // Forms that HTMX swaps in (a partial) get the same widget.
  document.addEventListener("htmx:load", function (event) {
    enhance(event.detail.elt);
  });
})();

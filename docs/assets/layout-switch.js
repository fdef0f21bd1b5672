// The layout switch: show the numerator, denominator and mixed columns side by side, or one
// alone. The choice is kept in localStorage and applied on every page load, including the
// loads of Material's instant navigation (document$).
(function () {
  "use strict";
  var KEY = "mcr-layout";
  var LAYOUTS = ["numerator", "denominator", "mixed"];

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return LAYOUTS.indexOf(value) >= 0 ? value : "all";
    } catch (e) {
      return "all";
    }
  }

  function store(value) {
    try {
      window.localStorage.setItem(KEY, value);
    } catch (e) { /* private mode: the choice lasts for this page only */ }
  }

  function apply(choice) {
    // Table columns whose header names a layout (the first word, case-insensitive).
    document.querySelectorAll(".mcr-layouts table").forEach(function (table) {
      table.querySelectorAll("thead th").forEach(function (th, column) {
        var layout = (th.textContent || "").trim().split(/\s+/)[0].toLowerCase();
        if (LAYOUTS.indexOf(layout) < 0) return;
        var hide = choice !== "all" && choice !== layout;
        table.querySelectorAll("tr").forEach(function (row) {
          var cell = row.children[column];
          if (cell) cell.hidden = hide;
        });
      });
    });
    // Blocks about one layout.
    document.querySelectorAll("[data-mcr-layout]").forEach(function (block) {
      var layout = block.getAttribute("data-mcr-layout");
      block.hidden = choice !== "all" && choice !== layout;
    });
    document.querySelectorAll("[data-mcr-show]").forEach(function (button) {
      var on = button.getAttribute("data-mcr-show") === choice;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.classList.toggle("md-button--primary", on);
    });
  }

  function setup() {
    document.querySelectorAll("[data-mcr-show]").forEach(function (button) {
      button.addEventListener("click", function () {
        var choice = button.getAttribute("data-mcr-show");
        store(choice);
        apply(choice);
      });
    });
    apply(stored());
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(setup);
  } else {
    document.addEventListener("DOMContentLoaded", setup);
  }
})();

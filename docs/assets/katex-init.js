// Typesets every formula with the vendored KaTeX (assets/katex/). Formulas are the elements
// that pymdownx.arithmatex (generic mode) marks with the class "arithmatex": a span holding
// \(...\) or a div holding \[...\]. overrides/main.html loads KaTeX with the page's styles
// and this script right after the page content, before Material's script: the formulas are
// typeset as soon as they are parsed, without waiting for Material, and the browser does not
// lay out their TeX source first. The pages that Material's instant navigation loads
// (document$) are typeset when they arrive.
(function () {
  "use strict";
  var AUTO_RENDER = {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true }
    ],
    throwOnError: false
  };

  // A formula that occurs again (the same form in two layouts, the same condition in many
  // rows) is copied from its first rendering: cloning nodes is far cheaper than typesetting.
  var rendered = new Map();

  // Whether el held a formula and now holds it typeset.
  function typesetOne(el) {
    if (el.querySelector(".katex, .katex-error")) return false;     // typeset already
    var source = el.textContent.trim();
    var done = rendered.get(source);
    if (done) {
      el.replaceChildren(done.cloneNode(true));
      return true;
    }
    var display = source.slice(0, 2) === "\\[";
    if (!display && source.slice(0, 2) !== "\\(") return false;  // not a formula we wrote
    katex.render(source.slice(2, -2), el, { displayMode: display, throwOnError: false });
    if (el.childNodes.length === 1 && el.firstChild.nodeType === 1) {
      rendered.set(source, el.firstChild.cloneNode(true));
    }
    return true;
  }

  // Returns how many formulas it typeset.
  function typeset(root) {
    var count = 0;
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      if (typesetOne(el)) count += 1;
    });
    return count;
  }

  // Search results are drawn from the page text, formulas included: typeset them too.
  function watchSearch() {
    var list = document.querySelector(".md-search-result__list");
    if (!list || list.dataset.mcrTypeset || typeof renderMathInElement === "undefined") return;
    list.dataset.mcrTypeset = "1";
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) renderMathInElement(node, AUTO_RENDER);
        });
      });
    }).observe(list, { childList: true, subtree: true });
  }

  function run() {
    var start = performance.now();
    var count = typeset(document);
    // when this page's formulas were all typeset, and how long that took (make bench reads it)
    if (count || !window.mcrTypeset) {
      window.mcrTypeset = { start: start, end: performance.now(), count: count };
    }
  }

  run();
  document.addEventListener("DOMContentLoaded", function () {
    watchSearch();
    if (typeof document$ !== "undefined") document$.subscribe(run);
  });
})();

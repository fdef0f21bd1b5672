// Typesets every formula with the vendored KaTeX (assets/katex/), after each page load,
// including the loads of Material's instant navigation (document$). Formulas are the
// elements that pymdownx.arithmatex (generic mode) marks with the class "arithmatex".
(function () {
  "use strict";
  var OPTIONS = {
    delimiters: [
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true }
    ],
    throwOnError: false
  };

  // A formula that occurs again (the same form in two layouts, the same condition in many
  // rows) is copied from its first rendering: cloning nodes is far cheaper than typesetting.
  var rendered = new Map();

  function typeset(root) {
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      var tex = el.textContent;
      var done = rendered.get(tex);
      if (done) {
        el.replaceChildren(done.cloneNode(true));
        return;
      }
      renderMathInElement(el, OPTIONS);
      if (el.childNodes.length === 1 && el.firstChild.nodeType === 1) {
        rendered.set(tex, el.firstChild.cloneNode(true));
      }
    });
  }

  // Search results are drawn from the page text, formulas included: typeset them too.
  function watchSearch() {
    var list = document.querySelector(".md-search-result__list");
    if (!list || list.dataset.mcrTypeset) return;
    list.dataset.mcrTypeset = "1";
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        record.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) renderMathInElement(node, OPTIONS);
        });
      });
    }).observe(list, { childList: true, subtree: true });
  }

  function run() {
    var start = performance.now();
    typeset(document);
    watchSearch();
    // when this page's formulas were all typeset, and how long that took (make bench reads it)
    window.mcrTypeset = { start: start, end: performance.now() };
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(run);
  } else {
    document.addEventListener("DOMContentLoaded", run);
  }
})();

// MathJax 3 configuration; it must load before MathJax itself (see mkdocs.yml).
// pymdownx.arithmatex (generic mode) wraps math in \( \) and \[ \] inside elements of
// class "arithmatex"; notebook pages put Markdown cells in "jp-RenderedMarkdown".
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
    tags: "none",
  },
  options: {
    ignoreHtmlClass: ".+",
    processHtmlClass: "arithmatex|jp-RenderedMarkdown",
  },
};

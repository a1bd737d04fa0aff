// MathJax 3 configuration; it must load before MathJax itself (see mkdocs.yml).
// pymdownx.arithmatex (generic mode) wraps math in \( \) and \[ \] inside elements of
// class "arithmatex"; notebook pages put Markdown cells, where math is written between
// $ signs, in "jp-RenderedMarkdown". Nothing outside those two classes is typeset, so a
// dollar sign in ordinary prose stays a dollar sign.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
    tags: "none",
  },
  options: {
    ignoreHtmlClass: ".+",
    processHtmlClass: "arithmatex|jp-RenderedMarkdown",
  },
};

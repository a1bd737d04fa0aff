// MathJax 3 (TeX in, CommonHTML out, assistive MathML) inside mini-racer's V8, driven
// by hooks/build_math/renderer.py. MathJax's node-main.js expects Node's `require`,
// `exports` and `__dirname`; here `require` evaluates the component files that Python
// put into `__sources` beforehand, so nothing is read from disk or the network.
var exports = {};
var __dirname = "/mathjax";
var __path = {
  basename: p => p.split("/").pop(),
  dirname: p => p.split("/").slice(0, -1).join("/"),
  resolve: (...parts) => parts.join("/"),
};
function require(name) {
  if (name === "path") return __path;
  const source = __sources[name] || __sources[name + ".js"];
  if (source === undefined) {
    throw new Error("MathJax asked for a file the build renderer lacks: " + name);
  }
  (0, eval)(source);
  return {};
}
var MathJax = {
  loader: {load: ["adaptors/liteDOM", "input/tex", "output/chtml", "a11y/assistive-mml"]},
  // A TeX error fails the build instead of showing red text on the page.
  tex: Object.assign({}, __options.tex, {formatError: (jax, error) => { throw error; }}),
  chtml: __options.chtml,
  startup: {typeset: false},
};

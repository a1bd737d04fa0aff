// Called from Python once MathJax is ready (see render.js for how it is loaded).
var __baseRules = null;

// The rules of MathJax's current stylesheet, each as one string.
function __rules() {
  const css = MathJax.startup.adaptor.textContent(MathJax.chtmlStylesheet());
  // MathJax writes one rule per paragraph; a glyph rule may hold "{" (`content: "{"`)
  return css.split(/\n\s*\n/).map(rule => rule.trim()).filter(rule => rule);
}

// Typeset one formula alone: its markup, and the stylesheet rules it needs beyond the
// rules every page has, as JSON; a TeX error gives {"error": MathJax's message}.
function typeset(tex, display) {
  const output = MathJax.startup.output;
  if (__baseRules === null) {
    output.clearCache();
    __baseRules = __rules();
  }
  output.clearCache();
  MathJax.texReset();
  return MathJax.tex2chtmlPromise(tex, {display}).then(node => {
    const base = new Set(__baseRules);
    return JSON.stringify({
      html: MathJax.startup.adaptor.outerHTML(node),
      rules: __rules().filter(rule => !base.has(rule)),
    });
  }).catch(error => JSON.stringify({error: String(error && error.message || error)}));
}

function baseRules() {
  if (__baseRules === null) {
    MathJax.startup.output.clearCache();
    __baseRules = __rules();
  }
  return __baseRules;
}

// The stylesheet MathJax makes for several formulas typeset together, as it would for a
// whole page in the browser (the tests compare it with the union of `typeset`'s rules).
function typesetTogether(formulas) {
  const output = MathJax.startup.output;
  output.clearCache();
  MathJax.texReset();
  let done = Promise.resolve();
  for (const [tex, display] of formulas) {
    done = done.then(() => MathJax.tex2chtmlPromise(tex, {display}));
  }
  return done.then(() => JSON.stringify(__rules()));
}

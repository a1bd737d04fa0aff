// The twin pages share their heading anchors, so the language switch keeps the
// reader's place: add the current fragment (#result) to the link when it is followed.
document.addEventListener("click", event => {
  const link = event.target.closest(".md-select__link[hreflang]")
  if (link && location.hash && !link.hash) {
    link.hash = location.hash
  }
}, true)

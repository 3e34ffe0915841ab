// The toolbar for highlighting in the readable copy: select words, pick a
// color, then a note and tags, and Save. It is the page's own form
// (#new-highlight, with its CSRF token), shown beside the selection; the
// selection's quote and context are filled in as it is made, since clicking
// into the toolbar moves the selection. Saving posts the form and comes back
// to the copy, the new highlight drawn. Nothing typed is read back into HTML.

export function offerHighlighting(form, root, selectedSelector) {
  const details = form.querySelector(".details");
  document.body.append(form); // positioned against the page, not an ancestor

  function hide() {
    form.hidden = true;
    form.reset();
    details.hidden = true;
  }

  function showAt(range, { quote }) {
    for (const name of ["exact", "prefix", "suffix"]) form.elements[name].value = quote[name];
    form.hidden = false; // first, so that it has a width
    const box = range.getBoundingClientRect();
    const left = Math.max(8, Math.min(box.left, document.documentElement.clientWidth - form.offsetWidth - 8));
    form.style.top = `${box.bottom + window.scrollY + 6}px`;
    form.style.left = `${left + window.scrollX}px`;
  }

  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (form.contains(document.activeElement) || form.contains(selection.anchorNode)) return;
    const range = selection.rangeCount ? selection.getRangeAt(0) : null;
    const selector = range && root.contains(range.commonAncestorContainer) ? selectedSelector() : null;
    if (!selector) {
      if (details.hidden) hide(); // a note being typed is kept until Escape or a click away
      return;
    }
    form.reset();
    details.hidden = true;
    showAt(range, selector);
  });
  form.addEventListener("change", (event) => {
    if (event.target.name !== "color") return;
    details.hidden = false;
    form.elements.note.focus();
  });
  document.addEventListener("keydown", (event) => { if (event.key === "Escape" && !form.hidden) hide(); });
  document.addEventListener("pointerdown", (event) => {
    if (!form.hidden && !form.contains(event.target) && !root.contains(event.target)) hide();
  });
}

// Runs at document_start, before any of the page's scripts, and registers
// the first capturing listeners on the window: so they hear a key typed in
// the toolbar's note and tags before any listener of the page can, and stop
// it there (stopImmediatePropagation; the key still types, as stopping an
// event does not cancel its default action). The toolbar (toolbar.js, in
// the same isolated world, which the page cannot see) tells the guard its
// host and gets the keys itself.

const GUARDED = ["keydown", "keyup", "keypress", "beforeinput", "input", "textInput", "compositionstart",
  "compositionupdate", "compositionend", "paste", "copy", "cut", "focusin", "focusout", "focus", "blur", "select"];

const guard = { host: null, onKey: null };
globalThis.marginsGuard = guard;

for (const type of GUARDED) {
  window.addEventListener(type, (event) => {
    if (!guard.host || event.composedPath()[0] !== guard.host) return;
    event.stopImmediatePropagation();
    if (type === "keydown") guard.onKey?.(event);
  }, true);
}

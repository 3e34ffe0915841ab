// The toolbar's work on one highlight at a time, the same on web pages and in
// the PDF viewer: a selection picked into a new highlight, the toolbar opened
// on a clicked highlight, its color, note and tags changed, its link copied,
// and a delete that can be undone.
//
// The caller says where its highlights and toolbar are (`parts()`: null once
// stopped), how a highlight is made from a range and saved, what its link is,
// and whether a highlight brought back by undo is still on this page.

import { ask } from "../platform.js";

const UNDO_MS = 8000;

export function createEditing({ parts, create, save, linkOf, rectOf, stillHere = () => true }) {
  let selectionRange = null; // the selection the toolbar was opened for
  let currentId = null; // the highlight the toolbar edits

  function openFor(id, focus) {
    const { highlights, toolbar } = parts();
    const range = highlights.rangeOf(id);
    if (!range) return;
    currentId = id;
    toolbar.showForHighlight(rectOf(range), highlights.get(id), { focus });
  }

  function change(fields) {
    const { highlights } = parts();
    const highlight = { ...highlights.get(currentId), ...fields };
    highlights.upsert(highlight);
    save(highlight);
  }

  function remove() {
    const { highlights, toolbar } = parts();
    const removed = highlights.get(currentId);
    currentId = null;
    toolbar.hide();
    highlights.remove(removed.id);
    ask({ type: "delete", id: removed.id, url: removed.url });
    // Undo brings back the same highlight: id, note, tags, color; the server revives it on the PUT.
    toolbar.toast("Highlight deleted.", "Undo", () => {
      if (stillHere(removed)) parts()?.highlights.upsert(removed);
      save(removed);
    }, UNDO_MS);
  }

  const handlers = {
    onPick(color, focus) {
      const created = selectionRange && create(color, selectionRange);
      selectionRange = null;
      if (created) openFor(created.id, focus);
      else parts().toolbar.hide();
    },
    onColor: (color) => change({ color }),
    onSave: (fields) => change(fields),
    async onCopyLink() {
      const link = linkOf(currentId);
      try {
        await navigator.clipboard.writeText(link);
        parts().toolbar.flash("Link copied.");
      } catch {
        parts().toolbar.flash(link); // no clipboard access here: show it to copy by hand
      }
    },
    onDelete: remove,
  };

  return {
    handlers,
    openFor,
    // A trusted click or selection at (x, y): the toolbar for the selected range, or for the highlight hit.
    pointerUp(range, x, y) {
      const { highlights, toolbar } = parts();
      if (range) {
        selectionRange = range;
        currentId = null;
        toolbar.showForSelection(rectOf(range));
        return;
      }
      const id = highlights.hitTest(x, y);
      if (id) openFor(id);
      else if (toolbar.isOpen()) toolbar.hide();
    },
    reset() {
      selectionRange = null;
      currentId = null;
    },
  };
}

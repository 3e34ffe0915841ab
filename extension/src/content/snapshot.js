// The page's HTML as the browser has it now, without scripts, event-handler
// attributes, or anything of Margins' own: the snapshot the server cleans.
// An open shadow root's content stands in its host's place (slots filled), so
// a web component's text is in the snapshot as it is on the page.
export function snapshotHtml(document) {
  const clone = document.documentElement.cloneNode(true);
  inlineShadowRoots(document.documentElement, clone);
  clone.querySelectorAll("script, [data-margins-ui]").forEach((element) => element.remove());
  clone.querySelectorAll("mark[data-margins-id]").forEach((mark) => mark.replaceWith(...mark.childNodes));
  for (const element of clone.querySelectorAll("*")) {
    for (const name of element.getAttributeNames()) {
      if (name.startsWith("on")) element.removeAttribute(name);
    }
  }
  const doctype = document.doctype ? `<!doctype ${document.doctype.name}>\n` : "";
  return doctype + clone.outerHTML;
}

// `clone` is a deep clone of `root`: its elements in the same order.
function inlineShadowRoots(root, clone) {
  const originals = [...root.querySelectorAll("*")];
  if (!originals.some((element) => element.shadowRoot)) return;
  const copies = [...clone.querySelectorAll("*")];
  originals.forEach((element, i) => {
    // (a host inside another's copy is copied with it)
    if (element.shadowRoot && clone.contains(copies[i])) copies[i].replaceWith(composedCopy(element));
  });
}

// A copy of `node` in the composed tree: open shadow roots' content for their
// hosts' children, a slot's assigned nodes for the slot.
function composedCopy(node) {
  const assigned = node.nodeName === "SLOT" ? node.assignedNodes() : [];
  if (assigned.length) {
    const fragment = node.ownerDocument.createDocumentFragment();
    fragment.append(...assigned.map(composedCopy));
    return fragment;
  }
  const copy = node.cloneNode(false);
  for (const child of (node.shadowRoot ?? node).childNodes) copy.append(composedCopy(child));
  return copy;
}

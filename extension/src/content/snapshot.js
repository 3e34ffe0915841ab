// The page's HTML as the browser has it now, without scripts, event-handler
// attributes, or anything of Margins' own: the snapshot the server cleans.
export function snapshotHtml(document) {
  const clone = document.documentElement.cloneNode(true);
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

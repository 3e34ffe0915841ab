// The viewer's bar: page number and count, previous and next, zoom, find in
// the document, a status line, and the way back to the browser's own viewer.
//
//   createControls(document, {onPage(n), onZoom(factor), onFind(query, backwards), onBrowserViewer()?})
//     -> {setPage(n, count), status(text)}

export function createControls(document, handlers) {
  const $ = (id) => document.getElementById(id);
  $("prev").onclick = () => handlers.onPage(Number($("page").value) - 1);
  $("next").onclick = () => handlers.onPage(Number($("page").value) + 1);
  $("page").onchange = () => handlers.onPage(Number($("page").value));
  $("zoom-in").onclick = () => handlers.onZoom(1.25);
  $("zoom-out").onclick = () => handlers.onZoom(0.8);
  $("find").onkeydown = (event) => {
    if (event.key === "Enter") handlers.onFind($("find").value, event.shiftKey);
  };
  if (handlers.onBrowserViewer) $("browser-viewer").onclick = () => handlers.onBrowserViewer();
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key === "f") {
      event.preventDefault();
      $("find").focus();
    } else if ((event.ctrlKey || event.metaKey) && (event.key === "+" || event.key === "=" || event.key === "-")) {
      event.preventDefault();
      handlers.onZoom(event.key === "-" ? 0.8 : 1.25);
    }
  });
  return {
    setPage(number, count) {
      if (document.activeElement !== $("page")) $("page").value = String(number);
      $("count").textContent = `of ${count}`;
    },
    status(text) {
      $("status").textContent = text ?? "";
      $("status").hidden = !text;
    },
  };
}

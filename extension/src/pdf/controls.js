// The viewer's bar: page number and count, previous and next, zoom, find in
// the document, a status line, and the way back to the browser's own viewer.
//
//   createControls(document, {onPage(n), onZoom(factor), onFind(query, backwards), onBrowserViewer()?})
//     -> {setPage(n, count), status(text)}
//   followViewer(window, viewer, controls)   the page number follows the scrolling; #page=N goes there

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

export function followViewer(window, viewer, controls) {
  const onScroll = () => controls.setPage(viewer.current(), viewer.count);
  window.addEventListener("scroll", onScroll, { passive: true });
  onScroll();
  const toWanted = () => {
    const wanted = Number(/#page=(\d+)/.exec(window.location.hash)?.[1]);
    if (wanted) viewer.goTo(wanted);
  };
  window.addEventListener("hashchange", toWanted);
  toWanted();
}

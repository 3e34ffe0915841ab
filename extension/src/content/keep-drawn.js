// Keeps the page's highlights drawn while the page rewrites itself, at a
// bounded cost. page-highlights.js re-anchors once the page's text changed
// and then stayed still for a moment; two cases slip past that, and are
// caught here:
//   - a framework re-renders the same text into new nodes: the text did not
//     change, but the drawn ranges now lie in detached nodes (nothing shows);
//   - a page that never stops changing (a ticker, a live feed) never settles,
//     so late content would never be anchored: here a pass runs at the latest
//     MAX_WAIT_MS after the first change, so at most one every MAX_WAIT_MS.
// A pass re-anchors everything only when a drawn range is detached, or when
// an orphan is waiting and the page's text differs from the last pass's (a
// change of the text elsewhere does not move what is drawn).
//
// Changes inside open shadow roots count too: follow() watches the ones the
// last anchoring pass found.
//
//   keepDrawn(document, highlights) -> {follow(), stop(), stats()}
//     highlights: createPageHighlights' object; stats() -> {checks, passes, ms}

import { observeText, textOf } from "../shared/dom-text.js";

const SETTLE_MS = 400;
const MAX_WAIT_MS = 2000;

const isOurs = (node) => {
  const element = node?.nodeType === 1 ? node : node?.parentElement;
  return Boolean(element?.closest?.("[data-margins-ui], mark[data-margins-id]"));
};

export function keepDrawn(document, highlights) {
  let firstChange = null; // when the first change not looked at yet happened
  let timer = null;
  let lastText = null;
  const stats = { checks: 0, passes: 0, ms: 0 };

  const detached = () => highlights.all().some(({ id }) => {
    const range = highlights.status(id) !== "orphan" && highlights.rangeOf(id);
    return range && !(range.startContainer.isConnected && range.endContainer.isConnected);
  });

  const look = (forced) => {
    timer = null;
    firstChange = null;
    if (!highlights.all().length) return;
    const started = performance.now();
    stats.checks++;
    // Settled changes of the text are page-highlights' own job; a forced look takes them too.
    let changed = false;
    if (forced && highlights.all().some(({ id }) => highlights.status(id) === "orphan")) {
      const text = textOf(document.body).text;
      changed = text !== lastText;
      lastText = text;
    }
    if (changed || detached()) {
      highlights.set(highlights.all());
      stats.passes++;
    }
    stats.ms += performance.now() - started;
  };

  const observer = new MutationObserver((records) => {
    if (records.every((record) => isOurs(record.target))) return;
    const now = Date.now();
    firstChange ??= now;
    clearTimeout(timer);
    const forced = now - firstChange + SETTLE_MS >= MAX_WAIT_MS;
    timer = setTimeout(() => look(forced), forced ? Math.max(0, MAX_WAIT_MS - (now - firstChange)) : SETTLE_MS);
  });
  const follow = () => observeText(observer, { root: document.body, shadowRoots: highlights.shadowRoots() });
  follow();

  return {
    follow,
    stop() {
      observer.disconnect();
      clearTimeout(timer);
    },
    stats: () => ({ ...stats, ms: Math.round(stats.ms * 10) / 10 }),
  };
}

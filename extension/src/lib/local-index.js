// The local index of the user's highlights (docs/extension.md, "The local
// index"): a mark for every URL key that has highlights, and, for the pages
// used most recently, the copy of their highlights that drawing needs. Kept
// current from the change feed; a page load reads it and asks the server
// only for a marked page it holds no copy of. Pure.
//
//   markOf(key) -> {bucket, entry}   where a URL key's mark is kept: storage key "keys:<2 hex>",
//                                    entry the next 10 hex of a 64-bit hash of the key
//   drawable(item) -> the fields of a highlight the content script uses (no updated_at, no deleted)
//   applyFeed(pages, items, {keyOf, known}) -> {pages, added, emptied}
//       pages: {key: {highlights, pageId}}, every copy held (each one complete: all of its page's highlights)
//       items: a batch of the feed, in order; known(key): the key is marked already
//       answers the copies it changed (null: now empty), the keys with live items (to mark), and the
//       keys whose copy became empty (to unmark). A marked page without a copy gets none from the feed:
//       a copy of only its newest highlights would hide the others.
//   sizeOf(value) -> bytes of its JSON
//   toEvict(cache, budget, keep) -> [key]   least recently used copies to drop to fit the budget
//   ownerOf(base, token) -> string          whose index it is (a hash of the token, not the token)
//   COPY_BUDGET                             bytes of copies kept at most

export const COPY_BUDGET = 4 * 1024 * 1024;

// 64 bits as 16 hex: FNV-1a (32 bits) beside a multiply-and-shift hash of the same text.
function hash64(text) {
  let fnv = 0x811c9dc5;
  let mixed = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    fnv = Math.imul(fnv ^ code, 0x01000193);
    mixed = Math.imul(mixed ^ code, 0x5bd1e995);
    mixed ^= mixed >>> 15;
  }
  const hex = (value) => (value >>> 0).toString(16).padStart(8, "0");
  return hex(fnv) + hex(mixed);
}

// 48 bits: two keys share a mark once in millions of pages, which costs one request, never a wrong drawing.
export function markOf(key) {
  const hash = hash64(key);
  return { bucket: `keys:${hash.slice(0, 2)}`, entry: hash.slice(2, 12) };
}

export const ownerOf = (base, token) => `${base} ${hash64(token)}`;

const DRAWN_FIELDS = ["id", "url", "page_id", "quote", "position", "range", "color", "note", "tags", "created_at"];

export function drawable(item) {
  return Object.fromEntries(DRAWN_FIELDS.filter((name) => item[name] !== undefined).map((name) => [name, item[name]]));
}

export const sizeOf = (value) => new TextEncoder().encode(JSON.stringify(value)).length;

export function applyFeed(pages, items, { keyOf, known }) {
  const next = new Map(); // the copies changed
  const copyOf = (key) => next.get(key) ?? pages[key];
  const where = new Map();
  for (const [key, page] of Object.entries(pages)) for (const highlight of page.highlights) where.set(highlight.id, key);
  const added = new Set();
  for (const item of items) {
    const from = where.get(item.id);
    if (from !== undefined) {
      const page = copyOf(from);
      next.set(from, { ...page, highlights: page.highlights.filter((highlight) => highlight.id !== item.id) });
      where.delete(item.id);
    }
    const key = !item.deleted && item.url ? keyOf(item.url) : null;
    if (!key) continue;
    const page = copyOf(key);
    if (page || (!known(key) && !added.has(key))) {
      next.set(key, { pageId: item.page_id ?? page?.pageId ?? null, highlights: [...(page?.highlights ?? []), drawable(item)] });
      where.set(item.id, key);
    }
    added.add(key);
  }
  const emptied = new Set([...next].filter(([, page]) => page.highlights.length === 0).map(([key]) => key));
  return {
    pages: Object.fromEntries([...next].map(([key, page]) => [key, emptied.has(key) ? null : page])),
    added: new Set([...added].filter((key) => !emptied.has(key))),
    emptied,
  };
}

export function toEvict(cache, budget, keep = null) {
  let total = Object.values(cache).reduce((sum, { bytes }) => sum + bytes, 0);
  const evicted = [];
  const oldestFirst = Object.entries(cache).filter(([key]) => key !== keep).sort((a, b) => a[1].used - b[1].used);
  for (const [key, { bytes }] of oldestFirst) {
    if (total <= budget) break;
    evicted.push(key);
    total -= bytes;
  }
  return evicted;
}

// Reading order, as the server's lists and exports have it
// (server/services/filters.py reading_order): by place on the page, unplaced
// highlights (orphans here) last, ties and the unplaced by age (created_at);
// equal ones keep the order they came in. tests/fixtures/rules/reading-order.json
// holds both to it. Pure.
//
//   inReadingOrder(items) -> items, sorted; each item {start: number | null, created_at}

const placed = (item) => item.start !== null && item.start !== undefined;
const age = (item) => Date.parse(item.created_at ?? "") || 0;

export function inReadingOrder(items) {
  return [...items].sort((a, b) => (placed(b) - placed(a)) || ((a.start ?? 0) - (b.start ?? 0)) || (age(a) - age(b)));
}

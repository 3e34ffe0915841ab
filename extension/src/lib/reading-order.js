// Reading order, as the server's lists and exports have it
// (server/services/filters.py reading_order): on a PDF by page first (those
// without a page after), then by place on the page, unplaced highlights
// (orphans here) last, ties and the unplaced by age (created_at); equal ones
// keep the order they came in. tests/fixtures/rules/reading-order.json holds
// both to it. Pure.
//
//   inReadingOrder(items) -> items, sorted; each item
//     {start: number | null, page?: number | null (the first PDF page), created_at}

const known = (value) => value !== null && value !== undefined;
const age = (item) => Date.parse(item.created_at ?? "") || 0;

export function inReadingOrder(items) {
  return [...items].sort((a, b) =>
    (known(b.page) - known(a.page)) || ((a.page ?? 0) - (b.page ?? 0))
    || (known(b.start) - known(a.start)) || ((a.start ?? 0) - (b.start ?? 0)) || (age(a) - age(b)));
}

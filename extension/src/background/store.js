// What the service worker keeps in storage.local, behind one lock so that
// concurrent messages never lose each other's writes.
//   settings                 see lib/settings.js
//   queue                    see lib/queue.js
//   page:<url key>           {highlights, pageId}: a page's highlights as drawing needs them, with local
//                            changes; kept for the pages used most recently (see local-index.js)
//   index                    {owner, cursor, complete}: whose index, where in the change feed it is, and
//                            whether the first sync has gone through the whole feed
//   index:cache              {url key: {bytes, used}}: the page:<url key> copies held, for eviction
//   keys:<2 hex>             {entry: 1}: the marks of URL keys that have highlights (local-index.js markOf)
//   connection               {state, message, at}
//   rejected                 [{op, status, message}]: changes the server refused (shown in the popup)

import { api } from "../platform.js";
import { emptyQueue } from "../lib/queue.js";
import { withDefaults } from "../lib/settings.js";

let lock = Promise.resolve();

// Runs fn() alone: no other update or exclusive runs meanwhile (fn must not call them).
export function exclusive(fn) {
  const run = lock.then(fn);
  lock = run.catch(() => {});
  return run;
}

// Runs fn(values) with the current values of `keys`; what it returns is written back.
export function update(keys, fn) {
  return exclusive(async () => {
    const changes = await fn(await read(keys));
    await write(changes);
    return changes;
  });
}

// Sets the keys given a value; removes those given undefined.
export async function write(changes) {
  const entries = Object.entries(changes ?? {});
  const kept = entries.filter(([, value]) => value !== undefined);
  const removed = entries.filter(([, value]) => value === undefined).map(([key]) => key);
  if (kept.length) await api.storage.local.set(Object.fromEntries(kept));
  if (removed.length) await api.storage.local.remove(removed);
}

export async function read(keys) {
  const values = await api.storage.local.get(keys);
  return {
    ...values,
    settings: withDefaults(values.settings),
    queue: values.queue ?? emptyQueue(),
    rejected: values.rejected ?? [],
  };
}

export const pageKey = (key) => `page:${key}`;

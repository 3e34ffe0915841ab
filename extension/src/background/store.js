// What the service worker keeps in storage.local, behind one lock so that
// concurrent messages never lose each other's writes.
//   settings                 see lib/settings.js
//   queue                    see lib/queue.js
//   page:<url key>           {highlights, pageId}: the last list the server gave, with local changes
//   connection               {state, message, at}
//   rejected                 [{op, status, message}]: changes the server refused (shown in the popup)

import { api } from "../platform.js";
import { emptyQueue } from "../lib/queue.js";
import { withDefaults } from "../lib/settings.js";

let lock = Promise.resolve();

// Runs fn(values) with the current values of `keys`; what it returns is written back.
export function update(keys, fn) {
  const run = lock.then(async () => {
    const values = await read(keys);
    const changes = await fn(values);
    if (changes && Object.keys(changes).length) await api.storage.local.set(changes);
    return changes;
  });
  lock = run.catch(() => {});
  return run;
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

// The local index in storage.local (lib/local-index.js; store.js lists its
// keys): kept current from the change feed, every feedMinutes (an alarm, so
// a sleeping service worker wakes for it), when the popup opens and when the
// settings change; read on every page load.
//
//   pageHighlights(url) -> highlights   from the index at once; from the server only for a page
//                                       marked as having highlights that has no copy here (or before
//                                       the first sync has gone through the feed)
//   pollFeed(onChanged) -> Promise      follows the feed from the kept cursor (paged: the first sync
//                                       of an existing account too); onChanged(keys) for the pages it changed
//   keepSaved(highlight), keepRemoved(id, key), keepPageId(key, pageId), keepMarked(key)
//                                       this device's own changes, and what the server answered to them
//   scheduleFeed(settings), onFeedAlarm(listener)

import { oneAtATime } from "../lib/one-at-a-time.js";
import { api } from "../platform.js";
import { COPY_BUDGET, applyFeed, drawable, markOf, ownerOf, sizeOf, toEvict } from "../lib/local-index.js";
import { fetchFeed, fetchPageHighlights } from "../lib/server-api.js";
import { serverBase } from "../lib/settings.js";
import { urlKey } from "../lib/url-key.js";
import { exclusive, pageKey, read, update, write } from "./store.js";
import { connectionOf, setConnection } from "./connection.js";

const ALARM = "margins-feed";
const INDEX_KEYS = /^(index|index:cache|keys:[0-9a-f]{2}|page:.*)$/;

const ownerOfSettings = (settings) => {
  const base = serverBase(settings.serverUrl);
  return base && settings.token ? ownerOf(base, settings.token) : null;
};

// Marks and unmarks keys in their buckets (read here, so the caller needs not).
async function markChanges(marked, unmarked, values = {}) {
  const changes = {};
  const bucketOf = (name) => (changes[name] ??= { ...(values[name] ?? {}) });
  const names = [...marked, ...unmarked].map((key) => markOf(key).bucket).filter((name) => !(name in values));
  Object.assign(values, names.length ? await api.storage.local.get(names) : {});
  for (const key of marked) bucketOf(markOf(key).bucket)[markOf(key).entry] = 1;
  for (const key of unmarked) delete bucketOf(markOf(key).bucket)[markOf(key).entry];
  for (const [name, bucket] of Object.entries(changes)) if (!Object.keys(bucket).length) changes[name] = undefined;
  return changes;
}

// The copies changed (null: none any more), with the eviction they bring: storage changes.
function copyChanges(cache, pages, keep, now) {
  const next = { ...cache };
  const changes = {};
  for (const [key, page] of Object.entries(pages)) {
    changes[pageKey(key)] = page ?? undefined;
    if (page) next[key] = { bytes: sizeOf(page), used: key === keep ? now : next[key]?.used ?? now };
    else delete next[key];
  }
  for (const key of toEvict(next, COPY_BUDGET, keep)) {
    delete next[key];
    changes[pageKey(key)] = undefined;
  }
  return { ...changes, "index:cache": next };
}

async function wipe() {
  const everything = await api.storage.local.get(null);
  await api.storage.local.remove(Object.keys(everything).filter((key) => INDEX_KEYS.test(key)));
}

// One batch of the feed applied to the index, with the cursor after it.
function applyBatch(owner, batch, onChanged) {
  return exclusive(async () => {
    const { index, "index:cache": cache = {} } = await api.storage.local.get(["index", "index:cache"]);
    if (index?.owner !== owner) return false; // the settings changed meanwhile: the next poll starts again
    const liveKeys = batch.items.filter((item) => !item.deleted && item.url).map((item) => urlKey(item.url)).filter(Boolean);
    const values = await api.storage.local.get([...Object.keys(cache).map(pageKey), ...liveKeys.map((key) => markOf(key).bucket)]);
    const pages = Object.fromEntries(Object.keys(cache).filter((key) => values[pageKey(key)]).map((key) => [key, values[pageKey(key)]]));
    const known = (key) => Boolean(values[markOf(key).bucket]?.[markOf(key).entry]);
    const applied = applyFeed(pages, batch.items, { keyOf: urlKey, known });
    await write({
      ...copyChanges(cache, applied.pages, null, Date.now()),
      ...(await markChanges(applied.added, applied.emptied, values)),
      index: { owner, cursor: batch.next_cursor ?? batch.sync_cursor, complete: index.complete || !batch.next_cursor },
    });
    const changed = new Set([...Object.keys(applied.pages), ...applied.added]);
    if (changed.size) onChanged(changed);
    return true;
  });
}

async function poll(onChanged) {
  const { settings, index } = await read(["settings", "index"]);
  const owner = ownerOfSettings(settings);
  if (!owner) return;
  const base = serverBase(settings.serverUrl);
  if (index?.owner !== owner) {
    await exclusive(async () => {
      await wipe();
      await api.storage.local.set({ index: { owner, cursor: null, complete: false } });
    });
  }
  for (;;) {
    const { index: current } = await api.storage.local.get("index");
    let batch;
    try {
      batch = await fetchFeed(base, settings.token, current?.cursor ?? null);
    } catch (error) {
      return setConnection(connectionOf(error.status, base));
    }
    if (!(await applyBatch(owner, batch, onChanged)) || !batch.next_cursor) break;
  }
  await setConnection(connectionOf(200, base));
}

const pollOnce = oneAtATime((onChanged) => poll(onChanged));

export const pollFeed = (onChanged = () => {}) => pollOnce(onChanged);

// A page's list from the server, kept as its copy (or its mark dropped when it has none), unless the
// feed moved on meanwhile (the list might be older than what it brought).
async function fetchAndKeep(base, token, url, key, cursor) {
  const list = (await fetchPageHighlights(base, token, url)).map(drawable);
  await exclusive(async () => {
    const { index, "index:cache": cache = {} } = await api.storage.local.get(["index", "index:cache"]);
    if (index?.cursor !== cursor) return;
    const page = list.length ? { highlights: list, pageId: list[0].page_id ?? null } : null;
    await write({
      ...copyChanges(cache, { [key]: page }, key, Date.now()),
      ...(await markChanges(page ? [key] : [], page ? [] : [key])),
    });
  });
  return list;
}

export async function pageHighlights(url) {
  const key = urlKey(url);
  const { bucket, entry } = markOf(key);
  const values = await read(["settings", "index", bucket, pageKey(key)]);
  const owner = ownerOfSettings(values.settings);
  const copy = values[pageKey(key)];
  const ready = Boolean(owner) && values.index?.owner === owner && values.index.complete;
  if (ready && copy) {
    touch(key);
    return copy.highlights;
  }
  if (ready && !values[bucket]?.[entry]) return [];
  if (!owner) return copy?.highlights ?? [];
  const base = serverBase(values.settings.serverUrl);
  try {
    const list = await fetchAndKeep(base, values.settings.token, url, key, values.index?.cursor);
    await setConnection(connectionOf(200, base));
    return list;
  } catch (error) {
    await setConnection(connectionOf(error.status ?? 0, base));
    return copy?.highlights ?? [];
  }
}

// Marks a copy used (at most once a minute: eviction needs no finer order).
function touch(key) {
  update(["index:cache"], (values) => {
    const cache = values["index:cache"];
    const now = Date.now();
    return cache?.[key] && now - cache[key].used > 60_000 ? { "index:cache": { ...cache, [key]: { ...cache[key], used: now } } } : {};
  });
}

// This device's changes, before the server has them (the queue overlays them too): a copy held, or a
// page with no highlights yet, gets them; a marked page without a copy is fetched on its next visit.
export function keepSaved(highlight) {
  const key = urlKey(highlight.url);
  const { bucket, entry } = markOf(key);
  return exclusive(async () => {
    const values = await api.storage.local.get([pageKey(key), "index:cache", bucket]);
    const copy = values[pageKey(key)];
    const wasMarked = Boolean(values[bucket]?.[entry]);
    const marks = await markChanges([key], [], values);
    if (!copy && wasMarked) return write(marks);
    const page = copy ?? { highlights: [], pageId: null };
    const others = page.highlights.filter((item) => item.id !== highlight.id);
    const changed = { [key]: { ...page, highlights: [...others, drawable(highlight)] } };
    return write({ ...copyChanges(values["index:cache"] ?? {}, changed, key, Date.now()), ...marks });
  });
}

export function keepRemoved(id, key) {
  return exclusive(async () => {
    const { [pageKey(key)]: copy, "index:cache": cache = {} } = await api.storage.local.get([pageKey(key), "index:cache"]);
    if (!copy) return;
    const highlights = copy.highlights.filter((item) => item.id !== id);
    const page = highlights.length ? { ...copy, highlights } : null;
    await write({ ...copyChanges(cache, { [key]: page }, key, Date.now()), ...(page ? {} : await markChanges([], [key])) });
  });
}

export const keepMarked = (key) => exclusive(async () => write(await markChanges([key], [])));

export function keepPageId(key, pageId) {
  return update([pageKey(key)], (values) => (values[pageKey(key)] ? { [pageKey(key)]: { ...values[pageKey(key)], pageId } } : {}));
}

export async function scheduleFeed(settings) {
  const periodInMinutes = Math.max(0.5, Number(settings.feedMinutes) || 1);
  const alarm = await api.alarms.get(ALARM);
  if (alarm?.periodInMinutes !== periodInMinutes) api.alarms.create(ALARM, { periodInMinutes });
}

export function onFeedAlarm(listener) {
  api.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ALARM) listener();
  });
}

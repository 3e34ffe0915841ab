// Sends the queue to the server, in order, one op at a time; on no answer
// (or 5xx/429) waits with backoff, at least as long as the server's
// Retry-After asks, and tries again, also from an alarm so a sleeping service
// worker wakes up for it.

import { oneAtATime } from "../lib/one-at-a-time.js";
import { api } from "../platform.js";
import { head, outcome, retryAfterMs, retryDelay, settle } from "../lib/queue.js";
import { sendOp } from "../lib/server-api.js";
import { serverBase } from "../lib/settings.js";
import { urlKey } from "../lib/url-key.js";
import { connectionOf, setConnection } from "./connection.js";
import { keepMarked, keepPageId } from "./index.js";
import { read, update } from "./store.js";

const ALARM = "margins-retry";
let progress = () => {}; // the last flush's listener, for the flushes the retry timer starts
let attempt = 0;
let timer = null;
// Until then nothing is sent, not even when a new change or a page visit asks for a flush:
// the server's Retry-After asked for that long.
let resumeAt = 0;

function scheduleRetry(waitMs) {
  const delay = retryDelay(attempt++, waitMs);
  resumeAt = waitMs ? Date.now() + delay : 0;
  wakeIn(delay);
}

function wakeIn(delay) {
  clearTimeout(timer);
  timer = setTimeout(() => flush(progress), delay);
  api.alarms.create(ALARM, { when: Date.now() + Math.max(delay, 30_000) });
}

// What the server's answer tells the index: the page id, and the page's key when its canonical link
// made it another one (so a visit there asks the server).
async function remember(op, body) {
  if (op.kind === "put" && body?.page_id) await keepPageId(urlKey(op.url), body.page_id);
  if (op.kind === "page" && body?.url_key && body.url_key !== urlKey(op.url)) await keepMarked(body.url_key);
}

// sendOp's answer, and how long its Retry-After header (on a 429 or 503) asks to wait.
async function send(base, token, op) {
  let response = null;
  const answer = await sendOp(base, token, op, async (...args) => (response = await fetch(...args)));
  return { ...answer, waitMs: retryAfterMs(response?.headers.get("Retry-After")) };
}

async function drain(onProgress) {
  if (Date.now() < resumeAt) return wakeIn(resumeAt - Date.now());
  for (;;) {
    const { settings, queue } = await read(["settings", "queue"]);
    const op = head(queue);
    const base = serverBase(settings.serverUrl);
    if (!op || !base || !settings.token) return;
    const { status, body, waitMs } = await send(base, settings.token, op);
    const verdict = outcome(status);
    if (verdict === "retry" || verdict === "unauthorized") {
      await setConnection(connectionOf(status, base));
      if (verdict === "retry") scheduleRetry(waitMs);
      return;
    }
    attempt = 0;
    await update(["queue", "rejected"], (values) => ({
      queue: settle(values.queue, op.seq),
      ...(verdict === "rejected"
        ? { rejected: [...values.rejected, { op: { kind: op.kind, id: op.id, url: op.url }, status, message: body?.error?.message ?? `HTTP ${status}` }].slice(-50) }
        : {}),
    }));
    await remember(op, body);
    await setConnection(connectionOf(status, base));
    onProgress();
  }
}

// Starts sending (or, when already sending, makes it look again at the end).
const drainOnce = oneAtATime(() => drain(progress), () => progress());

export function flush(onProgress = progress) {
  progress = onProgress;
  return drainOnce();
}

export function onRetryAlarm(listener) {
  api.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === ALARM) listener();
  });
}

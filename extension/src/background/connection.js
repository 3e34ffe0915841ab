// What the popup shows of the connection to the server (storage.local "connection").
//
//   connectionOf(status, base) -> {state, message}   for an answer's HTTP status (0: no answer)
//   setConnection(connection)

import { update } from "./store.js";

export function connectionOf(status, base) {
  if (status === 0) return { state: "offline", message: `Cannot reach ${base}; changes wait here and are sent when it answers.` };
  if (status === 401) {
    return { state: "bad-token", message: `The server refuses the token. Make a new one in Margins under Settings → API tokens (${base}/settings) `
      + "or with .venv/bin/flask --app server tokens create NAME, and paste it in the options." };
  }
  if (status === 429) return { state: "error", message: "The server limits how fast changes are sent; they wait here and are sent when it allows." };
  if (status >= 500) return { state: "error", message: `The server answered ${status}; retrying.` };
  return { state: "ok", message: `Connected to ${base}.` };
}

export async function setConnection(connection) {
  await update([], () => ({ connection: { ...connection, at: Date.now() } }));
}

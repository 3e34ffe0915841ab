// The viewer's two calls of its own to the Margins server (highlights go
// through the service worker's queue like any page's): which library page a
// document already has, and the upload of the file, its snapshot.
//
//   knownUrl(base, token, {fingerprint, sha256}) -> url | null
//       the URL of the page that has this document (same /ID or same bytes)
//   uploadPdf(base, token, url, bytes) -> {ok, tooLarge, message}

const headers = (token) => ({ Authorization: `Bearer ${token}` });

export async function knownUrl(base, token, { fingerprint, sha256 }) {
  const query = new URLSearchParams({ sha256, ...(fingerprint ? { fingerprint } : {}) });
  const found = await fetch(`${base}/api/v1/pdfs?${query}`, { headers: headers(token) });
  if (!found.ok) return null;
  const [pdf] = (await found.json()).items;
  if (!pdf) return null;
  const page = await fetch(`${base}/api/v1/pages/${pdf.page_id}`, { headers: headers(token) });
  return page.ok ? (await page.json()).url ?? null : null;
}

export async function uploadPdf(base, token, url, bytes) {
  const answer = await fetch(`${base}/api/v1/pdfs?${new URLSearchParams({ url })}`, {
    method: "POST", headers: { ...headers(token), "Content-Type": "application/pdf" }, body: bytes,
  });
  if (answer.ok) return { ok: true };
  const message = (await answer.json().catch(() => null))?.error?.message ?? `The server answered ${answer.status}.`;
  return { ok: false, tooLarge: answer.status === 413, message };
}

export async function sha256Of(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

// The address of Margins' PDF viewer: viewer.html?file=URL, the document's URL
// after "?file=" as it is (the redirect rule puts it there unencoded). Pure.
//
//   viewerUrlOf(viewer, url) -> the viewer's address for the document at url
//   documentUrlOf(href) -> the document's URL of a viewer address | null

export const viewerUrlOf = (viewer, url) => `${viewer}?file=${url}`;

export function documentUrlOf(href) {
  const at = href.indexOf("?file=");
  if (at === -1) return null;
  const raw = href.slice(at + 6).split("#")[0];
  return /^(https?|file):/.test(raw) ? raw : decodeURIComponent(raw);
}

// The connect page (/connect#code=ABCD-EFGH): shows the code the link carries in its fragment,
// which the browser never sends to the server.

const code = new URLSearchParams(location.hash.slice(1)).get("code");
if (code) {
  document.getElementById("connect-code").textContent = code;
  document.getElementById("connect-code-box").hidden = false;
}

// Builds the extension for each browser: build/<browser>/ (load it unpacked)
// and build/margins-<browser>.zip. Usage: node build.mjs
import { build } from "esbuild";
import { zipSync } from "fflate";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { icon } from "./tools/icon.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const OUT = join(HERE, "build");
const ENTRIES = {
  "guard.js": "src/content/guard.js",
  "content.js": "src/content/main.js",
  "background.js": "src/background/main.js",
  "popup.js": "src/popup/popup.js",
  "options.js": "src/options/options.js",
  "viewer.js": "src/pdf/main.js",
};
const STATIC = ["src/popup/popup.html", "src/popup/popup.css", "src/options/options.html", "src/options/options.css",
  "src/pdf/viewer.html", "src/pdf/viewer.css", "node_modules/pdfjs-dist/build/pdf.worker.mjs"];

// Chrome ignores background.scripts with a warning and Firefox has no
// extension service workers: each gets the key it uses. The content script
// reaches about:blank and srcdoc frames through match_origin_as_fallback in
// Chrome and match_about_blank in Firefox ESR.
function manifestFor(browser) {
  const manifest = JSON.parse(readFileSync(join(HERE, "manifest.json"), "utf8"));
  if (browser === "chrome") {
    delete manifest.background.scripts;
    delete manifest.browser_specific_settings;
    for (const script of manifest.content_scripts) delete script.match_about_blank;
  } else {
    delete manifest.background.service_worker;
    for (const script of manifest.content_scripts) delete script.match_origin_as_fallback;
  }
  return manifest;
}

function filesUnder(folder) {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function buildFor(browser) {
  const folder = join(OUT, browser);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(join(folder, "icons"), { recursive: true });
  await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([out, source]) => [out.replace(/\.js$/, ""), join(HERE, source)])),
    outdir: folder,
    bundle: true,
    format: "iife",
    target: ["chrome120", "firefox128"],
    legalComments: "none",
    logLevel: "warning",
  });
  for (const file of STATIC) cpSync(join(HERE, file), join(folder, file.split("/").pop()));
  for (const size of [16, 32, 48, 128]) writeFileSync(join(folder, "icons", `${size}.png`), icon(size));
  writeFileSync(join(folder, "manifest.json"), JSON.stringify(manifestFor(browser), null, 2));
  const entries = Object.fromEntries(filesUnder(folder).map((path) => [relative(folder, path), readFileSync(path)]));
  writeFileSync(join(OUT, `margins-${browser}.zip`), zipSync(entries, { level: 9, mtime: new Date("2026-01-01T00:00:00Z") }));
  return folder;
}

// The web view's PDF page (server/web/pdf_view.py serves build/web/ at /static/pdf/).
async function buildWeb() {
  const folder = join(OUT, "web");
  rmSync(folder, { recursive: true, force: true });
  await build({
    entryPoints: { "pdf-view": join(HERE, "src/pdf/web.js") },
    outdir: folder, bundle: true, format: "iife", target: ["chrome120", "firefox128"], legalComments: "none", logLevel: "warning",
  });
  for (const file of ["src/pdf/viewer.css", "node_modules/pdfjs-dist/build/pdf.worker.mjs"]) cpSync(join(HERE, file), join(folder, file.split("/").pop()));
  return folder;
}

console.log(`web view: ${await buildWeb()}`);
for (const browser of ["chrome", "firefox"]) {
  console.log(`${browser}: ${await buildFor(browser)} (and build/margins-${browser}.zip)`);
}

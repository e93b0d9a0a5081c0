// `npm run app`: builds the static web app (app/) into dist-app/, one folder any static
// host serves: index.html, styles.css, main.js (the page), worker.js (glmkit, where every
// fit runs), plots.js (the plotting module with vega and vega-lite, imported by the worker
// on its first plot only), highs.wasm (the separation LP), sw.js + manifest (offline once loaded).
// Prints the sizes: minified, gzipped, and the wasm separately.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(root, process.env.GLMKIT_APP_OUT ?? "dist-app");
execFileSync(process.execPath, [join(root, "scripts/highs-browser.mjs")], { stdio: "inherit" });
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await esbuild.build({
  entryPoints: [join(root, "app/main.ts"), join(root, "app/worker.ts"), join(root, "app/plots.ts")],
  // keepNames: error classes keep their names (err.name, shown as the CLI shows it) through minification.
  bundle: true, platform: "browser", format: "esm", target: "es2022", minify: true, keepNames: true,
  loader: { ".csv": "text" }, outdir: out, logLevel: "warning", legalComments: "none",
});
for (const f of ["index.html", "styles.css"]) copyFileSync(join(root, "app", f), join(out, f));
copyFileSync(join(root, "vendor/highs.wasm"), join(out, "highs.wasm"));
writeFileSync(join(out, "manifest.webmanifest"), JSON.stringify({ name: "glmkit", short_name: "glmkit", start_url: "./", display: "standalone", background_color: "#ffffff", theme_color: "#1b6ca8" }, null, 2));

// The service worker: cache-first for the app's own files, versioned by their content.
const files = readdirSync(out).sort();
const hash = createHash("sha256");
for (const f of files) hash.update(f).update(readFileSync(join(out, f)));
const version = hash.digest("hex").slice(0, 12);
writeFileSync(join(out, "sw.js"), `const CACHE = "glmkit-${version}";
const FILES = ${JSON.stringify(["./", ...files.map((f) => `./${f}`)])};
self.addEventListener("install", (e) => { e.waitUntil(caches.open(CACHE).then((c) => c.addAll(FILES)).then(() => self.skipWaiting())); });
self.addEventListener("activate", (e) => { e.waitUntil(caches.keys().then((ks) => Promise.all(ks.filter((k) => k !== CACHE).map((k) => caches.delete(k)))).then(() => self.clients.claim())); });
self.addEventListener("fetch", (e) => { e.respondWith(caches.match(e.request, { ignoreSearch: true }).then((r) => r ?? fetch(e.request))); });
`);

const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`dist-app/ (${version}):`);
for (const f of readdirSync(out).sort()) {
  const bytes = readFileSync(join(out, f));
  const gz = f.endsWith(".wasm") ? gzipSync(bytes).length : gzipSync(bytes, { level: 9 }).length;
  console.log(`  ${f.padEnd(22)} ${kib(statSync(join(out, f)).size).padStart(9)}  gzip ${kib(gz).padStart(8)}`);
}

// After tsc: bundles the @stdlib packages the compiled code imports into one ESM file,
// dist/vendor/stdlib.js (esbuild, minified), and points dist/'s imports at it. stdlib
// ships each function as hundreds of tiny CommonJS files: `import("glmkit")` spent most of
// its start-up in ≈ 2,000 require() calls; one file loads several times faster. The
// sources and tests keep importing @stdlib directly. Idempotent (a rewritten file has no
// @stdlib import left).
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
const IMPORT = /^import (\w+) from "(@stdlib\/[\w-]+)";$/gm;

function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? (e.name === "vendor" ? [] : jsFiles(p)) : e.name.endsWith(".js") ? [p] : [];
  });
}

const files = jsFiles(dist).map((path) => ({ path, text: readFileSync(path, "utf8") }));
const packages = [...new Set(files.flatMap((f) => [...f.text.matchAll(IMPORT)].map((m) => m[2])))].sort();
if (packages.length > 0) {
  const id = (name) => name.replace(/^@stdlib\//, "").replace(/-/g, "_");
  const entry = packages.map((p) => `export { default as ${id(p)} } from "${p}";`).join("\n");
  mkdirSync(join(dist, "vendor"), { recursive: true });
  // platform neutral with the browser field first: polygamma's `debug` dependency takes its browser build (no tty).
  await esbuild.build({
    stdin: { contents: entry, resolveDir: root, sourcefile: "stdlib-entry.js" }, bundle: true, platform: "neutral",
    mainFields: ["browser", "module", "main"], format: "esm", minify: true, legalComments: "none",
    outfile: join(dist, "vendor", "stdlib.js"), logLevel: "warning",
  });
  for (const f of files) {
    if (!IMPORT.test(f.text)) continue;
    IMPORT.lastIndex = 0;
    let rel = relative(dirname(f.path), join(dist, "vendor", "stdlib.js")).split(sep).join("/");
    if (!rel.startsWith(".")) rel = `./${rel}`;
    writeFileSync(f.path, f.text.replace(IMPORT, (_, local, p) => `import { ${id(p)} as ${local} } from "${rel}";`));
  }
  console.log(`bundle-stdlib: ${packages.length} @stdlib packages → dist/vendor/stdlib.js`);
}

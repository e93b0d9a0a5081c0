// The measurement behind docs/plots.md's choice of plotting library: browser bundles
// (esbuild, minified, ESM, gzip -9) of the smallest code that renders one plot with each
// candidate, and what each renders for a plot with a colour legend.
//   node scripts/plots-bundle-size.mjs
import { build } from "esbuild";
import { gzipSync } from "node:zlib";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "plots-size-"));
const entries = {
  "vega-lite + vega (compile, headless View.toSVG)": `import * as vega from "vega"; import { compile } from "vega-lite";
    export const svg = (s) => new vega.View(vega.parse(compile(s).spec), { renderer: "none" }).toSVG();`,
  "Observable Plot (browser DOM)": `import * as Plot from "@observablehq/plot"; export const svg = (o) => Plot.plot(o).outerHTML;`,
  "Observable Plot + linkedom (Node, no DOM)": `import * as Plot from "@observablehq/plot"; import { parseHTML } from "linkedom";
    export const svg = (o) => Plot.plot({ ...o, document: parseHTML("<html></html>").document }).outerHTML;`,
};
const rows = [];
for (const [name, code] of Object.entries(entries)) {
  const file = join(dir, "entry.mjs");
  writeFileSync(file, code);
  const out = await build({ entryPoints: [file], bundle: true, minify: true, format: "esm", platform: "browser", write: false, logLevel: "error", nodePaths: [join(process.cwd(), "node_modules")] });
  const bytes = out.outputFiles[0].contents;
  rows.push([name, bytes.length, gzipSync(bytes, { level: 9 }).length]);
}
rmSync(dir, { recursive: true, force: true });
for (const [name, min, gz] of rows) console.log(`${name.padEnd(48)} ${(min / 1024).toFixed(0).padStart(5)} KiB min  ${(gz / 1024).toFixed(0).padStart(4)} KiB gzip`);

// Fidelity: a coloured rule per row with a legend, rendered by each.
const Plot = await import("@observablehq/plot");
const { parseHTML } = await import("linkedom");
const vega = await import("vega");
const { compile } = await import("vega-lite");
const data = [{ n: "a", m: "wald", lo: -1, hi: 2 }, { n: "a", m: "profile", lo: -1.2, hi: 3 }, { n: "b", m: "wald", lo: 0, hi: 1 }];
const el = Plot.plot({ document: parseHTML("<html></html>").document, color: { legend: true }, marks: [Plot.link(data, { x1: "lo", x2: "hi", y: "n", stroke: "m", markerEnd: "arrow" })] });
console.log(`Observable Plot with a legend returns <${el.tagName.toLowerCase()}>: legend as HTML ${el.outerHTML.includes("<div") ? "<div> swatches (not in the SVG)" : "in the SVG"}`);
const spec = { data: { values: data }, mark: "rule", encoding: { y: { field: "n" }, x: { field: "lo", type: "quantitative" }, x2: { field: "hi" }, color: { field: "m" } } };
const svg = await new vega.View(vega.parse(compile(spec).spec), { renderer: "none" }).toSVG();
console.log(`vega-lite with a legend returns <svg>: legend ${svg.includes('aria-roledescription="legend"') ? "inside the SVG" : "missing"}`);

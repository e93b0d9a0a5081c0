#!/usr/bin/env node
/**
 * Loads the kernels (src/linalg/kernels/index.ts, bundled by esbuild) in a headless
 * Chromium and checks that exp, log and log1p of assembly/math.ts (f64x2 and scalar)
 * give that browser's Math.exp/log/log1p bits on random arguments over the whole f64
 * range and on ranges of typical arguments, and that wasmMathMatchesHost() (the
 * probe the row kernels consult) says so exactly when they do. Chromium 156 computes
 * Math.exp/log/log1p differently from V8's fdlibm port, so there the functions differ
 * in the last bit on some arguments and the probe must answer false. Exit code 1 when
 * the probe disagrees with the comparison. Run by `npm test` (test/tooling/browser-kernels.test.ts).
 *
 *   node scripts/check-math-browser.mjs [/path/to/chromium] [--n 1000000]
 */
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const ni = args.indexOf("--n");
const n = ni >= 0 ? Number(args[ni + 1]) : 1_000_000;
const exe = args.find((a, i) => !a.startsWith("--") && (ni < 0 || i !== ni + 1)) ?? "/usr/bin/chromium";
const entry = fileURLToPath(new URL("../src/linalg/kernels/index.ts", import.meta.url));
const bundle = await build({ entryPoints: [entry], bundle: true, format: "iife", globalName: "K", platform: "browser", write: false });
const browser = await chromium.launch({ executablePath: exe, args: ["--no-sandbox"] });
try {
  const page = await browser.newPage();
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
  const out = await page.evaluate((n) => {
    const arena = K.KernelArena.create(K.KernelArena.bytesFor([n, n]), false);
    if (arena === null) return { wasmAvailable: false };
    const src = arena.alloc(n), dst = arena.alloc(n);
    const bits = new Uint32Array(src.buffer, src.byteOffset, 2 * n);
    let s = 2463534242;
    const u32 = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s; };
    const u = () => u32() / 2 ** 32;
    const gens = {
      exp: () => (u() * 1600 - 800) * (u32() & 1 ? 1 : 2 ** -(u32() % 60)),
      log: () => 2 ** (u() * 2098 - 1074),
      log1p: () => (u32() & 1 ? -1 : 1) * 2 ** (u() * 120 - 100),
    };
    const result = { wasmAvailable: true, probe: K.wasmMathMatchesHost() };
    for (const fn of ["exp", "log", "log1p"]) {
      const ref = Math[fn];
      let bad = 0, checked = 0, first = null;
      for (const mode of ["bits", "range"]) {
        if (mode === "bits") for (let i = 0; i < 2 * n; i++) bits[i] = u32();
        else for (let i = 0; i < n; i++) src[i] = gens[fn]();
        arena[`${fn}Into`](src, dst);
        for (let i = 0; i < n; i++) {
          const want = ref(src[i]);
          for (const got of [dst[i], i % 8 === 0 ? arena.scalarMath(fn, src[i]) : want]) {
            if (!Object.is(got, want)) { bad++; if (first === null) first = `${fn}(${src[i]}) = ${got}, Math.${fn}: ${want}`; }
          }
          checked++;
        }
      }
      result[fn] = { checked, mismatches: bad, first };
    }
    return result;
  }, n);
  console.log(`Chromium ${browser.version()}: ${JSON.stringify(out)}`);
  const match = ["exp", "log", "log1p"].every((f) => out[f].mismatches === 0);
  console.log(match ? "wasm exp/log/log1p = this browser's Math.*" : "this browser's Math.* differ from fdlibm: the probe must say false");
  if (!out.wasmAvailable || out.probe !== match) process.exitCode = 1;
} finally {
  await browser.close();
}

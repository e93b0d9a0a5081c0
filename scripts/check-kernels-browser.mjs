#!/usr/bin/env node
/**
 * Loads the dense kernels (src/linalg/kernels/index.ts, bundled by esbuild) in a
 * headless Chromium and checks that the SIMD kernels compile there and give the
 * plain loops' bits for XᵀWX and XᵀWz (and the hat values with Firth's adjustment). Run by `npm test` (test/tooling/browser-kernels.test.ts).
 *
 *   node scripts/check-kernels-browser.mjs [/path/to/chromium]
 */
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("../src/linalg/kernels/index.ts", import.meta.url));
const bundle = await build({ entryPoints: [entry], bundle: true, format: "iife", globalName: "K", platform: "browser", write: false });
const browser = await chromium.launch({ executablePath: process.argv[2] ?? "/usr/bin/chromium", args: ["--no-sandbox"] });
try {
  const page = await browser.newPage();
  await page.addScriptTag({ content: bundle.outputFiles[0].text });
  const out = await page.evaluate(() => {
    const n = 1001, p = 13;
    const X = new Float64Array(n * p).map((_, i) => Math.sin(i));
    const r = {};
    for (const kind of ["ts", "wasm"]) {
      const set = K.designKernelSet(X, n, p, { vectors: [n, n, n], helpers: 0, shared: false, kind });
      const w = set.vector(n), z = set.vector(n);
      for (let i = 0; i < n; i++) { w[i] = 1 + Math.cos(i) ** 2; z[i] = Math.cos(3 * i); }
      const A = new Float64Array(p * p), b = new Float64Array(p);
      set.main.crossprod(w, z, A, b, 0, n);
      // Hat values from the Cholesky factor of A (upper, in place), with the adjustment added to b.
      const R = Float64Array.from(A);
      for (let j = 0; j < p; j++) for (let k = j; k < p; k++) {
        let s = R[j * p + k];
        for (let m = 0; m < j; m++) s -= R[m * p + j] * R[m * p + k];
        R[j * p + k] = k === j ? Math.sqrt(s) : s / R[j * p + j];
      }
      const hat = set.vector(n), b2 = Float64Array.from(b);
      set.main.hat(R, w, z, 0.5, hat, b2, 0, n);
      r[kind] = { kind: set.kind, A: Array.from(A), b: Array.from(b), hat: Array.from(hat), b2: Array.from(b2) };
    }
    return {
      wasmAvailable: K.wasmKernelsAvailable(), sharedArenas: K.sharedArenasAvailable(), kinds: [r.ts.kind, r.wasm.kind],
      sameBits: r.ts.A.every((v, i) => Object.is(v, r.wasm.A[i])) && r.ts.b.every((v, i) => Object.is(v, r.wasm.b[i])),
      hatSameBits: r.ts.hat.every((v, i) => Object.is(v, r.wasm.hat[i])) && r.ts.b2.every((v, i) => Object.is(v, r.wasm.b2[i])),
    };
  });
  console.log(`Chromium ${browser.version()}: ${JSON.stringify(out)}`);
  if (!out.wasmAvailable || out.kinds[1] !== "wasm" || !out.sameBits || !out.hatSameBits) process.exitCode = 1;
} finally {
  await browser.close();
}

#!/usr/bin/env node
/**
 * Loads the dense kernels (src/linalg/kernels/index.ts, bundled by esbuild) in a
 * headless Chromium and checks that the SIMD kernels compile there and give the
 * plain loops' bits for XᵀWX and XᵀWz (and the hat values with Firth's adjustment), and
 * that the blocked binary-logit IRLS rows (assembly/logit-blocked.ts: fastExp, no host
 * Math.* inside the kernel, so they run in wasm in every browser) give the TypeScript
 * oracle's bits there. Run by `npm test` (test/tooling/browser-kernels.test.ts).
 *
 *   node scripts/check-kernels-browser.mjs [/path/to/chromium]
 */
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { fileURLToPath } from "node:url";

const src = (f) => JSON.stringify(fileURLToPath(new URL(`../src/${f}`, import.meta.url)));
const entry = [
  `export * from ${src("linalg/kernels/index.ts")};`,
  `export { binomialLogitBinaryRows, logitBinaryProducts } from ${src("families/logit-binary-rows.ts")};`,
  `export { refreshRows } from ${src("fit/irls-rows.ts")};`,
  `export { makeFamily } from ${src("families/index.ts")};`,
].join("\n");
const bundle = await build({
  stdin: { contents: entry, resolveDir: fileURLToPath(new URL("..", import.meta.url)), loader: "ts" },
  bundle: true, format: "iife", globalName: "K", platform: "browser", write: false,
});
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
    // The blocked binary logit: 0/1 y and weights, η on every branch (the ±30 clamps, overflow, ±0), odd n.
    const m = 2001, fam = K.makeFamily("binomial", { link: "logit" }), rk = K.binomialLogitBinaryRows;
    const EXTREME = [30, -30, 30.000000000000004, -30.000000000000004, 800, -800, 709.9, -745.2, 0, -0, 36.04, -36.04];
    const blocked = {};
    for (const kind of ["ts", "wasm"]) {
      const set = K.designKernelSet(new Float64Array(m).fill(1), m, 1, { vectors: Array.from({ length: 9 }, () => m), helpers: 0, shared: false, kind });
      const v = {
        k: set.main, X: set.main.X, p: 1, y: set.vector(m), w: set.vector(m), offset: set.vector(m), eta: set.vector(m),
        mu: set.vector(m), W: set.vector(m), z: set.vector(m), dmu: set.vector(m), rows: rk,
      };
      for (let i = 0; i < m; i++) {
        v.y[i] = Math.sin(7 * i) > 0 ? 1 : 0;
        v.w[i] = i % 11 === 0 ? 0 : 1;
        v.eta[i] = i % 5 === 0 ? EXTREME[i % EXTREME.length] : 6 * Math.sin(3.7 * i);
        v.offset[i] = Math.cos(i) / 3;
      }
      let products;
      if (kind === "wasm") products = Array.from(set.main.rowsUpdateRaw(rk.code, v, 3, m - 5).subarray(0, 10));
      else { const out = new Float64Array(10); K.logitBinaryProducts(v, 3, m - 5, out); products = Array.from(out); }
      const u = K.refreshRows(v, fam, 0, m);
      const weights = kind === "wasm" ? set.main.rowsWeights(rk.code, v, 0, m) : rk.weights(v, 0, m);
      blocked[kind] = { kind: set.kind, products, deviance: u.deviance, valid: u.valid, weights, mu: Array.from(v.mu), dmu: Array.from(v.dmu), z: Array.from(v.z), W: Array.from(v.W) };
    }
    const same = (a, b) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
    const bt = blocked.ts, bw = blocked.wasm;
    return {
      wasmAvailable: K.wasmKernelsAvailable(), sharedArenas: K.sharedArenasAvailable(), kinds: [r.ts.kind, r.wasm.kind],
      blockedKinds: [bt.kind, bw.kind],
      blockedSameBits: bw.weights !== null && same(bt.products, bw.products) && Object.is(bt.deviance, bw.deviance) && bt.valid === bw.valid &&
        JSON.stringify(bt.weights) === JSON.stringify(bw.weights) && same(bt.mu, bw.mu) && same(bt.dmu, bw.dmu) && same(bt.z, bw.z) && same(bt.W, bw.W),
      sameBits: r.ts.A.every((v, i) => Object.is(v, r.wasm.A[i])) && r.ts.b.every((v, i) => Object.is(v, r.wasm.b[i])),
      hatSameBits: r.ts.hat.every((v, i) => Object.is(v, r.wasm.hat[i])) && r.ts.b2.every((v, i) => Object.is(v, r.wasm.b2[i])),
    };
  });
  console.log(`Chromium ${browser.version()}: ${JSON.stringify(out)}`);
  if (!out.wasmAvailable || out.kinds[1] !== "wasm" || out.blockedKinds[1] !== "wasm" || !out.sameBits || !out.hatSameBits || !out.blockedSameBits) process.exitCode = 1;
} finally {
  await browser.close();
}

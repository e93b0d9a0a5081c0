/**
 * Child process of the logistic benchmark: simulates the data, fits it `reps`
 * times, writes the data for R, and prints one JSON report (times, maxRSS).
 * Arguments: n p reps seed dir [write]. Times the fits twice: on X in ordinary (shared)
 * memory, which a fit with the SIMD kernels copies into their memory (`seconds`), and
 * on the same values in a design buffer (`designBuffer`, read in place: `secondsInPlace`).
 * Also times one bare XᵀWX pass with the kernels in force (GLMKIT_KERNELS) and probes
 * this core's f64x2 peak rate.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import normalFactory from "@stdlib/random-base-normal";
import uniformFactory from "@stdlib/random-base-uniform";
import { glm } from "../models/glm.js";
import { sharedFloat64 } from "../src/linalg/parallel-crossprod.js";
import { KernelArena, designBuffer, designKernelSet, isDesignBuffer, kernelChoice } from "../src/linalg/kernels/index.js";

// RSS of the idle process (Node, the modules, the LP solver) before any data exist.
const baselineMiB = process.memoryUsage().rss / 2 ** 20;
const [n, p, reps, seed] = process.argv.slice(2, 6).map(Number) as [number, number, number, number];
const dir = process.argv[6]!;
const normal = normalFactory.factory(0, 1, { seed });
const unif = uniformFactory.factory(0, 1, { seed: seed + 1 });
const X = sharedFloat64(n * p);
const y = sharedFloat64(n);
const beta = Array.from({ length: p }, (_, j) => (j === 0 ? -0.5 : Math.sin(j)));
for (let i = 0; i < n; i++) {
  let eta = 0;
  for (let j = 0; j < p; j++) {
    const x = j === 0 ? 1 : normal();
    X[i * p + j] = x;
    eta += beta[j]! * x;
  }
  y[i] = unif() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
}
const columnNames = ["(Intercept)", ...Array.from({ length: p - 1 }, (_, j) => `x${j + 1}`)];
const seconds: number[] = [];
let deviance = Number.NaN;
let iterations = 0;
let maxRssMiB = 0;
for (let r = 0; r < reps; r++) {
  const t0 = process.hrtime.bigint();
  const fit = glm({ design: { X, y, n, p, columnNames }, family: "binomial" }).fit();
  seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
  deviance = fit.deviance;
  iterations = fit.iterations;
  // Peak of the process through the first fit: later fits add only garbage the collector has not yet taken.
  if (r === 0) maxRssMiB = process.resourceUsage().maxRSS / 1024;
}
// The same fits on the same values written into a design buffer: no copy of X per fit.
const XB = designBuffer(n, p, { shared: true });
XB.set(X);
const secondsInPlace: number[] = [];
for (let r = 0; r < reps; r++) {
  const t0 = process.hrtime.bigint();
  const fit = glm({ design: { X: XB, y, n, p, columnNames }, family: "binomial" }).fit();
  secondsInPlace.push(Number(process.hrtime.bigint() - t0) / 1e9);
  if (fit.deviance !== deviance) throw new Error(`the fit on the design buffer differs: deviance ${fit.deviance} vs ${deviance}`);
}
// One bare XᵀWX pass on this thread with the kernels in force (best of 3), and the f64x2 peak rate of this core.
const set = designKernelSet(X, n, p, { vectors: [n, n], helpers: 0, shared: false });
const w = set.vector(n), z = set.vector(n);
for (let i = 0; i < n; i++) { w[i] = 0.25; z[i] = y[i]! - 0.5; }
const A = new Float64Array(p * p), b = new Float64Array(p);
let crossprodSeconds = Infinity;
for (let r = 0; r < 3; r++) {
  const t0 = process.hrtime.bigint();
  set.main.crossprod(w, z, A, b, 0, n);
  crossprodSeconds = Math.min(crossprodSeconds, Number(process.hrtime.bigint() - t0) / 1e9);
}
const peakGflops = KernelArena.create(65536, false)?.peakGflops() ?? Number.NaN;
if (process.argv[7] === "write") {
  writeFileSync(join(dir, "X.bin"), new Uint8Array(X.buffer, X.byteOffset, X.byteLength));
  writeFileSync(join(dir, "y.bin"), new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
}
process.stdout.write(JSON.stringify({
  seconds, secondsInPlace, inPlace: isDesignBuffer(XB), iterations, deviance, maxRssMiB, baselineMiB, designMiB: X.byteLength / 2 ** 20,
  kernels: set.kind, choice: kernelChoice(), crossprodSeconds, peakGflops,
}));

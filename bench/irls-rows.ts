/**
 * Micro-benchmark of the IRLS row work (src/fit/irls-rows.ts) per 10⁶ rows, for
 * binomial-logit and poisson-log: the update (μ, deviance, validity from η) and the
 * weights (W, z, with a one-column XᵀWX), by the generic loop through the family
 * record, the family's TypeScript row kernel (src/families/row-kernels.ts) and its
 * wasm SIMD version (assembly/irls-rows.ts); with the floor of the update, one
 * f64x2 exp and one log pass (assembly/math.ts) over the same rows; for binomial-logit also the
 * blocked binary kernel (src/families/logit-binary-rows.ts, assembly/logit-blocked.ts). No R: there is
 * no R counterpart of these loops alone (`npm run bench -- logistic` compares fits).
 *
 *   npm run bench -- irls-rows [--n 1000000]
 */
import { designKernelSet, KernelArena, useKernels, wasmKernelsAvailable } from "../src/linalg/kernels/index.js";
import { makeFamily } from "../src/families/index.js";
import { refreshRows, useRowKernels, weightRows, type RowBuffers } from "../src/fit/irls-rows.js";
import type { Family } from "../src/types.js";
import { fitNegbin } from "../src/fit/negbin.js";
import { maxRelativeError, rAvailable, rReadData, runR, sameNumbers, withRData } from "./r-data.js";
import { standardNormalFrom, uniformStream } from "../src/util/rng.js";
import { binomialLogitBinaryRows } from "../src/families/logit-binary-rows.js";

/** Best of seven runs of `f`, in ms. */
function best(f: () => void): number {
  let b = Infinity;
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    f();
    b = Math.min(b, performance.now() - t0);
  }
  return b;
}

function buffers(fam: Family, n: number, kind: "ts" | "wasm", rows: boolean, blocked = false): RowBuffers {
  const X = new Float64Array(n).fill(1);
  const set = designKernelSet(X, n, 1, { vectors: Array.from({ length: 9 }, () => n), helpers: 0, shared: false, kind });
  const rk = blocked ? binomialLogitBinaryRows : rows ? (fam.rows ?? null) : null;
  const b: RowBuffers = {
    k: set.main, X: set.main.X, p: 1, y: set.vector(n), w: set.vector(n), offset: null, eta: set.vector(n),
    mu: set.vector(n), W: set.vector(n), z: set.vector(n), dmu: rk?.dmu ? set.vector(n) : null, rows: rk,
  };
  const binomial = fam.name === "binomial";
  // (the negative binomial takes the Poisson's rows: counts 0 … 4, η = sin i)
  for (let i = 0; i < n; i++) {
    b.eta[i] = (binomial ? 3 : 1) * Math.sin(i);
    b.y[i] = binomial ? ((i * 7919) % 3 === 0 ? 1 : 0) : (i * 7919) % 5;
    b.w[i] = 1;
  }
  return b;
}

export function runIrlsRowsBench(o: { n: number }): void {
  const { n } = o;
  const per = 1e6 / n;
  console.log(`IRLS row work, ms per 10⁶ rows (n = ${n}; best of 7)`);
  const kinds: ["ts" | "wasm", boolean, string][] = [["ts", false, "generic loop"], ["ts", true, "TS row kernel"]];
  if (wasmKernelsAvailable()) kinds.push(["wasm", true, "wasm row kernel"]);
  for (const [name, link] of [["binomial", "logit"], ["binomial", "probit"], ["poisson", "log"], ["negative_binomial", "log"]] as const) {
    const fam = makeFamily(name, name === "negative_binomial" ? { link, theta: 2 } : { link });
    for (const [kind, rows, label] of kinds) {
      const b = buffers(fam, n, kind, rows);
      const A = new Float64Array(1);
      const bv = new Float64Array(1);
      const u = best(() => refreshRows(b, fam, 0, n)) * per;
      const w = best(() => weightRows(b, fam, 0, n, A, bv)) * per;
      console.log(`  ${`${name}(${link}),`.padEnd(17)} ${label.padEnd(16)} update ${u.toFixed(1).padStart(6)}   weights + XᵀWX(p = 1) ${w.toFixed(1).padStart(6)}`);
    }
    if (name !== "binomial" || link !== "logit") continue; // the blocked kernel is the logit's only
    // The blocked binary-logit kernel (y, w ∈ {0, 1}; src/families/logit-binary-rows.ts): W and z come with the update.
    const blockedKinds: ["ts" | "wasm", string][] = [["ts", "blocked TS"], ...(wasmKernelsAvailable() ? [["wasm", "blocked wasm"] as ["wasm", string]] : [])];
    for (const [kind, label] of blockedKinds) {
      const b = buffers(fam, n, kind, true, true);
      const A = new Float64Array(1);
      const bv = new Float64Array(1);
      const u = best(() => refreshRows(b, fam, 0, n)) * per;
      const w = best(() => weightRows(b, fam, 0, n, A, bv)) * per;
      console.log(`  ${`${name}(${link}),`.padEnd(17)} ${label.padEnd(16)} update ${u.toFixed(1).padStart(6)}   weights + XᵀWX(p = 1) ${w.toFixed(1).padStart(6)}`);
    }
  }
  if (wasmKernelsAvailable()) {
    const a = KernelArena.create(KernelArena.bytesFor([n, n]), false)!;
    const s = a.alloc(n);
    const d = a.alloc(n);
    for (let i = 0; i < n; i++) s[i] = 3 * Math.sin(i) + 3.5;
    const e = best(() => a.expInto(s, d)) * per;
    const l = best(() => a.logInto(s, d)) * per;
    console.log(`  floor of the logit update: one f64x2 exp pass ${e.toFixed(1)} + one log pass ${l.toFixed(1)} = ${(e + l).toFixed(1)}`);
  }
}

/**
 * Seeded negative binomial data: an intercept and p − 1 standard-normal columns,
 * η = 0.5 + Σ 0.1·sin j·x_j, y ~ NB(μ = e^η, θ) as a Poisson–gamma mixture
 * (Marsaglia–Tsang gamma, θ ≥ 1; Poisson by multiplying uniforms).
 */
function negbinData(n: number, p: number, theta: number, seed: number): { X: Float64Array; y: Float64Array } {
  const u = uniformStream(seed);
  const z = standardNormalFrom(u);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  const d = theta - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (let i = 0; i < n; i++) {
    let eta = 0.5;
    X[i * p] = 1;
    for (let j = 1; j < p; j++) {
      const v = z();
      X[i * p + j] = v;
      eta += 0.1 * Math.sin(j) * v;
    }
    let g: number;
    for (;;) {
      const x = z();
      const v = (1 + c * x) ** 3;
      if (v > 0 && Math.log(u()) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
        g = d * v;
        break;
      }
    }
    const lambda = (Math.exp(eta) * g) / theta;
    let k = 0;
    for (let t = u(), L = Math.exp(-lambda); t > L; t *= u()) k++;
    y[i] = k;
  }
  return { X, y };
}

/**
 * A glm.nb fit (θ estimated, log link) of n rows and p columns on one thread with the SIMD
 * kernels, with the negative binomial's row kernels (TS + wasm) and without (the generic
 * loop: the code before them), the same bits; and MASS::glm.nb on the same data in the same run.
 *
 *   npm run bench -- negbin [--n 1000000] [--p 10] [--reps 2]
 */
export function runNegbinFitBench(o: { n: number; p: number; reps: number; seed: number }): void {
  const { n, p } = o;
  const { X, y } = negbinData(n, p, 2, o.seed);
  const columnNames = Array.from({ length: p }, (_, j) => (j === 0 ? "(Intercept)" : `x${j}`));
  const problem = { X, n, p, columnNames, hasIntercept: true, y, weights: new Float64Array(n).fill(1), offset: null, trials: null, link: "log" };
  const prevThreads = process.env.GLMKIT_THREADS;
  process.env.GLMKIT_THREADS = "1";
  const prevK = useKernels(wasmKernelsAvailable() ? "wasm" : "ts");
  console.log(`glm.nb (θ estimated, log link), n = ${n}, p = ${p}, one thread, ${wasmKernelsAvailable() ? "SIMD" : "plain"} dense kernels; best of ${o.reps} after one warm-up fit`);
  const out: Record<string, { seconds: number; numbers: number[] }> = {};
  try {
    for (const rows of [true, false]) {
      const prevR = useRowKernels(rows);
      try {
        let bestS = Infinity;
        let fit!: ReturnType<typeof fitNegbin>;
        for (let r = 0; r <= o.reps; r++) {
          const t0 = performance.now();
          fit = fitNegbin(problem);
          if (r > 0) bestS = Math.min(bestS, (performance.now() - t0) / 1000); // the first fit warms the JIT up
        }
        out[rows ? "rows" : "generic"] = { seconds: bestS, numbers: [...fit.coef, fit.theta, fit.deviance, fit.alternations] };
        console.log(`  ${rows ? "row kernels (negbin-log)" : "generic loop"}: ${bestS.toFixed(3)} s; θ = ${fit.theta.toFixed(6)}, ${fit.alternations} alternations, deviance ${fit.deviance.toFixed(4)}`);
      } finally {
        useRowKernels(prevR);
      }
    }
  } finally {
    useKernels(prevK);
    if (prevThreads === undefined) delete process.env.GLMKIT_THREADS;
    else process.env.GLMKIT_THREADS = prevThreads;
  }
  const a = out.rows!, b = out.generic!;
  const same = sameNumbers(a.numbers, b.numbers);
  console.log(`  row kernels / generic: ${(b.seconds / a.seconds).toFixed(2)}× faster; fits ${same ? "bit-identical" : "DIFFER (bug)"}`);
  if (!same) process.exitCode = 1;
  if (!rAvailable()) {
    console.log("  R: Rscript with MASS not available");
    return;
  }
  const lines = withRData("glmkit-negbin-", X, y, (dir) => runR(`
      suppressPackageStartupMessages(library(MASS))
      ${rReadData(dir, n, p)}
      t <- system.time(f <- glm.nb(y ~ X - 1))[["elapsed"]]
      cat(sprintf("%.6f %.17g\\n", t, f$theta))
      cat(sprintf("%.17g", coef(f)), "\\n")`));
  if (lines === null) return;
  const [t, c] = lines;
  const worst = maxRelativeError(a.numbers, c!, p);
  console.log(`  R MASS::glm.nb: ${t![0]!.toFixed(3)} s (${(t![0]! / a.seconds).toFixed(1)}× glmkit with row kernels); θ ${t![1]}; coefficients agree to ${worst.toExponential(1)} relative`);
}

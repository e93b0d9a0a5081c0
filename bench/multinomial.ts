/**
 * `npm run bench -- multinomial [--n 100000] [--p 10] [--reps 1]`: the ML fit of a
 * multinomial logit with K = 5 categories (an intercept + p − 1 Gaussian covariates,
 * categories drawn from a softmax with fixed coefficients) by glmkit's Newton
 * (src/multinomial/), timed against nnet::multinom (BFGS, its default tolerances and
 * maxit = 1000) and VGAM::vglm(multinomial(refLevel = 1)) on the same data in the same
 * run when Rscript is on the PATH; prints the ratios and the deviances.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fitMultinomial, type NamedMultinomialProblem } from "../src/multinomial/fit.js";

export interface MultinomialBenchOptions {
  n: number;
  p: number;
  K?: number;
  reps: number;
  seed: number;
}

/** Simulated data: X n×p row-major with an intercept, category codes 0…K−1. */
function simulate(n: number, p: number, K: number, seed: number): { X: Float64Array; codes: Int32Array } {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const gauss = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  const B = Array.from({ length: (K - 1) * p }, () => 0.5 * gauss());
  const X = new Float64Array(n * p), codes = new Int32Array(n);
  const w = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    X[i * p] = 1;
    for (let j = 1; j < p; j++) X[i * p + j] = gauss();
    w[0] = 1;
    let tot = 1;
    for (let k = 1; k < K; k++) {
      let e = 0;
      for (let j = 0; j < p; j++) e += X[i * p + j]! * B[(k - 1) * p + j]!;
      w[k] = Math.exp(e);
      tot += w[k]!;
    }
    let r = u() * tot, k = 0;
    while (k < K - 1 && r > w[k]!) { r -= w[k]!; k++; }
    codes[i] = k;
  }
  return { X, codes };
}

function rTimings(dir: string, n: number, p: number): { nnet: number; nnetDev: number; vgam: number; vgamDev: number } | null {
  if (spawnSync("Rscript", ["--version"], { encoding: "utf8" }).error) return null;
  const script = `
    suppressMessages({ library(nnet); library(VGAM) })
    n <- ${n}; p <- ${p}
    X <- matrix(readBin("${join(dir, "X.bin")}", "double", n * p, endian = "little"), nrow = n, byrow = TRUE)
    y <- factor(readBin("${join(dir, "y.bin")}", "integer", n, endian = "little"))
    d <- data.frame(y = y, X[, -1, drop = FALSE])
    t1 <- system.time(m <- multinom(y ~ ., d, trace = FALSE, maxit = 1000))[["elapsed"]]
    t2 <- system.time(v <- vglm(y ~ ., multinomial(refLevel = 1), data = d))[["elapsed"]]
    cat(sprintf("%.6f %.17g %.6f %.17g\\n", t1, deviance(m), t2, deviance(v)))`;
  const out = spawnSync("Rscript", ["-e", script], { encoding: "utf8", maxBuffer: 1 << 24 });
  if (out.status !== 0) {
    process.stderr.write(`R timing failed: ${out.stderr}\n`);
    return null;
  }
  const [a, b, c, d] = out.stdout.trim().split(/\s+/).map(Number);
  return { nnet: a!, nnetDev: b!, vgam: c!, vgamDev: d! };
}

export function runMultinomialBench(o: MultinomialBenchOptions): void {
  const K = o.K ?? 5;
  const { X, codes } = simulate(o.n, o.p, K, o.seed);
  const Y = new Float64Array(o.n * K);
  for (let i = 0; i < o.n; i++) Y[i * K + codes[i]!] = 1;
  const problem: NamedMultinomialProblem = {
    X, n: o.n, p: o.p, Y, K, ref: 0, offset: null, hasIntercept: true, counts: false,
    columnNames: ["(Intercept)", ...Array.from({ length: o.p - 1 }, (_, j) => `X${j + 1}`)],
    levels: Array.from({ length: K }, (_, k) => String(k + 1)),
  };
  console.log(`multinomial logit ML: n = ${o.n}, K = ${K}, p = ${o.p} (${(K - 1) * o.p} coefficients)`);
  const times: number[] = [];
  let dev = NaN, iter = 0;
  for (let r = 0; r < o.reps; r++) {
    const t0 = performance.now();
    const fit = fitMultinomial(problem);
    times.push((performance.now() - t0) / 1000);
    dev = fit.deviance;
    iter = fit.iterations;
  }
  const ours = Math.min(...times);
  console.log(`  glmkit Newton: ${ours.toFixed(3)} s (best of ${o.reps}), ${iter} iterations, deviance ${dev.toPrecision(12)}`);
  const dir = mkdtempSync(join(tmpdir(), "glmkit-multinom-"));
  try {
    writeFileSync(join(dir, "X.bin"), new Uint8Array(X.buffer));
    writeFileSync(join(dir, "y.bin"), new Uint8Array(Int32Array.from(codes, (c) => c + 1).buffer));
    const r = rTimings(dir, o.n, o.p);
    if (r === null) {
      console.log("  R: Rscript not found (or failed), no ratio");
      return;
    }
    console.log(`  nnet::multinom: ${r.nnet.toFixed(3)} s, deviance ${r.nnetDev.toPrecision(12)}  → glmkit is ${(r.nnet / ours).toFixed(1)}× faster`);
    console.log(`  VGAM::vglm:     ${r.vgam.toFixed(3)} s, deviance ${r.vgamDev.toPrecision(12)}  → glmkit is ${(r.vgam / ours).toFixed(1)}× faster`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { Matrix, solve } from "ml-matrix";
import { weightedLeastSquares, pivotedQrSolve, unscaledCovariance, WlsWorkspace } from "../../src/linalg/weighted-least-squares.js";
import { linearPredictorInto, weightedCrossprodInto } from "../../src/linalg/kernels.js";

/** Dense reference: β = (XᵀWX)⁻¹XᵀWz with ml-matrix (an independent implementation). */
function reference(X: Float64Array, n: number, p: number, W: Float64Array, z: Float64Array) {
  const A = new Matrix(p, p);
  const b = new Matrix(p, 1);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < p; j++) {
      b.set(j, 0, b.get(j, 0) + W[i]! * X[i * p + j]! * z[i]!);
      for (let k = 0; k < p; k++) A.set(j, k, A.get(j, k) + W[i]! * X[i * p + j]! * X[i * p + k]!);
    }
  return { beta: solve(A, b).getColumn(0), inv: solve(A, Matrix.eye(p)) };
}

const problem = fc
  .record({ n: fc.integer({ min: 8, max: 40 }), p: fc.integer({ min: 1, max: 6 }), seed: fc.integer() })
  .map(({ n, p, seed }) => {
    let s = seed >>> 0 || 1;
    const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
    const X = new Float64Array(n * p).map(rnd);
    const W = new Float64Array(n).map(() => 0.1 + Math.abs(rnd()));
    const z = new Float64Array(n).map(rnd);
    return { n, p, X, W, z };
  });

describe("weighted least squares", () => {
  it("Cholesky route agrees with an independent dense solve (coefficients and covariance)", () => {
    fc.assert(
      fc.property(problem, ({ n, p, X, W, z }) => {
        const sol = weightedLeastSquares(X, n, p, W, z, new WlsWorkspace(p), 1e-11);
        const ref = reference(X, n, p, W, z);
        expect(sol.rank).toBe(p);
        for (let j = 0; j < p; j++) expect(sol.coef[j]).toBeCloseTo(ref.beta[j]!, 9);
        const cov = unscaledCovariance(sol, p);
        for (let j = 0; j < p; j++)
          for (let k = 0; k < p; k++) expect(cov[j * p + k]).toBeCloseTo(ref.inv.get(j, k), 8);
      }),
      { numRuns: 50 },
    );
  });

  it("the pivoted-QR route gives the same solution as the Cholesky route on full-rank designs", () => {
    fc.assert(
      fc.property(problem, ({ n, p, X, W, z }) => {
        const a = weightedLeastSquares(X, n, p, W, z, new WlsWorkspace(p), 1e-11);
        const b = pivotedQrSolve(X, n, p, W, z, 1e-11);
        expect(b.rank).toBe(p);
        for (let j = 0; j < p; j++) expect(b.coef[j]).toBeCloseTo(a.coef[j]!, 9);
        const ca = unscaledCovariance(a, p);
        const cb = unscaledCovariance(b, p);
        for (let k = 0; k < p * p; k++) expect(cb[k]).toBeCloseTo(ca[k]!, 8);
      }),
      { numRuns: 50 },
    );
  });

  it("an exactly collinear column is aliased, moved last, and the others keep their order (R's dqrdc2)", () => {
    // columns: 1, x, 2x + 1 (aliased), w
    const n = 10;
    const p = 4;
    const X = new Float64Array(n * p);
    for (let i = 0; i < n; i++) {
      const x = i / 3;
      const w = Math.cos(i);
      X.set([1, x, 2 * x + 1, w], i * p);
    }
    const W = new Float64Array(n).fill(1);
    const z = new Float64Array(n).map((_, i) => Math.sin(i) + i / 5);
    const sol = weightedLeastSquares(X, n, p, W, z, new WlsWorkspace(p), 1e-11);
    expect(sol.rank).toBe(3);
    expect(Array.from(sol.aliased)).toEqual([0, 0, 1, 0]);
    expect(sol.coef[2]).toBe(0);
    // the kept columns' solution equals least squares on {1, x, w}
    const Xk = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) Xk.set([X[i * p]!, X[i * p + 1]!, X[i * p + 3]!], i * 3);
    const ref = reference(Xk, n, 3, W, z);
    expect(sol.coef[0]).toBeCloseTo(ref.beta[0]!, 10);
    expect(sol.coef[1]).toBeCloseTo(ref.beta[1]!, 10);
    expect(sol.coef[3]).toBeCloseTo(ref.beta[2]!, 10);
    const cov = unscaledCovariance(sol, p);
    expect(Number.isNaN(cov[2 * p + 2]!)).toBe(true);
    expect(cov[3 * p + 3]).toBeCloseTo(ref.inv.get(2, 2), 10);
  });

  it("a zero column is aliased", () => {
    const n = 6;
    const X = new Float64Array([1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
    const sol = weightedLeastSquares(X, n, 2, new Float64Array(n).fill(1), new Float64Array([1, 2, 3, 4, 5, 6]), new WlsWorkspace(2), 1e-11);
    expect(sol.rank).toBe(1);
    expect(Array.from(sol.aliased)).toEqual([0, 1]);
    expect(sol.coef[0]).toBeCloseTo(3.5, 12);
  });
});

describe("kernels", () => {
  it("XᵀWX and XᵀWz match their definitions and skip zero weights", () => {
    fc.assert(
      fc.property(problem, ({ n, p, X, W, z }) => {
        W[0] = 0;
        const A = new Float64Array(p * p);
        const b = new Float64Array(p);
        weightedCrossprodInto(X, n, p, W, z, A, b);
        for (let j = 0; j < p; j++) {
          let bj = 0;
          for (let i = 0; i < n; i++) bj += W[i]! * X[i * p + j]! * z[i]!;
          expect(b[j]).toBeCloseTo(bj, 12);
          for (let k = 0; k < p; k++) {
            let a = 0;
            for (let i = 0; i < n; i++) a += W[i]! * X[i * p + j]! * X[i * p + k]!;
            expect(A[j * p + k]).toBeCloseTo(a, 12);
          }
        }
      }),
      { numRuns: 30 },
    );
  });

  it("Xβ + offset", () => {
    const X = new Float64Array([1, 2, 3, 4, 5, 6]);
    const out = new Float64Array(3);
    linearPredictorInto(X, 3, 2, new Float64Array([1, -1]), new Float64Array([10, 20, 30]), out);
    expect(Array.from(out)).toEqual([9, 19, 29]);
  });
});

describe("parallel cross products", () => {
  it("split over worker threads, XᵀWX and XᵀWz equal the single-thread result", async () => {
    const { weightedCrossprodAuto, sharedFloat64, PARALLEL_MIN_ENTRIES } = await import("../../src/linalg/parallel-crossprod.js");
    const p = 7;
    const n = Math.ceil(PARALLEL_MIN_ENTRIES / p) + 13;
    const X = sharedFloat64(n * p).map((_, k) => Math.sin(k * 0.37));
    const w = sharedFloat64(n).map((_, i) => (i % 11 === 0 ? 0 : 0.5 + Math.cos(i) ** 2));
    const z = sharedFloat64(n).map((_, i) => Math.sin(i * 1.3));
    const prev = process.env.GLMKIT_THREADS;
    process.env.GLMKIT_THREADS = "3";
    const A1 = new Float64Array(p * p), b1 = new Float64Array(p);
    weightedCrossprodAuto(X, n, p, w, z, A1, b1);
    process.env.GLMKIT_THREADS = prev;
    const A0 = new Float64Array(p * p), b0 = new Float64Array(p);
    weightedCrossprodInto(X, n, p, w, z, A0, b0);
    for (let k = 0; k < p * p; k++) expect(Math.abs(A1[k]! - A0[k]!)).toBeLessThan(1e-9 * Math.abs(A0[k]!) + 1e-9);
    for (let k = 0; k < p; k++) expect(Math.abs(b1[k]! - b0[k]!)).toBeLessThan(1e-9 * Math.abs(b0[k]!) + 1e-9);
  });
});

describe("parallel cross products on shared memory", () => {
  it("with X, w and z on SharedArrayBuffers the worker split matches one thread and repeats bit for bit", async () => {
    const { weightedCrossprodAuto, sharedFloat64, PARALLEL_MIN_ENTRIES } = await import("../../src/linalg/parallel-crossprod.js");
    const { isShared } = await import("../../src/util/worker-pool.js");
    const p = 7;
    const n = Math.ceil(PARALLEL_MIN_ENTRIES / p) + 13;
    // Filled in place (TypedArray.prototype.map would copy onto an ordinary ArrayBuffer).
    const X = sharedFloat64(n * p);
    for (let k = 0; k < n * p; k++) X[k] = Math.sin(k * 0.37);
    const w = sharedFloat64(n);
    const z = sharedFloat64(n);
    for (let i = 0; i < n; i++) {
      w[i] = i % 11 === 0 ? 0 : 0.5 + Math.cos(i) ** 2;
      z[i] = Math.sin(i * 1.3);
    }
    expect(isShared(X) && isShared(w) && isShared(z)).toBe(true);
    const prev = process.env.GLMKIT_THREADS;
    const A1 = new Float64Array(p * p), b1 = new Float64Array(p);
    const A2 = new Float64Array(p * p), b2 = new Float64Array(p);
    try {
      process.env.GLMKIT_THREADS = "3";
      weightedCrossprodAuto(X, n, p, w, z, A1, b1);
      weightedCrossprodAuto(X, n, p, w, z, A2, b2);
    } finally {
      if (prev === undefined) delete process.env.GLMKIT_THREADS;
      else process.env.GLMKIT_THREADS = prev;
    }
    expect(Array.from(A2)).toEqual(Array.from(A1));
    expect(Array.from(b2)).toEqual(Array.from(b1));
    const A0 = new Float64Array(p * p), b0 = new Float64Array(p);
    weightedCrossprodInto(X, n, p, w, z, A0, b0);
    for (let k = 0; k < p * p; k++) expect(Math.abs(A1[k]! - A0[k]!)).toBeLessThan(1e-9 * Math.abs(A0[k]!) + 1e-9);
    for (let k = 0; k < p; k++) expect(Math.abs(b1[k]! - b0[k]!)).toBeLessThan(1e-9 * Math.abs(b0[k]!) + 1e-9);
  });
});

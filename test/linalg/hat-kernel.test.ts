/**
 * The hat-value kernel (assembly/hat.ts) equals its plain oracle (hatRange of
 * src/linalg/kernels/plain.ts) bit for bit on random shapes — n and p from 1 to
 * 300, odd sizes, row blocks starting anywhere, zero weights, with and without
 * Firth's adjustment — and the oracle agrees with the textbook hᵢ = Wᵢ xᵢᵀ(XᵀWX)⁻¹xᵢ.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { sameBits, signedLcg as lcg } from "../helpers/kernel-fits.js";
import { designKernelSet, hatRange, wasmKernelsAvailable } from "../../src/linalg/kernels/index.js";
import { choleskyInPlace } from "../../src/linalg/cholesky.js";

const shape = fc
  .record({
    n: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 300 })),
    p: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 300 })),
    a: fc.double({ min: 0, max: 1, noNaN: true }),
    b: fc.double({ min: 0, max: 1, noNaN: true }),
    zeroFrac: fc.constantFrom(0, 0.3, 0.9),
    withRatio: fc.boolean(),
    seed: fc.integer(),
  })
  .map(({ n, p, a, b, zeroFrac, withRatio, seed }) => {
    const rnd = lcg(seed);
    const start = Math.floor(Math.min(a, b) * n);
    const end = Math.max(start, Math.ceil(Math.max(a, b) * n));
    const X = new Float64Array(n * p).map(() => rnd() * 10 ** Math.round(2 * rnd()));
    const W = new Float64Array(n).map(() => (Math.abs(rnd()) < zeroFrac ? 0 : Math.abs(rnd()) + 1e-3));
    const ratio = withRatio ? new Float64Array(n).map(rnd) : null;
    // An upper-triangular R with a diagonal away from 0; the lower triangle holds values the kernel must not read.
    const R = new Float64Array(p * p);
    for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) R[j * p + k] = k > j ? rnd() : k === j ? 0.5 + Math.abs(rnd()) : 1e300;
    const b0 = new Float64Array(p).map(rnd);
    return { n, p, start, end, X, W, ratio, R, b0, scale: 0.5 * (1 + Math.abs(rnd())) };
  });

type Case = typeof shape extends fc.Arbitrary<infer T> ? T : never;

function run(c: Case, kind: "ts" | "wasm"): { hat: Float64Array; b: Float64Array } {
  const set = designKernelSet(c.X, c.n, c.p, { vectors: [c.n, c.n, c.n], helpers: 0, shared: false, kind });
  expect(set.kind).toBe(kind);
  const W = set.vector(c.n), hat = set.vector(c.n);
  W.set(c.W);
  hat.fill(-3);
  let ratio: Float64Array | null = null;
  if (c.ratio) { ratio = set.vector(c.n); ratio.set(c.ratio); }
  const b = Float64Array.from(c.b0);
  set.main.hat(c.R, W, ratio, c.scale, hat, ratio ? b : null, c.start, c.end);
  return { hat: Float64Array.from(hat), b };
}

describe.skipIf(!wasmKernelsAvailable())("hat-value kernel: SIMD = plain loop, bit for bit", () => {
  // 300 runs: a reassociation in one lane of one row of the block (tried: (s·h)·ratio → s·(h·ratio) for the second row) is caught after 114.
  const runs = Number(process.env.FC_RUNS ?? 300);
  it("hat values and the Firth adjustment on random shapes and row blocks", () => {
    fc.assert(fc.property(shape, (c) => {
      const t = run(c, "ts"), v = run(c, "wasm");
      return sameBits(t.hat, v.hat) && sameBits(t.b, v.b);
    }), { numRuns: runs });
  });
});

describe("the plain hat loop", () => {
  it("is the textbook leverage W_i x_iᵀ(XᵀWX)⁻¹x_i; the hat values sum to p; b adds (scale·h·ratio)·x", () => {
    const rnd = lcg(7);
    const n = 41, p = 5;
    const X = new Float64Array(n * p).map(rnd);
    const W = new Float64Array(n).map((_, i) => (i % 7 === 3 ? 0 : Math.abs(rnd()) + 0.1));
    const A = new Float64Array(p * p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) A[j * p + k] += W[i]! * X[i * p + j]! * X[i * p + k]!;
    const R = Float64Array.from(A);
    expect(choleskyInPlace(R, p, 0).ok).toBe(true);
    const hat = new Float64Array(n);
    const ratio = new Float64Array(n).map(rnd);
    const b = new Float64Array(p);
    hatRange(X, p, R, W, ratio, 0.5, hat, b, 0, n, new Float64Array(p));
    // Textbook: solve A v = x_i by Gauss–Jordan on a copy.
    const inv = invert(A, p);
    let sum = 0;
    const bRef = new Float64Array(p);
    for (let i = 0; i < n; i++) {
      let q = 0;
      for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) q += X[i * p + j]! * inv[j * p + k]! * X[i * p + k]!;
      const h = W[i]! * q;
      expect(Math.abs(hat[i]! - h)).toBeLessThanOrEqual(1e-12 * (1 + h));
      if (W[i] === 0) expect(Object.is(hat[i], 0)).toBe(true);
      sum += hat[i]!;
      for (let k = 0; k < p; k++) bRef[k] += 0.5 * h * ratio[i]! * X[i * p + k]!;
    }
    expect(Math.abs(sum - p)).toBeLessThan(1e-12);
    for (let k = 0; k < p; k++) expect(Math.abs(b[k]! - bRef[k]!)).toBeLessThan(1e-12);
  });
});

function invert(A: Float64Array, p: number): Float64Array {
  const M = Float64Array.from(A);
  const I = new Float64Array(p * p);
  for (let j = 0; j < p; j++) I[j * p + j] = 1;
  for (let c = 0; c < p; c++) {
    const d = M[c * p + c]!;
    for (let k = 0; k < p; k++) { M[c * p + k] /= d; I[c * p + k] /= d; }
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = M[r * p + c]!;
      for (let k = 0; k < p; k++) { M[r * p + k] -= f * M[c * p + k]!; I[r * p + k] -= f * I[c * p + k]!; }
    }
  }
  return I;
}

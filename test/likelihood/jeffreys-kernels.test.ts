/**
 * The Jeffreys penalty on the kernels (src/likelihood/jeffreys-penalty.ts): its value,
 * gradient and Hessian give the same bits with the SIMD passes (GLMKIT_KERNELS=wasm) as
 * with the plain loops (ts), and the same bits as the loops before the kernels
 * (jeffreys-pre-kernels.ts), on random shapes with zero weights and zero entries.
 */
import { describe, expect, it } from "vitest";
import { JeffreysPenalty } from "../../src/likelihood/jeffreys-penalty.js";
import { wasmKernelsAvailable } from "../../src/linalg/kernels/index.js";
import { sameBits, signedLcg, withKernels } from "../helpers/kernel-fits.js";
import { PreKernelJeffreysPenalty } from "./jeffreys-pre-kernels.js";

interface Case {
  X: Float64Array; n: number; p: number;
  omega: Float64Array; a: Float64Array; aa: Float64Array; au: Float64Array; b: Float64Array; bb: Float64Array;
}

/** n rows (n ≥ p so I is positive definite unless too many weights are zero), entries in [−1, 1) with some exact zeros, weights in (0, 1] with some zero. */
function randomCase(n: number, p: number, seed: number, zeros = true): Case {
  const r = signedLcg(seed);
  const X = new Float64Array(n * p);
  for (let i = 0; i < n * p; i++) X[i] = i % p === 0 ? 1 : zeros && r() < -0.8 ? 0 : r() * 2 + (zeros ? 0 : 1e-3);
  const vec = (f: (u: number) => number) => Float64Array.from({ length: n }, () => f(r()));
  const omega = vec((u) => (zeros && u < -0.85 ? 0 : 0.05 + Math.abs(u)));
  return { X, n, p, omega, a: vec((u) => u), aa: vec((u) => u * 0.5), au: vec((u) => u - 0.1), b: vec((u) => u * 3), bb: vec((u) => u * u) };
}

interface Out { value: number; grad: number[]; gradAux: number[]; hess: number[]; hessAux: number[] }

function run(make: (X: Float64Array, n: number, p: number) => JeffreysPenalty | PreKernelJeffreysPenalty, c: Case, hessian: boolean): Out {
  const { X, n, p, omega, a, aa, au, b, bb } = c;
  const pen = make(X, n, p);
  const grad = Float64Array.from({ length: p }, (_, j) => 0.25 * j - 1);
  const value = pen.evaluate(omega, a, null, grad);
  const gradAux = Float64Array.from({ length: p + 1 }, (_, j) => 0.5 - j);
  pen.evaluate(omega, a, b, gradAux);
  const out: Out = { value, grad: [...grad], gradAux: [...gradAux], hess: [], hessAux: [] };
  if (hessian) {
    const H = Float64Array.from({ length: p * p }, (_, j) => j % 3);
    pen.evaluate(omega, a, null, null);
    pen.addHessian(omega, a, aa, au, b, bb, H, false);
    const Hu = Float64Array.from({ length: (p + 1) * (p + 1) }, (_, j) => -(j % 5));
    pen.addHessian(omega, a, aa, au, b, bb, Hu, true);
    out.hess = [...H];
    out.hessAux = [...Hu];
  }
  return out;
}

const flat = (o: Out): number[] => [o.value, ...o.grad, ...o.gradAux, ...o.hess, ...o.hessAux];
const current = (X: Float64Array, n: number, p: number) => new JeffreysPenalty(X, n, p);
const previous = (X: Float64Array, n: number, p: number) => new PreKernelJeffreysPenalty(X, n, p);

// (n, p, hessian): odd sizes, one row block and leftovers, p from 1 to 300 (the O(np³) Hessian up to p = 41, and over several 128-row chunks).
const shapes: [number, number, boolean][] = [
  [1, 1, true], [3, 1, true], [7, 2, true], [9, 3, true], [13, 5, true], [64, 7, true], [101, 13, true], [203, 20, true],
  [97, 41, true], [517, 9, true], [333, 64, false], [301, 150, false], [451, 300, false],
];

describe("Jeffreys penalty on the kernels", () => {
  it.runIf(wasmKernelsAvailable())("SIMD and plain passes give the same bits (value, gradient, Hessian)", () => {
    for (const [k, [n, p, hess]] of shapes.entries()) {
      const c = randomCase(n, p, 101 + k);
      const ts = withKernels("ts", () => run(current, c, hess));
      const wasm = withKernels("wasm", () => run(current, c, hess));
      expect(Number.isFinite(ts.value), `n=${n} p=${p}: I positive definite`).toBe(true);
      expect(flat(ts).every(Number.isFinite), `n=${n} p=${p}: finite results`).toBe(true);
      expect(sameBits(flat(wasm), flat(ts)), `n=${n} p=${p}`).toBe(true);
    }
  });

  it("the plain passes give the bits of the loops before the kernels", () => {
    for (const [k, [n, p, hess]] of shapes.entries()) {
      if (p > 64) continue;
      const c = randomCase(n, p, 101 + k);
      const ts = withKernels("ts", () => run(current, c, hess));
      const old = run(previous, c, hess);
      expect(sameBits(flat(ts), flat(old)), `n=${n} p=${p}`).toBe(true);
    }
  });

  it.runIf(wasmKernelsAvailable())("without zero weights or entries (the SIMD Hessian's branch-free chunks), the same bits as plain and as before", () => {
    for (const [k, [n, p]] of [[203, 20], [517, 9], [300, 33], [129, 8], [131, 3]].entries()) {
      const c = randomCase(n, p, 301 + k, false);
      expect(c.omega.every((w) => w > 0) && c.X.every((x) => x !== 0)).toBe(true);
      const wasm = flat(withKernels("wasm", () => run(current, c, true)));
      expect(wasm.every(Number.isFinite), `n=${n} p=${p}`).toBe(true);
      expect(sameBits(wasm, flat(withKernels("ts", () => run(current, c, true)))), `n=${n} p=${p}: ts`).toBe(true);
      expect(sameBits(wasm, flat(run(previous, c, true))), `n=${n} p=${p}: before`).toBe(true);
    }
  });

  it.runIf(wasmKernelsAvailable())("zeros in some factor columns only (the SIMD Hessian's pairs of M_r split, an odd q's last M_r), the same bits as plain and as before", () => {
    for (const [n, p] of [[301, 7], [301, 15], [257, 8]] as const) {
      const c = randomCase(n, p, 401 + p, false);
      // Column 3 has zeros in the first two chunks, column p − 1 in the second, b (the aux factor) in the third.
      for (const i of [5, 200]) c.X[i * p + 3] = 0;
      c.X[130 * p + p - 1] = 0;
      c.b[250] = 0;
      const wasm = flat(withKernels("wasm", () => run(current, c, true)));
      expect(wasm.every(Number.isFinite), `n=${n} p=${p}`).toBe(true);
      expect(sameBits(wasm, flat(withKernels("ts", () => run(current, c, true)))), `n=${n} p=${p}: ts`).toBe(true);
      expect(sameBits(wasm, flat(run(previous, c, true))), `n=${n} p=${p}: before`).toBe(true);
    }
  });

  it.runIf(wasmKernelsAvailable())("SIMD passes give the bits of the loops before the kernels, including a design with I singular", () => {
    for (const [n, p, seed] of [[203, 20, 7], [41, 9, 8]] as const) {
      const c = randomCase(n, p, seed);
      expect(sameBits(flat(withKernels("wasm", () => run(current, c, true))), flat(run(previous, c, true)))).toBe(true);
    }
    const c = randomCase(5, 8, 9); // n < p: I is singular, J = −∞ and the Hessian NaN
    const o = withKernels("wasm", () => run(current, c, true));
    expect(o.value).toBe(-Infinity);
    expect(o.hess.every(Number.isNaN)).toBe(true);
  });
});

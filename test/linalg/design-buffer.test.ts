/**
 * Design buffers (src/linalg/kernels/design-buffer.ts): a design written into the SIMD
 * kernels' memory is read in place by the fit's kernel set (no copy), the set's
 * vectors come from the room after it, the room is leased to one set at a time, and a
 * fit on it gives the bits of a fit on an ordinary array, with either kernels.
 */
import { describe, it, expect } from "vitest";
import normalFactory from "@stdlib/random-base-normal";
import uniformFactory from "@stdlib/random-base-uniform";
import { glm } from "../../models/glm.js";
import { ArgumentError } from "../../src/errors.js";
import {
  designBuffer, designKernelSet, isDesignBuffer, sharedArenasAvailable, wasmKernelsAvailable,
} from "../../src/linalg/kernels/index.js";
import { columnNames as names, fitNumbers as numbers, sameBits, simulateGlm, withKernels } from "../helpers/kernel-fits.js";
import { PARALLEL_MIN_ENTRIES } from "../../src/linalg/parallel-crossprod.js";

/** Logistic data with an intercept and an offset, written into `X` (any n×p array). */
const simulate = (X: Float64Array, n: number, p: number, seed: number) => {
  const { y, offset } = simulateGlm(X, n, p, seed);
  return { y, offset: offset! };
};

describe("designBuffer", () => {
  it("is a zeroed n×p array; bad sizes are ArgumentErrors naming the argument", () => {
    const X = designBuffer(7, 3);
    expect(X).toBeInstanceOf(Float64Array);
    expect(X.length).toBe(21);
    expect(X.every((v) => v === 0)).toBe(true);
    expect(isDesignBuffer(X)).toBe(wasmKernelsAvailable());
    expect(isDesignBuffer(new Float64Array(21))).toBe(false);
    expect(() => designBuffer(-1, 3)).toThrow(ArgumentError);
    expect(() => designBuffer(3, 1.5)).toThrow(/p must be/);
    expect(() => designBuffer(3, 2, { threads: 0 })).toThrow(/threads/);
  });

  it.skipIf(!wasmKernelsAvailable())("a kernel set reads it in place, leases its room to one set at a time, and zeroes reused vectors", () => {
    const n = 50, p = 4;
    const X = designBuffer(n, p);
    simulate(X, n, p, 3);
    const first = designKernelSet(X, n, p, { vectors: [n, n, n], helpers: 0, shared: false, kind: "wasm" });
    expect(first.main.X).toBe(X); // no copy
    const v = first.vector(n);
    expect(v.buffer).toBe(X.buffer);
    v.fill(7);
    // The room is leased: a second set copies X into an arena of its own.
    const second = designKernelSet(X, n, p, { vectors: [n], helpers: 0, shared: false, kind: "wasm" });
    expect(second.main.X).not.toBe(X);
    expect(Array.from(second.main.X)).toEqual(Array.from(X));
    first.release();
    const third = designKernelSet(X, n, p, { vectors: [n, n, n], helpers: 0, shared: false, kind: "wasm" });
    expect(third.main.X).toBe(X);
    const w = third.vector(n);
    expect(w.byteOffset).toBe(v.byteOffset); // the same memory, handed out again
    expect(w.every((x) => x === 0)).toBe(true);
    second.release(); // a copying set's release is a no-op: the lease stays with `third`
    expect(designKernelSet(X, n, p, { vectors: [n], helpers: 0, shared: false, kind: "wasm" }).main.X).not.toBe(X);
    third.release();
    // More than the room holds (it is the reserve rounded up to a 64 KiB page): the copy.
    expect(designKernelSet(X, n, p, { vectors: [n, 9000], helpers: 0, shared: false, kind: "wasm" }).main.X).not.toBe(X);
    // A shared set on an unshared buffer: the copy (into shared memory) or the plain loops.
    expect(designKernelSet(X, n, p, { vectors: [n], helpers: 1, shared: true, kind: "wasm" }).main.X).not.toBe(X);
    // A subarray of the design is not the design.
    expect(designKernelSet(X.subarray(p), n - 1, p, { vectors: [n], helpers: 0, shared: false, kind: "wasm" }).main.X).not.toBe(X);
    // The plain kernels read the buffer itself, like any array.
    expect(designKernelSet(X, n, p, { vectors: [n], helpers: 0, shared: false, kind: "ts" }).main.X).toBe(X);
  });

  it("fits on a design buffer give the bits of fits on an ordinary array (both kernels, with an offset, fitted twice)", () => {
    const n = 3001, p = 6;
    const X = designBuffer(n, p);
    const { y, offset } = simulate(X, n, p, 11);
    const copy = Float64Array.from(X);
    const fit = (Xd: Float64Array) => glm({ design: { X: Xd, y, n, p, columnNames: names(p) }, offset, family: "binomial" }).fit({ separation: "never" });
    const reference = numbers(withKernels("ts", () => fit(copy)));
    for (const k of ["ts", "wasm"] as const) {
      const a = withKernels(k, () => fit(X));
      const b = withKernels(k, () => fit(X)); // the room, given back by the first fit, is reused
      expect(sameBits(numbers(a), reference), k).toBe(true);
      expect(sameBits(numbers(b), reference), k).toBe(true);
      expect(a.fitted.buffer).not.toBe(X.buffer); // the result does not keep the arena's vectors
    }
    // Without an offset too (one vector fewer), and with a Poisson family on the same buffer.
    const counts = Float64Array.from(y, (v, i) => v + (i % 3));
    const pois = (Xd: Float64Array) => numbers(glm({ design: { X: Xd, y: counts, n, p, columnNames: names(p) }, family: "poisson" }).fit({ separation: "never" }));
    expect(sameBits(withKernels("wasm", () => pois(X)), withKernels("ts", () => pois(copy)))).toBe(true);
  });

  it.skipIf(!sharedArenasAvailable())("a shared design buffer runs the parallel engine in place (2 threads) with the bits of the plain-loop parallel fit", () => {
    const p = 8;
    const n = Math.ceil(PARALLEL_MIN_ENTRIES / p) + 57;
    const X = designBuffer(n, p, { shared: true, threads: 2 });
    expect(X.buffer).toBeInstanceOf(SharedArrayBuffer);
    const { y, offset } = simulate(X, n, p, 31);
    const prev = process.env.GLMKIT_THREADS;
    process.env.GLMKIT_THREADS = "2";
    try {
      const run = () => numbers(glm({ design: { X, y, n, p, columnNames: names(p) }, offset, family: "binomial" }).fit());
      const ts = withKernels("ts", run);
      expect(sameBits(withKernels("wasm", run), ts)).toBe(true);
      const set = withKernels("wasm", () => designKernelSet(X, n, p, { vectors: [n, n, n, n, n, n, n], helpers: 1, shared: true }));
      expect(set.main.X).toBe(X); // the fits gave the room back, and it holds the parallel engine's vectors
      set.release();
    } finally {
      if (prev === undefined) delete process.env.GLMKIT_THREADS;
      else process.env.GLMKIT_THREADS = prev;
    }
  });
});

describe("the formula front end writes large designs into a design buffer", () => {
  const n = 4001;
  const rnorm = normalFactory.factory(0, 1, { seed: 41 });
  const runif = uniformFactory.factory(0, 1, { seed: 42 });
  const data = { x1: [] as number[], x2: [] as number[], g: [] as string[], y: [] as number[] };
  for (let i = 0; i < n; i++) {
    const x1 = rnorm(), x2 = rnorm(), g = ["a", "b", "c"][i % 3]!;
    data.x1.push(x1);
    data.x2.push(x2);
    data.g.push(g);
    data.y.push(runif() < 1 / (1 + Math.exp(-(0.3 * x1 - 0.2 * x2 + (g === "b" ? 0.4 : 0)))) ? 1 : 0);
  }
  const model = () => glm({ formula: "y ~ x1 * x2 + g", data, family: "binomial" });

  it("with the SIMD kernels (n·p ≥ AUTO_MIN_ENTRIES), and fits it in place with the plain-loop bits", () => {
    const ts = withKernels("ts", () => {
      const m = model();
      expect(isDesignBuffer(m.resolved.problem.X)).toBe(false);
      return numbers(m.fit({ separation: "never" }));
    });
    const wasm = withKernels("wasm", () => {
      const m = model();
      expect(m.resolved.problem.p * n).toBeGreaterThanOrEqual(16_384);
      expect(isDesignBuffer(m.resolved.problem.X)).toBe(wasmKernelsAvailable());
      return [numbers(m.fit({ separation: "never" })), numbers(m.fit({ separation: "never" }))];
    });
    expect(sameBits(wasm[0]!, ts)).toBe(true);
    expect(sameBits(wasm[1]!, ts)).toBe(true);
  });

  it("not for small designs, nor with the plain kernels", () => {
    withKernels("wasm", () => {
      const small = glm({ formula: "y ~ x1", data: { x1: data.x1.slice(0, 50), y: data.y.slice(0, 50) }, family: "binomial" });
      expect(isDesignBuffer(small.resolved.problem.X)).toBe(false);
    });
  });
});

describe.skipIf(!wasmKernelsAvailable())("the copy path reuses one spare arena", () => {
  it("a released copy's arena is reused (zeroed vectors), a leased one never", () => {
    const n = 20_000, p = 3;
    const X = Float64Array.from({ length: n * p }, (_, k) => Math.sin(k));
    const a = designKernelSet(X, n, p, { vectors: [n, n], helpers: 0, shared: false, kind: "wasm" });
    const va = a.vector(n);
    va.fill(5);
    const b = designKernelSet(X, n, p, { vectors: [n, n], helpers: 0, shared: false, kind: "wasm" });
    expect(b.main.X.buffer).not.toBe(a.main.X.buffer); // a holds its arena
    b.release();
    a.release();
    const c = designKernelSet(X, n, p, { vectors: [n, n], helpers: 0, shared: false, kind: "wasm" });
    expect(c.main.X.buffer).toBe(b.main.X.buffer); // the last copy's arena, reused
    expect(Array.from(c.main.X)).toEqual(Array.from(X));
    const vc = c.vector(n);
    expect(vc.every((v) => v === 0)).toBe(true);
    // Only the holder's release frees it: b's stale release does nothing.
    b.release();
    const d = designKernelSet(X, n, p, { vectors: [n, n], helpers: 0, shared: false, kind: "wasm" });
    expect(d.main.X.buffer).not.toBe(c.main.X.buffer);
    // A much smaller design does not take a large spare.
    d.release();
    const e = designKernelSet(X.subarray(0, 30), 10, p, { vectors: [10], helpers: 0, shared: false, kind: "wasm" });
    expect(e.main.X.buffer).not.toBe(d.main.X.buffer);
    c.release();
    e.release();
  });
});

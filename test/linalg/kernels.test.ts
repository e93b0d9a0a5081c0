/**
 * The SIMD kernels (assembly/kernels.ts) equal the plain TypeScript loops bit for
 * bit on random shapes: n and p from 1 to 300, odd sizes, row blocks [start, end)
 * that start anywhere (strided blocks, as the threads take them), zero weights and
 * offsets; the plain loops themselves agree with naive sums. Plus the selection,
 * the fused gradient pass and the worker-shared arena.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { sameBits, signedLcg as lcg } from "../helpers/kernel-fits.js";
import { Worker } from "node:worker_threads";
import {
  crossprodRange, xbetaRange, xtrRange, designKernelSet, kernelsFromSpec, fusedGradient, KernelArena,
  wasmKernelsAvailable, sharedArenasAvailable, useKernels, kernelChoice, wantsWasm, AUTO_MIN_ENTRIES,
} from "../../src/linalg/kernels/index.js";

const shape = fc
  .record({
    n: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 300 })),
    p: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 300 })),
    a: fc.double({ min: 0, max: 1, noNaN: true }),
    b: fc.double({ min: 0, max: 1, noNaN: true }),
    zeroFrac: fc.constantFrom(0, 0.2),
    withOffset: fc.boolean(),
    seed: fc.integer(),
  })
  .map(({ n, p, a, b, zeroFrac, withOffset, seed }) => {
    const rnd = lcg(seed);
    const lo = Math.floor(Math.min(a, b) * n);
    const hi = Math.max(lo, Math.ceil(Math.max(a, b) * n));
    const X = new Float64Array(n * p).map(() => rnd() * 10 ** Math.round(3 * rnd()));
    const w = new Float64Array(n).map(() => (Math.abs(rnd()) < zeroFrac ? 0 : Math.abs(rnd()) + 1e-3));
    const z = new Float64Array(n).map(rnd);
    const beta = new Float64Array(p).map(rnd);
    const offset = withOffset ? new Float64Array(n).map(rnd) : null;
    return { n, p, start: lo, end: hi, X, w, z, beta, offset };
  });

type Case = typeof shape extends fc.Arbitrary<infer T> ? T : never;

/** The case's vectors copied into a set's vectors (arena views for wasm). */
function load(c: Case, kind: "ts" | "wasm") {
  const set = designKernelSet(c.X, c.n, c.p, { vectors: [c.n, c.n, c.n, c.n], helpers: 0, shared: false, kind });
  const w = set.vector(c.n), z = set.vector(c.n), eta = set.vector(c.n);
  const off = c.offset ? set.vector(c.n) : null;
  w.set(c.w); z.set(c.z);
  if (off) off.set(c.offset!);
  return { set, k: set.main, w, z, eta, off };
}

describe.skipIf(!wasmKernelsAvailable())("SIMD kernels = plain loops, bit for bit", () => {
  const runs = Number(process.env.FC_RUNS ?? 60);
  it("XᵀWX and XᵀWz", () => {
    fc.assert(fc.property(shape, (c) => {
      const t = load(c, "ts"), v = load(c, "wasm");
      expect(v.set.kind).toBe("wasm");
      const A1 = new Float64Array(c.p * c.p).fill(7), b1 = new Float64Array(c.p).fill(7);
      const A2 = new Float64Array(c.p * c.p).fill(-7), b2 = new Float64Array(c.p).fill(-7);
      t.k.crossprod(t.w, t.z, A1, b1, c.start, c.end);
      v.k.crossprod(v.w, v.z, A2, b2, c.start, c.end);
      return sameBits(A1, A2) && sameBits(b1, b2);
    }), { numRuns: runs });
  });
  it("η = offset + Xβ", () => {
    fc.assert(fc.property(shape, (c) => {
      const t = load(c, "ts"), v = load(c, "wasm");
      t.k.xbeta(c.beta, t.off, t.eta, c.start, c.end);
      v.k.xbeta(c.beta, v.off, v.eta, c.start, c.end);
      return sameBits(t.eta, v.eta);
    }), { numRuns: runs });
  });
  it("Xᵀr, fresh and accumulated", () => {
    fc.assert(fc.property(shape, fc.boolean(), (c, acc) => {
      const t = load(c, "ts"), v = load(c, "wasm");
      const g1 = new Float64Array(c.p).map((_, j) => (acc ? j + 0.5 : 0));
      const g2 = Float64Array.from(g1);
      t.k.xtr(t.z, g1, c.start, c.end, acc);
      v.k.xtr(v.z, g2, c.start, c.end, acc);
      return sameBits(g1, g2);
    }), { numRuns: runs });
  });
  it("a kernel writing into arena arrays directly gives the same bits", () => {
    const rnd = lcg(5);
    const n = 37, p = 11;
    const X = new Float64Array(n * p).map(rnd);
    const arena = KernelArena.create(KernelArena.bytesFor([n * p, n, n, p * p, p]), false)!;
    const Xa = arena.alloc(n * p), w = arena.alloc(n), z = arena.alloc(n), A = arena.alloc(p * p), b = arena.alloc(p);
    Xa.set(X); w.set(new Float64Array(n).map(() => Math.abs(rnd()))); z.set(new Float64Array(n).map(rnd));
    arena.crossprod(Xa, p, w, z, A, b, 3, n);
    const A0 = new Float64Array(p * p), b0 = new Float64Array(p);
    crossprodRange(X, p, Float64Array.from(w), Float64Array.from(z), A0, b0, 3, n);
    expect(sameBits(A, A0) && sameBits(b, b0)).toBe(true);
    expect(() => arena.crossprod(X, p, w, z, A, b, 0, n)).toThrow(/X is not in the kernel arena/);
    expect(() => arena.alloc(1 << 20)).toThrow(/arena full/);
    // Beyond 32-bit addresses there is no arena: designKernelSet falls back to the plain loops.
    expect(KernelArena.create(2 ** 32, false)).toBeNull();
  });
});

describe("the plain loops agree with naive sums", () => {
  it("xbeta, xtr and crossprod within a few ulps of the textbook loops", () => {
    fc.assert(fc.property(shape, (c) => {
      const { n, p, X, w, z, beta, offset, start, end } = c;
      const eta = new Float64Array(n), g = new Float64Array(p), A = new Float64Array(p * p), b = new Float64Array(p);
      xbetaRange(X, p, beta, offset, eta, start, end);
      xtrRange(X, p, z, g, start, end, false);
      crossprodRange(X, p, w, z, A, b, start, end);
      const close = (x: number, y: number, scale: number) => Math.abs(x - y) <= 1e-12 * scale;
      for (let i = start; i < end; i++) {
        let s = offset ? offset[i]! : 0;
        for (let j = 0; j < p; j++) s += X[i * p + j]! * beta[j]!;
        if (s !== eta[i]) return false; // same order: exact
      }
      for (let j = 0; j < p; j++) {
        let s = 0, sa = 0, sb = 0, sab = 0;
        for (let i = start; i < end; i++) { s += X[i * p + j]! * z[i]!; sa += Math.abs(X[i * p + j]! * z[i]!); }
        if (!close(s, g[j]!, sa)) return false;
        for (let i = start; i < end; i++) { sb += w[i]! * X[i * p + j]! * z[i]!; sab += Math.abs(w[i]! * X[i * p + j]! * z[i]!); }
        if (!close(sb, b[j]!, sab)) return false;
        for (let k = 0; k < p; k++) {
          let t = 0, ta = 0;
          for (let i = start; i < end; i++) { t += w[i]! * X[i * p + j]! * X[i * p + k]!; ta += Math.abs(w[i]! * X[i * p + j]! * X[i * p + k]!); }
          if (!close(t, A[j * p + k]!, ta)) return false;
        }
      }
      return true;
    }), { numRuns: 40 });
  });
});

describe("fused gradient pass", () => {
  // Bernoulli-logit row step: r_i = y_i − σ(η_i), log p_i = y_i η_i − log(1 + e^{η_i}).
  const step = (y: Float64Array) => (eta: Float64Array, r: Float64Array, s: number, e: number) => {
    let lp = 0;
    for (let i = s; i < e; i++) {
      const m = 1 / (1 + Math.exp(-eta[i]!));
      r[i] = y[i]! - m;
      lp += y[i]! * eta[i]! - Math.log1p(Math.exp(eta[i]!));
    }
    return lp;
  };
  for (const kind of ["ts", "wasm"] as const) {
    it.skipIf(kind === "wasm" && !wasmKernelsAvailable())(`${kind}: equals η pass, row step, Xᵀr pass (same bits)`, () => {
      const rnd = lcg(9);
      const n = 1237, p = 13;
      const X = new Float64Array(n * p).map(rnd);
      const y = new Float64Array(n).map(() => (rnd() > 0 ? 1 : 0));
      const beta = new Float64Array(p).map(rnd);
      const set = designKernelSet(X, n, p, { vectors: [n, n], helpers: 0, shared: false, kind });
      expect(set.kind).toBe(kind);
      const eta = set.vector(n), r = set.vector(n), g = new Float64Array(p);
      const lp = fusedGradient(set.main, n, beta, null, eta, r, g, step(y), 64);
      const eta2 = new Float64Array(n), r2 = new Float64Array(n), g2 = new Float64Array(p);
      xbetaRange(X, p, beta, null, eta2, 0, n);
      const lp2 = step(y)(eta2, r2, 0, n);
      xtrRange(X, p, r2, g2, 0, n, false);
      expect(sameBits(g, g2)).toBe(true);
      // The log density is summed per block, then over blocks: equal to rounding.
      expect(Math.abs(lp - lp2)).toBeLessThan(1e-12 * Math.abs(lp2));
      expect(() => fusedGradient(set.main, n, beta, null, eta, r, g, step(y), 6)).toThrow(/multiple of 4/);
    });
  }
});

describe("kernel selection", () => {
  it("useKernels switches and restores; auto takes wasm only for large designs", () => {
    const prev = useKernels("ts");
    try {
      expect(kernelChoice()).toBe("ts");
      expect(wantsWasm(10 ** 9)).toBe(false);
      useKernels("auto");
      expect(wantsWasm(AUTO_MIN_ENTRIES - 1)).toBe(false);
      expect(wantsWasm(AUTO_MIN_ENTRIES)).toBe(wasmKernelsAvailable());
      useKernels("wasm");
      expect(wantsWasm(1)).toBe(wasmKernelsAvailable());
      expect(designKernelSet(new Float64Array(4), 2, 2, { vectors: [2], helpers: 0, shared: false }).kind).toBe(wasmKernelsAvailable() ? "wasm" : "ts");
      useKernels("bogus" as "ts");
      expect(() => kernelChoice()).toThrow(/GLMKIT_KERNELS must be ts, wasm or auto, not "bogus"/);
    } finally {
      useKernels(prev);
    }
  });
});

describe.skipIf(!sharedArenasAvailable())("shared arena across worker threads", () => {
  it("a worker attached to the arena computes its block into the shared memory, same bits", async () => {
    const rnd = lcg(3);
    const n = 203, p = 7;
    const X = new Float64Array(n * p).map(rnd);
    const set = designKernelSet(X, n, p, { vectors: [n, n, n], helpers: 1, shared: true, kind: "wasm" });
    expect(set.kind).toBe("wasm");
    const w = set.vector(n), z = set.vector(n), eta = set.vector(n);
    w.set(new Float64Array(n).map(() => Math.abs(rnd()))); z.set(new Float64Array(n).map(rnd));
    const beta = new Float64Array(p).map(rnd);
    const spec = set.workerSpec(0);
    const url = new URL("../../src/linalg/kernels/index.ts", import.meta.url).href;
    const loader = new URL("../../src/util/ts-loader.mjs", import.meta.url).href;
    const worker = new Worker(`
      const { parentPort, workerData } = require("node:worker_threads");
      require("node:module").register(workerData.loader);
      parentPort.once("message", async (m) => {
        const { kernelsFromSpec } = await import(workerData.url);
        const k = kernelsFromSpec(m.spec);
        const mem = new Float64Array(m.spec.memory.buffer);
        const eta = mem.subarray(m.eta / 8, m.eta / 8 + m.n);
        k.xbeta(m.beta, null, eta, 100, m.n);
        parentPort.postMessage("done");
      });`, { eval: true, workerData: { url, loader } });
    const done = new Promise((res, rej) => { worker.once("message", res); worker.once("error", rej); });
    worker.postMessage({ spec, eta: eta.byteOffset, n, beta });
    set.main.xbeta(beta, null, eta, 0, 100);
    await done;
    await worker.terminate();
    const ref = new Float64Array(n);
    xbetaRange(X, p, beta, null, ref, 0, n);
    expect(sameBits(eta, ref)).toBe(true);
    expect(kernelsFromSpec(spec).kind).toBe("wasm");
  });
});

/**
 * The SIMD kernels give the plain-loop fit bit for bit on every reference fit of
 * test/reference/glm.json (the issue asks ≤ 1e-12 relative; the kernels share the
 * summation order, so the fits are identical), and on a parallel fit whose rows are
 * split over worker threads sharing the kernels' WebAssembly memory, and on the
 * profile intervals of test/reference/intervals.json (refits on reduced designs).
 */
import { describe, it, expect } from "vitest";
import { glm } from "../../models/glm.js";
import { wasmKernelsAvailable, sharedArenasAvailable, type KernelChoice } from "../../src/linalg/kernels/index.js";
import { columnNames, fitNumbers as numbers, fitReference, referenceGlmFits, sameBits, simulateGlm, withKernels, withThreads } from "../helpers/kernel-fits.js";
import { sharedFloat64, PARALLEL_MIN_ENTRIES } from "../../src/linalg/parallel-crossprod.js";
import { profileIntervals } from "../../src/intervals/profile.js";
import { fixture, fitCase } from "../intervals/fixture.js";

const fits = referenceGlmFits();

describe.skipIf(!wasmKernelsAvailable())("SIMD kernels reproduce the plain-loop fits", () => {
  for (const ref of fits) {
    it(`${ref.id}: ${ref.family}(${ref.link}) ${ref.formula}`, () => {
      const run = () => fitReference(ref);
      const ts = numbers(withKernels("ts", run));
      const wasm = numbers(withKernels("wasm", run));
      expect(sameBits(ts, wasm), `ts ${ts.slice(0, 6)} wasm ${wasm.slice(0, 6)}`).toBe(true);
    });
  }

  for (const c of fixture.profile as { id: string; family: string; data: string; formula: string }[]) {
    it(`profile intervals (refits on the reduced design's kernels), ${c.id}: ts = wasm bit for bit`, () => {
      const bounds = (k: KernelChoice) => withKernels(k, () => profileIntervals(fitCase(c), { level: 0.95 }).rows.flatMap((r) => [r.lower, r.upper]));
      expect(sameBits(bounds("ts"), bounds("wasm"))).toBe(true);
    });
  }

  it.skipIf(!sharedArenasAvailable())("parallel fit (3 threads, shared WebAssembly memory) = plain-loop parallel fit", () => {
    const p = 7;
    const n = Math.ceil(PARALLEL_MIN_ENTRIES / p) + 103;
    const X = sharedFloat64(n * p);
    const { y, offset } = simulateGlm(X, n, p, 21, { intercept: -0.2, slope: (j) => 0.4 * Math.sin(j), offsetSd: 0.1 });
    const run = () => glm({ design: { X, y, n, p, columnNames: columnNames(p) }, offset, family: "binomial" }).fit();
    withThreads(3, () => expect(sameBits(numbers(withKernels("ts", run)), numbers(withKernels("wasm", run)))).toBe(true));
  });
});

/**
 * The serial passes of a fit moved onto the IRLS worker threads (docs/kernels.md,
 * "Serial passes on the workers"): the family's AIC (Family.aicRows), the log-likelihood
 * and the Pearson dispersion summed over row blocks on the workers equal the serial
 * values to 1e-12 relative on every reference fit (and R's to 1e-6), give the same bits
 * run to run at one thread count, with the same separation verdicts. The declaration's column scan (checkDesign / noteDesign)
 * split over the workers gives the serial scan's facts bit for bit (min and max are exact
 * and order-free), on shared arrays and shared design buffers, with −0/+0, constant and
 * NaN columns, and a non-finite entry is still reported by row and column.
 */
import { describe, it, expect, afterAll } from "vitest";
import { forceParallelRows } from "../../src/fit/irls-engine.js";
import { irls } from "../../src/fit/irls.js";
import { makeFamily } from "../../src/families/index.js";
import { parallelColumnRanges, parallelResponseCheck } from "../../src/fit/parallel-passes.js";
import { columnRanges, checkDesign, noteDesign } from "../../src/fit/design-scaling.js";
import { designBuffer, isDesignBuffer, sharedArenasAvailable } from "../../src/linalg/kernels/index.js";
import { sharedFloat64 } from "../../src/linalg/parallel-crossprod.js";
import { glm } from "../../models/glm.js";
import { columnNames, fitNumbers, fitReference, referenceGlmFits, sameBits, signedLcg, simulateGlm, withKernels, withThreads } from "../helpers/kernel-fits.js";

const fits = referenceGlmFits();
afterAll(() => forceParallelRows(false));

const rel = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
const summary = (f: ReturnType<typeof fitReference>): number[] => [f.aic, f.logLik, f.dispersion];

function parallelFit<T>(threads: number, f: () => T): T {
  const prev = forceParallelRows(true);
  try {
    return withThreads(threads, f);
  } finally {
    forceParallelRows(prev);
  }
}

describe("AIC, logLik and dispersion summed on the IRLS workers", () => {
  for (const ref of fits) {
    it(`${ref.id}: 3 threads = 1 thread to 1e-12, = R to 1e-6, same bits twice`, () => {
      const serialFit = withThreads(1, () => fitReference(ref));
      const serial = summary(serialFit);
      const par = parallelFit(3, () => fitReference(ref));
      expect(par.separation).toEqual(serialFit.separation);
      const again = parallelFit(3, () => summary(fitReference(ref)));
      const p = summary(par);
      // The sums did run on the workers (quasi families and Tweedie have no likelihood; a dispersion only when estimated).
      if (!/^quasi|tweedie/.test(ref.family)) expect(par.ml.irls.familyAic).toBeDefined();
      if (par.ml.dispersionEstimated) expect(par.ml.irls.pearsonSum).toBeDefined();
      expect(sameBits(p, again)).toBe(true);
      p.forEach((v, k) => {
        if (Number.isNaN(serial[k]!)) expect(v).toBeNaN();
        else expect(rel(v, serial[k]!), `${["aic", "logLik", "dispersion"][k]} ${v} vs ${serial[k]}`).toBeLessThanOrEqual(1e-12);
      });
      const r = ref.result as { aic: number | null; dispersion: number };
      if (r.aic !== null && Number.isFinite(par.aic)) expect(rel(par.aic, r.aic)).toBeLessThanOrEqual(1e-6);
      expect(rel(par.dispersion, r.dispersion)).toBeLessThanOrEqual(1e-6);
    });
  }
});

describe("the IRLS finish sums", () => {
  const n = 203, p = 3;
  const X = new Float64Array(n * p);
  const y = new Float64Array(n), w = new Float64Array(n), trials = new Float64Array(n);
  let s = 7;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < n; i++) {
    X[i * p] = 1; X[i * p + 1] = u() - 0.5; X[i * p + 2] = u() * 2;
    trials[i] = 1 + Math.floor(u() * 5);
    w[i] = trials[i]! * (i % 7 === 0 ? 2 : 1);
  }
  const cases: [string, (i: number) => number, Float64Array | null][] = [
    ["binomial", (i) => Math.round(u() * trials[i]!) / trials[i]!, trials],
    ["poisson", () => Math.floor(u() * 6), null],
    ["gaussian", () => u() * 3, null],
    ["Gamma", () => 0.1 + u() * 3, null],
    ["inverse.gaussian", () => 0.5 + u(), null],
  ];
  for (const [name, draw, t] of cases) {
    it(`${name}: the workers' aic and Pearson sum (3 threads) equal the serial sums; the serial engine computes none`, () => {
      for (let i = 0; i < n; i++) y[i] = draw(i);
      const family = makeFamily(name, {});
      const finish = { aic: true, trials: t, pearson: true };
      const ser = withThreads(1, () => irls({ X, n, p, y, weights: w, offset: null, family }, { finish }));
      expect(ser.familyAic).toBeUndefined();
      expect(ser.pearsonSum).toBeUndefined();
      const par = parallelFit(3, () => irls({ X, n, p, y, weights: w, offset: null, family }, { finish }));
      const serialAic = family.aic(y, t ?? w, par.mu, w, par.deviance);
      expect(par.familyAic).toBeDefined();
      expect(rel(par.familyAic!, serialAic)).toBeLessThanOrEqual(1e-12);
      let pearson = 0;
      for (let i = 0; i < n; i++) {
        if (!(par.workingWeights[i]! > 0)) continue;
        const r = (y[i]! - par.mu[i]!) / family.link.muEta(par.eta[i]!);
        pearson += par.workingWeights[i]! * r * r;
      }
      expect(rel(par.pearsonSum!, pearson)).toBeLessThanOrEqual(1e-12);
    });
  }
});

/** n×p values from a seeded stream, with a −0/+0 column, a constant column and extremes placed in late rows. */
function fill(X: Float64Array, n: number, p: number, seed: number): void {
  const r = signedLcg(seed);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) X[i * p + j] = j === 0 ? 1 : j === 1 ? (i % 3 === 0 ? -0 : 0) : r() * (j + 1);
  if (p > 2) { X[(n - 1) * p + 2] = 1e300; X[(n - 2) * p + 2] = -1e300; }
}

describe("column scan on the IRLS workers", () => {
  const shapes: [number, number][] = [[1, 1], [5, 3], [13, 4], [101, 5], [1003, 7], [4096, 3]];
  for (const [n, p] of shapes) {
    for (const threads of [3, 2]) {
      it(`n = ${n}, p = ${p}, ${threads} threads: = columnRanges bit for bit (shared array)`, () => {
        const X = sharedFloat64(n * p);
        fill(X, n, p, n + p);
        const ser = columnRanges(X, n, p);
        const par = parallelFit(threads, () => parallelColumnRanges(X, n, p, columnRanges));
        expect(par).not.toBeNull();
        expect(sameBits(par!.lo, ser.lo) && sameBits(par!.hi, ser.hi)).toBe(true);
      });
    }
  }

  it("a NaN in a worker's block makes that column NaN, as serially", () => {
    const n = 400, p = 3;
    const X = sharedFloat64(n * p);
    fill(X, n, p, 9);
    X[377 * p + 1] = Number.NaN;
    const ser = columnRanges(X, n, p);
    const par = parallelFit(3, () => parallelColumnRanges(X, n, p, columnRanges))!;
    expect(Number.isNaN(par.lo[1]!) && Number.isNaN(par.hi[1]!)).toBe(true);
    expect(sameBits(par.lo, ser.lo) && sameBits(par.hi, ser.hi)).toBe(true);
    expect(parallelFit(3, () => noteDesign(X, n, p))).toBeNull();
  });

  it.skipIf(!sharedArenasAvailable())("a shared design buffer (this thread's block by the SIMD scan) = the serial scan", () => {
    const n = 2003, p = 5;
    const X = designBuffer(n, p, { shared: true });
    expect(isDesignBuffer(X)).toBe(true);
    fill(X, n, p, 4);
    const ser = columnRanges(X, n, p);
    const par = parallelFit(3, () => parallelColumnRanges(X, n, p, columnRanges))!;
    expect(sameBits(par.lo, ser.lo) && sameBits(par.hi, ser.hi)).toBe(true);
    const facts = parallelFit(3, () => checkDesign(X, n, p, () => { throw new Error("finite"); }));
    expect(Array.from(facts.max)).toEqual(Array.from(ser.lo, (l, j) => Math.max(Math.abs(l), Math.abs(ser.hi[j]!))));
  });

  it("unshared X, or one thread: the serial scan (null)", () => {
    const X = new Float64Array(12);
    expect(parallelFit(3, () => parallelColumnRanges(X, 4, 3, columnRanges))).toBeNull();
    expect(parallelFit(1, () => parallelColumnRanges(sharedFloat64(12), 4, 3, columnRanges))).toBeNull();
  });

  it("a non-finite design entry is reported by row and column as on one thread", () => {
    const n = 300, p = 3;
    const X = sharedFloat64(n * p);
    fill(X, n, p, 5);
    X[250 * p + 2] = Number.POSITIVE_INFINITY;
    const y = Float64Array.from({ length: n }, (_, i) => i % 2);
    const declare = () => glm({ design: { X, y, n, p }, family: "binomial" });
    const msg = (f: () => unknown) => { try { f(); return "no error"; } catch (e) { return String(e); } };
    const serial = withThreads(1, () => msg(declare));
    expect(serial).toMatch(/row 251, column 3 is Infinity/);
    expect(parallelFit(3, () => msg(declare))).toBe(serial);
  });
});

describe("the response's row checks on the IRLS workers", () => {
  const n = 1001, p = 2;
  const X = sharedFloat64(n * p);
  for (let i = 0; i < n; i++) { X[i * p] = 1; X[i * p + 1] = ((i * 37) % 101) / 50 - 1; }
  const shared = (f: (i: number) => number): Float64Array => { const a = sharedFloat64(n); for (let i = 0; i < n; i++) a[i] = f(i); return a; };
  const msg = (f: () => unknown): string => { try { f(); return "no error"; } catch (e) { return String(e); } };
  const declare = (family: string, y: Float64Array, weights?: Float64Array) => () =>
    glm({ design: { X, y, n, p }, family, ...(weights ? { weights } : {}) });

  it("the declared problem (y, weights, warnings) is the serial one: binomial with weight-0 rows and non-integer successes, poisson, Gamma", () => {
    const cases: [string, Float64Array, Float64Array | undefined][] = [
      ["binomial", shared((i) => (i % 3 === 0 ? 0.5 : i % 2)), shared((i) => (i === 907 ? 0 : i % 5 === 0 ? 3 : 1))],
      ["binomial", shared((i) => i % 2), undefined],
      ["poisson", shared((i) => i % 4), undefined],
      ["Gamma", shared((i) => 0.5 + (i % 7)), shared((i) => 1 + (i % 2))],
    ];
    for (const [family, y, w] of cases) {
      const ser = withThreads(1, () => declare(family, y, w)());
      const par = parallelFit(3, () => declare(family, y, w)());
      const facts = (m: typeof ser) => {
        const f = m.fit();
        return { y: Array.from(f.ml.problem.y), w: Array.from(f.ml.problem.weights), warnings: f.warnings };
      };
      expect(facts(par)).toEqual(facts(ser));
    }
  });

  it("parallelResponseCheck: the flags of the whole on valid rows, null on a bad row in any block", () => {
    const fam = makeFamily("binomial", {});
    const y = shared((i) => (i === 990 ? 0.5 : i % 2));
    const w = shared((i) => (i === 11 ? 0 : 1));
    const c = parallelFit(3, () => parallelResponseCheck(fam, y, w));
    expect(c).toEqual({ weights: w, zeroWeightNonzeroY: true, nonInteger: true });
    y[11] = 0; y[990] = 1;
    expect(parallelFit(3, () => parallelResponseCheck(fam, y, w))).toEqual({ weights: w, zeroWeightNonzeroY: false, nonInteger: false });
    for (const row of [3, 500, 1000]) {
      const yb = Float64Array.from(y); const ys = sharedFloat64(n); ys.set(yb); ys[row] = 1.5;
      expect(parallelFit(3, () => parallelResponseCheck(fam, ys, w))).toBeNull();
    }
    expect(parallelFit(3, () => parallelResponseCheck(fam, Float64Array.from(y), w))).toBeNull(); // unshared y: not split
  });

  const bad: [string, string, (i: number) => number, ((i: number) => number) | null][] = [
    ["binomial", "NaN y in the last worker's block", (i) => (i === 950 ? Number.NaN : i % 2), null],
    ["binomial", "y outside [0, 1] in a worker's block", (i) => (i === 700 ? 2 : i % 2), null],
    ["binomial", "y outside [0, 1] on a weight-0 row is zeroed, not an error", (i) => (i === 600 ? 2 : i % 2), (i) => (i === 600 ? 0 : 1)],
    ["poisson", "negative count in this thread's block", (i) => (i === 20 ? -1 : i % 3), null],
    ["Gamma", "y = 0 in a worker's block", (i) => (i === 800 ? 0 : 1 + (i % 3)), null],
    ["gaussian", "Infinity y in a worker's block", (i) => (i === 999 ? Infinity : i), null],
    ["poisson", "a negative weight", (i) => i % 3, (i) => (i === 555 ? -1 : 1)],
    ["poisson", "a NaN weight", (i) => i % 3, (i) => (i === 556 ? Number.NaN : 1)],
  ];
  for (const [family, what, fy, fw] of bad) {
    it(`${family}, ${what}: the error (or none) names the same row as on one thread`, () => {
      const y = shared(fy);
      const w = fw ? shared(fw) : undefined;
      const serial = withThreads(1, () => msg(() => declare(family, y, w)().fit().deviance));
      expect(parallelFit(3, () => msg(() => declare(family, y, w)().fit().deviance))).toBe(serial);
      if (!/zeroed/.test(what)) expect(serial).toMatch(/row \d+/);
    });
  }
});

describe.skipIf(!sharedArenasAvailable())("X copied into the kernels' memory by row blocks on the workers", () => {
  for (const [n, p] of [[13, 2], [1001, 3], [4099, 5]] as const) {
    it(`n = ${n}, p = ${p}, 3 threads: the SIMD fit on the block-copied X = the plain-loop fit on X, bit for bit`, () => {
      const X = sharedFloat64(n * p);
      const { y, offset } = simulateGlm(X, n, p, n, { offsetSd: 0.1 });
      const run = () => glm({ design: { X, y, n, p, columnNames: columnNames(p) }, offset, family: "binomial" }).fit();
      const ts = parallelFit(3, () => withKernels("ts", () => fitNumbers(run())));
      const wasm = parallelFit(3, () => withKernels("wasm", () => fitNumbers(run())));
      expect(sameBits(ts, wasm)).toBe(true);
    });
  }
});

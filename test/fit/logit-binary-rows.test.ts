/**
 * The blocked binary-logit IRLS kernel (src/families/logit-binary-rows.ts, its wasm version
 * assembly/logit-blocked.ts): the wasm kernel gives the TypeScript oracle's bits (μ, W, z,
 * the 8 class products, the rescale count, validity) on random rows with odd n, zero weights,
 * offsets, η at the clamps ±30 and their ulps, ±800 and NaN, on any split of the rows; and it
 * stays within its documented bound of the generic loop (μ, W, z, the deviance) and of the
 * fits without it (coefficients ≤ 1e-12, deviance ≤ 1e-13 relative, the same iterations) on
 * every binary reference fit of test/reference/glm.json, simulated, separated and
 * near-separated fits, and a threaded fit.
 */
import { describe, it, expect } from "vitest";
import uniformFactory from "@stdlib/random-base-uniform";
import normalFactory from "@stdlib/random-base-normal";
import { glm } from "../../models/glm.js";
import { makeFamily } from "../../src/families/index.js";
import { binaryUnitRows, binomialLogitBinaryRows, logitBinaryProducts } from "../../src/families/logit-binary-rows.js";
import { designKernelSet, useKernels, wasmKernelsAvailable, sharedArenasAvailable, type KernelChoice } from "../../src/linalg/kernels/index.js";
import { sharedFloat64, PARALLEL_MIN_ENTRIES } from "../../src/linalg/parallel-crossprod.js";
import { nullDevianceRows, refreshRows, rowKernelsFor, startRows, useBlockedLogit, weightRows, type RowBuffers } from "../../src/fit/irls-rows.js";
import { columnNames, fitReference, referenceGlmFits, sameBits, simulateGlm, withThreads } from "../helpers/kernel-fits.js";

const EPS = Number.EPSILON;
const fam = makeFamily("binomial", { link: "logit" });
const kinds: ("ts" | "wasm")[] = wasmKernelsAvailable() ? ["ts", "wasm"] : ["ts"];

/** η values on every branch: the clamps ±30 and their ulps, overflow, ±0, NaN. */
const EXTREME = [30, -30, 30.000000000000004, 29.999999999999996, -30.000000000000004, -29.999999999999996,
  800, -800, 709.9, -745.2, 0, -0, 36.04, -36.04, 1e-300, Number.NaN, 700, -700];

interface Rows { y: Float64Array; w: Float64Array; offset: Float64Array | null; eta: Float64Array }

function binaryRows(n: number, seed: number, withOffset: boolean, extreme: boolean, nan = false): Rows {
  const rnorm = normalFactory.factory(0, 1, { seed });
  const runif = uniformFactory.factory(0, 1, { seed: seed + 1 });
  const r: Rows = { y: new Float64Array(n), w: new Float64Array(n), offset: withOffset ? new Float64Array(n) : null, eta: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const u = runif();
    const e = extreme && u < 0.3 ? EXTREME[i % EXTREME.length]! : 4 * rnorm();
    r.eta[i] = !nan && e !== e ? 1 : e;
    r.w[i] = runif() < 0.1 ? 0 : 1;
    r.y[i] = runif() < 0.5 ? 1 : 0;
    if (r.offset) r.offset[i] = rnorm();
  }
  return r;
}

function buffers(r: Rows, kind: "ts" | "wasm", blocked: boolean): RowBuffers {
  const n = r.y.length;
  const X = new Float64Array(n).fill(1);
  const set = designKernelSet(X, n, 1, { vectors: Array.from({ length: 9 }, () => n), helpers: 0, shared: false, kind });
  const copy = (a: Float64Array) => { const v = set.vector(n); v.set(a); return v; };
  const rk = blocked ? binomialLogitBinaryRows : fam.rows!;
  return {
    k: set.main, X: set.main.X, p: 1, y: copy(r.y), w: copy(r.w), offset: r.offset ? copy(r.offset) : null,
    eta: copy(r.eta), mu: set.vector(n), W: set.vector(n), z: set.vector(n), dmu: rk.dmu ? set.vector(n) : null, rows: rk,
  };
}

/** The raw products of rows [start, end): the wasm kernel's, or the oracle's. */
function raw(b: RowBuffers, start: number, end: number, kind: "ts" | "wasm"): number[] {
  if (kind === "wasm") return Array.from(b.k.rowsUpdateRaw!(binomialLogitBinaryRows.code, b, start, end)!.subarray(0, 10));
  const out = new Float64Array(10);
  logitBinaryProducts(b, start, end, out);
  return Array.from(out);
}

function withChoice<T>(k: KernelChoice, blocked: boolean, f: () => T): T {
  const prevK = useKernels(k);
  const prevB = useBlockedLogit(blocked);
  try {
    return f();
  } finally {
    useKernels(prevK);
    useBlockedLogit(prevB);
  }
}

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("the blocked binary-logit kernel: wasm = the TypeScript oracle, bit for bit", () => {
  it.skipIf(!wasmKernelsAvailable())("random rows, odd n, offsets, zero weights, extreme η and NaN, any split into ranges", () => {
    const runif = uniformFactory.factory(0, 1, { seed: 99 });
    for (const [seed, n, withOffset, extreme] of [[3, 1, false, false], [5, 37, true, true], [7, 1001, false, true], [9, 2000, true, false], [11, 8, true, true]] as const) {
      for (const nan of [false, true]) {
        const r = binaryRows(n, seed, withOffset, extreme, nan);
        const t = buffers(r, "ts", true);
        const w = buffers(r, "wasm", true);
        expect(w.k.kind).toBe("wasm");
        // A random split into up to 6 ranges, ends anywhere (not on multiples of 8).
        const cuts = [0, ...Array.from({ length: 5 }, () => Math.floor(runif() * (n + 1))), n].sort((a, b) => a - b);
        for (let s = 0; s + 1 < cuts.length; s++) {
          const a = raw(t, cuts[s]!, cuts[s + 1]!, "ts");
          const b = raw(w, cuts[s]!, cuts[s + 1]!, "wasm");
          expect(sameBits(a, b), `n = ${n}, rows [${cuts[s]}, ${cuts[s + 1]})`).toBe(true);
          if (cuts[s] !== cuts[s + 1]) expect(a[9]).toBe(nan && extreme && Array.from(r.eta.subarray(cuts[s], cuts[s + 1])).some(Number.isNaN) ? 0 : 1);
        }
        expect(sameBits(t.mu, w.mu) && sameBits(t.dmu!, w.dmu!) && sameBits(t.z, w.z), `n = ${n}`).toBe(true);
        // Through the engine's path (refreshRows → rowsUpdateRaw → close) too, and the weights' counts.
        const ut = refreshRows(t, fam, 0, n), uw = refreshRows(w, fam, 0, n);
        expect(Object.is(ut.deviance, uw.deviance) && ut.valid === uw.valid).toBe(true);
        // The weights pass (wasm: assembly/logit-blocked.ts logitBinaryWeights) on the same split.
        expect(w.k.rowsWeights!(binomialLogitBinaryRows.code, w, 0, 0)).not.toBeNull();
        for (let s = 0; s + 1 < cuts.length; s++) {
          const a = binomialLogitBinaryRows.weights(t, cuts[s]!, cuts[s + 1]!);
          const b = w.k.rowsWeights!(binomialLogitBinaryRows.code, w, cuts[s]!, cuts[s + 1]!)!;
          expect(b).toEqual(a);
        }
        expect(sameBits(t.W, w.W)).toBe(true);
      }
    }
  });

  it.skipIf(!wasmKernelsAvailable())("products that need rescaling: 2000 rows at η = ±30 (p ≈ ε) against y", () => {
    const n = 2000;
    const r: Rows = { y: new Float64Array(n), w: new Float64Array(n).fill(1), offset: null, eta: new Float64Array(n) };
    for (let i = 0; i < n; i++) { r.y[i] = i % 3 === 0 ? 1 : 0; r.eta[i] = r.y[i] === 1 ? -29.5 - (i % 7) / 10 : 29.5 + (i % 5) / 10; }
    const a = raw(buffers(r, "ts", true), 3, n, "ts");
    const b = raw(buffers(r, "wasm", true), 3, n, "wasm");
    expect(sameBits(a, b)).toBe(true);
    expect(a[8]).toBeGreaterThan(100); // rescales happened
    // The closed deviance is Σ 2 log(1/p) (≈ 2·30 per row) within the bound (the generic loop's 1 − μ ≈ 1e-13 loses 3 digits here).
    const bl = refreshRows(buffers(r, "ts", true), fam, 3, n).deviance;
    expect(Math.abs(bl - accurateDeviance(r, 3, n))).toBeLessThanOrEqual(1e-14 * bl + 4 * n * EPS);
  });
});

/**
 * Σ d_i over rows [start, end) accurately: d = 2 log1p(s), s = e^{∓η} clamped as R's logit
 * (ε, 1/ε beyond ±30), 0 where w = 0 (Math.exp, Math.log1p: a few ulps of each d).
 */
function accurateDeviance(r: Rows, start: number, end: number): number {
  let dev = 0;
  for (let i = start; i < end; i++) {
    if (r.w[i] === 0) continue;
    const u = r.y[i] === 1 ? -r.eta[i]! : r.eta[i]!;
    const s = u > 30 ? 1 / EPS : u < -30 ? EPS : Math.exp(u);
    dev += 2 * Math.log1p(s);
  }
  return dev;
}

/** The generic loop's own rounding: 1 − μ (in V, y − μ and the deviance) errs by ε/2 absolute, ε/(2 min(μ, 1 − μ)) relative. */
const genericSlack = (m: number) => EPS / Math.max(Math.min(m, 1 - m), EPS);

describe("the blocked kernel against an accurate deviance and the generic loop (its documented bound)", () => {
  for (const [seed, n, withOffset, extreme] of [[21, 1, false, false], [23, 37, true, true], [25, 1001, false, true], [27, 3000, true, false]] as const) {
    it(`n = ${n}${withOffset ? ", offset" : ""}${extreme ? ", extreme η" : ""}: μ, W, z, deviance, validity, informative rows`, () => {
      const r = binaryRows(n, seed, withOffset, extreme);
      const gen = buffers(r, "ts", false);
      const generic = { ...gen, rows: null };
      const ug = refreshRows(generic, fam, 0, n);
      const A = new Float64Array(1), bv = new Float64Array(1);
      const wg = weightRows(generic, fam, 0, n, A, bv);
      const exact = accurateDeviance(r, 0, n);
      let slack = 0;
      for (let i = 0; i < n; i++) if (r.w[i] !== 0) slack += 2 * genericSlack(gen.mu[i]!);
      for (const kind of kinds) {
        const bl = buffers(r, kind, true);
        const ub = refreshRows(bl, fam, 0, n);
        const wb = weightRows(bl, fam, 0, n, new Float64Array(1), new Float64Array(1));
        expect(ub.valid).toBe(ug.valid);
        expect(wb).toEqual(wg);
        // The blocked deviance: ≤ 2ε per row absolute (p's two roundings, its product's) and a few ulps relative.
        expect(Math.abs(ub.deviance - exact), `${kind} ${ub.deviance} ${exact}`).toBeLessThanOrEqual(1e-14 * exact + 4 * n * EPS);
        // The generic loop's deviance errs by its own 1 − μ cancellation on top.
        expect(Math.abs(ub.deviance - ug.deviance)).toBeLessThanOrEqual(1e-14 * exact + 4 * n * EPS + slack);
        for (let i = 0; i < n; i++) {
          const m = gen.mu[i]!, g = genericSlack(m);
          // μ: fastExp ≤ 1 ulp and one or two roundings (p = 1/q, s·p), the generic μ near 1 ε/2 absolute.
          expect(Math.abs(bl.mu[i]! - m), `μ_${i}`).toBeLessThanOrEqual(4 * EPS * m + EPS / 2);
          if (r.w[i] === 0) { expect(bl.W[i]).toBe(0); expect(bl.z[i]).toBe(0); continue; }
          // W = μ′ against μ′²/(μ(1 − μ)) (the generic V's cancellation: 2g relative).
          expect(relErr(bl.W[i]!, generic.W[i]!), `W_${i}`).toBeLessThanOrEqual(8 * EPS + 2 * g);
          // z − (η − offset) = ±q against (y − μ)/μ′ (y − μ: g relative).
          const dz = generic.z[i]! - (r.eta[i]! - (r.offset?.[i] ?? 0));
          expect(Math.abs(bl.z[i]! - generic.z[i]!), `z_${i}`).toBeLessThanOrEqual(4 * EPS * Math.abs(generic.z[i]!) + (8 * EPS + 2 * g) * Math.abs(dz));
        }
      }
    });
  }

  it("the start η and the null deviance are the generic loop's bits; weights count the rows with w > 0", () => {
    for (const [seed, n] of [[31, 1], [33, 999]] as const) {
      const r = binaryRows(n, seed, true, false);
      const generic = { ...buffers(r, "ts", false), rows: null };
      startRows(generic, fam, 0, n);
      for (const kind of kinds) {
        const bl = buffers(r, kind, true);
        startRows(bl, fam, 0, n);
        expect(sameBits(generic.eta, bl.eta)).toBe(true);
        for (const mu0 of [0.3, 1e-300, 0.999999, 0, 1, 0.5]) {
          expect(Object.is(nullDevianceRows(generic, fam, mu0, 0, n), nullDevianceRows(bl, fam, mu0, 0, n)), `μ₀ = ${mu0}`).toBe(true);
        }
        refreshRows(bl, fam, 0, n);
        expect(binomialLogitBinaryRows.weights(bl, 0, n).nGood).toBe(r.w.filter((x) => x > 0).length);
      }
    }
  });

  it("the blocked path is chosen only for 0/1 y with 0/1 weights and the logit link", () => {
    const y = Float64Array.of(0, 1, 1, 0), w = Float64Array.of(1, 0, 1, 1);
    expect(rowKernelsFor(fam, y, w)).toBe(binomialLogitBinaryRows);
    expect(rowKernelsFor(makeFamily("quasibinomial", { link: "logit" }), y, w)).toBe(binomialLogitBinaryRows);
    expect(rowKernelsFor(fam, Float64Array.of(0, 0.5, 1, 0), w)).toBe(fam.rows); // a proportion
    expect(rowKernelsFor(fam, y, Float64Array.of(1, 2, 1, 1))).toBe(fam.rows); // trials or a case weight
    expect(rowKernelsFor(fam, y, Float64Array.of(1, 0.5, 1, 1))).toBe(fam.rows);
    const probit = makeFamily("binomial", { link: "probit" });
    expect(rowKernelsFor(probit, y, w)).toBe(probit.rows); // the probit's own row kernel, never the blocked logit
    expect(probit.rows?.code).not.toBe(binomialLogitBinaryRows.code);
    expect(rowKernelsFor(makeFamily("binomial", { link: "cauchit" }), y, w)).toBeNull();
    // Every row kernel has its own code (an IRLS worker rebuilds its engine's kernel from it).
    const codes = [binomialLogitBinaryRows.code, ...[["binomial", "logit"], ["binomial", "probit"], ["poisson", "log"], ["gaussian", "identity"], ["Gamma", "log"]]
      .map(([f, link]) => makeFamily(f!, { link }).rows!.code), makeFamily("negative.binomial", { theta: 2 }).rows!.code];
    expect(new Set(codes).size).toBe(codes.length);
    expect(binaryUnitRows(Float64Array.of(Number.NaN), Float64Array.of(1))).toBe(false);
    const prev = useBlockedLogit(false);
    try {
      expect(rowKernelsFor(fam, y, w)).toBe(fam.rows);
    } finally {
      useBlockedLogit(prev);
    }
  });
});

/** Coefficients, deviance and iterations of a fit, with and without the blocked kernel, compared within the bound. */
function expectWithinBound(run: () => ReturnType<ReturnType<typeof glm>["fit"]>, label: string, devFloor = 0, noOffset = true, betaTol = 1e-12): void {
  const base = withChoice("ts", false, run);
  for (const kind of kinds) {
    const fit = withChoice(kind, true, run);
    expect(fit.iterations, `${label} ${kind} iterations`).toBe(base.iterations);
    expect(fit.converged).toBe(base.converged);
    const scale = Math.max(...base.coefficients.map((c) => Math.abs(c.estimate ?? 0)));
    fit.coefficients.forEach((c, j) => {
      const b = base.coefficients[j]!;
      if (b.estimate === null) return expect(c.estimate).toBeNull();
      expect(Math.abs(c.estimate! - b.estimate) / scale, `${label} ${kind} β${j}`).toBeLessThanOrEqual(betaTol);
      expect(relErr(c.se!, b.se!), `${label} ${kind} se${j}`).toBeLessThanOrEqual(100 * betaTol);
    });
    expect(Math.abs(fit.deviance - base.deviance), `${label} ${kind} deviance ${fit.deviance} ${base.deviance}`).toBeLessThanOrEqual(1e-13 * base.deviance + devFloor);
    expect(relErr(fit.aic!, base.aic!)).toBeLessThanOrEqual(1e-12);
    // The working weights of record (R's fit$weights: those of the last iteration's start), through the hat values.
    const h = fit.hatvalues(), hb = base.hatvalues();
    for (let i = 0; i < hb.length; i++) expect(Math.abs(h[i]! - hb[i]!), `${label} ${kind} hat ${i}`).toBeLessThanOrEqual(100 * betaTol * Math.max(hb[i]!, 1e-3));
    // binomialLogitRows' null deviance (the same bits); with an offset, R's null deviance is an intercept-only fit (on the blocked path).
    if (noOffset) expect(Object.is(fit.nullDeviance, base.nullDeviance)).toBe(true);
    else expect(Math.abs(fit.nullDeviance - base.nullDeviance)).toBeLessThanOrEqual(1e-13 * base.nullDeviance + devFloor);
  }
}

describe("fits with the blocked kernel = fits without it, within the bound", () => {
  // A 0/1 response without weights (cbind counts and proportions with trials take binomialLogitRows).
  const binary = referenceGlmFits().filter((ref) => ref.family.endsWith("binomial") && ref.link === "logit" && !ref.formula.startsWith("cbind") && ref.weights === null);
  it("the reference fits include binary-response logit fits (birthwt, the separated endometrial fit)", () => {
    expect(binary.map((r) => r.id)).toEqual(expect.arrayContaining(["birthwt_logit", "birthwt_logit_maxit3", "endometrial_logit_separated"]));
  });
  for (const ref of binary) {
    // Separated (endometrial's NV): β_NV runs off toward ∞ and its value at the stop depends on the rows at
    // p < 1e-8, where the generic W = μ′²/(μ(1 − μ)) carries 1 − μ's cancellation (ε/p relative) and the blocked
    // W = μ′ does not: the same iterations, β within 1e-10 of the largest |β|, SEs within 1e-8 (the separated SE is ≈ 10³; both within R's 1e-6).
    const betaTol = ref.id.includes("separated") ? 1e-10 : 1e-12;
    it(`${ref.id}: ${ref.family}(${ref.link}) ${ref.formula}`, () => expectWithinBound(() => fitReference(ref), ref.id, 0, true, betaTol));
  }

  for (const [label, intercept, slopeScale, n] of [["moderate", -0.3, 1, 3001], ["near-separated (|η| > 30)", 0.5, 25, 2001], ["rare events", -5, 1, 8001]] as const) {
    it(`simulated ${label}, n = ${n}, zero weights and an offset`, () => {
      const p = 6;
      const X = new Float64Array(n * p);
      const { y, offset, weights } = simulateGlm(X, n, p, 41, { intercept, slope: (j) => slopeScale * 0.5 * Math.cos(j), offsetSd: 0.2, zeroWeightShare: 0.05 });
      expect(binaryUnitRows(y, weights!)).toBe(true);
      const run = () => glm({ design: { X, y, n, p, columnNames: columnNames(p) }, offset, weights, family: "binomial", link: "logit" }).fit();
      expectWithinBound(run, label, 4 * n * EPS, false);
    });
  }

  it("a separated fit (y = 1 exactly where x > 0): the same warnings, iterations and fitted values within ε", () => {
    const n = 200, p = 2;
    const X = new Float64Array(n * p);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) { X[2 * i] = 1; X[2 * i + 1] = (i - 99.5) / 50; y[i] = i >= 100 ? 1 : 0; }
    const run = () => glm({ design: { X, y, n, p, columnNames: columnNames(p) }, family: "binomial", link: "logit" }).fit();
    const base = withChoice("ts", false, run);
    for (const kind of kinds) {
      const fit = withChoice(kind, true, run);
      expect(fit.iterations).toBe(base.iterations);
      expect(fit.warnings).toEqual(base.warnings);
      // The deviance is a sum of terms of ε's order: the bound's absolute floor, 4nε.
      expect(Math.abs(fit.deviance - base.deviance)).toBeLessThanOrEqual(1e-13 * base.deviance + 4 * n * EPS);
      for (let i = 0; i < n; i++) expect(Math.abs(fit.fitted[i]! - base.fitted[i]!)).toBeLessThanOrEqual(1e-9);
    }
  });
});

describe.skipIf(!sharedArenasAvailable())("the blocked kernel on the parallel engine (2 workers)", () => {
  it("wasm = plain loops bit for bit on threads; within the bound of the one-thread fit", () => {
    const p = 7;
    const n = Math.ceil(PARALLEL_MIN_ENTRIES / p) + 103;
    const X = sharedFloat64(n * p);
    const { y, offset, weights } = simulateGlm(X, n, p, 31, { intercept: -0.2, slope: (j) => 0.3 * Math.sin(j), offsetSd: 0.1, zeroWeightShare: 0.05 });
    const run = () => glm({ design: { X, y, n, p, columnNames: columnNames(p) }, offset, weights, family: "binomial", link: "logit" }).fit();
    const threaded = withThreads(3, () => kinds.map((k) => withChoice(k, true, run)));
    const nums = (f: (typeof threaded)[number]) => [...f.coefficients.map((c) => c.estimate!), f.deviance, f.iterations, ...Array.from(f.fitted)];
    for (const f of threaded.slice(1)) expect(sameBits(nums(threaded[0]!), nums(f))).toBe(true);
    // One thread: the blocks' deviances and XᵀWX add in another order (the bound of irls-parallel.test.ts).
    const serial = withThreads(1, () => withChoice(kinds.at(-1)!, true, run));
    expect(threaded[0]!.iterations).toBe(serial.iterations);
    expect(Math.abs(threaded[0]!.deviance - serial.deviance)).toBeLessThan(1e-12 * serial.deviance);
    threaded[0]!.coefficients.forEach((c, j) => expect(Math.abs(c.estimate! - serial.coefficients[j]!.estimate!)).toBeLessThan(1e-10 * (1 + Math.abs(serial.coefficients[j]!.estimate!))));
  });
});

/**
 * The binomial–probit row kernel (src/families/row-kernels.ts binomialProbitRows, TypeScript
 * only: the wasm kernels decline code 6) gives the generic loop of src/fit/irls-rows.ts bit
 * for bit: on random rows with extreme η (the ±8.1259 clamps and the ulps around them, ±40,
 * NaN), zero weights, trials and offsets; its start and null deviance; fast-check
 * properties; and the reference probit fits, under the plain and the SIMD dense kernels.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import normalFactory from "@stdlib/random-base-normal";
import uniformFactory from "@stdlib/random-base-uniform";
import { makeFamily } from "../../src/families/index.js";
import { useKernels, wasmKernelsAvailable, type KernelChoice } from "../../src/linalg/kernels/index.js";
import { fitNumbers as numbers, fitReference, referenceGlmFits, sameBits } from "../helpers/kernel-fits.js";
import { nullDevianceRows, startRows, useRowKernels } from "../../src/fit/irls-rows.js";
import { rowBuffers, rowPass, type Rows } from "../helpers/row-buffers.js";

function withSettings<T>(k: KernelChoice, rows: boolean, f: () => T): T {
  const prevK = useKernels(k);
  const prevR = useRowKernels(rows);
  try {
    return f();
  } finally {
    useKernels(prevK);
    useRowKernels(prevR);
  }
}

/** η values that probe every branch: the clamps at ±t = ±(−Φ⁻¹(ε)) and the ulps either side, far tails, NaN. */
const T = 8.125890664701906;
const EXTREME = [T, -T, T + 1.7763568394002505e-15, T - 1.7763568394002505e-15, -T - 1.7763568394002505e-15, -T + 1.7763568394002505e-15,
  5, -5, 4.999999999999999, 37.5, -37.5, 40, -40, 0, -0, 1e-300, Number.NaN, 800, -800];

function randomRows(n: number, seed: number, withOffset: boolean, extreme: boolean): Rows {
  const rnorm = normalFactory.factory(0, 1, { seed });
  const runif = uniformFactory.factory(0, 1, { seed: seed + 1 });
  const y = new Float64Array(n);
  const w = new Float64Array(n);
  const eta = new Float64Array(n);
  const offset = withOffset ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    eta[i] = extreme && runif() < 0.3 ? EXTREME[i % EXTREME.length]! : 2 * rnorm();
    if (offset) offset[i] = rnorm();
    const trials = runif() < 0.1 ? 0 : 1 + Math.floor(5 * runif());
    w[i] = runif() < 0.5 ? (trials === 0 ? 0 : 1) : trials;
    y[i] = w[i] === 0 ? 0 : Math.round(runif() * w[i]!) / w[i]!;
  }
  return { y, w, offset, eta };
}

const kinds: ("ts" | "wasm")[] = wasmKernelsAvailable() ? ["ts", "wasm"] : ["ts"];

describe("binomial–probit row kernel = the generic loop, bit for bit", () => {
  for (const name of ["binomial", "quasibinomial"]) {
    const fam = makeFamily(name, { link: "probit" });
    it(`${name}(probit) has the row kernel`, () => {
      expect(fam.rows?.name).toBe("binomial-probit");
    });
    for (const kind of kinds) {
      for (const [seed, n, withOffset, extreme] of [[3, 1, false, false], [5, 37, true, true], [7, 1001, false, true], [9, 2000, true, false]] as const) {
        it(`${name}(probit), ${kind} kernels, n = ${n}${withOffset ? ", offset" : ""}${extreme ? ", extreme η" : ""}`, () => {
          const r = randomRows(n, seed, withOffset, extreme);
          const generic = rowPass(fam, rowBuffers(fam, r, "ts", false));
          const special = rowPass(fam, rowBuffers(fam, r, kind, true));
          expect(sameBits(generic, special)).toBe(true);
          if (r.eta.some(Number.isNaN)) expect(generic[1]).toBe(0);
        });
      }
    }
  }

  for (const kind of kinds) {
    it(`start rows and the null deviance, ${kind} kernels = the generic loop`, () => {
      const fam = makeFamily("binomial", { link: "probit" });
      for (const [seed, n] of [[13, 1], [15, 999]] as const) {
        const r = randomRows(n, seed, true, false);
        const gen = rowBuffers(fam, r, "ts", false);
        const ker = rowBuffers(fam, r, kind, true);
        const a = startRows(gen, fam, 0, n);
        const b = startRows(ker, fam, 0, n);
        expect(sameBits([a.deviance, +a.valid, ...gen.eta, ...gen.mu], [b.deviance, +b.valid, ...ker.eta, ...ker.mu]), "start").toBe(true);
        for (const mu0 of [0.3, 1e-300, 0.999999, "offset" as const]) {
          expect(Object.is(nullDevianceRows(gen, fam, mu0, 0, n), nullDevianceRows(ker, fam, mu0, 0, n)), `null deviance at ${mu0}`).toBe(true);
        }
      }
    });
  }

  it("a starting μ outside [0, 1] (negative weights) is the link's ArgumentError with or without the kernel", () => {
    const fam = makeFamily("binomial", { link: "probit" });
    const r: Rows = { y: Float64Array.of(1, 0, 1), w: Float64Array.of(1, 2, -3), offset: null, eta: new Float64Array(3) };
    for (const rows of [false, true]) expect(() => startRows(rowBuffers(fam, r, "ts", rows), fam, 0, 3)).toThrow(/out of range \[0, 1\] for the probit link/);
  });

  it("fast-check: any η, y, weights and offsets (n from 1 to 300)", () => {
    const fam = makeFamily("binomial", { link: "probit" });
    const eta = fc.oneof(fc.double({ min: -12, max: 12, noNaN: true }), fc.constantFrom(...EXTREME), fc.double());
    const row = fc.record({
      eta,
      u: fc.double({ min: 0, max: 1, noNaN: true }),
      w: fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 100, noNaN: true })),
      off: fc.double({ min: -5, max: 5, noNaN: true }),
    });
    const arb = fc.record({ rows: fc.array(row, { minLength: 1, maxLength: 300 }), withOffset: fc.boolean() });
    fc.assert(fc.property(arb, ({ rows, withOffset }) => {
      const n = rows.length;
      const r: Rows = { y: new Float64Array(n), w: new Float64Array(n), offset: withOffset ? new Float64Array(n) : null, eta: new Float64Array(n) };
      rows.forEach((x, i) => {
        r.eta[i] = x.eta;
        r.w[i] = x.w;
        r.y[i] = Number.isInteger(x.w) && x.w > 0 ? Math.round(x.u * x.w) / x.w : x.u;
        if (r.offset) r.offset[i] = x.off;
      });
      const generic = rowPass(fam, rowBuffers(fam, r, "ts", false));
      for (const kind of kinds) if (!sameBits(generic, rowPass(fam, rowBuffers(fam, r, kind, true)))) return false;
      return true;
    }), { numRuns: 60 });
  });

  const refs = referenceGlmFits().filter((r) => r.link === "probit");
  it("the reference fits include probit fits", () => {
    expect(refs.length).toBeGreaterThan(0);
  });
  for (const ref of refs) {
    it(`${ref.id}: ${ref.family}(probit) ${ref.formula}: the same bits with the row kernel, plain and SIMD`, () => {
      const run = () => fitReference(ref);
      const generic = numbers(withSettings("ts", false, run));
      for (const kind of kinds) expect(sameBits(generic, numbers(withSettings(kind, true, run))), kind).toBe(true);
    });
  }
});

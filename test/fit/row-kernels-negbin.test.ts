/**
 * The negative binomial–log row kernel (src/families/row-kernels.ts negbinLogRows, θ fixed:
 * glm.nb's inner IRLS) gives the generic loop of src/fit/irls-rows.ts bit for bit: on random
 * rows with extreme η (overflow to ∞, underflow to the ε clamp, NaN), zero weights, zero and
 * large counts, offsets and θ from 10⁻³ to 10⁸; its start and null deviance; fast-check
 * properties; and the reference negative binomial fits (fixed θ and glm.nb), under the plain
 * and the SIMD kernels.
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

/** η values that probe every branch: e^η overflowing and underflowing below ε, the ulps near 0, NaN. */
const EXTREME = [800, -800, 709.78, 709.79, -36.04, -36.05, -745.2, 0, -0, 1e-300, Number.NaN, 700, -700, 40, -40];
const THETAS = [1e-3, 0.37, 1.5, 12.25, 1e8];

function randomRows(n: number, seed: number, withOffset: boolean, extreme: boolean): Rows {
  const rnorm = normalFactory.factory(0, 1, { seed });
  const runif = uniformFactory.factory(0, 1, { seed: seed + 1 });
  const y = new Float64Array(n);
  const w = new Float64Array(n);
  const eta = new Float64Array(n);
  const offset = withOffset ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    eta[i] = extreme && runif() < 0.3 ? EXTREME[i % EXTREME.length]! : 3 * rnorm();
    if (offset) offset[i] = rnorm();
    const u = runif();
    w[i] = u < 0.1 ? 0 : u < 0.6 ? 1 : 0.5 + 3 * runif();
    const v = runif();
    y[i] = v < 0.3 ? 0 : v < 0.4 ? 1 : v < 0.95 ? Math.floor(20 * runif()) : Math.floor(1e6 * runif());
  }
  return { y, w, offset, eta };
}

const kinds: ("ts" | "wasm")[] = wasmKernelsAvailable() ? ["ts", "wasm"] : ["ts"];
const nb = (theta: number, link = "log") => makeFamily("negative_binomial", { theta, link });

describe("negative binomial–log row kernel = the generic loop, bit for bit", () => {
  it("the log link has the row kernel (with its θ); sqrt and identity keep the generic loop", () => {
    const f = nb(2.5);
    expect(f.rows?.name).toBe("negbin-log");
    expect(f.rows?.param).toBe(2.5);
    expect(nb(2.5, "sqrt").rows ?? null).toBeNull();
    expect(nb(2.5, "identity").rows ?? null).toBeNull();
  });

  for (const kind of kinds) {
    for (const [k, theta] of THETAS.entries()) {
      for (const [seed, n, withOffset, extreme] of [[3, 1, false, false], [5, 37, true, true], [7, 1001, false, true], [9, 2000, true, false]] as const) {
        it(`θ = ${theta}, ${kind} kernels, n = ${n}${withOffset ? ", offset" : ""}${extreme ? ", extreme η" : ""}`, () => {
          const fam = nb(theta);
          const r = randomRows(n, seed + 17 * k, withOffset, extreme);
          const generic = rowPass(fam, rowBuffers(fam, r, "ts", false));
          const special = rowPass(fam, rowBuffers(fam, r, kind, true));
          expect(sameBits(generic, special)).toBe(true);
          if (r.eta.some(Number.isNaN)) expect(generic[1]).toBe(0); // a NaN η: invalid, as the generic loop says
        });
      }
    }

    it(`start rows and the null deviance, ${kind} kernels = the generic loop`, () => {
      for (const theta of THETAS) {
        const fam = nb(theta);
        for (const [seed, n] of [[13, 1], [15, 999]] as const) {
          const r = randomRows(n, seed, true, false);
          const gen = rowBuffers(fam, r, "ts", false);
          const ker = rowBuffers(fam, r, kind, true);
          const a = startRows(gen, fam, 0, n);
          const b = startRows(ker, fam, 0, n);
          expect(sameBits([a.deviance, +a.valid, ...gen.eta, ...gen.mu], [b.deviance, +b.valid, ...ker.eta, ...ker.mu]), `θ ${theta} start`).toBe(true);
          for (const mu0 of [0.3, 1e-300, 2.5, 1e6, "offset" as const]) {
            expect(Object.is(nullDevianceRows(gen, fam, mu0, 0, n), nullDevianceRows(ker, fam, mu0, 0, n)), `θ ${theta} null deviance at ${mu0}`).toBe(true);
          }
        }
      }
    });
  }

  it.skipIf(!wasmKernelsAvailable())("the wasm kernels run (code 5 with θ from the record), and decline without a θ", () => {
    const fam = nb(1.5);
    const b = rowBuffers(fam, randomRows(9, 21, true, false), "wasm", true);
    expect(b.k.rowsUpdate!(fam.rows!.code, b, 0, 9)).not.toBeNull();
    expect(b.k.rowsWeights!(fam.rows!.code, b, 0, 9)).not.toBeNull();
    const bare = { ...b, rows: null };
    expect(b.k.rowsUpdate!(fam.rows!.code, bare, 0, 9)).toBeNull();
    expect(b.k.rowsWeights!(fam.rows!.code, bare, 0, 9)).toBeNull();
  });

  it("fast-check: any η, counts, weights, offsets and θ (n from 1 to 300)", () => {
    const eta = fc.oneof(fc.double({ min: -40, max: 40, noNaN: true }), fc.constantFrom(...EXTREME), fc.double());
    const row = fc.record({
      eta,
      y: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 1e9 })),
      w: fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 100, noNaN: true })),
      off: fc.double({ min: -5, max: 5, noNaN: true }),
    });
    const arb = fc.record({
      rows: fc.array(row, { minLength: 1, maxLength: 300 }), withOffset: fc.boolean(),
      theta: fc.oneof(fc.double({ min: 1e-6, max: 1e9, noNaN: true }).filter((t) => t > 0), fc.constantFrom(...THETAS)),
    });
    fc.assert(fc.property(arb, ({ rows, withOffset, theta }) => {
      const n = rows.length;
      const r: Rows = { y: new Float64Array(n), w: new Float64Array(n), offset: withOffset ? new Float64Array(n) : null, eta: new Float64Array(n) };
      rows.forEach((x, i) => {
        r.eta[i] = x.eta;
        r.y[i] = x.y;
        r.w[i] = x.w;
        if (r.offset) r.offset[i] = x.off;
      });
      const fam = nb(theta);
      const generic = rowPass(fam, rowBuffers(fam, r, "ts", false));
      for (const kind of kinds) if (!sameBits(generic, rowPass(fam, rowBuffers(fam, r, kind, true)))) return false;
      return true;
    }), { numRuns: 60 });
  });

  const refs = referenceGlmFits().filter((r) => r.family === "negative_binomial");
  it("the reference fits include a fixed-θ and a glm.nb fit", () => {
    expect(refs.some((r) => r.estimate_theta) && refs.some((r) => !r.estimate_theta)).toBe(true);
  });
  for (const ref of refs) {
    it(`${ref.id}: ${ref.formula}${ref.estimate_theta ? " (glm.nb)" : ""}: the same bits with the row kernel, plain and SIMD`, () => {
      const run = () => fitReference(ref);
      const generic = numbers(withSettings("ts", false, run));
      for (const kind of kinds) expect(sameBits(generic, numbers(withSettings(kind, true, run))), kind).toBe(true);
    });
  }
});

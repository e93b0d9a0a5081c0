/**
 * The families' IRLS row kernels (src/families/row-kernels.ts, and their wasm
 * versions in assembly/irls-rows.ts) give the generic loop of src/fit/irls-rows.ts
 * bit for bit: on random rows with extreme η (the logit's ±30 clamps and the ulps
 * around them, ±800, NaN), zero weights, trials and offsets; on every fit of
 * test/reference/glm.json (fits the same bits as with the generic loop, under both
 * the plain and the SIMD kernels); and on a parallel fit whose workers run them.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import normalFactory from "@stdlib/random-base-normal";
import uniformFactory from "@stdlib/random-base-uniform";
import { glm } from "../../models/glm.js";
import { makeFamily } from "../../src/families/index.js";
import { useKernels, wasmKernelsAvailable, wasmMathMatchesHost, sharedArenasAvailable, type KernelChoice } from "../../src/linalg/kernels/index.js";
import { sharedFloat64, PARALLEL_MIN_ENTRIES } from "../../src/linalg/parallel-crossprod.js";
import { columnNames, fitNumbers as numbers, fitReference, referenceGlmFits, sameBits, simulateGlm, withThreads } from "../helpers/kernel-fits.js";
import { nullDevianceRows, startRows, updateRows, useBlockedLogit, useRowKernels } from "../../src/fit/irls-rows.js";
import { rowBuffers, rowPass, type Rows } from "../helpers/row-buffers.js";

const fits = referenceGlmFits();

/** f() under kernels `k`, with or without the row kernels; the blocked binary logit (not the generic loop's bits: test/fit/logit-binary-rows.test.ts) off. */
function withSettings<T>(k: KernelChoice, rows: boolean, f: () => T): T {
  const prevK = useKernels(k);
  const prevR = useRowKernels(rows);
  const prevB = useBlockedLogit(false);
  try {
    return f();
  } finally {
    useKernels(prevK);
    useRowKernels(prevR);
    useBlockedLogit(prevB);
  }
}

/** η values that probe every branch: the logit clamps at ±30 and the ulps either side, overflow, NaN. */
const EXTREME = [30, -30, 30.000000000000004, 29.999999999999996, -30.000000000000004, -29.999999999999996,
  800, -800, 709.9, -745.2, 0, -0, 36.04, -36.04, 1e-300, Number.NaN, 700, -700];

function randomRows(fam: string, n: number, seed: number, withOffset: boolean, extreme: boolean): Rows {
  const rnorm = normalFactory.factory(0, 1, { seed });
  const runif = uniformFactory.factory(0, 1, { seed: seed + 1 });
  const y = new Float64Array(n);
  const w = new Float64Array(n);
  const eta = new Float64Array(n);
  const offset = withOffset ? new Float64Array(n) : null;
  for (let i = 0; i < n; i++) {
    const u = runif();
    eta[i] = extreme && u < 0.3 ? EXTREME[i % EXTREME.length]! : 3 * rnorm();
    if (offset) offset[i] = rnorm();
    // Zero weights on ~10% of rows, trials (binomial) or case weights otherwise.
    const trials = runif() < 0.1 ? 0 : 1 + Math.floor(5 * runif());
    if (fam === "binomial") {
      w[i] = runif() < 0.5 ? (trials === 0 ? 0 : 1) : trials;
      y[i] = w[i] === 0 ? 0 : Math.round(runif() * w[i]!) / w[i]!;
    } else if (fam === "poisson") {
      w[i] = trials === 0 ? 0 : runif() < 0.5 ? 1 : 0.5 + runif();
      y[i] = runif() < 0.3 ? 0 : Math.floor(10 * runif());
    } else if (fam === "Gamma") {
      w[i] = trials === 0 ? 0 : runif() < 0.5 ? 1 : 0.5 + runif();
      y[i] = w[i] === 0 && runif() < 0.5 ? 0 : Math.exp(2 * rnorm());
    } else {
      w[i] = trials === 0 ? 0 : runif() < 0.5 ? 1 : 0.5 + runif();
      y[i] = 5 * rnorm();
    }
  }
  return { y, w, offset, eta };
}

const PAIRS = [["binomial", "logit"], ["quasibinomial", "logit"], ["poisson", "log"], ["quasipoisson", "log"], ["gaussian", "identity"], ["Gamma", "log"]] as const;
const kinds: ("ts" | "wasm")[] = wasmKernelsAvailable() ? ["ts", "wasm"] : ["ts"];

describe("row kernels = the generic loop, bit for bit, on random rows", () => {
  for (const [name, link] of PAIRS) {
    const fam = makeFamily(name, { link });
    it(`${name}(${link}) has a row kernel`, () => {
      expect(fam.rows?.name).toBe(`${name.replace("quasi", "")}-${link}`);
    });
    for (const kind of kinds) {
      for (const [seed, n, withOffset, extreme] of [[3, 1, false, false], [5, 37, true, true], [7, 1001, false, true], [9, 2000, true, false]] as const) {
        it(`${name}(${link}), ${kind} kernels, n = ${n}${withOffset ? ", offset" : ""}${extreme ? ", extreme η" : ""}`, () => {
          const r = randomRows(name.replace("quasi", ""), n, seed, withOffset, extreme);
          const generic = rowPass(fam, rowBuffers(fam, r, "ts", false));
          const special = rowPass(fam, rowBuffers(fam, r, kind, true));
          expect(sameBits(generic, special)).toBe(true);
        });
      }
    }
  }

  for (const kind of kinds) {
    it(`start rows (startMu, η = g(μ), μ, deviance) and the null deviance, ${kind} kernels = the generic loop`, () => {
      for (const [name, link] of PAIRS) {
        const fam = makeFamily(name, { link });
        for (const [seed, n] of [[13, 1], [15, 999]] as const) {
          const r = randomRows(name.replace("quasi", ""), n, seed, true, false);
          const gen = rowBuffers(fam, r, "ts", false);
          const ker = rowBuffers(fam, r, kind, true);
          const a = startRows(gen, fam, 0, n);
          const b = startRows(ker, fam, 0, n);
          expect(sameBits([a.deviance, +a.valid, ...gen.eta, ...gen.mu], [b.deviance, +b.valid, ...ker.eta, ...ker.mu]), `${name} start`).toBe(true);
          for (const mu0 of [0.3, 1e-300, 0.999999, 2.5, "offset" as const]) {
            if (typeof mu0 === "number" && name.includes("binomial") && mu0 > 1) continue;
            expect(Object.is(nullDevianceRows(gen, fam, mu0, 0, n), nullDevianceRows(ker, fam, mu0, 0, n)), `${name} null deviance at ${mu0}`).toBe(true);
          }
        }
      }
    });
  }

  it("a binomial starting μ outside [0, 1] (negative weights) is the link's ArgumentError with or without the kernels", () => {
    const fam = makeFamily("binomial", { link: "logit" });
    const r: Rows = { y: Float64Array.of(1, 0, 1), w: Float64Array.of(1, 2, -3), offset: null, eta: new Float64Array(3) };
    for (const kind of kinds) {
      for (const rows of [false, true]) {
        expect(() => startRows(rowBuffers(fam, r, kind, rows), fam, 0, 3)).toThrow(/out of range \[0, 1\] for the logit link/);
      }
    }
  });

  it("blocks of rows: [start, end) pieces give the one-pass rows (deviances add in block order)", () => {
    const fam = makeFamily("binomial", { link: "logit" });
    const r = randomRows("binomial", 203, 11, true, true);
    for (const kind of kinds) {
      const one = rowBuffers(fam, r, kind, true);
      const gen = rowBuffers(fam, r, "ts", false);
      const beta = Float64Array.of(0.25);
      const cut = [0, 17, 100, 203];
      for (let s = 0; s < 3; s++) {
        const a = updateRows(one, fam, beta, cut[s]!, cut[s + 1]!);
        const b = updateRows(gen, fam, beta, cut[s]!, cut[s + 1]!);
        expect(Object.is(a.deviance, b.deviance) && a.valid === b.valid).toBe(true);
      }
      expect(sameBits(one.mu, gen.mu) && sameBits(one.dmu!, gen.mu.map((_, i) => fam.link.muEta(gen.eta[i]!)))).toBe(true);
    }
  });

  it.skipIf(!wasmKernelsAvailable())("the wasm update runs exactly where the host's Math.* is fdlibm's (Node: yes), the weights always", () => {
    expect(wasmMathMatchesHost()).toBe(true); // Node 20's V8; the wasm comparisons above would otherwise compare TS with TS
    for (const [name, link] of PAIRS) {
      const fam = makeFamily(name, { link });
      const b = rowBuffers(fam, randomRows(name.replace("quasi", ""), 9, 17, false, false), "wasm", true);
      expect(b.k.rowsUpdate!(fam.rows!.code, b, 0, 9) === null).toBe(!wasmMathMatchesHost() && fam.rows!.code !== 3);
      expect(b.k.rowsWeights!(fam.rows!.code, b, 0, 9)).not.toBeNull();
    }
  });

  it("families without a row kernel (cauchit, sqrt, Gamma-inverse, a custom link) keep the generic loop", () => {
    expect(makeFamily("binomial", { link: "cauchit" }).rows ?? null).toBeNull();
    expect(makeFamily("poisson", { link: "sqrt" }).rows ?? null).toBeNull();
    expect(makeFamily("Gamma", { link: "inverse" }).rows ?? null).toBeNull();
    const custom = { ...makeFamily("binomial", { link: "logit" }).link };
    expect(makeFamily("binomial", { link: Object.freeze(custom) as never }).rows ?? null).toBeNull();
  });
});

describe("row kernels = the generic loop: fast-check properties (n from 1 to 300, any η, y, w)", () => {
  const eta = fc.oneof(fc.double({ min: -40, max: 40, noNaN: true }), fc.constantFrom(...EXTREME), fc.double());
  const row = fc.record({
    eta,
    u: fc.double({ min: 0, max: 1, noNaN: true }),
    w: fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 100, noNaN: true })),
    off: fc.double({ min: -5, max: 5, noNaN: true }),
  });
  const rowsArb = fc.record({ rows: fc.array(row, { minLength: 1, maxLength: 300 }), withOffset: fc.boolean() });
  for (const [name, link] of PAIRS.filter(([f]) => !f.startsWith("quasi"))) {
    const fam = makeFamily(name, { link });
    it(`${name}(${link})`, () => {
      fc.assert(fc.property(rowsArb, ({ rows, withOffset }) => {
        const n = rows.length;
        const r: Rows = { y: new Float64Array(n), w: new Float64Array(n), offset: withOffset ? new Float64Array(n) : null, eta: new Float64Array(n) };
        rows.forEach((x, i) => {
          r.eta[i] = x.eta;
          r.w[i] = x.w;
          if (r.offset) r.offset[i] = x.off;
          // y in the family's support: a proportion of whole trials, a count, a positive or any real value.
          r.y[i] = name === "binomial" ? (Number.isInteger(x.w) && x.w > 0 ? Math.round(x.u * x.w) / x.w : Math.round(x.u))
            : name === "poisson" ? Math.floor(10 * x.u) : name === "Gamma" ? 0.01 + 10 * x.u : 20 * x.u - 10;
        });
        const generic = rowPass(fam, rowBuffers(fam, r, "ts", false));
        for (const kind of kinds) if (!sameBits(generic, rowPass(fam, rowBuffers(fam, r, kind, true)))) return false;
        return true;
      }), { numRuns: 60 });
    });
  }
});

describe("every reference fit is the same bits with the row kernels as with the generic loop", () => {
  for (const ref of fits) {
    it(`${ref.id}: ${ref.family}(${ref.link}) ${ref.formula}`, () => {
      const run = () => fitReference(ref);
      const generic = numbers(withSettings("ts", false, run));
      for (const kind of kinds) {
        const special = numbers(withSettings(kind, true, run));
        expect(sameBits(generic, special), `${kind}: generic ${generic.slice(0, 4)} kernels ${special.slice(0, 4)}`).toBe(true);
      }
    });
  }
});

describe.skipIf(!sharedArenasAvailable())("parallel engine (3 threads) with the row kernels", () => {
  for (const [family, link] of [["binomial", "logit"], ["poisson", "log"]] as const) {
    it(`${family}(${link}): workers running the row kernels give the generic parallel fit's bits`, () => {
      const p = 7;
      const n = Math.ceil(PARALLEL_MIN_ENTRIES / p) + 103;
      const X = sharedFloat64(n * p);
      const { y, offset, weights } = simulateGlm(X, n, p, 31, { family, intercept: -0.2, slope: (j) => 0.3 * Math.sin(j), offsetSd: 0.1, zeroWeightShare: 0.05 });
      const run = () => glm({ design: { X, y, n, p, columnNames: columnNames(p) }, offset, weights, family, link }).fit();
      withThreads(3, () => {
        const generic = numbers(withSettings("ts", false, run));
        for (const kind of family === "binomial" ? kinds : kinds.slice(-1)) expect(sameBits(generic, numbers(withSettings(kind, true, run))), kind).toBe(true);
      });
      if (family !== "binomial") return;
      // The start pass (μ from startMu, η = g(μ), the starting deviance) and the null deviance ran on the
      // workers, summed in thread order: the null deviance differs from the one-thread one by the order of
      // its partial sums only; the fit by that of XᵀWX's too (the bound of irls-parallel.test.ts).
      const serial = withThreads(1, () => withSettings("ts", true, run));
      const par = withThreads(3, () => withSettings("ts", true, run));
      expect(par.iterations).toBe(serial.iterations);
      // Recursive summation of n non-negative terms errs by at most (n − 1)ε·Σ (Higham, Accuracy and Stability, §4.2), either order.
      expect(Math.abs(par.nullDeviance - serial.nullDeviance)).toBeLessThanOrEqual(2 * (n - 1) * Number.EPSILON * serial.nullDeviance);
      expect(Math.abs(par.deviance - serial.deviance)).toBeLessThan(1e-9 * serial.deviance);
      expect(par.nullDeviance).not.toBe(par.deviance);
    });
  }
});

/**
 * Priors: densities against R (test/reference/priors.R → priors.json),
 * derivatives against five-point finite differences (fast-check), samplers
 * (bit-for-bit reproducibility, Kolmogorov–Smirnov and moment checks with
 * tolerances from the sampling distribution), argument validation, the spec
 * parser, per-coefficient resolution and rstanarm autoscaling
 * (test/reference/autoscale.R → autoscale.json).
 */
import { makeFamily } from "../../src/families/index.js";
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import tCdf from "@stdlib/stats-base-dists-t-cdf";
import gammaCdf from "@stdlib/stats-base-dists-gamma-cdf";
import expm1 from "@stdlib/math-base-special-expm1";
import { PriorError, ArgumentError } from "../../src/errors.js";
import {
  asAuxPrior,
  autoscale,
  autoscaleAux,
  auxLogDensityOnLogScale,
  auxLogDensityOnLogScaleGradient,
  auxLogDensityOnLogScaleHessian,
  cauchy,
  exponential,
  flat,
  gamma,
  halfNormal,
  halfStudentT,
  jeffreys,
  laplace,
  logistic,
  normal,
  parsePrior,
  priorGradientInto,
  priorHessianDiagInto,
  priorLogDensity,
  resolveCoefficientPriors,
  studentT,
  uniformSource,
  usesJeffreys,
  type AuxPrior,
  type CoefficientPrior,
  type Prior,
  type ScalarPrior,
} from "../../src/priors/index.js";

const FC = { seed: 20240517, numRuns: 300 };

interface DensityCase { kind: string; params: Record<string, number>; x: number[]; logDensity: number[] }
const densityFixture: { cases: DensityCase[] } = JSON.parse(readFileSync("test/reference/priors.json", "utf8"));

function build(kind: string, p: Record<string, number>): ScalarPrior {
  switch (kind) {
    case "normal": return normal(p.location!, p.scale!);
    case "student_t": return studentT(p.df!, p.location!, p.scale!);
    case "cauchy": return cauchy(p.location!, p.scale!);
    case "laplace": return laplace(p.location!, p.scale!);
    case "logistic": return logistic(p.location!, p.scale!);
    case "exponential": return exponential(p.rate!);
    case "half_normal": return halfNormal(p.scale!);
    case "half_student_t": return halfStudentT(p.df!, p.scale!);
    case "gamma": return gamma(p.shape!, p.rate!);
    default: throw new Error(`unknown kind ${kind}`);
  }
}

describe("log densities agree with R", () => {
  it("covers every kind of scalar prior", () => {
    const kinds = new Set(densityFixture.cases.map((c) => c.kind));
    expect([...kinds].sort()).toEqual(
      ["cauchy", "exponential", "gamma", "half_normal", "half_student_t", "laplace", "logistic", "normal", "student_t"],
    );
  });
  for (const c of densityFixture.cases) {
    it(`${c.kind}(${Object.values(c.params).join(", ")})`, () => {
      const prior = build(c.kind, c.params);
      c.x.forEach((x, i) => {
        const expected = c.logDensity[i]!;
        const got = prior.logDensity(x);
        // Error on the log scale = relative error of the density; 1e-12 of |log p| when that exceeds 1.
        const err = Math.abs(got - expected) / Math.max(1, Math.abs(expected));
        if (!(err <= 1e-12)) throw new Error(`${prior.describe()} at x = ${x}: got ${got}, R ${expected} (error ${err})`);
      });
    });
  }
});

/** Five-point central difference of f at x with step h. */
function d1(f: (x: number) => number, x: number, h: number): number {
  return (f(x - 2 * h) - 8 * f(x - h) + 8 * f(x + h) - f(x + 2 * h)) / (12 * h);
}

const scaleArb = fc.double({ min: 0.05, max: 50, noNaN: true });
const locationArb = fc.double({ min: -20, max: 20, noNaN: true });
const dfArb = fc.double({ min: 0.3, max: 60, noNaN: true });
const zArb = fc.double({ min: -25, max: 25, noNaN: true });

/** Checks gradient = d logDensity/dx and hessianDiag = d gradient/dx by five-point differences. */
function checkDerivatives(prior: ScalarPrior, x: number, h: number, unit: number): void {
  const g = prior.gradient(x);
  const gfd = d1((t) => prior.logDensity(t), x, h);
  if (!(Math.abs(g - gfd) <= 1e-6 * (Math.abs(g) + unit))) {
    throw new Error(`${prior.describe()} gradient at ${x}: analytic ${g}, finite difference ${gfd}`);
  }
  const H = prior.hessianDiag(x);
  const hfd = d1((t) => prior.gradient(t), x, h);
  if (!(Math.abs(H - hfd) <= 1e-6 * (Math.abs(H) + unit * unit))) {
    throw new Error(`${prior.describe()} Hessian at ${x}: analytic ${H}, finite difference ${hfd}`);
  }
}

describe("gradients and Hessian diagonals agree with finite differences", () => {
  const realCases: [string, fc.Arbitrary<ScalarPrior>][] = [
    ["normal", fc.tuple(locationArb, scaleArb).map(([m, s]) => normal(m, s))],
    ["student_t", fc.tuple(dfArb, locationArb, scaleArb).map(([v, m, s]) => studentT(v, m, s))],
    ["cauchy", fc.tuple(locationArb, scaleArb).map(([m, s]) => cauchy(m, s))],
    ["logistic", fc.tuple(locationArb, scaleArb).map(([m, s]) => logistic(m, s))],
    ["laplace", fc.tuple(locationArb, scaleArb).map(([m, s]) => laplace(m, s))],
  ];
  for (const [name, arb] of realCases) {
    it(name, () => {
      fc.assert(
        fc.property(arb, zArb, (prior, z) => {
          const { location, scale } = prior.params as { location: number; scale: number };
          // Laplace is not differentiable at its location: stay 3 steps away from the kink.
          fc.pre(name !== "laplace" || Math.abs(z) > 3e-3);
          checkDerivatives(prior, location + scale * z, 1e-3 * scale, 1 / scale);
        }),
        FC,
      );
    });
  }
  const positiveCases: [string, fc.Arbitrary<ScalarPrior>][] = [
    ["exponential", fc.double({ min: 0.01, max: 100, noNaN: true }).map((r) => exponential(r))],
    ["half_normal", scaleArb.map((s) => halfNormal(s))],
    ["half_student_t", fc.tuple(dfArb, scaleArb).map(([v, s]) => halfStudentT(v, s))],
    ["gamma", fc.tuple(fc.double({ min: 0.2, max: 50, noNaN: true }), fc.double({ min: 0.01, max: 20, noNaN: true })).map(([a, b]) => gamma(a, b))],
  ];
  for (const [name, arb] of positiveCases) {
    it(name, () => {
      fc.assert(
        fc.property(arb, fc.double({ min: -6, max: 4, noNaN: true }), (prior, logx) => {
          const x = Math.exp(logx);
          // Relative step keeps x − 2h inside the support; the unit is the curvature scale 1/x.
          checkDerivatives(prior, x, 1e-3 * x, 1 / x);
        }),
        FC,
      );
    });
  }

  it("laplace uses the subgradient 0 at its location and has zero curvature", () => {
    const p = laplace(1.5, 2);
    expect(p.gradient(1.5)).toBe(0);
    expect(p.gradient(1.6)).toBe(-0.5);
    expect(p.gradient(1.4)).toBe(0.5);
    expect(p.hessianDiag(1.5)).toBe(0);
    expect(p.hessianDiag(100)).toBe(0);
  });

  it("Student t and Cauchy derivatives stay finite far in the tails", () => {
    for (const p of [studentT(3, 0, 1), cauchy(0, 1)]) {
      for (const x of [1e160, -1e200, 1e300]) {
        expect(Number.isFinite(p.logDensity(x))).toBe(true);
        expect(Number.isFinite(p.gradient(x))).toBe(true);
        expect(Number.isFinite(p.hessianDiag(x))).toBe(true);
        expect(Math.sign(p.gradient(x))).toBe(-Math.sign(x));
      }
    }
    // log p ~ c − (ν+1) log|x| for huge |x|: compare to that asymptote
    const t3 = studentT(3, 0, 1);
    expect(t3.logDensity(1e200) - t3.logDensity(1e199)).toBeCloseTo(-4 * Math.LN10, 10);
  });
});

describe("support and edge cases", () => {
  it("positive priors: −∞ below 0, zero derivatives there, NaN propagates", () => {
    for (const p of [exponential(2), halfNormal(1), halfStudentT(3, 1), gamma(2, 1)]) {
      expect(p.support).toBe("positive");
      expect(p.logDensity(-0.1)).toBe(-Infinity);
      expect(p.gradient(-0.1)).toBe(0);
      expect(p.hessianDiag(-0.1)).toBe(0);
      expect(p.logDensity(NaN)).toBeNaN();
    }
    expect(gamma(1, 3).logDensity(0)).toBeCloseTo(Math.log(3), 14);
    expect(gamma(1, 3).gradient(0)).toBe(-3);
    expect(gamma(0.5, 1).logDensity(0)).toBe(Infinity);
    expect(gamma(2, 1).logDensity(0)).toBe(-Infinity);
  });
  it("flat and jeffreys are improper markers without samplers", () => {
    const f = flat();
    expect(f.proper).toBe(false);
    expect(f.logDensity(123)).toBe(0);
    expect(f.gradient(-4)).toBe(0);
    expect(() => f.sample(uniformSource(1))).toThrow(PriorError);
    const j = jeffreys();
    expect(j.kind).toBe("jeffreys");
    expect(j.joint).toBe(true);
    expect("sample" in j).toBe(false);
    expect("logDensity" in j).toBe(false);
  });
  it("records are frozen", () => {
    const p = normal(0, 1);
    expect(Object.isFrozen(p)).toBe(true);
    expect(Object.isFrozen(p.params)).toBe(true);
    expect(() => {
      (p.params as { scale: number }).scale = 3;
    }).toThrow(TypeError);
  });
});

describe("log-scale auxiliary densities", () => {
  const auxArb: fc.Arbitrary<AuxPrior> = fc.oneof(
    fc.constant(flat()),
    fc.double({ min: 0.01, max: 100, noNaN: true }).map((r) => exponential(r)),
    scaleArb.map((s) => halfNormal(s)),
    fc.tuple(dfArb, scaleArb).map(([v, s]) => halfStudentT(v, s)),
    fc.tuple(fc.double({ min: 0.2, max: 50, noNaN: true }), fc.double({ min: 0.01, max: 20, noNaN: true })).map(([a, b]) => gamma(a, b)),
  );
  it("equals log p(eᵘ) + u (the Jacobian)", () => {
    fc.assert(
      fc.property(auxArb, fc.double({ min: -8, max: 5, noNaN: true }), (prior, u) => {
        const direct = prior.logDensity(Math.exp(u)) + u;
        const got = auxLogDensityOnLogScale(prior, u);
        return Math.abs(got - direct) <= 1e-12 * Math.max(1, Math.abs(direct));
      }),
      FC,
    );
  });
  it("first and second derivatives in log x agree with five-point differences", () => {
    fc.assert(
      fc.property(auxArb, fc.double({ min: -8, max: 5, noNaN: true }), (prior, u) => {
        const h = 1e-3;
        const g = auxLogDensityOnLogScaleGradient(prior, u);
        const gfd = d1((t) => auxLogDensityOnLogScale(prior, t), u, h);
        const H = auxLogDensityOnLogScaleHessian(prior, u);
        const hfd = d1((t) => auxLogDensityOnLogScaleGradient(prior, t), u, h);
        if (!(Math.abs(g - gfd) <= 1e-6 * (Math.abs(g) + 1))) throw new Error(`${prior.describe()} d/du at ${u}: ${g} vs ${gfd}`);
        if (!(Math.abs(H - hfd) <= 1e-6 * (Math.abs(H) + 1))) throw new Error(`${prior.describe()} d²/du² at ${u}: ${H} vs ${hfd}`);
      }),
      FC,
    );
  });
  it("stays finite for extreme log x", () => {
    for (const p of [exponential(1), halfNormal(1), halfStudentT(3, 2), gamma(2, 1)]) {
      for (const u of [-700, -50, 50, 300]) {
        expect(Number.isNaN(auxLogDensityOnLogScale(p, u))).toBe(false);
        expect(Number.isFinite(auxLogDensityOnLogScaleGradient(p, u))).toBe(true);
        expect(Number.isFinite(auxLogDensityOnLogScaleHessian(p, u))).toBe(true);
      }
    }
  });
  it("refuses real-line priors and converts them with asAuxPrior as rstanarm does", () => {
    expect(() => auxLogDensityOnLogScale(normal(0, 1) as unknown as AuxPrior, 0)).toThrow(PriorError);
    expect(asAuxPrior(normal(0, 2)).describe()).toBe("half_normal(2)");
    expect(asAuxPrior(studentT(4, 0, 3)).describe()).toBe("half_student_t(4, 3)");
    expect(asAuxPrior(cauchy(0, 5)).describe()).toBe("half_student_t(1, 5)");
    expect(asAuxPrior(exponential(2)).describe()).toBe("exponential(2)");
    expect(() => asAuxPrior(normal(1, 2))).toThrow(/location/);
    expect(() => asAuxPrior(laplace(0, 1))).toThrow(PriorError);
    expect(() => asAuxPrior(jeffreys())).toThrow(PriorError);
  });
});

/** Largest gap between the empirical CDF of `draws` and `cdf`. */
function ksDistance(draws: Float64Array, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(draws).sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const F = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - F, F - i / n);
  }
  return d;
}

function drawMany(prior: ScalarPrior, seed: number, n: number): Float64Array {
  const rng = uniformSource(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = prior.sample(rng);
  return out;
}

describe("samplers", () => {
  const N = 20000;
  // Kolmogorov's limiting distribution: P(√n D > c) = α for c = √(−½ log(α/2)); α = 1e-4.
  const KS_CRIT = Math.sqrt(-0.5 * Math.log(1e-4 / 2)) / Math.sqrt(N);
  const cases: [ScalarPrior, (x: number) => number][] = [
    [normal(1, 2), (x) => normalCdf(x, 1, 2)],
    [studentT(3, -1, 0.5), (x) => tCdf((x + 1) / 0.5, 3)],
    [cauchy(2, 3), (x) => 0.5 + Math.atan((x - 2) / 3) / Math.PI],
    [laplace(0.5, 1.5), (x) => (x < 0.5 ? 0.5 * Math.exp((x - 0.5) / 1.5) : 1 - 0.5 * Math.exp(-(x - 0.5) / 1.5))],
    [logistic(-2, 0.7), (x) => 1 / (1 + Math.exp(-(x + 2) / 0.7))],
    [exponential(2.5), (x) => -expm1(-2.5 * x)],
    [halfNormal(3), (x) => 2 * normalCdf(x, 0, 3) - 1],
    [halfStudentT(4, 2), (x) => 2 * tCdf(x / 2, 4) - 1],
    [gamma(2.5, 0.4), (x) => gammaCdf(x, 2.5, 0.4)],
  ];
  for (const [prior, cdf] of cases) {
    it(`${prior.describe()}: reproducible and Kolmogorov–Smirnov distance below the 1e-4 critical value`, () => {
      const a = drawMany(prior, 4242, N);
      const b = drawMany(prior, 4242, N);
      expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
      const c = drawMany(prior, 4243, 10);
      expect(Array.from(c)).not.toEqual(Array.from(a.subarray(0, 10)));
      expect(ksDistance(a, cdf)).toBeLessThan(KS_CRIT);
      if (prior.support === "positive") expect(a.every((v) => v >= 0)).toBe(true);
    });
  }
  it("sample means are within 4 Monte Carlo standard errors", () => {
    const checks: [ScalarPrior, number, number][] = [
      [normal(1, 2), 1, 2],
      [exponential(2.5), 0.4, 0.4],
      [gamma(2.5, 0.4), 2.5 / 0.4, Math.sqrt(2.5) / 0.4],
      [halfNormal(3), 3 * Math.sqrt(2 / Math.PI), 3 * Math.sqrt(1 - 2 / Math.PI)],
    ];
    for (const [prior, mean, sd] of checks) {
      const d = drawMany(prior, 99, N);
      let m = 0;
      for (const v of d) m += v;
      m /= N;
      expect(Math.abs(m - mean)).toBeLessThan((4 * sd) / Math.sqrt(N));
    }
  });
  it("accepts an object with uniform() (the samplers' Rng) and draws from its stream", () => {
    const a = uniformSource(31);
    const b = uniformSource(31);
    const rngObject = { uniform: () => b(), normal: () => NaN };
    for (const p of [normal(0, 1), gamma(3, 2), studentT(4, 1, 2)]) {
      for (let i = 0; i < 50; i++) expect(p.sample(rngObject)).toBe(p.sample(a));
    }
    expect(() => normal(0, 1).sample(42 as unknown as () => number)).toThrow(ArgumentError);
  });
  it("interleaving priors on one generator is deterministic", () => {
    const seq = (seed: number) => {
      const rng = uniformSource(seed);
      const ps = [normal(0, 1), gamma(2, 1), studentT(5, 0, 1), exponential(1)];
      return Array.from({ length: 40 }, (_, i) => ps[i % 4]!.sample(rng));
    };
    expect(seq(7)).toEqual(seq(7));
  });
});

describe("argument validation", () => {
  it("names the prior and the argument", () => {
    expect(() => normal(0, -1)).toThrow(new PriorError("normal(0, -1): scale must be positive and finite, got -1"));
    expect(() => normal(NaN, 1)).toThrow("normal(NaN, 1): location must be finite, got NaN");
    expect(() => studentT(0, 0, 1)).toThrow("student_t(0, 0, 1): df must be positive and finite, got 0");
    expect(() => studentT(Infinity, 0, 1)).toThrow(/df must be positive and finite/);
    expect(() => cauchy(0, 0)).toThrow(/cauchy\(0, 0\): scale/);
    expect(() => laplace(Infinity, 1)).toThrow(/laplace\(Infinity, 1\): location/);
    expect(() => logistic(0, NaN)).toThrow(/logistic\(0, NaN\): scale/);
    expect(() => exponential(-2)).toThrow("exponential(-2): rate must be positive and finite, got -2");
    expect(() => halfNormal(Infinity)).toThrow(/half_normal\(Infinity\): scale/);
    expect(() => halfStudentT(3, -1)).toThrow(/half_student_t\(3, -1\): scale/);
    expect(() => gamma(-1, 1)).toThrow("gamma(-1, 1): shape must be positive and finite, got -1");
    expect(() => gamma(1, 0)).toThrow(/gamma\(1, 0\): rate/);
  });
  it("any non-positive or non-finite scale is a PriorError", () => {
    const bad = fc.oneof(fc.double({ max: 0 }), fc.constantFrom(NaN, Infinity, -Infinity));
    fc.assert(
      fc.property(bad, (s) => {
        for (const make of [() => normal(0, s), () => cauchy(0, s), () => halfNormal(s), () => studentT(2, 0, s), () => exponential(s)]) {
          try {
            make();
            return false;
          } catch (err) {
            if (!(err instanceof PriorError)) return false;
          }
        }
        return true;
      }),
      FC,
    );
  });
});

describe("parsePrior", () => {
  it("reads the documented syntax, whitespace-tolerant", () => {
    const table: [string, string][] = [
      ["normal(0, 2.5)", "normal(0, 2.5)"],
      ["  student_t( 3 ,0,  2.5 )  ", "student_t(3, 0, 2.5)"],
      ["cauchy(0, 2.5)", "cauchy(0, 2.5)"],
      ["laplace(0, 1)", "laplace(0, 1)"],
      ["logistic(0, 1)", "logistic(0, 1)"],
      ["flat", "flat()"],
      ["flat()", "flat()"],
      ["jeffreys", "jeffreys()"],
      [" jeffreys ( ) ", "jeffreys()"],
      ["exponential(1)", "exponential(1)"],
      ["half_normal(1)", "half_normal(1)"],
      ["half_student_t(3, 1)", "half_student_t(3, 1)"],
      ["gamma(2, 0.1)", "gamma(2, 0.1)"],
      ["normal(-1.5e-3, 1E2)", "normal(-0.0015, 100)"],
      ["normal(scale = 1)", "normal(0, 1)"],
      ["student_t(3, scale = 4)", "student_t(3, 0, 4)"],
      ["gamma(rate = 2, shape = 3)", "gamma(3, 2)"],
    ];
    for (const [text, expected] of table) expect(parsePrior(text).describe()).toBe(expected);
  });
  it("fills omitted arguments with rstanarm's defaults", () => {
    expect(parsePrior("normal()").describe()).toBe("normal(0, 2.5)");
    expect(parsePrior("normal").describe()).toBe("normal(0, 2.5)");
    expect(parsePrior("normal(1)").describe()).toBe("normal(1, 2.5)");
    expect(parsePrior("student_t").describe()).toBe("student_t(1, 0, 2.5)");
    expect(parsePrior("cauchy()").describe()).toBe("cauchy(0, 2.5)");
    expect(parsePrior("laplace()").describe()).toBe("laplace(0, 2.5)");
    expect(parsePrior("logistic()").describe()).toBe("logistic(0, 2.5)");
    expect(parsePrior("exponential()").describe()).toBe("exponential(1)");
    expect(parsePrior("half_normal").describe()).toBe("half_normal(1)");
    expect(parsePrior("half_student_t()").describe()).toBe("half_student_t(1, 1)");
    expect(normal().describe()).toBe("normal(0, 2.5)");
    expect(studentT().describe()).toBe("student_t(1, 0, 2.5)");
    expect(exponential().describe()).toBe("exponential(1)");
  });
  it("rejects malformed text, quoting it and saying what was expected", () => {
    const bad: [string, RegExp][] = [
      ["", /cannot parse prior "": expected/],
      ["normal(0, 1", /cannot parse prior "normal\(0, 1"/],
      ["normal(0, 1, 2)", /"normal\(0, 1, 2\)": normal takes at most 2 arguments; expected normal\(location, scale\)/],
      ["normal(a, 1)", /"normal\(a, 1\)": argument "location" must be a number, got "a"/],
      ["normal(loc = 1)", /unknown argument "loc"; expected normal\(location, scale\)/],
      ["normal(scale = 1, 0)", /positional argument follows a named one/],
      ["normal(0, scale = 1, location = 2)", /"location" is given twice/],
      ["foo(1)", /unknown prior "foo" in "foo\(1\)": expected one of normal\(location, scale\)/],
      ["gamma(2)", /"gamma\(2\)": gamma needs rate/],
      ["gamma", /gamma needs shape and rate/],
      ["flat(1)", /"flat\(1\)": flat takes no arguments/],
      ["normal(0, -1)", /in "normal\(0, -1\)": normal\(0, -1\): scale must be positive and finite, got -1/],
      ["normal(0,,1)", /must be a number, got ""/],
      ["normal(0, 1) extra", /cannot parse prior/],
    ];
    for (const [text, re] of bad) {
      let caught: unknown;
      try {
        parsePrior(text);
      } catch (err) {
        caught = err;
      }
      expect(caught, text).toBeInstanceOf(PriorError);
      expect((caught as Error).message, text).toMatch(re);
    }
  });
  it("describe() reads back to an identical prior", () => {
    const pos = fc.double({ min: 1e-8, max: 1e8, noNaN: true });
    const loc = fc.double({ min: -1e8, max: 1e8, noNaN: true });
    const priorArb: fc.Arbitrary<Prior> = fc.oneof(
      fc.constant(flat()),
      fc.constant(jeffreys()),
      fc.tuple(loc, pos).map(([m, s]) => normal(m, s)),
      fc.tuple(pos, loc, pos).map(([v, m, s]) => studentT(v, m, s)),
      fc.tuple(loc, pos).map(([m, s]) => cauchy(m, s)),
      fc.tuple(loc, pos).map(([m, s]) => laplace(m, s)),
      fc.tuple(loc, pos).map(([m, s]) => logistic(m, s)),
      pos.map((r) => exponential(r)),
      pos.map((s) => halfNormal(s)),
      fc.tuple(pos, pos).map(([v, s]) => halfStudentT(v, s)),
      fc.tuple(pos, pos).map(([a, b]) => gamma(a, b)),
    );
    fc.assert(
      fc.property(priorArb, (p) => {
        const q = parsePrior(p.describe());
        return q.kind === p.kind && JSON.stringify(q.params) === JSON.stringify(p.params) &&
          Object.entries(p.params).every(([k, v]) => Object.is((q.params as Record<string, number>)[k], v));
      }),
      FC,
    );
  });
});

describe("per-coefficient priors", () => {
  const cols = ["(Intercept)", "x1", "x2", "g2"];
  it("one prior for all coefficients, intercept separate, flat by default", () => {
    const r = resolveCoefficientPriors({ coefficients: normal(0, 1) }, cols, true);
    expect(r.map((p) => p.describe())).toEqual(["flat()", "normal(0, 1)", "normal(0, 1)", "normal(0, 1)"]);
    const r2 = resolveCoefficientPriors({ coefficients: normal(0, 1), intercept: studentT(3, 0, 10) }, cols, true);
    expect(r2[0]!.describe()).toBe("student_t(3, 0, 10)");
    const r3 = resolveCoefficientPriors({}, ["x"], false);
    expect(r3.map((p) => p.kind)).toEqual(["flat"]);
    // no "(Intercept)" column: the intercept is column 0
    const r4 = resolveCoefficientPriors({ coefficients: normal(0, 1), intercept: normal(5, 5) }, ["const", "x"], true);
    expect(r4.map((p) => p.describe())).toEqual(["normal(5, 5)", "normal(0, 1)"]);
  });
  it("priors keyed by coefficient name; unknown names are PriorErrors naming them", () => {
    const r = resolveCoefficientPriors({ coefficients: { x2: laplace(0, 1), "(Intercept)": normal(0, 10) } }, cols, true);
    expect(r.map((p) => p.describe())).toEqual(["normal(0, 10)", "flat()", "laplace(0, 1)", "flat()"]);
    expect(() => resolveCoefficientPriors({ coefficients: { x3: normal(0, 1) } }, cols, true)).toThrow(/no coefficient named "x3"/);
    expect(() => resolveCoefficientPriors({ coefficients: { "(Intercept)": normal(0, 1) }, intercept: normal(0, 2) }, cols, true)).toThrow(PriorError);
    expect(() => resolveCoefficientPriors({ intercept: normal(0, 1) }, ["x"], false)).toThrow(/no intercept/);
    expect(() => resolveCoefficientPriors({ coefficients: exponential(1) as unknown as CoefficientPrior }, cols, true)).toThrow(/support on \(0, ∞\)/);
  });
  it("jeffreys is all or nothing", () => {
    const r = resolveCoefficientPriors({ coefficients: jeffreys() }, cols, true);
    expect(usesJeffreys(r)).toBe(true);
    expect(() => resolveCoefficientPriors({ coefficients: jeffreys(), intercept: normal(0, 1) }, cols, true)).toThrow(/cannot be mixed/);
    expect(() => resolveCoefficientPriors({ coefficients: { x1: jeffreys() } }, cols, true)).toThrow(/cannot be mixed/);
    expect(usesJeffreys(resolveCoefficientPriors({ coefficients: normal() }, cols, true))).toBe(false);
  });
  it("vectorised density, gradient and Hessian are sums and stacks of the scalar ones", () => {
    const priors: CoefficientPrior[] = [flat(), normal(1, 2), studentT(4, 0, 1), laplace(0, 3), logistic(2, 1), cauchy(-1, 0.5)];
    fc.assert(
      fc.property(fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 6, maxLength: 6 }), (b) => {
        const beta = Float64Array.from(b);
        let s = 0;
        const g = new Float64Array(6);
        const h = new Float64Array(6);
        priorGradientInto(priors, beta, g);
        priorHessianDiagInto(priors, beta, h);
        priors.forEach((p, j) => {
          const q = p as ScalarPrior;
          s += q.logDensity(beta[j]!);
          if (!Object.is(g[j], q.gradient(beta[j]!)) || !Object.is(h[j], q.hessianDiag(beta[j]!))) throw new Error(`coordinate ${j}`);
        });
        return Object.is(priorLogDensity(priors, beta), s);
      }),
      FC,
    );
    expect(() => priorLogDensity(priors, [1, 2])).toThrow(ArgumentError);
    expect(() => priorGradientInto(priors, new Float64Array(6), new Float64Array(5))).toThrow(ArgumentError);
    expect(() => priorLogDensity([jeffreys()], [0])).toThrow(/joint prior/);
  });
});

interface AutoscaleCase {
  id: string; family: string; column_names: string[]; n: number; X_row_major: number[]; y: number[];
  prior: string; prior_intercept: string; coefficient_names: string[];
  adjusted_scale: number[]; adjusted_intercept_scale: number; prior_aux?: string; adjusted_aux_rate?: number;
}
const autoscaleFixture: { cases: AutoscaleCase[] } = JSON.parse(readFileSync("test/reference/autoscale.json", "utf8"));

describe("autoscale agrees with rstanarm's prior_summary()", () => {
  for (const c of autoscaleFixture.cases) {
    it(c.id, () => {
      const priors = resolveCoefficientPriors(
        { coefficients: parsePrior(c.prior) as CoefficientPrior, intercept: parsePrior(c.prior_intercept) as CoefficientPrior },
        c.column_names,
        true,
      );
      const res = autoscale(priors, Float64Array.from(c.X_row_major), c.column_names, c.y, makeFamily(c.family));
      c.coefficient_names.forEach((name, k) => {
        const j = c.column_names.indexOf(name);
        const got = (res.priors[j] as ScalarPrior<"normal" | "student_t">).params.scale;
        expect(Math.abs(got - c.adjusted_scale[k]!) / c.adjusted_scale[k]!, name).toBeLessThan(1e-12);
        expect(res.priors[j]!.kind).toBe(priors[j]!.kind);
        expect((res.priors[j] as ScalarPrior<"normal">).params.location).toBe((priors[j] as ScalarPrior<"normal">).params.location);
      });
      const intercept = (res.priors[c.column_names.indexOf("(Intercept)")] as ScalarPrior<"normal">).params.scale;
      expect(Math.abs(intercept - c.adjusted_intercept_scale) / c.adjusted_intercept_scale).toBeLessThan(1e-12);
      expect(res.changes.length).toBe(c.coefficient_names.length + (c.family === "gaussian" ? 1 : 0));
      expect(res.note).toContain(`${c.coefficient_names[0]}: `);
      if (c.prior_aux !== undefined) {
        const aux = autoscaleAux(asAuxPrior(parsePrior(c.prior_aux)), c.y, makeFamily(c.family), "sigma");
        const rate = (aux.prior as ScalarPrior<"exponential">).params.rate;
        expect(Math.abs(rate - c.adjusted_aux_rate!) / c.adjusted_aux_rate!).toBeLessThan(1e-12);
        expect(aux.change?.name).toBe("sigma");
      }
    });
  }
  it("leaves flat and jeffreys alone, and non-gaussian aux priors unchanged", () => {
    const X = Float64Array.from([1, 0.5, 1, 2, 1, 7]);
    const res = autoscale([flat(), jeffreys()], X, ["(Intercept)", "x"], [0, 1, 1], makeFamily("binomial"));
    expect(res.priors.map((p) => p.kind)).toEqual(["flat", "jeffreys"]);
    expect(res.changes).toEqual([]);
    expect(autoscaleAux(exponential(1), [1, 2, 3], makeFamily("poisson")).change).toBeNull();
    expect(() => autoscale([normal()], X, ["x"], [0, 1, 1], makeFamily("binomial"))).toThrow(ArgumentError);
    expect(() => autoscale([normal(), normal()], Float64Array.from([1, NaN, 1, 2, 1, 3]), ["(Intercept)", "x"], [1, 2, 3], makeFamily("gaussian"))).toThrow(/column "x" row 1/);
  });
});

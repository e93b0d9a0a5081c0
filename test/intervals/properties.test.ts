/**
 * fast-check properties of the interval methods on simulated data (fixed fast-check
 * seeds; each data set is a pure function of its MT19937 seed):
 * - with large n, Wald, profile and Laplace intervals converge, the gap relative to
 *   the width shrinking like 1/√n;
 * - intervals widen with the level;
 * - an interval contains its point estimate;
 * - every finite profile bound is a root of the signed-root profile (checked by a fresh refit);
 * - profile bounds are invariant under monotone reparametrisation: solved on the
 *   odds-ratio scale they are exp of the log-odds bounds, and rescaling or negating a
 *   covariate rescales or negates (and swaps) them — which Wald intervals on the
 *   odds-ratio scale (delta method) are not.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { simulateGlm } from "./sim.js";
import { fitMl, type GlmProblem } from "../../src/fit/ml-fit.js";
import { fitMap } from "../../src/fit/map.js";
import { fitBiasReduced } from "../../src/fit/firth.js";
import { normal } from "../../src/priors/index.js";
import { waldIntervals } from "../../src/intervals/wald.js";
import { profileIntervals, CoefficientProfile, referenceDeviance } from "../../src/intervals/profile.js";
import { penalizedProfileIntervals } from "../../src/intervals/penalized-profile.js";
import { laplaceIntervals } from "../../src/intervals/laplace.js";
import { EXP_TRANSFORM } from "../../src/intervals/transform.js";
import type { IntervalSet } from "../../src/intervals/types.js";

const seedArb = fc.integer({ min: 1, max: 2 ** 31 - 1 });
const BETA = [-0.5, 0.8, -0.6];
const weakPriors = () => ({ coefficients: [normal(0, 10), normal(0, 10), normal(0, 10)] });

/** max over coefficients and ends of |a − b| / (width of a). */
function relativeGap(a: IntervalSet, b: IntervalSet): number {
  let g = 0;
  a.rows.forEach((r, j) => {
    const w = r.upper - r.lower;
    g = Math.max(g, Math.abs(r.lower - b.rows[j]!.lower) / w, Math.abs(r.upper - b.rows[j]!.upper) / w);
  });
  return g;
}

/** Least-squares slope of log y on log x. */
function logLogSlope(x: number[], y: number[]): number {
  const lx = x.map(Math.log);
  const ly = y.map(Math.log);
  const mx = lx.reduce((s, v) => s + v, 0) / lx.length;
  const my = ly.reduce((s, v) => s + v, 0) / ly.length;
  let sxy = 0;
  let sxx = 0;
  for (let k = 0; k < lx.length; k++) {
    sxy += (lx[k]! - mx) * (ly[k]! - my);
    sxx += (lx[k]! - mx) ** 2;
  }
  return sxy / sxx;
}

function scaleColumn(problem: GlmProblem, j: number, c: number): GlmProblem {
  const X = Float64Array.from(problem.X);
  for (let i = 0; i < problem.n; i++) X[i * problem.p + j] = X[i * problem.p + j]! * c;
  return { ...problem, X };
}

describe("large n: Wald, profile and Laplace intervals converge like 1/√n", () => {
  it("the relative gap has log-log slope ≈ −1/2 in n (between −0.7 and −0.3)", () => {
    const ns = [100, 400, 1600, 6400];
    fc.assert(
      fc.property(seedArb, (seed) => {
        const wp: number[] = [];
        const lp: number[] = [];
        for (const n of ns) {
          const problem = simulateGlm(seed + n, n, BETA);
          const ml = fitMl(problem);
          const prof = profileIntervals(ml);
          wp.push(relativeGap(waldIntervals(ml), prof));
          lp.push(relativeGap(laplaceIntervals(fitMap(problem, weakPriors())), prof));
        }
        const s1 = logLogSlope(ns, wp);
        const s2 = logLogSlope(ns, lp);
        expect(s1, `Wald–profile gaps ${wp.map((g) => g.toExponential(2))}`).toBeGreaterThan(-0.7);
        expect(s1).toBeLessThan(-0.3);
        expect(s2, `Laplace–profile gaps ${lp.map((g) => g.toExponential(2))}`).toBeGreaterThan(-0.7);
        expect(s2).toBeLessThan(-0.3);
        expect(wp[ns.length - 1]!).toBeLessThan(0.01);
      }),
      { numRuns: 4, seed: 20240501 },
    );
  });
});

describe("intervals widen with the level and contain their estimate", () => {
  const dataArb = fc.record({
    seed: seedArb,
    n: fc.integer({ min: 40, max: 200 }),
    family: fc.constantFrom("binomial" as const, "poisson" as const),
    levels: fc.tuple(fc.double({ min: 0.5, max: 0.99, noNaN: true }), fc.double({ min: 0.5, max: 0.99, noNaN: true })),
  });
  it("Wald, profile, Laplace and penalised profile", () => {
    fc.assert(
      fc.property(dataArb, ({ seed, n, family, levels }) => {
        const [l1, l2] = levels[0] <= levels[1] ? levels : [levels[1], levels[0]];
        fc.pre(l2 - l1 > 1e-3);
        const beta = family === "binomial" ? BETA : [0.5, 0.3, -0.2];
        const problem = simulateGlm(seed, n, beta, family);
        const ml = fitMl(problem);
        const map = fitMap(problem, weakPriors());
        const firth = fitBiasReduced(problem, { type: "MPL_Jeffreys" });
        const sets = (level: number) => [
          waldIntervals(ml, { level }),
          profileIntervals(ml, { level }),
          laplaceIntervals(map, { level }),
          penalizedProfileIntervals(firth, { level }),
        ];
        const narrow = sets(l1);
        const wide = sets(l2);
        narrow.forEach((set, k) =>
          set.rows.forEach((r, j) => {
            const w = wide[k]!.rows[j]!;
            expect(r.lower, `${set.method} ${r.name}`).toBeLessThan(r.estimate);
            expect(r.upper, `${set.method} ${r.name}`).toBeGreaterThan(r.estimate);
            expect(w.lower, `${set.method} ${r.name} lower at ${l2} vs ${l1}`).toBeLessThan(r.lower);
            expect(w.upper, `${set.method} ${r.name} upper at ${l2} vs ${l1}`).toBeGreaterThan(r.upper);
          }),
        );
      }),
      { numRuns: 12, seed: 77 },
    );
  });
  it("small separated-prone samples: the profile still contains the estimate (bounds may be infinite)", () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 10, max: 20 }), (seed, n) => {
        const problem = simulateGlm(seed, n, [0, 2.5, 0]);
        const ml = fitMl(problem);
        const set = profileIntervals(ml);
        set.rows.forEach((r) => {
          expect(r.lower).toBeLessThan(r.estimate);
          expect(r.upper).toBeGreaterThan(r.estimate);
          expect(Number.isNaN(r.lower) || Number.isNaN(r.upper)).toBe(false);
        });
      }),
      { numRuns: 15, seed: 5 },
    );
  });
});

describe("every finite profile bound is a root of the profile", () => {
  it("a fresh refit at the bound gives |z| = Φ⁻¹((1 + level)/2), also on small separation-prone samples", () => {
    let infinite = 0;
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 12, max: 40 }), fc.double({ min: 0.5, max: 0.99, noNaN: true }), (seed, n, level) => {
        const problem = simulateGlm(seed, n, [-0.5, 1.5, -1]);
        const ml = fitMl(problem);
        fc.pre(ml.irls.converged);
        const set = profileIntervals(ml, { level });
        const d0 = referenceDeviance(ml);
        set.rows.forEach((r, j) => {
          for (const [b, sign] of [[r.lower, -1], [r.upper, 1]] as const) {
            if (!Number.isFinite(b)) {
              infinite++;
              continue;
            }
            const pt = new CoefficientProfile(ml, j, d0).at(b);
            if (!pt.converged) continue; // a refit from the full fit cannot always reach a far bound
            expect(Math.abs(pt.z - sign * set.cutoff.value), `${r.name} at ${b}`).toBeLessThan(1e-6);
          }
        });
      }),
      { numRuns: 60, seed: 99 },
    );
    expect(infinite).toBeGreaterThan(0); // the samples do include separated ones
  });
});

describe("profile bounds are invariant under monotone reparametrisation", () => {
  it("odds-ratio bounds solved on the odds-ratio scale are exp of the log-odds bounds", () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 50, max: 300 }), (seed, n) => {
        const ml = fitMl(simulateGlm(seed, n, BETA));
        const logOdds = profileIntervals(ml);
        const odds = profileIntervals(ml, { transform: EXP_TRANSFORM });
        odds.rows.forEach((r, j) => {
          const b = logOdds.rows[j]!;
          expect(Math.abs(r.lower - Math.exp(b.lower))).toBeLessThanOrEqual(1e-9 * Math.exp(b.lower));
          expect(Math.abs(r.upper - Math.exp(b.upper))).toBeLessThanOrEqual(1e-9 * Math.exp(b.upper));
          expect(r.estimate).toBeCloseTo(Math.exp(b.estimate), 12);
        });
        // The Wald interval on the odds-ratio scale (delta method) is not exp of the log-odds Wald interval.
        const w = waldIntervals(ml).rows[1]!;
        const se = (w.upper - w.estimate) / 1.959963984540054;
        const deltaLower = Math.exp(w.estimate) * (1 - 1.959963984540054 * se);
        expect(Math.abs(deltaLower - Math.exp(w.lower))).toBeGreaterThan(1e-6 * Math.exp(w.lower));
      }),
      { numRuns: 10, seed: 11 },
    );
  });
  it("rescaling a covariate by c > 0 divides its bounds by c; negating it negates and swaps them", () => {
    fc.assert(
      fc.property(seedArb, fc.double({ min: 0.05, max: 20, noNaN: true }), (seed, c) => {
        const problem = simulateGlm(seed, 150, BETA);
        const base = profileIntervals(fitMl(problem)).rows[1]!;
        const scaled = profileIntervals(fitMl(scaleColumn(problem, 1, c))).rows[1]!;
        const negated = profileIntervals(fitMl(scaleColumn(problem, 1, -1))).rows[1]!;
        const tol = 1e-7 * (base.upper - base.lower);
        expect(Math.abs(scaled.lower * c - base.lower)).toBeLessThan(tol);
        expect(Math.abs(scaled.upper * c - base.upper)).toBeLessThan(tol);
        expect(Math.abs(negated.lower + base.upper)).toBeLessThan(tol);
        expect(Math.abs(negated.upper + base.lower)).toBeLessThan(tol);
      }),
      { numRuns: 10, seed: 3 },
    );
  });
});

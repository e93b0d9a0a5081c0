/**
 * Extreme column scales (src/fit/design-scaling.ts, src/fit/ml-fit.ts): a predictor
 * ×1e200 or ×1e−200 used to give SE 0 / z = Infinity / p = 0 or SE Infinity / p = 1
 * with no warning (as R's glm() does: test/reference comment below), and ×1e−162 an
 * estimate 19% off. Fitting on columns rescaled by powers of two is exact, so:
 * - property: multiplying a column by 2^k (|k| up to 1000) changes its estimate and
 *   SE by exactly 2^−k and leaves the statistic, p-value, deviance and iteration count
 *   bit for bit unchanged (binomial, Poisson, gaussian);
 * - the covariance matrix, which cannot hold variances of order 1e−400, is flagged
 *   with a warning; estimates beyond the double range are NaN with a warning, never
 *   0 or ±Infinity SEs.
 *
 * R 4.2: x <- 1:10; y <- c(0,1,0,0,1,1,0,1,0,1); glm(y ~ I(x*1e200), binomial) gives
 * estimate 1.760194e-201, SE 0, z Inf, p 0 (4 iterations); glm(y ~ x) gives
 * 0.1760194, SE 0.2326407, p 0.4492808.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { fitMl, type GlmProblem } from "../../src/fit/ml-fit.js";
import { binomial, gaussian, poisson } from "../../src/families/index.js";
import { ldexp, columnExponents } from "../../src/fit/design-scaling.js";
import type { Family } from "../../src/types.js";

const FC = { seed: 20260302, numRuns: 60 };
const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const yBin = [0, 1, 0, 0, 1, 1, 0, 1, 0, 1];

function problem(x: number[], y: number[], family: Family = binomial()): GlmProblem {
  const n = x.length;
  return {
    X: Float64Array.from(x.flatMap((v) => [1, v])), n, p: 2, columnNames: ["(Intercept)", "x"], hasIntercept: true,
    y: Float64Array.from(y), weights: new Float64Array(n).fill(1), offset: null, trials: null, family,
  };
}

describe("badly scaled columns", () => {
  const ref = fitMl(problem(xs, yBin));

  it("R's reference fit is unchanged (no column rescaled)", () => {
    expect(columnExponents(problem(xs, yBin).X, 10, 2)).toBeNull();
    expect(ref.coefficients[1]!.estimate).toBeCloseTo(0.1760194, 6);
    expect(ref.coefficients[1]!.se).toBeCloseTo(0.2326407, 6);
    expect(ref.irls.iterations).toBe(4);
    expect(ref.warnings).toEqual([]);
  });

  for (const scale of [1e200, 1e-200, 1e-162, 1e300]) {
    it(`x × ${scale}: exact estimate, SE and p-value, and a warning about the covariance matrix`, () => {
      const fit = fitMl(problem(xs.map((v) => v * scale), yBin));
      const r = fit.coefficients[1]!;
      expect(Math.abs(r.estimate! * scale / ref.coef[1]! - 1)).toBeLessThan(1e-12);
      expect(Math.abs(r.se! * scale / ref.coefficients[1]!.se! - 1)).toBeLessThan(1e-12);
      expect(Math.abs(r.p_value! - ref.coefficients[1]!.p_value!)).toBeLessThan(1e-12);
      expect(fit.irls.iterations).toBe(4);
      expect(fit.warnings.some((w) => w.startsWith('badly scaled columns: "x"') && w.includes("covariance matrix holds 0 or Infinity"))).toBe(true);
    });
  }

  it("x × 1e−310: the estimate and SE (≈1e309) cannot be represented: NaN with a warning; z and p are kept", () => {
    const fit = fitMl(problem(xs.map((v) => v * 1e-310), yBin));
    const r = fit.coefficients[1]!;
    expect(r.estimate).toBeNaN();
    expect(r.se).toBeNaN();
    expect(Math.abs(r.p_value! - ref.coefficients[1]!.p_value!)).toBeLessThan(1e-9); // subnormal inputs carry fewer digits
    expect(fit.warnings.some((w) => w.startsWith("the design is too badly scaled for double precision: x"))).toBe(true);
  });

  it("property: ×2^k changes estimate and SE by exactly 2^−k; statistic, p, deviance and iterations are bit for bit the same", () => {
    const families: Array<[Family, (i: number) => number]> = [
      [binomial(), (i) => yBin[i]!],
      [poisson(), (i) => [0, 2, 1, 3, 2, 5, 4, 6, 9, 8][i]!],
      [gaussian(), (i) => [1.2, 2.3, 2.9, 4.1, 5.2, 5.8, 7.1, 8.3, 8.8, 10.4][i]!],
    ];
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 2 }), (k, f) => {
        const [family, yOf] = families[f]!;
        const y = xs.map((_, i) => yOf(i));
        const base = fitMl(problem(xs, y, family));
        const fit = fitMl(problem(xs.map((v) => ldexp(v, k)), y, family));
        const a = base.coefficients[1]!;
        const b = fit.coefficients[1]!;
        expect(b.estimate).toBe(ldexp(a.estimate!, -k));
        expect(b.se).toBe(ldexp(a.se!, -k));
        expect(b.statistic).toBe(a.statistic);
        expect(b.p_value).toBe(a.p_value);
        expect(fit.coefficients[0]).toEqual(base.coefficients[0]);
        expect(fit.deviance).toBe(base.deviance);
        expect(fit.irls.iterations).toBe(base.irls.iterations);
        for (const r of fit.coefficients) expect(r.se === 0 || r.se === Infinity || r.se === -Infinity).toBe(false);
      }),
      FC,
    );
  });
});

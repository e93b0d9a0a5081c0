/**
 * Posterior predictive checks: closed-form values on small matrices, the tie convention,
 * rstanarm's mean_PPD scale, and a property of the mid-p value.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ppcCheck, meanPPD } from "../../src/diagnostics/ppc.js";
import { ArgumentError, DataError } from "../../src/errors.js";

const yRep = { draws: 3, n: 3, values: Float64Array.from([0, 1, 2, 1, 1, 1, 0, 0, 5]) };
const y = [0, 1, 2];

describe("ppcCheck", () => {
  it("mean, sd, propZero and max with ties counted as extreme (p) or half (mid-p)", () => {
    const [mean, sd, pz, mx] = ppcCheck(yRep, y);
    expect(mean!.observed).toBe(1);
    [1, 1, 5 / 3].forEach((v, s) => expect(mean!.replicated[s]).toBeCloseTo(v, 15));
    expect(mean!.pValue).toBe(1); // 1 ≥ 1, 1 ≥ 1, 5/3 ≥ 1
    expect(mean!.pValueMid).toBeCloseTo((1 + 0.5 + 0.5) / 3, 15);
    expect(sd!.observed).toBe(1);
    expect(sd!.replicated[1]).toBe(0);
    expect(sd!.replicated[2]).toBeCloseTo(Math.sqrt(((5 / 3) ** 2 * 2 + (10 / 3) ** 2) / 2), 14);
    expect(sd!.pValue).toBeCloseTo(2 / 3, 15);
    expect(pz!.observed).toBeCloseTo(1 / 3, 15);
    expect(Array.from(pz!.replicated)).toEqual([1 / 3, 0, 2 / 3]);
    expect(pz!.pValue).toBeCloseTo(2 / 3, 15);
    expect(pz!.pValueMid).toBeCloseTo((1 + 0.5) / 3, 15);
    expect(Array.from(mx!.replicated)).toEqual([2, 1, 5]);
    expect(mx!.pValue).toBeCloseTo(2 / 3, 15);
  });

  it("a user statistic", () => {
    const [range] = ppcCheck(yRep, y, [{ name: "range", fn: (v) => Math.max(...v) - Math.min(...v) }]);
    expect(range!.name).toBe("range");
    expect(Array.from(range!.replicated)).toEqual([2, 0, 5]);
    expect(range!.pValue).toBeCloseTo(2 / 3, 15);
  });

  it("mid-p of T and of −T add up to 1 (any data, any draws)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 20 }), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 120, maxLength: 120 }),
        (n, S, pool) => {
          const values = Float64Array.from({ length: S * n }, (_, j) => pool[j % pool.length]!);
          const yy = Array.from({ length: n }, (_, i) => pool[(i * 7) % pool.length]!);
          const sum = (v: Float64Array) => v.reduce((a, b) => a + b, 0);
          const [a, b] = ppcCheck({ draws: S, n, values }, yy, [{ name: "sum", fn: sum }, { name: "-sum", fn: (v) => -sum(v) }]);
          return Math.abs(a!.pValueMid + b!.pValueMid - 1) < 1e-12 && a!.pValue >= a!.pValueMid;
        },
      ),
      { numRuns: 200 },
    );
  });

  it("rejects bad input", () => {
    expect(() => ppcCheck(yRep, [1, 2])).toThrow(ArgumentError);
    expect(() => ppcCheck({ draws: 2, n: 3, values: new Float64Array(5) }, y)).toThrow(/expected draws × n/);
    expect(() => ppcCheck({ draws: 1, n: 3, values: Float64Array.from([1, NaN, 2]) }, y)).toThrow(DataError);
    expect(() => ppcCheck(yRep, y, ["median" as "mean"])).toThrow(/unknown statistic/);
  });
});

describe("meanPPD", () => {
  it("is the mean over draws of the per-draw mean of y_rep", () => {
    const m = meanPPD(yRep);
    [1, 1, 5 / 3].forEach((v, s) => expect(m.draws[s]).toBeCloseTo(v, 15));
    expect(m.mean).toBeCloseTo(11 / 9, 15);
  });
  it("binomial: rstanarm's count scale multiplies the proportions by the trials", () => {
    const props = { draws: 2, n: 2, values: Float64Array.from([0.5, 0.25, 1, 0]) };
    const m = meanPPD(props, { trials: [2, 4] });
    expect(Array.from(m.draws)).toEqual([(1 + 1) / 2, (2 + 0) / 2]);
    expect(() => meanPPD(props, { trials: [1] })).toThrow(ArgumentError);
  });
});

/**
 * Ties in posterior predictive checks of discrete data: replicates that are permutations of
 * y have exactly T(y) for mean and sd (sums are compensated, exact for integers, as R's
 * long-double sums), so p = P(T(y_rep) ≥ T(y)) = 1 and the mid-p value is ½.
 */
import { describe, expect, it } from "vitest";
import { ppcCheck } from "../../src/diagnostics/ppc.js";
import { createRng } from "../../samplers/rng.js";

describe("ppcCheck ties", () => {
  it("permuted 0/1 replicates tie with T(y) for mean and sd", () => {
    const rng = createRng(3);
    const n = 189;
    const y = Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const S = 200;
    const values = new Float64Array(S * n);
    for (let s = 0; s < S; s++) {
      const row = Float64Array.from(y);
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform() * (i + 1));
        [row[i], row[j]] = [row[j]!, row[i]!];
      }
      values.set(row, s * n);
    }
    for (const c of ppcCheck({ draws: S, n, values }, y, ["mean", "sd"])) {
      expect(c.replicated.every((t) => t === c.observed), c.name).toBe(true);
      expect(c.pValue).toBe(1);
      expect(c.pValueMid).toBe(0.5);
    }
  });
});

/**
 * Property, through the public API: for a Gaussian (identity-link) fit, weighted or not, the
 * exact leave-one-out residual yᵢ − ŷ₍ᵢ₎ equals eᵢ/(1 − hᵢ), with eᵢ = residuals("response")
 * and hᵢ = hatvalues() of the full fit, and ŷ₍ᵢ₎ = predict(row i) of the model refitted
 * without row i (the Sherman–Morrison identity of weighted least squares; Belsley, Kuh &
 * Welsch 1980, §2.1). Cases with hᵢ near 1 are skipped (the identity divides by 1 − hᵢ).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { glm } from "../../models/glm.js";
import { propertyParameters } from "../../testing/index.js";

interface Row { y: number; x1: number; x2: number; w: number }

const dataSet = fc.integer({ min: 6, max: 18 }).chain((n) =>
  fc.record({
    rows: fc.array(
      fc.record({
        y: fc.double({ min: -50, max: 50, noNaN: true }),
        x1: fc.double({ min: -5, max: 5, noNaN: true }),
        x2: fc.integer({ min: -3, max: 3 }),
        w: fc.double({ min: 0.25, max: 4, noNaN: true }),
      }),
      { minLength: n, maxLength: n },
    ),
    weighted: fc.boolean(),
  }),
);

describe("exact LOO residuals of a Gaussian fit via the API", () => {
  it("yᵢ − ŷ₍ᵢ₎ = eᵢ/(1 − hᵢ) against refits without each row", () => {
    fc.assert(
      fc.property(dataSet, ({ rows, weighted }) => {
        const spec = { formula: "y ~ x1 + x2", family: "gaussian", ...(weighted ? { weights: "w" } : {}) };
        const fit = glm({ ...spec, data: rows as Row[] }).fit();
        fc.pre(fit.coefficients.every((c) => !c.aliased));
        const h = fit.hatvalues();
        fc.pre(h.every((v) => v < 0.98));
        const e = fit.residuals("response");
        const scale = Math.max(1, ...rows.map((r) => Math.abs(r.y)));
        rows.forEach((row, i) => {
          const rest = rows.filter((_, j) => j !== i);
          const refit = glm({ ...spec, data: rest }).fit();
          if (refit.coefficients.some((c) => c.aliased)) return; // the row alone identified a coefficient
          const yHat = refit.predict([row], { type: "response" }).fit[0]!;
          const loo = row.y - yHat;
          expect(Math.abs(loo - e[i]! / (1 - h[i]!)), `row ${i}`).toBeLessThan(1e-7 * scale / (1 - h[i]!));
        });
      }),
      propertyParameters(25, 7),
    );
  });
});

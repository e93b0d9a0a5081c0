/**
 * Prediction standard errors that do not exist are NaN with a warning, never 0:
 * R 4.2.2, d <- data.frame(y = c(1, 2, 3), x = c(0.5, 1, 2)); f <- glm(y ~ x + I(x^2), data = d)
 * (no residual degrees of freedom: dispersion NaN): predict(f, se.fit = TRUE)$se.fit is NaN NaN NaN.
 * Aliased coefficients still count as fixed at 0 (R's predict.glm drops them).
 */
import { describe, expect, it } from "vitest";
import { glm, loadModel } from "../../models/index.js";

const d = { y: [1, 2, 3], x: [0.5, 1, 2] };

describe("prediction SEs with no residual degrees of freedom", () => {
  it("GlmFit.predict: NaN with a warning (R: NaN)", () => {
    const fit = glm({ formula: "y ~ x + I(x^2)", data: d }).fit();
    const pr = fit.predict(d, { seFit: true });
    expect(Array.from(pr.se!)).toEqual([NaN, NaN, NaN]);
    expect(pr.warnings?.filter((w) => /^3 of 3 standard errors are NaN/.test(w))).toHaveLength(1);
  });

  it("a saved model: NaN with the warning too (not 0 from the null entries of its vcov)", () => {
    const saved = loadModel(JSON.parse(JSON.stringify(glm({ formula: "y ~ x + I(x^2)", data: d }).fit().save())));
    const pr = saved.predict(d, { se: true });
    expect(Array.from(pr.se!)).toEqual([NaN, NaN, NaN]);
    expect(pr.warnings.filter((w) => /^3 of 3 standard errors are NaN/.test(w))).toHaveLength(1);
  });

  it("an aliased coefficient is fixed at 0: finite SEs and no warning", () => {
    const data = { y: [1, 2, 4, 3, 5], x: [1, 2, 3, 4, 5], z: [2, 4, 6, 8, 10] };
    const fit = glm({ formula: "y ~ x + z", data }).fit();
    expect(fit.toJSON().coefficients[2]!.aliased).toBe(true);
    const pr = fit.predict(data, { seFit: true });
    for (const s of pr.se!) expect(Number.isFinite(s) && s > 0).toBe(true);
    expect(pr.warnings ?? []).toEqual([]);
    const saved = loadModel(JSON.parse(JSON.stringify(fit.save()))).predict(data, { se: true });
    expect(Array.from(saved.se!)).toEqual(Array.from(pr.se!));
    expect(saved.warnings).toEqual([]);
  });
});

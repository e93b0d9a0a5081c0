/**
 * Agreement with R's glm() / MASS::glm.nb on the reference suite written by
 * test/reference/glm.R (committed JSON: tests never need R).
 * Tolerance: 1e-6 relative, 1e-8 absolute near zero (the project's standard).
 * IRLS follows glm.fit step for step, so iteration counts must match exactly.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { glm } from "../../models/glm.js";
import { readCsv } from "../../src/data/index.js";

interface RefCoef { name: string; estimate: number | null; se: number | null; statistic: number | null; p_value: number | null; aliased: boolean }
interface RefFit {
  id: string; data: string; formula: string; family: string; link: string;
  weights: string | null; offset: string | null; theta: number | null; estimate_theta: boolean; power: number | null;
  start: number[] | null;
  R_call: string;
  r_warnings?: string[];
  result: {
    coefficients: RefCoef[]; deviance: number; null_deviance: number; df_residual: number; df_null: number;
    aic: number | null; log_likelihood: number | null; dispersion: number; iterations: number; converged: boolean;
    theta: number | null; se_theta: number | null; twologlik: number | null;
    fitted_head: number[];
    residuals_head: { response: number[]; working: number[]; pearson: number[]; deviance: number[] };
    predict_newdata?: { rows: number[]; link: number[]; link_se: number[]; response: number[]; response_se: number[] };
  };
}

const fits: RefFit[] = JSON.parse(readFileSync("test/reference/glm.json", "utf8"));

function close(actual: number | null | undefined, expected: number | null, label: string, rel = 1e-6, abs = 1e-8) {
  if (expected === null) {
    expect(actual === null || actual === undefined || Number.isNaN(actual), `${label}: expected NA, got ${actual}`).toBe(true);
    return;
  }
  expect(actual, label).not.toBeNull();
  const err = Math.abs((actual as number) - expected);
  expect(err <= Math.max(abs, rel * Math.abs(expected)), `${label}: got ${actual}, R ${expected} (diff ${err.toExponential(2)})`).toBe(true);
}


describe("R reference suite: glm() and MASS::glm.nb", () => {
  it("has at least 15 fits", () => expect(fits.length).toBeGreaterThanOrEqual(15));

  for (const ref of fits) {
    it(`${ref.id}: ${ref.family}(${ref.link}) ${ref.formula}`, () => {
      const model = glm({
        formula: ref.formula,
        data: readCsv(ref.data),
        family: ref.family,
        link: ref.link,
        weights: ref.weights ?? undefined,
        offset: ref.offset ?? undefined,
        theta: ref.estimate_theta ? undefined : (ref.theta ?? undefined),
        power: ref.power ?? undefined,
      });
      const maxit = /maxit = (\d+)/.exec(ref.R_call);
      const fit = model.fit({
        ...(ref.start ? { start: Float64Array.from(ref.start) } : {}),
        ...(maxit ? { maxit: Number(maxit[1]) } : {}),
      });
      const r = ref.result;
      expect(fit.coefficients.map((c) => c.name)).toEqual(r.coefficients.map((c) => c.name));
      const scale = 1; // fixed-θ negative binomial references use summary(fit, dispersion = 1), as we do
      fit.coefficients.forEach((c, j) => {
        const rc = r.coefficients[j]!;
        expect(c.aliased, `${c.name} aliased`).toBe(rc.aliased);
        close(c.estimate, rc.estimate, `${c.name} estimate`);
        close(c.se === null ? null : c.se * scale, rc.se, `${c.name} se`);
        if (scale === 1) {
          close(c.statistic, rc.statistic, `${c.name} statistic`);
          close(c.p_value, rc.p_value, `${c.name} p`, 1e-6, 1e-12);
        }
      });
      close(fit.deviance, r.deviance, "deviance");
      close(fit.nullDeviance, r.null_deviance, "null deviance");
      expect(fit.dfResidual).toBe(r.df_residual);
      expect(fit.ml.dfNull).toBe(r.df_null);
      close(Number.isFinite(fit.aic) ? fit.aic : null, r.aic, "AIC");
      close(Number.isFinite(fit.logLik) ? fit.logLik : null, r.log_likelihood, "logLik");
      if (scale === 1) close(fit.dispersion, r.dispersion, "dispersion");
      expect(fit.converged).toBe(r.converged);
      // R's glm.fit warnings are reported too (without the "glm.fit: " prefix)
      for (const w of ref.r_warnings ?? [])
        expect(fit.warnings, w).toContain(w.replace(/^glm.fit: /, ""));
      if (!ref.estimate_theta) expect(fit.iterations).toBe(r.iterations);
      if (ref.estimate_theta) {
        close(fit.theta, r.theta, "theta");
        close(fit.negbin!.seTheta, r.se_theta, "SE theta");
        close(fit.negbin!.twoLogLik, r.twologlik, "2 logLik");
      }
      r.fitted_head.forEach((v, i) => close(fit.fitted[i]!, v, `fitted[${i}]`));
      for (const type of ["response", "working", "pearson", "deviance"] as const) {
        const res = fit.residuals(type);
        r.residuals_head[type].forEach((v, i) => close(res[i]!, v, `${type} residual[${i}]`));
      }
      const pn = r.predict_newdata;
      if (pn) {
        const data = readCsv(ref.data);
        const rows = pn.rows.map((i) => Object.fromEntries(data.names.map((nm) => [nm, cell(data, nm, i)])));
        const link = fit.predict(rows, { type: "link", seFit: true });
        const resp = fit.predict(rows, { type: "response", seFit: true });
        pn.link.forEach((v, i) => close(link.fit[i]!, v, `predict link[${i}]`));
        pn.link_se.forEach((v, i) => close(link.se![i]! * scale, v, `predict link se[${i}]`));
        pn.response.forEach((v, i) => close(resp.fit[i]!, v, `predict response[${i}]`));
        pn.response_se.forEach((v, i) => close(resp.se![i]! * scale, v, `predict response se[${i}]`));
      }
    });
  }
});

function cell(data: ReturnType<typeof readCsv>, name: string, i: number): string | number | boolean | null {
  const col = data.column(name);
  if (col.kind === "numeric") return Number.isNaN(col.values[i]!) ? null : col.values[i]!;
  return col.values[i] ?? null;
}

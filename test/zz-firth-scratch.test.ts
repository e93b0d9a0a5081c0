import { it } from "vitest";
import { readFileSync } from "node:fs";
import { makeFamily } from "../src/families/index.js";
import { fitBiasReduced } from "../src/fit/firth.js";
const fx = JSON.parse(readFileSync("test/reference/firth.json", "utf8"));
it("scratch", () => {
  for (const c of fx.cases) {
    const family = makeFamily(c.family, { link: c.link });
    const problem = { X: Float64Array.from(c.X_row_major), n: c.n, p: c.p, columnNames: c.column_names, hasIntercept: true,
      y: Float64Array.from(c.y), weights: Float64Array.from(c.prior_weights), offset: c.offset ? Float64Array.from(c.offset) : null,
      trials: c.trials ? Float64Array.from(c.trials) : null, family };
    for (const type of ["AS_mean", "MPL_Jeffreys"] as const) {
      const ref = c.results[type];
      const t0 = performance.now();
      const f = fitBiasReduced(problem, { type });
      const ms = performance.now() - t0;
      let de = 0, dse = 0;
      ref.coefficients.forEach((r: any, j: number) => {
        if (r.aliased) return;
        de = Math.max(de, Math.abs(f.coefficients[j]!.estimate! - r.estimate) / Math.max(Math.abs(r.estimate), 1e-8));
        dse = Math.max(dse, Math.abs(f.coefficients[j]!.se! - r.se) / r.se);
      });
      const dd = Math.abs(f.dispersion - ref.dispersion) / ref.dispersion;
      const dpl = ref.penalised_log_likelihood != null && f.penalisedLogLik != null ? Math.abs(f.penalisedLogLik - ref.penalised_log_likelihood) : NaN;
      const ddev = Math.abs(f.deviance - ref.deviance) / ref.deviance;
      const daic = Math.abs(f.aic - ref.aic) / Math.abs(ref.aic);
      console.log(`${c.id.padEnd(32)} ${type.padEnd(13)} it ${String(f.iterations).padStart(4)} conv ${f.converged} est ${de.toExponential(1)} se ${dse.toExponential(1)} disp ${dd.toExponential(1)} dev ${ddev.toExponential(1)} aic ${daic.toExponential(1)} pll ${dpl.toExponential(1)} score ${f.maxAbsAdjustedScore.toExponential(1)} ${ms.toFixed(1)}ms ${f.warnings.join("; ")}`);
    }
  }
});

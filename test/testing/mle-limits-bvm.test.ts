/**
 * Bernstein–von Mises: with n large and a weak prior (normal(0, 10) on every
 * coefficient), the posterior is close to N(β̂_ML, Wald covariance).
 *
 * - Laplace (the MAP and √diag((−H)⁻¹) of src/fit/map.ts), n = 2000, families
 *   binomial (logit, probit), Poisson, Gamma (log) and gaussian: the mode is within
 *   0.01 SE of the MLE (the prior moves it by about SE²·|β|/100 ≈ 1e-4 SE) and the
 *   Laplace SD within 5% of the Wald SE (observed vs expected information differ by
 *   O(n^-1/2) for non-canonical links; the MLE's Pearson dispersion vs the MAP's
 *   ML dispersion differ by O(n^-1/2) too).
 * - NUTS (models/posterior.ts; 2 chains, 300 warmup + 400 draws), n = 1000,
 *   binomial-logit and Poisson-log: |posterior mean − MLE| ≤ 4·MCSE(mean) + 0.1·SE
 *   and |posterior SD − SE| ≤ 4·MCSE(SD) + 0.1·SE, where 0.1·SE allows for the
 *   O(n^-1/2) (in SE units) difference between the posterior and its normal limit.
 *
 * FC_RUNS scales the runs (the NUTS property takes ~1.5 s a run).
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { glm } from "../../models/glm.js";
import { fitMap } from "../../src/fit/map.js";
import { samplePosteriorSync } from "../../models/posterior.js";
import { normal } from "../../src/priors/index.js";
import { mcseSd, variableChains } from "../../samplers/index.js";
import { glmData, approximatelyEqualFits, assertVerdict, propertyParameters, runScale } from "../../testing/index.js";

const WEAK = normal(0, 10);

function waldSe(fit: ReturnType<ReturnType<typeof glm>["fit"]>): number[] {
  const p = fit.ml.problem.p;
  const v = fit.vcov();
  return Array.from({ length: p }, (_, j) => Math.sqrt(v[j * p + j]!));
}

describe("Bernstein–von Mises", () => {
  const laplaceData = fc.oneof(
    glmData({ family: ["binomial", "poisson", "gaussian"], n: 2000, p: { min: 1, max: 4 } }),
    glmData({ family: "binomial", link: "probit", n: 2000, p: { min: 1, max: 4 } }),
    glmData({ family: "Gamma", link: "log", n: 2000, p: { min: 1, max: 4 } }),
  );

  it("Laplace: the posterior mode is within 0.01 SE of the MLE and the Laplace SDs within 5% of the Wald SEs (n = 2000)", () => {
    fc.assert(
      fc.property(laplaceData, (d) => {
        const fit = glm(d.spec).fit({ separation: "never" });
        const problem = fit.ml.problem;
        const map = fitMap(problem, { coefficients: problem.columnNames.map(() => WEAK) });
        expect(map.converged).toBe(true);
        assertVerdict(approximatelyEqualFits(map, fit, 0.01, { scale: "se" }));
        const se = waldSe(fit);
        const dim = map.names.length;
        for (let j = 0; j < d.p; j++) {
          const sd = Math.sqrt(map.covariance[j * dim + j]!);
          expect(Math.abs(sd / se[j]! - 1), `${d.columnNames[j]}: Laplace SD ${sd}, Wald SE ${se[j]}`).toBeLessThanOrEqual(0.05);
        }
        return true;
      }),
      propertyParameters(12, 81001),
    );
  });

  it(
    "NUTS: posterior means and SDs agree with the MLE and Wald SEs within Monte Carlo error (n = 1000)",
    () => {
      let run = 0;
      fc.assert(
        fc.property(glmData({ family: ["binomial", "poisson"], n: 1000, p: { min: 1, max: 3 } }), (d) => {
          const fit = glm(d.spec).fit({ separation: "never" });
          const problem = fit.ml.problem;
          const post = samplePosteriorSync(problem, { coefficients: problem.columnNames.map(() => WEAK) }, { chains: 2, warmup: 300, draws: 400, seed: 90001 + run++ });
          expect(post.divergences).toBe(0);
          const se = waldSe(fit);
          for (let j = 0; j < d.p; j++) {
            const row = post.summary[j]!;
            expect(row.rhat).toBeLessThan(1.05);
            const mcsd = mcseSd(variableChains(post.draws, post.names.length, j));
            const dm = Math.abs(row.mean - fit.ml.coef[j]!);
            expect(dm, `${row.name}: posterior mean ${row.mean} (MCSE ${row.mcse_mean}), MLE ${fit.ml.coef[j]}, SE ${se[j]}`).toBeLessThanOrEqual(4 * row.mcse_mean + 0.1 * se[j]!);
            const ds = Math.abs(row.sd - se[j]!);
            expect(ds, `${row.name}: posterior SD ${row.sd} (MCSE ${mcsd}), SE ${se[j]}`).toBeLessThanOrEqual(4 * mcsd + 0.1 * se[j]!);
          }
          return true;
        }),
        propertyParameters(6, 81002),
      );
    },
    60_000 * runScale(),
  );
});

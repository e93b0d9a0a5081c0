/**
 * Influence measures against R (test/reference/diagnostics.R): hatvalues, cooks.distance,
 * rstandard, rstudent, lm.influence's sigma, dfbeta(s), dffits, covratio and
 * influence.measures' flags, for 15 fits over every family (weights, offsets, an aliased
 * column, zero weights, estimated dispersion, quasi families, glm.nb).
 * Tolerance: 1e-6 relative (the project's standard), 1e-12 absolute for values that are
 * zero in exact arithmetic.
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  glmInfluence, hatvalues, cooksDistance, rstandard, rstudent, dfbeta, dfbetas, dffits, covratio, influenceMeasures,
} from "../../src/diagnostics/influence.js";
import { close, closeAll, fixture, refit, reportWorst, worst } from "./fixture.js";

afterAll(() => reportWorst("influence"));

describe("influence measures vs R stats 4.2", () => {
  it("has at least 8 fits", () => expect(fixture.fits.length).toBeGreaterThanOrEqual(8));
  for (const ref of fixture.fits) {
    it(`${ref.id}: ${ref.family}(${ref.link}) ${ref.formula}`, () => {
      const fit = refit(ref);
      const r = ref.influence;
      const infl = glmInfluence(fit);
      expect(Array.from(infl.rows)).toEqual(r.rows);
      expect(infl.rank).toBe(r.rank);
      close(fit.dispersion, r.dispersion, "dispersion", "dispersion");
      closeAll(hatvalues(fit, infl), r.hatvalues, "hat", "hatvalues");
      closeAll(infl.sigma, r.sigma, "sigma", "sigma");
      closeAll(cooksDistance(fit, { infl }), r.cooks_distance, "cooks", "cooks.distance");
      closeAll(rstandard(fit, "deviance", { infl }), r.rstandard_deviance, "rstandard dev", "rstandard (deviance)");
      closeAll(rstandard(fit, "pearson", { infl }), r.rstandard_pearson, "rstandard pearson", "rstandard (pearson)");
      closeAll(rstudent(fit, infl), r.rstudent, "rstudent", "rstudent");
      const db = dfbeta(fit, infl);
      expect(db.columnNames).toEqual(r.dfbeta_names);
      closeAll(db.values, r.dfbeta, "dfbeta", "dfbeta");
      closeAll(dfbetas(fit, infl).values, r.dfbetas, "dfbetas", "dfbetas");
      closeAll(dffits(fit, infl), r.dffits, "dffits", "dffits");
      closeAll(covratio(fit, infl), r.covratio, "covratio", "covratio");
      const im = influenceMeasures(fit, infl);
      const cols = im.columns.length;
      expect(cols).toBe(r.is_inf_columns.length);
      const covR = Array.from({ length: im.rows.length }, (_, c) => im.infmat[c * cols + cols - 3]!);
      const cookD = Array.from({ length: im.rows.length }, (_, c) => im.infmat[c * cols + cols - 2]!);
      closeAll(covR, r.infmat_cov_r, "infmat cov.r", "influence.measures cov.r");
      closeAll(cookD, r.infmat_cook_d, "infmat cook.d", "cooks.distance");
      expect(im.isInfluential.map((f) => (f === null ? null : f ? 1 : 0))).toEqual(r.is_inf);
    });
  }
});

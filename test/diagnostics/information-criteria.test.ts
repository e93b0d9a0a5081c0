/**
 * BIC against R's BIC(fit), logLik's df and nobs attributes and nobs(fit)
 * (test/reference/diagnostics.R), 1e-6 relative.
 */
import { afterAll, describe, expect, it } from "vitest";
import { bic } from "../../src/diagnostics/information-criteria.js";
import { ArgumentError } from "../../src/errors.js";
import { close, fixture, refit, reportWorst } from "./fixture.js";

afterAll(() => reportWorst("information criteria"));

describe("BIC vs R", () => {
  for (const ref of fixture.fits) {
    it(ref.id, () => {
      const fit = refit(ref);
      const ic = ref.information_criteria;
      const b = bic(fit);
      expect(b.df).toBe(ic.df);
      expect(b.nobs).toBe(ic.nobs_loglik);
      expect(bic(fit, { nobs: "positiveWeights" }).nobs).toBe(ic.nobs);
      close(b.bic, ic.bic, "BIC", "BIC");
      close(b.logLik, ic.log_lik, "logLik", "logLik");
    });
  }
  it("zero weights: R's BIC counts every row, nobs(fit) only the positive-weight ones", () => {
    const ref = fixture.fits.find((f) => f.id === "mtcars_gamma_log_zero_weights")!;
    const fit = refit(ref);
    const r = bic(fit);
    const p = bic(fit, { nobs: "positiveWeights" });
    expect([r.nobs, p.nobs]).toEqual([32, 30]);
    expect(p.bic - r.bic).toBeCloseTo((Math.log(30) - Math.log(32)) * r.df, 12);
  });
  it("rejects an unknown nobs rule", () => {
    const fit = refit(fixture.fits[0]!);
    expect(() => bic(fit, { nobs: "all" as "logLik" })).toThrow(ArgumentError);
  });
});

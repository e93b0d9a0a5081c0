/**
 * Calibration against R (test/reference/diagnostics.R): Brier score, calibration intercept
 * and slope (glm fits), Hosmer–Lemeshow as ResourceSelection::hoslem.test(g = 10) on the
 * trials, and the reliability table. 1e-6 relative; the HL p-value is compared with R's
 * upper tail pchisq(lower.tail = FALSE) at 1e-6 relative and with hoslem.test's own
 * 1 − pchisq at 1e-15 absolute (its cancellation error).
 */
import { afterAll, describe, expect, it } from "vitest";
import {
  brierScore, calibrationIntercept, calibrationSlope, calibrationOfFit, hosmerLemeshow, reliabilityTable,
} from "../../src/diagnostics/calibration.js";
import { ArgumentError, DataError } from "../../src/errors.js";
import { close, closeAll, fixture, refit, reportWorst } from "./fixture.js";

afterAll(() => reportWorst("calibration"));

describe("calibration vs R", () => {
  for (const ref of fixture.calibration) {
    it(ref.id, () => {
      const input = { y: ref.y, p: ref.fitted, weights: ref.prior_weights };
      close(brierScore(input), ref.brier, "brier", "Brier");
      const a = calibrationIntercept(input);
      close(a.estimate, ref.intercept.estimate, "intercept", "calibration intercept", 1e-6, 1e-10);
      close(a.se, ref.intercept.se, "intercept se", "calibration intercept se");
      const s = calibrationSlope(input);
      closeAll([s.intercept.estimate, s.slope.estimate], ref.slope_model.estimate, "slope model", "calibration slope", 1e-6, 1e-10);
      closeAll([s.intercept.se, s.slope.se], ref.slope_model.se, "slope model se", "calibration slope se");
      const hl = hosmerLemeshow(input);
      const r = ref.hosmer_lemeshow;
      closeAll(hl.breaks, r.breaks, "breaks", "HL breaks");
      close(hl.statistic, r.statistic, "HL statistic", "HL statistic");
      expect(hl.df).toBe(r.df);
      close(hl.pValue, r.p_value_upper, "HL p (upper tail)", "HL p-value");
      expect(Math.abs(hl.pValue - r.p_value)).toBeLessThan(1e-15);
      closeAll(hl.observed, r.observed, "observed", "HL observed");
      closeAll(hl.expected, r.expected, "expected", "HL expected");
      const rel = reliabilityTable(input);
      closeAll(rel.map((b) => b.count), ref.reliability.count, "count", "reliability count");
      closeAll(rel.map((b) => b.meanPredicted), ref.reliability.mean_predicted, "mean p", "reliability mean p");
      closeAll(rel.map((b) => b.observed), ref.reliability.observed, "observed", "reliability observed");
    });
  }

  it("calibrationOfFit reads y, μ̂ and the weights of a binomial fit (slope 1, intercept 0 for a logit fit)", () => {
    const ref = fixture.calibration.find((c) => c.id === "birthwt_logit")!;
    const fit = refit({ ...ref, offset: null });
    const rep = calibrationOfFit(fit);
    close(rep.brier, ref.brier, "brier", "Brier");
    // the fitted data of a canonical-link ML fit with an intercept are calibrated in the large exactly
    expect(Math.abs(rep.intercept.estimate)).toBeLessThan(1e-8);
    expect(Math.abs(rep.slope.slope.estimate - 1)).toBeLessThan(1e-8);
  });

  it("validates its input", () => {
    expect(() => brierScore({ y: [0, 1], p: [0.5] })).toThrow(ArgumentError);
    expect(() => brierScore({ y: [0, 2], p: [0.5, 0.5] })).toThrow(DataError);
    expect(() => calibrationSlope({ y: [0, 1, 1], p: [0.2, 1, 0.5] })).toThrow(/p must lie in \(0, 1\); row 2/);
    expect(() => hosmerLemeshow({ y: [0, 1, 0.5], p: [0.2, 0.3, 0.4], weights: [1, 1, 1] })).toThrow(DataError);
    expect(() => hosmerLemeshow({ y: [0, 1, 0], p: [0.3, 0.3, 0.3] })).toThrow(ArgumentError);
    expect(brierScore({ y: [0, 1], p: [0.2, 0.6] })).toBeCloseTo(0.1, 15);
  });
});

/**
 * sandwich 3.0.2's vcovHC (HC0–HC3) and vcovCL (default HC0, HC1, cadjust = FALSE, HC2, HC3,
 * no cluster) against R (test/reference/diagnostics.R), 1e-6 relative; entries that are 0
 * in exact arithmetic get 1e-12 × the largest diagonal entry as absolute tolerance.
 */
import { afterAll, describe, expect, it } from "vitest";
import { vcovHC, vcovCL, bread, estimatingFunctions, type HcType } from "../../src/diagnostics/sandwich.js";
import { ArgumentError, NumericalError } from "../../src/errors.js";
import { closeAll, fixture, refit, reportWorst } from "./fixture.js";

afterAll(() => reportWorst("sandwich"));

function scaleOf(m: readonly (number | null)[]): number {
  const k = Math.round(Math.sqrt(m.length));
  let s = 0;
  for (let j = 0; j < k; j++) s = Math.max(s, Math.abs(m[j * k + j] ?? 0));
  return s;
}

describe("sandwich covariances vs R sandwich 3.0.2", () => {
  for (const ref of fixture.fits) {
    it(`${ref.id}`, () => {
      const fit = refit(ref);
      const s = ref.sandwich;
      const cmp = (got: { names: string[]; values: Float64Array }, want: readonly (number | null)[], label: string) => {
        expect(got.names).toEqual(s.vcov_names);
        closeAll(got.values, want, `${ref.id} ${label}`, label, 1e-6, 1e-12 * scaleOf(want));
      };
      for (const type of ["HC0", "HC1", "HC2", "HC3"] as HcType[]) {
        if (s[type]) cmp(vcovHC(fit, type), s[type]!, `vcovHC ${type}`);
      }
      const cluster = ref.cluster;
      cmp(vcovCL(fit, { cluster }), s.CL_default, "vcovCL default (HC0)");
      cmp(vcovCL(fit, { cluster, type: "HC1" }), s.CL_HC1, "vcovCL HC1");
      cmp(vcovCL(fit, { cluster, type: "HC0", cadjust: false }), s.CL_HC0_no_cadjust, "vcovCL HC0 cadjust=FALSE");
      cmp(vcovCL(fit), s.CL_each_observation, "vcovCL no cluster");
      if (s.CL_HC3) cmp(vcovCL(fit, { cluster, type: "HC3" }), s.CL_HC3, "vcovCL HC3");
      else if (s.HC3) expect(() => vcovCL(fit, { cluster, type: "HC3" })).toThrow(NumericalError);
      if (s.CL_HC2) cmp(vcovCL(fit, { cluster, type: "HC2" }), s.CL_HC2, "vcovCL HC2");
    });
  }

  it("bread × meat: HC0 with d cancelling (Gamma: estfun divides by d, bread multiplies)", () => {
    const ref = fixture.fits.find((f) => f.id === "clotting_gamma_inverse")!;
    const fit = refit(ref);
    const ef = estimatingFunctions(fit);
    expect(ef.dispersion).not.toBe(1);
    expect(bread(fit, ef).values.length).toBe(4);
  });

  it("rejects a cluster of the wrong length and unknown types", () => {
    const fit = refit(fixture.fits[0]!);
    expect(() => vcovCL(fit, { cluster: [1, 2, 3] })).toThrow(/cluster has length 3/);
    expect(() => vcovCL(fit, { cluster: [1, 2, 3] })).toThrow(ArgumentError);
    expect(() => vcovHC(fit, "HC9" as HcType)).toThrow(ArgumentError);
  });
});

/**
 * The after-the-fit methods of GlmFit against their R anchors (test/reference/diagnostics.json,
 * written by test/reference/diagnostics.R): hatvalues, cooks.distance, rstandard, rstudent,
 * dfbeta, dfbetas, dffits, covratio, influence.measures; vcov (named), sandwich's vcovHC and
 * vcovCL (with the cluster as labels and as a data column); BIC (and the JSON's bic);
 * calibration of binomial fits. 1e-6 relative, as the module tests of src/diagnostics.
 */
import { afterAll, describe, expect, it } from "vitest";
import { glm } from "../../models/glm.js";
import { readCsv } from "../../src/data/index.js";
import { ArgumentError, DataError } from "../../src/errors.js";
import type { HcType } from "../../src/diagnostics/sandwich.js";
import { close, closeAll, fixture, reportWorst } from "../diagnostics/fixture.js";

afterAll(() => reportWorst("GlmFit after-the-fit methods"));

function fitOf(ref: { data: string; formula: string; family: string; link: string; weights_values: number[] | null; offset?: string | null }) {
  return glm({
    formula: ref.formula, data: readCsv(ref.data), family: ref.family, link: ref.link,
    weights: ref.weights_values ?? undefined, offset: ref.offset ?? undefined,
  }).fit();
}

describe("GlmFit influence measures, covariances and BIC vs R", () => {
  for (const ref of fixture.fits) {
    it(ref.id, () => {
      const fit = fitOf(ref);
      const r = ref.influence;
      const L = ref.id;
      expect(Array.from(fit.influence().rows)).toEqual(r.rows);
      closeAll(fit.hatvalues(), r.hatvalues, `${L} hat`, "hatvalues");
      closeAll(fit.cooksDistance(), r.cooks_distance, `${L} cook`, "cooks.distance");
      closeAll(fit.rstandard(), r.rstandard_deviance, `${L} rstandard`, "rstandard");
      closeAll(fit.rstandard("pearson"), r.rstandard_pearson, `${L} rstandard pearson`, "rstandard pearson");
      closeAll(fit.rstudent(), r.rstudent, `${L} rstudent`, "rstudent");
      expect(fit.dfbeta().columnNames).toEqual(r.dfbeta_names);
      closeAll(fit.dfbeta().values, r.dfbeta, `${L} dfbeta`, "dfbeta", 1e-6, 1e-12);
      closeAll(fit.dfbetas().values, r.dfbetas, `${L} dfbetas`, "dfbetas", 1e-6, 1e-12);
      closeAll(fit.dffits(), r.dffits, `${L} dffits`, "dffits");
      closeAll(fit.covratio(), r.covratio, `${L} covratio`, "covratio");
      const im = fit.influenceMeasures();
      const k = im.columns.length;
      closeAll(Array.from({ length: r.rows.length }, (_, c) => im.infmat[c * k + k - 3]!), r.infmat_cov_r, `${L} cov.r`, "infmat cov.r");
      closeAll(Array.from({ length: r.rows.length }, (_, c) => im.infmat[c * k + k - 2]!), r.infmat_cook_d, `${L} cook.d`, "infmat cook.d");

      const s = ref.sandwich;
      const scale = Math.max(...s.HC0.filter((_, j) => j % (s.vcov_names.length + 1) === 0).map(Math.abs));
      for (const type of ["HC0", "HC1", "HC2", "HC3"] as HcType[]) {
        if (!s[type]) continue;
        const v = fit.vcovHC(type);
        expect(v.names).toEqual(s.vcov_names);
        expect(v.type).toBe(type);
        closeAll(v, s[type]!, `${L} vcovHC ${type}`, `vcovHC ${type}`, 1e-6, 1e-12 * scale);
      }
      const cl = fit.vcovCL({ cluster: ref.cluster });
      expect(cl.clustered).toBe(true);
      closeAll(cl, s.CL_default, `${L} vcovCL`, "vcovCL default", 1e-6, 1e-12 * scale);
      closeAll(fit.vcovCL({ cluster: ref.cluster, type: "HC1" }), s.CL_HC1, `${L} vcovCL HC1`, "vcovCL HC1", 1e-6, 1e-12 * scale);

      const ic = ref.information_criteria;
      if (ic.bic === null) {
        expect(Number.isNaN(fit.bic())).toBe(true);
        expect(fit.toJSON().bic).toBeNull();
      } else {
        close(fit.bic(), ic.bic, `${L} BIC`, "BIC");
        close(fit.toJSON().bic!, ic.bic, `${L} JSON bic`, "BIC");
      }
    });
  }

  it("vcov() is named and still the flat p×p array it was", () => {
    const fit = glm({ formula: "mpg ~ wt + I(2 * wt) + hp", data: readCsv("data/mtcars.csv") }).fit();
    const v = fit.vcov();
    expect(v).toBeInstanceOf(Float64Array);
    expect(v.length).toBe(16);
    expect(v.names).toEqual(["(Intercept)", "wt", "I(2 * wt)", "hp"]);
    expect(v.type).toBe("model");
    expect(v.matrix[1]![3]).toBe(v[1 * 4 + 3]);
    expect(Number.isNaN(v.matrix[2]![2]!)).toBe(true);
    fit.coefficients.forEach((c, j) => {
      if (!c.aliased) expect(Math.sqrt(v[j * 4 + j]!)).toBeCloseTo(c.se!, 14);
    });
    expect(Object.keys(v)).toHaveLength(16); // names/matrix are not enumerable: the array compares as before
  });

  it("vcovCL takes a data column's name; coeftest gives z tests with its SEs", () => {
    const ref = fixture.fits.find((f) => f.id === "birthwt_logit")!;
    const fit = fitOf(ref);
    const byName = fit.vcovCL({ cluster: "ftv" });
    closeAll(byName, ref.sandwich.CL_default, "vcovCL(cluster: 'ftv')", "vcovCL default");
    const rows = fit.coeftest(byName);
    rows.forEach((row, j) => {
      expect(row.se).toBeCloseTo(Math.sqrt(byName[j * rows.length + j]!), 14);
      expect(row.statistic).toBeCloseTo(row.estimate! / row.se!, 12);
    });
    expect(() => fit.vcovCL({ cluster: "nope" })).toThrow(ArgumentError);
    expect(() => fit.vcovCL({ cluster: "nope" })).toThrow(/cluster "nope" is not a column/);
  });
});

describe("GlmFit.calibration() vs R", () => {
  for (const ref of fixture.calibration) {
    it(ref.id, () => {
      const cal = fitOf(ref).calibration();
      close(cal.brier, ref.brier, `${ref.id} brier`, "brier");
      close(cal.intercept.estimate, ref.intercept.estimate, `${ref.id} intercept`, "calibration intercept");
      close(cal.slope.slope.estimate, ref.slope_model.estimate[1]!, `${ref.id} slope`, "calibration slope");
      close(cal.hosmerLemeshow.statistic, ref.hosmer_lemeshow.statistic, `${ref.id} HL`, "Hosmer-Lemeshow");
      close(cal.hosmerLemeshow.pValue, ref.hosmer_lemeshow.p_value_upper, `${ref.id} HL p`, "Hosmer-Lemeshow p");
    });
  }

  it("needs a binomial fit", () => {
    expect(() => glm({ formula: "dist ~ speed", data: readCsv("data/cars.csv") }).fit().calibration()).toThrow(ArgumentError);
  });

  it("a cluster column with a missing value at a used row is a DataError naming it", () => {
    const data = [{ y: 1, x: 1, g: "a" }, { y: 2, x: 2, g: null }, { y: 4, x: 3, g: "b" }, { y: 3, x: 4, g: "b" }];
    const fit = glm({ formula: "y ~ x", data }).fit();
    expect(() => fit.vcovCL({ cluster: "g" })).toThrow(DataError);
  });
});

/**
 * NaN is a missing value wherever it appears, as R's na.omit (is.na(NaN) is TRUE): in
 * a data column used by the formula, in the weights or offset (a column or an array),
 * in offset() terms and as the CSV text "NaN". The rows are dropped and counted;
 * ±Infinity stays bad input (R's glm.fit: "NA/NaN/Inf in 'x'"). R 4.2.2:
 *   d <- data.frame(y = c(1, 2, 4, 3, 6, 5), x = c(1, NaN, 3:6), w = c(1, 1, NaN, 2, 1, 1),
 *                   o = c(0, 0, 0, NaN, 0, 0))
 *   glm(y ~ x + offset(o), data = d, weights = w): coef 0.28571428571428503, 0.92857142857142871,
 *     deviance 1.928571428571429, df.residual 1, "3 observations deleted due to missingness";
 *   glm(y ~ x, data = d, weights = w, offset = o): the same, nobs 3.
 */
import { describe, expect, it } from "vitest";
import { glm } from "../../models/index.js";
import { parseCsv } from "../../src/data/index.js";
import { DataError } from "../../src/errors.js";

const y = [1, 2, 4, 3, 6, 5];
const x = [1, NaN, 3, 4, 5, 6];
const w = [1, 1, NaN, 2, 1, 1];
const o = [0, 0, 0, NaN, 0, 0];
const R_COEF = [0.28571428571428503, 0.92857142857142871];

function expectR(fit: ReturnType<ReturnType<typeof glm>["fit"]>, what: string): void {
  const j = fit.toJSON();
  j.coefficients.forEach((c, k) => expect(Math.abs(c.estimate! - R_COEF[k]!) / Math.abs(R_COEF[k]!), what).toBeLessThan(1e-12));
  expect(Math.abs(j.deviance - 1.928571428571429), what).toBeLessThan(1e-12);
  expect([j.n, j.df_residual, j.rows_used, j.na_dropped], what).toEqual([3, 1, 3, 3]);
  expect(j.warnings.filter((s) => s === "3 observations deleted due to missingness"), what).toHaveLength(1);
}

describe("NaN is missing, as R's na.omit", () => {
  it("NaN in a predictor, a weights column and an offset() term: rows dropped and counted, R's fit", () => {
    expectR(glm({ formula: "y ~ x + offset(o)", data: { y, x, w, o }, weights: "w" }).fit(), "columns");
  });

  it("NaN in weights and offset given as arrays, or as columns by name: the same rows dropped", () => {
    expectR(glm({ formula: "y ~ x", data: { y, x }, weights: w, offset: o }).fit(), "arrays");
    expectR(glm({ formula: "y ~ x", data: { y, x, w, o }, weights: "w", offset: "o" }).fit(), "named columns");
    expectR(glm({ formula: "y ~ x", data: { y, x: Float64Array.from(x), w: Float64Array.from(w), o }, weights: "w", offset: "o" }).fit(), "Float64Array columns");
  });

  it("the CSV text NaN is missing too; Inf is bad input naming the column and row", () => {
    const csv = parseCsv("y,x,w,o\n1,1,1,0\n2,NaN,1,0\n4,3,NaN,0\n3,4,2,NaN\n6,5,1,0\n5,6,1,0\n");
    expectR(glm({ formula: "y ~ x + offset(o)", data: csv, weights: "w" }).fit(), "csv");
    expect(() => glm({ formula: "y ~ x", data: { y: [1, 2, 3, 4], x: [1, Infinity, 2, 3] } }).fit()).toThrow(DataError);
    expect(() => glm({ formula: "y ~ x", data: { y: [1, 2, 3, 4], x: [1, Infinity, 2, 3] } }).fit()).toThrow('column "x" has the value Infinity at row 2');
    expect(() => glm({ formula: "y ~ x", data: { y: [1, 2, 3, 4], x: [1, 5, 2, 3], w: [1, 1, -Infinity, 1] }, weights: "w" }).fit()).toThrow('column "w" has the value -Infinity at row 3');
  });
});

/**
 * Reading test/reference/diagnostics.json (written by test/reference/diagnostics.R) and
 * rebuilding its fits with glm(), and the comparison helpers of the diagnostics tests.
 */
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { glm } from "../../models/glm.js";
import { readCsv } from "../../src/data/index.js";
import type { MlFit } from "../../src/fit/ml-fit.js";

type Num = number | null;
export interface InfluenceRef {
  rows: number[]; rank: number; dispersion: number;
  hatvalues: Num[]; cooks_distance: Num[]; rstandard_deviance: Num[]; rstandard_pearson: Num[]; rstudent: Num[];
  sigma: Num[]; dfbeta_names: string[]; dfbeta: Num[]; dfbetas: Num[]; dffits: Num[]; covratio: Num[];
  infmat_cov_r: Num[]; infmat_cook_d: Num[]; is_inf_columns: string[]; is_inf: (number | null)[];
}
export interface SandwichRef {
  vcov_names: string[];
  HC0: number[]; HC1: number[]; HC2?: number[]; HC3?: number[];
  CL_default: number[]; CL_HC1: number[]; CL_HC0_no_cadjust: number[]; CL_each_observation: number[];
  CL_HC2?: Num[]; CL_HC3?: number[];
}
export interface FitRef {
  id: string; data: string; formula: string; family: string; link: string;
  weights: string | null; weights_values: number[] | null; offset: string | null;
  theta: number | null; estimate_theta: boolean; R_call: string;
  cluster_expression: string; cluster: number[];
  influence: InfluenceRef; sandwich: SandwichRef;
  information_criteria: { bic: Num; log_lik: Num; df: number; nobs_loglik: number; nobs: number };
  note?: string;
}
export interface CalibrationRef {
  id: string; data: string; formula: string; family: string; link: string;
  weights: string | null; weights_values: number[] | null; R_call: string;
  y: number[]; prior_weights: number[]; fitted: number[]; brier: number;
  intercept: { estimate: number; se: number };
  slope_model: { estimate: number[]; se: number[] };
  hosmer_lemeshow: { statistic: number; df: number; p_value: number; p_value_upper: number; breaks: number[]; observed: number[]; expected: number[] };
  reliability: { count: number[]; mean_predicted: Num[]; observed: Num[] };
}
export interface DiagnosticsFixture { fits: FitRef[]; calibration: CalibrationRef[] }

export const fixture: DiagnosticsFixture = JSON.parse(readFileSync("test/reference/diagnostics.json", "utf8"));

/** Refits a reference case with glm() (R's default control) and returns the ML fit record. */
export function refit(ref: { data: string; formula: string; family: string; link: string; weights_values: number[] | null; offset?: string | null }): MlFit {
  return glm({
    formula: ref.formula,
    data: readCsv(ref.data),
    family: ref.family,
    link: ref.link,
    weights: ref.weights_values ?? undefined,
    offset: ref.offset ?? undefined,
  }).fit().ml;
}

/** Worst relative error seen per label, printed by the tests' afterAll (the report of agreement). */
export const worst = new Map<string, number>();

/**
 * |actual − expected| ≤ max(abs, rel·|expected|); null/NaN expected means NaN actual.
 * The relative error is recorded in `worst` under `quantity`.
 */
export function close(actual: number, expected: number | null, label: string, quantity: string, rel = 1e-6, abs = 1e-12): void {
  if (expected === null) {
    expect(Number.isNaN(actual), `${label}: expected NA/NaN, got ${actual}`).toBe(true);
    return;
  }
  const err = Math.abs(actual - expected);
  const relErr = err / Math.max(Math.abs(expected), abs / rel);
  worst.set(quantity, Math.max(worst.get(quantity) ?? 0, relErr));
  expect(err <= Math.max(abs, rel * Math.abs(expected)), `${label}: got ${actual}, R ${expected} (diff ${err.toExponential(2)})`).toBe(true);
}

export function closeAll(actual: ArrayLike<number>, expected: readonly (number | null)[], label: string, quantity: string, rel = 1e-6, abs = 1e-12): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) close(actual[i]!, expected[i]!, `${label}[${i}]`, quantity, rel, abs);
}

export function reportWorst(title: string): void {
  const lines = [...worst.entries()].sort().map(([k, v]) => `  ${k.padEnd(28)} ${v.toExponential(2)}`);
  console.log(`${title}: worst relative error vs R\n${lines.join("\n")}`);
}

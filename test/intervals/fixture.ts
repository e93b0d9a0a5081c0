/**
 * Reading test/reference/intervals.json (written by test/reference/intervals.R)
 * and rebuilding its fits with glm(). Unbounded bounds are the strings "Inf"/"-Inf".
 */
import { readFileSync } from "node:fs";
import { glm } from "../../models/glm.js";
import { readCsv } from "../../src/data/index.js";
import type { MlFit } from "../../src/fit/ml-fit.js";

export type Bound = number | "Inf" | "-Inf";
export const num = (b: Bound): number => (b === "Inf" ? Infinity : b === "-Inf" ? -Infinity : b);
export const pair = (b: Bound[]): [number, number] => [num(b[0]!), num(b[1]!)];

export interface ProfileCoefficient {
  name: string; estimate: number; se: number;
  "exact_0.95": Bound[]; "exact_0.8": Bound[]; "exact_t_0.95"?: Bound[];
  asymptote?: number[]; asymptote_steps?: number[];
  mass_confint?: number[]; confint_default: number[]; wald_t?: number[];
}
export interface ProfileCase {
  id: string; data: string; formula: string; family: string; link: string;
  theta: number | null; estimate_theta: boolean; family_theta: number | null;
  R_call: string; dispersion: number; dispersion_estimated: boolean;
  deviance: number; deviance_tight: number; df_residual: number; note: string | null;
  coefficients: ProfileCoefficient[];
  confint_lm?: number[][];
}
export interface TestStat { statistic: number; p_value: number }
export interface NestedCase {
  id: string; data: string; family: string; link: string; formula0: string; formula1: string; R_call: string;
  dispersion: number; dispersion_estimated: boolean; df_residual: number;
  lr: { df: number; deviance: number; statistic: number; p_value: number };
  rao: { df: number; rao: number; statistic: number; p_value: number };
  wald: { df: number; columns: string[]; statistic: number; p_value: number; f: number; p_value_f: number };
  per_coefficient: { name: string; lr: TestStat & { deviance: number }; score: TestStat & { rao: number }; wald: TestStat }[];
}
export interface FirthCase {
  id: string; data: string; formula: string; family: string; R_call: string;
  brglm2_mpl_jeffreys: number[]; maximum: number[]; penalised_loglik: number; max_abs_grad: number;
  coefficients: { name: string; estimate: number; "bounds_0.95": number[]; "bounds_0.9": number[] }[];
}
export interface LaplaceLevel {
  level: number; theta_lower: number[]; theta_upper: number[];
  exp_lower: number[]; exp_upper: number[]; exp_delta_lower: number[]; exp_delta_upper: number[];
  pred: {
    rows: number[]; eta: number[]; se_eta: number[]; link_lower: number[]; link_upper: number[]; mu: number[];
    response_lower: number[]; response_upper: number[]; delta_lower: number[]; delta_upper: number[];
  };
  aux_lower?: number; aux_upper?: number;
}
export interface LaplaceCase {
  id: string; data: string; formula: string; family: string; R_call: string;
  priors: { coefficients: string[]; aux: string | null };
  names: string[]; mode: number[]; se: number[]; covariance: number[]; max_abs_grad: number;
  intervals: LaplaceLevel[];
}
export interface IntervalsFixture {
  profile: ProfileCase[]; tests: NestedCase[]; firth_profile: FirthCase[]; laplace: LaplaceCase[];
}

export const fixture = JSON.parse(
  readFileSync(new URL("../reference/intervals.json", import.meta.url), "utf8"),
) as IntervalsFixture;

/** The glm() family name of a fixture family. */
function familyName(f: string): string {
  return f === "negative_binomial" ? "negative_binomial" : f;
}

/** Fits a fixture model as R did (default control). */
export function fitCase(c: { data: string; formula: string; family: string; link?: string; theta?: number | null; estimate_theta?: boolean; R_call?: string }): MlFit {
  const start = c.R_call ? /start = c\(([^)]*)\)/.exec(c.R_call) : null;
  const model = glm({
    formula: c.formula,
    data: readCsv(c.data),
    family: familyName(c.family),
    link: c.link && !c.link.includes("canonical") ? c.link : undefined,
    theta: c.estimate_theta ? undefined : (c.theta ?? undefined),
  });
  return model.fit({ separation: "never", ...(start ? { start: Float64Array.from(start[1]!.split(",").map(Number)) } : {}) }).ml;
}

/** Fits a formula on the same data and family as a nested-test case. */
export function fitFormula(c: NestedCase, formula: string): MlFit {
  const theta = /negative\.binomial\(([\d.]+)\)/.exec(c.R_call);
  return fitCase({ data: c.data, formula, family: c.family, link: c.link, theta: theta ? Number(theta[1]) : null });
}

/** |a − b| ≤ tol·max(|b|, scale), with infinities equal only to themselves. */
export function within(a: number, b: number, tol: number, scale: number): boolean {
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= tol * Math.max(Math.abs(b), scale);
}

/**
 * The CLI's after-the-fit flags: --vcov and --cluster (sandwich covariances for the
 * coefficient table and Wald intervals), --exp (odds/rate ratios), --output (per-observation
 * columns in the JSON) and --draws-out (the posterior draws as CmdStan CSV and JSON files).
 * Every flag only adds: without them the output is what it was.
 */
import { ArgumentError } from "../src/errors.js";
import type { CoefficientRow } from "../src/fit/inference.js";
import { formatSummary, fmt } from "../src/format/summary.js";
import { waldFromTable } from "../src/intervals/wald.js";
import type { IntervalSet } from "../src/intervals/types.js";
import { GlmFit } from "../models/fit-result.js";
import { PosteriorFit } from "../models/posterior-result.js";
import { COVARIANCE_TYPES, dataColumn, type CovarianceType } from "../models/fit-diagnostics.js";
import type { GlmResult } from "../models/result.js";

import { OUTPUT_COLUMNS } from "./usage.js";

// Defined in bin/usage.ts, which --help loads without the library.
export { OUTPUT_COLUMNS };
export type OutputColumn = (typeof OUTPUT_COLUMNS)[number];

/** What the after-the-fit flags ask for. */
export interface AfterFitPlan {
  /** null: the model's covariance, as without the flag. */
  vcov: CovarianceType | null;
  cluster: string | null;
  exp: boolean;
  output: OutputColumn[] | null;
  drawsOut: string | null;
  /** --print-vcov: the named covariance matrix in the output. */
  printVcov: boolean;
}

interface AfterFitValues {
  vcov?: string;
  cluster?: string;
  exp?: boolean;
  output?: string;
  "draws-out"?: string;
  "print-vcov"?: boolean;
}

/** Checks the after-the-fit flags against the method (ArgumentError naming the flag). */
export function checkAfterFitFlags(values: AfterFitValues, method: string): AfterFitPlan {
  const vcov = values.vcov ?? null;
  if (vcov !== null && !(COVARIANCE_TYPES as readonly string[]).includes(vcov))
    throw new ArgumentError(`--vcov must be one of ${COVARIANCE_TYPES.join(", ")}; got "${vcov}"`);
  if (vcov !== null && method !== "mle")
    throw new ArgumentError(`--vcov ${vcov} applies to --method mle (sandwich covariances are for maximum-likelihood fits); got --method ${method}`);
  const cluster = values.cluster ?? null;
  if (cluster !== null && method !== "mle") throw new ArgumentError(`--cluster applies to --method mle; got --method ${method}`);
  if (cluster !== null && cluster.trim() === "") throw new ArgumentError("--cluster needs a column name");
  if (cluster !== null && vcov === "model") throw new ArgumentError("--cluster needs a sandwich type (--vcov HC0, HC1, HC2 or HC3; HC0 when --vcov is omitted), not --vcov model");
  let output: OutputColumn[] | null = null;
  if (values.output !== undefined) {
    output = values.output.split(",").map((s) => s.trim()).filter((s) => s !== "") as OutputColumn[];
    for (const c of output) if (!(OUTPUT_COLUMNS as readonly string[]).includes(c)) throw new ArgumentError(`unknown column "${c}" in --output; valid: ${OUTPUT_COLUMNS.join(", ")}`);
    if (output.length === 0) throw new ArgumentError("--output needs at least one column");
    if (method !== "mle") throw new ArgumentError(`--output applies to --method mle; got --method ${method}`);
  }
  const drawsOut = values["draws-out"] ?? null;
  if (drawsOut !== null && method !== "nuts") throw new ArgumentError(`--draws-out applies to --method nuts; got --method ${method}`);
  if (drawsOut !== null && drawsOut.trim() === "") throw new ArgumentError("--draws-out needs a directory");
  const printVcov = values["print-vcov"] === true;
  if (printVcov && method !== "mle") throw new ArgumentError(`--print-vcov applies to --method mle; got --method ${method}`);
  return { vcov: vcov as CovarianceType | null, cluster, exp: values.exp === true, output, drawsOut, printVcov };
}

/** The coefficient table under the covariance asked for, and how to name it. */
export interface CovarianceChoice {
  type: CovarianceType;
  cluster: string | null;
  rows: CoefficientRow[];
  /** For the text summary, e.g. "sandwich HC3, sandwich::vcovHC". */
  label: string;
}

/** The covariance of --vcov/--cluster for an ML fit; null when neither flag is given. */
export function chooseCovariance(fit: GlmResult, plan: AfterFitPlan): CovarianceChoice | null {
  if (plan.vcov === null && plan.cluster === null) return null;
  if (!(fit instanceof GlmFit)) throw new ArgumentError("--vcov and --cluster apply to --method mle");
  const type = plan.vcov ?? "HC0";
  if (type === "model") return { type, cluster: null, rows: fit.coefficients, label: "model, dispersion × (XᵀWX)⁻¹" };
  if (plan.cluster !== null) {
    const labels = dataColumn(fit.context, plan.cluster, "--cluster");
    const cov = fit.vcovCL({ cluster: labels, type });
    return { type, cluster: plan.cluster, rows: fit.coeftest(cov), label: `sandwich ${type} clustered by ${plan.cluster}, sandwich::vcovCL; z tests` };
  }
  return { type, cluster: null, rows: fit.coeftest(fit.vcovHC(type)), label: `sandwich ${type}, sandwich::vcovHC; z tests` };
}

/** The Wald set under a sandwich covariance (normal quantile, as lmtest::coefci for glm objects). */
export function robustWald(choice: CovarianceChoice | null, set: IntervalSet): IntervalSet {
  if (choice === null || choice.type === "model" || set.method !== "wald") return set;
  return waldFromTable(choice.rows, set.level, null, "wald");
}

/** The summary text and JSON of an ML fit under the chosen covariance. */
export function robustOutput(fit: GlmFit, choice: CovarianceChoice): { json: Record<string, unknown>; text: string } {
  const json = { ...fit.toJSON(), coefficients: choice.rows, vcov_type: choice.type, vcov_cluster: choice.cluster };
  const text = formatSummary(json, fit.residuals("deviance"), {
    covariance: choice.label,
    ...(choice.type === "model" ? {} : { statistic: "z" as const }),
  });
  return { json, text };
}

/** "odds ratios" for the logit link, "rate ratios" for log-link counts, "risk ratios" for the log-binomial, else "exp(coefficients)". */
export function expLabel(family: string, link: string): string {
  if (link === "logit") return "odds ratios";
  if (link === "log" && /binomial$/.test(family) && !/Negative/i.test(family)) return "risk ratios";
  if (link === "log" && /poisson|Negative Binomial|negative_binomial/i.test(family)) return "rate ratios";
  return "exp(coefficients)";
}

const expOrNull = (x: number | null | undefined): number | null => (x === null || x === undefined || Number.isNaN(x) ? null : Math.exp(x));

/**
 * --exp: exp_estimate on each coefficient row, exp_lower/exp_upper on each interval row,
 * exp_label in the JSON; and a text table of the exponentiated estimates and bounds.
 */
export function exponentiate(
  json: Record<string, unknown>,
  intervals: Record<string, { name: string; lower: number; upper: number }[]> | null,
): { json: Record<string, unknown>; intervals: Record<string, unknown> | null; text: string } {
  const rows = (json.coefficients as CoefficientRow[]).map((r) => ({ ...r, exp_estimate: expOrNull(r.estimate) }));
  const ivOut = intervals === null ? null : Object.fromEntries(Object.entries(intervals).map(([m, set]) =>
    [m, set.map((r) => ({ ...r, exp_lower: Math.exp(r.lower), exp_upper: Math.exp(r.upper) }))]));
  const label = expLabel(String(json.family), String(json.link));
  const header = ["", "exp(estimate)", ...Object.keys(intervals ?? {}).flatMap((m) => [`${m} lower`, `${m} upper`])];
  const body = rows.map((r) => [
    r.name, fmt(r.exp_estimate, 5),
    ...Object.values(intervals ?? {}).flatMap((set) => {
      const iv = set.find((x) => x.name === r.name);
      return iv ? [fmt(Math.exp(iv.lower), 5), fmt(Math.exp(iv.upper), 5)] : ["NA", "NA"];
    }),
  ]);
  const all = [header, ...body];
  const widths = header.map((_, c) => Math.max(...all.map((row) => row[c]!.length)));
  const lines = all.map((row) => row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ").trimEnd());
  return { json: { ...json, coefficients: rows, exp_label: label }, intervals: ivOut, text: [`Exponentiated (${label}):`, ...lines].join("\n") };
}

/** --output: the requested per-observation columns (rows with zero weight get null hat/Cook's distance), with 1-based data rows. */
export function observations(fit: GlmResult, columns: readonly OutputColumn[]): { json: Record<string, (number | null)[]>; text: string } {
  if (!(fit instanceof GlmFit)) throw new ArgumentError("--output applies to --method mle");
  const n = fit.ml.problem.n;
  const dataRows = fit.context.rows ? Array.from(fit.context.rows, (i) => i + 1) : Array.from({ length: n }, (_, i) => i + 1);
  const perCase = (values: Float64Array): (number | null)[] => {
    const out = new Array<number | null>(n).fill(null);
    fit.influence().rows.forEach((i, c) => (out[i] = values[c]!));
    return out;
  };
  const column = (c: OutputColumn): (number | null)[] => {
    switch (c) {
      case "fitted": return Array.from(fit.fitted);
      case "linear_predictor": return Array.from(fit.linearPredictor);
      case "residuals": return Array.from(fit.residuals("deviance"));
      case "pearson_residuals": return Array.from(fit.residuals("pearson"));
      case "working_residuals": return Array.from(fit.residuals("working"));
      case "response_residuals": return Array.from(fit.residuals("response"));
      case "hat": return perCase(fit.hatvalues());
      case "cooks_distance": return perCase(fit.cooksDistance());
    }
  };
  const json: Record<string, (number | null)[]> = { row: dataRows };
  for (const c of columns) json[c] = column(c);
  const names = Object.keys(json);
  const cells = [names, ...dataRows.map((_, i) => names.map((k) => (k === "row" ? String(json[k]![i]) : fmt(json[k]![i]!, 6))))];
  const widths = names.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
  const text = cells.map((r) => r.map((cell, c) => cell.padStart(widths[c]!)).join("  ")).join("\n");
  return { json, text: `Observations:\n${text}` };
}

/** --draws-out: writes the posterior draws (CSV per chain and JSON) and returns the paths. */
export function writeDrawsOut(fit: GlmResult, dir: string): string[] {
  if (!(fit instanceof PosteriorFit)) throw new ArgumentError("--draws-out applies to --method nuts");
  return fit.writeDraws(dir, { format: "both" });
}

/**
 * --print-vcov: the covariance the coefficient table used (the model's, or the sandwich of
 * --vcov/--cluster), named: JSON `vcov: { type, cluster, names, matrix }` (R: vcov(fit),
 * sandwich::vcovHC/vcovCL), and the matrix as text.
 */
export function printedCovariance(fit: GlmResult, plan: AfterFitPlan): { json: Record<string, unknown>; text: string } {
  if (!(fit instanceof GlmFit)) throw new ArgumentError("--print-vcov applies to --method mle");
  const type = plan.vcov ?? (plan.cluster !== null ? "HC0" : "model");
  const v = type === "model" ? fit.vcov()
    : plan.cluster !== null ? fit.vcovCL({ cluster: dataColumn(fit.context, plan.cluster, "--cluster"), type })
    : fit.vcovHC(type);
  const json = { type, cluster: plan.cluster, names: v.names, matrix: v.matrix };
  const cells = [["", ...v.names], ...v.matrix.map((row, i) => [v.names[i]!, ...row.map((x) => fmt(x, 6))])];
  const widths = cells[0]!.map((_, c) => Math.max(...cells.map((r) => r[c]!.length)));
  const lines = cells.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ").trimEnd());
  return { json, text: [`Covariance of the coefficients (${type}${plan.cluster !== null ? `, clustered by ${plan.cluster}` : ""}):`, ...lines].join("\n") };
}

/**
 * Text rendering of a fit in the layout of R's print.summary.glm: deviance
 * residual quantiles, the coefficient table with significance stars, the
 * dispersion line, deviances, AIC and the iteration count.
 */
import type { CoefficientRow } from "../fit/inference.js";
import { quantileSorted } from "../util/quantile.js";

/** The fields of a fit record that the printed summary reads (a subset of the CLI's GlmFitJson). */
export interface SummaryInput {
  method: string;
  family: string;
  link: string;
  formula: string | null;
  coefficients: CoefficientRow[];
  deviance: number;
  null_deviance: number;
  df_residual: number;
  df_null: number;
  aic: number | null;
  dispersion: number;
  dispersion_estimated: boolean;
  iterations: number;
  theta: number | null;
  se_theta: number | null;
  warnings: string[];
  na_dropped: number;
}

/** Formats like R's format(signif(x, digits)). */
export function fmt(x: number | null, digits = 5): string {
  if (x === null || Number.isNaN(x)) return "NA";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e15 || a < 1e-4) return x.toExponential(Math.max(0, digits - 1)).replace(/e([+-])(\d)$/, "e$10$2");
  return String(Number(x.toPrecision(digits)));
}

/**
 * Decimals that show every finite entry of a column with at least `digits`
 * significant digits, as R's format() of a whole column (capped).
 */
function commonDecimals(xs: (number | null)[], digits: number, cap: number): number {
  let d = 0;
  for (const x of xs)
    if (x !== null && Number.isFinite(x) && x !== 0) d = Math.max(d, digits - 1 - Math.floor(Math.log10(Math.abs(x))));
  return Math.min(d, cap);
}

function fixed(x: number | null, decimals: number): string {
  if (x === null || Number.isNaN(x)) return "NA";
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  return x.toFixed(decimals);
}

/** p-values as R's format.pval(digits = 3): common decimals, tiny ones in e-notation, "<2e-16" below ε. */
function formatPColumn(ps: (number | null)[]): string[] {
  const regular = ps.map((p) => (p !== null && p >= 1e-4 ? p : null));
  const dec = commonDecimals(regular, 3, 6);
  return ps.map((p) => {
    if (p === null || Number.isNaN(p)) return "NA";
    if (p < 2.2e-16) return "<2e-16";
    if (p < 1e-4) return p.toExponential(2).replace(/e([+-])(\d)$/, "e$10$2");
    return p.toFixed(dec);
  });
}

function stars(p: number | null): string {
  if (p === null || Number.isNaN(p)) return "";
  return p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : p < 0.1 ? "." : "";
}

function padTable(rows: string[][], alignLeft: boolean[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (alignLeft[c] ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(" ").trimEnd());
}

/** Options of formatSummary: a covariance other than the model's (sandwich), which names the table and tests by z. */
export interface SummaryOptions {
  /** Printed after "Coefficients", e.g. "sandwich HC3, sandwich::vcovHC": "Coefficients (covariance: …):". */
  covariance?: string;
  /** Force z or t statistics in the header (default: t when the dispersion is estimated). */
  statistic?: "z" | "t";
}

export function formatSummary(fit: SummaryInput, devianceResiduals: Float64Array, options: SummaryOptions = {}): string {
  const out: string[] = [];
  out.push(`Method: ${fit.method}    Family: ${fit.family}    Link: ${fit.link}`);
  if (fit.formula) out.push(`Formula: ${fit.formula}`);
  out.push("");
  if (devianceResiduals.length > 0) {
    const s = Float64Array.from(devianceResiduals).sort();
    out.push("Deviance Residuals:");
    const qs = [0, 0.25, 0.5, 0.75, 1].map((q) => fmt(quantileSorted(s, q), 4));
    out.push(...padTable([["Min", "1Q", "Median", "3Q", "Max"], qs], [false, false, false, false, false]));
    out.push("");
  }
  const useT = options.statistic ? options.statistic === "t" : fit.dispersion_estimated;
  const header = ["", "Estimate", "Std. Error", useT ? "t value" : "z value", useT ? "Pr(>|t|)" : "Pr(>|z|)", ""];
  // Layout of R's printCoefmat with digits = 4: estimates and SEs share their decimals,
  // statistics are rounded to 3 decimals, p-values formatted as format.pval.
  const estDec = commonDecimals(fit.coefficients.flatMap((c) => [c.estimate, c.se]), 4, 10);
  const ps = formatPColumn(fit.coefficients.map((c) => c.p_value));
  const body = fit.coefficients.map((c, k) =>
    c.aliased
      ? [c.name, "NA", "NA", "NA", "NA", ""]
      : [c.name, fixed(c.estimate, estDec), fixed(c.se, estDec), fixed(c.statistic, 3), ps[k]!, stars(c.p_value)],
  );
  const aliasedCount = fit.coefficients.filter((c) => c.aliased).length;
  const title = options.covariance ? `Coefficients (covariance: ${options.covariance}):` : "Coefficients:";
  out.push(aliasedCount > 0 ? `${title} (${aliasedCount} not defined because of singularities)` : title);
  out.push(...padTable([header, ...body], [true, false, false, false, false, true]));
  out.push("---");
  out.push("Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1");
  out.push("");
  out.push(`(Dispersion parameter for ${fit.family} family taken to be ${fmt(fit.dispersion, 7)})`);
  out.push("");
  if (Number.isFinite(fit.null_deviance))
    out.push(`    Null deviance: ${fmt(fit.null_deviance, 5)}  on ${fit.df_null}  degrees of freedom`);
  if (Number.isFinite(fit.deviance))
    out.push(`Residual deviance: ${fmt(fit.deviance, 5)}  on ${fit.df_residual}  degrees of freedom`);
  if (fit.na_dropped > 0) out.push(`  (${fit.na_dropped} observation${fit.na_dropped === 1 ? "" : "s"} deleted due to missingness)`);
  out.push(`AIC: ${fit.aic === null ? "NA" : fmt(fit.aic, 5)}`);
  out.push("");
  out.push(fit.method === "mle" ? `Number of Fisher Scoring iterations: ${fit.iterations}` : `Number of iterations: ${fit.iterations}`);
  if (fit.theta !== null) {
    out.push("");
    out.push(`              Theta:  ${fmt(fit.theta, 5)}`);
    out.push(`          Std. Err.:  ${fmt(fit.se_theta, 5)}`);
  }
  if (fit.warnings.some((w) => !(fit.na_dropped > 0 && / deleted due to missingness$/.test(w)))) {
    out.push("");
    out.push("Warnings:");
    // the missingness note is printed above, as R does, not again here
    for (const w of fit.warnings) if (!(fit.na_dropped > 0 && / deleted due to missingness$/.test(w))) out.push(`  - ${w}`);
  }
  return out.join("\n");
}

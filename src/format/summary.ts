/**
 * Text rendering of a fit in the layout of R's print.summary.glm: deviance
 * residual quantiles, the coefficient table with significance stars, the
 * dispersion line, deviances, AIC and the iteration count.
 */
import type { CoefficientRow } from "../fit/inference.js";

interface SummaryInput {
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

/** R's type-7 quantile of sorted values. */
function quantileSorted(s: Float64Array, q: number): number {
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
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

function formatP(p: number | null): string {
  if (p === null || Number.isNaN(p)) return "NA";
  if (p < 2e-16) return "<2e-16";
  return p < 1e-4 ? p.toExponential(2).replace(/e([+-])(\d)$/, "e$10$2") : p.toFixed(Math.max(2, Math.min(5, 2 - Math.floor(Math.log10(p)))));
}

function stars(p: number | null): string {
  if (p === null || Number.isNaN(p)) return "";
  return p < 0.001 ? "***" : p < 0.01 ? "**" : p < 0.05 ? "*" : p < 0.1 ? "." : "";
}

function padTable(rows: string[][], alignLeft: boolean[]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (alignLeft[c] ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(" ").trimEnd());
}

export function formatSummary(fit: SummaryInput, devianceResiduals: Float64Array): string {
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
  const useT = fit.dispersion_estimated;
  const header = ["", "Estimate", "Std. Error", useT ? "t value" : "z value", useT ? "Pr(>|t|)" : "Pr(>|z|)", ""];
  const body = fit.coefficients.map((c) =>
    c.aliased
      ? [c.name, "NA", "NA", "NA", "NA", ""]
      : [c.name, fmt(c.estimate), fmt(c.se), fmt(c.statistic, 4), formatP(c.p_value), stars(c.p_value)],
  );
  const aliasedCount = fit.coefficients.filter((c) => c.aliased).length;
  out.push(aliasedCount > 0 ? `Coefficients: (${aliasedCount} not defined because of singularities)` : "Coefficients:");
  out.push(...padTable([header, ...body], [true, false, false, false, false, true]));
  out.push("---");
  out.push("Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1");
  out.push("");
  out.push(`(Dispersion parameter for ${fit.family} family taken to be ${fmt(fit.dispersion, 7)})`);
  out.push("");
  out.push(`    Null deviance: ${fmt(fit.null_deviance, 5)}  on ${fit.df_null}  degrees of freedom`);
  out.push(`Residual deviance: ${fmt(fit.deviance, 5)}  on ${fit.df_residual}  degrees of freedom`);
  if (fit.na_dropped > 0) out.push(`  (${fit.na_dropped} observation${fit.na_dropped === 1 ? "" : "s"} deleted due to missingness)`);
  out.push(`AIC: ${fit.aic === null ? "NA" : fmt(fit.aic, 5)}`);
  out.push("");
  out.push(`Number of Fisher Scoring iterations: ${fit.iterations}`);
  if (fit.theta !== null) {
    out.push("");
    out.push(`              Theta:  ${fmt(fit.theta, 5)}`);
    out.push(`          Std. Err.:  ${fmt(fit.se_theta, 5)}`);
  }
  if (fit.warnings.length > 0) {
    out.push("");
    out.push("Warnings:");
    for (const w of fit.warnings) out.push(`  - ${w}`);
  }
  return out.join("\n");
}

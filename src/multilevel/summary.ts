/**
 * An lme4-like printout of a multilevel ML fit (summary.merMod): the criterion, the
 * random-effects table (Groups, Name, Variance, Std.Dev., Corr), the number of
 * observations and groups, and the fixed-effects table.
 */
import type { TermComponents } from "./components.js";

/** What the printout reads. */
export interface MultilevelSummaryInput {
  readonly method: "reml" | "ml";
  readonly kind: "lmer" | "glmer";
  readonly formula: string;
  readonly family: string;
  readonly link: string;
  readonly n: number;
  readonly coefficients: ReadonlyArray<{ name: string; estimate: number | null; se: number | null; statistic: number | null; p_value: number | null }>;
  readonly components: readonly TermComponents[];
  readonly groupEffects: { readonly residual_sd: number | null; readonly groups: ReadonlyArray<{ factor: string; levels: number }> };
  readonly logLik: number;
  readonly df: number;
  readonly aic: number;
  readonly bic: number;
  readonly deviance: number;
  readonly remlCriterion: number;
  readonly warnings: readonly string[];
}

const fmt = (x: number, digits = 4): string => (Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : String(x));

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  return rows.map((r) => r.map((s, c) => (c === 0 ? s.padEnd(widths[c]!) : s.padStart(widths[c]!))).join(" ").trimEnd()).join("\n");
}

/** The printout. */
export function formatMultilevelSummary(r: MultilevelSummaryInput): string {
  const out: string[] = [];
  if (r.kind === "lmer") out.push(`Linear mixed model fit by ${r.method === "reml" ? "REML" : "maximum likelihood"}`);
  else out.push(`Generalized linear mixed model fit by maximum likelihood (Laplace Approximation)`, ` Family: ${r.family}  ( ${r.link} )`);
  out.push(`Formula: ${r.formula}`, "");
  if (r.method === "reml") out.push(`REML criterion at convergence: ${r.remlCriterion.toFixed(1)}`);
  else out.push(table([["     AIC", "BIC", "logLik", "deviance"], [fmt(r.aic, 6), fmt(r.bic, 6), fmt(r.logLik, 6), fmt(-2 * r.logLik, 6)]]));
  out.push("", "Random effects:");
  const rows: string[][] = [["Groups", "Name", "Variance", "Std.Dev.", "Corr"]];
  for (const c of r.components) {
    const k = c.columns.length;
    c.columns.forEach((col, j) => {
      const corr: string[] = [];
      for (let l = 0; l < j; l++) corr.push(c.cor[j * k + l]!.toFixed(2));
      rows.push([j === 0 ? c.factor : "", col, fmt(c.sd[j]! ** 2), fmt(c.sd[j]!), corr.join(" ")]);
    });
  }
  if (r.groupEffects.residual_sd !== null) rows.push(["Residual", "", fmt(r.groupEffects.residual_sd ** 2), fmt(r.groupEffects.residual_sd), ""]);
  out.push(table(rows));
  const seen = new Map<string, number>();
  for (const g of r.groupEffects.groups) seen.set(g.factor, g.levels);
  out.push(`Number of obs: ${r.n}, groups:  ${Array.from(seen, ([f, l]) => `${f}, ${l}`).join("; ")}`, "", "Fixed effects:");
  const glmm = r.kind === "glmer";
  const fx: string[][] = [["", "Estimate", "Std. Error", glmm ? "z value" : "t value", ...(glmm ? ["Pr(>|z|)"] : [])]];
  for (const c of r.coefficients) {
    fx.push([c.name, fmt(c.estimate ?? NaN), fmt(c.se ?? NaN), fmt(c.statistic ?? NaN, 3), ...(glmm ? [c.p_value === null ? "" : c.p_value < 2e-16 ? "<2e-16" : fmt(c.p_value, 3)] : [])]);
  }
  out.push(table(fx));
  if (r.warnings.length) out.push("", ...r.warnings.map((w) => `Warning: ${w}`));
  return out.join("\n");
}

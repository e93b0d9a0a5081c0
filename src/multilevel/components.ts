/**
 * Variance components and group-level effects of a fit, as lme4's VarCorr, ranef and coef
 * report them, named as brms names them: `sd_Subject__Intercept`,
 * `cor_Subject__Intercept__Days` (lme4's "(Intercept)" becomes "Intercept").
 *
 * For term t with relative covariance factor T_t (lower triangular from θ, lme4's Lind),
 * Σ_t = s²·T_t T_tᵀ with s = σ̂ for lmer and 1 for binomial/Poisson glmer;
 * sd_j = √Σ_jj, cor_jl = Σ_jl/(sd_j sd_l). The conditional modes are b̃ = Λθ ũ.
 */
import type { MixedLayout } from "./pls.js";
import type { GroupTerm } from "./types.js";

/** One term's variance components. */
export interface TermComponents {
  readonly factor: string;
  readonly columns: readonly string[];
  readonly sd: readonly number[];
  /** k × k correlation matrix (row-major); [1] for k = 1. */
  readonly cor: readonly number[];
}

/** Conditional modes (or coefficients) of one grouping factor: levels × columns. */
export interface GroupTable {
  readonly factor: string;
  readonly levels: readonly string[];
  readonly columns: readonly string[];
  /** values[level][column]. */
  readonly values: ReadonlyArray<readonly number[]>;
}

/** brms's name of a term column: "(Intercept)" → "Intercept". */
export function brmsColumn(name: string): string {
  return name === "(Intercept)" ? "Intercept" : name;
}

/** Σ_t per term. */
export function termComponents(terms: readonly GroupTerm[], layout: MixedLayout, theta: Float64Array, scale: number): TermComponents[] {
  return terms.map((t, ti) => {
    const { k, thetaStart } = layout.terms[ti]!;
    const T = new Float64Array(k * k);
    let idx = thetaStart;
    for (let j = 0; j < k; j++) for (let l = j; l < k; l++) T[l * k + j] = theta[idx++]!;
    const S = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
      let s = 0;
      for (let c = 0; c < k; c++) s += T[a * k + c]! * T[b * k + c]!;
      S[a * k + b] = s * scale * scale;
    }
    const sd = Array.from({ length: k }, (_, j) => Math.sqrt(S[j * k + j]!));
    const cor: number[] = [];
    for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) cor.push(a === b ? 1 : S[a * k + b]! / (sd[a]! * sd[b]!));
    return { factor: t.factor, columns: t.columns, sd, cor };
  });
}

/** sd_… and cor_… by brms name. */
export function namedComponents(comps: readonly TermComponents[]): { sd: Record<string, number>; cor: Record<string, number> } {
  const sd: Record<string, number> = {}, cor: Record<string, number> = {};
  for (const c of comps) {
    const k = c.columns.length;
    c.columns.forEach((col, j) => { sd[`sd_${c.factor}__${brmsColumn(col)}`] = c.sd[j]!; });
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) {
      cor[`cor_${c.factor}__${brmsColumn(c.columns[a]!)}__${brmsColumn(c.columns[b]!)}`] = c.cor[a * k + b]!;
    }
  }
  return { sd, cor };
}

/** lme4's ranef: per grouping factor (terms of the same factor side by side), b̃ by level. */
export function ranefTables(terms: readonly GroupTerm[], layout: MixedLayout, b: Float64Array): GroupTable[] {
  const out: Array<{ factor: string; levels: readonly string[]; columns: string[]; values: number[][] }> = [];
  terms.forEach((t, ti) => {
    const { k, colStart } = layout.terms[ti]!;
    let tab = out.find((o) => o.factor === t.factor);
    if (!tab) {
      tab = { factor: t.factor, levels: t.levels, columns: [], values: t.levels.map(() => []) };
      out.push(tab);
    }
    tab.columns.push(...t.columns);
    for (let g = 0; g < t.levels.length; g++) for (let j = 0; j < k; j++) tab.values[g]!.push(b[colStart + g * k + j]!);
  });
  return out;
}

/**
 * lme4's coef: per grouping factor, the population-level coefficients plus the conditional
 * modes of the columns that have them; null for a factor with a column absent from the
 * population-level terms (lme4: "unable to align random and fixed effects").
 */
export function coefTables(ranef: readonly GroupTable[], fixedNames: readonly string[], beta: Float64Array): Array<GroupTable | null> {
  return ranef.map((r) => {
    const at = r.columns.map((c) => fixedNames.indexOf(c));
    if (at.some((j) => j < 0)) return null;
    const values = r.levels.map((_, g) => {
      const row = Array.from(beta);
      at.forEach((j, c) => { row[j] = row[j]! + r.values[g]![c]!; });
      return row;
    });
    return { factor: r.factor, levels: r.levels, columns: fixedNames, values };
  });
}

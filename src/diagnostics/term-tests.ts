/**
 * Term-wise analysis of deviance of a GLM ML fit, computed as R's stats 4.2 computes it:
 * `anova.glm` for one model (terms added sequentially), `drop1.glm` and `add1.glm`. Each
 * sub-model is refitted by `fitMl` on a subset of the design columns (the columns of a
 * term are those whose assign is the term's index), with the fit's y, prior weights,
 * offset and family (for MASS::glm.nb fits the negative binomial with θ held at θ̂, as
 * MASS's anova.negbin and R's drop1/add1 do) and glm.fit's own starting values.
 *
 * anova.glm    rows NULL, term 1, …: Resid. Df and Resid. Dev of the fits with the terms
 *              up to each one, Df = −Δ Resid. Df, Deviance = max(0, −Δ Resid. Dev);
 *              Chisq p = P(χ²_Df > Deviance/φ); F = (Deviance/Df)/φ on (Df, df_φ) with
 *              df_φ = ∞ when φ = 1 else df.residual; Rao: the score statistic
 *              null.deviance − deviance of the weighted LS fit of the previous fit's working
 *              residuals on the columns so far (weights: its working weights).
 *              φ = summary(fit)$dispersion unless given (then df_φ = ∞) (stat.anova).
 * drop1/add1   with n the rows of the design, ℓ = n log(D/n) for the gaussian (D/scale − n
 *              with a scale) and D/φ otherwise, AIC = ℓ + k·rank shifted so that the first
 *              row is extractAIC(fit, k) (for glm.nb −2ℓ + k·rank: θ not counted); LRT = max(0, ±(ℓ − ℓ₀)) on |Δ rank| df;
 *              drop1 F = (max(0, D − D₀)/Df)/(D₀/df.residual) on (Df, df.residual);
 *              add1 F = max(0, (D₀ − D)/Df)/(D/(df.residual − Df)) on (Df, df.residual − Df).
 * φ = summary(fit)$dispersion: 1 for binomial, poisson and glm.nb fits, otherwise the
 * Pearson estimate Σ W r²/df.residual (also for a negative binomial with θ given, whose
 * family R's summary.glm does not treat as fixed-dispersion).
 *
 * References: [1] Chambers & Hastie (1992), Statistical Models in S, ch. 6; [2] McCullagh &
 * Nelder (1989), Generalized Linear Models, §4.4.5; [3] Rao (1948), Proc. Camb. Phil. Soc.
 * 44, 50–57; [4] R 4.2 src/library/stats/R/glm.R (anova.glm), add.R (drop1.glm, add1.glm).
 */
import { gaussian } from "../families/index.js";
import type { IrlsOptions } from "../fit/irls.js";
import { fitMl, pearsonDispersion, workingResiduals, type GlmProblem, type MlFit } from "../fit/ml-fit.js";
import { ArgumentError } from "../errors.js";
import { chisqUpper, fUpper } from "../stats/tails.js";
import { canonicalLabel, dropScope, type TermLayout } from "./term-layout.js";

/** A fit with what the term-wise tests need to know about it. */
export interface TermFit {
  fit: MlFit;
  terms: TermLayout;
  /** A MASS::glm.nb fit (θ estimated): summary.negbin's dispersion is 1. */
  thetaEstimated?: boolean;
  /** glm.nb's 2·log-likelihood: extractAIC.negbin is −2ℓ + k·edf (θ not counted). */
  twoLogLik?: number;
  /** IRLS controls of the refits (R: the fit's control); default glm.control(). */
  control?: IrlsOptions;
}

/**
 * R's summary(fit)$dispersion: 1 for the binomial and Poisson families and for glm.nb
 * fits, else the Pearson estimate.
 */
export function summaryDispersion(fit: MlFit, thetaEstimated = false): number {
  const fam = fit.problem.family;
  if (thetaEstimated || fam.name === "binomial" || fam.name === "poisson") return 1;
  if (fam.dispersion === "estimated") return fit.dispersion;
  return pearsonDispersion(fit.irls, workingResiduals(fam, fit.problem.y, fit.irls.mu, fit.irls.eta), fit.dfResidual);
}

/** The problem restricted to design columns `cols` (glm.fit's starting values: no mustart). */
export function columnSubset(problem: GlmProblem, cols: readonly number[]): GlmProblem {
  const { n, p, X } = problem;
  const k = cols.length;
  const Xs = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) Xs[i * k + a] = X[i * p + cols[a]!]!;
  // hasIntercept only steers the null deviance, which the refits do not use.
  return { ...problem, X: Xs, p: k, columnNames: cols.map((j) => problem.columnNames[j]!), hasIntercept: false, mustart: null };
}

function refit(problem: GlmProblem, cols: readonly number[], control: IrlsOptions, what: string, warnings: string[]): MlFit {
  const fit = fitMl(columnSubset(problem, cols), control);
  if (!fit.irls.converged) warnings.push(`the fit ${what} did not converge in ${fit.irls.iterations} iterations`);
  return fit;
}

const columnsWhere = (assign: Int32Array, keep: (a: number) => boolean): number[] => {
  const out: number[] = [];
  for (let j = 0; j < assign.length; j++) if (keep(assign[j]!)) out.push(j);
  return out;
};

/** P(χ²_df > x) with R's safe_pchisq (df ≤ 0 → NA) and NA for NA. */
function pChisq(x: number | null, df: number | null): number | null {
  return x === null || df === null || !(df > 0) || Number.isNaN(x) ? null : chisqUpper(x, df);
}

function pF(x: number | null, d1: number | null, d2: number): number | null {
  return x === null || d1 === null || !(d1 > 0) || !(d2 > 0) || Number.isNaN(x) ? null : fUpper(x, d1, d2);
}

const nullIfNaN = (x: number): number | null => (Number.isNaN(x) ? null : x);

// ---------------------------------------------------------------------------
// anova.glm

export type SequentialTest = "Chisq" | "LRT" | "F" | "Rao";

/** One row of the sequential table ("NULL" first). */
export interface SequentialAnovaRow {
  term: string;
  /** null on the NULL row. */
  df: number | null;
  deviance: number | null;
  resid_df: number;
  resid_dev: number;
  /** Rao's score statistic (test "Rao" only). */
  rao: number | null;
  /** F statistic (test "F" only). */
  f: number | null;
  p_value: number | null;
}

export interface SequentialAnova {
  test: SequentialTest | null;
  /** φ the tests divide by, and its degrees of freedom (∞ when known). */
  dispersion: number;
  df_dispersion: number;
  rows: SequentialAnovaRow[];
  warnings: string[];
}

/** Rao's score statistic: null.deviance − deviance of the weighted LS fit of r on X[, cols] (glm.fit(x, r, w, intercept)). */
function raoScore(problem: GlmProblem, cols: readonly number[], r: Float64Array, w: Float64Array, intercept: boolean): number {
  const sub = columnSubset(problem, cols);
  const fit = fitMl({ ...sub, y: r, weights: w, offset: null, trials: null, family: gaussian(), hasIntercept: intercept });
  return fit.nullDeviance - fit.deviance;
}

/** Resid. Df, Resid. Dev (and Rao scores) of the fits with the terms up to each one (anova.glm's loop). */
function sequentialFits(tf: TermFit, nvars: number, doscore: boolean, warnings: string[]) {
  const { fit, terms } = tf;
  const problem = fit.problem;
  const control = tf.control ?? {};
  const resdf: number[] = [];
  const resdev: number[] = [];
  const score = new Array<number>(nvars).fill(0);
  let r: Float64Array = new Float64Array(0);
  let w: Float64Array = new Float64Array(0);
  const track = (f: MlFit) => {
    r = workingResiduals(problem.family, problem.y, f.irls.mu, f.irls.eta);
    w = f.irls.workingWeights;
  };
  if (doscore) track(refit(problem, columnsWhere(terms.assign, (a) => a === 0), control, "of the intercept-only model", warnings));
  for (let i = 1; i <= Math.max(nvars - 1, 0); i++) {
    const cols = columnsWhere(terms.assign, (a) => a <= i);
    const sub = refit(problem, cols, control, `up to term "${terms.labels[i - 1]}"`, warnings);
    if (doscore) {
      score[i - 1] = raoScore(problem, cols, r, w, terms.intercept);
      track(sub);
    }
    resdev.push(sub.deviance);
    resdf.push(sub.dfResidual);
  }
  if (doscore && nvars > 0) score[nvars - 1] = raoScore(problem, columnsWhere(terms.assign, () => true), r, w, terms.intercept);
  return { resdf, resdev, score };
}

/**
 * R's anova(fit, test) for one GLM: the deviance table adding the terms in order, with
 * Chisq (= LRT), F or Rao tests, or none (`test: null`) (see the module comment; [1], [4]).
 * @example sequentialAnova({ fit, terms }, { test: "Chisq" }).rows[1].p_value
 */
export function sequentialAnova(tf: TermFit, options: { test?: SequentialTest | null; dispersion?: number } = {}): SequentialAnova {
  const test = options.test === undefined ? "Chisq" : options.test;
  if (test !== null && !["Chisq", "LRT", "F", "Rao"].includes(test)) throw new ArgumentError(`test must be "Chisq", "LRT", "F", "Rao" or null, got ${String(test)}`);
  const { fit, terms } = tf;
  const nvars = terms.assign.reduce((m, a) => Math.max(m, a), 0);
  const warnings: string[] = [];
  const seq = sequentialFits(tf, nvars, test === "Rao", warnings);
  const resdf = [fit.dfNull, ...seq.resdf, fit.dfResidual];
  const resdev = [fit.nullDeviance, ...seq.resdev, fit.deviance];
  const labels = ["NULL", ...terms.labels];
  const nrow = terms.labels.length === 0 ? 1 : labels.length;
  let dispersion = options.dispersion;
  let dfDispersion = Infinity;
  if (dispersion === undefined) {
    dispersion = summaryDispersion(fit, tf.thetaEstimated);
    dfDispersion = dispersion === 1 ? Infinity : fit.dfResidual;
  } else if (!(dispersion > 0)) throw new ArgumentError(`dispersion must be positive, got ${dispersion}`);
  if (test === "F" && dfDispersion === Infinity) {
    const fam = fit.problem.family.name;
    warnings.push(fam === "binomial" || fam === "poisson" ? `using F test with a '${fam}' family is inappropriate` : "using F test with a fixed dispersion is inappropriate");
  }
  const rows: SequentialAnovaRow[] = [];
  for (let k = 0; k < nrow; k++) {
    const df = k === 0 ? null : resdf[k - 1]! - resdf[k]!;
    const deviance = k === 0 ? null : Math.max(0, resdev[k - 1]! - resdev[k]!);
    const rao = k > 0 && test === "Rao" ? seq.score[k - 1]! : null;
    const row: SequentialAnovaRow = { term: labels[k]!, df, deviance, resid_df: resdf[k]!, resid_dev: resdev[k]!, rao, f: null, p_value: null };
    if (k > 0 && test !== null && df !== 0) statAnova(row, test, dispersion, dfDispersion);
    rows.push(row);
  }
  return { test, dispersion, df_dispersion: dfDispersion, rows, warnings };
}

/** R's stat.anova on one row (df ≠ 0): Chisq/LRT/Rao p-values, or F and its p-value. */
function statAnova(row: SequentialAnovaRow, test: SequentialTest, scale: number, dfScale: number): void {
  const df = row.df!;
  if (test === "F") {
    const F = row.deviance! / df / scale;
    row.f = F < 0 || Number.isNaN(F) ? null : F;
    row.p_value = row.f === null ? null : fUpper(row.f, Math.abs(df), dfScale);
    return;
  }
  const stat = ((test === "Rao" ? row.rao! : row.deviance!) / scale) * Math.sign(df);
  row.p_value = stat < 0 || Number.isNaN(stat) ? null : chisqUpper(stat, Math.abs(df));
}

// ---------------------------------------------------------------------------
// drop1.glm and add1.glm

export type TermTest = "none" | "LRT" | "Chisq" | "F";

/** Options of drop1/add1 (R's scale, test, k). */
export interface TermTestOptions {
  test?: TermTest;
  /** A known dispersion (R's scale); 0 or omitted: summary(fit)$dispersion. */
  scale?: number;
  /** AIC penalty per parameter (default 2). */
  k?: number;
}

/** One row of a drop1/add1 table ("<none>" first). */
export interface TermTestRow {
  term: string;
  /** Change in rank (null on "<none>"). */
  df: number | null;
  deviance: number;
  /** null when the family has no AIC (quasi families: R drops the column). */
  aic: number | null;
  /** Likelihood-ratio statistic (R's "LRT", or "scaled dev." when φ ≠ 1); test "LRT" only. */
  lrt: number | null;
  /** F value (test "F" only). */
  f: number | null;
  p_value: number | null;
}

export interface TermTestTable {
  kind: "drop1" | "add1";
  test: "none" | "LRT" | "F";
  dispersion: number;
  /** The LRT column is R's "scaled dev." (φ ≠ 1) rather than "LRT". */
  scaled: boolean;
  rows: TermTestRow[];
  warnings: string[];
}

interface TermFits {
  names: string[];
  ranks: number[];
  devs: number[];
  /** Rows of the design (R's n = nrow(x)). */
  n: number;
}

function checkTermOptions(options: TermTestOptions): { test: "none" | "LRT" | "F"; scale: number; k: number } {
  const t = options.test ?? "none";
  if (!["none", "LRT", "Chisq", "F"].includes(t)) throw new ArgumentError(`test must be "none", "LRT", "Chisq" or "F", got ${String(t)}`);
  const scale = options.scale ?? 0;
  if (!(scale >= 0)) throw new ArgumentError(`scale must be ≥ 0 (0: estimate), got ${scale}`);
  const k = options.k ?? 2;
  if (!Number.isFinite(k)) throw new ArgumentError(`k must be a finite number, got ${k}`);
  return { test: t === "Chisq" ? "LRT" : (t as "none" | "LRT" | "F"), scale, k };
}

/** The drop1/add1 table from the refits (the second half of R's drop1.glm/add1.glm). */
function termTable(kind: "drop1" | "add1", tf: TermFit, fits: TermFits, options: TermTestOptions, warnings: string[]): TermTestTable {
  const { test, scale, k } = checkTermOptions(options);
  const { fit } = tf;
  const { ranks, devs, n } = fits;
  const dispersion = scale > 0 ? scale : summaryDispersion(fit, tf.thetaEstimated);
  const fam = fit.problem.family.name;
  const loglik = devs.map((d) => (fam === "gaussian" ? (scale > 0 ? d / scale - n : n * Math.log(d / n)) : d / dispersion));
  // R's extractAIC(fit, k)[2]; edf counts the rows with zero weight, as length(fit$residuals) − df.residual.
  const edf = fit.problem.n - fit.dfResidual;
  const extractAic = tf.twoLogLik !== undefined ? -tf.twoLogLik + k * edf : fit.aic + (k - 2) * edf;
  const raw = loglik.map((l, j) => l + k * ranks[j]!);
  const aic = raw.map((a) => a + (extractAic - raw[0]!));
  const allNaN = aic.every((a) => Number.isNaN(a));
  const rdf = fit.dfResidual;
  if (test === "F" && (fam === "binomial" || fam === "poisson"))
    warnings.push(kind === "drop1" ? `F test assumes 'quasi${fam}' family` : `F test assumes quasi${fam} family`);
  const rows = fits.names.map((term, j): TermTestRow => {
    const df = j === 0 ? null : kind === "drop1" ? ranks[0]! - ranks[j]! : ranks[j]! - ranks[0]!;
    const row: TermTestRow = { term, df, deviance: devs[j]!, aic: allNaN ? null : nullIfNaN(aic[j]!), lrt: null, f: null, p_value: null };
    if (j === 0 || test === "none") return row;
    if (test === "LRT") {
      row.lrt = Math.max(0, kind === "drop1" ? loglik[j]! - loglik[0]! : loglik[0]! - loglik[j]!);
      row.p_value = pChisq(row.lrt, df);
      return row;
    }
    const F = kind === "drop1"
      ? Math.max(0, devs[j]! - devs[0]!) / df! / (devs[0]! / rdf)
      : Math.max(0, (devs[0]! - devs[j]!) / df!) / (devs[j]! / (rdf - df!));
    row.f = df! < (kind === "drop1" ? 1e-4 : Number.EPSILON) || Number.isNaN(F) ? null : F;
    row.p_value = pF(row.f, df, kind === "drop1" ? rdf : rdf - df!);
    return row;
  });
  return { kind, test, dispersion, scaled: dispersion !== 1, rows, warnings };
}

/**
 * R's drop1(fit, scope, test): each term of `scope` (default drop.scope: the terms whose
 * removal respects marginality) dropped in turn from the full model (module comment; [4]).
 * @example drop1Table({ fit, terms }, { test: "LRT" }).rows.map((r) => r.p_value)
 */
export function drop1Table(tf: TermFit, options: TermTestOptions & { scope?: readonly string[] } = {}): TermTestTable {
  const { fit, terms } = tf;
  const scope = options.scope ? [...options.scope] : dropScope(terms);
  for (const s of scope) if (!terms.labels.includes(s)) throw new ArgumentError(`scope: "${s}" is not a term of the model (terms: ${terms.labels.join(", ") || "none"}; R: "scope is not a subset of term labels")`);
  checkTermOptions(options);
  const warnings: string[] = [];
  const fits: TermFits = { names: ["<none>"], ranks: [fit.irls.rank], devs: [fit.deviance], n: fit.problem.n };
  for (const s of scope) {
    const t = terms.labels.indexOf(s) + 1;
    const sub = refit(fit.problem, columnsWhere(terms.assign, (a) => a !== t), tf.control ?? {}, `without "${s}"`, warnings);
    fits.names.push(s);
    fits.ranks.push(sub.irls.rank);
    fits.devs.push(sub.deviance);
  }
  return termTable("drop1", tf, fits, options, warnings);
}

/** The combined model of add1: the problem of `fit`'s formula plus every scope term, on the same data. */
export interface CombinedModel {
  problem: GlmProblem;
  terms: TermLayout;
}

/**
 * R's add1(fit, scope, test): each term of `scope` added in turn to the model, all fitted on
 * the design of the combined formula (its rows: R warns when missing values in the added
 * variables drop rows) (module comment; [4]).
 * @example add1Table({ fit, terms }, combined, ["ftv"], { test: "F" }).rows[1].f
 */
export function add1Table(tf: TermFit, combined: CombinedModel, scope: readonly string[], options: TermTestOptions = {}): TermTestTable {
  if (scope.length === 0) throw new ArgumentError("scope: no terms in scope for adding to the model");
  checkTermOptions(options);
  const { fit } = tf;
  const { problem, terms } = combined;
  const warnings: string[] = [];
  if (problem.n < fit.problem.n) warnings.push(`using the ${problem.n}/${fit.problem.n} rows from a combined fit`);
  const oldIdx = new Set(tf.terms.labels.map((l) => terms.labels.indexOf(l) + 1).filter((t) => t > 0));
  const ousex = (a: number) => (a === 0 ? terms.intercept : oldIdx.has(a));
  const control = tf.control ?? {};
  const base = refit({ ...problem, family: fit.problem.family }, columnsWhere(terms.assign, ousex), control, "of the model on the combined rows", warnings);
  const fits: TermFits = { names: ["<none>"], ranks: [base.irls.rank], devs: [base.deviance], n: problem.n };
  const canon = terms.labels.map(canonicalLabel);
  for (const s of scope) {
    const t = canon.indexOf(canonicalLabel(s)) + 1;
    const cols = columnsWhere(terms.assign, (a) => ousex(a) || (t > 0 && a === t));
    const sub = refit({ ...problem, family: fit.problem.family }, cols, control, `with "${s}"`, warnings);
    fits.names.push(s);
    fits.ranks.push(sub.irls.rank);
    fits.devs.push(sub.deviance);
  }
  return termTable("add1", tf, fits, options, warnings);
}

/**
 * Likelihood-ratio, Wald and Rao score tests for one coefficient or for a
 * nested pair of ML fits, as R computes them.
 *
 * - LR (R: anova(m0, m1, test = "Chisq")): (D₀ − D₁)/φ ~ χ²_q, q = df₀ − df₁.
 * - Rao score (R: anova(m0, m1, test = "Rao"), stats:::anova.glmlist): with the
 *   small model's working residuals r and working weights w, the weighted
 *   regression of r on the big model's design X₁ gives
 *     S = Σ w (r − r̄)² − min_b Σ w (r − X₁b)²     (r̄ = weighted mean of r if m0 has an intercept, else 0)
 *   = U₀ᵀ I₀⁻¹ U₀, the score statistic; S/φ ~ χ²_q.
 * - Wald: z = β̂ⱼ/SE (t on df.residual when φ is estimated, as summary.glm); for a
 *   set S of coefficients W = β̂_Sᵀ V_SS⁻¹ β̂_S ~ χ²_|S| (or F = W/|S| on
 *   (|S|, df.residual)).
 * φ is the dispersion of the larger model (summary.glm's Pearson estimate when
 * estimated, else 1), as anova.glmlist takes it; it can be given explicitly.
 *
 * Reference: [1] Rao, C. R. (1948), Large sample tests of statistical hypotheses…,
 * Proc. Camb. Phil. Soc. 44, 50–57; [2] R 4.2, src/library/stats/R/glm.R
 * (anova.glmlist, stat.anova).
 */
import type { GlmProblem, MlFit } from "../fit/ml-fit.js";
import { fitMl, workingResiduals } from "../fit/ml-fit.js";
import type { IrlsOptions } from "../fit/irls.js";
import { qrTolerance } from "../fit/irls.js";
import { twoSidedP } from "../fit/inference.js";
import { chisqUpper, fUpper } from "../stats/tails.js";
import { anovaChisq } from "../stats/anova-chisq.js";
import { WlsWorkspace, weightedLeastSquares } from "../linalg/weighted-least-squares.js";
import { choleskyInPlace, choleskySolveInPlace } from "../linalg/cholesky.js";
import { ArgumentError, NumericalError } from "../errors.js";
import { resolveWhich } from "./profile.js";

/** A χ² (or F) test of a nested comparison. */
export interface ChisqTest {
  /** Difference in residual degrees of freedom (number of constraints). */
  df: number;
  /** The test statistic on the χ² scale (already divided by φ). */
  statistic: number;
  p_value: number;
}

export interface LrTest extends ChisqTest {
  /** D₀ − D₁ (R's "Deviance" column). */
  deviance: number;
}

export interface ScoreTest extends ChisqTest {
  /** The unscaled score statistic (R's "Rao" column). */
  rao: number;
}

export interface WaldJointTest extends ChisqTest {
  columns: string[];
  /** W/q and its p-value on (q, df.residual) (the finite-sample version with an estimated φ). */
  f: number;
  p_value_f: number;
}

/** The single-coefficient Wald test as summary.glm reports it. */
export interface WaldTest {
  /** z (φ fixed) or t (φ estimated). */
  statistic: number;
  /** null for z; df.residual for t. */
  df: number | null;
  p_value: number;
}

export interface NestedTests {
  df: number;
  dispersion: number;
  lr: LrTest;
  score: ScoreTest;
  /** Joint Wald test of the big model's coefficients absent from the small model (by column name); null when the names do not nest. */
  wald: WaldJointTest | null;
}

export interface CoefficientTestRow {
  name: string;
  wald: WaldTest;
  lr: LrTest;
  score: ScoreTest;
}

function checkSameData(small: MlFit, big: MlFit): void {
  if (small.problem.n !== big.problem.n || small.nObs !== big.nObs)
    throw new ArgumentError(`the models were not fitted to the same observations (${small.nObs} and ${big.nObs})`);
}

/** φ of the comparison: the explicit value, else the larger model's summary dispersion. */
function comparisonDispersion(big: MlFit, dispersion: number | undefined): number {
  const phi = dispersion ?? (big.dispersionEstimated ? big.dispersion : 1);
  if (!(phi > 0) || !Number.isFinite(phi)) throw new ArgumentError(`dispersion must be a positive finite number, got ${phi}`);
  return phi;
}

/** Orders the pair so that `big` has fewer residual degrees of freedom. */
function order(a: MlFit, b: MlFit): { small: MlFit; big: MlFit } {
  return a.dfResidual >= b.dfResidual ? { small: a, big: b } : { small: b, big: a };
}

/**
 * Likelihood-ratio (analysis of deviance) test of two nested fits, R's
 * anova(m0, m1, test = "Chisq"): (D₀ − D₁)/φ on df₀ − df₁ degrees of freedom.
 */
export function likelihoodRatioTest(m0: MlFit, m1: MlFit, options: { dispersion?: number } = {}): LrTest {
  checkSameData(m0, m1);
  const { small, big } = order(m0, m1);
  const phi = comparisonDispersion(big, options.dispersion);
  const df = small.dfResidual - big.dfResidual;
  const deviance = small.deviance - big.deviance;
  return { df, deviance, ...anovaChisq(deviance, df, phi) };
}

/** The unscaled Rao score statistic of anova.glmlist (see the module comment). */
export function raoScore(small: MlFit, bigDesign: { X: Float64Array; p: number }): number {
  const { problem } = small;
  const n = problem.n;
  const r = workingResiduals(problem.family, problem.y, small.irls.mu, small.irls.eta);
  const w = Float64Array.from(small.irls.workingWeights);
  let sw = 0;
  let swr = 0;
  for (let i = 0; i < n; i++) {
    if (!(w[i]! > 0)) {
      w[i] = 0;
      r[i] = 0;
      continue;
    }
    if (!Number.isFinite(r[i]!)) throw new NumericalError(`the working residual of row ${i + 1} is not finite: no score test`);
    sw += w[i]!;
    swr += w[i]! * r[i]!;
  }
  const mean = problem.hasIntercept && sw > 0 ? swr / sw : 0;
  let nullSs = 0;
  for (let i = 0; i < n; i++) nullSs += w[i]! * (r[i]! - mean) * (r[i]! - mean);
  const { X, p } = bigDesign;
  const sol = weightedLeastSquares(X, n, p, w, r, new WlsWorkspace(p), qrTolerance(1e-8));
  let rss = 0;
  for (let i = 0; i < n; i++) {
    if (w[i] === 0) continue;
    let fitted = 0;
    for (let j = 0; j < p; j++) fitted += X[i * p + j]! * sol.coef[j]!;
    const e = r[i]! - fitted;
    rss += w[i]! * e * e;
  }
  return nullSs - rss;
}

/**
 * Rao score test of two nested fits, R's anova(m0, m1, test = "Rao"): S/φ on
 * df₀ − df₁ degrees of freedom, S from the small model's working residuals and
 * weights regressed on the big model's design.
 */
export function scoreTest(m0: MlFit, m1: MlFit, options: { dispersion?: number } = {}): ScoreTest {
  checkSameData(m0, m1);
  const { small, big } = order(m0, m1);
  const phi = comparisonDispersion(big, options.dispersion);
  const df = small.dfResidual - big.dfResidual;
  const rao = raoScore(small, big.problem);
  return { df, rao, ...anovaChisq(rao, df, phi) };
}

/**
 * Wald test of one coefficient as summary.glm: z = β̂/SE with a normal p-value, or t
 * on df.residual when the dispersion is estimated.
 */
export function waldTest(fit: MlFit, which: string | number): WaldTest {
  const [j] = resolveWhich(fit.problem.columnNames, [which]);
  const row = fit.coefficients[j!]!;
  if (row.aliased || row.estimate === null || row.se === null)
    throw new ArgumentError(`coefficient "${row.name}" is aliased: it has no Wald test`);
  const statistic = row.estimate / row.se;
  const df = fit.dispersionEstimated ? fit.dfResidual : null;
  return { statistic, df, p_value: twoSidedP(statistic, df) };
}

/**
 * Joint Wald test that the coefficients `which` are all zero:
 * W = β̂_Sᵀ V_SS⁻¹ β̂_S ~ χ²_|S|, V = φ (XᵀWX)⁻¹; also F = W/|S| on (|S|, df.residual).
 */
export function waldTestJoint(fit: MlFit, which: readonly (string | number)[], options: { dispersion?: number } = {}): WaldJointTest {
  const names = fit.problem.columnNames;
  const idx = resolveWhich(names, which);
  if (idx.length === 0) throw new ArgumentError("which must name at least one coefficient");
  if (new Set(idx).size !== idx.length) throw new ArgumentError("which names a coefficient twice");
  for (const j of idx) if (fit.irls.aliased[j]) throw new ArgumentError(`coefficient "${names[j]}" is aliased: it cannot be tested`);
  const phi = options.dispersion ?? fit.dispersion;
  const p = fit.problem.p;
  const q = idx.length;
  const V = new Float64Array(q * q);
  const b = new Float64Array(q);
  for (let a = 0; a < q; a++) {
    b[a] = fit.coef[idx[a]!]!;
    for (let c = 0; c < q; c++) V[a * q + c] = phi * fit.covUnscaled[idx[a]! * p + idx[c]!]!;
  }
  const x = Float64Array.from(b);
  if (!choleskyInPlace(V, q, 0).ok) throw new NumericalError("the covariance of the tested coefficients is not positive definite");
  choleskySolveInPlace(V, q, x);
  let W = 0;
  for (let a = 0; a < q; a++) W += b[a]! * x[a]!;
  const f = W / q;
  return {
    df: q, columns: idx.map((j) => names[j]!), statistic: W, p_value: chisqUpper(W, q),
    f, p_value_f: fit.dfResidual > 0 ? fUpper(f, q, fit.dfResidual) : Number.NaN,
  };
}

/** The problem without the given columns (0-based); the intercept flag follows column "(Intercept)". */
export function dropColumns(problem: GlmProblem, drop: readonly number[]): GlmProblem {
  const gone = new Set(drop);
  const keep: number[] = [];
  for (let j = 0; j < problem.p; j++) if (!gone.has(j)) keep.push(j);
  const { X, n, p } = problem;
  const q = keep.length;
  const Xr = new Float64Array(n * q);
  for (let i = 0; i < n; i++) for (let k = 0; k < q; k++) Xr[i * q + k] = X[i * p + keep[k]!]!;
  const droppedIntercept = problem.hasIntercept && drop.some((j) => problem.columnNames[j] === "(Intercept)");
  return {
    ...problem,
    X: Xr,
    p: q,
    columnNames: keep.map((j) => problem.columnNames[j]!),
    hasIntercept: problem.hasIntercept && !droppedIntercept,
  };
}

/**
 * LR, Rao score and (joint) Wald tests of two nested ML fits, with R's conventions
 * (anova.glmlist's dispersion: the larger model's). The Wald test covers the big
 * model's columns whose names the small model lacks (null if the small model has a
 * column the big one does not).
 */
export function nestedModelTests(m0: MlFit, m1: MlFit, options: { dispersion?: number } = {}): NestedTests {
  const { small, big } = order(m0, m1);
  const lr = likelihoodRatioTest(small, big, options);
  const score = scoreTest(small, big, options);
  const smallNames = new Set(small.problem.columnNames);
  const nests = small.problem.columnNames.every((nm) => big.problem.columnNames.includes(nm));
  const extra = big.problem.columnNames.filter((nm, j) => !smallNames.has(nm) && !big.irls.aliased[j]);
  const wald = nests && extra.length > 0 ? waldTestJoint(big, extra, { dispersion: comparisonDispersion(big, options.dispersion) }) : null;
  return { df: lr.df, dispersion: comparisonDispersion(big, options.dispersion), lr, score, wald };
}

/**
 * Wald, LR and score tests of each coefficient of an ML fit (R: summary(fit)'s
 * Wald test; anova(refit without the column, fit, test = "Chisq" / "Rao")). The
 * refits use `control` (default: R's glm.control()); the dispersion is the fit's.
 * Without `which`, aliased coefficients are left out; naming one throws.
 */
export function coefficientTests(
  fit: MlFit,
  options: { which?: readonly (string | number)[]; control?: IrlsOptions; dispersion?: number } = {},
): CoefficientTestRow[] {
  const names = fit.problem.columnNames;
  const idx = options.which === undefined ? resolveWhich(names, undefined).filter((j) => !fit.irls.aliased[j]) : resolveWhich(names, options.which);
  return idx.map((j) => {
    if (fit.irls.aliased[j]) throw new ArgumentError(`coefficient "${names[j]}" is aliased: it cannot be tested`);
    const reduced = fitMl(dropColumns(fit.problem, [j]), options.control ?? {});
    return {
      name: names[j]!,
      wald: waldTest(fit, j),
      lr: likelihoodRatioTest(reduced, fit, { dispersion: options.dispersion }),
      score: scoreTest(reduced, fit, { dispersion: options.dispersion }),
    };
  });
}

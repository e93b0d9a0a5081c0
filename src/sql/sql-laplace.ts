/**
 * The Laplace approximation at the posterior mode from the same aggregates as the
 * ML fit — the large-n posterior: the mode of ℓ(β) + Σ_j log p_j(β_j) by Newton
 * steps with step halving on the log posterior, and N(mode, (−∇²)⁻¹) around it.
 *
 * For a canonical link (binomial–logit, Poisson–log, …) with fixed dispersion,
 * W(y − μ)/μ′ = w(y − μ), so the score is Xᵀw(y − μ) = XᵀWz − XᵀWXβ (z without the
 * offset, η − off = Xβ) and the observed information equals XᵀWX: one iteration
 * query gives ℓ = −D/2 + const, ∇ℓ and ∇²ℓ. Priors add their gradient and
 * diagonal Hessian (src/priors: normal, Student-t, Cauchy, logistic, flat …).
 * When −∇² is not positive definite (a Student-t prior far from the mode) the step
 * is Fisher scoring with XᵀWX + max(−prior″, 0), as src/fit/map.ts does.
 * Convergence: max_j |g_j|·√C_jj < tol (the Newton step in posterior SDs), C = (−∇²)⁻¹.
 *
 * Reference: Gelman, Jakulin, Pittau & Su (2008), Ann. Appl. Stat. 2, 1360–1383 (penalised IRLS);
 * Tierney & Kadane (1986), JASA 81, 82–86 (the Laplace approximation).
 */
import { ArgumentError, NumericalError } from "../errors.js";
import type { Family } from "../types.js";
import type { CoefficientPrior, ScalarPrior } from "../priors/index.js";
import { coefficientTable, type CoefficientRow } from "../fit/inference.js";
import { choleskyInPlace, choleskySolveInPlace } from "../linalg/cholesky.js";
import { solveCrossprod } from "./normal-equations.js";
import { num, prepareSqlModel, unshift, type SqlFitOptions, type SqlRunner } from "./sql-fit.js";
import { frameSelect } from "./irls-sql.js";

/** What rstanarm's autoscaling needs of the design: the row count, each column's sample SD and whether it is constant. */
export interface ColumnStats { n: number; sd: Float64Array; constant: boolean[] }

export interface SqlLaplaceOptions extends Pick<SqlFitOptions, "weights" | "offset" | "onIteration"> {
  maxit?: number;
  /**
   * The intercept's prior acts on the intercept of the centred predictors (rstanarm's
   * default): the mode is searched on the design centred by its column means (the ML
   * fit's shift), where that intercept is the coefficient of the constant column, and
   * mode and covariance are mapped back (an exact linear reparametrisation).
   */
  centered?: boolean | (() => boolean);
  /** Convergence tolerance on max_j |g_j|·sd_j (default 1e-9, as the in-memory MAP). */
  tol?: number;
}

export interface SqlLaplaceFit {
  formula: string;
  family: string;
  link: string;
  columnNames: string[];
  /** Mode (estimate) and posterior SD (se) with z statistics. */
  coefficients: CoefficientRow[];
  mode: Float64Array;
  /** (−∇²)⁻¹ at the mode, p×p row-major. */
  covariance: Float64Array;
  /** The log posterior at the mode, up to a constant: −D/2 + Σ log p_j. */
  logPosterior: number;
  deviance: number;
  nObs: number;
  naDropped: number;
  iterations: number;
  converged: boolean;
  warnings: string[];
  queries: number;
}

/** Σ log p_j(β_j), and the prior's gradient and Hessian diagonal into g and h. */
function priorTerms(priors: readonly CoefficientPrior[], beta: Float64Array, g: Float64Array, h: Float64Array): number {
  let lp = 0;
  priors.forEach((pr, j) => {
    const sp = pr as ScalarPrior;
    lp += sp.kind === "flat" ? 0 : sp.logDensity(beta[j]!);
    g[j] = sp.kind === "flat" ? 0 : sp.gradient(beta[j]!);
    h[j] = sp.kind === "flat" ? 0 : sp.hessianDiag(beta[j]!);
  });
  return lp;
}

/** The mode and the Laplace covariance for `formula` under per-coefficient scalar priors. */
export async function laplaceSql(
  runner: SqlRunner, from: string, formula: string, family: Family,
  priorsFor: (columnNames: string[], hasIntercept: boolean, stats: () => Promise<ColumnStats>) => CoefficientPrior[] | Promise<CoefficientPrior[]>,
  opts: SqlLaplaceOptions = {},
): Promise<SqlLaplaceFit> {
  if (!family.canonical || family.dispersion !== "fixed")
    throw new ArgumentError(`the SQL Laplace approximation takes a canonical link with fixed dispersion (binomial–logit, poisson–log); ${family.name}(${family.link.name}) needs the in-memory engine`);
  const prep = await prepareSqlModel(runner, from, formula, family, { weights: opts.weights, offset: opts.offset }, true);
  const { s, frame, naDropped, meta } = prep;
  const p = frame.x.length;
  const stats = async (): Promise<ColumnStats> => {
    const cols = frame.x.map((_, j) => `stddev_samp(r${j}) AS sd_${j}, (MIN(r${j}) = MAX(r${j})) AS const_${j}`);
    const r = await s.one(`WITH frame AS (${frameSelect({ ...prep.q, shift: null })}) SELECT COUNT(*) AS n, ${cols.join(", ")} FROM frame`);
    return { n: num(r.n), sd: Float64Array.from(frame.x, (_, j) => num(r[`sd_${j}`])), constant: frame.x.map((_, j) => r[`const_${j}`] === true) };
  };
  const priors = await priorsFor(frame.columnNames, frame.hasIntercept, stats);
  // The centred design (the ML fit's shift) or the raw one, decided with the priors.
  const centered = typeof opts.centered === "function" ? opts.centered() : opts.centered === true;
  if (centered && prep.q.shift === null) throw new ArgumentError("a prior on the centred intercept needs a model with an intercept");
  const q = centered ? prep.q : { ...prep.q, shift: null };
  for (const pr of priors) if ((pr as { kind: string }).kind === "jeffreys") throw new ArgumentError("the SQL Laplace approximation takes scalar priors (normal, student_t, …), not jeffreys()");
  const maxit = opts.maxit ?? 100;
  const tol = opts.tol ?? 1e-9;
  // Start at the ML fit's first step from mustart (well inside the domain).
  let st = await s.iteration(q, { kind: "mustart" });
  let beta = solveCrossprod(st.A, st.b, p, 1e-11).coef.map((c) => (Number.isNaN(c) ? 0 : c));
  st = await s.iteration(q, { kind: "beta", beta });
  const gp = new Float64Array(p);
  const hp = new Float64Array(p);
  const logPost = (dev: number, b: Float64Array): number => -dev / 2 + priorTerms(priors, b, gp, hp);
  let f = logPost(st.dev, beta);
  const warnings: string[] = [];
  let converged = false;
  let iterations = 0;
  const H = new Float64Array(p * p);
  const g = new Float64Array(p);
  const t0 = Date.now();
  for (let iter = 1; iter <= maxit; iter++) {
    iterations = iter;
    priorTerms(priors, beta, gp, hp);
    // g = XᵀWz − XᵀWXβ + ∇log p;  −∇² = XᵀWX − diag(prior″).
    for (let j = 0; j < p; j++) {
      let ab = 0;
      for (let k = 0; k < p; k++) ab += st.A[j * p + k]! * beta[k]!;
      g[j] = st.b[j]! - ab + gp[j]!;
    }
    H.set(st.A);
    for (let j = 0; j < p; j++) H[j * p + j] = H[j * p + j]! - hp[j]!;
    let C = Float64Array.from(H);
    const PD_TOL = 1e-14;
    const newtonOk = choleskyInPlace(C, p, PD_TOL).ok;
    if (!newtonOk) {
      C = Float64Array.from(st.A);
      for (let j = 0; j < p; j++) C[j * p + j] = C[j * p + j]! + Math.max(-hp[j]!, 0);
      if (!choleskyInPlace(C, p, PD_TOL).ok) throw new NumericalError("the scoring matrix XᵀWX + prior curvature is not positive definite: the mode is not identified (an aliased column with flat priors?)");
    }
    const dir = Float64Array.from(g);
    choleskySolveInPlace(C, p, dir);
    let crit = 0;
    if (newtonOk) {
      for (let j = 0; j < p; j++) {
        const e = new Float64Array(p); e[j] = 1; choleskySolveInPlace(C, p, e);
        crit = Math.max(crit, Math.abs(g[j]!) * Math.sqrt(e[j]!));
      }
      if (crit < tol) { converged = true; break; }
    }
    let step = 1;
    let cand = beta.map((b, j) => b + dir[j]!);
    let next = await s.iteration(q, { kind: "beta", beta: cand });
    let fNext = logPost(next.dev, cand);
    let halvings = 0;
    while (!(fNext >= f - 16 * Number.EPSILON * (Math.abs(f) + 1)) || next.invalid > 0) {
      if (++halvings > 50) throw new NumericalError("step halving failed to increase the log posterior (50 halvings)");
      step /= 2;
      cand = beta.map((b, j) => b + step * dir[j]!);
      next = await s.iteration(q, { kind: "beta", beta: cand });
      fNext = logPost(next.dev, cand);
    }
    beta = cand; st = next; f = fNext;
    opts.onIteration?.({ iteration: iter, deviance: st.dev, halvings, criterion: crit, seconds: (Date.now() - t0) / 1000 });
  }
  if (!converged) warnings.push(`the posterior mode search did not converge in ${maxit} iterations`);
  // (−∇²)⁻¹ at the mode.
  const C = Float64Array.from(H);
  if (!choleskyInPlace(C, p, 1e-14).ok) throw new NumericalError("the negative Hessian of the log posterior is not positive definite at the mode");
  const cov = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    const e = new Float64Array(p); e[j] = 1; choleskySolveInPlace(C, p, e);
    for (let k = 0; k < p; k++) cov[k * p + j] = e[k]!;
  }
  // Back from the centred design: β₀ = β̃₀ − Σ c_j β̃_j, C = T C̃ Tᵀ.
  const raw = centered ? unshift({ coef: beta, covUnscaled: cov, aliased: new Uint8Array(p) }, q.shift, p) : { coef: beta, cov };
  beta = Float64Array.from(raw.coef);
  const coefficients = coefficientTable(frame.columnNames, beta, new Uint8Array(p), raw.cov, false, 0);
  if (naDropped > 0) warnings.unshift(`${naDropped} observation${naDropped === 1 ? "" : "s"} deleted due to missingness`);
  return {
    formula, family: family.name, link: family.link.name, columnNames: frame.columnNames, coefficients, mode: beta, covariance: raw.cov,
    logPosterior: f, deviance: st.dev, nObs: num(meta.n_frame), naDropped, iterations, converged, warnings, queries: s.queries,
  };
}

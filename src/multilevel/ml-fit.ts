/**
 * Maximum likelihood of multilevel models as lme4 computes it.
 *
 * lmer (gaussian, identity link): the profiled deviance or REML criterion of θ alone
 * (src/multilevel/pirls.ts), minimized over θ within its bounds; β̂, σ̂ and the conditional
 * modes follow in closed form; vcov(β̂) = σ̂²(R_XᵀR_X)⁻¹.
 *
 * glmer (nAGQ = 1): stage 1 minimizes the Laplace deviance over θ with β updated inside
 * PIRLS (lme4's nAGQ = 0 fit), stage 2 over (θ, β) jointly from there, PIRLS over u only;
 * vcov(β̂) is lme4's default: the β block of 2·H⁻¹, H the central-difference Hessian
 * (deriv12, δ = 1e-4) of the stage-2 deviance at the optimum.
 *
 * Both stages use bound-constrained Nelder–Mead with restarts and a Newton polish
 * (src/multilevel/nelder-mead.ts) instead of lme4's BOBYQA; the optimum is the same.
 */
import { ArgumentError, DataError } from "../errors.js";
import { deriv12, nelderMead, newtonPolish, solveDense } from "./nelder-mead.js";
import { laplaceDeviance, lmmDeviance, logWeightSum, makeEvalState, type MixedProblem } from "./pirls.js";
import { makeWorkspace, mixedLayout, thetaStart, unscaledBetaCov, type MixedLayout } from "./pls.js";
import type { MultilevelDesign } from "./types.js";
import type { Family } from "../types.js";

/** The numbers of a multilevel ML fit: data, not a class. */
export interface MultilevelMlEstimate {
  readonly kind: "lmer" | "glmer";
  readonly REML: boolean;
  readonly beta: Float64Array;
  /** vcov(β̂), p × p row-major. */
  readonly vcov: Float64Array;
  /** The RX-based covariance σ̂²(R_XᵀR_X)⁻¹ (lme4's vcov(use.hessian = FALSE)). */
  readonly vcovConditional: Float64Array;
  readonly theta: Float64Array;
  /** Residual sd σ̂ (lmer; 1 for binomial and Poisson glmer). */
  readonly sigma: number;
  readonly useScale: boolean;
  /** Spherical conditional modes ũ and b̃ = Λθ ũ (length q, term by term, level-major). */
  readonly u: Float64Array;
  readonly b: Float64Array;
  readonly eta: Float64Array;
  readonly fitted: Float64Array;
  /** Log-likelihood (REML log-likelihood for REML fits), its df, AIC, BIC. */
  readonly logLik: number;
  readonly df: number;
  readonly aic: number;
  readonly bic: number;
  /** lme4's deviance(fit): −2ℓ for lmer ML fits, −2ℓ(ML) at the REML estimates for REML fits (deviance(fit, REML = FALSE)), Σ dᵢ at the conditional modes for glmer. */
  readonly deviance: number;
  /** The REML criterion at convergence (NaN for ML). */
  readonly remlCriterion: number;
  readonly evaluations: number;
  readonly converged: boolean;
  readonly warnings: string[];
  readonly layout: MixedLayout;
}

/** Control of the optimizer. */
export interface MultilevelControl {
  readonly maxEval?: number;
}

function problemOf(design: MultilevelDesign, family: Family, trials: Float64Array | null): MixedProblem {
  return {
    layout: mixedLayout(design.terms, design.n, design.p),
    X: design.X, y: design.y, weights: design.weights, offset: design.offset, trials, family,
  };
}

/** b = Λθ u, term by term. */
function relativeEffects(layout: MixedLayout, theta: Float64Array, u: Float64Array): Float64Array {
  const b = new Float64Array(layout.q);
  for (const t of layout.terms) {
    for (let g = 0; g < t.nl; g++) {
      const c0 = t.colStart + g * t.k;
      let idx = t.thetaStart;
      for (let j = 0; j < t.k; j++) {
        for (let l = j; l < t.k; l++) b[c0 + l] += theta[idx++]! * u[c0 + j]!;
      }
    }
  }
  return b;
}

function checkDesign(design: MultilevelDesign, lmm: boolean): void {
  const n = design.n;
  for (const t of design.terms) {
    if (lmm && t.levels.length >= n) {
      throw new DataError(`grouping factor "${t.factor}" has ${t.levels.length} levels for ${n} observations: the group-level variances are not identifiable from the residual variance (lme4: "number of levels of each grouping factor must be < number of observations")`);
    }
  }
  const q = design.terms.reduce((s, t) => s + t.k * t.levels.length, 0);
  if (lmm && q >= n) throw new DataError(`${q} group-level coefficients for ${n} observations: the random-effects parameters and the residual variance are probably unidentifiable (lme4 stops here too)`);
}

/** lme4's isSingular (tol = 1e-4): a diagonal entry of some Λ block at (or near) its bound 0. */
export function singularWarning(layout: MixedLayout, theta: Float64Array): string[] {
  for (let j = 0; j < theta.length; j++) {
    if (layout.lower[j] === 0 && theta[j]! < 1e-4) return ["boundary (singular) fit: a group-level variance (or a correlation's Cholesky diagonal) is at 0, as lme4's isSingular() reports"];
  }
  return [];
}

function informationCriteria(logLik: number, df: number, n: number) {
  return { aic: -2 * logLik + 2 * df, bic: -2 * logLik + df * Math.log(n) };
}

/** lmer: REML (default) or ML. */
export function fitLmm(design: MultilevelDesign, family: Family, REML: boolean, control: MultilevelControl = {}): MultilevelMlEstimate {
  checkDesign(design, true);
  const prob = problemOf(design, family, null);
  const layout = prob.layout;
  const { n, p } = layout;
  if (REML && n <= p) throw new DataError(`REML needs more observations (${n}) than population-level coefficients (${p})`);
  const ldW = logWeightSum(design.weights);
  const st = makeEvalState(makeWorkspace(layout), layout);
  const f = (theta: Float64Array): number => lmmDeviance(prob, theta, REML, ldW, st);
  let r = nelderMead(f, thetaStart(layout), { lower: layout.lower, maxEval: control.maxEval ?? 20000, step: Float64Array.from(layout.lower, () => 0.2) });
  r = newtonPolish(f, r, layout.lower);
  const crit = f(r.x);
  const theta = Float64Array.from(r.x);
  const beta = Float64Array.from(st.beta), u = Float64Array.from(st.u);
  const sigma2 = st.pwrss / (REML ? n - p : n);
  const unsc = new Float64Array(p * p);
  unscaledBetaCov(p, st.ws, unsc);
  const vcov = unsc.map((v) => v * sigma2);
  // −2ℓ(ML) at these estimates (for REML fits, lme4's deviance(fit, REML = FALSE)).
  const devML = st.ws.ldL2 - ldW + n * (1 + Math.log((2 * Math.PI * st.pwrss) / n));
  const df = p + layout.nTheta + 1;
  const logLik = -crit / 2;
  const warnings: string[] = singularWarning(layout, theta);
  if (!r.converged) warnings.push(`the optimizer stopped after ${r.evaluations} evaluations without converging`);
  return {
    kind: "lmer", REML, beta, vcov, vcovConditional: vcov, theta, sigma: Math.sqrt(sigma2), useScale: true,
    u, b: relativeEffects(layout, theta, u), eta: Float64Array.from(st.eta), fitted: Float64Array.from(st.mu),
    logLik, df, ...informationCriteria(logLik, df, n), deviance: REML ? devML : crit, remlCriterion: REML ? crit : NaN,
    evaluations: r.evaluations, converged: r.converged, warnings, layout,
  };
}

/** glmer, nAGQ = 1: every family with a likelihood (binomial, Poisson, negative binomial with θ given, Gamma, gaussian, inverse.gaussian). */
export function fitGlmm(design: MultilevelDesign, family: Family, trials: Float64Array | null, betaStart: Float64Array, control: MultilevelControl = {}): MultilevelMlEstimate {
  if (family.quasi || family.likelihood === null) {
    throw new ArgumentError(`glmer() with the ${family.name} family is not implemented yet: it has no likelihood for the Laplace deviance (lme4 refuses quasi families too)`);
  }
  const useScale = family.dispersion === "estimated";
  checkDesign(design, false);
  const prob = problemOf(design, family, trials);
  const layout = prob.layout;
  const { n, p, q } = layout;
  const nt = layout.nTheta;
  const st = makeEvalState(makeWorkspace(layout), layout);
  const maxEval = control.maxEval ?? 20000;
  // Stage 1: θ with β inside PIRLS.
  st.beta.set(betaStart);
  const uKeep = new Float64Array(q), bKeep = Float64Array.from(betaStart);
  // PIRLS starts from the modes of the previous evaluation (from the start values after a failure).
  let warm = false;
  const f1 = (theta: Float64Array): number => {
    if (!warm) { st.u.set(uKeep); st.beta.set(bKeep); }
    const v = laplaceDeviance(prob, theta, st, true);
    warm = v < Infinity;
    return v;
  };
  const r1 = nelderMead(f1, thetaStart(layout), { lower: layout.lower, maxEval, step: Float64Array.from(layout.lower, () => 0.2), ftol: 1e-10, xtol: 1e-6 });
  f1(r1.x);
  const beta1 = Float64Array.from(st.beta);
  uKeep.set(st.u);
  // Stage 2: (θ, β) jointly, u by PIRLS from the stage-1 modes.
  const lower = new Float64Array(nt + p).fill(-Infinity);
  lower.set(layout.lower);
  warm = false;
  const f2 = (x: Float64Array): number => {
    if (!warm) st.u.set(uKeep);
    st.beta.set(x.subarray(nt));
    const v = laplaceDeviance(prob, x.subarray(0, nt), st, false);
    warm = v < Infinity;
    return v;
  };
  const x0 = new Float64Array(nt + p);
  x0.set(r1.x);
  x0.set(beta1, nt);
  const step = Float64Array.from(x0, (v, j) => (j < nt ? 0.05 : 0.05 * Math.max(Math.abs(v), 0.1)));
  // The simplex only brings (θ, β) near the optimum; Newton steps on the (smooth) deviance finish the job.
  let r2 = nelderMead(f2, x0, { lower, maxEval, step, ftol: 1e-8, xtol: 1e-3 });
  r2 = newtonPolish(f2, r2, lower, 10);
  let crit = 0, u = new Float64Array(q), eta = new Float64Array(n), fitted = new Float64Array(n);
  let conditionalDeviance = 0, converged = false;
  let hessian: Float64Array = new Float64Array(0);
  const unsc = new Float64Array(p * p);
  const warnings: string[] = [];
  for (let attempt = 0; attempt < 2; attempt++) {
    crit = f2(r2.x);
    u = Float64Array.from(st.u); eta = Float64Array.from(st.eta); fitted = Float64Array.from(st.mu);
    // lme4's deviance(glmer fit): the deviance Σ dᵢ(yᵢ, μ̃ᵢ) at the conditional modes (summary's "deviance" column is −2ℓ).
    conditionalDeviance = st.pwrss - u.reduce((s, v) => s + v * v, 0);
    converged = st.converged;
    // The RX-based covariance at the mode: the factorization left by the last evaluation.
    unscaledBetaCov(p, st.ws, unsc);
    // The Hessian's evaluations all start PIRLS from the modes at the optimum (no dependence on the path).
    uKeep.set(u);
    const fh = (x: Float64Array): number => { warm = false; return f2(x); };
    const dd = deriv12(fh, Float64Array.from(r2.x), crit, 1e-4);
    hessian = dd.hessian;
    // Converged when the Newton decrement gᵀH⁻¹g over the coordinates off their bounds is negligible.
    const free: number[] = [];
    for (let j = 0; j < nt + p; j++) if (!(r2.x[j]! - lower[j]! < 1e-6)) free.push(j);
    const Hf = new Float64Array(free.length * free.length);
    free.forEach((a, i) => free.forEach((b, k) => { Hf[i * free.length + k] = hessian[a * (nt + p) + b]!; }));
    const gf = Float64Array.from(free, (j) => dd.gradient[j]!);
    const sol = solveDense(Hf, gf, free.length);
    const decrement = sol ? sol.reduce((s, v, i) => s + v * gf[i]!, 0) : Infinity;
    if (decrement < 1e-8) break;
    if (attempt === 1) { warnings.push(`the Laplace deviance may not be at its minimum (Newton decrement ${decrement.toExponential(2)})`); break; }
    // Not there yet: a tight simplex from here, then Newton again.
    r2 = newtonPolish(f2, nelderMead(f2, r2.x, { lower, maxEval, ftol: 1e-15, xtol: 1e-10, step: Float64Array.from(r2.x, (v) => 1e-3 * Math.max(Math.abs(v), 0.1)) }), lower, 10);
  }
  const theta = Float64Array.from(r2.x.subarray(0, nt));
  const beta = Float64Array.from(r2.x.subarray(nt));
  const d = nt + p;
  const vcov = new Float64Array(p * p);
  warnings.unshift(...singularWarning(layout, theta));
  const cols: Float64Array[] = [];
  let ok = true;
  for (let j = 0; j < p; j++) {
    const e = new Float64Array(d);
    e[nt + j] = 1;
    const c = solveDense(hessian, e, d);
    if (!c) { ok = false; break; }
    cols.push(c);
  }
  if (ok) {
    for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) vcov[i * p + j] = cols[j]![nt + i]! + cols[i]![nt + j]!;
    for (let j = 0; j < p; j++) if (!(vcov[j * p + j]! > 0)) ok = false;
  }
  if (!ok) {
    warnings.push("variance-covariance matrix computed from finite-difference Hessian is not positive definite or contains NA values: falling back to var-cov estimated from RX");
    vcov.set(unsc);
  }
  if (!converged) warnings.push("PIRLS did not converge at the optimum");
  if (!r2.converged) warnings.push(`the optimizer stopped after ${r2.evaluations} evaluations without converging`);
  // Families with a dispersion (Gamma, gaussian with another link, inverse.gaussian): lme4's σ̂ = √((Σ Pearson² + ‖ũ‖²)/n)
  // (its devcomp sigmaML = √(pwrss/n)), which scales the variance components and the RX-based covariance.
  let sigma = 1;
  if (useScale) {
    let pearson = 0;
    for (let i = 0; i < n; i++) {
      const w = design.weights[i]!;
      if (w > 0) pearson += (w * (design.y[i]! - fitted[i]!) ** 2) / family.variance(fitted[i]!);
    }
    sigma = Math.sqrt((pearson + u.reduce((s, v) => s + v * v, 0)) / n);
    for (let k = 0; k < unsc.length; k++) unsc[k]! *= sigma * sigma;
    if (!ok) vcov.set(unsc);
  }
  // lme4 counts a scale parameter in the df of every family but binomial and Poisson (the negative binomial too, σ = 1).
  const df = p + nt + (family.name === "binomial" || family.name === "poisson" ? 0 : 1);
  const logLik = -crit / 2;
  return {
    kind: "glmer", REML: false, beta, vcov, vcovConditional: unsc, theta, sigma, useScale,
    u, b: relativeEffects(layout, theta, u), eta, fitted,
    logLik, df, ...informationCriteria(logLik, df, n), deviance: conditionalDeviance, remlCriterion: NaN,
    evaluations: r1.evaluations + r2.evaluations, converged: r2.converged && converged, warnings, layout,
  };
}

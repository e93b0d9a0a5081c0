/**
 * The two deviance functions lme4 optimizes.
 *
 * Linear mixed model (lme4's lmerResp::Laplace; Bates et al. 2015, eq. 34 and 41), with
 * r² the penalized weighted residual sum of squares at the PLS solution for θ:
 *   ML:   −2ℓ(θ) = log|L|² − Σ log wᵢ + n (1 + log(2π r²/n))
 *   REML: −2ℓ_R(θ) = log|L|² + log|R_X|² − Σ log wᵢ + (n − p)(1 + log(2π r²/(n − p)))
 *
 * Generalized (lme4's glmerLaplace, nAGQ = 1): for (θ, β), PIRLS finds the conditional
 * mode ũ of the spherical effects, maximizing Σ ℓᵢ(ηᵢ) − ‖u‖²/2, η = offset + Xβ + ZΛθu;
 * the Laplace approximation of −2 log ∫ p(y|u) φ(u) du is
 *   −2ℓ(θ, β) ≈ aic(y, μ̃) + ‖ũ‖² + log|L|²,
 * with family$aic (−2 Σ log p(yᵢ|μ̃ᵢ)) and L the factor at the IRLS weights wᵢμ′²/V(μ̃).
 * With `joint`, PIRLS updates β with u (lme4's nAGQ = 0 first stage).
 */
import type { Family } from "../types.js";
import {
  crossprods, factorize, linearPredictor, setTheta, solveBlock, type MixedLayout, type Workspace,
} from "./pls.js";

/** A multilevel problem in numbers (after the model frame). */
export interface MixedProblem {
  readonly layout: MixedLayout;
  /** n × p, row-major. */
  readonly X: Float64Array;
  readonly y: Float64Array;
  /** Prior weights (binomial: the trials). */
  readonly weights: Float64Array;
  readonly offset: Float64Array;
  /** Binomial trials for family$aic (R's `n`); the weights serve when null. */
  readonly trials: Float64Array | null;
  readonly family: Family;
}

/** Buffers of the evaluations of one fit. */
export interface EvalState {
  readonly ws: Workspace;
  readonly beta: Float64Array;
  readonly u: Float64Array;
  readonly eta: Float64Array;
  readonly mu: Float64Array;
  readonly wts: Float64Array;
  readonly v: Float64Array;
  readonly ru: Float64Array;
  readonly rb: Float64Array;
  readonly uTry: Float64Array;
  readonly bTry: Float64Array;
  /** Penalized weighted RSS (LMM) or penalized deviance Σ dᵢ + ‖u‖² (GLMM) at the last evaluation. */
  pwrss: number;
  /** Whether the last PIRLS converged. */
  converged: boolean;
}

export function makeEvalState(ws: Workspace, layout: MixedLayout): EvalState {
  const { n, p, q } = layout;
  return {
    ws, beta: new Float64Array(p), u: new Float64Array(q), eta: new Float64Array(n), mu: new Float64Array(n),
    wts: new Float64Array(n), v: new Float64Array(n), ru: new Float64Array(q), rb: new Float64Array(p),
    uTry: new Float64Array(q), bTry: new Float64Array(p), pwrss: NaN, converged: true,
  };
}

/** Σ log wᵢ over rows with positive weight (lme4's ldW). */
export function logWeightSum(w: Float64Array): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) if (w[i]! > 0) s += Math.log(w[i]!);
  return s;
}

/**
 * The LMM profiled deviance (ML) or REML criterion at θ; leaves β̂(θ), ũ(θ), r² and the
 * factors in st. Infinity when the factorization fails (θ outside the domain, X rank-deficient).
 */
export function lmmDeviance(prob: MixedProblem, theta: Float64Array, reml: boolean, ldW: number, st: EvalState): number {
  const { layout, X, y, weights, offset } = prob;
  const { n, p, q } = layout;
  const { ws } = st;
  setTheta(layout, theta, ws.zl);
  if (!factorize(layout, X, weights, ws)) return Infinity;
  for (let i = 0; i < n; i++) st.v[i] = weights[i]! * (y[i]! - offset[i]!);
  crossprods(layout, X, ws.zl, st.v, st.ru, st.rb);
  solveBlock(layout, ws, st.ru, st.rb, false);
  st.u.set(ws.du);
  st.beta.set(ws.db);
  linearPredictor(layout, X, offset, st.beta, st.u, ws.zl, st.eta);
  let r2 = 0;
  for (let i = 0; i < n; i++) { const r = y[i]! - st.eta[i]!; r2 += weights[i]! * r * r; st.mu[i] = st.eta[i]!; }
  for (let j = 0; j < q; j++) r2 += st.u[j]! * st.u[j]!;
  st.pwrss = r2;
  const nmp = reml ? n - p : n;
  const base = ws.ldL2 - ldW + nmp * (1 + Math.log((2 * Math.PI * r2) / nmp));
  return reml ? base + ws.ldRX2 : base;
}

const PIRLS_MAX_ITER = 100;
const PIRLS_TOL = 1e-13;
const PIRLS_STEP_TOL = 1e-11;
const PIRLS_SLACK = 1e-12;

/** μ, the IRLS weights and wᵢ(yᵢ − μᵢ)μ′ᵢ/V(μᵢ) at η; returns Σ dᵢ (deviance) or NaN for invalid μ. */
function working(prob: MixedProblem, eta: Float64Array, mu: Float64Array, wts: Float64Array, v: Float64Array): number {
  const { family, y, weights } = prob;
  const link = family.link;
  let dev = 0;
  for (let i = 0; i < eta.length; i++) {
    const m = link.linkinv(eta[i]!);
    if (!family.validMu(m) || !link.validEta(eta[i]!)) return NaN;
    const me = link.muEta(eta[i]!);
    const V = family.variance(m);
    mu[i] = m;
    wts[i] = (weights[i]! * me * me) / V;
    v[i] = (weights[i]! * (y[i]! - m) * me) / V;
    if (weights[i]! > 0) dev += family.devResid(y[i]!, m, weights[i]!);
  }
  return dev;
}

function penalizedDeviance(prob: MixedProblem, st: EvalState, beta: Float64Array, u: Float64Array): number {
  linearPredictor(prob.layout, prob.X, prob.offset, beta, u, st.ws.zl, st.eta);
  const dev = working(prob, st.eta, st.mu, st.wts, st.v);
  let uu = 0;
  for (let j = 0; j < u.length; j++) uu += u[j]! * u[j]!;
  return dev + uu;
}

/**
 * PIRLS at θ from the current (u, β) in st (β updated too when `joint`), then the Laplace
 * deviance. Step halving on the penalized deviance; converged when it changes by less
 * than 1e-13 relative and the last step moved (u, β) by less than 1e-11 relative.
 * Infinity when no valid step is found.
 */
export function laplaceDeviance(prob: MixedProblem, theta: Float64Array, st: EvalState, joint: boolean): number {
  const { layout, X } = prob;
  const { ws } = st;
  const q = layout.q, p = layout.p;
  setTheta(layout, theta, ws.zl);
  let pdev = penalizedDeviance(prob, st, st.beta, st.u);
  if (!(pdev === pdev)) { st.u.fill(0); pdev = penalizedDeviance(prob, st, st.beta, st.u); }
  if (!(pdev === pdev)) return Infinity;
  st.converged = false;
  for (let it = 0; it < PIRLS_MAX_ITER; it++) {
    if (!factorize(layout, X, st.wts, ws)) return Infinity;
    crossprods(layout, X, ws.zl, st.v, st.ru, st.rb);
    for (let j = 0; j < q; j++) st.ru[j] -= st.u[j]!;
    solveBlock(layout, ws, st.ru, st.rb, !joint);
    let accepted = false, next = pdev;
    for (let s = 1, h = 0; h < 30; h++, s /= 2) {
      for (let j = 0; j < q; j++) st.uTry[j] = st.u[j]! + s * ws.du[j]!;
      for (let j = 0; j < p; j++) st.bTry[j] = st.beta[j]! + (joint ? s * ws.db[j]! : 0);
      next = penalizedDeviance(prob, st, st.bTry, st.uTry);
      // Slack for rounding: near the mode the decrease of a Fisher-scoring step is below the rounding of the
      // penalized deviance, and refusing such steps would leave the modes (hence log|L|²) off by ~1e-8.
      if (next === next && next <= pdev + PIRLS_SLACK * (Math.abs(pdev) + 1)) { accepted = true; break; }
    }
    if (!accepted) {
      penalizedDeviance(prob, st, st.beta, st.u);
      st.converged = Math.abs(next - pdev) < 1e-10 * (Math.abs(pdev) + 1);
      break;
    }
    let moved = 0, size = 1;
    for (let j = 0; j < q; j++) { moved = Math.max(moved, Math.abs(st.uTry[j]! - st.u[j]!)); size = Math.max(size, Math.abs(st.uTry[j]!)); }
    for (let j = 0; j < p; j++) { moved = Math.max(moved, Math.abs(st.bTry[j]! - st.beta[j]!)); size = Math.max(size, Math.abs(st.bTry[j]!)); }
    st.u.set(st.uTry);
    st.beta.set(st.bTry);
    const change = Math.abs(pdev - next);
    pdev = next;
    // The Laplace term log|L|² is not stationary in u: the modes must be exact, not only the penalized deviance.
    if (change <= PIRLS_TOL * (Math.abs(pdev) + 0.1) && moved <= PIRLS_STEP_TOL * size) { st.converged = true; break; }
  }
  // The factor at the weights of the mode (penalizedDeviance left μ̃ and wᵢμ′²/V in st).
  if (!factorize(layout, X, st.wts, ws)) return Infinity;
  st.pwrss = pdev;
  let uu = 0;
  for (let j = 0; j < q; j++) uu += st.u[j]! * st.u[j]!;
  const trials = prob.trials ?? prob.weights;
  const aic = prob.family.aic(prob.y, trials, st.mu, prob.weights, pdev - uu);
  return aic + uu + ws.ldL2;
}

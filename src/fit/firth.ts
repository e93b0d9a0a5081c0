/**
 * Firth-type bias reduction for GLMs, in the two forms brglm2 offers, solved by
 * the same quasi-Fisher scoring iteration for every family and link with a
 * likelihood (binomial, Poisson, negative binomial with θ given, gaussian, Gamma,
 * inverse Gaussian):
 *
 * - `"AS_mean"` (mean bias reduction; Firth 1993, Kosmidis & Firth 2009 [2]): the
 *   root of the adjusted score U*(β) = U(β) + A(β) with
 *     A_j = Σᵢ ½ hᵢ (μ″ᵢ/μ′ᵢ) x_ij,
 *   which removes the O(1/n) bias of the estimator; for gaussian, Gamma and
 *   inverse Gaussian the dispersion is bias-reduced too:
 *     A_φ = (p − 2)/(2φ) + s₁/(2φ² s₂),  s₁ = Σ w³ a‴(−w/φ), s₂ = Σ w² a″(−w/φ).
 * - `"MPL_Jeffreys"` (Jeffreys-prior penalised likelihood): the maximiser of
 *   ℓ(β, φ) + ½ log|I(β, φ)|, whose score adjustment is
 *     A_j = Σᵢ ½ hᵢ (2μ″ᵢ/μ′ᵢ − V′(μᵢ) μ′ᵢ/V(μᵢ)) x_ij,
 *     A_φ = −(p + 4)/(2φ) + s₁/(2φ² s₂).
 *
 * Here hᵢ are the hat values of √W·X (W = w μ′²/V), μ′ = dμ/dη, μ″ = d²μ/dη².
 * For a canonical link μ′ = V and μ″ = V′V, so the two β adjustments are equal
 * (Firth 1993 [1]); they then give the same fit exactly when φ is fixed
 * (binomial-logit, Poisson-log). With an estimated dispersion the φ adjustments
 * differ, and β follows φ, so even Gamma-inverse differs.
 *
 * The iteration is brglm2 0.9's (R/brglmFit.R [3]): start from the ML fit to
 * responses nudged away from the boundary (binomial y → (wy + p/2n)/(w + p/n),
 * Poisson y → y + p/2n), the dispersion from its ML equation; then
 *   β ← β + φ (XᵀWX)⁻¹ U*(β),   φ ← φ + U*_φ / I_φφ
 * with brglm2's step control: within an iteration, while the new step is longer
 * (in Σ|step|) than the previous one, a half step is taken from the new point, at
 * most 12 times; the first iteration always takes a second, half step. One
 * addition: a step that leaves the family's or link's domain (or makes XᵀWX
 * singular) is halved back from where it started. Convergence is declared when the
 * step's length in the Fisher metric, √(stepᵀ I step), falls below `epsilon`
 * (default 1e-10): a scale-free version of brglm2's Σ|step| < epsilon, tight
 * enough that the answer is the root of the adjusted score to rounding. The
 * loop, the step control's bookkeeping and the status warnings are the shared
 * pipeline's (newton.ts); Firth enters only as a score adjustment in `evaluate`.
 *
 * Standard errors are brglm2's summary(): √diag(φ (XᵀWX)⁻¹) at the estimate, with
 * z statistics and normal p-values for every family (summary.brglmFit passes the
 * dispersion to summary.glm, which then reports z, not t).
 *
 * References:
 * [1] Firth, D. (1993). Bias reduction of maximum likelihood estimates.
 *     Biometrika 80, 27–38.
 * [2] Kosmidis, I. and Firth, D. (2009). Bias reduction in exponential family
 *     nonlinear models. Biometrika 96, 793–804.
 * [3] Kosmidis, I. brglm2 0.9: Bias reduction in generalized linear models,
 *     R/brglmFit.R (brglmFit, AS_mean_adjustment, AS_Jeffreys_adjustment).
 */
import { ArgumentError, DataError, NumericalError } from "../errors.js";
import { exactFit, type GlmProblem } from "./ml-fit.js";
import { irls } from "./irls.js";
import { coefficientTable, type CoefficientRow } from "./inference.js";
import { dispersionModelOf } from "./dispersion-model.js";
import { sharedFloat64 } from "../linalg/parallel-crossprod.js";
import { choleskyLogDet, scatteredInverse } from "../linalg/cholesky.js";
import { Workspace, evaluate, fitKernels, fullRankScreen, mlDispersion, momentDispersion, weightGroups, type EvalStatus, type Setup } from "./adjusted-score.js";
import { newton, statusWarnings, type IterationRecord, type NewtonMethod, type NewtonRun, type StepControl } from "./newton.js";
import { qrKeptColumns } from "../linalg/qr-columns.js";

/** brglm2's `type`: mean bias reduction or the Jeffreys-prior penalised likelihood. */
export type BiasReductionType = "AS_mean" | "MPL_Jeffreys";

/** The types fitBiasReduced accepts. */
export const BIAS_REDUCTION_TYPES: readonly BiasReductionType[] = ["AS_mean", "MPL_Jeffreys"];

export interface BiasReductionOptions {
  /** "AS_mean" (Firth's mean bias reduction) or "MPL_Jeffreys" (Jeffreys-prior MAP). */
  type: BiasReductionType;
  /** Maximum number of scoring iterations (default 1000). */
  maxit?: number;
  /** Tolerance on the Fisher-metric length of the step, √(stepᵀ I step) (default 1e-10). */
  epsilon?: number;
  /** Starting coefficients (length p, as columns), optionally followed by a starting dispersion (length p + 1). */
  start?: ArrayLike<number> | null;
  /** Most step halvings per iteration (brglm2's max_step_factor, default 12). */
  maxStepFactor?: number;
}

export interface BiasReducedFit {
  type: BiasReductionType;
  problem: GlmProblem;
  /** Estimate, SE, z and p as brglm2's summary() reports them (z and normal p for every family). */
  coefficients: CoefficientRow[];
  /** Coefficients in column order; NaN where aliased. */
  coef: Float64Array;
  /** aliased[j] = 1 when column j is linearly dependent on earlier ones (R's qr(X), tol 1e-7). */
  aliased: Uint8Array;
  rank: number;
  /** φ (XᵀWX)⁻¹ at the estimate, p×p row-major, NaN in aliased rows and columns. */
  covariance: Float64Array;
  /** (XᵀWX)⁻¹, p×p row-major, NaN in aliased rows and columns. */
  covUnscaled: Float64Array;
  /** Bias-reduced (AS_mean) or penalised-likelihood (MPL_Jeffreys) dispersion; 1 when fixed; NaN when df.residual = 0 (brglm2: NA). */
  dispersion: number;
  dispersionEstimated: boolean;
  /** √(1/I_φφ), brglm2's √vcov(fit, model = "dispersion"); null when φ is fixed. */
  dispersionSe: number | null;
  eta: Float64Array;
  mu: Float64Array;
  /** W = w μ′²/V at the estimate (0 for zero prior weight). */
  workingWeights: Float64Array;
  /** Diagonal of the hat matrix of √W·X at the estimate. */
  hatValues: Float64Array;
  deviance: number;
  /** family aic at the fit + 2·rank (brglm2's fit$aic). */
  aic: number;
  /** ℓ(β̂, φ̂) with the exact densities (Gamma shape w/φ, inverse Gaussian λ = w/φ, normal variance φ/w). */
  logLik: number;
  /** ½ log|I(β̂, φ̂)|, I = [XᵀWX/φ, 0; 0, I_φφ] (no φ block when φ is fixed). */
  halfLogDetInformation: number;
  /** ℓ + ½ log|I|, the objective MPL_Jeffreys maximises; null for AS_mean unless the two forms coincide. */
  penalisedLogLik: number | null;
  dfResidual: number;
  /** Observations with non-zero prior weight. */
  nObs: number;
  iterations: number;
  converged: boolean;
  /** Adjusted score U*(β̂) in column order (NaN where aliased). */
  adjustedScore: Float64Array;
  /** Adjusted score of the dispersion, U*_φ; null when φ is fixed or not estimable. */
  adjustedScoreDispersion: number | null;
  /** max |adjusted score| over β and φ at the end. */
  maxAbsAdjustedScore: number;
  /** √(stepᵀ I step) of the last step (the convergence criterion). */
  stepLength: number;
  warnings: string[];
  /** Per iteration: step-factor halvings and the Fisher length of the new step. */
  history: IterationRecord[];
  /** True when AS_mean and MPL_Jeffreys coincide here: canonical link and dispersion fixed at 1. */
  canonical: boolean;
  /** True when the link is the family's canonical link. */
  canonicalLink: boolean;
}

/**
 * brglm2's starting coefficients: the ML fit (glm.fit) to the data with the
 * response nudged off the boundary by a = rank/n, so that separated binomial or
 * zero Poisson data still give finite starting values.
 */
function startingCoefficients(s: Setup, problem: GlmProblem): Float64Array {
  const { X, n, r, y, weights, offset, family } = s;
  const a = r / n;
  const { y: yAdj, weights: wAdj } = family.nudgeResponse(y, weights, a);
  const fit = irls(
    { X, n, p: r, y: yAdj, weights: wAdj, offset, family },
    { epsilon: 1e-8, maxit: 10000, mustart: problem.mustart ?? family.startMu(y, weights) },
  );
  const beta = Float64Array.from(fit.coef);
  for (let j = 0; j < r; j++) if (!Number.isFinite(beta[j]!)) beta[j] = 0;
  return beta;
}

function checkProblem(problem: GlmProblem): void {
  const { X, n, p, y, weights, offset } = problem;
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`problem.n must be a positive integer; got ${n}`);
  if (!Number.isInteger(p) || p < 1) throw new ArgumentError(`problem.p must be a positive integer (the design has no columns); got ${p}`);
  if (X.length !== n * p) throw new ArgumentError(`problem.X has length ${X.length}, but n × p = ${n * p}`);
  if (y.length !== n) throw new ArgumentError(`problem.y has length ${y.length}, but n = ${n}`);
  if (weights.length !== n) throw new ArgumentError(`problem.weights has length ${weights.length}, but n = ${n}`);
  if (offset !== null && offset.length !== n) throw new ArgumentError(`problem.offset has length ${offset.length}, but n = ${n}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]!)) throw new DataError(`y is not finite in row ${i + 1}: ${y[i]}`, { row: i + 1 });
    if (!(weights[i]! >= 0) || !Number.isFinite(weights[i]!))
      throw new DataError(`prior weight in row ${i + 1} must be finite and ≥ 0; got ${weights[i]}`, { row: i + 1 });
    if (offset !== null && !Number.isFinite(offset[i]!))
      throw new DataError(`offset is not finite in row ${i + 1}: ${offset[i]}`, { row: i + 1 });
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(X[i * p + j]!)) {
        const column = problem.columnNames[j] ?? `column ${j + 1}`;
        throw new DataError(`design column "${column}" is not finite in row ${i + 1}`, { row: i + 1, column });
      }
    }
  }
  problem.family.checkY(y, weights);
}

function checkOptions(options: BiasReductionOptions): { maxit: number; epsilon: number; maxStepFactor: number } {
  if (options === null || typeof options !== "object" || !BIAS_REDUCTION_TYPES.includes(options.type)) {
    throw new ArgumentError(
      `type must be "AS_mean" (mean bias reduction) or "MPL_Jeffreys" (Jeffreys-prior penalised likelihood); got ${String(options?.type)}`,
    );
  }
  const maxit = options.maxit ?? 1000;
  const epsilon = options.epsilon ?? 1e-10;
  const maxStepFactor = options.maxStepFactor ?? 12;
  if (!Number.isInteger(maxit) || maxit < 0) throw new ArgumentError(`maxit must be an integer ≥ 0; got ${maxit}`);
  if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new ArgumentError(`epsilon must be a positive number; got ${epsilon}`);
  if (!Number.isInteger(maxStepFactor) || maxStepFactor < 1)
    throw new ArgumentError(`maxStepFactor must be an integer ≥ 1; got ${maxStepFactor}`);
  return { maxit, epsilon, maxStepFactor };
}

/** The reduced problem: aliased columns dropped (as brglm2 does), residual degrees of freedom, the Setup. */
interface Reduced {
  setup: Setup;
  kept: Int32Array;
  aliased: Uint8Array;
  nObs: number;
  dfResidual: number;
  /** Whether the design is on a SharedArrayBuffer (the crossproducts then run in parallel). */
  shared: boolean;
}

function reduce(problem: GlmProblem, jeffreys: boolean): Reduced {
  const { family, n, p, y, weights, offset } = problem;
  const model = dispersionModelOf(family);
  // The design's kernels, built once per fit (the design is copied into their memory for SIMD).
  let kernels = fitKernels(problem.X, n, p, offset);
  // R's qr(X), tol 1e-7, as brglm2 checks aliasing; skipped when XᵀX shows every column clearly kept.
  const { kept, aliased } = fullRankScreen(kernels, n, p)
    ? { kept: Int32Array.from({ length: p }, (_, j) => j), aliased: new Uint8Array(p) }
    : qrKeptColumns(problem.X, p, n);
  const r = kept.length;
  let X = problem.X;
  const shared = typeof SharedArrayBuffer !== "undefined" && problem.X.buffer instanceof SharedArrayBuffer;
  if (r < p) {
    X = shared ? sharedFloat64(n * r) : new Float64Array(n * r);
    for (let i = 0; i < n; i++) for (let k = 0; k < r; k++) X[i * r + k] = problem.X[i * p + kept[k]!]!;
    kernels = fitKernels(X, n, r, offset); // the reduced design's
  }
  let nObs = 0;
  for (let i = 0; i < n; i++) if (weights[i]! > 0) nObs++;
  const dfResidual = nObs - r;
  const groups = weightGroups(weights);
  const setup: Setup = {
    X, n, r, y, weights, offset: kernels.offset, kernels, family, model, jeffreys,
    updatePhi: model !== null && dfResidual > 0, weightValues: groups.values, weightCounts: groups.counts,
  };
  return { setup, kept, aliased, nObs, dfResidual, shared };
}

/**
 * Starting (β, φ): the caller's (columns, optionally a dispersion last), else
 * brglm2's (ML fit to nudged responses); φ from its ML equation when not given.
 * Throws ArgumentError when the start is malformed or cannot be evaluated.
 */
function startingPoint(
  red: Reduced, problem: GlmProblem, start: ArrayLike<number> | null, ws: Workspace,
): { beta: Float64Array; phi: number } {
  const { setup, kept } = red;
  const { p } = problem;
  const r = kept.length;
  let beta: Float64Array;
  let phi = 1;
  let phiGiven = false;
  if (start !== null) {
    if (start.length !== p && start.length !== p + 1)
      throw new ArgumentError(
        `start has length ${start.length}; give ${p} coefficients (${problem.columnNames.join(", ")}), or ${p + 1} with a starting dispersion last`,
      );
    for (let j = 0; j < start.length; j++)
      if (!Number.isFinite(start[j]!)) throw new ArgumentError(`start[${j}] is not finite: ${start[j]}`);
    beta = new Float64Array(r);
    for (let k = 0; k < r; k++) beta[k] = start[kept[k]!]!;
    if (start.length === p + 1) {
      if (!(start[p]! > 0)) throw new ArgumentError(`the starting dispersion start[${p}] must be positive; got ${start[p]}`);
      phi = start[p]!;
      phiGiven = true;
    }
  } else {
    beta = startingCoefficients(setup, problem);
  }
  if (setup.model !== null && !phiGiven && red.dfResidual > 0) {
    setup.kernels.k.xbeta(beta, setup.offset, ws.eta, 0, setup.n);
    for (let i = 0; i < setup.n; i++) ws.mu[i] = setup.family.link.linkinv(ws.eta[i]!);
    phi = mlDispersion(setup, ws.mu) ?? momentDispersion(setup);
  }
  const status = evaluate(setup, ws, beta, phi);
  if (status !== "ok") {
    const which = start !== null ? "the start values given" : "brglm2's starting values (the ML fit to the response nudged off the boundary)";
    const remedy = start !== null
      ? "give other start values"
      : `a column of the design (${problem.columnNames.join(", ")}) may be zero or too small to resolve on the rows with weight: rescale or drop it, or pass start values`;
    throw new ArgumentError(
      status === "singular"
        ? `the information matrix XᵀWX is singular at ${which}: ${remedy}`
        : `${which} give an invalid linear predictor or mean for this family and link: ${start !== null ? "give other start values" : "pass start values"}`,
    );
  }
  return { beta, phi };
}

/** The current point (β, φ), where the step started, and the status of the last evaluation. */
interface ScoringState {
  beta: Float64Array;
  phi: number;
  beta0: Float64Array;
  phi0: number;
  prevStep: Float64Array;
  prevAbsSum: number;
  status: EvalStatus;
}

/**
 * brglm2's quasi-Fisher scoring as a configuration of the pipeline: the direction
 * is the adjusted-score step in ws (computed by every evaluation), the step
 * control brglm2's step factor, convergence the Fisher length of the new step.
 */
function scoringMethod(
  s: Setup, ws: Workspace, st: ScoringState, maxit: number, epsilon: number, maxStepFactor: number,
): NewtonMethod {
  const r = s.r;
  /** β ← β + scale·step (φ too), from the current point along its own step; evaluated. */
  const takeStep = (scale: number): void => {
    st.beta0.set(st.beta);
    st.phi0 = st.phi;
    st.prevStep.set(ws.stepBeta);
    const prevStepPhi = ws.stepPhi;
    st.prevAbsSum = ws.stepAbsSum;
    for (let k = 0; k < r; k++) st.beta[k] = st.beta[k]! + scale * st.prevStep[k]!;
    if (s.updatePhi) st.phi = st.phi + scale * prevStepPhi;
    st.status = evaluate(s, ws, st.beta, st.phi);
  };
  /** Our addition to brglm2: back off from a point outside the domain to where the step started. */
  const retreat = (): void => {
    st.beta.set(st.beta0);
    st.phi = st.phi0;
    if (evaluate(s, ws, st.beta, st.phi) !== "ok")
      throw new NumericalError("internal: a point evaluated before could not be evaluated again");
    st.status = "ok";
  };
  const stepFactor: StepControl = {
    // brglm2 tries step factors 0 … max_step_factor − 1.
    maxHalvings: maxStepFactor - 1,
    // testhalf: always a second, half step in the first iteration; then while the new step is longer.
    accepts: (iter, k) => st.status === "ok" && !(k === 0 && iter === 1) && !(ws.stepAbsSum > st.prevAbsSum),
    shorten(k) {
      if (st.status !== "ok") retreat();
      takeStep(2 ** -k);
    },
    exhausted() {
      if (st.status === "ok") return null;
      const failure = st.status === "singular"
        ? "failed to invert the information matrix"
        : "every halving of the step left the domain of the family or link";
      retreat();
      return failure;
    },
  };
  return {
    maxit,
    convergedAtStart: () => ws.stepLength < epsilon,
    propose() {
      takeStep(1);
      return null;
    },
    stepControl: [stepFactor],
    converged: () => ({ converged: ws.stepLength < epsilon, criterion: ws.stepLength }),
  };
}

/**
 * Bias-reduced GLM fit, brglm2's `glm(..., method = "brglmFit", type)` for
 * type "AS_mean" (Firth / Kosmidis–Firth mean bias reduction) or "MPL_Jeffreys"
 * (maximum of ℓ + ½ log|I|, the Jeffreys-prior MAP). Throws a FamilyError for
 * quasi families and Tweedie (no likelihood), ArgumentError/DataError for bad
 * input; numerical trouble (non-convergence) is reported in `warnings`.
 *
 * @example
 * // endometrial data, HG ~ NV + PI + EH, binomial logit (NV quasi-separated):
 * fitBiasReduced(problem, { type: "AS_mean" }).coef // ≈ [3.7746, 2.9293, −0.03475, −2.6042] (brglm2)
 */
export function fitBiasReduced(problem: GlmProblem, options: BiasReductionOptions): BiasReducedFit {
  const { maxit, epsilon, maxStepFactor } = checkOptions(options);
  checkProblem(problem);
  const red = reduce(problem, options.type === "MPL_Jeffreys");
  const { setup } = red;
  const ws = new Workspace(setup.n, setup.r, setup.kernels);
  const { beta, phi } = startingPoint(red, problem, options.start ?? null, ws);
  const st: ScoringState = {
    beta, phi, beta0: new Float64Array(setup.r), phi0: phi, prevStep: new Float64Array(setup.r), prevAbsSum: Number.NaN, status: "ok",
  };
  // An exact fit of a dispersion family (every residual at rounding level) has φ̂ = 0: the
  // score adjustment φ·A vanishes, so the bias-reduced β is the exact fit itself; iterating
  // would only chase φ towards 0 (brglm2 fails here: "failed to invert the information matrix").
  const exact = setup.model !== null && red.dfResidual > 0 && exactFit(setup.y, ws.mu, setup.weights);
  if (exact) {
    setup.updatePhi = false;
    st.phi = 1;
    if (evaluate(setup, ws, st.beta, 1) !== "ok") throw new NumericalError("internal: the exact starting fit could not be evaluated again");
  }
  const run: NewtonRun = exact
    ? { iterations: 0, converged: true, boundary: false, stopped: null, warnings: [EXACT_FIT_WARNING], history: [] }
    : newton(scoringMethod(setup, ws, st, maxit, epsilon, maxStepFactor));
  const noDf = setup.model !== null && red.dfResidual <= 0;
  statusWarnings(
    run,
    () => `bias-reduced fit (${options.type}) did not converge in ${run.iterations} iterations: the last step had Fisher length ${ws.stepLength.toExponential(2)} (epsilon ${epsilon}); try a larger maxit or other start values`,
    null,
    noDf ? "no residual degrees of freedom: the dispersion cannot be estimated (NaN)" : null,
    setup.family.fittedWarning(ws.mu),
  );
  return biasReducedRecord(problem, options.type, red, ws, st, run, exact);
}

const EXACT_FIT_WARNING =
  "the fit is exact (every residual is at rounding level): the dispersion's estimate is 0, so the bias-reduced fit is the exact fit " +
  "(the score adjustment vanishes with the dispersion), the likelihood is unbounded (AIC -Inf, log-likelihood +Inf) and the standard " +
  "errors would be 0: the standard errors, statistics and p-values are NaN (brglm2 fails on such data)";

/** ℓ(β̂, φ̂) with the exact densities, the deviance, brglm2's aic and ½ log|I| at the estimate. */
function likelihoodSummary(
  problem: GlmProblem, s: Setup, ws: Workspace, dispersion: number,
): { deviance: number; aic: number; logLik: number; halfLogDetInformation: number } {
  const { n, y, weights, family, model, r } = s;
  const mu = ws.mu;
  let deviance = 0;
  for (let i = 0; i < n; i++) deviance += family.devResid(y[i]!, mu[i]!, weights[i]!);
  const trials = problem.trials ?? new Float64Array(n).fill(1);
  const aic = family.aic(y, trials, mu, weights, deviance) + 2 * r;
  let logLik = 0;
  for (let i = 0; i < n; i++) {
    const wi = weights[i]!;
    if (!(wi > 0)) continue;
    logLik += model === null ? family.logLikObs(y[i]!, mu[i]!, wi, 1) : model.logDensity(y[i]!, mu[i]!, wi, dispersion);
  }
  const halfLogDetInformation =
    0.5 * (choleskyLogDet(ws.R, r) - r * Math.log(dispersion) + (s.updatePhi ? Math.log(ws.infoPhi) : 0));
  return { deviance, aic, logLik, halfLogDetInformation };
}

/** The fit record at the estimate (ws holds its quantities: every path ends with an evaluation at β). */
function biasReducedRecord(
  problem: GlmProblem, type: BiasReductionType, red: Reduced, ws: Workspace, st: ScoringState, run: NewtonRun, exact: boolean,
): BiasReducedFit {
  const { setup, kept, aliased, dfResidual } = red;
  const { r, model, family } = setup;
  const { p } = problem;
  const dispersion = exact ? 0 : model === null ? 1 : dfResidual > 0 ? st.phi : Number.NaN;
  const covUnscaled = scatteredInverse(ws.R, kept, p);
  // an exact fit: the covariance φ(XᵀWX)⁻¹ would be 0, which is no standard error (NaN, with the warning)
  const covariance = scatteredInverse(ws.R, kept, p, exact ? Number.NaN : dispersion);
  const coef = new Float64Array(p).fill(Number.NaN);
  const adjustedScore = new Float64Array(p).fill(Number.NaN);
  let maxAbsAdjustedScore = 0;
  for (let k = 0; k < r; k++) {
    coef[kept[k]!] = st.beta[k]!;
    const g = exact ? 0 : ws.b[k]! / st.phi;
    adjustedScore[kept[k]!] = g;
    maxAbsAdjustedScore = Math.max(maxAbsAdjustedScore, Math.abs(g));
  }
  const adjustedScoreDispersion = setup.updatePhi ? ws.scorePhi : null;
  if (adjustedScoreDispersion !== null)
    maxAbsAdjustedScore = Math.max(maxAbsAdjustedScore, Math.abs(adjustedScoreDispersion));
  const lik = exact
    ? { ...likelihoodSummary(problem, setup, ws, 1), aic: -Infinity, logLik: Infinity, halfLogDetInformation: Infinity }
    : likelihoodSummary(problem, setup, ws, dispersion);
  const warnings = [...run.warnings];
  if (!exact && !(Number.isFinite(lik.logLik) && Number.isFinite(lik.aic))) {
    const r = family.aicWarnings(setup.y, setup.weights);
    warnings.push(...(r.length > 0 ? r : [
      `the AIC is ${lik.aic} and the log-likelihood ${lik.logLik}: the ${family.name} log-likelihood is not finite at the fitted means (a response on the edge of the family's support, or a fitted mean that reached it?)`,
    ]));
  }
  const coefficients = coefficientTable(problem.columnNames, coef, aliased, covariance, false, dfResidual);
  if (!exact && !Number.isNaN(dispersion)) warnings.push(...unusableStandardErrors(coefficients));
  const canonicalLink = family.canonical;
  const canonical = canonicalLink && model === null;
  return {
    type, problem,
    coefficients,
    coef, aliased, rank: r, covariance, covUnscaled, dispersion,
    dispersionEstimated: model !== null,
    dispersionSe: setup.updatePhi ? Math.sqrt(1 / ws.infoPhi) : null,
    eta: Float64Array.from(ws.eta),
    mu: Float64Array.from(ws.mu),
    workingWeights: Float64Array.from(ws.W),
    hatValues: Float64Array.from(ws.hat),
    ...lik,
    penalisedLogLik: setup.jeffreys || canonical ? lik.logLik + lik.halfLogDetInformation : null,
    dfResidual, nObs: red.nObs,
    iterations: run.iterations, converged: run.converged,
    adjustedScore, adjustedScoreDispersion, maxAbsAdjustedScore,
    stepLength: ws.stepLength, warnings, canonical, canonicalLink, history: run.history,
  };
}

/**
 * A standard error of 0 or ±Infinity is no standard error (the information matrix is
 * numerically singular or its inverse overflows at the estimate): NaN, with the
 * statistic and p-value, under one warning naming the coefficients. Rows are edited
 * in place; returns the warning (or none).
 */
function unusableStandardErrors(rows: CoefficientRow[]): string[] {
  const bad: string[] = [];
  rows.forEach((r, j) => {
    if (r.aliased || (r.se !== null && r.se > 0 && Number.isFinite(r.se))) return;
    bad.push(`${r.name} (SE ${r.se})`);
    rows[j] = { ...r, se: NaN, statistic: NaN, p_value: NaN };
  });
  if (bad.length === 0) return [];
  return [
    `no standard errors for ${bad.join(", ")}: the information matrix XᵀWX is numerically singular at the estimate (working weights that underflow: fitted means at the edge of the family's range, or predictors too badly scaled), so the standard errors, statistics and p-values are NaN`,
  ];
}

/**
 * One line saying which form was fitted and whether the other form gives the same
 * answer here (for CLI and summary output).
 * @example biasReductionLabel(fit) // "mean bias reduction (Firth; brglm2 AS_mean): the same as the Jeffreys-prior MAP (MPL_Jeffreys) here, binomial with its canonical logit link"
 */
export function biasReductionLabel(fit: BiasReducedFit): string {
  const family = fit.problem.family;
  const link = family.link.name;
  const what =
    fit.type === "AS_mean"
      ? "mean bias reduction (Firth; brglm2 AS_mean)"
      : "Jeffreys-prior penalised likelihood (MAP under jeffreys(); brglm2 MPL_Jeffreys)";
  const other = fit.type === "AS_mean" ? "the Jeffreys-prior MAP (MPL_Jeffreys)" : "mean bias reduction (AS_mean)";
  if (fit.canonical) return `${what}: the same as ${other} here, ${family.name} with its canonical ${link} link`;
  const why = fit.canonicalLink
    ? `the ${link} link is canonical, but the dispersion of ${family.name} is estimated and the two adjust it differently`
    : `${link} is not the canonical link of ${family.name}`;
  return `${what}: differs from ${other} here (${why})`;
}

/**
 * Maximum a posteriori (MAP) fit of a GLM: the exact mode of the penalised
 * log-likelihood ℓ(β, a) + log p(β) + log p(a) over θ = (β, u = log a), by
 * Newton/IRLS steps with step halving on the log posterior.
 *
 * Each iteration takes the Newton direction d = (−∇²)⁻¹∇ when −∇² is positive
 * definite; otherwise (non-log-concave priors such as Student-t and Cauchy far
 * from the mode, non-canonical links with large residuals) it falls back to
 * Fisher scoring, d = M⁻¹∇ with M the IRLS matrix XᵀWX (R's working weights
 * W = wμ′²/(φV), exactly as the ML fit) plus max(−prior″, 0) on the diagonal and
 * the expected information of u (`GlmLogPosterior.scoringMatrix`). β and u are
 * updated jointly: β and the dispersion are orthogonal (the expected cross
 * information is 0), so the scoring matrix is block diagonal and a joint step is
 * the same as alternating ones, while the Newton step uses the observed cross terms
 * and converges quadratically. The step is halved until the log posterior
 * increases (up to 16ε(|f| + 1)), which guarantees ascent for any prior. Near the
 * mode a full Newton step whose predicted gain ½gᵀd is below 1e-11(|f| + 1) is
 * accepted unless f drops by more than 1e-8(|f| + 1): there f is a sum of large
 * cancelling terms whose rounding (~1e-12 for an inverse-Gaussian fit with
 * λ ≈ 5000) exceeds the gain, while the gradient still resolves the step.
 * Convergence: max_j |g_j|·√C_jj < tol with C = (−∇²)⁻¹ (the Newton step in
 * posterior standard deviations; a coordinate whose Newton step is below 4ε|θ_j|
 * also counts as converged, since no double is closer to the mode) and
 * ½gᵀC g ≤ 1e-12(|f| + 0.1), the predicted remaining change of the log posterior.
 *
 * The loop, the backtracking's bookkeeping and the status warnings are the shared
 * pipeline's (newton.ts); the prior enters only as a penalty in the log posterior's
 * gradient and Hessian (`glmLogPosterior`).
 *
 * Existence of the mode (`checkModeExists`, before iterating): with improper (flat)
 * priors on a set F of coefficients, the log posterior has no mode when the
 * likelihood has a direction of recession d supported on F (d_j = 0 off F): along d
 * the flat priors are constant, the others unchanged, and ℓ increases strictly, so
 * its supremum is not attained. Such a d is exactly a separation (or zero-count)
 * direction of the design restricted to the columns F, which src/separation.ts checks
 * (exact column checks, and the LP when affordable). Without one, a mode exists for
 * the binomial and count families (ℓ is bounded above there and every proper prior's
 * log density tends to −∞). fitMap then throws NoModeError rather than report the
 * point where the iteration stopped (under complete separation the MAP of flat priors
 * "converges" at |β| ~ 90 with SEs ~ 10⁹).
 *
 * SEs are √diag((−∇²)⁻¹) at the mode on θ (the true Hessian, priors included); the
 * SE of a = eᵘ is the delta method a·se(u) (exact for the inverse Hessian in a at a
 * mode, where the gradient vanishes).
 *
 * References: [1] Gelman, Jakulin, Pittau & Su (2008), A weakly informative default
 * prior distribution for logistic and other regression models, Ann. Appl. Stat. 2,
 * 1360–1383 (penalised IRLS); [2] Nocedal & Wright (2006), Numerical Optimization,
 * 2nd ed., §3.1 (backtracking), §3.4 (Newton with a positive-definite modification);
 * [3] McCullagh & Nelder (1989), §2.5 (IRLS as Fisher scoring).
 */
import type { GlmProblem } from "./ml-fit.js";
import { irls, type IrlsResult } from "./irls.js";
import { coefficientTable, type CoefficientRow } from "./inference.js";
import { newton, statusWarnings, type Convergence, type IterationRecord, type NewtonMethod, type NewtonRun, type StepControl } from "./newton.js";
import { choleskyInPlace, choleskySolveInPlace, scatteredInverse } from "../linalg/cholesky.js";
import { ArgumentError, ImproperPosteriorError, NoModeError, NumericalError } from "../errors.js";
import { qrKeptColumns } from "../linalg/qr-columns.js";
import { checkInfiniteEstimates, LP_AUTO_LIMIT } from "../separation.js";
import { usesJeffreys } from "../priors/index.js";
import { glmLogPosterior, interceptCentring, type AuxName, type GlmLogPosterior, type GlmPriors } from "../likelihood/log-posterior.js";

export interface MapControl {
  /** Maximum number of Newton/IRLS iterations (default 100). */
  maxit?: number;
  /** Convergence tolerance on max_j |g_j|·se_j (default 1e-9). */
  tol?: number;
  /** Start: θ = (β, log a) of length dim, or β of length p (the aux then starts at a moment estimate). */
  start?: ArrayLike<number> | null;
  /**
   * Maximise the density of θ = (β, log a), Jacobian included (true), instead of the
   * penalised log-likelihood of (β, a) (false, default: the mode Stan's `optimizing`,
   * brglm2's MPL_Jeffreys and the R references report). Only matters with an aux parameter.
   */
  jacobian?: boolean;
}

/** The auxiliary parameter at the mode. */
export interface MapAux {
  name: AuxName;
  estimate: number;
  /** Delta method from the log scale: a·se(log a). */
  se: number;
  logEstimate: number;
  logSe: number;
}

export interface MapFit {
  method: "map";
  problem: GlmProblem;
  /** The priors as rstanarm-style specs (coefficients in column order). */
  priors: { coefficients: string[]; aux: string | null };
  /** Names of θ: the columns, then the aux name. */
  names: string[];
  /** Estimate, SE = √diag((−H)⁻¹), z = estimate/SE, normal two-sided p-value; aliased is always false. */
  coefficients: CoefficientRow[];
  coef: Float64Array;
  aux: MapAux | null;
  /** The mode on the unconstrained scale, θ = (β, log a). */
  theta: Float64Array;
  /** (−H)⁻¹ on θ, dim×dim row-major (NaN when −H is not positive definite). */
  covariance: Float64Array;
  /** H = ∇² of the objective at the mode, dim×dim row-major. */
  hessian: Float64Array;
  /** The maximised objective: logLik + logPrior (the penalised log-likelihood; see `jacobian`). */
  logPosterior: number;
  logLik: number;
  logPrior: number;
  /** logLik + logPrior (= logPosterior). */
  penalisedLogLik: number;
  jacobian: boolean;
  iterations: number;
  /** Newton steps and Fisher-scoring steps taken. */
  newtonSteps: number;
  scoringSteps: number;
  converged: boolean;
  /** Where the iteration started: the ML fit, the prior locations, R's first IRLS step, or the caller's start. */
  start: "ml" | "prior" | "irls" | "user";
  warnings: string[];
  /** max_j |∂/∂θ_j| at the end. */
  gradientMaxNorm: number;
  /** max_j |∂/∂θ_j|·√((−H)⁻¹)_jj at the end. */
  scaledGradientMaxNorm: number;
  eta: Float64Array;
  mu: Float64Array;
  /** Per iteration: step halvings and max_j |g_j|·se_j after the step (NaN after a scoring step's point without a Newton factor). */
  history: IterationRecord[];
}

const DEFAULT_MAXIT = 100;
const DEFAULT_TOL = 1e-9;
const MAX_HALVINGS = 60;
const EPS = Number.EPSILON;
/** Relative size (to |f| + 1) below which a predicted Newton gain is lost in the rounding of f. */
const ROUNDING_GAIN = 1e-11;
/** A Newton step below RESOLUTION·|θ_j| cannot be represented: θ_j is as converged as a double allows. */
const RESOLUTION = 4 * EPS;

/**
 * Relative Schur-complement pivot below which a matrix counts as singular: a column
 * whose residual after the ones before it is below 1e-12 of its diagonal (|cos| > 1 − 5e-13
 * with their span; R's QR tolerance 1e-7 on the column-norm ratio would be 1e-14 here).
 */
const SINGULAR_PIVOT = 1e-12;

/** Cholesky factor of a copy of A (dim×dim), or null when A is not (numerically) positive definite. */
function factor(A: Float64Array, dim: number): Float64Array | null {
  const R = Float64Array.from(A);
  for (let k = 0; k < R.length; k++) if (!Number.isFinite(R[k]!)) return null;
  return choleskyInPlace(R, dim, SINGULAR_PIVOT).ok ? R : null;
}

/** diag(A⁻¹) from A = RᵀR: C_jj = |R⁻ᵀ e_j|². */
function inverseDiagonal(R: Float64Array, dim: number): Float64Array {
  const out = new Float64Array(dim);
  const v = new Float64Array(dim);
  for (let j = 0; j < dim; j++) {
    v.fill(0);
    let s = 0;
    for (let i = j; i < dim; i++) {
      let t = i === j ? 1 : 0;
      for (let m = j; m < i; m++) t -= R[m * dim + i]! * v[m]!;
      v[i] = t / R[i * dim + i]!;
      s += v[i]! * v[i]!;
    }
    out[j] = s;
  }
  return out;
}

function negate(H: Float64Array): Float64Array {
  const out = new Float64Array(H.length);
  for (let k = 0; k < H.length; k++) out[k] = -H[k]!;
  return out;
}

function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let k = 0; k < x.length; k++) m = Math.max(m, Math.abs(x[k]!));
  return m;
}

/** Location of a coefficient prior (0 for flat and jeffreys). */
function priorLocation(q: GlmPriors["coefficients"][number]): number {
  const params = q.params as { location?: number };
  return typeof params.location === "number" ? params.location : 0;
}

function finiteAt(lp: GlmLogPosterior, theta: Float64Array): boolean {
  return Number.isFinite(lp.logDensity(theta));
}

/** The caller's start: θ of length dim, or β of length p with the aux at its moment estimate. */
function userStart(lp: GlmLogPosterior, p: number, s: ArrayLike<number>, withAux: (beta: Float64Array) => Float64Array): Float64Array {
  const dim = lp.dim;
  if (s.length !== dim && s.length !== p) {
    throw new ArgumentError(`start has length ${s.length}, expected ${dim} (${lp.names.join(", ")})${dim > p ? ` or ${p} (the coefficients)` : ""}`);
  }
  for (let k = 0; k < s.length; k++) if (!Number.isFinite(s[k]!)) throw new ArgumentError(`start[${k}] must be finite, got ${s[k]}`);
  const theta = s.length === dim ? Float64Array.from(s) : withAux(Float64Array.from(s));
  if (!finiteAt(lp, theta)) throw new NumericalError("the log posterior is not finite at the given start: choose another start");
  return theta;
}

/** The ML fit of the problem, or null when it throws. */
function mlFitOrNull(problem: GlmProblem, maxit?: number): IrlsResult | null {
  try {
    return irls(
      { X: problem.X, n: problem.n, p: problem.p, y: problem.y, weights: problem.weights, offset: problem.offset, family: problem.family },
      maxit === undefined ? { mustart: problem.mustart ?? null } : { maxit, mustart: problem.mustart ?? null },
    );
  } catch {
    return null;
  }
}

/** Starting θ: the caller's, else the ML fit when it is a proper MLE, else the prior locations, else R's first IRLS step. */
function startingPoint(
  problem: GlmProblem, priors: GlmPriors, lp: GlmLogPosterior, control: MapControl, warnings: string[],
): { theta: Float64Array; kind: MapFit["start"] } {
  const { p } = problem;
  const dim = lp.dim;
  const withAux = (beta: Float64Array): Float64Array => {
    const theta = new Float64Array(dim);
    theta.set(beta);
    if (dim > p) theta[p] = lp.startAux(beta);
    return theta;
  };
  const usable = (theta: Float64Array): boolean => Number.isFinite(theta[dim - 1]!) && finiteAt(lp, theta);
  if (control.start !== undefined && control.start !== null) return { theta: userStart(lp, p, control.start, withAux), kind: "user" };
  const ml = mlFitOrNull(problem);
  const diverged = ml !== null && ml.warnings.some((w) => w.includes("numerically"));
  const mlUsable = ml !== null && ml.converged && !ml.boundary && ml.rank === p && !diverged && ml.coef.every((b) => Number.isFinite(b));
  if (mlUsable) {
    const theta = withAux(Float64Array.from(ml!.coef));
    if (usable(theta)) return { theta, kind: "ml" };
  } else if (diverged) {
    warnings.push("the maximum-likelihood fit diverges (fitted values numerically at the boundary: separation?); the MAP starts at the prior locations");
  }
  const prior = withAux(Float64Array.from(priors.coefficients, priorLocation));
  if (usable(prior)) return { theta: prior, kind: "prior" };
  // R's first IRLS step from the family's starting μ gives valid η for links with a restricted domain.
  const first = mlFitOrNull(problem, 1);
  if (first !== null) {
    const theta = withAux(Float64Array.from(first.coef, (b) => (Number.isFinite(b) ? b : 0)));
    if (usable(theta)) return { theta, kind: "irls" };
  }
  throw new NumericalError("cannot find a starting point where the log posterior is finite: give control.start");
}

/** Why a posterior is improper (see {@link findImproperPosterior}). */
export interface ImproperFinding {
  reason: "infinite-estimates" | "aliased" | "aux";
  /** The parameters with improper priors involved (coefficient names, or the aux name). */
  parameters: string[];
  /** For infinite estimates: the direction's coefficients and signs. */
  infinite: Record<string, "+Inf" | "-Inf">;
  /** What happens, in words that name no option (callers add theirs). */
  detail: string;
}

/**
 * The columns F of the coefficients with improper (flat) priors, as the design the likelihood
 * sees along them: a direction d supported on F changes no proper prior, except that a
 * proper prior on the centred intercept α_c = β₀ + x̄ᵀβ moves with x̄ᵀd unless β₀ moves by
 * −x̄ᵀd; so with a centred intercept prior (and a proper intercept prior outside F) the
 * columns of F are centred, xⱼ − x̄ⱼ.
 */
function improperColumns(problem: GlmProblem, priors: GlmPriors): { F: number[]; XF: Float64Array; names: string[] } {
  const F: number[] = [];
  priors.coefficients.forEach((q, j) => { if (!q.proper) F.push(j); });
  const { n, p, X } = problem;
  const q = F.length;
  const centring = (priors.interceptOn ?? "raw") === "centered" ? interceptCentring(problem) : null;
  const centre = centring !== null && !F.includes(centring.index) ? centring.c : null;
  const XF = new Float64Array(n * q);
  for (let i = 0; i < n; i++) for (let k = 0; k < q; k++) XF[i * q + k] = X[i * p + F[k]!]! - (centre === null ? 0 : centre[F[k]!]!);
  return { F, XF, names: F.map((j) => problem.columnNames[j]!) };
}

/**
 * Whether the posterior under `priors` is improper for a reason glmkit can prove before
 * fitting: (1) a flat-prior direction of recession of the likelihood (infinite ML estimates:
 * separation or zero counts; module comment), (2) flat-prior columns that are aliased
 * (X_F d = 0 for some d ≠ 0 on the rows with positive weight: the likelihood is constant
 * along d), (3) the negative binomial θ under a flat prior (as θ → ∞ the likelihood tends
 * to the Poisson's, a positive constant, so no flat prior on θ or log θ integrates).
 * Returns the finding (null when none) and a warning when (1) could be checked only in
 * part. jeffreys() and families without an infinite-estimate check skip (1); `auxFixed`
 * (the aux parameter held at a value) skips (3).
 */
export function findImproperPosterior(
  problem: GlmProblem, priors: GlmPriors, options: { auxFixed?: boolean } = {},
): { finding: ImproperFinding | null; warning: string | null } {
  const jeffreysPrior = usesJeffreys(priors.coefficients);
  const coef = jeffreysPrior ? { finding: null, warning: null } : improperCoefficients(problem, priors);
  if (coef.finding !== null) return coef;
  if (!jeffreysPrior && options.auxFixed !== true && problem.family.aux?.name === "theta" && (priors.aux === undefined || priors.aux.kind === "flat")) {
    return {
      finding: {
        reason: "aux", parameters: ["theta"], infinite: {},
        detail: "the prior on theta is flat, and the negative binomial likelihood tends to the Poisson likelihood (a positive constant) as theta → ∞, so the posterior of theta does not integrate",
      },
      warning: coef.warning,
    };
  }
  return coef;
}

/** Cases (1) and (2) of {@link findImproperPosterior}: the coefficients with flat priors. */
function improperCoefficients(problem: GlmProblem, priors: GlmPriors): { finding: ImproperFinding | null; warning: string | null } {
  const { F, XF, names } = improperColumns(problem, priors);
  const q = F.length;
  if (q === 0) return { finding: null, warning: null };
  const { n } = problem;
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (problem.weights[i]! > 0) rows.push(i);
  const check = problem.family.infiniteEstimateCheck;
  const lp = n * q <= LP_AUTO_LIMIT;
  const v = check === null ? null : checkInfiniteEstimates({ X: XF, n, p: q, columnNames: names, y: problem.y, weights: problem.weights }, check, { lp });
  const list = names.join(", ");
  if (v !== null && v.detected) {
    const which = Object.entries(v.infinite).map(([k, sgn]) => `${k} → ${sgn}`).join(", ");
    return {
      finding: {
        reason: "infinite-estimates", parameters: names, infinite: v.infinite,
        detail: `the priors on ${list} are improper (flat) and their maximum-likelihood estimates are infinite (${which || "separation"}), so the log posterior increases without bound`,
      },
      warning: null,
    };
  }
  const warning = v !== null && v.coverage === "columns"
    ? `whether the posterior mode exists (and the posterior is proper) was checked only in part (${v.lpError ?? `the LP check is skipped above ${LP_AUTO_LIMIT} design entries`}): with improper priors on ${list}, separation by a combination of these columns would leave no mode`
    : null;
  const kept = qrKeptColumns(XF, q, rows);
  if (kept.kept.length < q) {
    const aliased = names.filter((_, k) => kept.aliased[k] === 1);
    return {
      finding: {
        reason: "aliased", parameters: aliased, infinite: {},
        detail: `the priors on ${names.join(", ")} are improper (flat) and ${aliased.length === 1 ? "the column of " : "the columns of "}${aliased.join(", ")} ${aliased.length === 1 ? "is" : "are"} aliased (a linear combination of the other flat-prior columns), so the likelihood is constant along a line and the posterior does not integrate`,
      },
      warning,
    };
  }
  return { finding: null, warning };
}

/** What to do instead, in the API's words (the CLI rewords the errors with its flags). */
export const IMPROPER_REMEDY = 'give them proper priors (e.g. priors: { coefficients: "normal(0, 2.5)" }, or no priors at all for rstanarm\'s defaults) or the Jeffreys prior (priors: { coefficients: "jeffreys" })';

/**
 * Throws NoModeError when the log posterior provably has no mode (see the module
 * comment; also the negative binomial with a flat prior on θ and no positive count, where
 * the likelihood increases in θ): returns a warning when that could be checked only in part
 * (the LP was not run: solver not loaded, or more than LP_AUTO_LIMIT design entries), else null.
 * Aliased flat-prior columns leave a mode that is not unique: the fit warns (ridge) instead.
 */
export function checkModeExists(problem: GlmProblem, priors: GlmPriors): string | null {
  const { finding, warning } = findImproperPosterior(problem, priors);
  if (finding === null) return warning;
  if (finding.reason === "infinite-estimates")
    throw new NoModeError(`the posterior mode does not exist: ${finding.detail}; ${IMPROPER_REMEDY}`, finding.infinite, finding.parameters);
  if (finding.reason === "aux") {
    let positive = false;
    for (let i = 0; i < problem.n; i++) if (problem.weights[i]! > 0 && problem.y[i]! > 0) positive = true;
    if (!positive)
      throw new NoModeError(`the posterior mode does not exist: every count is 0 and the prior on theta is flat, so the log posterior increases without bound as theta → ∞; give theta a proper prior (e.g. aux: "exponential(1)", rstanarm's default)`, {}, ["theta"]);
  }
  return warning;
}

/**
 * Throws ImproperPosteriorError when {@link findImproperPosterior} proves the posterior
 * improper (before sampling); returns its partial-check warning, else null.
 */
export function checkPosteriorProper(problem: GlmProblem, priors: GlmPriors, options: { auxFixed?: boolean } = {}): string | null {
  const { finding, warning } = findImproperPosterior(problem, priors, options);
  if (finding === null) return warning;
  const remedy = finding.reason === "aux" ? 'give theta a proper prior (e.g. aux: "exponential(1)", rstanarm\'s default)' : IMPROPER_REMEDY;
  throw new ImproperPosteriorError(`the posterior is improper: ${finding.detail}; ${remedy}, or sample anyway with allowImproper: true`, finding.reason, finding.parameters, finding.infinite);
}

/** The iteration state: θ, f = log p(θ), its gradient, the trial and the factor of the current direction. */
interface MapState {
  theta: Float64Array;
  f: number;
  g: Float64Array;
  trial: Float64Array;
  fNew: number;
  gNew: Float64Array;
  d: Float64Array;
  /** Cholesky factor of −H (Newton) or of the scoring matrix. */
  R: Float64Array | null;
  newton: boolean;
  newtonSteps: number;
  scoringSteps: number;
}

/** Fisher-scoring matrix at θ, ridged when singular (aliased columns under flat priors); null when unusable. */
function scoringFactor(lp: GlmLogPosterior, theta: Float64Array): { R: Float64Array | null; ridged: boolean } {
  const dim = lp.dim;
  const M = lp.scoringMatrix(theta);
  let R = factor(M, dim);
  if (R !== null) return { R, ridged: false };
  // Singular information: Levenberg ridge.
  let mean = 0;
  for (let j = 0; j < dim; j++) mean += Math.abs(M[j * dim + j]!);
  mean = mean / dim || 1;
  // from the smallest normal double at least: for a subnormal mean, 1e-10·mean is 0 and λ would stay 0 forever
  for (let lambda = Math.max(1e-10 * mean, 2.2250738585072014e-308); R === null && lambda < 1e10 * mean; lambda *= 10) {
    const Mr = Float64Array.from(M);
    for (let j = 0; j < dim; j++) Mr[j * dim + j] += lambda;
    R = factor(Mr, dim);
  }
  return { R, ridged: true };
}

/**
 * The convergence test at θ, from the Newton factor (kept for the next direction):
 * max_j |g_j|·√C_jj < tol (or a step below the resolution of θ_j) and ½gᵀC g ≤ 1e-12(|f| + 0.1).
 */
function newtonCheck(lp: GlmLogPosterior, st: MapState, tol: number): Convergence {
  const dim = lp.dim;
  const { theta, g } = st;
  st.R = factor(negate(lp.hessian(theta)), dim);
  st.newton = st.R !== null;
  if (!st.newton) return { converged: false, criterion: NaN };
  const c = inverseDiagonal(st.R!, dim);
  const d = Float64Array.from(g);
  choleskySolveInPlace(st.R!, dim, d);
  let scaled = 0;
  let decrement = 0;
  let small = true;
  for (let j = 0; j < dim; j++) {
    const sj = Math.abs(g[j]!) * Math.sqrt(c[j]!);
    scaled = Math.max(scaled, sj);
    decrement += g[j]! * d[j]!;
    // A coordinate is done when its scaled gradient is below tol, or when the Newton
    // step is below the resolution of θ_j itself (a very narrow prior: one ulp of θ_j
    // then moves the gradient by more than tol/se_j).
    if (!(sj < tol || Math.abs(d[j]!) <= RESOLUTION * Math.abs(theta[j]!))) small = false;
  }
  return { converged: small && 0.5 * decrement <= 1e-12 * (Math.abs(st.f) + 0.1), criterion: scaled };
}

/**
 * The MAP as a configuration of the pipeline: the penalised Newton (or scoring)
 * direction, backtracking on the log posterior, the scaled-gradient test.
 */
function mapMethod(lp: GlmLogPosterior, st: MapState, maxit: number, tol: number): NewtonMethod {
  const dim = lp.dim;
  let ridgeWarned = false;
  let noise = 0;
  let belowNoise = false;
  const trialAt = (t: number): void => {
    for (let j = 0; j < dim; j++) st.trial[j] = st.theta[j]! + t * st.d[j]!;
    st.fNew = lp.logDensityGrad(st.trial, st.gNew);
  };
  const halvingFailed = (iter: number): string =>
    `step halving failed at iteration ${iter}: no step along the ${st.newton ? "Newton" : "scoring"} direction increases the log posterior`;
  const backtracking: StepControl = {
    maxHalvings: MAX_HALVINGS,
    // A full Newton step whose predicted gain ½gᵀd is below the rounding noise of f (sums of
    // large terms that cancel) is taken on the gradient's word: f cannot resolve it, the gradient can.
    accepts: (_iter, k) => Number.isFinite(st.fNew) &&
      (st.fNew >= st.f - noise || (k === 0 && belowNoise && st.fNew >= st.f - 1e3 * ROUNDING_GAIN * (Math.abs(st.f) + 1))),
    shorten: (k) => trialAt(2 ** -k),
    exhausted: halvingFailed,
  };
  return {
    maxit,
    convergedAtStart: () => newtonCheck(lp, st, tol).converged,
    propose(iter, warnings) {
      if (!st.newton) {
        const sf = scoringFactor(lp, st.theta);
        if (sf.R === null) return `the information matrix is not usable at iteration ${iter} (non-finite values)`;
        if (sf.ridged && !ridgeWarned) {
          warnings.push("the information matrix is singular (aliased columns with flat priors?): steps use a ridge, and the mode may not be unique");
          ridgeWarned = true;
        }
        st.R = sf.R;
      }
      st.d.set(st.g);
      choleskySolveInPlace(st.R!, dim, st.d);
      let gain = 0;
      for (let j = 0; j < dim; j++) gain += st.g[j]! * st.d[j]!;
      noise = 16 * EPS * (Math.abs(st.f) + 1);
      belowNoise = st.newton && 0.5 * gain <= ROUNDING_GAIN * (Math.abs(st.f) + 1);
      trialAt(1);
      return null;
    },
    stepControl: [backtracking],
    accept(iter) {
      let moved = false;
      for (let j = 0; j < dim; j++) if (st.trial[j] !== st.theta[j]) moved = true;
      if (!moved) return halvingFailed(iter);
      if (st.newton) st.newtonSteps++;
      else st.scoringSteps++;
      st.theta.set(st.trial);
      st.f = st.fNew;
      [st.g, st.gNew] = [st.gNew, st.g];
      return null;
    },
    converged: () => newtonCheck(lp, st, tol),
  };
}

/**
 * The MAP fit of `problem` under `priors` (see the module comment for the algorithm).
 * Priors: one per column (`resolveCoefficientPriors`), plus `aux` for families with
 * an auxiliary parameter (default flat). Errors: those of `glmLogPosterior`, ArgumentError
 * for bad control values, NoModeError when the mode does not exist (improper priors on
 * coefficients whose MLEs are infinite; see `checkModeExists`), NumericalError when no
 * finite start exists. Non-convergence
 * and rank problems are reported in `warnings`.
 * @example
 * const fit = fitMap(problem, { coefficients: resolveCoefficientPriors({ coefficients: cauchy(0, 2.5), intercept: cauchy(0, 10) }, problem.columnNames, true) });
 * fit.coefficients[1].estimate; fit.converged // true
 */
export function fitMap(problem: GlmProblem, priors: GlmPriors, control: MapControl = {}): MapFit {
  const maxit = control.maxit ?? DEFAULT_MAXIT;
  const tol = control.tol ?? DEFAULT_TOL;
  if (!Number.isInteger(maxit) || maxit < 1) throw new ArgumentError(`control.maxit must be a positive integer, got ${maxit}`);
  if (!(tol > 0) || !Number.isFinite(tol)) throw new ArgumentError(`control.tol must be a finite number > 0, got ${tol}`);
  const jacobian = control.jacobian ?? false;
  const lp = glmLogPosterior(problem, priors, { jacobian });
  const dim = lp.dim;
  const modeWarning = checkModeExists(problem, priors);
  const startWarnings: string[] = modeWarning === null ? [] : [modeWarning];
  const { theta, kind } = startingPoint(problem, priors, lp, control, startWarnings);
  const g = new Float64Array(dim);
  const f = lp.logDensityGrad(theta, g);
  const st: MapState = {
    theta, f, g, trial: new Float64Array(dim), fNew: -Infinity, gNew: new Float64Array(dim), d: new Float64Array(dim),
    R: null, newton: false, newtonSteps: 0, scoringSteps: 0,
  };
  const run = newton(mapMethod(lp, st, maxit, tol));
  return mapRecord(problem, priors, lp, st, run, kind, startWarnings);
}

/**
 * Rows whose variance overflowed the double range (a column on a scale near 1e-155 or
 * below: the variance exceeds 1.8e308 although −H is positive definite) get no standard
 * error, statistic or p-value, with a warning naming them (never SE Infinity and p 1).
 */
function overflowedStandardErrors(rows: CoefficientRow[], warnings: string[]): void {
  const bad = rows.filter((r) => r.se !== null && !Number.isFinite(r.se));
  if (bad.length === 0) return;
  for (const r of bad) { r.se = NaN; r.statistic = NaN; r.p_value = NaN; }
  warnings.push(`no standard errors for ${bad.map((r) => r.name).join(", ")}: the variance overflows the double range (a design column on a scale near 1e-155 or smaller); rescale the column(s) and refit`);
}

/** The fit record at the final θ: Hessian, covariance (−H)⁻¹ and standard errors, the aux on both scales. */
function mapRecord(
  problem: GlmProblem, priors: GlmPriors, lp: GlmLogPosterior, st: MapState, run: NewtonRun,
  start: MapFit["start"], startWarnings: string[],
): MapFit {
  const { p } = problem;
  const dim = lp.dim;
  const { theta, g } = st;
  const H = lp.hessian(theta);
  const Rf = factor(negate(H), dim);
  let covariance: Float64Array;
  let scaled = NaN;
  if (Rf !== null) {
    covariance = scatteredInverse(Rf, Int32Array.from({ length: dim }, (_, j) => j), dim);
    scaled = 0;
    for (let j = 0; j < dim; j++) scaled = Math.max(scaled, Math.abs(g[j]!) * Math.sqrt(covariance[j * dim + j]!));
  } else {
    covariance = new Float64Array(dim * dim).fill(NaN);
    run.warnings.push("the Hessian of the log posterior is not negative definite at the final point: no standard errors (a flat prior on an aliased or separated coefficient?)");
  }
  statusWarnings(run, () => `the MAP fit did not converge in ${run.iterations} iterations (max |gradient|·se = ${scaled.toExponential(2)})`, null);
  const coef = Float64Array.from(theta.subarray(0, p));
  const covBeta = new Float64Array(p * p);
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) covBeta[j * p + k] = covariance[j * dim + k]!;
  let aux: MapAux | null = null;
  if (dim > p) {
    const u = theta[p]!;
    const seU = Math.sqrt(covariance[p * dim + p]!);
    aux = { name: lp.auxName!, estimate: Math.exp(u), se: Math.exp(u) * seU, logEstimate: u, logSe: seU };
  }
  const logLik = lp.logLik(theta);
  const logPrior = lp.logPrior(theta);
  const eta = lp.linearPredictor(theta);
  const auxPrior = priors.aux ? priors.aux.describe() : priors.coefficients.every((q) => q.kind === "jeffreys") ? "jeffreys()" : "flat()";
  const coefficients = coefficientTable(problem.columnNames, coef, new Uint8Array(p), covBeta, false, NaN);
  if (Rf !== null) overflowedStandardErrors(coefficients, run.warnings);
  return {
    method: "map", problem,
    priors: { coefficients: priors.coefficients.map((q) => q.describe()), aux: dim > p ? auxPrior : null },
    names: lp.names,
    coefficients,
    coef, aux, theta, covariance, hessian: H,
    logPosterior: st.f, logLik, logPrior, penalisedLogLik: logLik + logPrior, jacobian: lp.jacobian,
    iterations: run.iterations, newtonSteps: st.newtonSteps, scoringSteps: st.scoringSteps, converged: run.converged,
    start, warnings: [...startWarnings, ...run.warnings],
    gradientMaxNorm: maxAbs(g), scaledGradientMaxNorm: scaled,
    eta, mu: Float64Array.from(eta, (e) => problem.family.link.linkinv(e)),
    history: run.history,
  };
}

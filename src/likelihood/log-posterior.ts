/**
 * The log posterior of a GLM on an unconstrained parameter vector
 * θ = (β, u), u = log a for the family's auxiliary parameter a (gaussian σ,
 * Gamma shape α, negative binomial θ, inverse.gaussian λ; binomial and Poisson
 * have none), with its analytic gradient and Hessian. One object serves the MAP
 * fitter (src/fit/map.ts), the Laplace approximation and the samplers
 * (`logDensityGrad` is the samplers' `LogDensity` interface).
 *
 *   log p(θ | y) = ℓ(β, a) + Σⱼ log pⱼ(βⱼ) + log p_a(a) + u        (proper or flat aux prior)
 *   log p(θ | y) = ℓ(β, a) + ½ log|I_ββ| + ½ log I_uu(u)            (jeffreys(): joint Jeffreys)
 *
 * Centred intercept (rstanarm's `prior_intercept`, `interceptOn: "centered"`): the
 * intercept's prior is evaluated at α_c = β₀ + x̄ᵀβ₋₀, the intercept of the centred
 * predictors, with x̄ the unweighted column means of the non-intercept columns over
 * all rows (rstanarm 2.21 `center_x`: `colMeans`, weights and offset ignored).
 * α_c = cᵀβ with c = (1, x̄), so the term adds q′(α_c)·c to the gradient and the
 * rank-one q″(α_c)·ccᵀ to the Hessian (max(−q″, 0)·ccᵀ to the scoring matrix); the
 * map β ↦ (α_c, β₋₀) is linear with unit Jacobian, so nothing else changes.
 *
 * ℓ is the full log density (constants included; see models/glm-likelihood.ts),
 * u is the log-Jacobian of a = eᵘ. With `jacobian: false` the Jacobian is left
 * out and the function is the penalised log-likelihood ℓ + log p(β, a) of the
 * natural parameters, whose maximiser is the posterior mode in (β, a): the MAP
 * that Stan's `optimizing` (default) and brglm2's MPL_Jeffreys report.
 *
 * Jeffreys prior. I(β, φ) of a GLM with a dispersion φ is block diagonal, with
 * I_ββ = Xᵀ diag(wμ′²/(φV)) X, so ½ log|I(β, φ)| = ½ log|I_ββ| + ½ log I_φφ,
 * brglm2's MPL_Jeffreys penalty (Kosmidis & Firth 2021; `brglm2:::brglmFit`,
 * `AS_Jeffreys_adjustment`: score ½Σhᵢ(2μ″/μ′ − μ′V′/V)xᵢ for β and
 * −(p+4)/(2φ) + … for φ). As a density on u this is ½ log|I_ββ| + ½ log I_uu
 * (Jeffreys' invariance: I_uu = I_φφ (dφ/du)²); without the Jacobian it is
 * ½ log|I_ββ| + ½ log I_φφ, so the MAP equals brglm2's MPL_Jeffreys (for unit
 * prior weights: with other weights brglm2 takes Gamma and inverse-Gaussian
 * weights as precisions, glmkit as R's logLik does, as multipliers of the log density).
 * I_uu: gaussian 2n, Gamma α²Σw(ψ′(α) − 1/α), inverse.gaussian Σw/2.
 * The negative binomial I_θθ has no closed form: jeffreys() there needs an
 * explicit aux prior, and then means p(β | θ) ∝ |I_ββ(β, θ)|^½ with p(θ) the aux prior
 * (the same conditional reading applies to any family when an aux prior is given).
 *
 * References: [1] Firth (1993) Biometrika 80:27–38; [2] Kosmidis & Firth (2021)
 * Biometrika 108:71–82; [3] Stan Reference Manual, "Lower bounded scalar"
 * (log transform, Jacobian eᵘ); [4] Gelman et al. (2008) Ann. Appl. Stat. 2:1360–1383.
 */
import type { GlmProblem } from "../fit/ml-fit.js";
import type { AuxPrior, CoefficientPrior, CoefficientScalarPrior } from "../priors/index.js";
import {
  auxLogDensityOnLogScale,
  auxLogDensityOnLogScaleGradient,
  auxLogDensityOnLogScaleHessian,
  usesJeffreys,
  INTERCEPT_NAME,
} from "../priors/index.js";
import { ArgumentError, PriorError } from "../errors.js";
import { weightedCrossprodInto } from "../linalg/kernels.js";
import { likelihoodKernel, type AuxName, type LikelihoodKernel } from "./glm-likelihood.js";
import { GRAD_STATE_LENGTH, type RangeLikelihoodGradient } from "../types.js";
import { JeffreysPenalty } from "./jeffreys-penalty.js";
import { wantsWasmGradient, wasmGlmGradient, type WasmGlmGradient } from "./wasm-gradient.js";

export type { AuxName } from "./glm-likelihood.js";

/** Priors of a GLM: one per design column (resolveCoefficientPriors) and, for families with one, the auxiliary parameter's. */
export interface GlmPriors {
  coefficients: readonly CoefficientPrior[];
  /** Prior on a (σ, shape, θ, λ); undefined → flat() (or the joint Jeffreys prior with jeffreys()). */
  aux?: AuxPrior;
  /**
   * Where the intercept's prior is evaluated: on the raw intercept β₀ ("raw", default) or
   * on the intercept of the centred predictors α_c = β₀ + x̄ᵀβ₋₀ ("centered", rstanarm's).
   */
  interceptOn?: InterceptOn;
}

/** Where the intercept prior acts: the raw intercept, or the intercept of centred predictors (rstanarm). */
export type InterceptOn = "raw" | "centered";

/**
 * The centring vector c of a design (c_k = 1 at the intercept column k, c_j = x̄_j, the
 * unweighted mean of column j over all n rows, elsewhere), or null when the problem has no
 * intercept. The intercept column is the one named "(Intercept)", else column 0 (as
 * resolveCoefficientPriors).
 * @example interceptCentring({ X: Float64Array.of(1, 2, 1, 4), n: 2, p: 2, columnNames: ["(Intercept)", "x"], hasIntercept: true }) // { index: 0, c: [1, 3] }
 */
export function interceptCentring(problem: Pick<GlmProblem, "X" | "n" | "p" | "columnNames" | "hasIntercept">): { index: number; c: Float64Array } | null {
  const { X, n, p } = problem;
  if (!problem.hasIntercept || p === 0) return null;
  let index = problem.columnNames.indexOf(INTERCEPT_NAME);
  if (index < 0) index = 0;
  const c = new Float64Array(p);
  for (let i = 0, row = 0; i < n; i++, row += p) for (let j = 0; j < p; j++) c[j] += X[row + j]!;
  for (let j = 0; j < p; j++) c[j] /= n;
  c[index] = 1;
  return { index, c };
}

export interface GlmLogPosteriorOptions {
  /** Include the log-Jacobian of a = eᵘ (default true: a density on θ, for samplers). False: the penalised log-likelihood, for the MAP. */
  jacobian?: boolean;
  /**
   * The one-pass gradient (default true, for the kernels that have one: binomial–logit,
   * Poisson–log, negative binomial–log, gaussian–identity): η, the family step and Xᵀ∂ℓ/∂η
   * block by block of rows, bit-identical to the two passes; with the SIMD kernels (GLMKIT_KERNELS,
   * wantsWasm) one WebAssembly call (assembly/gradient.ts, the same bits). False forces the two
   * passes (for tests and benchmarks).
   */
  fusedGradient?: boolean;
}

/** The log posterior of a GLM on θ = (β, log a). */
export interface GlmLogPosterior {
  /** p, plus 1 when the family has an auxiliary parameter. */
  readonly dim: number;
  /** Column names, then "sigma" | "shape" | "theta" | "lambda". */
  readonly names: string[];
  readonly auxName: AuxName | null;
  /** Whether the log-Jacobian of a = eᵘ is included (see GlmLogPosteriorOptions). */
  readonly jacobian: boolean;
  readonly problem: GlmProblem;
  readonly priors: GlmPriors;
  /** The centring vector (1, x̄) and the intercept's column when the intercept prior is on the centred intercept, else null. */
  readonly centring: { index: number; c: Float64Array } | null;
  /** log p(θ | y) up to the normalising constant of the posterior. */
  logDensity(theta: Float64Array): number;
  /** Returns log p(θ | y) and writes ∇ into `grad` (length dim). Allocation-free except with jeffreys(). */
  logDensityGrad(theta: Float64Array, grad: Float64Array): number;
  /** ∇² log p(θ | y), dim×dim row-major, analytic (a new array). */
  hessian(theta: Float64Array): Float64Array;
  /**
   * A positive semi-definite stand-in for −∇² used by Fisher scoring (IRLS):
   * XᵀWX with R's IRLS weights W = wμ′²/(φV), the expected information of u,
   * and max(−prior″, 0) on the diagonal (the Jeffreys penalty adds nothing, as in
   * Firth's modified-score iteration). dim×dim row-major, a new array.
   */
  scoringMatrix(theta: Float64Array): Float64Array;
  toConstrained(theta: Float64Array): { beta: Float64Array; aux: number | null };
  fromConstrained(beta: ArrayLike<number>, aux: number | null): Float64Array;
  /** ℓ(β, a): the full log-likelihood. */
  logLik(theta: Float64Array): number;
  /** log p(θ) − the prior part of logDensity (with the Jacobian iff `jacobian`). */
  logPrior(theta: Float64Array): number;
  /** η = Xβ + offset at θ (a new array). */
  linearPredictor(theta: Float64Array): Float64Array;
  /** A starting u for the auxiliary parameter from the residuals at β (moment estimate); NaN without aux. */
  startAux(beta: Float64Array): number;
}

/**
 * η = Xβ + offset for an n×p row-major X, four rows at a time (each βⱼ loaded once
 * per four rows; about 2× the plain loop in V8). Reads only β[0..p).
 */
function linearPredictorInto(X: Float64Array, n: number, p: number, beta: Float64Array, offset: Float64Array | null, out: Float64Array): void {
  linearPredictorRows(X, p, beta, offset, out, 0, n);
}

/**
 * Rows [start, end) of η = Xβ + offset, four rows at a time (each row's sum in the order
 * j = 0, 1, …, then the offset; the rows after the last group of four start from the offset).
 * start must be a multiple of 4: every η is then the same whatever the blocks.
 */
function linearPredictorRows(X: Float64Array, p: number, beta: Float64Array, offset: Float64Array | null, out: Float64Array, start: number, end: number): void {
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const r0 = i * p;
    const r1 = r0 + p;
    const r2 = r1 + p;
    const r3 = r2 + p;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (let j = 0; j < p; j++) {
      const bj = beta[j]!;
      a0 += X[r0 + j]! * bj;
      a1 += X[r1 + j]! * bj;
      a2 += X[r2 + j]! * bj;
      a3 += X[r3 + j]! * bj;
    }
    if (offset !== null) {
      a0 += offset[i]!; a1 += offset[i + 1]!; a2 += offset[i + 2]!; a3 += offset[i + 3]!;
    }
    out[i] = a0; out[i + 1] = a1; out[i + 2] = a2; out[i + 3] = a3;
  }
  for (; i < end; i++) {
    const r = i * p;
    let a = offset === null ? 0 : offset[i]!;
    for (let j = 0; j < p; j++) a += X[r + j]! * beta[j]!;
    out[i] = a;
  }
}

/** Rows from which logDensityGrad's η is gradientEtaRows's (below, linearPredictorRows's); assembly/gradient.ts PARITY_MIN_ROWS. */
const GRADIENT_PARITY_MIN_ROWS = 1024;

/**
 * Rows [start, end) of the gradient's η = Xβ + offset from GRADIENT_PARITY_MIN_ROWS rows (logDensityGrad's
 * every path, and the one-call SIMD gradient of assembly/gradient.ts, which repeats it): per row E = Σ x_ij·β_j over even j and
 * O over odd j, each from 0 in j order, then η_i = (E + O) + offset_i. The SIMD call then reads X as
 * it lies (lane = column parity, no shuffles). Not the order of linearPredictorRows (logLik,
 * linearPredictor): the two agree within (p/2 + 1)·ε·Σ_j |x_ij β_j| (+ the offset's rounding);
 * docs/glm-gradient.md. Every row is summed alike, so any split of the rows gives the same η.
 * Below 1024 rows the gradient keeps linearPredictorRows (the small models' draws unchanged).
 */
function gradientEtaRows(X: Float64Array, p: number, beta: Float64Array, offset: Float64Array | null, out: Float64Array, start: number, end: number): void {
  const pe = p & ~1;
  let i = start;
  for (; i + 2 <= end; i += 2) {
    const r0 = i * p;
    const r1 = r0 + p;
    let e0 = 0, o0 = 0, e1 = 0, o1 = 0;
    for (let j = 0; j < pe; j += 2) {
      const b0 = beta[j]!, b1 = beta[j + 1]!;
      e0 += X[r0 + j]! * b0;
      o0 += X[r0 + j + 1]! * b1;
      e1 += X[r1 + j]! * b0;
      o1 += X[r1 + j + 1]! * b1;
    }
    if (pe < p) {
      const b = beta[pe]!;
      e0 += X[r0 + pe]! * b;
      e1 += X[r1 + pe]! * b;
    }
    let s0 = e0 + o0, s1 = e1 + o1;
    if (offset !== null) { s0 += offset[i]!; s1 += offset[i + 1]!; }
    out[i] = s0; out[i + 1] = s1;
  }
  for (; i < end; i++) {
    const r = i * p;
    let e = 0, o = 0;
    for (let j = 0; j < pe; j += 2) {
      e += X[r + j]! * beta[j]!;
      o += X[r + j + 1]! * beta[j + 1]!;
    }
    if (pe < p) e += X[r + pe]! * beta[pe]!;
    let s = e + o;
    if (offset !== null) s += offset[i]!;
    out[i] = s;
  }
}

/** out[0..p) (+)= Xᵀs, in groups of four rows (see crossprodVectorRows). */
function crossprodVectorInto(X: Float64Array, n: number, p: number, s: Float64Array, out: Float64Array): void {
  crossprodVectorRows(X, p, s, out, 0, n);
}

/**
 * out[0..p) += Σ_{i ∈ [start, end)} sᵢxᵢ in groups of four rows, outⱼ += (x₀ⱼs₀ + x₁ⱼs₁ + x₂ⱼs₂ + x₃ⱼs₃),
 * the groups in order, then the rows after the last group one by one (skipping sᵢ = 0).
 * Two groups are done per load and store of outⱼ, (outⱼ + group₁) + group₂: the same operations
 * in the same order as two single groups, about 20% faster in V8 at p = 20. start must be a
 * multiple of 4 (blocks taken in order then give the same sums as one pass over all rows).
 */
function crossprodVectorRows(X: Float64Array, p: number, s: Float64Array, out: Float64Array, start: number, end: number): void {
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const r0 = i * p;
    const r1 = r0 + p;
    const r2 = r1 + p;
    const r3 = r2 + p;
    const r4 = r3 + p;
    const r5 = r4 + p;
    const r6 = r5 + p;
    const r7 = r6 + p;
    const s0 = s[i]!, s1 = s[i + 1]!, s2 = s[i + 2]!, s3 = s[i + 3]!;
    const s4 = s[i + 4]!, s5 = s[i + 5]!, s6 = s[i + 6]!, s7 = s[i + 7]!;
    for (let j = 0; j < p; j++) {
      out[j] = out[j]! + (X[r0 + j]! * s0 + X[r1 + j]! * s1 + X[r2 + j]! * s2 + X[r3 + j]! * s3) +
        (X[r4 + j]! * s4 + X[r5 + j]! * s5 + X[r6 + j]! * s6 + X[r7 + j]! * s7);
    }
  }
  for (; i + 4 <= end; i += 4) {
    const r0 = i * p;
    const r1 = r0 + p;
    const r2 = r1 + p;
    const r3 = r2 + p;
    const s0 = s[i]!, s1 = s[i + 1]!, s2 = s[i + 2]!, s3 = s[i + 3]!;
    for (let j = 0; j < p; j++) out[j] += X[r0 + j]! * s0 + X[r1 + j]! * s1 + X[r2 + j]! * s2 + X[r3 + j]! * s3;
  }
  for (; i < end; i++) {
    const r = i * p;
    const si = s[i]!;
    if (si === 0) continue;
    for (let j = 0; j < p; j++) out[j] += X[r + j]! * si;
  }
}

/** Bytes of X per block of the fused gradient: the block is read twice, the second time from L1. */
const FUSED_BLOCK_BYTES = 32 * 1024;

/** Rows per block of the fused gradient: about FUSED_BLOCK_BYTES of X, a multiple of 8 (at least 8). */
export function fusedBlockRows(p: number): number {
  return Math.max(8, Math.floor(FUSED_BLOCK_BYTES / (8 * Math.max(p, 1)) / 8) * 8);
}

const hasRangeGradient = (k: LikelihoodKernel): k is LikelihoodKernel & RangeLikelihoodGradient =>
  typeof (k as Partial<RangeLikelihoodGradient>).gradRows === "function";

/** Scalar priors on β when no Jeffreys prior is used. */
function scalarPriors(priors: readonly CoefficientPrior[]): CoefficientScalarPrior[] {
  return priors.map((q, j) => {
    if (q.kind === "jeffreys") {
      throw new PriorError(`coefficient ${j + 1} has jeffreys(), which is a joint prior: give jeffreys() for every coefficient or for none`);
    }
    return q;
  });
}

/** What one log posterior holds: the problem, the resolved priors, and its buffers (reused by every call). */
interface Posterior {
  X: Float64Array;
  n: number;
  p: number;
  offset: Float64Array | null;
  kernel: LikelihoodKernel;
  jacobian: boolean;
  hasAux: boolean;
  jeffreys: boolean;
  scalars: CoefficientScalarPrior[];
  /** Centred intercept: its column and c = (1, x̄) (α_c = cᵀβ); null for a raw intercept prior. */
  centring: { index: number; c: Float64Array } | null;
  auxPrior: AuxPrior | null;
  /** Joint Jeffreys on (β, φ): no explicit aux prior. */
  jointJeffreys: boolean;
  flatAux: boolean;
  dim: number;
  names: string[];
  /** log|dφ/du| = log|s| + s·u for φ = e^{su}: removed from the joint Jeffreys density when jacobian is false. */
  slope: number;
  logAbsSlope: number;
  eta: Float64Array;
  score: Float64Array;
  auxGrad: Float64Array;
  auxInfo: Float64Array;
  penalty: JeffreysPenalty | null;
  /** The kernel as a range gradient when the fused gradient is on, else null. */
  fused: (LikelihoodKernel & RangeLikelihoodGradient) | null;
  /** Rows per block of the fused gradient, and its running sums. */
  blockRows: number;
  gradState: Float64Array;
  /**
   * The one-call SIMD fused gradient (wasm-gradient.ts): undefined until the first logDensityGrad
   * when the kernel choice wants it for this design (its arena copies X, so it is made only when
   * used), null when not wanted or not available.
   */
  wasm: WasmGlmGradient | null | undefined;
  jw: { omega: Float64Array; a: Float64Array; aa: Float64Array; au: Float64Array; b: Float64Array; bb: Float64Array } | null;
}

/** Checks the priors against the problem and resolves them (see glmLogPosterior for the errors). */
function posteriorOf(problem: GlmProblem, priors: GlmPriors, options: GlmLogPosteriorOptions): Posterior {
  const { X, n, p, y, weights, offset, trials, family } = problem;
  const kernel: LikelihoodKernel = likelihoodKernel({ y, weights, trials, family });
  if (!priors || !Array.isArray(priors.coefficients)) {
    throw new ArgumentError("priors.coefficients must be an array with one prior per column (see resolveCoefficientPriors)");
  }
  if (priors.coefficients.length !== p) {
    throw new ArgumentError(`priors.coefficients has ${priors.coefficients.length} priors, but the design has ${p} columns (${problem.columnNames.join(", ")})`);
  }
  const hasAux = kernel.auxName !== null;
  if (!hasAux && priors.aux !== undefined) {
    throw new PriorError(`aux: the ${family.name} family has no auxiliary parameter, so it takes no aux prior (got ${priors.aux.describe()})`);
  }
  if (priors.aux !== undefined && priors.aux.kind !== "flat" && priors.aux.support !== "positive") {
    throw new PriorError(`aux: ${(priors.aux as { describe(): string }).describe()} is not a prior on (0, ∞)`);
  }
  const jeffreys = usesJeffreys(priors.coefficients);
  const scalars = jeffreys ? [] : scalarPriors(priors.coefficients);
  const auxPrior: AuxPrior | null = hasAux && priors.aux !== undefined ? priors.aux : null;
  const jointJeffreys = jeffreys && hasAux && auxPrior === null;
  const auxInfo = new Float64Array(3);
  if (jointJeffreys && !kernel.auxInfoHalfLog(0, auxInfo)) {
    throw new PriorError(
      `jeffreys() with the ${family.name} family: the expected information of θ has no closed form, so the joint Jeffreys prior is not available; give an aux prior for theta (e.g. aux: exponential(1)), and jeffreys() then acts on β given θ`,
    );
  }
  const interceptOn = priors.interceptOn ?? "raw";
  if (interceptOn !== "raw" && interceptOn !== "centered")
    throw new ArgumentError(`priors.interceptOn must be "raw" or "centered", got ${JSON.stringify(interceptOn)}`);
  if (interceptOn === "centered" && !problem.hasIntercept)
    throw new PriorError(`interceptOn: "centered" puts the intercept's prior on the intercept of the centred predictors, but the model has no intercept`);
  if (interceptOn === "centered" && jeffreys)
    throw new PriorError(`interceptOn: "centered" applies to scalar priors; jeffreys() is a joint prior, invariant to centring`);
  const centring = interceptOn === "centered" ? interceptCentring(problem) : null;
  const slope = kernel.logDispersionSlope ?? 0;
  const vec = () => new Float64Array(n);
  return {
    X, n, p, offset, kernel, jacobian: options.jacobian ?? true, hasAux, jeffreys, scalars, centring, auxPrior, jointJeffreys,
    flatAux: hasAux && !jointJeffreys && auxPrior === null,
    dim: p + (hasAux ? 1 : 0),
    names: [...problem.columnNames, ...(hasAux ? [kernel.auxName as string] : [])],
    slope, logAbsSlope: slope === 0 ? 0 : Math.log(Math.abs(slope)),
    eta: vec(), score: vec(), auxGrad: new Float64Array(1), auxInfo,
    penalty: jeffreys ? new JeffreysPenalty(X, n, p) : null,
    fused: options.fusedGradient !== false && hasRangeGradient(kernel) ? kernel : null,
    blockRows: fusedBlockRows(p),
    gradState: new Float64Array(GRAD_STATE_LENGTH),
    wasm: options.fusedGradient !== false && hasRangeGradient(kernel) && wantsWasmGradient(n, p) ? undefined : null,
    jw: jeffreys ? { omega: vec(), a: vec(), aa: vec(), au: vec(), b: vec(), bb: vec() } : null,
  };
}

function checkTheta(c: Posterior, theta: Float64Array, what: string): void {
  if (theta.length !== c.dim) {
    throw new ArgumentError(`${what}: theta has length ${theta.length}, expected ${c.dim} (${c.names.join(", ")})`);
  }
}

const uOf = (c: Posterior, theta: Float64Array): number => (c.hasAux ? theta[c.p]! : 0);

/** Prior part without Jeffreys; adds its gradient to grad when given. */
function scalarPriorPart(c: Posterior, theta: Float64Array, grad: Float64Array | null): number {
  let lp = 0;
  const k = c.centring === null ? -1 : c.centring.index;
  for (let j = 0; j < c.p; j++) {
    if (j === k) continue;
    const q = c.scalars[j]!;
    const bj = theta[j]!;
    lp += q.logDensity(bj);
    if (grad) grad[j] += q.gradient(bj);
  }
  if (k >= 0) {
    // The intercept's prior at α_c = cᵀβ; its gradient q′(α_c)·c.
    const cv = c.centring!.c;
    const q = c.scalars[k]!;
    const alpha = centredIntercept(cv, theta, c.p);
    lp += q.logDensity(alpha);
    if (grad) {
      const g = q.gradient(alpha);
      for (let j = 0; j < c.p; j++) grad[j] += g * cv[j]!;
    }
  }
  return lp;
}

/** α_c = cᵀβ (β = θ[0..p)). */
function centredIntercept(cv: Float64Array, theta: Float64Array, p: number): number {
  let a = 0;
  for (let j = 0; j < p; j++) a += cv[j]! * theta[j]!;
  return a;
}

/** Adds the scalar priors' Hessian (diagonal, and the centred intercept's rank-one w·ccᵀ) to the β block of M; `floor` gives max(−q″, 0) instead of q″. */
function addScalarPriorCurvature(c: Posterior, theta: Float64Array, M: Float64Array, floor: boolean): void {
  const { p, dim } = c;
  const k = c.centring === null ? -1 : c.centring.index;
  const curv = (h: number): number => (floor ? Math.max(-h, 0) : h);
  for (let j = 0; j < p; j++) if (j !== k) M[j * dim + j] += curv(c.scalars[j]!.hessianDiag(theta[j]!));
  if (k >= 0) {
    const cv = c.centring!.c;
    const w = curv(c.scalars[k]!.hessianDiag(centredIntercept(cv, theta, p)));
    if (w === 0) return;
    for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) M[a * dim + b] += w * cv[a]! * cv[b]!;
  }
}

/** Aux prior on the log scale (Jacobian iff `jacobian`), or the joint Jeffreys aux term. */
function auxPart(c: Posterior, u: number, grad: Float64Array | null): number {
  const { p, jacobian } = c;
  if (!c.hasAux) return 0;
  if (c.jointJeffreys) {
    c.kernel.auxInfoHalfLog(u, c.auxInfo);
    const jac = jacobian ? 0 : -(c.logAbsSlope + c.slope * u);
    if (grad) grad[p] += c.auxInfo[1]! - (jacobian ? 0 : c.slope);
    return c.auxInfo[0]! + jac;
  }
  if (c.flatAux) {
    if (grad) grad[p] += jacobian ? 1 : 0;
    return jacobian ? u : 0;
  }
  const q = c.auxPrior!;
  if (grad) grad[p] += auxLogDensityOnLogScaleGradient(q, u) - (jacobian ? 0 : 1);
  return auxLogDensityOnLogScale(q, u) - (jacobian ? 0 : u);
}

/** The Jeffreys penalty ½ log|I_ββ| at c.eta (filled by the caller); adds its gradient to grad when given. */
function jeffreysPart(c: Posterior, u: number, grad: Float64Array | null): number {
  const jw = c.jw!;
  c.kernel.fisherLogDerivatives(c.eta, u, jw.omega, jw.a, jw.aa, jw.au, jw.b, jw.bb);
  return c.penalty!.evaluate(jw.omega, jw.a, c.hasAux ? jw.b : null, grad);
}

/** ℓ at θ with Xᵀ∂ℓ/∂η in grad[0..p) (grad zeroed first, and left zero when ℓ = −∞) and ∂ℓ/∂u in c.auxGrad: η for all rows (gradientEtaRows from 1024 rows), the family step, then Xᵀ. */
function twoPassLikelihoodGrad(c: Posterior, theta: Float64Array, u: number, grad: Float64Array): number {
  const { X, n, p } = c;
  if (n >= GRADIENT_PARITY_MIN_ROWS) gradientEtaRows(X, p, theta, c.offset, c.eta, 0, n);
  else linearPredictorInto(X, n, p, theta, c.offset, c.eta);
  const ll = c.kernel.logLikGrad(c.eta, u, c.score, c.auxGrad);
  grad.fill(0);
  if (ll === -Infinity) return -Infinity;
  crossprodVectorInto(X, n, p, c.score, grad);
  return ll;
}

/**
 * twoPassLikelihoodGrad in one pass over X: per block of c.blockRows rows (about 32 KB of X),
 * η, the family step, then Xᵀ, so the block is read the second time from L1. The blocks
 * start at multiples of 8 and are taken in order, and the kernel's running sums carry over
 * (RangeLikelihoodGradient), so every sum has the same terms in the same order: the result
 * is bit-identical to the two passes.
 */
function fusedLikelihoodGrad(c: Posterior, kernel: LikelihoodKernel & RangeLikelihoodGradient, theta: Float64Array, u: number, grad: Float64Array): number {
  const { X, n, p, offset, eta, score, gradState: state } = c;
  const block = c.blockRows;
  const parity = n >= GRADIENT_PARITY_MIN_ROWS;
  grad.fill(0);
  kernel.gradBegin(n, u, state);
  for (let start = 0; start < n; start += block) {
    const end = Math.min(n, start + block);
    if (parity) gradientEtaRows(X, p, theta, offset, eta, start, end);
    else linearPredictorRows(X, p, theta, offset, eta, start, end);
    if (!kernel.gradRows(eta, u, score, start, end, state)) {
      grad.fill(0);
      return -Infinity;
    }
    crossprodVectorRows(X, p, score, grad, start, end);
  }
  const ll = kernel.gradEnd(state, c.auxGrad);
  if (ll === -Infinity) grad.fill(0);
  return ll;
}

/**
 * fusedLikelihoodGrad in one WebAssembly SIMD call (wasm-gradient.ts), the same bits; the
 * arena is made at the first call, and its η and row-term vectors then serve as c.eta and c.score.
 */
function wasmLikelihoodGrad(c: Posterior, kernel: LikelihoodKernel & RangeLikelihoodGradient, theta: Float64Array, u: number, grad: Float64Array): number {
  const wasm = ensureWasm(c);
  if (wasm === null) return fusedLikelihoodGrad(c, kernel, theta, u, grad);
  return wasm.likelihoodGrad(theta, u, grad, c.auxGrad);
}

/** The one-call gradient's arena, made at the first use (gradient, Hessian or scoring matrix); its η and row-term vectors then serve as c.eta and c.score. */
function ensureWasm(c: Posterior): WasmGlmGradient | null {
  if (c.wasm === undefined) {
    c.wasm = c.fused === null ? null : wasmGlmGradient(c.X, c.n, c.p, c.offset, c.fused);
    if (c.wasm !== null) {
      c.eta = c.wasm.eta;
      c.score = c.wasm.score;
    }
  }
  return c.wasm;
}

/** A = XᵀWX (b = XᵀW·0): on the one-call gradient's SIMD kernels when it has them, else the plain loop (its oracle: the same bits). */
function weightedCrossprodOf(c: Posterior, w: Float64Array, A: Float64Array, b: Float64Array): void {
  const wasm = ensureWasm(c);
  if (wasm !== null) wasm.weightedCrossprod(w, A, b);
  else weightedCrossprodInto(c.X, c.n, c.p, w, new Float64Array(c.n), A, b);
}

function logDensityGradOf(c: Posterior, theta: Float64Array, grad: Float64Array): number {
  checkTheta(c, theta, "logDensityGrad");
  if (grad.length !== c.dim) throw new ArgumentError(`logDensityGrad: grad has length ${grad.length}, expected ${c.dim}`);
  const { p } = c;
  const u = uOf(c, theta);
  const ll = c.fused === null ? twoPassLikelihoodGrad(c, theta, u, grad)
    : c.wasm === null ? fusedLikelihoodGrad(c, c.fused, theta, u, grad)
    : wasmLikelihoodGrad(c, c.fused, theta, u, grad);
  if (ll === -Infinity) return -Infinity;
  if (c.hasAux) grad[p] = c.auxGrad[0]!;
  let lp = c.jeffreys ? jeffreysPart(c, u, grad) : scalarPriorPart(c, theta, grad);
  lp += auxPart(c, u, grad);
  return ll + lp;
}

function logLikOf(c: Posterior, theta: Float64Array): number {
  checkTheta(c, theta, "logLik");
  linearPredictorInto(c.X, c.n, c.p, theta, c.offset, c.eta);
  return c.kernel.logLik(c.eta, uOf(c, theta));
}

function logPriorOf(c: Posterior, theta: Float64Array): number {
  checkTheta(c, theta, "logPrior");
  const u = uOf(c, theta);
  let lp: number;
  if (c.jeffreys) {
    linearPredictorInto(c.X, c.n, c.p, theta, c.offset, c.eta);
    lp = jeffreysPart(c, u, null);
  } else {
    lp = scalarPriorPart(c, theta, null);
  }
  return lp + auxPart(c, u, null);
}

function logDensityOf(c: Posterior, theta: Float64Array): number {
  const ll = logLikOf(c, theta);
  if (ll === -Infinity || Number.isNaN(ll)) return -Infinity;
  return ll + logPriorOf(c, theta);
}

/** Writes the likelihood's Hessian in θ (the β block XᵀHηX, the cross term Xᵀhηu, ∂²/∂u²) into H; c.eta must hold η. */
function likelihoodHessianInto(c: Posterior, u: number, H: Float64Array): void {
  const { X, n, p, dim } = c;
  const hEta = new Float64Array(n);
  const hEtaU = new Float64Array(n);
  const huu = c.kernel.hessianParts(c.eta, u, hEta, hEtaU);
  const A = new Float64Array(p * p);
  const xu = new Float64Array(p);
  weightedCrossprodOf(c, hEta, A, xu);
  // The cross term ∂²/∂β∂u is Xᵀ hηu.
  xu.fill(0);
  for (let i = 0, row = 0; i < n; i++, row += p) {
    const h = hEtaU[i]!;
    if (h === 0) continue;
    for (let j = 0; j < p; j++) xu[j] += X[row + j]! * h;
  }
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) H[j * dim + k] = A[j * p + k]!;
  if (c.hasAux) {
    for (let j = 0; j < p; j++) { H[j * dim + p] = xu[j]!; H[p * dim + j] = xu[j]!; }
    H[p * dim + p] = huu;
  }
}

function hessianOf(c: Posterior, theta: Float64Array): Float64Array {
  checkTheta(c, theta, "hessian");
  const { p, dim } = c;
  const u = uOf(c, theta);
  const H = new Float64Array(dim * dim);
  ensureWasm(c); // before η is written: the arena's η may replace c.eta
  linearPredictorInto(c.X, c.n, p, theta, c.offset, c.eta);
  likelihoodHessianInto(c, u, H);
  if (c.hasAux) {
    if (c.jointJeffreys) {
      c.kernel.auxInfoHalfLog(u, c.auxInfo);
      H[p * dim + p] += c.auxInfo[2]!;
    } else if (!c.flatAux) {
      H[p * dim + p] += auxLogDensityOnLogScaleHessian(c.auxPrior!, u);
    }
  }
  if (c.jeffreys) {
    const jw = c.jw!;
    c.kernel.fisherLogDerivatives(c.eta, u, jw.omega, jw.a, jw.aa, jw.au, jw.b, jw.bb);
    c.penalty!.evaluate(jw.omega, jw.a, c.hasAux ? jw.b : null, null);
    c.penalty!.addHessian(jw.omega, jw.a, jw.aa, jw.au, jw.b, jw.bb, H, c.hasAux);
  } else {
    addScalarPriorCurvature(c, theta, H, false);
  }
  return H;
}

function scoringMatrixOf(c: Posterior, theta: Float64Array): Float64Array {
  checkTheta(c, theta, "scoringMatrix");
  const { X, n, p, dim } = c;
  const u = uOf(c, theta);
  const M = new Float64Array(dim * dim);
  ensureWasm(c); // before η is written: the arena's η may replace c.eta
  linearPredictorInto(X, n, p, theta, c.offset, c.eta);
  const omega = new Float64Array(n);
  let iuu = c.kernel.fisher(c.eta, u, omega);
  const A = new Float64Array(p * p);
  weightedCrossprodOf(c, omega, A, new Float64Array(p));
  for (let j = 0; j < p; j++) for (let k = 0; k < p; k++) M[j * dim + k] = A[j * p + k]!;
  if (!c.jeffreys) addScalarPriorCurvature(c, theta, M, true);
  if (c.hasAux) {
    if (!Number.isFinite(iuu)) {
      // No closed form (negative binomial): the observed information of u, floored.
      iuu = Math.max(-c.kernel.hessianParts(c.eta, u, new Float64Array(n), new Float64Array(n)), 1e-8);
    }
    let prior = 0;
    if (c.jointJeffreys) {
      c.kernel.auxInfoHalfLog(u, c.auxInfo);
      prior = c.auxInfo[2]!;
    } else if (!c.flatAux) {
      prior = auxLogDensityOnLogScaleHessian(c.auxPrior!, u);
    }
    M[p * dim + p] = iuu + Math.max(-prior, 0);
  }
  return M;
}

function fromConstrainedOf(c: Posterior, b: ArrayLike<number>, aux: number | null, familyName: string): Float64Array {
  const { p } = c;
  if (b.length !== p) throw new ArgumentError(`fromConstrained: beta has length ${b.length}, expected ${p}`);
  const theta = new Float64Array(c.dim);
  for (let j = 0; j < p; j++) theta[j] = b[j]!;
  if (c.hasAux) {
    if (aux === null || !(aux > 0) || !Number.isFinite(aux)) {
      throw new ArgumentError(`fromConstrained: ${c.kernel.auxName} must be a finite number > 0, got ${String(aux)}`);
    }
    theta[p] = Math.log(aux);
  } else if (aux !== null) {
    throw new ArgumentError(`fromConstrained: the ${familyName} family has no auxiliary parameter, but aux = ${aux} was given`);
  }
  return theta;
}

/**
 * Builds the log posterior of `problem` under `priors`.
 * Throws FamilyError for quasi families and Tweedie (no likelihood), ArgumentError
 * when the number of coefficient priors is not p, PriorError for an aux prior on a
 * family without an auxiliary parameter or jeffreys() with the negative binomial and no aux prior.
 * @example
 * const lp = glmLogPosterior(problem, { coefficients: resolveCoefficientPriors({ coefficients: normal(0, 2.5) }, problem.columnNames, problem.hasIntercept) });
 * const g = new Float64Array(lp.dim); lp.logDensityGrad(new Float64Array(lp.dim), g);
 */
export function glmLogPosterior(problem: GlmProblem, priors: GlmPriors, options: GlmLogPosteriorOptions = {}): GlmLogPosterior {
  const c = posteriorOf(problem, priors, options);
  const { X, n, p, dim, hasAux, offset } = c;
  return {
    dim, names: c.names, auxName: c.kernel.auxName, jacobian: c.jacobian, problem, priors, centring: c.centring,
    logDensity: (theta) => logDensityOf(c, theta),
    logDensityGrad: (theta, grad) => logDensityGradOf(c, theta, grad),
    hessian: (theta) => hessianOf(c, theta),
    scoringMatrix: (theta) => scoringMatrixOf(c, theta),
    toConstrained(theta) {
      checkTheta(c, theta, "toConstrained");
      return { beta: Float64Array.from(theta.subarray(0, p)), aux: hasAux ? Math.exp(theta[p]!) : null };
    },
    fromConstrained: (b, aux) => fromConstrainedOf(c, b, aux, problem.family.name),
    logLik: (theta) => logLikOf(c, theta),
    logPrior: (theta) => logPriorOf(c, theta),
    linearPredictor(theta) {
      checkTheta(c, theta, "linearPredictor");
      const out = new Float64Array(n);
      linearPredictorInto(X, n, p, theta, offset, out);
      return out;
    },
    startAux(b) {
      if (!hasAux) return NaN;
      const e = new Float64Array(n);
      linearPredictorInto(X, n, p, b, offset, e);
      return c.kernel.startAux(e);
    },
  };
}

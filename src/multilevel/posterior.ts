/**
 * The log posterior of a multilevel GLM and its gradient on unconstrained space, for NUTS.
 *
 *   η = offset + X_c β + Σ_t Z_t b_t,   b_t[j, ·] = diag(sd_t) L_t z_t[j, ·],   z ~ N(0, 1)
 *
 * (the non-centred parameterization; L_t the Cholesky factor of the term's correlation
 * matrix, src/multilevel/cholesky-corr.ts). X_c is X with every non-intercept column centred
 * when the model has an intercept, so β's intercept slot is rstanarm's centred intercept
 * (`gamma`; b_Intercept = γ − x̄ᵀβ, as rstanarm's generated quantities). The likelihood is the
 * family's (src/likelihood/glm-likelihood.ts) in η and u = log aux: every family with a
 * likelihood — gaussian with σ, binomial with trials, Poisson with an offset, Gamma, inverse
 * Gaussian, negative binomial.
 *
 * θ = (β [p], u = log aux [0 or 1], per term: covariance parameters, per term: z [J·K]).
 * Covariance parameters (src/multilevel/priors.ts):
 *   decov: log τ, then for K > 1: log ζ [K] and the CPC coordinates [K(K−1)/2] (correlated terms);
 *          sd_c = √(K ζ_c/Σζ) τ · scale · dispersion.
 *   lkj:   log sd [K], then the CPC coordinates [K(K−1)/2] (correlated terms, K > 1).
 * β is sampled standardised, as rstanarm's z_beta: β_j = m_j + s_j θ_j with (m_j, s_j) the location and
 * scale of its prior (0 and 1 for a flat prior), so the chains start on the prior's scale.
 * Every positive parameter is on the log scale with its Jacobian. The density is up to a
 * constant (the normalising constants of Gamma, LKJ and the z's N(0, 1) are dropped).
 *
 * Cost per evaluation: O(n·p + Σ_t nnz(Z_t) + Σ_t J_t K_t²), no allocation.
 */
import gammaln from "@stdlib/math-base-special-gammaln";
import { ArgumentError, PriorError } from "../errors.js";
import { likelihoodKernel, type LikelihoodKernel } from "../likelihood/glm-likelihood.js";
import { auxLogDensityOnLogScale, auxLogDensityOnLogScaleGradient } from "../priors/auxiliary.js";
import type { AuxPrior, CoefficientPrior, CoefficientScalarPrior } from "../priors/types.js";
import { INTERCEPT_NAME } from "../priors/vectorised.js";
import type { Family } from "../types.js";
import { corrCholeskyBackward, corrCholeskyForward, corrDim, lkjCholeskyLogDensity } from "./cholesky-corr.js";
import type { CovariancePrior } from "./priors.js";
import type { MultilevelDesign } from "./types.js";

/** Priors of a multilevel model. */
export interface MultilevelPriors {
  /** One per column of X; the intercept's acts on the centred intercept (rstanarm's prior_intercept). */
  coefficients: readonly CoefficientPrior[];
  /** Prior of the family's aux parameter (σ, shape, θ, λ); required when the family has one. */
  aux?: AuxPrior;
  covariance: CovariancePrior;
}

/** Where a term's parameters sit in θ. */
export interface TermLayout {
  readonly k: number;
  readonly J: number;
  /** True when the term's correlations are sampled (correlated and K > 1). */
  readonly hasCor: boolean;
  readonly covStart: number;
  readonly covLength: number;
  readonly zStart: number;
}

/** Layout of θ and of the constrained output. */
export interface MultilevelLayout {
  readonly p: number;
  /** Index of log aux in θ, or −1. */
  readonly auxIndex: number;
  readonly terms: readonly TermLayout[];
  readonly dim: number;
  /** Index of the intercept column in X, or −1. */
  readonly interceptIndex: number;
  /** Column means x̄ used for centring (0 for the intercept and when there is no intercept). */
  readonly xbar: Float64Array;
}

/** brms's name of a column: "(Intercept)" → "Intercept". */
export function brmsColumn(name: string): string {
  return name === INTERCEPT_NAME ? "Intercept" : name;
}

function dispersionScaled(family: Family): boolean {
  // rstanarm's continuous.stan scales theta_L by `aux` (gaussian σ, Gamma shape, inverse Gaussian λ); count/binomial models by 1.
  const a = family.aux?.name;
  return a === "sigma" || a === "shape" || a === "lambda";
}

/** Builds the layout of θ for a design. */
export function multilevelLayout(design: MultilevelDesign, family: Family, covariance: CovariancePrior): MultilevelLayout {
  const { p, n, X } = design;
  let pos = p;
  const auxIndex = family.aux ? pos++ : -1;
  const covs: { covStart: number; covLength: number; hasCor: boolean }[] = [];
  for (const t of design.terms) {
    const hasCor = t.correlated && t.k > 1;
    const covLength = covariance.kind === "decov" ? 1 + (t.k > 1 ? t.k : 0) + (hasCor ? corrDim(t.k) : 0) : t.k + (hasCor ? corrDim(t.k) : 0);
    covs.push({ covStart: pos, covLength, hasCor });
    pos += covLength;
  }
  const terms: TermLayout[] = design.terms.map((t, i) => {
    const zStart = pos;
    pos += t.levels.length * t.k;
    return { k: t.k, J: t.levels.length, hasCor: covs[i]!.hasCor, covStart: covs[i]!.covStart, covLength: covs[i]!.covLength, zStart };
  });
  const interceptIndex = design.columnNames.indexOf(INTERCEPT_NAME);
  const xbar = new Float64Array(p);
  if (interceptIndex >= 0) {
    for (let j = 0; j < p; j++) {
      if (j === interceptIndex) continue;
      let s = 0;
      for (let i = 0; i < n; i++) s += X[i * p + j]!;
      xbar[j] = s / n;
    }
  }
  return { p, auxIndex, terms, dim: pos, interceptIndex, xbar };
}

/** log 2π / 2. */
const HALF_LN_TWO_PI = 0.9189385332046728;

/**
 * The gaussian–identity log-likelihood in one pass (the generic kernel's numbers, without its
 * per-row link calls): ℓᵢ = −½ log 2π − u + ½ log wᵢ − wᵢ (yᵢ − ηᵢ)²/(2σ²), σ = eᵘ (precision weights).
 */
export function gaussianIdentityKernel(y: Float64Array, w: Float64Array): Pick<LikelihoodKernel, "logLikGrad"> {
  let constant = 0;
  let m = 0;
  for (let i = 0; i < y.length; i++) if (w[i]! > 0) { constant += 0.5 * Math.log(w[i]!) - HALF_LN_TWO_PI; m++; }
  return {
    logLikGrad(eta, u, score, auxGrad) {
      const inv = Math.exp(-2 * u);
      let rss = 0;
      for (let i = 0; i < eta.length; i++) {
        const wi = w[i]!;
        const r = y[i]! - eta[i]!;
        const wr = wi * r;
        rss += wr * r;
        score[i] = wr * inv;
      }
      auxGrad[0] = rss * inv - m;
      return constant - m * u - 0.5 * rss * inv;
    },
  };
}

/** Per-term work buffers. */
interface TermWork {
  sd: Float64Array;
  logSd: Float64Array;
  gSd: Float64Array;
  L: Float64Array;
  gL: Float64Array;
  zt: Float64Array;
  s: Float64Array;
  b: Float64Array;
  gb: Float64Array;
  pi: Float64Array;
}

/** The multilevel log posterior as a sampler target, with the map to brms-named quantities. */
export interface MultilevelTarget {
  readonly dim: number;
  readonly names: readonly string[];
  readonly layout: MultilevelLayout;
  logDensityGrad(theta: Float64Array, grad: Float64Array): number;
  /** Names of `constrain`'s output, brms's: b_*, sd_*, cor_*, sigma (or the aux name), r_*. */
  readonly outputNames: readonly string[];
  /** Writes the constrained quantities (outputNames order) of θ into `out`. */
  constrain(theta: Float64Array, out: Float64Array): void;
  /** Writes η of the data rows at θ into `eta` (length n). */
  linearPredictor(theta: Float64Array, eta: Float64Array): void;
}

function requireScalar(prior: CoefficientPrior, column: string): CoefficientScalarPrior {
  if (prior.kind === "jeffreys") throw new PriorError(`column "${column}": the Jeffreys prior is not available for multilevel models; use normal, student_t, cauchy, laplace, logistic or flat`);
  return prior;
}

function checkDesign(d: MultilevelDesign): void {
  const { n, p } = d;
  if (!(n > 0)) throw new ArgumentError(`design: n must be positive, got ${n}`);
  if (d.X.length !== n * p) throw new ArgumentError(`design: X has ${d.X.length} entries, n·p = ${n * p}`);
  for (const [name, a] of [["y", d.y], ["weights", d.weights], ["offset", d.offset]] as const) {
    if (a.length !== n) throw new ArgumentError(`design: ${name} has length ${a.length}, n = ${n}`);
  }
  if (d.terms.length === 0) throw new ArgumentError("design: a multilevel model needs at least one group-level term (1 | g)");
  for (const t of d.terms) {
    if (t.group.length !== n || t.values.length !== n * t.k) throw new ArgumentError(`term (… | ${t.factor}): group/values lengths do not match n = ${n}, k = ${t.k}`);
    const J = t.levels.length;
    for (let i = 0; i < n; i++) {
      const g = t.group[i]!;
      if (!(g >= 0 && g < J)) throw new ArgumentError(`term (… | ${t.factor}): row ${i + 1} has group index ${g}, levels 0..${J - 1}`);
    }
  }
}

/**
 * The target of `design` under `family` and `priors`. FamilyError for families without a
 * likelihood; PriorError for a missing aux prior or a Jeffreys coefficient prior.
 * @example const t = multilevelTarget(design, gaussian(), priors); t.logDensityGrad(theta, grad)
 */
export function multilevelTarget(design: MultilevelDesign, family: Family, priors: MultilevelPriors): MultilevelTarget {
  checkDesign(design);
  const { n, p, X, offset, terms } = design;
  if (priors.coefficients.length !== p) throw new ArgumentError(`priors.coefficients has ${priors.coefficients.length} entries, the design has ${p} columns`);
  const coefPriors = priors.coefficients.map((q, j) => requireScalar(q, design.columnNames[j]!));
  const cov = priors.covariance;
  if (family.aux && priors.aux === undefined) throw new PriorError(`the ${family.name} family's ${family.aux.name} needs a prior (priors.aux)`);
  const auxPrior = family.aux ? priors.aux! : null;
  const trials = family.name === "binomial" ? design.weights : null;
  const generic: LikelihoodKernel = likelihoodKernel({ y: design.y, weights: design.weights, trials, family });
  const kernel: Pick<LikelihoodKernel, "logLikGrad"> =
    family.name === "gaussian" && family.link.name === "identity" ? gaussianIdentityKernel(design.y, design.weights) : generic;
  const layout = multilevelLayout(design, family, cov);
  const { auxIndex, xbar, interceptIndex } = layout;
  const scaled = cov.kind === "decov" && dispersionScaled(family);
  // X_c, row-major
  const Xc = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) Xc[i * p + j] = X[i * p + j]! - xbar[j]!;
  const coefShift = new Float64Array(p);
  const coefScale = new Float64Array(p).fill(1);
  coefPriors.forEach((q, j) => {
    if (q.kind === "flat") return;
    const par = q.params as { location: number; scale: number };
    coefShift[j] = par.location;
    coefScale[j] = par.scale;
  });
  const beta = new Float64Array(p);
  const gBeta = new Float64Array(p);
  const eta = new Float64Array(n);
  const score = new Float64Array(n);
  const auxGrad = new Float64Array(1);
  const work: TermWork[] = terms.map((t) => {
    const K = t.k;
    const m = corrDim(K);
    return {
      sd: new Float64Array(K), logSd: new Float64Array(K), gSd: new Float64Array(K),
      L: new Float64Array(K * K), gL: new Float64Array(K * K), zt: new Float64Array(m), s: new Float64Array(m),
      b: new Float64Array(t.levels.length * K), gb: new Float64Array(t.levels.length * K), pi: new Float64Array(K),
    };
  });
  const lgShape = cov.kind === "decov" ? gammaln(cov.shape) : 0;
  const lgConc = cov.kind === "decov" ? gammaln(cov.concentration) : 0;
  const logScale = cov.kind === "decov" ? Math.log(cov.scale) : 0;

  /** sd, L of every term from θ; returns the covariance priors' log density plus Jacobians (normalised Gamma parts). */
  function covariances(theta: Float64Array): number {
    let lp = 0;
    const logDisp = scaled ? theta[auxIndex]! : 0;
    for (let ti = 0; ti < terms.length; ti++) {
      const T = layout.terms[ti]!;
      const w = work[ti]!;
      const K = T.k;
      const c0 = T.covStart;
      let yStart: number;
      if (cov.kind === "decov") {
        const u = theta[c0]!;
        // τ ~ Gamma(shape, 1) on u = log τ: shape·u − e^u − lgamma(shape)
        lp += cov.shape * u - Math.exp(u) - lgShape;
        const base = u + logScale + logDisp;
        if (K === 1) {
          w.pi[0] = 1;
          w.logSd[0] = base;
          yStart = c0 + 1;
        } else {
          let mx = -Infinity;
          for (let c = 0; c < K; c++) mx = Math.max(mx, theta[c0 + 1 + c]!);
          let sum = 0;
          for (let c = 0; c < K; c++) {
            const v = theta[c0 + 1 + c]!;
            // ζ ~ Gamma(concentration, 1) on log ζ
            lp += cov.concentration * v - Math.exp(v) - lgConc;
            const e = Math.exp(v - mx);
            w.pi[c] = e;
            sum += e;
          }
          const logK = Math.log(K);
          for (let c = 0; c < K; c++) {
            w.pi[c] = w.pi[c]! / sum;
            w.logSd[c] = 0.5 * (logK + theta[c0 + 1 + c]! - mx - Math.log(sum)) + base;
          }
          yStart = c0 + 1 + K;
        }
      } else {
        for (let c = 0; c < K; c++) {
          const v = theta[c0 + c]!;
          w.logSd[c] = v;
          lp += auxLogDensityOnLogScale(cov.sd, v);
        }
        yStart = c0 + K;
      }
      for (let c = 0; c < K; c++) w.sd[c] = Math.exp(w.logSd[c]!);
      if (T.hasCor) {
        lp += corrCholeskyForward(K, theta, yStart, w.L, w.zt, w.s);
        lp += lkjCholeskyLogDensity(K, cov.kind === "decov" ? cov.regularization : cov.eta, w.L, null);
      } else {
        w.L.fill(0);
        for (let c = 0; c < K; c++) w.L[c * K + c] = 1;
      }
    }
    return lp;
  }

  /** b_t = diag(sd) L z per level. */
  function groupEffects(theta: Float64Array): void {
    for (let ti = 0; ti < terms.length; ti++) {
      const T = layout.terms[ti]!;
      const w = work[ti]!;
      const K = T.k;
      const { sd, L, b } = w;
      for (let j = 0; j < T.J; j++) {
        const zo = T.zStart + j * K;
        for (let c = 0; c < K; c++) {
          let s = 0;
          for (let d = 0; d <= c; d++) s += L[c * K + d]! * theta[zo + d]!;
          b[j * K + c] = sd[c]! * s;
        }
      }
    }
  }

  function setBeta(theta: Float64Array): void {
    for (let j = 0; j < p; j++) beta[j] = coefShift[j]! + coefScale[j]! * theta[j]!;
  }

  function linearPredictor(theta: Float64Array, out: Float64Array): void {
    setBeta(theta);
    for (let i = 0; i < n; i++) {
      let e = offset[i]!;
      const r = i * p;
      for (let j = 0; j < p; j++) e += Xc[r + j]! * beta[j]!;
      out[i] = e;
    }
    for (let ti = 0; ti < terms.length; ti++) {
      const t = terms[ti]!;
      const K = t.k;
      const b = work[ti]!.b;
      const { group, values } = t;
      for (let i = 0; i < n; i++) {
        const g = group[i]! * K;
        let e = 0;
        for (let c = 0; c < K; c++) e += values[i * K + c]! * b[g + c]!;
        out[i] += e;
      }
    }
  }

  function logDensityGrad(theta: Float64Array, grad: Float64Array): number {
    grad.fill(0);
    let lp = covariances(theta);
    if (!Number.isFinite(lp)) return -Infinity;
    groupEffects(theta);
    linearPredictor(theta, eta);
    const u = auxIndex >= 0 ? theta[auxIndex]! : 0;
    const ll = kernel.logLikGrad(eta, u, score, auxGrad);
    if (!Number.isFinite(ll)) { grad.fill(0); return -Infinity; }
    lp += ll;
    // β = m + s θ
    gBeta.fill(0);
    for (let i = 0; i < n; i++) {
      const si = score[i]!;
      if (si === 0) continue;
      const r = i * p;
      for (let j = 0; j < p; j++) gBeta[j] += si * Xc[r + j]!;
    }
    for (let j = 0; j < p; j++) {
      const q = coefPriors[j]!;
      lp += q.logDensity(beta[j]!);
      grad[j] = coefScale[j]! * (gBeta[j]! + q.gradient(beta[j]!));
    }
    if (auxIndex >= 0) {
      lp += auxLogDensityOnLogScale(auxPrior!, u);
      grad[auxIndex] += auxGrad[0]! + auxLogDensityOnLogScaleGradient(auxPrior!, u);
    }
    for (let ti = 0; ti < terms.length; ti++) {
      const t = terms[ti]!;
      const T = layout.terms[ti]!;
      const w = work[ti]!;
      const K = T.k;
      const { gb, sd, L, gL, gSd } = w;
      gb.fill(0);
      const { group, values } = t;
      for (let i = 0; i < n; i++) {
        const si = score[i]!;
        if (si === 0) continue;
        const g = group[i]! * K;
        for (let c = 0; c < K; c++) gb[g + c] += si * values[i * K + c]!;
      }
      gSd.fill(0);
      gL.fill(0);
      for (let j = 0; j < T.J; j++) {
        const zo = T.zStart + j * K;
        for (let c = 0; c < K; c++) {
          let lz = 0;
          for (let d = 0; d <= c; d++) lz += L[c * K + d]! * theta[zo + d]!;
          const gbc = gb[j * K + c]!;
          gSd[c] += gbc * lz;
          const tc = gbc * sd[c]!;
          for (let d = 0; d <= c; d++) {
            gL[c * K + d] += tc * theta[zo + d]!;
            grad[zo + d] += L[c * K + d]! * tc;
          }
        }
        // z ~ N(0, 1)
        for (let d = 0; d < K; d++) {
          const zv = theta[zo + d]!;
          lp -= 0.5 * zv * zv;
          grad[zo + d] -= zv;
        }
      }
      // through the covariance parameters
      const c0 = T.covStart;
      let yStart: number;
      if (cov.kind === "decov") {
        let hs = 0;
        for (let c = 0; c < K; c++) hs += gSd[c]! * sd[c]!;
        grad[c0] += hs + cov.shape - Math.exp(theta[c0]!);
        if (scaled) grad[auxIndex] += hs;
        if (K > 1) {
          for (let m = 0; m < K; m++) {
            const hm = gSd[m]! * sd[m]!;
            grad[c0 + 1 + m] += 0.5 * (hm - w.pi[m]! * hs) + cov.concentration - Math.exp(theta[c0 + 1 + m]!);
          }
          yStart = c0 + 1 + K;
        } else {
          yStart = c0 + 1;
        }
      } else {
        for (let c = 0; c < K; c++) {
          grad[c0 + c] += gSd[c]! * sd[c]! + auxLogDensityOnLogScaleGradient(cov.sd, theta[c0 + c]!);
        }
        yStart = c0 + K;
      }
      if (T.hasCor) {
        lkjCholeskyLogDensity(K, cov.kind === "decov" ? cov.regularization : cov.eta, L, gL);
        corrCholeskyBackward(K, L, w.zt, w.s, gL, grad, yStart);
      }
    }
    return Number.isNaN(lp) ? -Infinity : lp;
  }

  // names
  const names: string[] = [];
  const outputNames: string[] = [];
  design.columnNames.forEach((c, j) => names.push(j === interceptIndex ? "z_gamma_Intercept" : `z_b_${brmsColumn(c)}`));
  if (family.aux) names.push(`log_${family.aux.name}`);
  terms.forEach((t, ti) => {
    const T = layout.terms[ti]!;
    const f = t.factor;
    if (cov.kind === "decov") {
      names.push(`log_tau_${f}`);
      if (t.k > 1) t.columns.forEach((c) => names.push(`log_zeta_${f}__${brmsColumn(c)}`));
    } else {
      t.columns.forEach((c) => names.push(`log_sd_${f}__${brmsColumn(c)}`));
    }
    if (T.hasCor) for (let m = 0; m < corrDim(t.k); m++) names.push(`cpc_${f}[${m + 1}]`);
  });
  terms.forEach((t) => t.levels.forEach((lv) => t.columns.forEach((c) => names.push(`z_${t.factor}[${lv},${brmsColumn(c)}]`))));
  design.columnNames.forEach((c) => outputNames.push(`b_${brmsColumn(c)}`));
  terms.forEach((t) => t.columns.forEach((c) => outputNames.push(`sd_${t.factor}__${brmsColumn(c)}`)));
  terms.forEach((t, ti) => {
    if (!layout.terms[ti]!.hasCor) return;
    for (let c = 1; c < t.k; c++) for (let d = 0; d < c; d++) outputNames.push(`cor_${t.factor}__${brmsColumn(t.columns[d]!)}__${brmsColumn(t.columns[c]!)}`);
  });
  if (family.aux) outputNames.push(family.aux.name);
  terms.forEach((t) => t.levels.forEach((lv) => t.columns.forEach((c) => outputNames.push(`r_${t.factor}[${lv},${brmsColumn(c)}]`))));
  if (names.length !== layout.dim) throw new Error(`internal: ${names.length} names for dim ${layout.dim}`);

  function constrain(theta: Float64Array, out: Float64Array): void {
    covariances(theta);
    groupEffects(theta);
    setBeta(theta);
    let o = 0;
    let shift = 0;
    for (let j = 0; j < p; j++) if (j !== interceptIndex) shift += xbar[j]! * beta[j]!;
    for (let j = 0; j < p; j++) out[o++] = j === interceptIndex ? beta[j]! - shift : beta[j]!;
    for (let ti = 0; ti < terms.length; ti++) for (let c = 0; c < terms[ti]!.k; c++) out[o++] = work[ti]!.sd[c]!;
    for (let ti = 0; ti < terms.length; ti++) {
      if (!layout.terms[ti]!.hasCor) continue;
      const K = terms[ti]!.k;
      const L = work[ti]!.L;
      // Ω_cd = Σ_m L_cm L_dm
      for (let c = 1; c < K; c++) for (let d = 0; d < c; d++) {
        let s = 0;
        for (let m = 0; m <= d; m++) s += L[c * K + m]! * L[d * K + m]!;
        out[o++] = s;
      }
    }
    if (auxIndex >= 0) out[o++] = Math.exp(theta[auxIndex]!);
    for (let ti = 0; ti < terms.length; ti++) {
      const b = work[ti]!.b;
      for (let m = 0; m < b.length; m++) out[o++] = b[m]!;
    }
  }

  function publicLinearPredictor(theta: Float64Array, out: Float64Array): void {
    covariances(theta);
    groupEffects(theta);
    linearPredictor(theta, out);
  }

  return { dim: layout.dim, names, layout, logDensityGrad, outputNames, constrain, linearPredictor: publicLinearPredictor };
}


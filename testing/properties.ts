/**
 * Property helpers for maximum-likelihood estimates at their limits. Each
 * returns a {@link Verdict}: whether the property holds, why, and the numbers.
 *
 * - mleDiverges(fit, d): ℓ(β̂ + t·d/‖d‖) over t = 0, 1, 2, 4, …, 2^K is
 *   non-decreasing (to rounding), rises on the first step, and stays ≤ 0 (a
 *   discrete family's log-likelihood); and the ML iteration does not converge:
 *   the linear predictor keeps moving between IRLS iterates 8 and 16
 *   (max |xᵢᵀ(β⁽¹⁶⁾ − β⁽⁸⁾)| ≥ 2, where Newton steps on a separated likelihood
 *   move η by about 1 per iteration and a converging iteration by ~0).
 * - isFiniteEstimate: every non-aliased estimate and SE finite (and within
 *   optional bounds), and the fitter converged.
 * - scoreIsZero: the Newton decrement √(Uᵀ I⁻¹ U) of the log-likelihood at the
 *   estimate, U = Xᵀ diag(w μ′/(φV)) (y − μ), I = Xᵀ diag(w μ′²/(φV)) X, is ≤ tol
 *   (it is scale-free: λ²/2 ≈ ℓ(β̂_ML) − ℓ(β̂)).
 * - approximatelyEqualFits: same columns, estimates within tol (relative, or in SEs).
 * - intervalsNest: each inner interval inside the matching outer one.
 * - coverageWithin: an observed coverage within k Monte Carlo standard errors
 *   √(c(1 − c)/m) of the nominal level c.
 */
import { ArgumentError } from "../src/errors.js";
import { irls } from "../src/fit/irls.js";
import { viewOf, type FitLike, type FitView } from "./fit-view.js";
import { verdict, type Verdict } from "./verdict.js";
import { short } from "./data-set.js";

/** Families whose log-likelihood is a sum of log probabilities (≤ 0). */
function discrete(view: FitView): boolean {
  return view.problem.family.discrete;
}

/** ℓ(β) = Σ logLikObs(yᵢ, g⁻¹(xᵢᵀβ + offᵢ), wᵢ, φ). */
export function logLikelihoodAt(view: FitView, beta: ArrayLike<number>): number {
  const { X, n, p, y, weights, offset, family } = view.problem;
  let ll = 0;
  for (let i = 0; i < n; i++) {
    let eta = offset ? offset[i]! : 0;
    for (let j = 0; j < p; j++) if (!view.aliased[j]) eta += X[i * p + j]! * beta[j]!;
    if (weights[i] === 0) continue;
    ll += family.logLikObs(y[i]!, family.link.linkinv(eta), weights[i]!, view.dispersion);
  }
  return ll;
}

function cleanCoef(view: FitView): Float64Array {
  return view.coef.map((b, j) => (view.aliased[j] ? 0 : b));
}

/** Evidence of {@link mleDiverges}. */
export interface DivergenceEvidence {
  /** Distances t along the unit direction. */
  steps: number[];
  /** ℓ at β̂ + t·d/‖d‖. */
  logLik: number[];
  /** ℓ at the last step (≈ the supremum). */
  limit: number;
  nonDecreasing: boolean;
  risesAtFirstStep: boolean;
  boundedByZero: boolean;
  /** IRLS iteration counts at which the iterates were taken. */
  irlsIterations: number[];
  /** ‖β⁽ᵏ⁾‖ at those iterations. */
  coefficientNorms: number[];
  /** max |η| at those iterations. */
  etaMax: number[];
  /** max |xᵢᵀ(β⁽¹⁶⁾ − β⁽⁸⁾)|. */
  lateEtaChange: number;
  keepsMoving: boolean;
  limitIsZero: boolean | null;
}

/** Options of {@link mleDiverges}. */
export interface MleDivergesOptions {
  /** Number of doublings K of the step along the ray (default 12: t up to 4096). */
  doublings?: number;
  /** Also require ℓ → 0 (complete separation): |limit| ≤ limitTolerance (default false). */
  expectLimitZero?: boolean;
  /** Default 1e-6. */
  limitTolerance?: number;
  /** Smallest max |Δη| between IRLS iterates 8 and 16 that counts as not converging (default 2). */
  minLateEtaChange?: number;
}

function irlsIterate(view: FitView, maxit: number): Float64Array {
  const { X, n, p, y, weights, offset, family } = view.problem;
  const r = irls({ X, n, p, y, weights, offset, family }, { maxit, mustart: view.problem.mustart ?? null });
  return r.coef.map((b) => (Number.isNaN(b) ? 0 : b));
}

/**
 * Whether the maximum-likelihood estimate diverges along `direction` (separation,
 * or a zero-count cell): see the module comment for the exact criteria.
 * @example mleDiverges(glm(sep.spec).fit(), sep.truth.direction, { expectLimitZero: true }).ok // true
 */
export function mleDiverges(fit: FitLike, direction: ArrayLike<number>, options: MleDivergesOptions = {}): Verdict<DivergenceEvidence> {
  const view = viewOf(fit);
  const p = view.problem.p;
  if (!discrete(view))
    throw new ArgumentError(`mleDiverges needs a binomial, Poisson or negative binomial fit (a log-likelihood bounded above by 0); fit has family ${view.problem.family.name}`);
  if (direction.length !== p) throw new ArgumentError(`direction has length ${direction.length}, but the fit has ${p} coefficients`);
  let norm = 0;
  for (let j = 0; j < p; j++) {
    if (!Number.isFinite(direction[j]!)) throw new ArgumentError(`direction[${j}] must be finite, got ${direction[j]}`);
    norm += direction[j]! * direction[j]!;
  }
  norm = Math.sqrt(norm);
  if (!(norm > 0)) throw new ArgumentError("direction must not be the zero vector");
  const K = options.doublings ?? 12;
  const start = cleanCoef(view);
  const steps = [0, ...Array.from({ length: K + 1 }, (_, k) => 2 ** k)];
  const beta = new Float64Array(p);
  const logLik = steps.map((t) => {
    for (let j = 0; j < p; j++) beta[j] = start[j]! + (t * direction[j]!) / norm;
    return logLikelihoodAt(view, beta);
  });
  let nonDecreasing = true;
  for (let k = 1; k < logLik.length; k++) if (!(logLik[k]! >= logLik[k - 1]! - 1e-12 * Math.abs(logLik[k - 1]!))) nonDecreasing = false;
  const risesAtFirstStep = logLik[1]! > logLik[0]!;
  const boundedByZero = logLik.every((l) => l <= 0);
  const limit = logLik[logLik.length - 1]!;
  // The ML iteration itself: iterates 4, 8 and 16.
  const its = [4, 8, 16];
  const iterates = its.map((m) => irlsIterate(view, m));
  const { X, n } = view.problem;
  const etaMax = iterates.map((b) => {
    let mx = 0;
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let j = 0; j < p; j++) e += X[i * p + j]! * b[j]!;
      mx = Math.max(mx, Math.abs(e));
    }
    return mx;
  });
  let lateEtaChange = 0;
  for (let i = 0; i < n; i++) {
    let e = 0;
    for (let j = 0; j < p; j++) e += X[i * p + j]! * (iterates[2]![j]! - iterates[1]![j]!);
    lateEtaChange = Math.max(lateEtaChange, Math.abs(e));
  }
  const keepsMoving = lateEtaChange >= (options.minLateEtaChange ?? 2);
  const tol = options.limitTolerance ?? 1e-6;
  const limitIsZero = options.expectLimitZero ? Math.abs(limit) <= tol : null;
  const evidence: DivergenceEvidence = {
    steps, logLik, limit, nonDecreasing, risesAtFirstStep, boundedByZero,
    irlsIterations: its, coefficientNorms: iterates.map((b) => Math.hypot(...b)), etaMax, lateEtaChange, keepsMoving, limitIsZero,
  };
  const problems: string[] = [];
  if (!nonDecreasing) problems.push("ℓ decreases somewhere along the ray");
  if (!risesAtFirstStep) problems.push(`ℓ does not rise on the first step (${short(logLik[0]!)} → ${short(logLik[1]!)})`);
  if (!boundedByZero) problems.push("ℓ exceeds 0");
  if (!keepsMoving) problems.push(`the IRLS iterates settle (max |Δη| between iterations 8 and 16 is ${short(lateEtaChange)})`);
  if (limitIsZero === false) problems.push(`ℓ tends to ${short(limit)}, not 0`);
  return verdict(
    problems.length === 0,
    problems.length === 0
      ? `ℓ rises from ${short(logLik[0]!)} to ${short(limit)} along the ray and the IRLS iterates keep moving (|Δη| = ${short(lateEtaChange)} over iterations 8–16)`
      : `the MLE does not diverge along the direction: ${problems.join("; ")}`,
    evidence,
  );
}

/** Evidence of {@link isFiniteEstimate}. */
export interface FiniteEvidence {
  method: string;
  estimates: number[];
  se: number[] | null;
  converged: boolean | null;
  /** Coefficients (by name) that break the property, with why. */
  offending: Record<string, string>;
}

/** Options of {@link isFiniteEstimate}. */
export interface FiniteOptions {
  /** Largest |estimate| accepted (default ∞). */
  maxAbs?: number;
  /** Largest SE accepted (default ∞). */
  maxSe?: number;
  /** Require the fitter's convergence flag (default true). */
  requireConverged?: boolean;
  /** Require standard errors to be available (default true). */
  requireSe?: boolean;
}

/**
 * Whether every non-aliased estimate and its SE are finite (and within bounds), and the fit converged.
 * @example isFiniteEstimate(fitBiasReduced(problem, { type: "AS_mean" })).ok // true even under separation
 */
export function isFiniteEstimate(fit: FitLike, options: FiniteOptions = {}): Verdict<FiniteEvidence> {
  const view = viewOf(fit);
  const maxAbs = options.maxAbs ?? Infinity;
  const maxSe = options.maxSe ?? Infinity;
  const names = view.problem.columnNames;
  const offending: Record<string, string> = {};
  view.coef.forEach((b, j) => {
    if (view.aliased[j]) return;
    const name = names[j] ?? `#${j + 1}`;
    if (!Number.isFinite(b)) offending[name] = `estimate ${b}`;
    else if (Math.abs(b) > maxAbs) offending[name] = `|estimate| ${short(b)} > ${maxAbs}`;
    if (view.se) {
      const s = view.se[j]!;
      if (!Number.isFinite(s) || !(s > 0)) offending[name] = `${offending[name] ? `${offending[name]}; ` : ""}SE ${s}`;
      else if (s > maxSe) offending[name] = `${offending[name] ? `${offending[name]}; ` : ""}SE ${short(s)} > ${maxSe}`;
    }
  });
  const problems: string[] = [];
  if (Object.keys(offending).length > 0) problems.push(Object.entries(offending).map(([k, v]) => `${k}: ${v}`).join(", "));
  if ((options.requireSe ?? true) && view.se === null) problems.push("no standard errors");
  if ((options.requireConverged ?? true) && view.converged === false) problems.push("the fit did not converge");
  return verdict(
    problems.length === 0,
    problems.length === 0 ? `${view.method}: all estimates${view.se ? " and SEs" : ""} finite` : `${view.method}: ${problems.join("; ")}`,
    { method: view.method, estimates: Array.from(view.coef), se: view.se ? Array.from(view.se) : null, converged: view.converged, offending },
  );
}

/** Evidence of {@link scoreIsZero}. */
export interface ScoreEvidence {
  /** U = ∂ℓ/∂β at the estimate (0 for aliased columns). */
  score: number[];
  /** √(Uᵀ I⁻¹ U). */
  newtonDecrement: number;
  /** max |Uⱼ|/√Iⱼⱼ. */
  maxStandardizedScore: number;
  tol: number;
}

/**
 * Whether the estimate is a root of the likelihood score: √(Uᵀ I⁻¹ U) ≤ tol.
 * @example scoreIsZero(glm(d.spec).fit({ epsilon: 1e-12 }), 1e-6).ok // true for data with a finite MLE
 */
export function scoreIsZero(fit: FitLike, tol: number): Verdict<ScoreEvidence> {
  if (!(tol > 0)) throw new ArgumentError(`tol must be a positive number, got ${tol}`);
  const view = viewOf(fit);
  const { X, n, p, y, weights, offset, family } = view.problem;
  const link = family.link;
  const beta = cleanCoef(view);
  const phi = view.dispersion > 0 && Number.isFinite(view.dispersion) ? view.dispersion : 1;
  const keep = Array.from({ length: p }, (_, j) => j).filter((j) => !view.aliased[j]);
  const k = keep.length;
  const U = new Float64Array(k);
  const I = new Float64Array(k * k);
  for (let i = 0; i < n; i++) {
    if (weights[i] === 0) continue;
    let eta = offset ? offset[i]! : 0;
    for (const j of keep) eta += X[i * p + j]! * beta[j]!;
    const mu = link.linkinv(eta);
    const me = link.muEta(eta);
    const v = family.variance(mu);
    const u = (weights[i]! * (y[i]! - mu) * me) / (phi * v);
    const w = (weights[i]! * me * me) / (phi * v);
    for (let a = 0; a < k; a++) {
      const xa = X[i * p + keep[a]!]!;
      U[a] = U[a]! + u * xa;
      for (let b = 0; b <= a; b++) I[a * k + b] = I[a * k + b]! + w * xa * X[i * p + keep[b]!]!;
    }
  }
  let maxStd = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < a; b++) I[b * k + a] = I[a * k + b]!;
    maxStd = Math.max(maxStd, Math.abs(U[a]!) / Math.sqrt(I[a * k + a]!));
  }
  // Cholesky of I (lower, in place) and the decrement via forward substitution: ‖L⁻¹U‖.
  const L = Float64Array.from(I);
  let singular = false;
  for (let a = 0; a < k; a++) {
    let d = L[a * k + a]!;
    for (let c = 0; c < a; c++) d -= L[a * k + c]! * L[a * k + c]!;
    if (!(d > 0)) {
      singular = true;
      break;
    }
    const r = Math.sqrt(d);
    L[a * k + a] = r;
    for (let b = a + 1; b < k; b++) {
      let s = L[b * k + a]!;
      for (let c = 0; c < a; c++) s -= L[b * k + c]! * L[a * k + c]!;
      L[b * k + a] = s / r;
    }
  }
  let dec = Number.NaN;
  if (!singular) {
    const z = new Float64Array(k);
    let ss = 0;
    for (let a = 0; a < k; a++) {
      let s = U[a]!;
      for (let c = 0; c < a; c++) s -= L[a * k + c]! * z[c]!;
      z[a] = s / L[a * k + a]!;
      ss += z[a]! * z[a]!;
    }
    dec = Math.sqrt(ss);
  }
  const score = new Array<number>(p).fill(0);
  keep.forEach((j, a) => (score[j] = U[a]!));
  const ok = Number.isFinite(dec) && dec <= tol;
  return verdict(
    ok,
    singular
      ? "the Fisher information at the estimate is singular: no Newton decrement"
      : ok
        ? `Newton decrement ${short(dec)} ≤ ${tol}`
        : `the score is not zero: Newton decrement ${short(dec)} > ${tol} (max |Uⱼ|/√Iⱼⱼ = ${short(maxStd)})`,
    { score, newtonDecrement: dec, maxStandardizedScore: maxStd, tol },
  );
}

/** Evidence of {@link approximatelyEqualFits}. */
export interface EqualityEvidence {
  names: string[];
  a: number[];
  b: number[];
  /** Per coefficient: |a − b| / scale. */
  discrepancy: number[];
  worst: string | null;
  scale: "relative" | "se";
  tol: number;
}

/** Options of {@link approximatelyEqualFits}. */
export interface EqualityOptions {
  /** "relative": |a − b| ≤ tol·max(1, |b|) (default); "se": |a − b| ≤ tol·SE of b (or of a). */
  scale?: "relative" | "se";
}

/**
 * Whether two fits of the same columns give the same estimates within `tol`.
 * @example approximatelyEqualFits(mapFitWithHugeScale, mleFit, 1e-4).ok // true when the MLE exists
 */
export function approximatelyEqualFits(a: FitLike, b: FitLike, tol: number, options: EqualityOptions = {}): Verdict<EqualityEvidence> {
  if (!(tol >= 0)) throw new ArgumentError(`tol must be a non-negative number, got ${tol}`);
  const va = viewOf(a, "a");
  const vb = viewOf(b, "b");
  const names = va.problem.columnNames;
  if (names.length !== vb.problem.columnNames.length || names.some((nm, j) => nm !== vb.problem.columnNames[j]))
    throw new ArgumentError(`a and b have different columns: [${names.join(", ")}] vs [${vb.problem.columnNames.join(", ")}]`);
  const scale = options.scale ?? "relative";
  const se = scale === "se" ? (vb.se ?? va.se) : null;
  if (scale === "se" && se === null) throw new ArgumentError("scale \"se\" needs standard errors on a or b");
  const discrepancy = names.map((_, j) => {
    const x = va.coef[j]!;
    const y = vb.coef[j]!;
    if (Number.isNaN(x) && Number.isNaN(y)) return 0;
    const s = scale === "se" ? se![j]! : Math.max(1, Math.abs(y));
    return Math.abs(x - y) / s;
  });
  let worst: string | null = null;
  let worstValue = -1;
  discrepancy.forEach((d, j) => {
    if (!(d <= worstValue)) {
      worstValue = Number.isNaN(d) ? Infinity : d;
      worst = names[j]!;
    }
  });
  const ok = discrepancy.every((d) => d <= tol);
  const unit = scale === "se" ? "SEs" : "(relative)";
  return verdict(
    ok,
    ok ? `${va.method} and ${vb.method} agree: largest discrepancy ${short(worstValue)} ${unit} ≤ ${tol}` : `${va.method} and ${vb.method} differ at ${worst}: ${short(worstValue)} ${unit} > ${tol}`,
    { names, a: Array.from(va.coef), b: Array.from(vb.coef), discrepancy, worst, scale, tol },
  );
}

/** An interval; `name` labels it in the evidence. */
export interface IntervalLike {
  lower: number;
  upper: number;
  name?: string;
}

/** Evidence of {@link intervalsNest}. */
export interface NestingEvidence {
  /** Intervals (by name or position) where inner ⊄ outer. */
  violations: { name: string; inner: [number, number]; outer: [number, number] }[];
}

/**
 * Whether each inner interval lies inside the matching outer one (lower_out ≤ lower_in, upper_in ≤ upper_out, up to `slack`).
 * @example intervalsNest(wald(fit, 0.9), wald(fit, 0.95)).ok // true
 */
export function intervalsNest(inner: readonly IntervalLike[], outer: readonly IntervalLike[], slack = 0): Verdict<NestingEvidence> {
  if (inner.length !== outer.length) throw new ArgumentError(`inner has ${inner.length} intervals but outer has ${outer.length}`);
  const violations: NestingEvidence["violations"] = [];
  inner.forEach((a, j) => {
    const b = outer[j]!;
    const name = a.name ?? b.name ?? `#${j + 1}`;
    if (a.name !== undefined && b.name !== undefined && a.name !== b.name) throw new ArgumentError(`interval ${j + 1} is "${a.name}" in inner but "${b.name}" in outer`);
    for (const [what, x] of [["inner", a], ["outer", b]] as const)
      if (Number.isNaN(x.lower) || Number.isNaN(x.upper) || x.lower > x.upper) throw new ArgumentError(`${what} interval "${name}" is not an interval: [${x.lower}, ${x.upper}]`);
    if (!(b.lower <= a.lower + slack && a.upper <= b.upper + slack)) violations.push({ name, inner: [a.lower, a.upper], outer: [b.lower, b.upper] });
  });
  return verdict(
    violations.length === 0,
    violations.length === 0 ? `all ${inner.length} intervals nest` : `${violations.length} interval(s) do not nest: ${violations.map((v) => v.name).join(", ")}`,
    { violations },
  );
}

/** Evidence of {@link coverageWithin}. */
export interface CoverageEvidence {
  covered: number;
  trials: number;
  observed: number;
  nominal: number;
  /** √(c(1 − c)/m). */
  mcse: number;
  /** (observed − nominal)/mcse. */
  z: number;
  mcErrors: number;
}

/**
 * Whether an observed coverage is within `mcErrors` Monte Carlo standard errors of the nominal level.
 * @example coverageWithin({ covered: 93, trials: 100, nominal: 0.95 }, 3).ok // true (z = −0.92)
 */
export function coverageWithin(result: { covered: number; trials: number; nominal: number }, mcErrors = 3): Verdict<CoverageEvidence> {
  const { covered, trials, nominal } = result;
  if (!Number.isInteger(trials) || trials < 1) throw new ArgumentError(`trials must be a positive integer, got ${trials}`);
  if (!Number.isInteger(covered) || covered < 0 || covered > trials) throw new ArgumentError(`covered must be an integer in 0…${trials}, got ${covered}`);
  if (!(nominal > 0 && nominal < 1)) throw new ArgumentError(`nominal must be in (0, 1), got ${nominal}`);
  if (!(mcErrors > 0)) throw new ArgumentError(`mcErrors must be positive, got ${mcErrors}`);
  const observed = covered / trials;
  const mcse = Math.sqrt((nominal * (1 - nominal)) / trials);
  const z = (observed - nominal) / mcse;
  const ok = Math.abs(z) <= mcErrors;
  return verdict(
    ok,
    `coverage ${covered}/${trials} = ${short(observed)} vs nominal ${nominal}: ${short(z)} Monte Carlo SEs (${ok ? "≤" : ">"} ${mcErrors})`,
    { covered, trials, observed, nominal, mcse, z, mcErrors },
  );
}

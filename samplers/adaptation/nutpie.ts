/**
 * nutpie's warmup (Seyboldt, Carlson & Carpenter, "Preconditioning Hamiltonian Monte
 * Carlo by minimizing Fisher divergence", arXiv:2603.18845 [1]; the nuts-rs crate behind
 * nutpie [2]): a diagonal metric estimated from the draws *and* their gradients,
 * updated at every warmup iteration instead of at the end of Stan's doubling windows.
 *
 * For a Gaussian target N(μ, Σ) with diagonal Σ the gradient is −Σ⁻¹(θ − μ), so
 * Var(θᵢ) = σᵢ² and Var(∂ᵢ log p) = 1/σᵢ²; the estimate
 *   M⁻¹ᵢᵢ = √(Var(θᵢ) / Var(∂ᵢ log p))            (the diagonal Fisher-divergence minimiser of [1])
 * is exact there and, in general, minimises the Fisher divergence between the
 * target and a diagonal affine map of N(0, I). Because every draw brings dim pieces
 * of information twice (position and gradient), far fewer warmup draws suffice.
 *
 * The schedule ([2], `adapt_strategy.rs`; the fractions are nuts-rs's defaults):
 * - iterations [0, earlyEnd = ⌊0.3 N⌋): the estimator is restarted every 10 draws
 *   (foreground/background pair: the metric comes from the foreground, which is
 *   replaced by the background once that holds `switch` draws);
 * - [earlyEnd, finalStart = N − ⌊0.15 N⌋): the same with switches every 80 draws;
 * - [finalStart, N): metric fixed, only the step size adapts.
 * A switch is skipped when fewer than `switch` iterations would remain before
 * finalStart. Divergent transitions do not enter the estimators. The step size
 * follows Stan's dual averaging throughout; it is re-initialised by Stan's heuristic
 * once, when the metric first changes. The step size kept for sampling is the
 * geometric mean of the dual-averaging iterates exp(xₜ) over the final phase (Stan
 * keeps exp(x̄ₜ), whose weights reach back to the small steps of the start: with a
 * warmup of a few hundred iterations it lands below the target acceptance's step
 * size; measured in docs/nuts-performance.md); with an empty final phase, exp(x̄ₜ).
 *
 * Only the diagonal metric is estimated this way (nutpie's dense variant is a
 * low-rank update, not implemented here).
 *
 * References: [1] Seyboldt, Carlson & Carpenter (2026), arXiv:2603.18845;
 * [2] pymc-devs/nuts-rs, `GlobalStrategy::adapt` and `mass_matrix_adapt::Strategy`.
 */
import { ArgumentError } from "../../src/errors.js";
import { velocityVerlet, type Integrator } from "../kernels/integrators.js";
import { makeMetric, unitMetric, type Metric } from "../metric.js";
import type { Kernel, KernelParams, KernelState, LogDensity, Rng, TransitionInfo } from "../types.js";
import { dualAveraging, type DualAveragingOptions, type DualAveragingState } from "./dual-averaging.js";
import { findReasonableStepSize } from "./step-size.js";
import type { WarmupResult } from "./window.js";

/** The phases of nutpie's warmup for `numWarmup` iterations. */
export interface NutpieSchedule {
  readonly numWarmup: number;
  /** First iteration of the late phase (switches every `lateSwitch` draws). */
  readonly earlyEnd: number;
  /** First iteration of the final, step-size-only phase. */
  readonly finalStart: number;
  readonly earlySwitch: number;
  readonly lateSwitch: number;
}

/** Options of the schedule (nuts-rs's defaults). */
export interface NutpieScheduleOptions {
  /** Fraction of the warmup in the early phase; default 0.3. */
  earlyWindow?: number;
  /** Fraction of the warmup at the end that adapts only the step size; default 0.15. */
  stepSizeWindow?: number;
  /** Estimator switch frequency in the early phase; default 10. */
  earlySwitch?: number;
  /** Estimator switch frequency after it; default 80. */
  lateSwitch?: number;
}

function fraction(name: string, v: number): number {
  if (!(v >= 0 && v < 1)) throw new ArgumentError(`${name} must be in [0, 1), got ${v}`);
  return v;
}

function count(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new ArgumentError(`${name} must be a positive integer, got ${v}`);
  return v;
}

/**
 * The phase boundaries of nutpie's warmup (a pure function).
 * @example buildNutpieSchedule(1000) // { numWarmup: 1000, earlyEnd: 300, finalStart: 850, earlySwitch: 10, lateSwitch: 80 }
 */
export function buildNutpieSchedule(numWarmup: number, options: NutpieScheduleOptions = {}): NutpieSchedule {
  if (!Number.isInteger(numWarmup) || numWarmup < 0) throw new ArgumentError(`numWarmup must be a non-negative integer, got ${numWarmup}`);
  const early = fraction("earlyWindow", options.earlyWindow ?? 0.3);
  const final = fraction("stepSizeWindow", options.stepSizeWindow ?? 0.15);
  if (early + final >= 1) throw new ArgumentError(`earlyWindow + stepSizeWindow must be below 1, got ${early} + ${final}`);
  return Object.freeze({
    numWarmup,
    earlyEnd: Math.floor(early * numWarmup),
    finalStart: numWarmup - Math.floor(final * numWarmup),
    earlySwitch: count("earlySwitch", options.earlySwitch ?? 10),
    lateSwitch: count("lateSwitch", options.lateSwitch ?? 80),
  });
}

/** Running means and sums of squared deviations of positions and gradients (Welford 1962). */
export interface DrawGradMoments {
  n: number;
  readonly meanDraw: Float64Array;
  readonly m2Draw: Float64Array;
  readonly meanGrad: Float64Array;
  readonly m2Grad: Float64Array;
}

function newMoments(dim: number): DrawGradMoments {
  return { n: 0, meanDraw: new Float64Array(dim), m2Draw: new Float64Array(dim), meanGrad: new Float64Array(dim), m2Grad: new Float64Array(dim) };
}

function addMoments(s: DrawGradMoments, x: Float64Array, g: Float64Array): void {
  s.n++;
  const dim = x.length;
  for (let i = 0; i < dim; i++) {
    const d = x[i]! - s.meanDraw[i]!;
    s.meanDraw[i]! += d / s.n;
    s.m2Draw[i]! += (x[i]! - s.meanDraw[i]!) * d;
    const e = g[i]! - s.meanGrad[i]!;
    s.meanGrad[i]! += e / s.n;
    s.m2Grad[i]! += (g[i]! - s.meanGrad[i]!) * e;
  }
}

/** Bounds of an estimated M⁻¹ᵢᵢ (nuts-rs's limits). */
const LOWER_LIMIT = 1e-20;
const UPPER_LIMIT = 1e20;

/**
 * M⁻¹ᵢᵢ = √(Var θᵢ / Var ∂ᵢ log p) from the moments (the n − 1 cancels), clamped to
 * [1e-20, 1e20]; a coordinate whose ratio is not a number (no spread in either)
 * keeps its previous value. Writes into `out`.
 * @example // draws with variance 4 and gradients with variance 1/4 give M⁻¹ = 4
 */
export function drawGradInvMetric(s: DrawGradMoments, previous: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) {
    const v = Math.sqrt(s.m2Draw[i]! / s.m2Grad[i]!);
    out[i] = Number.isNaN(v) ? previous[i]! : v < LOWER_LIMIT ? LOWER_LIMIT : v > UPPER_LIMIT ? UPPER_LIMIT : v;
  }
}

/** Options of nutpie's adaptation. */
export interface NutpieAdaptationOptions extends DualAveragingOptions, NutpieScheduleOptions {
  numWarmup: number;
  /** Step size before the first heuristic; μ = log(10 × this) as in Stan. Default 1. */
  initialStepSize?: number;
  /** Initial (diagonal) inverse metric; default the identity. */
  initialInvMetric?: Float64Array;
  /** Integrator used by the step-size heuristic (should be the kernel's). Default velocity Verlet. */
  integrator?: Integrator;
}

/** Adaptation state; the moment accumulators are updated in place. */
export interface NutpieAdaptationState {
  readonly iteration: number;
  readonly stepSize: number;
  readonly metric: Metric;
  readonly dualAveraging: DualAveragingState;
  readonly foreground: DrawGradMoments;
  readonly background: DrawGradMoments;
  /** False until the metric has been estimated once (then the step size is re-initialised). */
  readonly metricEstimated: boolean;
  /** Σ log εₜ and the count over the final (step-size-only) phase. */
  readonly finalLogStepSum: number;
  readonly finalCount: number;
}

/**
 * Builds nutpie's adaptation for `dim` coordinates around any kernel, with the same
 * `{ init, params, update, final, run }` shape as `windowAdaptation`.
 * @example const na = nutpieAdaptation(buildNutsKernel(), 2, { numWarmup: 300 }); const { stepSize, invMetric } = na.run(rng, state, target);
 */
export function nutpieAdaptation(kernel: Kernel, dim: number, options: NutpieAdaptationOptions) {
  const schedule = buildNutpieSchedule(options.numWarmup, options);
  const da = dualAveraging(options);
  const integrator = options.integrator ?? velocityVerlet;
  const initialStepSize = options.initialStepSize ?? 1;
  if (!(initialStepSize > 0) || !Number.isFinite(initialStepSize)) {
    throw new ArgumentError(`initialStepSize must be positive and finite, got ${initialStepSize}`);
  }
  if (options.initialInvMetric && options.initialInvMetric.length !== dim) {
    throw new ArgumentError(`initialInvMetric must be diagonal (length ${dim}) for the nutpie adaptation, got length ${options.initialInvMetric.length}`);
  }
  const next = new Float64Array(dim);

  function init(rng: Rng, state: KernelState, target: LogDensity): NutpieAdaptationState {
    const metric = options.initialInvMetric ? makeMetric(options.initialInvMetric, dim) : unitMetric(dim, "diag");
    const stepSize = findReasonableStepSize(rng, state, target, metric, initialStepSize, integrator);
    const foreground = newMoments(dim);
    const background = newMoments(dim);
    addMoments(foreground, state.position, state.grad);
    addMoments(background, state.position, state.grad);
    return {
      iteration: 0, stepSize, metric, dualAveraging: da.init(stepSize, Math.log(10 * initialStepSize)),
      foreground, background, metricEstimated: false, finalLogStepSum: 0, finalCount: 0,
    };
  }

  function params(s: NutpieAdaptationState): KernelParams {
    return { stepSize: s.stepSize, invMetric: s.metric };
  }

  /** Learns from one warmup transition that ended in `state` with diagnostics `info`. */
  function update(rng: Rng, s: NutpieAdaptationState, state: KernelState, target: LogDensity, info: TransitionInfo): NutpieAdaptationState {
    const it = s.iteration;
    let { foreground, background, metric, metricEstimated } = s;
    if (it < schedule.finalStart) {
      if (!info.divergent) {
        addMoments(foreground, state.position, state.grad);
        addMoments(background, state.position, state.grad);
      }
      const switchFreq = it < schedule.earlyEnd ? schedule.earlySwitch : schedule.lateSwitch;
      if (background.n >= switchFreq && it + switchFreq <= schedule.finalStart) {
        foreground = background;
        background = newMoments(dim);
      }
      if (foreground.n >= 3) {
        drawGradInvMetric(foreground, metric.invMetric, next);
        metric = makeMetric(next, dim);
        if (!metricEstimated) {
          // The first estimate can change the scale a lot: restart the step size (nuts-rs does too).
          const stepSize = findReasonableStepSize(rng, state, target, metric, s.stepSize, integrator);
          return { ...s, iteration: it + 1, stepSize, metric, dualAveraging: da.init(stepSize), foreground, background, metricEstimated: true };
        }
      }
    }
    const daState = da.update(s.dualAveraging, info.acceptProb);
    const late = it >= schedule.finalStart;
    return {
      iteration: it + 1, stepSize: Math.exp(daState.logStepSize), metric, dualAveraging: daState, foreground, background, metricEstimated,
      finalLogStepSum: s.finalLogStepSum + (late ? daState.logStepSize : 0), finalCount: s.finalCount + (late ? 1 : 0),
    };
  }

  /** The adapted step size (exp of the mean xₜ of the final phase, else exp(x̄)) and inverse metric (a copy); with no warmup, the heuristic's step size. */
  function final(s: NutpieAdaptationState): { stepSize: number; invMetric: Float64Array } {
    const stepSize = s.finalCount > 0 ? Math.exp(s.finalLogStepSum / s.finalCount) : s.dualAveraging.t > 0 ? da.final(s.dualAveraging) : s.stepSize;
    return { stepSize, invMetric: Float64Array.from(s.metric.invMetric) };
  }

  /** Runs the whole warmup with `kernel`; `keep` records warmup positions and infos. */
  function run(rng: Rng, state: KernelState, target: LogDensity, keep = false, onIteration?: (i: number) => void): WarmupResult {
    let s = init(rng, state, target);
    const n = options.numWarmup;
    const positions = keep ? new Float64Array(n * dim) : undefined;
    const infos: TransitionInfo[] | undefined = keep ? [] : undefined;
    let current = state;
    for (let i = 0; i < n; i++) {
      const out = kernel.step(rng, current, target, params(s));
      current = out.state;
      s = update(rng, s, current, target, out.info);
      if (positions) positions.set(current.position, i * dim);
      if (infos) infos.push(out.info);
      if (onIteration) onIteration(i);
    }
    const { stepSize, invMetric } = final(s);
    return { state: current, stepSize, invMetric, positions, infos };
  }

  return { schedule, init, params, update, final, run };
}

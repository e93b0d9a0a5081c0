/**
 * Stan's windowed warmup composed from its parts: dual averaging of the step size at
 * every iteration, Welford (co)variance estimation inside the windows of
 * `buildSchedule`, and after each window: new metric, step size re-initialised by the
 * heuristic, dual averaging restarted with μ = log(10 ε) (Stan's
 * `adapt_diag_e_nuts::transition`). At the end the step size is exp(x̄).
 */
import { ArgumentError } from "../../src/errors.js";
import { velocityVerlet, type Integrator } from "../kernels/integrators.js";
import { makeMetric, unitMetric, type Metric } from "../metric.js";
import type { Kernel, KernelParams, KernelState, LogDensity, Rng, TransitionInfo } from "../types.js";
import { dualAveraging, type DualAveragingOptions, type DualAveragingState } from "./dual-averaging.js";
import { buildSchedule, type AdaptationSchedule, type ScheduleOptions } from "./schedule.js";
import { findReasonableStepSize } from "./step-size.js";
import { welford, welfordCovariance, type WelfordState } from "./welford.js";

/** Options of the window adaptation. */
export interface WindowAdaptationOptions extends DualAveragingOptions, ScheduleOptions {
  numWarmup: number;
  /** "diag" (default) or "dense" metric. */
  metric?: "diag" | "dense";
  /** Step size before the first heuristic; μ = log(10 × this) as in Stan. Default 1. */
  initialStepSize?: number;
  /** Initial inverse metric; default the identity. */
  initialInvMetric?: Float64Array;
  /** Integrator used by the step-size heuristic (should be the kernel's). Default velocity Verlet. */
  integrator?: Integrator;
}

/**
 * Adaptation state. Owned by the caller: `update` returns a new record but updates the
 * Welford accumulator in place.
 */
export interface WindowAdaptationState {
  /** Warmup iterations completed. */
  readonly iteration: number;
  readonly stepSize: number;
  readonly metric: Metric;
  readonly dualAveraging: DualAveragingState;
  readonly estimator: WelfordState;
}

/** Result of a complete warmup run. */
export interface WarmupResult {
  state: KernelState;
  stepSize: number;
  invMetric: Float64Array;
  /** Positions (numWarmup × dim, row-major) and infos of the warmup iterations, when requested. */
  positions?: Float64Array;
  infos?: TransitionInfo[];
}

/**
 * Builds the window adaptation for `dim` coordinates around any kernel.
 * @example const wa = windowAdaptation(buildNutsKernel(), 2, { numWarmup: 1000 }); const { stepSize, invMetric } = wa.run(rng, state, target);
 */
export function windowAdaptation(kernel: Kernel, dim: number, options: WindowAdaptationOptions) {
  const kind = options.metric ?? "diag";
  if (kind !== "diag" && kind !== "dense") throw new ArgumentError(`metric must be "diag" or "dense", got ${String(kind)}`);
  const schedule: AdaptationSchedule = buildSchedule(options.numWarmup, options);
  const da = dualAveraging(options);
  const estimator = kind === "diag" ? welford(dim) : welfordCovariance(dim);
  const integrator = options.integrator ?? velocityVerlet;
  const initialStepSize = options.initialStepSize ?? 1;
  if (!(initialStepSize > 0) || !Number.isFinite(initialStepSize)) {
    throw new ArgumentError(`initialStepSize must be positive and finite, got ${initialStepSize}`);
  }
  // Iteration index → is it inside a window / the last iteration of one?
  const inWindow = new Uint8Array(options.numWarmup);
  const windowEnd = new Uint8Array(options.numWarmup);
  for (const w of schedule.windows) {
    for (let i = w.start; i <= w.end; i++) inWindow[i] = 1;
    windowEnd[w.end] = 1;
  }
  const scratch = new Float64Array(dim);

  function init(rng: Rng, state: KernelState, target: LogDensity): WindowAdaptationState {
    const metric = options.initialInvMetric ? makeMetric(options.initialInvMetric, dim) : unitMetric(dim, kind);
    const stepSize = findReasonableStepSize(rng, state, target, metric, initialStepSize, integrator);
    return {
      iteration: 0,
      stepSize,
      metric,
      dualAveraging: da.init(stepSize, Math.log(10 * initialStepSize)),
      estimator: estimator.init(),
    };
  }

  function params(s: WindowAdaptationState): KernelParams {
    return { stepSize: s.stepSize, invMetric: s.metric };
  }

  /** Learns from one warmup transition that ended in `state` with acceptance statistic `acceptStat`. */
  function update(rng: Rng, s: WindowAdaptationState, state: KernelState, target: LogDensity, acceptStat: number): WindowAdaptationState {
    const it = s.iteration;
    let daState = da.update(s.dualAveraging, acceptStat);
    let stepSize = Math.exp(daState.logStepSize);
    let metric = s.metric;
    let est = s.estimator;
    if (it < options.numWarmup && inWindow[it]) {
      if (kind === "diag") (estimator as ReturnType<typeof welford>).update(est, state.position);
      else (estimator as ReturnType<typeof welfordCovariance>).update(est, state.position, scratch);
    }
    if (it < options.numWarmup && windowEnd[it]) {
      metric = makeMetric(estimator.final(est), dim);
      est = estimator.init();
      stepSize = findReasonableStepSize(rng, state, target, metric, stepSize, integrator);
      daState = da.init(stepSize);
    }
    return { iteration: it + 1, stepSize, metric, dualAveraging: daState, estimator: est };
  }

  /** The adapted step size exp(x̄) and inverse metric (a copy). With no warmup iterations: the heuristic's step size (Stan would report exp(0) = 1). */
  function final(s: WindowAdaptationState): { stepSize: number; invMetric: Float64Array } {
    const stepSize = s.iteration > 0 ? da.final(s.dualAveraging) : s.stepSize;
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
      s = update(rng, s, current, target, out.info.acceptProb);
      if (positions) positions.set(current.position, i * dim);
      if (infos) infos.push(out.info);
      if (onIteration) onIteration(i);
    }
    const { stepSize, invMetric } = final(s);
    return { state: current, stepSize, invMetric, positions, infos };
  }

  return { schedule, init, params, update, final, run };
}

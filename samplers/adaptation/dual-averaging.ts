/**
 * Nesterov's dual averaging of log ε towards a target acceptance statistic δ
 * (Hoffman & Gelman 2014, §3.2.1, eq. (6); Stan's `stepsize_adaptation`):
 *   s̄ₜ = (1 − 1/(t + t₀)) s̄ₜ₋₁ + (δ − aₜ)/(t + t₀),
 *   xₜ = μ − √t s̄ₜ / γ,   x̄ₜ = (1 − t^{−κ}) x̄ₜ₋₁ + t^{−κ} xₜ,
 * with μ = log(10 ε₀); the step size used next is exp(xₜ) and the final one exp(x̄ₜ).
 */
import { ArgumentError } from "../../src/errors.js";

/** Options of dual averaging (Stan's defaults). */
export interface DualAveragingOptions {
  /** δ, the target mean acceptance statistic (Stan's adapt_delta). */
  targetAccept?: number;
  /** γ, regularisation scale. */
  gamma?: number;
  /** t₀, iteration offset that damps early iterations. */
  t0?: number;
  /** κ, decay exponent of the averaging weights. */
  kappa?: number;
}

/** State of dual averaging (immutable; `update` returns a new one). */
export interface DualAveragingState {
  /** Number of updates t since the last (re)start. */
  readonly t: number;
  readonly mu: number;
  /** s̄ₜ, running mean of δ − aₜ. */
  readonly sBar: number;
  /** xₜ = log of the step size to use next. */
  readonly logStepSize: number;
  /** x̄ₜ, averaged log step size. */
  readonly logStepSizeAvg: number;
}

/**
 * Builds dual averaging as an `{ init, update, final }` triple.
 * @example const da = dualAveraging(); let s = da.init(1); s = da.update(s, 0.6); Math.exp(s.logStepSize) // ≈ 6.95 = exp(log 10 − (0.8 − 0.6)/11/0.05)
 */
export function dualAveraging(options: DualAveragingOptions = {}) {
  const delta = options.targetAccept ?? 0.8;
  const gamma = options.gamma ?? 0.05;
  const t0 = options.t0 ?? 10;
  const kappa = options.kappa ?? 0.75;
  if (!(delta > 0 && delta < 1)) throw new ArgumentError(`targetAccept must be in (0, 1), got ${delta}`);
  if (!(gamma > 0)) throw new ArgumentError(`gamma must be positive, got ${gamma}`);
  if (!(t0 >= 0)) throw new ArgumentError(`t0 must be non-negative, got ${t0}`);
  if (!(kappa > 0 && kappa <= 1)) throw new ArgumentError(`kappa must be in (0, 1], got ${kappa}`);
  return {
    /** (Re)starts at step size ε with μ = log(10 ε) unless μ is given (Stan sets μ from the user's ε before the first heuristic). */
    init(stepSize: number, mu: number = Math.log(10 * stepSize)): DualAveragingState {
      return { t: 0, mu, sBar: 0, logStepSize: Math.log(stepSize), logStepSizeAvg: 0 };
    },
    /** One update with acceptance statistic a (capped at 1, as Stan does). */
    update(state: DualAveragingState, acceptStat: number): DualAveragingState {
      const a = acceptStat > 1 ? 1 : acceptStat;
      const t = state.t + 1;
      const eta = 1 / (t + t0);
      const sBar = (1 - eta) * state.sBar + eta * (delta - a);
      const x = state.mu - (sBar * Math.sqrt(t)) / gamma;
      const xEta = Math.pow(t, -kappa);
      const logStepSizeAvg = (1 - xEta) * state.logStepSizeAvg + xEta * x;
      return { t, mu: state.mu, sBar, logStepSize: x, logStepSizeAvg };
    },
    /** Final step size exp(x̄ₜ). */
    final(state: DualAveragingState): number {
      return Math.exp(state.logStepSizeAvg);
    },
  };
}

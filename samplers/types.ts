/**
 * Shared vocabulary of the samplers. Everything is phrased in terms of the
 * log density log p(θ) on an unconstrained space ℝ^dim (never "potential
 * energy"); the Hamiltonian is H(θ, p) = −log p(θ) + ½ pᵀM⁻¹p.
 */
import type { Metric } from "./metric.js";

/** A target distribution: log density and its gradient on an unconstrained Float64Array. */
export interface LogDensity {
  /** Dimension of θ. */
  readonly dim: number;
  /**
   * Writes ∇ log p(θ) into `grad` (length `dim`, caller-owned) and returns log p(θ)
   * (up to a constant). −Infinity or NaN are allowed: the samplers treat them as a
   * divergence (NaN energy → +∞). Must not keep references to `theta` or `grad`.
   */
  logDensityGrad(theta: Float64Array, grad: Float64Array): number;
  /** Names of the coordinates of θ, for summaries. */
  readonly names?: readonly string[];
  /**
   * How to rebuild this target in a worker thread (needed for `parallel: true`).
   * A target built by a `TargetFactory` should carry its own recipe here.
   */
  readonly factory?: TargetFactory;
}

/**
 * A serialisable recipe that rebuilds a target in another thread: the worker does
 * `(await import(module))[exportName ?? "default"](args)`. The export must be a
 * function `(args) => LogDensity | Promise<LogDensity>` and `args` must survive the
 * structured clone algorithm (plain objects, arrays, typed arrays, numbers, strings).
 */
export interface TargetFactory {
  /** Absolute file path or `file:` URL of an ES module. */
  readonly module: string;
  /** Name of the exported builder function; default "default". */
  readonly exportName?: string;
  /** Arguments handed to the builder (structured-cloneable). */
  readonly args?: unknown;
}

/** Source of randomness of one chain (seeded; see `createRng`). */
export interface Rng {
  /** Uniform draw on [0, 1). */
  uniform(): number;
  /** Standard normal draw. */
  normal(): number;
}

/**
 * State of a chain between transitions. Treated as immutable: kernels return new
 * arrays and never write into the arrays of a state they were given.
 */
export interface KernelState {
  readonly position: Float64Array;
  /** log p(position). */
  readonly logDensity: number;
  /** ∇ log p(position). */
  readonly grad: Float64Array;
}

/** Diagnostics of one transition, mirroring Stan's sampler parameters. */
export interface TransitionInfo {
  /** accept_stat__: NUTS: mean of min(1, exp(H0 − H)) over the tree's leapfrog steps; HMC: Metropolis probability. */
  acceptProb: number;
  /** divergent__: H − H0 exceeded `MAX_DELTA_H` during the transition. */
  divergent: boolean;
  /** energy__: the Hamiltonian H at the returned state. */
  energy: number;
  /** n_leapfrog__. */
  nLeapfrog: number;
  /** treedepth__ (0 for static HMC). */
  treeDepth: number;
  /** stepsize__. */
  stepSize: number;
}

/**
 * Tuning parameters passed to every step (never stored by a kernel).
 * `invMetric` is M⁻¹: a diagonal (length dim) or dense row-major dim×dim
 * Float64Array, or a prepared `Metric` (from `makeMetric`) that caches the
 * Cholesky factor a dense metric needs.
 */
export interface KernelParams {
  stepSize: number;
  invMetric: Float64Array | Metric;
}

/** A transition kernel as a pair of functions (BlackJAX style). */
export interface Kernel {
  /** Evaluates the target at `position` (copied) and returns the initial state. */
  init(position: Float64Array, target: LogDensity): KernelState;
  /** One Markov transition. */
  step(rng: Rng, state: KernelState, target: LogDensity, params: KernelParams): { state: KernelState; info: TransitionInfo };
}

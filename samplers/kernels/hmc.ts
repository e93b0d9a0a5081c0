/**
 * Static HMC: draw p ~ N(0, M), integrate `numSteps` steps, accept with probability
 * min(1, exp(H0 − H)) (Duane et al. 1987; Neal 2011, "MCMC using Hamiltonian dynamics").
 */
import { ArgumentError } from "../../src/errors.js";
import { kineticEnergy, makeMetric, sampleMomentum } from "../metric.js";
import type { Kernel, KernelParams, KernelState, LogDensity, Rng, TransitionInfo } from "../types.js";
import { checkStepSize, hamiltonian, initState, MAX_DELTA_H } from "./common.js";
import { velocityVerlet, type Integrator } from "./integrators.js";

/** Options of the static HMC kernel. */
export interface HmcOptions {
  /** Leapfrog steps per transition (L). */
  numSteps: number;
  /** Default velocity Verlet. */
  integrator?: Integrator;
}

/**
 * Builds a static HMC kernel. The kernel owns scratch buffers (reallocated if the
 * target's dim changes) but no state: a step's result depends only on its arguments
 * and the rng stream. Returned states hold fresh arrays.
 * @example const k = buildHmcKernel({ numSteps: 10 }); const { state, info } = k.step(rng, k.init(x0, target), target, { stepSize: 0.1, invMetric: ones });
 */
export function buildHmcKernel(options: HmcOptions): Kernel {
  const { numSteps } = options;
  const integrator = options.integrator ?? velocityVerlet;
  if (!Number.isInteger(numSteps) || numSteps < 1) throw new ArgumentError(`numSteps must be a positive integer, got ${numSteps}`);
  let dim = -1;
  let q = new Float64Array(0);
  let p = new Float64Array(0);
  let g = new Float64Array(0);
  let work = new Float64Array(0);

  function step(rng: Rng, state: KernelState, target: LogDensity, params: KernelParams): { state: KernelState; info: TransitionInfo } {
    checkStepSize(params.stepSize);
    if (dim !== target.dim) {
      dim = target.dim;
      q = new Float64Array(dim);
      p = new Float64Array(dim);
      g = new Float64Array(dim);
      work = new Float64Array(dim);
    }
    const metric = makeMetric(params.invMetric, dim);
    sampleMomentum(metric, rng.normal, p);
    q.set(state.position);
    g.set(state.grad);
    const h0 = hamiltonian(state.logDensity, kineticEnergy(metric, p));
    let logp = state.logDensity;
    let divergent = false;
    let steps = 0;
    for (let s = 0; s < numSteps; s++) {
      logp = integrator.step(target, metric, params.stepSize, q, p, g, work);
      steps++;
      if (hamiltonian(logp, kineticEnergy(metric, p)) - h0 > MAX_DELTA_H) {
        divergent = true;
        break;
      }
    }
    const h = hamiltonian(logp, kineticEnergy(metric, p));
    const acceptProb = divergent ? 0 : Math.min(1, Math.exp(h0 - h));
    const accept = rng.uniform() < acceptProb;
    const info: TransitionInfo = {
      acceptProb,
      divergent,
      energy: accept ? h : h0,
      nLeapfrog: steps,
      treeDepth: 0,
      stepSize: params.stepSize,
    };
    if (!accept) return { state, info };
    return { state: Object.freeze({ position: Float64Array.from(q), logDensity: logp, grad: Float64Array.from(g) }), info };
  }
  return { init: initState, step };
}

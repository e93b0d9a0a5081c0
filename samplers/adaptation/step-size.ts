/**
 * Stan's step-size initialisation heuristic (`base_hmc::init_stepsize`): from ε,
 * take one leapfrog step with fresh momentum; if its acceptance exp(H0 − H) exceeds
 * 0.8 keep doubling ε, otherwise keep halving it, until the acceptance of one step
 * (each with fresh momentum) crosses 0.8. Hoffman & Gelman (2014), Algorithm 4.
 */
import { NumericalError } from "../../src/errors.js";
import { hamiltonian } from "../kernels/common.js";
import { velocityVerlet, type Integrator } from "../kernels/integrators.js";
import { kineticEnergy, sampleMomentum, type Metric } from "../metric.js";
import type { KernelState, LogDensity, Rng } from "../types.js";

const LOG_08 = Math.log(0.8);

/** Largest step size tried before declaring the posterior improper (Stan's 1e7). */
const MAX_STEP_SIZE = 1e7;

/**
 * Returns the re-initialised step size (the state is not changed). Throws
 * NumericalError when ε grows past 1e7 ("posterior is improper") or underflows to 0.
 * @example findReasonableStepSize(rng, state, target, unitMetric(2), 1) // a power of 2
 */
export function findReasonableStepSize(
  rng: Rng,
  state: KernelState,
  target: LogDensity,
  metric: Metric,
  stepSize: number,
  integrator: Integrator = velocityVerlet,
): number {
  if (stepSize === 0 || stepSize > MAX_STEP_SIZE || Number.isNaN(stepSize)) return stepSize;
  const dim = target.dim;
  const q = new Float64Array(dim);
  const p = new Float64Array(dim);
  const g = new Float64Array(dim);
  const work = new Float64Array(dim);
  const oneStepDeltaH = (eps: number): number => {
    q.set(state.position);
    g.set(state.grad);
    sampleMomentum(metric, rng.normal, p);
    const h0 = hamiltonian(state.logDensity, kineticEnergy(metric, p));
    const logp = integrator.step(target, metric, eps, q, p, g, work);
    return h0 - hamiltonian(logp, kineticEnergy(metric, p));
  };
  const direction = oneStepDeltaH(stepSize) > LOG_08 ? 1 : -1;
  let eps = stepSize;
  for (;;) {
    const deltaH = oneStepDeltaH(eps);
    if (direction === 1 && !(deltaH > LOG_08)) break;
    if (direction === -1 && !(deltaH < LOG_08)) break;
    eps = direction === 1 ? eps * 2 : eps * 0.5;
    if (eps > MAX_STEP_SIZE) throw new NumericalError("step size grew past 1e7 while initialising it: the posterior is improper (check the target)");
    if (eps === 0) throw new NumericalError("no acceptably small step size could be found: is the log density continuous?");
  }
  return eps;
}

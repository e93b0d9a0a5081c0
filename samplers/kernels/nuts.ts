/**
 * The No-U-Turn Sampler as in current Stan (`stan/mcmc/hmc/nuts/base_nuts.hpp`):
 * trajectories doubled in a random direction, multinomial sampling of the state
 * (biased progressive sampling when a new subtree is merged into the trajectory,
 * plain multinomial inside subtrees), the generalized no-U-turn criterion on
 * p♯ = M⁻¹p and ρ = Σp, with two extra checks across the seam of every merge.
 *
 * References: [1] Hoffman & Gelman (2014), "The No-U-Turn Sampler", JMLR 15.
 * [2] Betancourt (2017), "A Conceptual Introduction to Hamiltonian Monte Carlo", arXiv:1701.02434, §A.4.
 * [3] Stan Development Team, base_nuts.hpp (multinomial NUTS with the seam checks added in Stan 2.26).
 */
import { ArgumentError } from "../../src/errors.js";
import { kineticEnergy, kineticEnergyAndVelocity, makeMetric, sampleMomentum, velocity, type Metric } from "../metric.js";
import type { Kernel, KernelParams, KernelState, LogDensity, Rng, TransitionInfo } from "../types.js";
import { checkStepSize, hamiltonian, initState, logSumExp, MAX_DELTA_H } from "./common.js";
import { velocityVerlet, type Integrator } from "./integrators.js";

/** Options of the NUTS kernel. */
export interface NutsOptions {
  /** Maximum tree depth (a tree has at most 2^depth leapfrog steps); Stan's default 10. */
  maxTreeDepth?: number;
  /** Default velocity Verlet. */
  integrator?: Integrator;
}

/** A full phase-space point: position, momentum, gradient and log density. */
interface PhasePoint {
  q: Float64Array;
  p: Float64Array;
  grad: Float64Array;
  logp: number;
}

/** A candidate sample: what is kept of a leaf (position, gradient, log density, Hamiltonian). */
interface Candidate {
  q: Float64Array;
  grad: Float64Array;
  logp: number;
  h: number;
}

/** Scratch buffers of the recursion at one tree depth (Stan's locals of `build_tree`). */
interface Level {
  pInitEnd: Float64Array;
  pSharpInitEnd: Float64Array;
  rhoInit: Float64Array;
  pFinalBeg: Float64Array;
  pSharpFinalBeg: Float64Array;
  rhoFinal: Float64Array;
  proposeFinal: Candidate;
}

/** True when p♯₋·ρ > 0 and p♯₊·ρ > 0 (Stan's `compute_criterion`). */
function criterion(pSharpMinus: Float64Array, pSharpPlus: Float64Array, rho: Float64Array): boolean {
  let a = 0;
  let b = 0;
  for (let i = 0; i < rho.length; i++) {
    a += pSharpPlus[i] * rho[i];
    b += pSharpMinus[i] * rho[i];
  }
  return a > 0 && b > 0;
}

/** The criterion with ρ = rhoA + pB (the seam checks), without materialising the sum. */
function criterionSum(pSharpMinus: Float64Array, pSharpPlus: Float64Array, rhoA: Float64Array, pB: Float64Array): boolean {
  let a = 0;
  let b = 0;
  for (let i = 0; i < rhoA.length; i++) {
    const r = rhoA[i] + pB[i];
    a += pSharpPlus[i] * r;
    b += pSharpMinus[i] * r;
  }
  return a > 0 && b > 0;
}

function newCandidate(dim: number): Candidate {
  return { q: new Float64Array(dim), grad: new Float64Array(dim), logp: 0, h: 0 };
}

function copyCandidate(to: Candidate, from: Candidate): void {
  to.q.set(from.q);
  to.grad.set(from.grad);
  to.logp = from.logp;
  to.h = from.h;
}

/** All buffers one chain needs, allocated once per dimension. */
class NutsWorkspace {
  readonly zFwd: PhasePoint;
  readonly zBck: PhasePoint;
  readonly sample: Candidate;
  readonly propose: Candidate;
  readonly pFwdFwd: Float64Array;
  readonly pSharpFwdFwd: Float64Array;
  readonly pFwdBck: Float64Array;
  readonly pSharpFwdBck: Float64Array;
  readonly pBckFwd: Float64Array;
  readonly pSharpBckFwd: Float64Array;
  readonly pBckBck: Float64Array;
  readonly pSharpBckBck: Float64Array;
  readonly rho: Float64Array;
  readonly rhoFwd: Float64Array;
  readonly rhoBck: Float64Array;
  readonly work: Float64Array;
  readonly levels: Level[];
  /** Log sum of weights of the subtree last built at each depth. */
  readonly logSumWeight: Float64Array;
  // Per-transition accumulators (Stan's n_leapfrog, sum_metro_prob, divergent_).
  nLeapfrog = 0;
  sumMetroProb = 0;
  divergent = false;
  h0 = 0;
  /** Log sum of weights of the whole trajectory so far. */
  logSumWeightTrajectory = 0;
  /** Whether the last call of `double` added its subtree to the trajectory. */
  doubled = false;
  stepSize = 0;
  sign = 1;
  metric!: Metric;
  target!: LogDensity;
  rng!: Rng;

  constructor(
    readonly dim: number,
    readonly maxDepth: number,
    readonly integrator: Integrator,
  ) {
    const v = () => new Float64Array(dim);
    const point = (): PhasePoint => ({ q: v(), p: v(), grad: v(), logp: 0 });
    this.zFwd = point();
    this.zBck = point();
    this.sample = newCandidate(dim);
    this.propose = newCandidate(dim);
    this.pFwdFwd = v();
    this.pSharpFwdFwd = v();
    this.pFwdBck = v();
    this.pSharpFwdBck = v();
    this.pBckFwd = v();
    this.pSharpBckFwd = v();
    this.pBckBck = v();
    this.pSharpBckBck = v();
    this.rho = v();
    this.rhoFwd = v();
    this.rhoBck = v();
    this.work = v();
    this.levels = [];
    for (let d = 0; d <= maxDepth; d++) {
      this.levels.push({
        pInitEnd: v(),
        pSharpInitEnd: v(),
        rhoInit: v(),
        pFinalBeg: v(),
        pSharpFinalBeg: v(),
        rhoFinal: v(),
        proposeFinal: newCandidate(dim),
      });
    }
    this.logSumWeight = new Float64Array(maxDepth + 1);
  }

  /**
   * Starts a transition at `state` (the set-up of Stan's `transition`): a fresh
   * momentum, both ends of the trajectory at the state, H0, and the state as the
   * current sample.
   */
  begin(state: KernelState): void {
    const { zFwd, zBck, metric } = this;
    sampleMomentum(metric, this.rng.normal, zFwd.p);
    zFwd.q.set(state.position);
    zFwd.grad.set(state.grad);
    zFwd.logp = state.logDensity;
    zBck.q.set(zFwd.q);
    zBck.p.set(zFwd.p);
    zBck.grad.set(zFwd.grad);
    zBck.logp = zFwd.logp;

    const h0 = hamiltonian(zFwd.logp, kineticEnergy(metric, zFwd.p));
    this.h0 = h0;
    const sample = this.sample;
    sample.q.set(zFwd.q);
    sample.grad.set(zFwd.grad);
    sample.logp = zFwd.logp;
    sample.h = h0;

    this.pFwdFwd.set(zFwd.p);
    velocity(metric, zFwd.p, this.pSharpFwdFwd);
    this.pFwdBck.set(zFwd.p);
    this.pSharpFwdBck.set(this.pSharpFwdFwd);
    this.pBckFwd.set(zFwd.p);
    this.pSharpBckFwd.set(this.pSharpFwdFwd);
    this.pBckBck.set(zFwd.p);
    this.pSharpBckBck.set(this.pSharpFwdFwd);
    this.rho.set(zFwd.p);

    this.logSumWeightTrajectory = 0; // log(exp(H0 − H0))
    this.nLeapfrog = 0;
    this.sumMetroProb = 0;
    this.divergent = false;
    this.doubled = false;
  }

  /**
   * One doubling of the trajectory by a subtree of depth `depth` in a random
   * direction (the loop body of Stan's `transition`): builds the subtree, samples
   * it into the trajectory (biased progressive sampling) and checks the U-turn of
   * the whole trajectory and across the new seam. Sets `doubled` when the subtree
   * was valid; returns whether the trajectory may be doubled again.
   */
  double(depth: number): boolean {
    const dim = this.dim;
    const rho = this.rho;
    this.doubled = false;
    this.rhoFwd.fill(0);
    this.rhoBck.fill(0);
    let valid: boolean;
    if (this.rng.uniform() > 0.5) {
      // Extend forward: the old trajectory becomes the backward subtree.
      this.rhoBck.set(rho);
      this.pBckFwd.set(this.pFwdFwd);
      this.pSharpBckFwd.set(this.pSharpFwdFwd);
      this.sign = 1;
      valid = this.buildTree(depth, this.zFwd, this.propose, this.pSharpFwdBck, this.pSharpFwdFwd, this.rhoFwd, this.pFwdBck, this.pFwdFwd);
    } else {
      // Extend backward: the old trajectory becomes the forward subtree.
      this.rhoFwd.set(rho);
      this.pFwdBck.set(this.pBckBck);
      this.pSharpFwdBck.set(this.pSharpBckBck);
      this.sign = -1;
      valid = this.buildTree(depth, this.zBck, this.propose, this.pSharpBckFwd, this.pSharpBckBck, this.rhoBck, this.pBckFwd, this.pBckBck);
    }
    if (!valid) return false;
    this.doubled = true;
    const logSumWeightSubtree = this.logSumWeight[depth];
    // Biased progressive sampling: a heavier new subtree is always taken.
    if (logSumWeightSubtree > this.logSumWeightTrajectory) {
      copyCandidate(this.sample, this.propose);
    } else if (this.rng.uniform() < Math.exp(logSumWeightSubtree - this.logSumWeightTrajectory)) {
      copyCandidate(this.sample, this.propose);
    }
    this.logSumWeightTrajectory = logSumExp(this.logSumWeightTrajectory, logSumWeightSubtree);
    for (let i = 0; i < dim; i++) rho[i] = this.rhoBck[i] + this.rhoFwd[i];
    let persist = criterion(this.pSharpBckBck, this.pSharpFwdFwd, rho);
    persist = persist && criterionSum(this.pSharpBckBck, this.pSharpFwdBck, this.rhoBck, this.pFwdBck);
    persist = persist && criterionSum(this.pSharpBckFwd, this.pSharpFwdFwd, this.rhoFwd, this.pBckFwd);
    return persist;
  }

  /**
   * Stan's `build_tree`: extends the trajectory at `z` by 2^depth leapfrog steps in
   * direction `this.sign`, writing the subtree's candidate into `propose`, its end
   * momenta and sharp momenta, and adding its momenta into `rho`. The subtree's log
   * sum of weights goes to `logSumWeight[depth]`. Returns false when the subtree
   * diverged or turned back on itself (then it is discarded).
   */
  buildTree(
    depth: number,
    z: PhasePoint,
    propose: Candidate,
    pSharpBeg: Float64Array,
    pSharpEnd: Float64Array,
    rho: Float64Array,
    pBeg: Float64Array,
    pEnd: Float64Array,
  ): boolean {
    const dim = this.dim;
    if (depth === 0) {
      z.logp = this.integrator.step(this.target, this.metric, this.sign * this.stepSize, z.q, z.p, z.grad, this.work);
      this.nLeapfrog++;
      // One pass for ½pᵀM⁻¹p and p♯ = M⁻¹p (bit-identical to kineticEnergy + velocity).
      const h = hamiltonian(z.logp, kineticEnergyAndVelocity(this.metric, z.p, pSharpBeg));
      if (h - this.h0 > MAX_DELTA_H) this.divergent = true;
      const logWeight = this.h0 - h;
      this.logSumWeight[0] = logWeight;
      this.sumMetroProb += logWeight > 0 ? 1 : Math.exp(logWeight);
      propose.q.set(z.q);
      propose.grad.set(z.grad);
      propose.logp = z.logp;
      propose.h = h;
      pSharpEnd.set(pSharpBeg);
      for (let i = 0; i < dim; i++) rho[i] += z.p[i];
      pBeg.set(z.p);
      pEnd.set(z.p);
      return !this.divergent;
    }
    const L = this.levels[depth];
    L.rhoInit.fill(0);
    if (!this.buildTree(depth - 1, z, propose, pSharpBeg, L.pSharpInitEnd, L.rhoInit, pBeg, L.pInitEnd)) return false;
    const logSumWeightInit = this.logSumWeight[depth - 1];
    L.rhoFinal.fill(0);
    if (!this.buildTree(depth - 1, z, L.proposeFinal, L.pSharpFinalBeg, pSharpEnd, L.rhoFinal, L.pFinalBeg, pEnd)) return false;
    const logSumWeightFinal = this.logSumWeight[depth - 1];
    // Multinomial sample within the subtree: take the final half with probability w_final / w_subtree.
    const logSumWeightSubtree = logSumExp(logSumWeightInit, logSumWeightFinal);
    this.logSumWeight[depth] = logSumWeightSubtree;
    if (logSumWeightFinal > logSumWeightSubtree) {
      copyCandidate(propose, L.proposeFinal);
    } else if (this.rng.uniform() < Math.exp(logSumWeightFinal - logSumWeightSubtree)) {
      copyCandidate(propose, L.proposeFinal);
    }
    for (let i = 0; i < dim; i++) rho[i] += L.rhoInit[i] + L.rhoFinal[i];
    // No-U-turn across the whole subtree (ρ_subtree = ρ_init + ρ_final) ...
    let persist = criterionSum(pSharpBeg, pSharpEnd, L.rhoInit, L.rhoFinal);
    // ... and across the seam between its two halves.
    persist = persist && criterionSum(pSharpBeg, L.pSharpFinalBeg, L.rhoInit, L.pFinalBeg);
    persist = persist && criterionSum(L.pSharpInitEnd, pSharpEnd, L.rhoFinal, L.pInitEnd);
    return persist;
  }
}

/**
 * Builds a NUTS kernel (Stan's multinomial NUTS with the generalized U-turn
 * criterion and seam checks, [1–3]). `step` returns:
 * - acceptProb: Stan's accept_stat__ = (1/n) Σ min(1, exp(H0 − Hᵢ)) over the n leapfrog
 *   steps of the tree, including subtrees later rejected;
 * - divergent: some leaf had H − H0 > MAX_DELTA_H (NaN energy counts as +∞);
 * - treeDepth: number of doublings accepted; nLeapfrog: leapfrog steps taken;
 * - energy: H at the returned state.
 *
 * The kernel preallocates all buffers for a dimension on first use (no allocation in
 * leapfrog steps or tree building); it holds no chain state, so it is a pure function
 * of (rng stream, state, target, params). Returned states hold fresh arrays. A kernel
 * must not be used from two chains at once (they would share scratch buffers).
 * @example const k = buildNutsKernel(); let s = k.init(x0, target); ({ state: s } = k.step(rng, s, target, { stepSize: 0.5, invMetric: ones }));
 */
export function buildNutsKernel(options: NutsOptions = {}): Kernel {
  const maxDepth = options.maxTreeDepth ?? 10;
  const integrator = options.integrator ?? velocityVerlet;
  if (!Number.isInteger(maxDepth) || maxDepth < 1 || maxDepth > 30) {
    throw new ArgumentError(`maxTreeDepth must be an integer in [1, 30], got ${maxDepth}`);
  }
  let ws: NutsWorkspace | null = null;

  function step(rng: Rng, state: KernelState, target: LogDensity, params: KernelParams): { state: KernelState; info: TransitionInfo } {
    checkStepSize(params.stepSize);
    const dim = target.dim;
    if (ws === null || ws.dim !== dim) ws = new NutsWorkspace(dim, maxDepth, integrator);
    const w = ws;
    const metric = makeMetric(params.invMetric, dim);
    w.metric = metric;
    w.target = target;
    w.rng = rng;
    w.stepSize = params.stepSize;

    w.begin(state);
    let depth = 0;
    while (depth < maxDepth) {
      const more = w.double(depth);
      if (w.doubled) depth++;
      if (!more) break;
    }
    const sample = w.sample;

    const info: TransitionInfo = {
      acceptProb: w.nLeapfrog > 0 ? w.sumMetroProb / w.nLeapfrog : 0,
      divergent: w.divergent,
      energy: sample.h,
      nLeapfrog: w.nLeapfrog,
      treeDepth: depth,
      stepSize: params.stepSize,
    };
    const next: KernelState = Object.freeze({
      position: Float64Array.from(sample.q),
      logDensity: sample.logp,
      grad: Float64Array.from(sample.grad),
    });
    return { state: next, info };
  }
  return { init: initState, step };
}

/**
 * One Newton/IRLS pipeline for every fitter of the package: maximum likelihood
 * (R's glm.fit [1]), both Firth forms (brglm2's brglmFit [2]) and the exact MAP
 * (Newton with a Fisher-scoring fallback [3]). The loop, the step halving and the
 * bookkeeping (iterations, convergence, boundary, warnings, history) live here,
 * once; each method is a configuration that plugs in small pieces.
 *
 * The shape is scikit-learn's Newton solver (sklearn/linear_model/_glm/
 * _newton_solver.py [4]): a fixed pipeline
 *
 *   setup → [ direction → step control (test, shorten) → accept → convergence ]* → finalize
 *
 * where a method supplies
 *   - `convergedAtStart`: the convergence test at the starting point (brglm2 and
 *     the MAP test there; glm.fit never does, its test needs a previous deviance);
 *   - `propose`: the direction at the current point and the full step's trial
 *     point, evaluated: a weighted least-squares solve (IRLS), the adjusted-score
 *     quasi-Fisher step (Firth: the score adjustment A(β) added to the score), or a
 *     penalised Newton step (MAP: the prior enters as a penalty in the gradient and
 *     Hessian). It may stop the fit with a warning (R: "no observations
 *     informative", "non-finite coefficients");
 *   - `stepControl`: one or more stages, each a test of the trial point and how a
 *     rejected trial is shortened. The pipeline runs them in order; in each it
 *     calls `accepts`, records the stage's warning at the first rejection, counts
 *     the shortenings and, when `maxHalvings` of them are all rejected, asks the
 *     stage whether to take the last trial, stop the fit with a warning, or throw;
 *   - `accept`: makes the trial the current point (may stop: the MAP's "the step
 *     did not move θ");
 *   - `converged`: the convergence test after an accepted step, with the value it
 *     looked at (kept in the history).
 * Finalization (covariance of the kept columns with NaN rows and columns for the
 * aliased ones: `scatteredInverse` in linalg/cholesky.ts; the status warnings:
 * `statusWarnings` below; `family.fittedWarning`) is shared by the three records.
 *
 * The three iteration paths, exactly as their references run them:
 * - glm.fit: step = the WLS solution; two stages, each halving back towards the
 *   previous coefficients (β ← (β + β_old)/2) at most maxit times — first while
 *   the deviance is not finite ("step size truncated due to divergence", error
 *   "inner loop 1; cannot correct step size"), then while η or μ is invalid ("step
 *   size truncated: out of bounds", "inner loop 2; …"); `boundary` when either
 *   shortened the last step; convergence |D − D_old|/(|D| + 0.1) < ε.
 * - brglmFit: step φ(XᵀWX)⁻¹U*(β); one stage whose "shortening" is brglm2's step
 *   factor — another step of 2^−k from the new point while its step is longer (in
 *   Σ|step|) than the previous one, always once in the first iteration, at most
 *   max_step_factor tries — plus our back-off from points outside the domain;
 *   convergence on the Fisher length of the step.
 * - MAP: Newton when −∇² is positive definite, else Fisher scoring (a ridge when
 *   singular); backtracking t = 1, ½, ¼, … until the log posterior does not drop
 *   (Nocedal & Wright [3] §3.1, with the rounding allowances documented in map.ts);
 *   convergence on the scaled gradient and the Newton decrement (§3.4, [4]).
 *
 * Why one pipeline and not three loops: the stopping, halving and status rules
 * are where the fitters must agree with R to the iteration, and where they drift
 * when copied (the pre-pipeline code had three step-halving loops, three
 * convergence tests and three covariance scatters). Why stages instead of one
 * line search: glm.fit's two halving loops have their own warnings and errors and
 * run one after the other; brglm2's step control is not a line search at all (a
 * rejected step is kept, and a shorter one follows from the new point). Both are
 * the same skeleton — test, shorten, give up after a count — with different pieces.
 *
 * Hooks write into the method's own buffers (the per-row loops stay
 * allocation-free); the pipeline allocates one small record per iteration.
 *
 * References:
 * [1] R Core Team, R 4.2 src/library/stats/R/glm.R (glm.fit).
 * [2] Kosmidis, I. brglm2 0.9, R/brglmFit.R (brglmFit: step_factor, testhalf).
 * [3] Nocedal, J. & Wright, S. J. (2006). Numerical Optimization, 2nd ed.,
 *     §3.1 (backtracking), §3.4 (Newton with a positive-definite modification).
 * [4] scikit-learn 1.4, sklearn/linear_model/_glm/_newton_solver.py (NewtonSolver:
 *     setup, update_gradient_hessian, inner_solve, line_search, check_convergence, finalize).
 */

/** A stage of step control: a test the trial point must pass, and how a rejected trial is shortened. */
export interface StepControl {
  /** Most shortenings of one step; when the trial after that many is rejected, `exhausted` decides. */
  readonly maxHalvings: number;
  /** Whether the (evaluated) trial point passes, after `halvings` shortenings in this stage. */
  accepts(iter: number, halvings: number): boolean;
  /** Replaces the trial by a shorter step and evaluates it; `halvings` (≥ 1) counts this one. */
  shorten(halvings: number): void;
  /** At the first rejection in an iteration: a warning to record, or null. May throw where R stops. */
  onFirstRejection?(iter: number): string | null;
  /** All shortenings rejected: null takes the last trial, a string stops the fit with that warning. May throw where R stops. */
  exhausted(iter: number): string | null;
}

/** The convergence test's answer after a step. */
export interface Convergence {
  converged: boolean;
  /** The quantity tested (relative deviance change, Fisher step length, scaled gradient; NaN when not defined). */
  criterion: number;
}

/** A method: the pieces the pipeline calls (see the module comment). */
export interface NewtonMethod {
  /** Most iterations. */
  readonly maxit: number;
  /** The convergence test at the starting point; omitted: not converged (glm.fit). */
  convergedAtStart?(): boolean;
  /**
   * Direction at the current point and the full step's trial point, evaluated; null, or
   * a warning that stops the fit. Warnings that do not stop it go to `warnings` (the run's).
   */
  propose(iter: number, warnings: string[]): string | null;
  /** The stages of step control, run in order on the trial point. */
  readonly stepControl: readonly StepControl[];
  /** Makes the accepted trial the current point; null, or a warning that stops the fit. Omitted: the trial already is. */
  accept?(iter: number): string | null;
  /** The convergence test after an accepted step. */
  converged(iter: number): Convergence;
}

/** One iteration of the history. */
export interface IterationRecord {
  iteration: number;
  /** Shortenings of the step, over all stages (0: the full step was taken). */
  halvings: number;
  /** The convergence criterion after the step (see Convergence). */
  criterion: number;
}

/** What the pipeline reports; each fitter builds its record from it. */
export interface NewtonRun {
  /** Iterations begun (R's fit$iter). */
  iterations: number;
  converged: boolean;
  /** The last iteration's step was shortened (R's fit$boundary, for glm.fit). */
  boundary: boolean;
  /** The warning that stopped the iteration early (also in `warnings`), or null. */
  stopped: string | null;
  /** Warnings in the order they arose; the fitter appends its final ones. */
  warnings: string[];
  history: IterationRecord[];
}

/** Runs one stage of step control on the current trial; returns the shortenings and a stop warning or null. */
function controlStep(c: StepControl, iter: number, warnings: string[]): { halvings: number; stopped: string | null } {
  let k = 0;
  while (!c.accepts(iter, k)) {
    if (k === 0) {
      const w = c.onFirstRejection?.(iter) ?? null;
      if (w !== null) warnings.push(w);
    }
    if (k >= c.maxHalvings) return { halvings: k, stopped: c.exhausted(iter) };
    k++;
    c.shorten(k);
  }
  return { halvings: k, stopped: null };
}

/**
 * The pipeline: setup is the method's (its state at the start), then at most
 * `maxit` iterations of direction, step control, acceptance and the convergence
 * test. Status is returned as data; it throws only where a hook throws (R's errors).
 */
export function newton(method: NewtonMethod): NewtonRun {
  const warnings: string[] = [];
  const history: IterationRecord[] = [];
  let converged = method.convergedAtStart?.() ?? false;
  let iterations = 0;
  let boundary = false;
  let stopped: string | null = null;
  for (let iter = 1; iter <= method.maxit && !converged; iter++) {
    iterations = iter;
    boundary = false;
    stopped = method.propose(iter, warnings);
    let halvings = 0;
    for (let s = 0; stopped === null && s < method.stepControl.length; s++) {
      const step = controlStep(method.stepControl[s]!, iter, warnings);
      halvings += step.halvings;
      if (step.halvings > 0) boundary = true;
      stopped = step.stopped;
    }
    if (stopped === null && method.accept) stopped = method.accept(iter);
    if (stopped !== null) {
      warnings.push(stopped);
      break;
    }
    const c = method.converged(iter);
    converged = c.converged;
    history.push({ iteration: iter, halvings, criterion: c.criterion });
  }
  return { iterations, converged, boundary, stopped, warnings, history };
}

/**
 * Appends the status warnings of a finished run, in R's order: non-convergence
 * (`notConverged`, built only when needed), then the boundary (when the method
 * reports one), then `more` (dispersion, family.fittedWarning; nulls skipped).
 * Returns run.warnings.
 */
export function statusWarnings(
  run: NewtonRun, notConverged: () => string, boundary: string | null, ...more: (string | null)[]
): string[] {
  const w = run.warnings;
  if (!run.converged) w.push(notConverged());
  if (run.boundary && boundary !== null) w.push(boundary);
  for (const m of more) if (m !== null) w.push(m);
  return w;
}

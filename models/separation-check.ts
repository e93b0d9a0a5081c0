/**
 * The separation verdict attached to binomial (and log-link count) maximum-likelihood fits:
 * whether some coefficients' MLEs are infinite. Two checks (src/separation.ts):
 *
 * - the exact column checks, O(n·p), on every fit whatever its size: a column that is
 *   non-zero only on rows of one outcome, or a factor whose reference rows all share one
 *   outcome, proves a direction of recession of the likelihood;
 * - the linear program (Konis 2007, as R's detectseparation), which also finds
 *   separation by combinations of columns, when affordable: mode "always", or "auto" with
 *   at most LP_AUTO_LIMIT design entries, or a fit that shows signs of separation.
 *
 * When the LP does not run the verdict says so (`checked: false`, `coverage: "columns"`,
 * a note and a warning naming the caller's option that runs it). HiGHS (WebAssembly)
 * is loaded by `await loadLpSolver()` (no top-level await: the root entry bundles for a
 * browser); the Node entries (glmkit in Node, glmkit/node, the CLI) load it on import,
 * so fits there stay synchronous and exact. A fit before it is loaded says so in `note`.
 */
import { checkInfiniteEstimates, LP_AUTO_LIMIT } from "../src/separation.js";
import type { GlmProblem } from "../src/fit/ml-fit.js";
import type { IrlsResult } from "../src/fit/irls.js";

/** When to run the LP check on a binomial ML fit (the exact column checks always run). */
export type SeparationCheck = "auto" | "always" | "never";

export interface SeparationVerdict {
  /** True: some MLE is infinite (proven). False: the LP found none. Null: not known (the LP did not run and the column checks found nothing). */
  detected: boolean | null;
  /** Coefficients whose MLE is infinite, with its sign. */
  infinite: Record<string, "+Inf" | "-Inf">;
  /** True when the full check (the LP) ran: `detected` and `infinite` are then complete. */
  checked: boolean;
  /**
   * "columns" when the LP did not run (or failed) and only the exact column checks did:
   * `detected: true` is then proven, but separation by a combination of columns was not
   * checked and more coefficients may be infinite. Absent when the LP ran (or for an empty model).
   */
  coverage?: "columns";
  /** Why the LP was not run or did not finish, when it was not. */
  note?: string;
}

/** How the caller's interface spells the options a separation message points to. */
export interface SeparationWording {
  /** The option that runs the full LP check. */
  always: string;
  /** A bias-reduced fit. */
  firth: string;
  /** A weakly informative prior. */
  map: string;
}

/** The messages of `glm(...).fit()`: options of the API. */
export const API_SEPARATION_WORDING: SeparationWording = Object.freeze({
  always: 'fit({ separation: "always" })',
  firth: "model.firth() (bias-reduced)",
  map: 'model.map() with a weakly informative prior (priors: { coefficients: "student_t(3, 0, 2.5)" })',
});

/** The messages of the CLI (`glmkit fit`): its flags. */
export const CLI_SEPARATION_WORDING: SeparationWording = Object.freeze({
  always: "--separation always",
  firth: "--method firth (bias-reduced)",
  map: '--method map --prior "student_t(3, 0, 2.5)" (a weakly informative prior)',
});

/** Signs the IRLS leaves under separation: non-convergence, or fitted means numerically at 0 (or 1). */
function showsSigns(fit: IrlsResult, binomial: boolean): boolean {
  if (!fit.converged) return true;
  const eps = binomial ? 10 * Number.EPSILON : 1e-8;
  const mu = fit.mu;
  const hi = binomial ? 1 - eps : Infinity;
  for (let i = 0; i < mu.length; i++) if (mu[i]! < eps || mu[i]! > hi) return true;
  return false;
}

/** Why the LP does not run, or null when it does. */
function lpSkipped(problem: GlmProblem, fit: IrlsResult, mode: SeparationCheck): string | null {
  if (mode === "always") return null;
  if (mode === "never") return 'the LP check is off (separation: "never")';
  const entries = problem.n * problem.p;
  if (entries <= LP_AUTO_LIMIT || showsSigns(fit, problem.family.infiniteEstimateCheck === "binomial")) return null;
  return `the LP check was skipped on large data (n·p = ${entries} > ${LP_AUTO_LIMIT}, no sign of separation in the fit)`;
}

/**
 * The verdict of the family's check (`family.infiniteEstimateCheck`: "binomial"
 * separation, or "logCount"); null for families without one. `mode` decides only
 * whether the LP runs; `wording` names the caller's options in the note.
 */
export function separationVerdict(
  problem: GlmProblem, fit: IrlsResult, mode: SeparationCheck, wording: SeparationWording = API_SEPARATION_WORDING,
): SeparationVerdict | null {
  const check = problem.family.infiniteEstimateCheck;
  if (check === null) return null;
  if (problem.p === 0) return { detected: null, infinite: {}, checked: false, note: "empty model" };
  const skipped = lpSkipped(problem, fit, mode);
  const v = checkInfiniteEstimates(
    { X: problem.X, n: problem.n, p: problem.p, columnNames: problem.columnNames, y: problem.y, weights: problem.weights },
    check,
    { lp: skipped === null, aliased: fit.aliased, declared: true }, // checked by the model's declaration
  );
  if (v.coverage === "lp") return { detected: v.detected, infinite: v.infinite, checked: true };
  const why = skipped ?? v.lpError ?? "the LP check did not run";
  const found = v.detected
    ? `the exact column checks found that ${v.evidence.join("; and that ")}; more coefficients may be infinite, as`
    : "the exact column checks found no separating column or factor level, but";
  const note = `${why}: ${found} separation by a combination of columns was not checked (${wording.always} runs the full check)`;
  return { detected: v.detected, infinite: v.infinite, checked: false, coverage: "columns", note };
}

/**
 * The warning of a verdict: separation (or infinite count estimates) detected, an LP
 * failure, or a check that did not cover combinations of columns; null when there is
 * nothing to say. `counts` selects the log-link count wording.
 */
export function separationWarning(v: SeparationVerdict, counts = false, wording: SeparationWording = API_SEPARATION_WORDING): string | null {
  if (v.detected) {
    const which = Object.entries(v.infinite).map(([k, s]) => `${k} → ${s}`).join(", ");
    const partial = v.coverage === "columns" ? `. Not fully checked: ${v.note}` : "";
    if (counts)
      return `infinite estimates: zero counts are fitted exactly by rates tending to 0, so the maximum-likelihood estimate does not exist (${which}); the estimates shown are where IRLS stopped. A proper prior (${wording.map}) gives finite estimates${partial}`;
    return `separation detected: the maximum-likelihood estimate does not exist (${which}); the estimates shown are where IRLS stopped. Use ${wording.firth} or ${wording.map}${partial}`;
  }
  if (v.coverage === "columns") return `separation not fully checked: ${v.note}`;
  return null;
}

/**
 * Runs the check on a finished ML fit (glm() or glm.nb) and appends its warning to
 * `fit.warnings`; returns the verdict (null for families without a check).
 */
export function attachSeparation(
  fit: { problem: GlmProblem; irls: IrlsResult; warnings: string[] }, mode: SeparationCheck, wording: SeparationWording = API_SEPARATION_WORDING,
): SeparationVerdict | null {
  const verdict = separationVerdict(fit.problem, fit.irls, mode, wording);
  if (verdict === null) return null;
  const warning = separationWarning(verdict, fit.problem.family.infiniteEstimateCheck === "logCount", wording);
  if (warning) fit.warnings.push(warning);
  return verdict;
}

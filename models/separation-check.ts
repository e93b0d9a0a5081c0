/**
 * The separation verdict attached to binomial (and log-link count) maximum-likelihood fits: a
 * linear-programming check (Konis 2007, as R's detectseparation) of whether
 * some coefficients' MLEs are infinite. HiGHS (WebAssembly) loads once when this
 * module is first imported, so fits stay synchronous.
 */
import { initSeparation, detectSeparationSync } from "../src/separation.js";
import type { GlmProblem } from "../src/fit/ml-fit.js";
import type { IrlsResult } from "../src/fit/irls.js";

await initSeparation();

/** When to run the LP check on a binomial ML fit. */
export type SeparationCheck = "auto" | "always" | "never";

/** Above this many design entries, "auto" checks only when the fit shows signs of separation. */
const AUTO_LIMIT = 2_000_000;

export interface SeparationVerdict {
  /** null when the check was not run. */
  detected: boolean | null;
  /** Coefficients whose MLE is infinite, with its sign. */
  infinite: Record<string, "+Inf" | "-Inf">;
  checked: boolean;
  /** Why the check was not run or did not finish, when it was not. */
  note?: string;
}

/** Signs the IRLS leaves under separation: non-convergence, or fitted means numerically at 0 (or 1). */
function showsSigns(fit: IrlsResult, binomial: boolean): boolean {
  if (!fit.converged) return true;
  const eps = binomial ? 10 * Number.EPSILON : 1e-8;
  for (const m of fit.mu) if (m < eps || (binomial && m > 1 - eps)) return true;
  return false;
}

/**
 * The family record says which check applies (`family.infiniteEstimateCheck`): "binomial"
 * separation, or "logCount". Log-link count models have the same kind of infinite MLE: a
 * direction d with xᵢ·d = 0 where yᵢ > 0 and xᵢ·d ≤ 0 where yᵢ = 0 (strictly somewhere)
 * drives the fitted rates of the zero counts to 0. That is the binomial LP with rows of
 * positive count as both outcomes (0 < y < 1) and zero counts as failures.
 */
export function separationVerdict(problem: GlmProblem, fit: IrlsResult, mode: SeparationCheck): SeparationVerdict | null {
  const check = problem.family.infiniteEstimateCheck;
  if (check === null) return null;
  const logCount = check === "logCount";
  if (logCount) {
    let anyZero = false;
    for (let i = 0; i < problem.n; i++) if (problem.y[i] === 0 && problem.weights[i]! > 0) anyZero = true;
    if (!anyZero) return { detected: false, infinite: {}, checked: true };
  }
  const run = mode === "always" || (mode === "auto" && (problem.n * problem.p <= AUTO_LIMIT || showsSigns(fit, !logCount)));
  if (problem.p === 0) return { detected: null, infinite: {}, checked: false, note: "empty model" };
  if (!run)
    return { detected: null, infinite: {}, checked: false, note: "large data without signs of separation: LP check skipped (separation: \"always\" forces it)" };
  try {
    const y = logCount ? problem.y.map((v) => (v > 0 ? 0.5 : 0)) : problem.y;
    const r = detectSeparationSync({
      X: problem.X, n: problem.n, p: problem.p, columnNames: problem.columnNames, y, weights: problem.weights,
    });
    return { detected: r.separation, infinite: r.infinite, checked: true };
  } catch (err) {
    return { detected: null, infinite: {}, checked: false, note: `LP check failed: ${(err as Error).message}` };
  }
}

export function separationWarning(v: SeparationVerdict, counts = false): string | null {
  if (v.note?.startsWith("LP check failed")) return `separation ${v.note}`;
  if (!v.detected) return null;
  const which = Object.entries(v.infinite).map(([k, s]) => `${k} → ${s}`).join(", ");
  if (counts)
    return `infinite estimates: zero counts are fitted exactly by rates tending to 0, so the maximum-likelihood estimate does not exist (${which}); the estimates shown are where IRLS stopped. A proper prior (--method map) gives finite estimates`;
  return `separation detected: the maximum-likelihood estimate does not exist (${which}); the estimates shown are where IRLS stopped. Use --method firth (bias-reduced) or a weakly informative prior (--method map --prior "student_t(3, 0, 2.5)")`;
}

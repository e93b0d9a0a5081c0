/**
 * The separation verdict attached to binomial maximum-likelihood fits: a
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

/** Signs the IRLS leaves under separation: non-convergence, or R's "fitted probabilities numerically 0 or 1". */
function showsSigns(fit: IrlsResult): boolean {
  if (!fit.converged) return true;
  const eps = 10 * Number.EPSILON;
  for (const m of fit.mu) if (m < eps || m > 1 - eps) return true;
  return false;
}

export function separationVerdict(problem: GlmProblem, fit: IrlsResult, mode: SeparationCheck): SeparationVerdict | null {
  const fam = problem.family.name;
  if (fam !== "binomial" && fam !== "quasibinomial") return null;
  const run = mode === "always" || (mode === "auto" && (problem.n * problem.p <= AUTO_LIMIT || showsSigns(fit)));
  if (problem.p === 0) return { detected: null, infinite: {}, checked: false, note: "empty model" };
  if (!run)
    return { detected: null, infinite: {}, checked: false, note: "large data without signs of separation: LP check skipped (separation: \"always\" forces it)" };
  try {
    const r = detectSeparationSync({
      X: problem.X, n: problem.n, p: problem.p, columnNames: problem.columnNames, y: problem.y, weights: problem.weights,
    });
    return { detected: r.separation, infinite: r.infinite, checked: true };
  } catch (err) {
    return { detected: null, infinite: {}, checked: false, note: `LP check failed: ${(err as Error).message}` };
  }
}

export function separationWarning(v: SeparationVerdict): string | null {
  if (v.note?.startsWith("LP check failed")) return `separation ${v.note}`;
  if (!v.detected) return null;
  const which = Object.entries(v.infinite).map(([k, s]) => `${k} → ${s}`).join(", ");
  return `separation detected: the maximum-likelihood estimate does not exist (${which}); the estimates shown are where IRLS stopped. Use --method firth (bias-reduced) or a weakly informative prior (--method map --prior "student_t(3, 0, 2.5)")`;
}

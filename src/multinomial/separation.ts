/**
 * Separation for multinomial-logit responses, by the binomial LP of src/separation.ts
 * on an expanded design.
 *
 * The ML estimate fails to exist iff there is a direction d = (d_k)_{k≠r} ≠ 0 (d_r = 0)
 * with x_iᵀ(d_c − d_l) ≥ 0 for every observation i of category c (every category with a
 * positive count in row i) and every other category l (Albert & Anderson 1984, §4, for
 * K groups; Lesaffre & Albert 1989): along t·d no log π_ic decreases, so ℓ does not attain
 * its supremum. With z_icl = x_i ⊗ (e_c − e_l) (e_r = 0) that is Zd ≥ 0: the binomial
 * LP with every row a "success" and design Z (Konis 2007, §4.2). The LP's vertex names
 * the coefficients that diverge and their signs; K = 2 gives the binomial check exactly
 * (rows of the reference category enter as −x_i).
 */
import { detectSeparationSync, initSeparation, type SeparationResult } from "../separation.js";
import type { NamedMultinomialProblem } from "./fit.js";
import { multinomialNames } from "./fit.js";

export interface MultinomialSeparation {
  detected: boolean;
  /** Coefficients `category:term` whose ML estimate is infinite, with the sign. */
  infinite: Record<string, "+Inf" | "-Inf">;
  /** The underlying LP result over the expanded design. */
  lp: SeparationResult;
}

/** Rows of the expanded design Z: (K−1)·#(positive cells) × (K−1)p. */
export function expandedSeparationRows(problem: NamedMultinomialProblem): number {
  const { n, K, Y } = problem;
  let cells = 0;
  for (let i = 0; i < n * K; i++) if (Y[i]! > 0) cells++;
  return cells * (K - 1);
}

/** The expanded design Z (row-major), one row per (observation, observed category c, other category l). */
function expandedDesign(problem: NamedMultinomialProblem): { Z: Float64Array; rows: number } {
  const { X, n, p, K, ref, Y } = problem;
  const D = (K - 1) * p;
  const rows = expandedSeparationRows(problem);
  const Z = new Float64Array(rows * D);
  const pos = (k: number) => (k === ref ? -1 : k < ref ? k : k - 1);
  let r = 0;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < K; c++) {
      if (!(Y[i * K + c]! > 0)) continue;
      for (let l = 0; l < K; l++) {
        if (l === c) continue;
        const qc = pos(c), ql = pos(l);
        for (let j = 0; j < p; j++) {
          const x = X[i * p + j]!;
          if (qc >= 0) Z[r * D + qc * p + j] += x;
          if (ql >= 0) Z[r * D + ql * p + j] -= x;
        }
        r++;
      }
    }
  return { Z, rows };
}

/** Synchronous check (call `await initSeparation()` first). */
export function detectMultinomialSeparationSync(problem: NamedMultinomialProblem): MultinomialSeparation {
  const { Z, rows } = expandedDesign(problem);
  const names = multinomialNames(problem.levels, problem.ref, problem.columnNames);
  const y = new Float64Array(rows).fill(1);
  const lp = detectSeparationSync({ X: Z, n: rows, p: names.length, columnNames: names, y });
  return { detected: lp.separation, infinite: lp.infinite, lp };
}

/** Loads the LP solver if needed, then checks. */
export async function detectMultinomialSeparation(problem: NamedMultinomialProblem): Promise<MultinomialSeparation> {
  await initSeparation();
  return detectMultinomialSeparationSync(problem);
}

/**
 * From a model frame's response to what the fitters consume, as R's family
 * `initialize` does it but without mutating anything: for the binomial a 0/1
 * vector, a proportion with weights = trials, or cbind(successes, failures)
 * folded into proportions with weights multiplied by the trials.
 */
import type { Family } from "../src/types.js";
import { DataError } from "../src/errors.js";

export type Response =
  | { kind: "numeric"; name: string; values: Float64Array }
  | { kind: "factor"; name: string; values: Float64Array; levels: string[] }
  | { kind: "cbind"; name: string; successes: Float64Array; failures: Float64Array };

export interface PreparedResponse {
  y: Float64Array;
  weights: Float64Array;
  /** Binomial trials per row (R's `n`), null for other families. */
  trials: Float64Array | null;
  /** Starting means where they differ from family.startMu (cbind with case weights). */
  mustart: Float64Array | null;
  warnings: string[];
}

function isBinomialLike(family: Family): boolean {
  return family.name === "binomial" || family.name === "quasibinomial";
}

/** Checks prior weights: finite and non-negative, naming the row (1-based, of the rows used). */
export function checkWeights(w: Float64Array, rowsUsed?: Int32Array): void {
  for (let i = 0; i < w.length; i++) {
    const v = w[i]!;
    const row = rowsUsed ? rowsUsed[i]! + 1 : i + 1;
    if (!Number.isFinite(v)) throw new DataError(`weights must be finite; row ${row} has weight ${v}`, { column: "weights", row });
    if (v < 0) throw new DataError(`negative weights are not allowed; row ${row} has weight ${v}`, { column: "weights", row });
  }
}

export function prepareResponse(
  response: Response,
  family: Family,
  caseWeights: Float64Array | null,
  rowsUsed?: Int32Array,
  /** Allocator of the weights vector (a SharedArrayBuffer one lets IRLS share it with worker threads). */
  alloc: (n: number) => Float64Array = (n) => new Float64Array(n),
): PreparedResponse {
  const warnings: string[] = [];
  const rowOf = (i: number) => (rowsUsed ? rowsUsed[i]! + 1 : i + 1);
  if (response.kind === "cbind") {
    if (!isBinomialLike(family))
      throw new DataError(`cbind(successes, failures) responses need the binomial or quasibinomial family, not ${family.name}`, {
        column: response.name,
      });
    const { successes: s, failures: f } = response;
    const n = s.length;
    const y = new Float64Array(n);
    const trials = new Float64Array(n);
    const weights = new Float64Array(n);
    const mustart = new Float64Array(n);
    let nonInteger = false;
    for (let i = 0; i < n; i++) {
      if (!(s[i]! >= 0) || !(f[i]! >= 0) || !Number.isFinite(s[i]!) || !Number.isFinite(f[i]!))
        throw new DataError(`${response.name}: counts must be finite and non-negative; row ${rowOf(i)} has (${s[i]}, ${f[i]})`, {
          column: response.name,
          row: rowOf(i),
        });
      if (Math.abs(s[i]! - Math.round(s[i]!)) > 1e-3 || Math.abs(f[i]! - Math.round(f[i]!)) > 1e-3) nonInteger = true;
      const t = s[i]! + f[i]!;
      trials[i] = t;
      y[i] = t === 0 ? 0 : s[i]! / t;
      weights[i] = (caseWeights ? caseWeights[i]! : 1) * t;
      mustart[i] = (t * y[i]! + 0.5) / (t + 1);
    }
    if (nonInteger && family.name === "binomial") warnings.push("non-integer counts in a binomial glm!");
    return { y, weights, trials, mustart, warnings };
  }
  if (response.kind === "factor" && !isBinomialLike(family))
    throw new DataError(
      `response "${response.name}" is a factor (levels ${response.levels.join(", ")}); only binomial families take a factor response`,
      { column: response.name },
    );
  const n = response.values.length;
  const weights = alloc(n);
  if (caseWeights) weights.set(caseWeights);
  else weights.fill(1);
  // y is copied only when rows of weight 0 must be zeroed (R's binomial initialize); never mutated otherwise.
  let y = response.values;
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(y[i]!))
      throw new DataError(`response "${response.name}" must be finite; row ${rowOf(i)} has ${y[i]}`, {
        column: response.name,
        row: rowOf(i),
      });
  if (isBinomialLike(family)) {
    if (weights.some((w, i) => w === 0 && y[i] !== 0)) {
      y = Float64Array.from(y);
      for (let i = 0; i < n; i++) if (weights[i] === 0) y[i] = 0;
    }
    checkSupport(family, y, weights, rowsUsed);
    let nonInteger = false;
    for (let i = 0; i < n; i++) {
      const m = weights[i]! * y[i]!;
      if (Math.abs(m - Math.round(m)) > 1e-3) nonInteger = true;
    }
    if (nonInteger && family.name === "binomial") warnings.push("non-integer #successes in a binomial glm!");
    // One trial per row: R's family$aic then uses the weights as trials, so no trials vector is needed.
    return { y, weights, trials: null, mustart: null, warnings };
  }
  checkSupport(family, y, weights, rowsUsed);
  return { y, weights, trials: null, mustart: null, warnings };
}

/** family.checkY, with the row it names mapped back to the row of the data as given. */
function checkSupport(family: Family, y: Float64Array, w: Float64Array, rowsUsed?: Int32Array): void {
  try {
    family.checkY(y, w);
  } catch (err) {
    if (err instanceof DataError && err.row !== undefined && rowsUsed) {
      const row = rowsUsed[err.row - 1]! + 1;
      throw new DataError(err.message.replace(`row ${err.row}`, `row ${row}`), { column: err.column, row });
    }
    throw err;
  }
}

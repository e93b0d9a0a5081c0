/**
 * The value every data arbitrary produces: a GLM data set with its ground truth
 * attached (true coefficients, design, family, link, how y was drawn, the seed)
 * and a `spec` to hand to `glm()`. Printing one (fast-check does, on failure)
 * gives a one-line summary instead of thousands of numbers.
 */
import fc from "fast-check";
import type { Family } from "../src/types.js";
import { ArgumentError } from "../src/errors.js";
import type { GlmSpec } from "../models/glm.js";

/** What every generator records about how the data were made. */
export interface BaseTruth {
  /** True coefficients in column order, or null when there is no finite truth (separated data). */
  coefficients: Float64Array | null;
  /** True linear predictor and mean, when there is a true model. */
  eta: Float64Array | null;
  mu: Float64Array | null;
  /** True dispersion φ in the fitted family's parametrisation (1 when fixed), null when not applicable. */
  dispersion: number | null;
  /** How y was drawn, in words. */
  draw: string;
  /** Seed of the MT19937 stream the data came from. */
  seed: number;
}

/** A generated data set; `T` adds the generator's own ground truth. */
export interface GlmData<T extends object = object> {
  /** Name of the arbitrary that made it ("glmData", "separableData", …). */
  readonly generator: string;
  /** The Family record to fit (carries its link). */
  readonly family: Family;
  readonly n: number;
  readonly p: number;
  /** n×p design, row-major. */
  readonly X: Float64Array;
  readonly columnNames: string[];
  readonly hasIntercept: boolean;
  /** Response as the fitters take it (binomial: proportion of successes). */
  readonly y: Float64Array;
  /** Prior weights (binomial: trials), or null for all ones. */
  readonly weights: Float64Array | null;
  readonly truth: BaseTruth & T;
  /** `glm(data.spec).fit()` fits it. */
  readonly spec: GlmSpec;
  /** One-line summary (also what fast-check prints). */
  toString(): string;
}

/** Rounds for display: 4 significant digits. */
export function short(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  return String(Number(x.toPrecision(4)));
}

/** A vector for display: [0.5, -1, 2.25]. */
export function shortVector(v: ArrayLike<number>): string {
  return `[${Array.from(v, short).join(", ")}]`;
}

interface DataParts<T extends object> {
  generator: string;
  family: Family;
  n: number;
  p: number;
  X: Float64Array;
  columnNames: string[];
  hasIntercept: boolean;
  y: Float64Array;
  weights: Float64Array | null;
  truth: BaseTruth & T;
  /** Extra text for the summary line (e.g. "kind=complete"). */
  summary?: string;
}

/** Assembles a {@link GlmData}: adds `spec` and the printable summary. */
export function makeGlmData<T extends object>(parts: DataParts<T>): GlmData<T> {
  const { generator, family, n, p, X, columnNames, hasIntercept, y, weights, truth } = parts;
  const spec: GlmSpec = {
    design: { X, y, n, p, columnNames, hasIntercept },
    family,
    ...(weights ? { weights } : {}),
  };
  const beta = truth.coefficients ? `, β=${shortVector(truth.coefficients)}` : "";
  const line = `${generator}(${family.name}/${family.link.name}, n=${n}, p=${p}${beta}${parts.summary ? `, ${parts.summary}` : ""}, seed=${truth.seed})`;
  const data: GlmData<T> = {
    generator, family, n, p, X, columnNames, hasIntercept, y, weights, truth, spec,
    toString: () => line,
  };
  Object.defineProperty(data, fc.toStringMethod, { value: () => line, enumerable: false });
  return data;
}

/** Column names "(Intercept)", "x1", …, "x{p−1}" (or "x1" … "xp" without an intercept). */
export function defaultColumnNames(p: number, intercept: boolean): string[] {
  return Array.from({ length: p }, (_, j) => (intercept ? (j === 0 ? "(Intercept)" : `x${j}`) : `x${j + 1}`));
}

/** η = Xβ (+ nothing: the generators use no offset). */
export function linearPredictor(X: Float64Array, n: number, p: number, beta: ArrayLike<number>): Float64Array {
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * p;
    for (let j = 0; j < p; j++) s += X[row + j]! * beta[j]!;
    eta[i] = s;
  }
  return eta;
}

/**
 * The same design and family with another response (e.g. all zeros, to probe the
 * boundary): the truth is kept and `draw` says what replaced y.
 * @example withResponse(d, new Float64Array(d.n), "all zero").spec.design.y // zeros
 */
export function withResponse<T extends object>(data: GlmData<T>, y: ArrayLike<number>, note: string): GlmData<T> {
  if (y.length !== data.n) throw new ArgumentError(`y has length ${y.length}, but the data have ${data.n} rows`);
  return makeGlmData<T>({
    generator: data.generator, family: data.family, n: data.n, p: data.p, X: data.X, columnNames: data.columnNames,
    hasIntercept: data.hasIntercept, y: Float64Array.from(y), weights: data.weights,
    truth: { ...data.truth, draw: `${note} (replacing: ${data.truth.draw})` },
    summary: `y ${note}`,
  });
}

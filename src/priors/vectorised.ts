/**
 * Per-coefficient prior arrays and their vectorised log density, gradient and
 * Hessian diagonal, for the MAP fitter, the Laplace approximation and the
 * samplers. The prior on β is the product of independent scalar priors,
 * log p(β) = Σⱼ log pⱼ(βⱼ), so its gradient is (pⱼ′/pⱼ)ⱼ and its Hessian is diagonal.
 */
import { ArgumentError, PriorError } from "../errors.js";
import { flat } from "./coefficient.js";
import type { CoefficientPrior, CoefficientScalarPrior } from "./types.js";

/** R's name of the intercept column. */
export const INTERCEPT_NAME = "(Intercept)";

/** How priors are given for the coefficients: one for all, or by coefficient name. */
export interface CoefficientPriorSpec {
  /** One prior for every non-intercept coefficient, or an object keyed by coefficient name. */
  coefficients?: CoefficientPrior | Readonly<Record<string, CoefficientPrior>>;
  /** Prior on the intercept (only when the model has one). */
  intercept?: CoefficientPrior;
}

function isPriorRecord(x: unknown): x is CoefficientPrior {
  return typeof x === "object" && x !== null && typeof (x as { kind?: unknown }).kind === "string" && typeof (x as { describe?: unknown }).describe === "function";
}

function requireCoefficientPrior(prior: unknown, where: string): CoefficientPrior {
  if (!isPriorRecord(prior)) throw new PriorError(`${where}: expected a prior (e.g. normal(0, 2.5)), got ${String(prior)}`);
  if (prior.support !== "real") {
    throw new PriorError(`${where}: ${prior.describe()} has support on (0, ∞); a coefficient needs a prior on the real line`);
  }
  return prior;
}

/**
 * One prior per column of the design, in column order. `coefficients` is one
 * prior for all non-intercept columns or an object keyed by column name (an
 * unknown name → PriorError naming it); `intercept` applies to the intercept
 * column, which is the column named "(Intercept)" or, failing that, column 0.
 * Coefficients given no prior get flat() (maximum likelihood): the model, not
 * this function, decides defaults. jeffreys() is joint: it must cover every
 * coefficient or none (a given intercept prior other than jeffreys() → PriorError).
 * @example resolveCoefficientPriors({ coefficients: normal(0, 1) }, ["(Intercept)", "x"], true).map((p) => p.describe()) // ["flat()", "normal(0, 1)"]
 */
export function resolveCoefficientPriors(
  spec: CoefficientPriorSpec,
  columnNames: readonly string[],
  hasIntercept: boolean,
): CoefficientPrior[] {
  const p = columnNames.length;
  let interceptIndex = -1;
  if (hasIntercept) {
    if (p === 0) throw new ArgumentError("hasIntercept is true but columnNames is empty");
    interceptIndex = columnNames.indexOf(INTERCEPT_NAME);
    if (interceptIndex < 0) interceptIndex = 0;
  } else if (spec.intercept !== undefined) {
    throw new PriorError(`an intercept prior (${String(spec.intercept?.describe?.())}) was given but the model has no intercept`);
  }
  const out: CoefficientPrior[] = new Array<CoefficientPrior>(p);
  const flatPrior = flat();
  for (let j = 0; j < p; j++) out[j] = flatPrior;

  const given = spec.coefficients;
  let anyJeffreys = false;
  if (given !== undefined) {
    if (isPriorRecord(given)) {
      const prior = requireCoefficientPrior(given, "coefficients");
      for (let j = 0; j < p; j++) if (j !== interceptIndex) out[j] = prior;
      anyJeffreys = prior.kind === "jeffreys";
    } else if (typeof given === "object" && given !== null) {
      const index = new Map<string, number>();
      columnNames.forEach((name, j) => index.set(name, j));
      for (const [name, prior] of Object.entries(given)) {
        const j = index.get(name);
        if (j === undefined) {
          throw new PriorError(`coefficients: no coefficient named "${name}"; the coefficients are ${columnNames.map((c) => `"${c}"`).join(", ")}`);
        }
        if (j === interceptIndex && spec.intercept !== undefined) {
          throw new PriorError(`coefficients: "${name}" is the intercept, which already has a prior from 'intercept'`);
        }
        out[j] = requireCoefficientPrior(prior, `coefficients["${name}"]`);
        if (out[j]!.kind === "jeffreys") anyJeffreys = true;
      }
    } else {
      throw new PriorError(`coefficients: expected a prior or an object keyed by coefficient name, got ${String(given)}`);
    }
  }
  if (spec.intercept !== undefined && interceptIndex >= 0) {
    out[interceptIndex] = requireCoefficientPrior(spec.intercept, "intercept");
    if (out[interceptIndex]!.kind === "jeffreys") anyJeffreys = true;
  }
  if (anyJeffreys) {
    // Jeffreys is a prior on the whole vector: fill the intercept when it was not given,
    // and refuse any mixture with per-coefficient priors.
    if (interceptIndex >= 0 && spec.intercept === undefined && out[interceptIndex]!.kind === "flat") {
      out[interceptIndex] = out.find((q) => q.kind === "jeffreys")!;
    }
    const other = out.findIndex((q) => q.kind !== "jeffreys");
    if (other >= 0) {
      throw new PriorError(
        `jeffreys() is a joint prior on all coefficients and cannot be mixed with ${out[other]!.describe()} on "${columnNames[other]}"`,
      );
    }
  }
  return out;
}

/** True when the priors are the Jeffreys (Firth) penalty, which the model computes as ½ log|I(β)|. */
export function usesJeffreys(priors: readonly CoefficientPrior[]): boolean {
  return priors.length > 0 && priors.every((q) => q.kind === "jeffreys");
}

function checkShapes(name: string, priors: readonly CoefficientPrior[], beta: ArrayLike<number>, out?: Float64Array): void {
  if (beta.length !== priors.length) {
    throw new ArgumentError(`${name}: beta has length ${beta.length} but there are ${priors.length} priors`);
  }
  if (out !== undefined && out.length !== priors.length) {
    throw new ArgumentError(`${name}: out has length ${out.length} but there are ${priors.length} priors`);
  }
}

function scalar(prior: CoefficientPrior, j: number, name: string): CoefficientScalarPrior {
  if (prior.kind === "jeffreys") {
    throw new PriorError(`${name}: coefficient ${j + 1} has jeffreys(), a joint prior the model evaluates as ½ log|I(β)|`);
  }
  return prior;
}

/**
 * log p(β) = Σⱼ log pⱼ(βⱼ) (flat() contributes 0).
 * @example priorLogDensity([normal(0, 1), flat()], [0, 5]) // ≈ -0.9189385332046728
 */
export function priorLogDensity(priors: readonly CoefficientPrior[], beta: ArrayLike<number>): number {
  checkShapes("priorLogDensity", priors, beta);
  let s = 0;
  for (let j = 0; j < priors.length; j++) s += scalar(priors[j]!, j, "priorLogDensity").logDensity(beta[j]!);
  return s;
}

/**
 * Writes ∂ log p(β)/∂βⱼ into `out` (overwriting it) and returns `out`.
 * @example priorGradientInto([normal(0, 1)], [2], new Float64Array(1)) // Float64Array [-2]
 */
export function priorGradientInto(priors: readonly CoefficientPrior[], beta: ArrayLike<number>, out: Float64Array): Float64Array {
  checkShapes("priorGradientInto", priors, beta, out);
  for (let j = 0; j < priors.length; j++) out[j] = scalar(priors[j]!, j, "priorGradientInto").gradient(beta[j]!);
  return out;
}

/**
 * Writes ∂² log p(β)/∂βⱼ² (the Hessian is diagonal) into `out` and returns `out`.
 * @example priorHessianDiagInto([normal(0, 2)], [1], new Float64Array(1)) // Float64Array [-0.25]
 */
export function priorHessianDiagInto(priors: readonly CoefficientPrior[], beta: ArrayLike<number>, out: Float64Array): Float64Array {
  checkShapes("priorHessianDiagInto", priors, beta, out);
  for (let j = 0; j < priors.length; j++) out[j] = scalar(priors[j]!, j, "priorHessianDiagInto").hessianDiag(beta[j]!);
  return out;
}

/**
 * A declared model's priors resolved per coefficient: spec strings parsed, one prior
 * spread over the columns (the intercept's apart), autoscaled when asked, and the
 * description of the priors as given (reported with MAP, Laplace and NUTS fits).
 */
import { PriorError } from "../src/errors.js";
import type { GlmProblem } from "../src/fit/ml-fit.js";
import {
  parsePrior, resolveCoefficientPriors, autoscale, autoscaleAux, asAuxPrior,
  type CoefficientPrior, type AuxPrior, type Prior,
} from "../src/priors/index.js";
import type { PriorsSpec } from "./spec.js";
import type { PriorDescription } from "./result.js";

/** Priors per coefficient (column order) and of the auxiliary parameter. */
export interface ResolvedPriors {
  coefficients: CoefficientPrior[];
  aux?: AuxPrior;
}

function asCoefficientPrior(p: CoefficientPrior | string): CoefficientPrior {
  const v = typeof p === "string" ? parsePrior(p) : p;
  if ((v as Prior).kind !== "jeffreys" && (v as { support?: string }).support === "positive")
    throw new PriorError(`${(v as { describe(): string }).describe()} is a prior for a positive auxiliary parameter, not for coefficients`);
  return v as CoefficientPrior;
}

function describePrior(p: CoefficientPrior | AuxPrior | string): string {
  return typeof p === "string" ? p : p.kind === "jeffreys" ? "jeffreys" : (p as { describe(): string }).describe();
}

/** The coefficient priors as declared: one for all, or one per name; with their description. */
function declaredCoefficients(spec: PriorsSpec): {
  coefficients: CoefficientPrior | Record<string, CoefficientPrior> | undefined;
  description: string | Record<string, string> | null;
} {
  if (spec.coefficients === undefined) return { coefficients: undefined, description: null };
  if (typeof spec.coefficients === "string" || "kind" in spec.coefficients) {
    const one = spec.coefficients as CoefficientPrior | string;
    return { coefficients: asCoefficientPrior(one), description: describePrior(one) };
  }
  const entries = Object.entries(spec.coefficients as Record<string, CoefficientPrior | string>);
  return {
    coefficients: Object.fromEntries(entries.map(([k, v]) => [k, asCoefficientPrior(v)])),
    description: Object.fromEntries(entries.map(([k, v]) => [k, describePrior(v)])),
  };
}

/** The priors of `spec` resolved for `problem`'s columns, and their description as given. */
export function resolvePriors(spec: PriorsSpec, problem: GlmProblem): { priors: ResolvedPriors; description: PriorDescription } {
  const declared = declaredCoefficients(spec);
  const intercept = spec.intercept === undefined ? undefined : asCoefficientPrior(spec.intercept);
  let perCoef = resolveCoefficientPriors({ coefficients: declared.coefficients, intercept }, problem.columnNames, problem.hasIntercept);
  let aux: AuxPrior | undefined =
    spec.aux === undefined ? undefined : asAuxPrior(typeof spec.aux === "string" ? parsePrior(spec.aux) : spec.aux);
  if (spec.autoscale) {
    perCoef = autoscale(perCoef, problem.X, problem.columnNames, problem.y, problem.family).priors as CoefficientPrior[];
    if (aux) aux = autoscaleAux(aux, problem.y, problem.family).prior;
  }
  return {
    priors: { coefficients: perCoef, aux },
    description: {
      coefficients: declared.description,
      intercept: spec.intercept === undefined ? null : describePrior(spec.intercept),
      aux: spec.aux === undefined ? null : describePrior(spec.aux),
    },
  };
}

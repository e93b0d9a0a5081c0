/**
 * The term-wise tests of an ML fit (R's anova(fit), drop1, add1) wired to a result: the
 * fit record, its terms (formula terms, or one term per design column), whether θ was
 * estimated (glm.nb), and for add1 the formula model's data. The numerics are in
 * src/diagnostics/term-tests.ts.
 */
import { ArgumentError } from "../src/errors.js";
import type { MlFit } from "../src/fit/ml-fit.js";
import { addScope, formulaTerms, updateFormula, type TermLayout } from "../src/diagnostics/term-layout.js";
import {
  add1Table, drop1Table, sequentialAnova,
  type SequentialAnova, type SequentialTest, type TermFit, type TermTestOptions, type TermTestTable,
} from "../src/diagnostics/term-tests.js";
import type { FitContext } from "./result.js";

/** What the term-wise tests read from an ML result (GlmFit satisfies it). */
export interface TermFitSource {
  readonly ml: MlFit;
  /** glm.nb extras (θ estimated), or null. */
  readonly negbin: { readonly twoLogLik: number } | null;
  readonly context: FitContext;
  readonly terms: TermLayout;
}

function termFit(fit: TermFitSource): TermFit {
  return { fit: fit.ml, terms: fit.terms, thetaEstimated: fit.negbin !== null, twoLogLik: fit.negbin?.twoLogLik };
}

/** R's anova(fit, test) for one model (MASS's anova.negbin for glm.nb fits: θ held at θ̂). */
export function sequentialAnovaOf(fit: TermFitSource, options: { test?: SequentialTest | null; dispersion?: number } = {}): SequentialAnova {
  const out = sequentialAnova(termFit(fit), options);
  if (fit.negbin !== null) out.warnings.unshift("tests made without re-estimating 'theta'");
  return out;
}

/** R's drop1(fit, scope, test). */
export function drop1Of(fit: TermFitSource, options: TermTestOptions & { scope?: readonly string[] } = {}): TermTestTable {
  return drop1Table(termFit(fit), options);
}

/**
 * The terms add1 tries: a formula scope ("~ . + x + z", or an upper formula containing the
 * model) through R's update.formula and add.scope; term labels as given.
 */
export function addCandidates(fit: TermFitSource, scope: string | readonly string[]): string[] {
  if (typeof scope !== "string") {
    if (!Array.isArray(scope) || scope.some((s) => typeof s !== "string")) throw new ArgumentError("scope must be a formula string or an array of term labels");
    return [...scope];
  }
  if (!scope.includes("~")) return [scope.trim()];
  const { formula, frame } = fit.context;
  if (!formula || !frame) throw new ArgumentError("add1 with a formula scope needs a formula model with data");
  const upper = formulaTerms(updateFormula(formula, scope), frame.dataNames);
  return addScope(fit.terms, upper);
}

/**
 * R's add1(fit, scope, test): the model refitted with each candidate term added, on the
 * design of the formula with every candidate (the same data, weights and offset).
 */
export function add1Of(fit: TermFitSource, scope: string | readonly string[], options: TermTestOptions = {}): TermTestTable {
  const { formula, frame } = fit.context;
  if (!formula || !frame) throw new ArgumentError("add1 needs a formula model with data (a design-matrix model has no terms to add)");
  const candidates = addCandidates(fit, scope);
  if (candidates.length === 0) throw new ArgumentError("scope: no terms in scope for adding to the model");
  const combined = frame.problem(updateFormula(formula, `~ . + ${candidates.join(" + ")}`));
  return add1Table(termFit(fit), combined, candidates, options);
}

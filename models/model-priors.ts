/**
 * A declared model's priors resolved per coefficient: spec strings parsed, one prior
 * spread over the columns (the intercept's apart), autoscaled when asked, where the
 * intercept's prior acts (raw or centred), and the description of the priors (reported
 * with MAP, Laplace and NUTS fits: as given, as adjusted, rstanarm's prior_summary).
 *
 * Semantics:
 * - No prior declared at all (no `coefficients`, `intercept` or `aux`): rstanarm 2.21.3
 *   `stan_glm`'s defaults (src/priors/defaults.ts), autoscaled, the intercept's prior on
 *   the centred intercept (unless `interceptOn: "raw"` is given), `defaults: true`.
 * - Some prior declared: exactly what is declared; coefficients and the intercept
 *   without one get flat(), the aux parameter without one gets flat() (as before
 *   defaults existed), the intercept prior acts on the raw intercept unless
 *   `interceptOn: "centered"`. Declaring `flat` everywhere gives the flat posterior.
 */
import { PriorError } from "../src/errors.js";
import type { GlmProblem } from "../src/fit/ml-fit.js";
import {
  parsePrior, resolveCoefficientPriors, autoscale, autoscaleAux, asAuxPrior, rstanarmDefaultPriors, usesJeffreys, INTERCEPT_NAME,
  type CoefficientPrior, type AuxPrior, type Prior,
} from "../src/priors/index.js";
import type { InterceptOn } from "../src/likelihood/log-posterior.js";
import type { PriorsSpec } from "./spec.js";
import type { PriorDescription } from "./result.js";

/** Priors per coefficient (column order) and of the auxiliary parameter, and where the intercept's prior acts. */
export interface ResolvedPriors {
  coefficients: CoefficientPrior[];
  aux?: AuxPrior;
  interceptOn: InterceptOn;
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

/** Whether `spec` declares no prior at all (then a Bayesian method uses rstanarm's defaults). */
export function declaresNoPrior(spec: PriorsSpec): boolean {
  return spec.coefficients === undefined && spec.intercept === undefined && spec.aux === undefined;
}

/** The intercept's column, or −1. */
function interceptIndex(problem: GlmProblem): number {
  if (!problem.hasIntercept || problem.p === 0) return -1;
  const k = problem.columnNames.indexOf(INTERCEPT_NAME);
  return k < 0 ? 0 : k;
}

/** The priors used, by name: what `adjusted` reports. */
function adjustedOf(problem: GlmProblem, priors: ResolvedPriors): PriorDescription["adjusted"] {
  const k = interceptIndex(problem);
  const coefficients: Record<string, string> = {};
  priors.coefficients.forEach((q, j) => { if (j !== k) coefficients[problem.columnNames[j]!] = describePrior(q); });
  const hasAux = problem.family.aux !== null;
  return {
    coefficients,
    intercept: k >= 0 ? describePrior(priors.coefficients[k]!) : null,
    aux: hasAux ? (priors.aux === undefined ? "flat()" : describePrior(priors.aux)) : null,
  };
}

/**
 * The priors of `spec` resolved for `problem`'s columns, and their description: as given,
 * whether they are rstanarm's defaults, where the intercept's prior acts, and the priors as
 * used after any adjustment (the module comment gives the rules).
 */
export function resolvePriors(spec: PriorsSpec, problem: GlmProblem): { priors: ResolvedPriors; description: PriorDescription } {
  const hasIntercept = interceptIndex(problem) >= 0;
  if (spec.interceptOn === "centered" && !hasIntercept)
    throw new PriorError('priors.interceptOn: "centered" puts the intercept\'s prior on the intercept of the centred predictors, but the model has no intercept');
  if (declaresNoPrior(spec)) {
    const d = rstanarmDefaultPriors(problem);
    const interceptOn: InterceptOn = hasIntercept ? (spec.interceptOn ?? "centered") : "raw";
    const priors: ResolvedPriors = { coefficients: d.coefficients, interceptOn, ...(d.aux !== undefined ? { aux: d.aux } : {}) };
    return {
      priors,
      description: {
        coefficients: d.specified.coefficients, intercept: d.specified.intercept, aux: d.specified.aux,
        defaults: true, intercept_on: interceptOn, autoscale: true, adjusted: adjustedOf(problem, priors),
      },
    };
  }
  const declared = declaredCoefficients(spec);
  const intercept = spec.intercept === undefined ? undefined : asCoefficientPrior(spec.intercept);
  let perCoef = resolveCoefficientPriors({ coefficients: declared.coefficients, intercept }, problem.columnNames, problem.hasIntercept);
  let aux: AuxPrior | undefined =
    spec.aux === undefined ? undefined : asAuxPrior(typeof spec.aux === "string" ? parsePrior(spec.aux) : spec.aux);
  if (spec.autoscale) {
    perCoef = autoscale(perCoef, problem.X, problem.columnNames, problem.y, problem.family).priors as CoefficientPrior[];
    if (aux) aux = autoscaleAux(aux, problem.y, problem.family).prior;
  }
  const interceptOn: InterceptOn = spec.interceptOn ?? "raw";
  if (interceptOn === "centered" && usesJeffreys(perCoef))
    throw new PriorError('priors.interceptOn: "centered" applies to scalar priors; jeffreys is a joint prior, unchanged by centring');
  const priors: ResolvedPriors = { coefficients: perCoef, interceptOn, ...(aux !== undefined ? { aux } : {}) };
  return {
    priors,
    description: {
      coefficients: declared.description,
      intercept: spec.intercept === undefined ? null : describePrior(spec.intercept),
      aux: spec.aux === undefined ? null : describePrior(spec.aux),
      defaults: false, intercept_on: interceptOn, autoscale: spec.autoscale === true, adjusted: adjustedOf(problem, priors),
    },
  };
}

/** Shortest readable form of a prior spec's numbers (4 significant digits), for the printed summary. */
function short(spec: string): string {
  return spec.replace(/-?\d+\.\d+(?:e[+-]?\d+)?/g, (m) => String(Number(Number(m).toPrecision(4))));
}

/**
 * rstanarm's prior_summary() as text: per block (intercept, coefficients, auxiliary) the
 * specified prior and, where it differs, the adjusted one.
 * @example priorSummaryText(fit.prior) // "Priors (rstanarm's defaults)\nIntercept (after predictors centered)\n  Specified prior: normal(0, 2.5)\n…"
 */
export function priorSummaryText(d: PriorDescription, auxName: string | null): string {
  const lines: string[] = [d.defaults ? "Priors (rstanarm's defaults; declare priors, or flat, to change them)" : "Priors"];
  const block = (title: string, given: string | null, adjusted: string | null): void => {
    lines.push(title);
    lines.push(`  Specified prior: ${given ?? "flat() (none declared)"}`);
    if (adjusted !== null && adjusted !== (given ?? "flat()")) lines.push(`  Adjusted prior:  ${short(adjusted)}`);
  };
  if (d.adjusted.intercept !== null) {
    const given = d.intercept ?? (d.coefficients === "jeffreys" ? "jeffreys" : null);
    block(d.intercept_on === "centered" ? "Intercept (after predictors centered)" : "Intercept", given, d.adjusted.intercept);
  }
  const names = Object.keys(d.adjusted.coefficients);
  if (names.length > 0) {
    lines.push("Coefficients");
    if (typeof d.coefficients === "string" || d.coefficients === null) lines.push(`  Specified prior: ${d.coefficients ?? "flat() (none declared)"}`);
    else lines.push(`  Specified prior: ${Object.entries(d.coefficients).map(([k, v]) => `${k} ~ ${v}`).join(", ")}`);
    const adjusted = names.map((k) => d.adjusted.coefficients[k]!);
    const given = typeof d.coefficients === "string" ? d.coefficients : d.coefficients === null ? "flat()" : null;
    if (!adjusted.every((a) => a === given)) {
      lines.push("  Adjusted prior:");
      const width = Math.max(...names.map((k) => k.length));
      for (const k of names) lines.push(`    ${k.padEnd(width)} ~ ${short(d.adjusted.coefficients[k]!)}`);
    }
  }
  if (d.adjusted.aux !== null) block(`Auxiliary (${auxName ?? "aux"})`, d.aux, d.adjusted.aux);
  return lines.join("\n");
}

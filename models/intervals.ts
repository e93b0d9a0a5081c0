/**
 * Intervals side by side for a declared model: whichever of Wald, profile
 * likelihood, penalized profile (Firth), Laplace and posterior intervals are asked
 * for, in one table (src/intervals computes them; this module fits what they need).
 * R equivalents: confint.default / MASS::confint (profile, here solved exactly) /
 * logistf's profile penalized likelihood / posterior quantiles.
 */
import { checkHas, checkUnitOpen } from "./validate-spec.js";
import { ArgumentError } from "../src/errors.js";
import { intervalSets, type IntervalComparison, type IntervalMethod, type IntervalSet } from "../src/intervals/index.js";
import { compareIntervalSets, type CompareOptions } from "../src/intervals/compare.js";
import type { MapFit } from "../src/fit/map.js";
import type { BiasReducedFit } from "../src/fit/firth.js";
import type { GlmModel } from "./glm.js";
import type { PosteriorFit } from "./posterior-result.js";
import type { PenalizedFit } from "./penalized-result.js";
import type { GlmFit } from "./fit-result.js";
import { MultinomialModel, multinomialCompareIntervals, type MultinomialIntervalRequest } from "./multinomial.js";

/** The four method names of the CLI contract (`--intervals wald,profile,laplace,posterior`). */
export type ContractIntervalMethod = "wald" | "profile" | "laplace" | "posterior";

export interface IntervalRequest {
  methods?: readonly IntervalMethod[];
  level?: number;
  /** The fit whose point estimates the Wald/profile intervals belong to (default: ML). */
  basis?: "mle" | "firth" | "map";
  /** Sampled posterior, for the posterior intervals. */
  posterior?: PosteriorFit | null;
  /** Fits already made (saves refitting): a bias-reduced fit (Firth or Jeffreys) for the Firth basis, a MAP or Laplace fit for the MAP basis. */
  fits?: { mle?: GlmFit; firth?: PenalizedFit; map?: PenalizedFit };
  /** Progress of the profile methods: (method, 0, total) first, then (method, k, total) after the k-th coefficient. */
  onProgress?: CompareOptions["onProgress"];
}

/**
 * Maps the CLI's method names to the interval methods of a basis: under Firth,
 * "wald" and "profile" are the Firth Wald and penalized-profile intervals; under
 * MAP, "wald" is the Wald interval at the mode (equal to Laplace for coefficients).
 */
export function contractMethods(names: readonly ContractIntervalMethod[], basis: "mle" | "firth" | "map"): IntervalMethod[] {
  return names.map((m): IntervalMethod => {
    if (m === "wald") return basis === "firth" ? "firth-wald" : basis === "map" ? "map-wald" : "wald";
    if (m === "profile") {
      if (basis === "map") throw new ArgumentError("profile intervals are for --method mle (profile likelihood) and --method firth (penalized profile)");
      return basis === "firth" ? "firth-profile" : "profile";
    }
    return m;
  });
}

/**
 * The interval basis of a penalized fit: "firth" for the bias-reduced kinds (Firth,
 * Jeffreys-prior MAP), "map" for the MAP and Laplace kinds.
 */
export function penalizedBasis(fit: PenalizedFit): "firth" | "map" {
  return fit.estimate.kind === "firth" || fit.estimate.kind === "jeffreys" ? "firth" : "map";
}

function needs(methods: readonly IntervalMethod[], ...which: IntervalMethod[]): boolean {
  return methods.some((m) => which.includes(m));
}

/** Computes the requested interval sets for a model, fitting what they need. */
export function modelIntervalSets(model: GlmModel, req: IntervalRequest = {}): IntervalSet[] {
  const methods = req.methods ?? (["wald", "profile"] as IntervalMethod[]);
  const ml = needs(methods, "wald", "profile") ? (req.fits?.mle ?? model.fit()).ml : null;
  let firth: BiasReducedFit | null = null;
  if (needs(methods, "firth-wald", "firth-profile")) {
    const { estimate } = req.fits?.firth ?? model.firth();
    if (estimate.kind !== "firth" && estimate.kind !== "jeffreys")
      throw new ArgumentError(`Firth intervals need a bias-reduced fit (firth or the Jeffreys-prior MAP), not a ${estimate.kind} fit`);
    firth = estimate.fit;
  }
  let map: MapFit | null = null;
  if (needs(methods, "laplace", "map-wald")) {
    const { estimate } = req.fits?.map ?? model.map();
    if (estimate.kind !== "map" && estimate.kind !== "laplace")
      throw new ArgumentError("Laplace intervals need a MAP under proper or flat priors; the Jeffreys-prior fit has its own penalized-profile intervals (firth-profile)");
    map = estimate.fit;
  }
  const posterior = needs(methods, "posterior", "posterior-hdi") ? req.posterior?.posterior ?? null : null;
  if (needs(methods, "posterior", "posterior-hdi") && !posterior)
    throw new ArgumentError("posterior intervals need a sampled posterior (model.sample(), or --method nuts)");
  return intervalSets({ ml, firth, map, posterior }, { methods, level: req.level, onProgress: req.onProgress });
}

/**
 * `compareIntervals(model, { methods, level })`: one row per coefficient and method
 * with lower, upper, width and flags (infinite, asymmetric); `formatComparison` prints it.
 */
export function compareIntervals(model: GlmModel | MultinomialModel, req: IntervalRequest | MultinomialIntervalRequest = {}): IntervalComparison {
  if (model instanceof MultinomialModel) return multinomialCompareIntervals(model, req as MultinomialIntervalRequest);
  checkHas(model, "resolved", "compareIntervals(model, request) takes a model declared by glm()");
  if (typeof req !== "object" || req === null) throw new ArgumentError(`compareIntervals: the request must be an object { methods, level, … }, got ${String(req)}`);
  checkUnitOpen("level", req.level);
  return compareIntervalSets(modelIntervalSets(model, req as IntervalRequest));
}

/**
 * Family factories (R's `family` objects) and `makeFamily`, which builds one from a
 * name as R users write it. Each family is a frozen record of scalar functions
 * carrying its link; see src/types.ts for the members.
 */
import { ArgumentError, FamilyError } from "../errors.js";
import type { Family } from "../types.js";
import { binomial, quasibinomial } from "./binomial.js";
import { Gamma } from "./gamma.js";
import { gaussian } from "./gaussian.js";
import { inverseGaussian } from "./inverseGaussian.js";
import { negativeBinomial, negativeBinomialName } from "./negativeBinomial.js";
import { poisson, quasipoisson } from "./poisson.js";
import type { LinkSpec } from "./shared.js";
import { tweedie } from "./tweedie.js";

export { binomial, quasibinomial, Gamma, gaussian, inverseGaussian, negativeBinomial, negativeBinomialName };
export { poisson, quasipoisson, tweedie };
export type { LinkSpec };

/** Options of `makeFamily`. */
export interface FamilyOptions {
  /** Link name, "power(λ)" or a Link; the family's default (R's) when absent. */
  link?: LinkSpec;
  /** θ of the negative binomial family (required: the θ-estimating fit lives elsewhere). */
  theta?: number;
  /** Variance power of the Tweedie family (required). */
  power?: number;
}

/** The family names `makeFamily` accepts (case-insensitive), with aliases. */
export const FAMILY_NAMES = [
  "gaussian",
  "binomial",
  "poisson",
  "Gamma",
  "inverse.gaussian",
  "quasibinomial",
  "quasipoisson",
  "negative_binomial",
  "negbin",
  "tweedie",
] as const;

type Builder = (opts: FamilyOptions) => Family;

function withLink(make: (link?: LinkSpec) => Family): Builder {
  return (opts) => make(opts.link);
}

const BUILDERS: ReadonlyMap<string, Builder> = new Map<string, Builder>([
  ["gaussian", withLink(gaussian)],
  ["binomial", withLink(binomial)],
  ["poisson", withLink(poisson)],
  ["gamma", withLink(Gamma)],
  ["inverse.gaussian", withLink(inverseGaussian)],
  ["inverse_gaussian", withLink(inverseGaussian)],
  ["quasibinomial", withLink(quasibinomial)],
  ["quasipoisson", withLink(quasipoisson)],
  ["negative_binomial", negbin],
  ["negative.binomial", negbin],
  ["negbin", negbin],
  ["tweedie", tweedieBuilder],
]);

function negbin(opts: FamilyOptions): Family {
  if (opts.theta === undefined) {
    throw new FamilyError(
      "theta (θ) is required for the negative binomial family with fixed θ: pass { theta }, or use the fit that estimates θ",
    );
  }
  return negativeBinomial(opts.theta, opts.link);
}

function tweedieBuilder(opts: FamilyOptions): Family {
  if (opts.power === undefined) {
    throw new FamilyError("power (the variance power p) is required for the tweedie family: pass { power }");
  }
  return tweedie(opts.power, opts.link);
}

/**
 * Builds a family from R's name, case-insensitively: "gaussian", "binomial", "poisson",
 * "Gamma", "inverse.gaussian", "quasibinomial", "quasipoisson", "negative_binomial"
 * (alias "negbin"; needs `theta`) and "tweedie" (needs `power`).
 * @example makeFamily("poisson", { link: "sqrt" }).link.name // "sqrt"
 * @example makeFamily("negbin", { theta: 1.52727 }).name // "Negative Binomial(1.5273)"
 */
export function makeFamily(name: string, opts: FamilyOptions = {}): Family {
  if (typeof name !== "string") {
    throw new FamilyError(`family must be a name; got ${String(name)}. Valid families: ${FAMILY_NAMES.join(", ")}`);
  }
  const key = name.trim().toLowerCase();
  const build = BUILDERS.get(key);
  if (build === undefined) {
    throw new FamilyError(`unknown family "${name}"; valid families: ${FAMILY_NAMES.join(", ")}`);
  }
  const isNegbin = build === negbin;
  if (opts.theta !== undefined && !isNegbin) {
    throw new ArgumentError(`theta applies only to the negative binomial family, not to "${name}"`);
  }
  if (opts.power !== undefined && build !== tweedieBuilder) {
    throw new ArgumentError(`power applies only to the tweedie family, not to "${name}"`);
  }
  const family = build(opts);
  if (opts.link !== undefined && typeof opts.link !== "string") return family;
  // The link as given ("power(1/3)" keeps λ exactly; the record's name "mu^0.333" would not).
  const recipe = { name, link: opts.link ?? family.link.name, theta: opts.theta, power: opts.power };
  return Object.freeze({ ...family, recipe });
}

/**
 * Family factories (R's `family` objects) and `makeFamily`, which builds one from a
 * name as R users write it. Each family is a frozen record carrying its link and
 * everything it knows; see src/types.ts for the members and docs/adding-a-family.md
 * for how a new family is added (one file, and one line in BUILT_IN below).
 */
import { ArgumentError, FamilyError } from "../errors.js";
import type { Family } from "../types.js";
import { binomial, binomialEntry, quasibinomial, quasibinomialEntry } from "./binomial.js";
import { Gamma, GammaEntry } from "./gamma.js";
import { gaussian, gaussianEntry } from "./gaussian.js";
import { inverseGaussian, inverseGaussianEntry } from "./inverseGaussian.js";
import { negativeBinomial, negativeBinomialEntry, negativeBinomialName } from "./negativeBinomial.js";
import { poisson, poissonEntry, quasipoisson, quasipoissonEntry } from "./poisson.js";
import { familyNames, findFamily, registerFamily, type FamilyEntry, type FamilyOptions } from "./registry.js";
import type { LinkSpec } from "./shared.js";
import { tweedie, tweedieEntry } from "./tweedie.js";

export { binomial, quasibinomial, Gamma, gaussian, inverseGaussian, negativeBinomial, negativeBinomialName };
export { poisson, quasipoisson, tweedie };
export { registerFamily, familyNames };
export type { LinkSpec, FamilyEntry, FamilyOptions };

/** The built-in families, in the order makeFamily's error message lists their names. */
const BUILT_IN: readonly FamilyEntry[] = [
  gaussianEntry,
  binomialEntry,
  poissonEntry,
  GammaEntry,
  inverseGaussianEntry,
  quasibinomialEntry,
  quasipoissonEntry,
  negativeBinomialEntry,
  tweedieEntry,
];
for (const entry of BUILT_IN) registerFamily(entry);

/** The built-in family names `makeFamily` accepts (case-insensitive), with aliases; `familyNames()` adds registered ones. */
export const FAMILY_NAMES: readonly string[] = Object.freeze(familyNames());

/**
 * Builds a family from its name, case-insensitively: "gaussian", "binomial", "poisson",
 * "Gamma", "inverse.gaussian", "quasibinomial", "quasipoisson", "negative_binomial"
 * (alias "negbin"; needs `theta`), "tweedie" (needs `power`), and any registered name.
 * @example makeFamily("poisson", { link: "sqrt" }).link.name // "sqrt"
 * @example makeFamily("negbin", { theta: 1.52727 }).name // "Negative Binomial(1.5273)"
 */
export function makeFamily(name: string, opts: FamilyOptions = {}): Family {
  if (typeof name !== "string") {
    throw new FamilyError(`family must be a name; got ${String(name)}. Valid families: ${familyNames().join(", ")}`);
  }
  const entry = findFamily(name);
  if (entry === undefined) {
    throw new FamilyError(`unknown family "${name}"; valid families: ${familyNames().join(", ")}`);
  }
  if (opts.theta !== undefined && entry.takes !== "theta") {
    throw new ArgumentError(`theta applies only to the negative binomial family, not to "${name}"`);
  }
  if (opts.power !== undefined && entry.takes !== "power") {
    throw new ArgumentError(`power applies only to the tweedie family, not to "${name}"`);
  }
  const family = entry.build(opts);
  if (opts.link !== undefined && typeof opts.link !== "string") return family;
  // The link as given ("power(1/3)" keeps λ exactly; the record's name "mu^0.333" would not).
  const recipe = { name, link: opts.link ?? family.link.name, theta: opts.theta, power: opts.power };
  return Object.freeze({ ...family, recipe });
}

/**
 * rstanarm 2.21.3 `stan_glm`'s default priors, resolved for a design exactly as
 * `stan_glm.fit` resolves them (read from its source):
 *
 *   coefficients  normal(0, 2.5), autoscale = TRUE: scale × sd(y) (gaussian only) / sd(xⱼ)
 *                 (sd(xⱼ) := 1 for a constant column), floored at 1e-12 (src/priors/autoscale.ts)
 *   intercept     normal(m_y, 2.5) on the intercept of the centred predictors, with
 *                 m_y = mean(y) for the gaussian family with the identity link, else 0
 *                 (`default_prior_intercept`, location filled in `stan_glm.fit`); scale × sd(y)
 *                 for the gaussian family (any link), else unchanged
 *   aux           exponential(1), autoscale = TRUE: rate / sd(y) for the gaussian σ; the Gamma
 *                 shape, the negative binomial θ (`reciprocal_dispersion`) and the inverse
 *                 Gaussian λ keep exponential(1)
 *   probit link   every coefficient and intercept scale is first multiplied by
 *                 dnorm(0)/dlogis(0) (`set_prior_scale`), as rstanarm does for any prior it
 *                 resolves; glmkit applies that factor to its defaults only (an explicit prior
 *                 means what it says)
 *
 * sd(y) and mean(y) are unweighted over all rows, as rstanarm's `sd(y)` and `mean(y)`.
 * Reference: rstanarm 2.21.3 R/stan_glm.fit.R, R/priors.R (`default_prior_coef`,
 * `default_prior_intercept`, `handle_glm_prior`, `set_prior_scale`).
 */
import { DataError } from "../errors.js";
import type { Family } from "../types.js";
import { normal } from "./coefficient.js";
import { exponential } from "./auxiliary.js";
import { autoscale, autoscaleAux } from "./autoscale.js";
import { INTERCEPT_NAME } from "./vectorised.js";
import type { AuxPrior, CoefficientPrior } from "./types.js";

/** dnorm(0) = 1/√(2π) as R's M_1_SQRT_2PI (rounded to the double R uses). */
const DNORM_0 = 0.3989422804014327;
/** dlogis(0) = 1/4. */
const DLOGIS_0 = 0.25;
/** rstanarm's default coefficient and intercept scale. */
const DEFAULT_SCALE = 2.5;

/** What rstanarm's defaults need of a model. */
export interface DefaultPriorDesign {
  /** n×p row-major design. */
  X: ArrayLike<number>;
  columnNames: readonly string[];
  hasIntercept: boolean;
  y: ArrayLike<number>;
  family: Pick<Family, "autoscaleBySdY" | "link" | "aux">;
}

/** rstanarm's defaults for one design: per-column priors, the aux prior, and what was specified before adjustment. */
export interface DefaultPriors {
  /** One prior per column (the intercept's acts on the centred intercept), adjusted. */
  coefficients: CoefficientPrior[];
  /** The aux prior (adjusted), or undefined for families without one. */
  aux: AuxPrior | undefined;
  /** The priors as rstanarm specifies them, before autoscaling (its prior_summary's "Specified prior"). */
  specified: { coefficients: string; intercept: string | null; aux: string | null };
}

/** mean(y) as R computes it: the sum over n, then one correction pass (R's summary.c `rsum` / `mean`). */
function mean(y: ArrayLike<number>): number {
  const n = y.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += y[i]!;
  const m = s / n;
  let t = 0;
  for (let i = 0; i < n; i++) t += y[i]! - m;
  return m + t / n;
}

/**
 * rstanarm 2.21.3's default priors for `design` (module comment). Throws DataError when
 * sd(y) is needed (gaussian) and y is constant or has fewer than 2 values.
 * @example rstanarmDefaultPriors({ X: [1, 1, 1, 2, 1, 4], columnNames: ["(Intercept)", "x"], hasIntercept: true, y: [0, 1, 1], family: binomial() }).coefficients.map((q) => q.describe()) // ["normal(0, 2.5)", "normal(0, 1.6366341767699428)"]
 */
export function rstanarmDefaultPriors(design: DefaultPriorDesign): DefaultPriors {
  const { columnNames, hasIntercept, y, family } = design;
  const p = columnNames.length;
  const n = y.length;
  if (n < 2) throw new DataError(`rstanarm's default priors need at least 2 observations (sd(y), sd(x)), got ${n}`);
  const probit = family.link.name === "probit";
  const scale = probit ? (DEFAULT_SCALE * DNORM_0) / DLOGIS_0 : DEFAULT_SCALE;
  const gaussianIdentity = family.autoscaleBySdY === true && family.link.name === "identity";
  const location = gaussianIdentity ? mean(y) : 0;
  let k = -1;
  if (hasIntercept && p > 0) {
    k = columnNames.indexOf(INTERCEPT_NAME);
    if (k < 0) k = 0;
  }
  const given: CoefficientPrior[] = columnNames.map((_, j) => (j === k ? normal(location, scale) : normal(0, scale)));
  // autoscale divides by sd(xⱼ) except for constant columns (the intercept), and multiplies by sd(y) for the gaussian family.
  const coefficients = autoscale(given, design.X, columnNames, y, family).priors.slice();
  const auxName = family.aux === null ? null : family.aux.name;
  const aux = auxName === null ? undefined : autoscaleAux(exponential(1), y, family, auxName).prior;
  return {
    coefficients,
    aux,
    specified: {
      coefficients: `normal(0, ${DEFAULT_SCALE})`,
      intercept: k >= 0 ? `normal(${location}, ${DEFAULT_SCALE})` : null,
      aux: auxName === null ? null : "exponential(1)",
    },
  };
}

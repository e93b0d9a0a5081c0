/**
 * glmkit/fit: the fitters under `glm()`, for callers who build a GlmProblem
 * themselves: IRLS, maximum likelihood (R's glm.fit), the MAP under priors,
 * Firth's bias reduction (brglm2 AS_mean / MPL_Jeffreys), the negative binomial
 * with θ estimated (MASS::glm.nb), and shared-memory designs for parallel IRLS.
 *
 *   import { fitMl } from "glmkit/fit";
 *   const ml = fitMl(problem); ml.coefficients
 */
export { irls, type IrlsOptions, type IrlsProblem, type IrlsResult } from "../../src/fit/irls.js";
export { fitMl, residuals, type GlmProblem, type MlFit, type ResidualType } from "../../src/fit/ml-fit.js";
export { fitMap, type MapAux, type MapControl, type MapFit } from "../../src/fit/map.js";
export {
  fitBiasReduced, biasReductionLabel, BIAS_REDUCTION_TYPES,
  type BiasReducedFit, type BiasReductionOptions, type BiasReductionType,
} from "../../src/fit/firth.js";
export { fitNegbin, thetaMl, type NegbinFit, type ThetaEstimate } from "../../src/fit/negbin.js";
export type { CoefficientRow } from "../../src/fit/inference.js";
export { sharedFloat64 } from "../../src/linalg/parallel-crossprod.js";

/**
 * glmkit/priors: every prior constructor and the spec parser (also in the root
 * entry), and the machinery under them: per-coefficient resolution, vectorised
 * densities and derivatives, the auxiliary parameter's density on the log scale,
 * rstanarm-style autoscaling and the defaults.
 *
 *   import { resolveCoefficientPriors, normal } from "glmkit/priors";
 */
export type {
  AuxPrior, CauchyPrior, CoefficientPrior, CoefficientScalarPrior, ExponentialPrior, FlatPrior, GammaPrior,
  HalfNormalPrior, HalfStudentTPrior, JeffreysPrior, LaplacePrior, LogisticPrior, NormalPrior, Prior, PriorParams,
  PriorSupport, RandomSource, ScalarPrior, ScalarPriorKind, StudentTPrior, UniformSource,
} from "../../src/priors/types.js";
export { flat, normal, studentT, cauchy, laplace, logistic, jeffreys, COEFFICIENT_DEFAULTS } from "../../src/priors/coefficient.js";
export {
  exponential, halfNormal, halfStudentT, gamma, asAuxPrior, AUX_DEFAULTS,
  auxLogDensityOnLogScale, auxLogDensityOnLogScaleGradient, auxLogDensityOnLogScaleHessian,
} from "../../src/priors/auxiliary.js";
export {
  resolveCoefficientPriors, usesJeffreys, priorLogDensity, priorGradientInto, priorHessianDiagInto, INTERCEPT_NAME,
  type CoefficientPriorSpec,
} from "../../src/priors/vectorised.js";
export { parsePrior } from "../../src/priors/parse.js";
export { autoscale, autoscaleAux, type AutoscaleChange, type AutoscaleResult } from "../../src/priors/autoscale.js";
export { uniformSource } from "../../src/priors/variates.js";

/**
 * Priors for glmkit: scalar priors on coefficients and auxiliary parameters
 * (densities, derivatives, samplers), the Jeffreys marker, the CLI spec
 * parser, per-coefficient resolution and vectorised evaluation, and
 * rstanarm-style autoscaling.
 */
export type {
  AuxPrior,
  CauchyPrior,
  CoefficientPrior,
  CoefficientScalarPrior,
  ExponentialPrior,
  FlatPrior,
  GammaPrior,
  HalfNormalPrior,
  HalfStudentTPrior,
  JeffreysPrior,
  LaplacePrior,
  LogisticPrior,
  NormalPrior,
  Prior,
  PriorParams,
  PriorSupport,
  RandomSource,
  ScalarPrior,
  ScalarPriorKind,
  StudentTPrior,
  UniformSource,
} from "./types.js";
export { flat, normal, studentT, cauchy, laplace, logistic, jeffreys, COEFFICIENT_DEFAULTS } from "./coefficient.js";
export {
  exponential,
  halfNormal,
  halfStudentT,
  gamma,
  asAuxPrior,
  auxLogDensityOnLogScale,
  auxLogDensityOnLogScaleGradient,
  auxLogDensityOnLogScaleHessian,
  AUX_DEFAULTS,
} from "./auxiliary.js";
export {
  resolveCoefficientPriors,
  usesJeffreys,
  priorLogDensity,
  priorGradientInto,
  priorHessianDiagInto,
  INTERCEPT_NAME,
  type CoefficientPriorSpec,
} from "./vectorised.js";
export { parsePrior } from "./parse.js";
export { autoscale, autoscaleAux, type AutoscaleChange, type AutoscaleResult } from "./autoscale.js";
export { uniformSource } from "./variates.js";
export { rstanarmDefaultPriors, type DefaultPriors, type DefaultPriorDesign } from "./defaults.js";

/**
 * glmkit/likelihood: the GLM log-likelihood and log posterior with analytic
 * gradients and Hessians (constants included), and the sampler target built on
 * them, for use with glmkit/samplers or another optimiser.
 *
 *   import { glmLogPosterior } from "glmkit/likelihood";
 *   const lp = glmLogPosterior(problem, priors); lp.logDensity(theta)
 */
export {
  glmLogPosterior, type GlmLogPosterior, type GlmLogPosteriorOptions, type GlmPriors,
} from "../../src/likelihood/log-posterior.js";
export { likelihoodKernel, type AuxName, type LikelihoodData, type LikelihoodKernel } from "../../src/likelihood/glm-likelihood.js";
export { glmPosteriorTarget, type GlmTarget, type GlmTargetOptions } from "../../src/likelihood/posterior-target.js";

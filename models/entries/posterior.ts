/**
 * glmkit/posterior: GLM posteriors below `model.sample()`: sampling a GlmProblem
 * with NUTS, posteriors from draws made elsewhere, the JSON block, posterior
 * predictive draws and pointwise log-likelihoods, and the progress bar.
 *
 *   import { posteriorPredict } from "glmkit/posterior";
 *   posteriorPredict(fit.posterior, { seed: 1 }).values
 */
export {
  samplePosterior, samplePosteriorSync, glmPosteriorFromDraws, posteriorJson, pooledDraws, mapStart,
  type GlmPosterior, type PosteriorSampleOptions, type PosteriorSettings, type PosteriorJson,
} from "../posterior.js";
export {
  posteriorPredict, posteriorEpred, logLikMatrix,
  type PredictData, type LogLikData, type DrawMatrix, type PredictOptions,
} from "../posterior-predict.js";
export { progressRenderer, progressFraction, type ProgressOptions, type ProgressRenderer, type ProgressStream } from "../posterior-progress.js";

/**
 * glmkit/posterior: GLM posteriors below `model.sample()`: sampling a GlmProblem
 * with NUTS, posteriors from draws made elsewhere, the JSON block, posterior
 * predictive draws and pointwise log-likelihoods, and the progress bar.
 *
 *   import { posteriorPredict, readCmdStanCsvFiles } from "glmkit/posterior";
 *   posteriorPredict(fit.posterior, { seed: 1 }).values
 *
 * Also: PSIS-LOO/WAIC on a posterior (looOf, waicOf) or any log-likelihood matrix (psisLoo,
 * waic, looCompare), posterior predictive checks (ppcOf), and the draws as CmdStan CSV / JSON
 * files (writeDrawsFiles, and the readers).
 */
export {
  samplePosterior, samplePosteriorSync, glmPosteriorFromDraws, posteriorJson, pooledDraws, mapStart,
  type GlmPosterior, type PosteriorSampleOptions, type PosteriorSettings, type PosteriorJson,
} from "../posterior.js";
export {
  posteriorPredict, posteriorEpred, logLikMatrix,
  type PredictData, type LogLikData, type DrawMatrix, type PredictOptions,
} from "../posterior-predict.js";
export { pointwiseLogLik, looOf, waicOf, ppcOf, formatLoo, drawsChains, writeDrawsFiles, type PpcResult, type WriteDrawsOptions } from "../posterior-checks.js";
export { psisLoo, waic, looCompare, relativeEff, paretoKTable, type LooResult, type WaicResult, type LooCompareRow, type ParetoKTable } from "../../samplers/diagnostics/loo.js";
export { readCmdStanCsvFiles, readDrawsJsonFile, writeCmdStanCsvFiles, writeDrawsJsonFile } from "../../samplers/io/draws-files.js";
export { readCmdStanCsv, writeCmdStanCsv, type CmdStanCsv } from "../../samplers/io/cmdstan-csv.js";
export { readDrawsJson, writeDrawsJson } from "../../samplers/io/draws-json.js";
export type { DrawsChain, DrawsConfig } from "../../samplers/io/draws.js";
export { progressRenderer, progressFraction, type ProgressOptions, type ProgressRenderer, type ProgressStream } from "../posterior-progress.js";

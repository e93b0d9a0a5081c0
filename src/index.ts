/**
 * glmkit: generalized linear models in TypeScript, to R's precision.
 *
 *   import { glm, readCsv } from "glmkit";
 *   const fit = glm({ formula: "low ~ age + lwt + race + smoke", data: readCsv("data/birthwt.csv"), family: "binomial" }).fit();
 *   console.log(fit.summary());
 */
export type { Link, Family, DispersionKind } from "./types.js";
export * from "./errors.js";
export { makeLink, powerLink } from "./links.js";
export * from "./families/index.js";
export { readCsv, parseCsv, toDataTable } from "./data/index.js";
export type { DataInput, DataTable } from "./data/index.js";
export { parseFormula, modelFrame } from "./formula/index.js";
export { irls, type IrlsOptions, type IrlsProblem, type IrlsResult } from "./fit/irls.js";
export { fitMl, type GlmProblem, type MlFit, type ResidualType } from "./fit/ml-fit.js";
export { fitNegbin, thetaMl } from "./fit/negbin.js";
export type { CoefficientRow } from "./fit/inference.js";
export { glm, GlmModel, type GlmSpec, type DesignInput } from "../models/glm.js";
export { GlmFit, type GlmFitJson, type Prediction } from "../models/fit-result.js";
export { anova, type AnovaRow, type AnovaTest } from "../models/anova.js";
export { PenalizedFit, type PenalizedFitJson, type PriorDescription } from "../models/penalized-result.js";
export { PosteriorFit, type PosteriorFitJson } from "../models/posterior-result.js";
export { compareIntervals, modelIntervalSets, contractMethods, type IntervalRequest } from "../models/intervals.js";
export { formatComparison, comparisonJson, intervalsJson } from "./intervals/compare.js";
export * from "./intervals/index.js";
export * from "./priors/index.js";
export { fitBiasReduced, biasReductionLabel } from "./fit/firth.js";
export { fitMap, type MapFit, type MapControl } from "./fit/map.js";
export { glmLogPosterior, type GlmLogPosterior, type GlmPriors } from "../models/log-posterior.js";
export { samplePosterior, samplePosteriorSync, posteriorJson, type GlmPosterior } from "../models/posterior.js";
export { posteriorPredict, logLikMatrix } from "../models/posterior-predict.js";
export { detectSeparation, detectSeparationSync, initSeparation } from "./separation.js";
export { sharedFloat64 } from "./linalg/parallel-crossprod.js";

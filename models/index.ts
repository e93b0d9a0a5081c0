/**
 * glmkit: generalized linear models in TypeScript, to R's precision.
 *
 *   import { glm, readCsv } from "glmkit";
 *   const fit = glm({ formula: "low ~ age + lwt + race + smoke", data: readCsv("data/birthwt.csv"), family: "binomial" }).fit();
 *   console.log(fit.summary());
 */
export type { Link, Family, DispersionKind } from "../src/types.js";
export * from "../src/errors.js";
export { makeLink, powerLink } from "../src/links.js";
export * from "../src/families/index.js";
export { readCsv, parseCsv, toDataTable } from "../src/data/index.js";
export type { DataInput, DataTable } from "../src/data/index.js";
export { parseFormula, modelFrame } from "../src/formula/index.js";
export { irls, type IrlsOptions, type IrlsProblem, type IrlsResult } from "../src/fit/irls.js";
export { fitMl, type GlmProblem, type MlFit, type ResidualType } from "../src/fit/ml-fit.js";
export { fitNegbin, thetaMl } from "../src/fit/negbin.js";
export type { CoefficientRow } from "../src/fit/inference.js";
export { glm, GlmModel, type GlmSpec, type DesignInput } from "./glm.js";
export { GlmFit, type GlmFitJson, type Prediction } from "./fit-result.js";
export { anova, type AnovaRow, type AnovaTest } from "./anova.js";
export { PenalizedFit, type PenalizedFitJson, type PriorDescription } from "./penalized-result.js";
export { PosteriorFit, type PosteriorFitJson } from "./posterior-result.js";
export { compareIntervals, modelIntervalSets, contractMethods, type IntervalRequest } from "./intervals.js";
export { formatComparison, comparisonJson, intervalsJson } from "../src/intervals/compare.js";
export * from "../src/intervals/index.js";
export * from "../src/priors/index.js";
export { fitBiasReduced, biasReductionLabel } from "../src/fit/firth.js";
export { fitMap, type MapFit, type MapControl } from "../src/fit/map.js";
export { glmLogPosterior, type GlmLogPosterior, type GlmPriors } from "../src/likelihood/log-posterior.js";
export { samplePosterior, samplePosteriorSync, posteriorJson, type GlmPosterior } from "./posterior.js";
export { posteriorPredict, logLikMatrix } from "./posterior-predict.js";
export { detectSeparation, detectSeparationSync, initSeparation } from "../src/separation.js";
export { sharedFloat64 } from "../src/linalg/parallel-crossprod.js";

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

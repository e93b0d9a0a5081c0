/**
 * glmkit: generalized linear models in TypeScript, to R's precision.
 *
 *   import { glm, readCsv } from "glmkit";
 *   const fit = glm({ formula: "low ~ age + lwt + race + smoke", data: readCsv("data/birthwt.csv"), family: "binomial" }).fit();
 *   console.log(fit.summary());
 *
 * The root entry is what a user calls, each name listed here. The pieces under it
 * have their own entries: glmkit/fit, glmkit/likelihood, glmkit/intervals,
 * glmkit/priors, glmkit/formula, glmkit/data, glmkit/separation,
 * glmkit/posterior, glmkit/samplers and glmkit/testing; glmkit/node adds what needs
 * Node (and is what `glmkit` resolves to in Node, with the LP solver preloaded).
 *
 * This module and everything it imports are browser-clean (no node: import, no
 * top-level await, no bare `process`): a bundler for the browser takes it as is.
 * There, `await loadLpSolver()` once before fitting binomial models, or their
 * separation verdicts say `checked: false` with a note.
 */

// Declaring and fitting a model
export { glm, GlmModel } from "./glm.js";
export {
  multinomial, multinomialAnova, MultinomialModel, MultinomialFit,
  type MultinomialSpec, type MultinomialFitControl, type MultinomialFitJson,
} from "./multinomial.js";
export { glmer, MultilevelModel, type MultilevelSpec, type MultilevelFitControl, type MultilevelFitResult, type GroupEffects, type MultilevelNutsOptions } from "./multilevel.js";
export {
  multilevelRanef, multilevelCoef, multilevelLinpred, multilevelPredict, multilevelLogLik, multilevelLoo, multilevelPosteriorJson, formatMultilevelPriorSummary,
  type MultilevelPosterior, type MultilevelPriorOptions, type MultilevelPriorLine, type MultilevelNewData, type RanefRow,
} from "./multilevel-posterior.js";
export type { GlmSpec, DesignInput, PriorsSpec, FitControl } from "./spec.js";
export { designBuffer, type DesignBufferOptions } from "../src/linalg/kernels/design-buffer.js";
export type { PosteriorSampleOptions } from "./posterior.js";
export type { MapControl } from "../src/fit/map.js";

// Data
export { readCsv, parseCsv, type CsvOptions } from "../src/data/csv.js";
export type { DataInput, DataTable } from "../src/data/types.js";

// Results: one interface, three classes
export type { GlmResult, GlmResultJson, FitContext, FitMethod, PriorDescription, NewDesignBuilder, NewRowsDesign } from "./result.js";
export { GlmFit, type GlmFitJson, type NegbinExtras, type Prediction, type VcovClusterOptions } from "./fit-result.js";
export type { NamedCovariance, CovarianceType } from "./fit-diagnostics.js";
export type { GlmInfluence, CaseMatrix, InfluenceMeasures } from "../src/diagnostics/influence.js";
export type { HcType } from "../src/diagnostics/sandwich.js";
export type { CalibrationReport } from "../src/diagnostics/calibration.js";
export type { TermLayout } from "../src/diagnostics/term-layout.js";
export {
  PenalizedFit,
  type PenalizedFitJson,
  type PenalizedEstimate,
  type PenalizedKind,
  type FirthEstimate,
  type JeffreysEstimate,
  type MapEstimate,
  type LaplaceEstimate,
} from "./penalized-result.js";
export { PosteriorFit, type PosteriorFitJson } from "./posterior-result.js";
export { loadModel, saveModel, SavedModel, type SavedModelJson, type SavedPredictOptions, type SavedPrediction } from "./saved-model.js";
export { looCompare, type LooResult, type WaicResult, type LooCompareRow } from "../samplers/diagnostics/loo.js";
export { formatLoo, type PpcResult, type WriteDrawsOptions } from "./posterior-checks.js";
export type { PpcCheck, PpcStatistic } from "../src/diagnostics/ppc.js";
export type { GlmPosterior } from "./posterior.js";
export type { CoefficientRow } from "../src/fit/inference.js";
export type { ResidualType } from "../src/fit/ml-fit.js";
export type { SeparationCheck, SeparationVerdict } from "./separation-check.js";

// Comparing models and intervals
export {
  anova, drop1, add1,
  type AnovaRow, type AnovaTest, type SequentialAnovaOptions,
  type SequentialAnova, type SequentialAnovaRow, type SequentialTest, type TermTest, type TermTestOptions, type TermTestRow, type TermTestTable,
} from "./anova.js";
export { compareIntervals, type IntervalRequest, type ContractIntervalMethod } from "./intervals.js";
export { formatComparison, type IntervalComparison, type ComparisonRow } from "../src/intervals/compare.js";
export type { IntervalMethod, IntervalRow, IntervalSet } from "../src/intervals/types.js";

// Priors
export { parsePrior } from "../src/priors/parse.js";
export { flat, normal, studentT, cauchy, laplace, logistic, jeffreys } from "../src/priors/coefficient.js";
export { exponential, halfNormal, halfStudentT, gamma } from "../src/priors/auxiliary.js";
export type { Prior, CoefficientPrior, AuxPrior } from "../src/priors/types.js";

// Families and links
export {
  makeFamily,
  gaussian,
  binomial,
  quasibinomial,
  poisson,
  quasipoisson,
  Gamma,
  inverseGaussian,
  negativeBinomial,
  tweedie,
  type FamilyOptions,
  type LinkSpec,
} from "../src/families/index.js";
export { makeLink, powerLink } from "../src/links.js";
export type { Link, Family, DispersionKind } from "../src/types.js";

// Browser and host: the LP solver of the separation check (lazy), parallel chains on Web Workers
export { loadLpSolver, separationReady, type LpSolverOptions } from "../src/separation.js";
export { setChainRunner, type ChainRunner } from "../samplers/parallel/runner.js";
export { webWorkerChainRunner, serveChainTask, announceChainWorker, CHAIN_WORKER_READY, type WorkerLike } from "../samplers/parallel/web-workers.js";

// Typed errors
export { GlmkitError, DataError, FormulaError, FamilyError, PriorError, ArgumentError, NumericalError, NoModeError } from "../src/errors.js";

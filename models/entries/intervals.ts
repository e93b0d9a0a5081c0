/**
 * glmkit/intervals: interval methods one by one (Wald, exact profile likelihood,
 * Firth's penalized profile, Laplace, posterior equal-tailed and HDI), the
 * comparison table over fit records, and likelihood-ratio, Wald and score tests.
 * The model-level `compareIntervals(model, …)` is the root entry's (also here).
 *
 *   import { intervalSets, compareIntervalSets } from "glmkit/intervals";
 *   compareIntervalSets(intervalSets({ ml: fit.ml }, { methods: ["wald", "profile"] }))
 */
export type { IntervalMethod, IntervalRow, IntervalSet } from "../../src/intervals/types.js";
export { waldIntervals, firthWaldIntervals, mapWaldIntervals, type WaldOptions, type WaldQuantile } from "../../src/intervals/wald.js";
export { profileIntervals, type ProfileOptions } from "../../src/intervals/profile.js";
export { penalizedProfileIntervals, type PenalizedProfileOptions } from "../../src/intervals/penalized-profile.js";
export {
  laplaceApproximation, laplaceDraws, laplaceIntervals, laplacePredictions,
  type LaplaceApproximation, type LaplaceIntervalOptions, type LaplacePredictionOptions, type LaplacePredictions, type PredictionRows,
} from "../../src/intervals/laplace.js";
export { posteriorIntervals, equalTailedInterval, highestDensityInterval, type NamedDraws } from "../../src/intervals/posterior-intervals.js";
export {
  likelihoodRatioTest, scoreTest, waldTest, waldTestJoint, nestedModelTests, coefficientTests,
  type ChisqTest, type LrTest, type ScoreTest, type WaldTest, type WaldJointTest, type NestedTests, type CoefficientTestRow,
} from "../../src/intervals/hypothesis-tests.js";
export {
  INTERVAL_METHODS, availableMethods, intervalSets, compareIntervalSets, formatComparison, comparisonJson, intervalsJson,
  type ChainDraws, type IntervalSources, type CompareOptions, type ComparisonRow, type IntervalComparison,
} from "../../src/intervals/compare.js";
export {
  compareIntervals, modelIntervalSets, contractMethods, penalizedBasis,
  type ContractIntervalMethod, type IntervalRequest,
} from "../intervals.js";

/**
 * Confidence and credible intervals, and LR/Wald/score tests, for glmkit fits:
 * Wald (ML, MAP, Firth), exact profile likelihood (ML), penalised profile
 * likelihood (Firth, as logistf), the Laplace approximation at the MAP, posterior
 * equal-tailed and highest-density intervals, and a comparison table.
 */
export type { IntervalMethod, IntervalRow, IntervalSet, Cutoff } from "./types.js";
export { checkLevel, twoSidedCutoff } from "./level.js";
export { solveIncreasing, type RootOptions, type RootResult, type ValueAndSlope } from "./root.js";
export { EXP_TRANSFORM, type MonotoneTransform } from "./transform.js";
export { waldFromTable, waldIntervals, firthWaldIntervals, mapWaldIntervals, type WaldOptions, type WaldQuantile } from "./wald.js";
export { profileIntervals, CoefficientProfile, referenceDeviance, resolveWhich, type ProfileOptions, type ProfilePoint } from "./profile.js";
export { findProfileBound, type BoundSearch, type BoundResult, type SignedRoot } from "./profile-bound.js";
export { penalizedProfileIntervals, penalizedMaximum, PenalizedProfile, type PenalizedProfileOptions } from "./penalized-profile.js";
export {
  laplaceApproximation,
  laplaceDraws,
  laplaceIntervals,
  laplacePredictions,
  standardNormalStream,
  type LaplaceApproximation,
  type LaplaceIntervalOptions,
  type LaplacePredictionOptions,
  type LaplacePredictions,
  type PredictionRows,
} from "./laplace.js";
export { equalTailedInterval, highestDensityInterval, posteriorIntervals, quantileSorted, type NamedDraws } from "./posterior-intervals.js";
export {
  likelihoodRatioTest,
  scoreTest,
  raoScore,
  waldTest,
  waldTestJoint,
  nestedModelTests,
  coefficientTests,
  dropColumns,
  type ChisqTest,
  type LrTest,
  type ScoreTest,
  type WaldTest,
  type WaldJointTest,
  type NestedTests,
  type CoefficientTestRow,
} from "./hypothesis-tests.js";
export {
  INTERVAL_METHODS,
  ASYMMETRY_SHARE,
  availableMethods,
  intervalSets,
  compareIntervalSets,
  compareIntervals,
  formatComparison,
  comparisonJson,
  intervalsJson,
  jsonBound,
  type IntervalSources,
  type CompareOptions,
  type ComparisonRow,
  type IntervalComparison,
} from "./compare.js";

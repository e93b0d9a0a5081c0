/**
 * glmkit/testing: fast-check arbitraries that produce GLM data sets with their
 * ground truth attached, and property helpers that return a verdict with the
 * evidence, for property-based tests of how maximum-likelihood estimates behave
 * at their limits (separation, the boundary of the parameter space, growing n,
 * vanishing priors).
 *
 *   import fc from "fast-check";
 *   import { glm } from "glmkit";
 *   import { separableData, mleDiverges, assertVerdict, propertyParameters } from "glmkit/testing";
 *
 *   fc.assert(fc.property(separableData({ kind: "complete" }), (d) =>
 *     assertVerdict(mleDiverges(glm(d.spec).fit(), d.truth.direction, { expectLimitZero: true }))),
 *     propertyParameters(20, 1234));
 */
export { simulationRng, MAX_SEED, type SimulationRng } from "./rng.js";
export {
  SIMULATED_FAMILIES,
  DEFAULT_TRUE_PARAMETERS,
  familySimulation,
  unrestrictedLink,
  type SimulatedFamily,
  type TrueParameters,
  type FamilySimulation,
} from "./family-simulation.js";
export { makeGlmData, withResponse, defaultColumnNames, linearPredictor, type GlmData, type BaseTruth } from "./data-set.js";
export { unitArb, unitsArb, seedArb, type IntRange } from "./arbitrary-helpers.js";
export {
  glmData,
  simulateGlmData,
  coefficientsFromUnits,
  etaRange,
  type GlmDataOptions,
  type GlmDataParameters,
  type GlmDataTruth,
  type SimulatedGlmData,
  type CovariateKind,
} from "./glm-data.js";
export {
  separableData,
  nearSeparableData,
  simulateSeparableData,
  simulateNearSeparableData,
  SEPARATION_MARGIN,
  type SeparationKind,
  type SeparationTruth,
  type SeparatedData,
  type SeparableOptions,
  type SeparableParameters,
  type NearSeparableOptions,
  type NearSeparableParameters,
} from "./separation-data.js";
export {
  rareEvents,
  overdispersedCounts,
  simulateRareEvents,
  simulateOverdispersedCounts,
  RARE_EVENT_SHARE,
  type RareEventsData,
  type RareEventsTruth,
  type RareEventsOptions,
  type RareEventsParameters,
  type OverdispersedData,
  type OverdispersedTruth,
  type OverdispersedOptions,
  type OverdispersedParameters,
} from "./counts.js";
export {
  collinearDesign,
  rankDeficientDesign,
  extremeScale,
  simulateCollinearDesign,
  simulateRankDeficientDesign,
  simulateExtremeScale,
  type CollinearData,
  type CollinearTruth,
  type CollinearOptions,
  type CollinearParameters,
  type RankDeficientData,
  type RankDeficientTruth,
  type RankDeficientOptions,
  type RankDeficientParameters,
  type DependentColumn,
  type Dependence,
  type ExtremeScaleData,
  type ExtremeScaleTruth,
  type ExtremeScaleOptions,
  type ExtremeScaleParameters,
  type ResponseOptions,
} from "./designs.js";
export { priorSpec, formulaSpec, formulaCase, FORMULA_PAIRS, type FormulaParameters, type PriorSpecCase, type PriorSpecOptions, type PriorKindName, type FormulaSpecCase, type FormulaSpecOptions } from "./front-end.js";
export { verdict, assertVerdict, allOf, formatEvidence, PropertyViolation, type Verdict } from "./verdict.js";
export { viewOf, type FitLike, type FitView, type GenericFit } from "./fit-view.js";
export {
  mleDiverges,
  isFiniteEstimate,
  scoreIsZero,
  approximatelyEqualFits,
  intervalsNest,
  coverageWithin,
  logLikelihoodAt,
  type DivergenceEvidence,
  type MleDivergesOptions,
  type FiniteEvidence,
  type FiniteOptions,
  type ScoreEvidence,
  type EqualityEvidence,
  type EqualityOptions,
  type IntervalLike,
  type NestingEvidence,
  type CoverageEvidence,
} from "./properties.js";
export { propertyParameters, runScale, type RunEnvironment } from "./runner.js";

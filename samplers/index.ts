/**
 * glmkit/samplers: GLM-free HMC/NUTS with Stan's adaptation, multi-chain running
 * (sequential or worker threads) and `posterior`-compatible diagnostics.
 */
export type { LogDensity, TargetFactory, Rng, KernelState, TransitionInfo, KernelParams, Kernel } from "./types.js";
export { createRng, chainSeed } from "./rng.js";
export { makeMetric, unitMetric, choleskyInPlace, velocity, kineticEnergy, kineticEnergyAndVelocity, sampleMomentum, type Metric } from "./metric.js";
export { makeIntegrator, velocityVerlet, mclachlan, yoshida, type Integrator, type IntegratorStep } from "./kernels/integrators.js";
export { MAX_DELTA_H, logSumExp, hamiltonian, initState } from "./kernels/common.js";
export { buildHmcKernel, type HmcOptions } from "./kernels/hmc.js";
export { buildNutsKernel, type NutsOptions } from "./kernels/nuts.js";
export { dualAveraging, type DualAveragingOptions, type DualAveragingState } from "./adaptation/dual-averaging.js";
export { welford, welfordCovariance, type WelfordState } from "./adaptation/welford.js";
export { buildSchedule, type AdaptationSchedule, type AdaptationWindow, type ScheduleOptions } from "./adaptation/schedule.js";
export { findReasonableStepSize } from "./adaptation/step-size.js";
export { windowAdaptation, type WindowAdaptationOptions, type WindowAdaptationState, type WarmupResult } from "./adaptation/window.js";
export { nutpieAdaptation, buildNutpieSchedule, drawGradInvMetric, type NutpieAdaptationOptions, type NutpieAdaptationState, type NutpieSchedule, type NutpieScheduleOptions, type DrawGradMoments } from "./adaptation/nutpie.js";
export { runChain, initialState, SAMPLER_PARAM_NAMES, type Adaptation, type ChainConfig, type ChainResult, type SamplerParams, type Progress } from "./chain.js";
export { sample, sampleSync, type SampleOptions, type SampleResult } from "./sample.js";
export { buildTarget, isTargetFactory, registerTargetBuilder } from "./parallel/factory.js";
export { setChainRunner, chainRunner, type ChainRunner } from "./parallel/runner.js";
export { webWorkerChainRunner, serveChainTask, announceChainWorker, CHAIN_WORKER_READY, type WorkerLike } from "./parallel/web-workers.js";
export { affineTarget, buildAffineTarget, type AffineMap, type AffineTarget, type AffineTargetRecipe } from "./reparameterized.js";
export { mean, variance, sd, median, mad, quantile, quantileSorted, rankAverage } from "./diagnostics/basic.js";
export {
  rhat,
  rhatBasic,
  essBulk,
  essTail,
  essBasic,
  essMean,
  essQuantile,
  essSd,
  mcseMean,
  mcseQuantile,
  mcseSd,
  splitChains,
  zScale,
  foldDraws,
  rhatOf,
  essOf,
  checkChains,
  type Chains,
} from "./diagnostics/convergence.js";
export { autocovarianceFft, autocovarianceAt } from "./diagnostics/autocovariance.js";
export { ebfmi, countDivergences, countTreeDepthSaturation } from "./diagnostics/hmc.js";
export { summarizeDraws, summarizeVariable, variableChains, diagnosticWarnings, type SummaryRow, type WarningThresholds } from "./diagnostics/summary.js";

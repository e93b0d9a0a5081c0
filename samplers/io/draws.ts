/**
 * The record of one chain's posterior draws that the CSV and JSON writers share,
 * and its construction from `sample`'s result. Pure (no node:fs); the file helpers
 * live in ./draws-files.ts.
 */
import { ArgumentError } from "../../src/errors.js";
import { SAMPLER_PARAM_NAMES, type SamplerParams } from "../chain.js";
import type { SampleResult } from "../sample.js";

/** Sampler settings written in the CmdStan-style header (CmdStan's names in comments). */
export interface DrawsConfig {
  /** num_warmup */
  warmup?: number;
  /** num_samples (iterations before thinning) */
  draws?: number;
  thin?: number;
  /** adapt delta */
  adaptDelta?: number;
  /** nuts max_depth */
  maxTreeDepth?: number;
  /** random seed of this chain */
  seed?: number;
  /** model name */
  model?: string;
}

/** One chain: draws, Stan's sampler diagnostics and the adaptation result. */
export interface DrawsChain {
  /** 1-based chain id (CmdStan's id). */
  chain: number;
  /** Parameter names (the columns after the sampler diagnostics). */
  names: string[];
  /** Saved draws × dim, row-major. */
  draws: Float64Array;
  /** lp__ per saved draw (log density up to a constant); NaN where unknown. */
  lp: Float64Array;
  /** Stan's sampler diagnostics per saved draw. */
  sampler: SamplerParams;
  stepSize: number;
  /** Inverse metric: dim entries (diag_e) or dim² (dense_e, row-major). */
  invMetric: Float64Array;
  metric: "diag" | "dense";
  /** Warmup draws and their diagnostics, when saved (CmdStan's save_warmup = 1). */
  warmup?: { draws: Float64Array; lp: Float64Array; sampler: SamplerParams };
  config?: DrawsConfig;
  /** Elapsed seconds. */
  seconds?: { warmup: number; sampling: number };
}

/** Number of saved draws of a chain, checking that every array agrees. */
export function drawCount(c: DrawsChain): number {
  const dim = c.names.length;
  if (dim === 0) throw new ArgumentError("a chain needs at least one parameter name");
  if (c.draws.length % dim !== 0) throw new ArgumentError(`chain ${c.chain}: draws has ${c.draws.length} entries, not a multiple of ${dim} parameters`);
  const S = c.draws.length / dim;
  if (c.lp.length !== S) throw new ArgumentError(`chain ${c.chain}: lp has ${c.lp.length} entries for ${S} draws`);
  for (const k of SAMPLER_PARAM_NAMES) {
    if (!(c.sampler[k] instanceof Float64Array) || c.sampler[k].length !== S)
      throw new ArgumentError(`chain ${c.chain}: sampler.${k} must be a Float64Array of ${S} draws`);
  }
  const m = c.invMetric.length;
  if (!((c.metric === "diag" && m === dim) || (c.metric === "dense" && m === dim * dim)))
    throw new ArgumentError(`chain ${c.chain}: a ${c.metric} inverse metric of ${dim} parameters cannot have ${m} entries`);
  return S;
}

/**
 * The chains of a `sample` result as DrawsChain records. lp__ per chain is `options.lp`
 * when given, else the result's own `lp` (recorded by `sample`), else NaN; `config` the
 * settings for the header.
 * @example fromSampleResult(result, { config: { warmup: 1000, draws: 1000 } })[0].stepSize
 */
export function fromSampleResult(result: SampleResult, options: { lp?: Float64Array[]; config?: DrawsConfig } = {}): DrawsChain[] {
  const dim = result.dim;
  return result.draws.map((draws, k) => {
    const S = draws.length / dim;
    const inv = result.invMetric[k]!;
    const chain: DrawsChain = {
      chain: k + 1,
      names: [...result.names],
      draws,
      lp: options.lp?.[k] ?? result.lp?.[k] ?? new Float64Array(S).fill(Number.NaN),
      sampler: result.sampler[k]!,
      stepSize: result.stepSize[k]!,
      invMetric: inv,
      metric: inv.length === dim ? "diag" : "dense",
      config: { ...options.config, seed: result.seeds[k] },
      seconds: { warmup: result.seconds.warmup[k]!, sampling: result.seconds.sampling[k]! },
    };
    if (result.warmupDraws && result.warmupSampler) {
      const W = result.warmupDraws[k]!.length / dim;
      chain.warmup = { draws: result.warmupDraws[k]!, lp: new Float64Array(W).fill(Number.NaN), sampler: result.warmupSampler[k]! };
    }
    drawCount(chain);
    return chain;
  });
}

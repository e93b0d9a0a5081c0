// End-to-end: sample() with NUTS + Stan's warmup on known Gaussians; determinism;
// parallel (worker threads) ⇔ sequential bit-identity; option validation.
import { describe, expect, it } from "vitest";
import {
  chainSeed,
  diagnosticWarnings,
  essBulk,
  mcseMean,
  sample,
  sampleSync,
  summarizeDraws,
  variableChains,
  type LogDensity,
  type SampleResult,
  type TargetFactory,
} from "../../samplers/index.js";
import { ArgumentError } from "../../src/errors.js";
import { correlatedGaussian, normal } from "./targets.js";

const TARGETS_MODULE = new URL("./targets.ts", import.meta.url).href;

/** Mean and E[x²] of each coordinate within 4 MCSE of the truth (MCSE from the ESS of the draws). */
function checkMoments(fit: SampleResult, variances: ArrayLike<number>): void {
  for (let j = 0; j < fit.dim; j++) {
    const chains = variableChains(fit.draws, fit.dim, j);
    const all = chains.flatMap((c) => Array.from(c));
    const m = all.reduce((a, b) => a + b, 0) / all.length;
    expect(Math.abs(m), `mean of ${j}`).toBeLessThan(4 * mcseMean(chains));
    const sq = chains.map((c) => c.map((v) => v * v));
    const m2 = all.reduce((a, b) => a + b * b, 0) / all.length;
    expect(Math.abs(m2 - variances[j]), `E[x²] of ${j}`).toBeLessThan(4 * mcseMean(sq));
  }
}

describe("NUTS with Stan's warmup", () => {
  it("100-d standard normal (diag metric): moments within 4 MCSE, no warnings, speed", () => {
    let evals = 0;
    const base = normal({ dim: 100 });
    const target: LogDensity = {
      dim: 100,
      logDensityGrad(x, g) {
        evals++;
        return base.logDensityGrad(x, g);
      },
    };
    const fit = sampleSync(target, { seed: 2024, chains: 4, warmup: 1000, draws: 1000 });
    checkMoments(fit, new Float64Array(100).fill(1));
    const summary = summarizeDraws(fit.draws, fit.names);
    expect(diagnosticWarnings(summary, fit.sampler)).toEqual([]);
    const minEss = Math.min(...summary.map((r) => r.ess_bulk));
    const accept = fit.sampler.flatMap((s) => Array.from(s.accept_stat__));
    const meanAccept = accept.reduce((a, b) => a + b, 0) / accept.length;
    // Dual averaging targets 0.8; exp(x̄) lands a little above.
    expect(meanAccept).toBeGreaterThan(0.75);
    expect(meanAccept).toBeLessThan(0.93);
    expect(fit.stepSize.every((e) => e > 0.2 && e < 1)).toBe(true);
    const seconds = fit.seconds.total;
    console.log(
      `100-d normal: ${(evals / seconds).toFixed(0)} gradient evaluations/s, min bulk ESS ${minEss.toFixed(0)}, ` +
        `ESS/s (sampling phase) ${(minEss / fit.seconds.sampling.reduce((a, b) => a + b, 0)).toFixed(0)}, ` +
        `ESS/s (total) ${(minEss / seconds).toFixed(0)}, step sizes ${fit.stepSize.map((e) => e.toFixed(3)).join(" ")}`,
    );
  });

  it("ill-conditioned correlated Gaussian (κ = 1e4, dense metric): moments within 4 MCSE", () => {
    const target = correlatedGaussian({ dim: 10, condition: 1e4, seed: 77 });
    const fit = sampleSync(target, { seed: 99, chains: 4, warmup: 1000, draws: 1000, metric: "dense" });
    const variances = Float64Array.from({ length: 10 }, (_, i) => target.covariance[i * 10 + i]);
    checkMoments(fit, variances);
    // The adapted dense metric approximates Σ: compare the diagonal loosely (a few hundred warmup draws).
    fit.invMetric.forEach((m) => {
      expect(m.length).toBe(100);
      for (let i = 0; i < 10; i++) {
        expect(m[i * 10 + i] / variances[i]).toBeGreaterThan(0.6);
        expect(m[i * 10 + i] / variances[i]).toBeLessThan(1.6);
      }
    });
    // A dense metric makes the problem easy: short trees and good ESS.
    const depth = fit.sampler.flatMap((s) => Array.from(s.treedepth__));
    expect(depth.reduce((a, b) => a + b, 0) / depth.length).toBeLessThan(4);
    for (let j = 0; j < 10; j++) expect(essBulk(variableChains(fit.draws, 10, j))).toBeGreaterThan(1000);
  });
});

describe("reproducibility", () => {
  const opts = { seed: 7, chains: 2, warmup: 150, draws: 100 };
  it("same seed ⇒ identical Float64 draws and diagnostics; another seed differs", () => {
    const target = normal({ dim: 5 });
    const a = sampleSync(target, opts);
    const b = sampleSync(normal({ dim: 5 }), opts);
    for (let k = 0; k < 2; k++) {
      expect(Buffer.from(a.draws[k].buffer).equals(Buffer.from(b.draws[k].buffer))).toBe(true);
      expect(Array.from(a.sampler[k].energy__)).toEqual(Array.from(b.sampler[k].energy__));
    }
    expect(a.stepSize).toEqual(b.stepSize);
    expect(a.seeds).toEqual([chainSeed(7, 0), chainSeed(7, 1)]);
    expect(a.seeds[0]).not.toBe(a.seeds[1]);
    const c = sampleSync(target, { ...opts, seed: 8 });
    expect(Array.from(c.draws[0])).not.toEqual(Array.from(a.draws[0]));
  });

  it("parallel (worker threads, target rebuilt from a factory) ⇔ sequential, bit for bit", async () => {
    const factory: TargetFactory = { module: TARGETS_MODULE, exportName: "correlatedGaussian", args: { dim: 4, condition: 100, seed: 3 } };
    const options = { seed: 31, chains: 3, warmup: 200, draws: 150, metric: "dense" as const, saveWarmup: true };
    const seq = sampleSync(correlatedGaussian({ dim: 4, condition: 100, seed: 3 }), options);
    const progress: number[] = [];
    const par = await sample(factory, { ...options, parallel: 2, onProgress: (p) => progress.push(p.chain) });
    expect(par.draws.length).toBe(3);
    for (let k = 0; k < 3; k++) {
      expect(Buffer.from(par.draws[k].buffer).equals(Buffer.from(seq.draws[k].buffer)), `chain ${k}`).toBe(true);
      expect(Buffer.from(par.warmupDraws![k].buffer).equals(Buffer.from(seq.warmupDraws![k].buffer))).toBe(true);
      expect(Array.from(par.sampler[k].n_leapfrog__)).toEqual(Array.from(seq.sampler[k].n_leapfrog__));
      expect(Array.from(par.invMetric[k])).toEqual(Array.from(seq.invMetric[k]));
    }
    expect(par.stepSize).toEqual(seq.stepSize);
    expect(new Set(progress)).toEqual(new Set([0, 1, 2]));
  });

  it("default export of a factory module and errors raised inside workers arrive typed", async () => {
    const fit = await sample({ module: TARGETS_MODULE, args: { dim: 2 } }, { seed: 1, chains: 1, warmup: 50, draws: 20, parallel: true });
    expect(fit.draws[0].length).toBe(40);
    await expect(sample({ module: TARGETS_MODULE, args: { dim: 2 } }, { seed: 1, chains: 1, warmup: 10, draws: 5, parallel: true, init: Float64Array.of(1, NaN) })).rejects.toThrow(
      /init|position\[1\]/,
    );
    await expect(sample({ module: TARGETS_MODULE, exportName: "nope" }, { seed: 1, parallel: true })).rejects.toThrow(/no exported function "nope"/);
  });
});

describe("options and input validation", () => {
  const target = normal({ dim: 2 });
  it("rejects bad options with typed errors naming the option", () => {
    expect(() => sampleSync(target, { seed: -1 })).toThrow(/seed/);
    expect(() => sampleSync(target, { seed: 1, chains: 0 })).toThrow(/chains/);
    expect(() => sampleSync(target, { seed: 1, adaptDelta: 1.2 })).toThrow(/adaptDelta/);
    expect(() => sampleSync(target, { seed: 1, init: Float64Array.of(1) })).toThrow(/init has length 1/);
    expect(() => sampleSync(target, { seed: 1, metric: "full" as "dense" })).toThrow(/metric/);
    expect(() => sampleSync(target, { seed: 1, parallel: true })).toThrow(ArgumentError);
  });
  it("parallel sampling of a plain LogDensity asks for a factory", async () => {
    await expect(sample(target, { seed: 1, parallel: true })).rejects.toThrow(/TargetFactory/);
  });
  it("a target whose log density is -Infinity everywhere cannot be initialised", () => {
    const bad: LogDensity = { dim: 1, logDensityGrad: () => -Infinity };
    expect(() => sampleSync(bad, { seed: 1, chains: 1, warmup: 10, draws: 10 })).toThrow(/no initial value/);
  });
  it("thin keeps every thin-th draw; saveWarmup keeps the warmup", () => {
    const fit = sampleSync(target, { seed: 3, chains: 1, warmup: 30, draws: 25, thin: 5, saveWarmup: true });
    expect(fit.draws[0].length).toBe(5 * 2);
    expect(fit.sampler[0].energy__.length).toBe(5);
    expect(fit.warmupDraws![0].length).toBe(30 * 2);
    expect(fit.names).toEqual(["theta[1]", "theta[2]"]);
  });
});

// nutpie's warmup (samplers/adaptation/nutpie.ts): schedule, the draw-and-gradient
// metric estimate, sampling with it, reproducibility and option checks.
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import {
  buildNutpieSchedule,
  buildNutsKernel,
  createRng,
  drawGradInvMetric,
  initState,
  mcseMean,
  nutpieAdaptation,
  sample,
  sampleSync,
  summarizeDraws,
  variableChains,
  type DrawGradMoments,
  type LogDensity,
  type TargetFactory,
} from "../../samplers/index.js";
import { ArgumentError } from "../../src/errors.js";
import { normal } from "./targets.js";

const TARGETS_MODULE = fileURLToPath(new URL("./targets.ts", import.meta.url));

/** Moments of draws x and gradients g (plain two-pass sums, independent of the Welford code). */
function moments(xs: number[][], gs: number[][]): DrawGradMoments {
  const dim = xs[0]!.length;
  const n = xs.length;
  const mean = (rows: number[][], j: number) => rows.reduce((a, r) => a + r[j]!, 0) / n;
  const m2 = (rows: number[][], j: number) => {
    const m = mean(rows, j);
    return rows.reduce((a, r) => a + (r[j]! - m) ** 2, 0);
  };
  return {
    n,
    meanDraw: Float64Array.from({ length: dim }, (_, j) => mean(xs, j)),
    m2Draw: Float64Array.from({ length: dim }, (_, j) => m2(xs, j)),
    meanGrad: Float64Array.from({ length: dim }, (_, j) => mean(gs, j)),
    m2Grad: Float64Array.from({ length: dim }, (_, j) => m2(gs, j)),
  };
}

describe("buildNutpieSchedule (nuts-rs's defaults)", () => {
  it("splits the warmup 30% early / 55% late / 15% step size only", () => {
    expect(buildNutpieSchedule(1000)).toEqual({ numWarmup: 1000, earlyEnd: 300, finalStart: 850, earlySwitch: 10, lateSwitch: 80 });
    expect(buildNutpieSchedule(300)).toMatchObject({ earlyEnd: 90, finalStart: 255 });
    expect(buildNutpieSchedule(7)).toMatchObject({ earlyEnd: 2, finalStart: 6 });
    expect(buildNutpieSchedule(0)).toMatchObject({ earlyEnd: 0, finalStart: 0 });
    expect(buildNutpieSchedule(200, { earlyWindow: 0.5, stepSizeWindow: 0.25, lateSwitch: 40 })).toMatchObject({ earlyEnd: 100, finalStart: 150, lateSwitch: 40 });
  });
  it("rejects bad options with typed errors naming them", () => {
    expect(() => buildNutpieSchedule(-1)).toThrow(ArgumentError);
    expect(() => buildNutpieSchedule(100, { earlyWindow: 1.2 })).toThrow(/earlyWindow/);
    expect(() => buildNutpieSchedule(100, { earlyWindow: 0.6, stepSizeWindow: 0.5 })).toThrow(/earlyWindow \+ stepSizeWindow/);
    expect(() => buildNutpieSchedule(100, { earlySwitch: 0 })).toThrow(/earlySwitch/);
  });
});

describe("drawGradInvMetric: M⁻¹ᵢᵢ = √(Var θᵢ / Var ∂ᵢ log p)", () => {
  it("is exact for a Gaussian, whatever the draws: the gradient is −θ/σ², so the ratio is σ²", () => {
    const sds = [0.01, 0.3, 1, 7, 250];
    const rng = createRng(5);
    for (const n of [3, 10, 200]) {
      // Any points will do (here shifted and skewed, not draws from the target).
      const xs = Array.from({ length: n }, () => sds.map((s) => 2 * s + s * rng.normal() ** 3));
      const gs = xs.map((x) => x.map((v, i) => -v / sds[i]! ** 2));
      const out = new Float64Array(sds.length);
      drawGradInvMetric(moments(xs, gs), new Float64Array(sds.length).fill(1), out);
      sds.forEach((s, i) => expect(Math.abs(out[i]! / s ** 2 - 1), `n = ${n}, σ = ${s}`).toBeLessThan(1e-12));
    }
  });
  it("keeps the previous value of a coordinate without spread, and clamps to [1e-20, 1e20]", () => {
    const xs = [[1, 0, 1e-15], [1, 1, 2e-15], [1, 2, 3e-15]];
    const gs = [[0, 0, 0], [0, 1e-30, 1e15], [0, 2e-30, 2e15]];
    const out = new Float64Array(3);
    drawGradInvMetric(moments(xs, gs), Float64Array.of(3, 3, 3), out);
    expect(Array.from(out)).toEqual([3, 1e20, 1e-20]);
  });
});

describe("NUTS with nutpie's warmup", () => {
  it("adapts the exact metric of a badly scaled Gaussian in 300 iterations; moments within 4 MCSE; acceptance near δ", () => {
    const sds = [0.001, 0.05, 1, 3, 40, 1000];
    const dim = sds.length;
    const fit = sampleSync(normal({ dim, sds }), { seed: 42, chains: 4, warmup: 300, draws: 1000, adaptation: "nutpie" });
    // The gradient-based estimate is exact on a Gaussian (see above), once the first draws are in.
    for (const m of fit.invMetric) sds.forEach((s, i) => expect(Math.abs(m[i]! / s ** 2 - 1)).toBeLessThan(1e-9));
    for (let j = 0; j < dim; j++) {
      const chains = variableChains(fit.draws, dim, j);
      const all = chains.flatMap((c) => Array.from(c));
      const mean = all.reduce((a, b) => a + b, 0) / all.length;
      expect(Math.abs(mean), `mean of ${j}`).toBeLessThan(4 * mcseMean(chains));
      const sq = chains.map((c) => c.map((v) => (v / sds[j]!) ** 2));
      const m2 = sq.flatMap((c) => Array.from(c)).reduce((a, b) => a + b, 0) / all.length;
      expect(Math.abs(m2 - 1), `E[(x/σ)²] of ${j}`).toBeLessThan(4 * mcseMean(sq));
    }
    const accept = fit.sampler.flatMap((s) => Array.from(s.accept_stat__));
    const meanAccept = accept.reduce((a, b) => a + b, 0) / accept.length;
    expect(meanAccept).toBeGreaterThan(0.7);
    expect(meanAccept).toBeLessThan(0.92);
    const summary = summarizeDraws(fit.draws, fit.names);
    expect(Math.max(...summary.map((r) => r.rhat))).toBeLessThan(1.01);
  });

  it("on a target with a wall (log density −∞ beyond it, so divergences) the metric and step size stay finite", () => {
    // A funnel-like target with a hard wall: x₀ > 3 has log density −∞ (every such leaf diverges).
    const target: LogDensity = {
      dim: 2,
      logDensityGrad(x, g) {
        if (x[0]! > 3) {
          g[0] = NaN;
          g[1] = NaN;
          return -Infinity;
        }
        g[0] = -x[0]!;
        g[1] = -x[1]! / 4;
        return -0.5 * x[0]! ** 2 - x[1]! ** 2 / 8;
      },
    };
    const kernel = buildNutsKernel();
    const na = nutpieAdaptation(kernel, 2, { numWarmup: 200 });
    const rng = createRng(3);
    const out = na.run(rng, initState(Float64Array.of(0.5, 0.5), target), target, true);
    expect(out.invMetric.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(Number.isFinite(out.stepSize) && out.stepSize > 0).toBe(true);
    expect(out.infos!.length).toBe(200);
  });

  it("with no warmup keeps the heuristic's step size and the unit metric", () => {
    const fit = sampleSync(normal({ dim: 3 }), { seed: 1, chains: 1, warmup: 0, draws: 10, adaptation: "nutpie" });
    expect(Array.from(fit.invMetric[0]!)).toEqual([1, 1, 1]);
    expect(fit.stepSize[0]).toBeGreaterThan(0);
  });
});

describe("reproducibility with nutpie's warmup", () => {
  it("same seed ⇒ identical draws; parallel (worker threads) ⇔ sequential, bit for bit", async () => {
    const options = { seed: 17, chains: 3, warmup: 120, draws: 80, adaptation: "nutpie" as const, saveWarmup: true };
    const seq = sampleSync(normal({ dim: 4, sds: [1, 2, 3, 4] }), options);
    const again = sampleSync(normal({ dim: 4, sds: [1, 2, 3, 4] }), options);
    const factory: TargetFactory = { module: TARGETS_MODULE, exportName: "normal", args: { dim: 4, sds: [1, 2, 3, 4] } };
    const par = await sample(factory, { ...options, parallel: 2 });
    for (let k = 0; k < 3; k++) {
      expect(Buffer.from(again.draws[k]!.buffer).equals(Buffer.from(seq.draws[k]!.buffer))).toBe(true);
      expect(Buffer.from(par.draws[k]!.buffer).equals(Buffer.from(seq.draws[k]!.buffer)), `chain ${k}`).toBe(true);
      expect(Buffer.from(par.warmupDraws![k]!.buffer).equals(Buffer.from(seq.warmupDraws![k]!.buffer))).toBe(true);
      expect(Array.from(par.invMetric[k]!)).toEqual(Array.from(seq.invMetric[k]!));
    }
    expect(par.stepSize).toEqual(seq.stepSize);
    // And it is a different warmup from Stan's.
    const stan = sampleSync(normal({ dim: 4, sds: [1, 2, 3, 4] }), { ...options, adaptation: "stan" });
    expect(stan.stepSize).not.toEqual(seq.stepSize);
  });
});

describe("adaptation option", () => {
  it("rejects unknown algorithms and nutpie with a dense metric, naming the options", () => {
    const target = normal({ dim: 2 });
    expect(() => sampleSync(target, { seed: 1, adaptation: "nuts-rs" as never })).toThrow(/adaptation must be "stan" or "nutpie"/);
    expect(() => sampleSync(target, { seed: 1, adaptation: "nutpie", metric: "dense" })).toThrow(ArgumentError);
    expect(() => sampleSync(target, { seed: 1, adaptation: "nutpie", metric: "dense" })).toThrow(/diagonal metric only/);
    expect(() => nutpieAdaptation(buildNutsKernel(), 2, { numWarmup: 10, initialInvMetric: new Float64Array(4) })).toThrow(/initialInvMetric/);
  });
});

describe("the GLM sampler's defaults (models/posterior.ts)", () => {
  it("diag metric: nutpie's warmup of 300 iterations; dense metric: Stan's windows and 1000; both overridable", async () => {
    const { samplePosteriorSync, samplerDefaults } = await import("../../models/posterior.js");
    const { priorsOf, problemOf } = await import("./fixtures/record-baseline.js");
    const { readFileSync } = await import("node:fs");
    const reference = JSON.parse(readFileSync(new URL("../reference/stan-posteriors.json", import.meta.url), "utf8")) as { cases: Parameters<typeof problemOf>[0][] };
    const c = reference.cases.find((k) => k.id === "mtcars_gaussian_sigma")!;
    expect(samplerDefaults({})).toEqual({ adaptation: "nutpie", warmup: 300 });
    expect(samplerDefaults({ metric: "dense" })).toEqual({ adaptation: "stan", warmup: 1000 });
    expect(samplerDefaults({ adaptation: "stan" })).toEqual({ adaptation: "stan", warmup: 1000 });
    expect(samplerDefaults({ adaptation: "nutpie", warmup: 50 })).toEqual({ adaptation: "nutpie", warmup: 50 });
    const post = samplePosteriorSync(problemOf(c), priorsOf(c), { seed: 5, chains: 1, draws: 20, saveWarmup: true });
    expect(post.settings.adaptation).toBe("nutpie");
    expect(post.settings.warmup).toBe(300);
    expect(post.warmupSampler![0]!.n_leapfrog__.length).toBe(300);
    const stan = samplePosteriorSync(problemOf(c), priorsOf(c), { seed: 5, chains: 1, draws: 20, warmup: 300, adaptation: "stan" });
    expect(stan.settings.adaptation).toBe("stan");
    expect(Array.from(stan.draws[0]!)).not.toEqual(Array.from(post.draws[0]!));
  });
});

describe("kineticEnergyAndVelocity (the fused leaf computation of NUTS)", () => {
  it("is bit-identical to kineticEnergy and velocity, diagonal and dense", async () => {
    const { kineticEnergy, kineticEnergyAndVelocity, makeMetric, velocity } = await import("../../samplers/index.js");
    const rng = createRng(9);
    for (const dim of [1, 3, 8]) {
      const diag = makeMetric(Float64Array.from({ length: dim }, () => Math.exp(3 * rng.normal())), dim);
      const a = Float64Array.from({ length: dim * dim }, () => rng.normal());
      const dense = new Float64Array(dim * dim); // A Aᵀ + I: symmetric positive definite
      for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) {
        let s = i === j ? 1 : 0;
        for (let k = 0; k < dim; k++) s += a[i * dim + k]! * a[j * dim + k]!;
        dense[i * dim + j] = s;
      }
      for (const metric of [diag, makeMetric(dense, dim)]) {
        for (let rep = 0; rep < 20; rep++) {
          const p = Float64Array.from({ length: dim }, () => 10 * rng.normal());
          const v1 = new Float64Array(dim);
          const v2 = new Float64Array(dim);
          velocity(metric, p, v1);
          expect(kineticEnergyAndVelocity(metric, p, v2)).toBe(kineticEnergy(metric, p));
          expect(Array.from(v2)).toEqual(Array.from(v1));
        }
      }
    }
  });
});

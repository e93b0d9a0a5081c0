/**
 * Draws files: CmdStan-style CSV and JSON round-trip the doubles exactly (diag and dense
 * metrics, saved warmup, awkward names), the CSV has CmdStan's layout, a CmdStan-written
 * file is read, and bad input raises typed errors.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sampleSync } from "../../samplers/sample.js";
import type { LogDensity } from "../../samplers/types.js";
import { fromSampleResult, type DrawsChain } from "../../samplers/io/draws.js";
import { writeCmdStanCsv, readCmdStanCsv, formatNumber, parseNumber } from "../../samplers/io/cmdstan-csv.js";
import { writeDrawsJson, readDrawsJson } from "../../samplers/io/draws-json.js";
import { writeCmdStanCsvFiles, readCmdStanCsvFiles, writeDrawsJsonFile, readDrawsJsonFile } from "../../samplers/io/draws-files.js";
import { ArgumentError, DataError } from "../../src/errors.js";

const target: LogDensity = {
  dim: 2,
  names: ["(Intercept)", "poly(x, 2)1"],
  logDensityGrad(theta, grad) {
    grad[0] = -theta[0]!;
    grad[1] = -(theta[1]! - 1) / 4;
    return -0.5 * theta[0]! ** 2 - (theta[1]! - 1) ** 2 / 8;
  },
};

function chainsOf(metric: "diag" | "dense", saveWarmup: boolean): DrawsChain[] {
  const res = sampleSync(target, { seed: 11, chains: 2, warmup: 150, draws: 60, metric, saveWarmup });
  const lp = res.draws.map((d) => Float64Array.from({ length: d.length / 2 }, (_, s) => target.logDensityGrad(d.subarray(2 * s, 2 * s + 2), new Float64Array(2))));
  return fromSampleResult(res, { lp, config: { warmup: 150, draws: 60, thin: 1, adaptDelta: 0.8, maxTreeDepth: 10 } });
}

function expectSameChain(a: DrawsChain, b: DrawsChain): void {
  expect(b.names).toEqual(a.names);
  expect(b.metric).toBe(a.metric);
  expect(Object.is(b.stepSize, a.stepSize)).toBe(true);
  expect(Array.from(b.invMetric)).toEqual(Array.from(a.invMetric));
  expect(Array.from(b.draws)).toEqual(Array.from(a.draws));
  expect(Array.from(b.lp)).toEqual(Array.from(a.lp));
  for (const k of Object.keys(a.sampler) as (keyof DrawsChain["sampler"])[]) expect(Array.from(b.sampler[k])).toEqual(Array.from(a.sampler[k]));
  if (a.warmup) expect(Array.from(b.warmup!.draws)).toEqual(Array.from(a.warmup.draws));
}

describe("CmdStan-style CSV", () => {
  it("has CmdStan's layout: config comments, the columns, adaptation info, rows, timing", () => {
    const [c] = chainsOf("diag", false);
    const text = writeCmdStanCsv(c!);
    const lines = text.split("\n");
    const header = lines.findIndex((l) => !l.startsWith("#"));
    expect(lines[header]).toBe('lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,(Intercept),"poly(x, 2)1"');
    expect(lines.slice(0, header)).toContain("#     num_warmup = 150");
    expect(lines.slice(0, header)).toContain("#         metric = diag_e");
    expect(lines[header + 1]).toBe("# Adaptation terminated");
    expect(lines[header + 2]).toBe(`# Step size = ${c!.stepSize}`);
    expect(lines[header + 3]).toBe("# Diagonal elements of inverse mass matrix:");
    expect(lines[header + 4]).toBe(`# ${c!.invMetric[0]}, ${c!.invMetric[1]}`);
    expect(lines[header + 5]!.split(",")).toHaveLength(9);
    expect(text).toMatch(/#  Elapsed Time: \S+ seconds \(Warm-up\)\n#\s+\S+ seconds \(Sampling\)/);
  });

  for (const metric of ["diag", "dense"] as const) {
    it(`round-trips every double exactly (${metric} metric, warmup saved)`, () => {
      for (const c of chainsOf(metric, true)) {
        const back = readCmdStanCsv(writeCmdStanCsv(c));
        expectSameChain(c, back);
        expect(back.chain).toBe(c.chain);
        expect(back.config?.warmup).toBe(150);
        expect(back.config?.seed).toBe(c.config?.seed);
        expect(back.header["method.sample.adapt.delta"]).toBe("0.8");
      }
    });
  }

  it("formatNumber/parseNumber round-trip any double (NaN, ±Inf, −0, subnormals)", () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        const y = parseNumber(formatNumber(x), "x");
        return Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y));
      }),
      { numRuns: 2000 },
    );
    expect(formatNumber(-0)).toBe("-0");
    expect([formatNumber(NaN), formatNumber(Infinity), formatNumber(-Infinity)]).toEqual(["nan", "inf", "-inf"]);
    expect(() => parseNumber("0x1f", "cell")).toThrow(DataError);
  });

  it("reads a file as CmdStan writes it (6 significant digits, no warmup)", () => {
    const text = [
      "# stan_version_major = 2", "# model = bernoulli_model", "# method = sample (Default)", "#   sample",
      "#     num_samples = 3", "#     num_warmup = 1000 (Default)", "#     adapt", "#       delta = 0.8 (Default)",
      "# id = 2", "# random", "#   seed = 1234",
      "lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,theta",
      "# Adaptation terminated", "# Step size = 0.932037", "# Diagonal elements of inverse mass matrix:", "# 0.512113",
      "-6.74786,0.980063,0.932037,2,3,0,6.76847,0.245208",
      "-7.04553,0.925498,0.932037,1,3,0,7.16453,0.172549",
      "-6.80272,1,0.932037,1,1,0,7.00457,0.212698",
      "# ", "#  Elapsed Time: 0.005 seconds (Warm-up)", "#                0.011 seconds (Sampling)", "#                0.016 seconds (Total)", "# ",
    ].join("\n");
    const c = readCmdStanCsv(text);
    expect(c.chain).toBe(2);
    expect(c.names).toEqual(["theta"]);
    expect(Array.from(c.draws)).toEqual([0.245208, 0.172549, 0.212698]);
    expect(c.stepSize).toBe(0.932037);
    expect(Array.from(c.invMetric)).toEqual([0.512113]);
    expect(Array.from(c.sampler.treedepth__)).toEqual([2, 1, 1]);
    expect(c.config?.seed).toBe(1234);
    expect(c.seconds).toEqual({ warmup: 0.005, sampling: 0.011 });
    expect(c.warmup).toBeUndefined();
  });

  it("rejects malformed files and chains with typed errors", () => {
    const [c] = chainsOf("diag", false);
    const text = writeCmdStanCsv(c!);
    expect(() => readCmdStanCsv(text.replace(/\n(-?[\d.e-]+),/, "\n$1,1,"))).toThrow(/values, the header has/);
    expect(() => readCmdStanCsv(text.replace(/\n(-?[\d.e-]+),/, "\nabc,"))).toThrow(DataError);
    expect(() => readCmdStanCsv("# only comments\n")).toThrow(DataError);
    expect(() => writeCmdStanCsv({ ...c!, lp: new Float64Array(3) })).toThrow(ArgumentError);
    expect(() => writeCmdStanCsv({ ...c!, invMetric: new Float64Array(3) })).toThrow(/inverse metric/);
  });
});

describe("JSON draws and files", () => {
  it("JSON round-trips exactly, including non-finite values and −0", () => {
    const chains = chainsOf("dense", true);
    chains[0]!.lp[0] = NaN;
    chains[0]!.lp[1] = -0;
    chains[0]!.draws[0] = Infinity;
    const back = readDrawsJson(writeDrawsJson(chains));
    back.forEach((b, k) => expectSameChain(chains[k]!, b));
    expect(Object.is(back[0]!.lp[1], -0)).toBe(true);
    expect(() => readDrawsJson('{"format":"other"}')).toThrow(DataError);
    expect(() => readDrawsJson("{")).toThrow(/does not parse/);
  });

  it("writes one CSV file per chain and one JSON file, and reads them back", () => {
    const dir = mkdtempSync(join(tmpdir(), "glmkit-draws-"));
    try {
      const chains = chainsOf("diag", false);
      const paths = writeCmdStanCsvFiles(join(dir, "fit"), chains);
      expect(paths.map((p) => p.slice(dir.length + 1))).toEqual(["fit_1.csv", "fit_2.csv"]);
      readCmdStanCsvFiles(paths).forEach((b, k) => expectSameChain(chains[k]!, b));
      writeDrawsJsonFile(join(dir, "fit.json"), chains);
      readDrawsJsonFile(join(dir, "fit.json")).forEach((b, k) => expectSameChain(chains[k]!, b));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

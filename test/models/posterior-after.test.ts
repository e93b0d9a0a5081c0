/**
 * After sampling, through the API: PosteriorFit.loo()/waic() are loo 2.5.1's loo/waic (tested
 * against R in test/diagnostics/loo.test.ts) on the fit's pointwise log-likelihood with the
 * chain of each draw; looCompare; loo's k̂ warnings on a high-leverage outlier; ppc() with
 * mean_PPD; writeDraws and the readers give back the same doubles, lp__ included.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { glm } from "../../models/glm.js";
import { looCompare, formatLoo } from "../../models/index.js";
import { logLikMatrix, posteriorPredict } from "../../models/posterior-predict.js";
import { psisLoo, waic } from "../../samplers/diagnostics/loo.js";
import { meanPPD, ppcCheck } from "../../src/diagnostics/ppc.js";
import { readCmdStanCsvFiles, readDrawsJsonFile } from "../../samplers/io/draws-files.js";
import { SAMPLER_PARAM_NAMES } from "../../samplers/chain.js";
import { readCsv } from "../../src/data/index.js";
import { ArgumentError } from "../../src/errors.js";

const birthwt = readCsv("data/birthwt.csv");
const priors = { coefficients: "normal(0, 2.5)", intercept: "normal(0, 10)" };
const settings = { chains: 2, warmup: 200, draws: 150, seed: 11 };

describe("PosteriorFit.loo(), waic(), looCompare", async () => {
  const small = await glm({ formula: "low ~ lwt + smoke", data: birthwt, family: "binomial", priors }).sample(settings);
  const large = await glm({ formula: "low ~ lwt + smoke + ht + ui + race", data: birthwt, family: "binomial", priors }).sample(settings);

  it("loo() is psisLoo of the pointwise log-likelihood with its chain ids (r_eff from the chains)", () => {
    const ll = logLikMatrix(small.posterior);
    const chainId = Int32Array.from({ length: ll.draws }, (_, s) => (s < ll.draws / 2 ? 1 : 2));
    const expected = psisLoo({ values: ll.values, n: ll.n, chainId });
    const got = small.loo();
    expect(got.estimates).toEqual(expected.estimates);
    expect(Array.from(got.diagnostics.pareto_k)).toEqual(Array.from(expected.diagnostics.pareto_k));
    expect(got.S).toBe(300);
    expect(got.n).toBe(189);
    expect(small.waic().estimates).toEqual(waic({ values: ll.values, n: ll.n }).estimates);
  });

  it("looCompare orders the fits by elpd_loo; formatLoo prints loo's table", () => {
    const rows = looCompare({ small: small.loo(), large: large.loo() });
    expect(rows.map((r) => r.model)).toEqual(["large", "small"]);
    expect(rows[0]!.elpd_diff).toBe(0);
    expect(rows[1]!.elpd_diff).toBeLessThan(0);
    expect(rows[1]!.se_diff).toBeGreaterThan(0);
    const text = formatLoo(small.loo());
    expect(text).toMatch(/^Computed from 300 by 189 log-likelihood matrix/);
    expect(text).toMatch(/elpd_loo/);
    expect(text).toMatch(/See help\('pareto-k-diagnostic'\) for details\.$/);
  });

  it("ppc(): the checks and mean_PPD of posteriorPredict's draws with the same seed", () => {
    const r = small.ppc({ seed: 5 });
    const yRep = posteriorPredict(small.posterior, { seed: 5 });
    const expected = ppcCheck(yRep, small.posterior.problem.y);
    expect(r.checks.map((c) => c.name)).toEqual(["mean", "sd", "propZero", "max"]);
    expect(r.checks.map((c) => c.pValue)).toEqual(expected.map((c) => c.pValue));
    expect(r.meanPPD.mean).toBe(meanPPD(yRep).mean);
    expect(r.checks[0]!.pValue).toBeGreaterThan(0.05);
    expect(small.ppc({ stats: [{ name: "q90", fn: (y) => Array.from(y).sort((a, b) => a - b)[Math.floor(0.9 * y.length)]! }] }).checks[0]!.name).toBe("q90");
  });

  it("writeDraws: CmdStan CSV per chain and JSON, read back to the same doubles", () => {
    const dir = mkdtempSync(join(tmpdir(), "glmkit-draws-"));
    try {
      const paths = small.writeDraws(dir);
      expect(readdirSync(dir).sort()).toEqual(["draws.json", "draws_1.csv", "draws_2.csv"]);
      const csv = readCmdStanCsvFiles(paths.slice(0, 2));
      const json = readDrawsJsonFile(paths[2]!);
      const post = small.posterior;
      for (const chains of [csv, json]) {
        chains.forEach((c, k) => {
          expect(c.names).toEqual(post.names);
          expect(Array.from(c.draws)).toEqual(Array.from(post.draws[k]!));
          expect(Array.from(c.lp)).toEqual(Array.from(post.lp![k]!));
          for (const p of SAMPLER_PARAM_NAMES) expect(Array.from(c.sampler[p])).toEqual(Array.from(post.sampler[k]![p]));
          expect(c.stepSize).toBe(post.stepSize[k]);
        });
      }
      expect(small.writeDraws(join(dir, "csv-only"), { format: "csv", prefix: "birthwt" }).map((p) => p.slice(dir.length))).toEqual([
        "/csv-only/birthwt_1.csv", "/csv-only/birthwt_2.csv",
      ]);
      expect(() => small.writeDraws(dir, { format: "xml" as "csv" })).toThrow(ArgumentError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("zero weights", () => {
  it("rows with zero prior weight are left out of LOO and WAIC", async () => {
    const weights = Array.from({ length: 189 }, (_, i) => (i === 3 || i === 40 ? 0 : 1));
    const fit = await glm({ formula: "low ~ lwt + smoke", data: birthwt, family: "binomial", weights, priors }).sample({ chains: 2, warmup: 100, draws: 50, seed: 3 });
    expect(fit.loo().n).toBe(187);
    expect(fit.waic().n).toBe(187);
  });
});

describe("k̂ warnings", () => {
  it("a high-leverage outlier gets loo's 'too high' warning and its k̂ > 0.7", async () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ x: i / 10, y: Math.round(2 + Math.sin(i * 7)) }));
    rows.push({ x: 5, y: 40 });
    const fit = await glm({ formula: "y ~ x", data: rows, family: "poisson" }).sample({ chains: 2, warmup: 300, draws: 300, seed: 2 });
    const loo = fit.loo();
    expect(loo.diagnostics.pareto_k[20]).toBeGreaterThan(0.7);
    expect(loo.warnings).toContain("Some Pareto k diagnostic values are too high. See help('pareto-k-diagnostic') for details.");
    expect(Number.isNaN(loo.mcseElpdLoo)).toBe(true);
    expect(formatLoo(loo)).toMatch(/Pareto k diagnostic values:/);
  });
});

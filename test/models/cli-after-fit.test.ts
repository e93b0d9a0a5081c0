/**
 * The CLI's after-the-fit flags, in process: --vcov/--cluster (sandwich SEs equal R's, from
 * test/reference/diagnostics.json; Wald intervals use them), --exp, --output, --version,
 * "-" for standard input, --draws-out (the CSV and JSON files read back to the draws the
 * JSON summary describes), and the errors naming each flag.
 */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { glm } from "../../models/glm.js";
import { readCsv } from "../../src/data/index.js";
import { readCmdStanCsvFiles, readDrawsJsonFile } from "../../samplers/io/draws-files.js";
import { summarizeDraws } from "../../samplers/diagnostics/summary.js";
import { fixture } from "../diagnostics/fixture.js";
import { runCli } from "./cli-run.js";

const run = runCli;

const BW = "low ~ age + lwt + race + smoke + ptl + ht + ui";
const FIT = ["fit", "data/birthwt.csv", "--formula", BW, "--family", "binomial"];
const ref = fixture.fits.find((f) => f.id === "birthwt_logit")!.sandwich;
const k = ref.vcov_names.length;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("glmkit fit: --vcov, --cluster, --exp, --output", () => {
  it("--vcov HC3: sandwich SEs (R's vcovHC), z tests, vcov_type; the text names the covariance", async () => {
    const r = await run([...FIT, "--vcov", "HC3", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.vcov_type).toBe("HC3");
    expect(j.vcov_cluster).toBeNull();
    j.coefficients.forEach((c: { se: number; statistic: number; estimate: number }, a: number) => {
      expect(rel(c.se, Math.sqrt(ref.HC3![a * k + a]!))).toBeLessThan(1e-6);
      expect(c.statistic).toBeCloseTo(c.estimate / c.se, 12);
    });
    const text = await run([...FIT, "--vcov", "HC3"]);
    expect(text.out).toMatch(/Coefficients \(covariance: sandwich HC3, sandwich::vcovHC; z tests\):/);
    expect(text.out).toMatch(/z value Pr\(>\|z\|\)/);
  });

  it("--cluster COL: vcovCL (HC0 for glm, as sandwich), vcov_cluster; --vcov model keeps the plain table", async () => {
    const j = JSON.parse((await run([...FIT, "--cluster", "ftv", "--json"])).out);
    expect(j.vcov_type).toBe("HC0");
    expect(j.vcov_cluster).toBe("ftv");
    j.coefficients.forEach((c: { se: number }, a: number) => expect(rel(c.se, Math.sqrt(ref.CL_default[a * k + a]!))).toBeLessThan(1e-6));
    const plain = JSON.parse((await run([...FIT, "--json"])).out);
    const model = JSON.parse((await run([...FIT, "--vcov", "model", "--json"])).out);
    expect(model.coefficients).toEqual(plain.coefficients);
    expect(model.vcov_type).toBe("model");
    expect(plain.vcov_type).toBeUndefined();
  });

  it("Wald intervals use the sandwich covariance; --exp adds exp_estimate, exp_lower, exp_upper", async () => {
    const j = JSON.parse((await run([...FIT, "--vcov", "HC1", "--intervals", "wald", "--exp", "--json"])).out);
    expect(j.exp_label).toBe("odds ratios");
    j.intervals.wald.forEach((iv: { name: string; lower: number; upper: number; exp_lower: number; exp_upper: number }, a: number) => {
      const se = Math.sqrt(ref.HC1[a * k + a]!);
      const est = j.coefficients[a].estimate;
      expect(rel(iv.upper - est, 1.959963984540054 * se)).toBeLessThan(1e-6);
      expect(iv.exp_lower).toBeCloseTo(Math.exp(iv.lower), 12);
      expect(iv.exp_upper).toBeCloseTo(Math.exp(iv.upper), 12);
      expect(j.coefficients[a].exp_estimate).toBeCloseTo(Math.exp(est), 12);
    });
    const text = (await run([...FIT, "--exp"])).out;
    expect(text).toMatch(/Exponentiated \(odds ratios\):/);
    const poisson = JSON.parse((await run(["fit", "data/warpbreaks.csv", "--formula", "breaks ~ wool + tension", "--family", "poisson", "--exp", "--json"])).out);
    expect(poisson.exp_label).toBe("rate ratios");
  });

  it("--output: per-observation columns with the 1-based data rows, equal to the API's", async () => {
    const j = JSON.parse((await run(["fit", "data/cars.csv", "--formula", "dist ~ speed", "--output", "fitted,residuals,pearson_residuals,hat,cooks_distance", "--json"])).out);
    const fit = glm({ formula: "dist ~ speed", data: readCsv("data/cars.csv") }).fit();
    const o = j.observations;
    expect(Object.keys(o)).toEqual(["row", "fitted", "residuals", "pearson_residuals", "hat", "cooks_distance"]);
    expect(o.row).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(o.fitted).toEqual(Array.from(fit.fitted));
    expect(o.residuals).toEqual(Array.from(fit.residuals("deviance")));
    expect(o.hat).toEqual(Array.from(fit.hatvalues()));
    expect(o.cooks_distance).toEqual(Array.from(fit.cooksDistance()));
    const text = (await run(["fit", "data/cars.csv", "--formula", "dist ~ speed", "--output", "fitted"])).out;
    expect(text).toMatch(/Observations:\n\s*row\s+fitted\n\s+1\s+-1\.84946/);
  });
});

describe("glmkit --version, standard input", () => {
  it("--version prints the package's version", async () => {
    const r = await run(["--version"]);
    expect(r.code).toBe(0);
    expect(r.out).toBe(`glmkit ${JSON.parse(readFileSync("package.json", "utf8")).version}\n`);
  });

  it("- reads the CSV from standard input: the same result as the file", async () => {
    const file = await run([...FIT, "--json"]);
    const stdin = await run(["fit", "-", "--formula", BW, "--family", "binomial", "--json"], readFileSync("data/birthwt.csv", "utf8"));
    expect(stdin.code).toBe(0);
    expect(stdin.out).toBe(file.out);
    const empty = await run(["fit", "-", "--formula", "y ~ x"], "");
    expect(empty.code).not.toBe(0);
    expect(empty.out).toBe("");
  });
});

describe("glmkit fit --draws-out DIR", () => {
  it("writes one CmdStan CSV per chain and the JSON; both read back to the draws the JSON summary describes", async () => {
    const dir = mkdtempSync(join(tmpdir(), "glmkit-cli-draws-"));
    try {
      const r = await run([...FIT, "--method", "nuts", "--chains", "2", "--warmup", "150", "--draws", "100", "--seed", "4", "--draws-out", dir, "--json"]);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out);
      expect(j.draws_files).toEqual([join(dir, "draws_1.csv"), join(dir, "draws_2.csv"), join(dir, "draws.json")]);
      expect(readdirSync(dir).sort()).toEqual(["draws.json", "draws_1.csv", "draws_2.csv"]);
      const header = readFileSync(join(dir, "draws_1.csv"), "utf8").split("\n").find((l) => !l.startsWith("#"))!;
      expect(header.split(",").slice(0, 7)).toEqual(["lp__", "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"]);
      const csv = readCmdStanCsvFiles(j.draws_files.slice(0, 2));
      const json = readDrawsJsonFile(j.draws_files[2]);
      const names = csv[0]!.names;
      const summary = summarizeDraws(csv.map((c) => c.draws), names);
      expect(summary.map((s) => s.mean)).toEqual(j.posterior.summary.map((s: { mean: number }) => s.mean));
      expect(summary.map((s) => s.rhat)).toEqual(j.posterior.summary.map((s: { rhat: number }) => s.rhat));
      expect(csv.map((c) => c.stepSize)).toEqual(j.posterior.step_size);
      expect(csv[0]!.config.seed).toBeGreaterThan(0);
      csv.forEach((c, kk) => {
        expect(Array.from(json[kk]!.draws)).toEqual(Array.from(c.draws));
        expect(Array.from(json[kk]!.lp)).toEqual(Array.from(c.lp));
        expect(c.lp.every((v) => Number.isFinite(v))).toBe(true);
      });
      expect(csv.reduce((s, c) => s + c.sampler.divergent__.reduce((a, b) => a + b, 0), 0)).toBe(j.posterior.divergences);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("errors name the flag: stderr, non-zero exit, nothing on stdout", () => {
  const cases: [string[], RegExp][] = [
    [["--vcov", "bogus"], /--vcov must be one of model, HC0, HC1, HC2, HC3; got "bogus"/],
    [["--vcov", "HC3", "--method", "nuts"], /--vcov HC3 applies to --method mle/],
    [["--vcov", "HC0", "--method", "firth"], /--vcov HC0 applies to --method mle/],
    [["--cluster", "school"], /--cluster "school" is not a column of the data/],
    [["--cluster", "ftv", "--method", "map"], /--cluster applies to --method mle/],
    [["--cluster", "ftv", "--vcov", "model"], /--cluster needs a sandwich type/],
    [["--output", "fitted,leverage"], /unknown column "leverage" in --output/],
    [["--output", "fitted", "--method", "firth"], /--output applies to --method mle/],
    [["--draws-out", "somewhere"], /--draws-out applies to --method nuts/],
  ];
  for (const [flags, message] of cases) {
    it(flags.join(" "), async () => {
      const r = await run([...FIT, ...flags]);
      expect(r.code).not.toBe(0);
      expect(r.out).toBe("");
      expect(r.err).toMatch(message);
      expect(r.err).toMatch(/ArgumentError/);
    });
  }
});

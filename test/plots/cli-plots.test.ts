/**
 * `glmkit fit … --plot KINDS --plot-dir DIR [--plot-format svg,png]`: the files written,
 * the JSON's `plots` list, the SVGs' structure, and the usage errors (unknown kind, a kind
 * the method cannot draw, forest without --intervals, calibration of a non-binomial fit,
 * missing --plot-dir) — each before the data are read, exit code 2, nothing on stdout.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../models/cli-run.js";
import { readSvg } from "./svg.js";

const dir = mkdtempSync(join(tmpdir(), "glmkit-plots-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENDO = ["fit", "data/endometrial.csv", "--formula", "HG ~ NV + PI + EH", "--family", "binomial"];

describe("--plot", () => {
  it("writes forest, residuals, qq and calibration of an ML fit as SVG and PNG", async () => {
    const out = join(dir, "ml");
    const r = await runCli([...ENDO, "--intervals", "wald,profile", "--plot", "forest,residuals,qq,calibration", "--plot-dir", out, "--plot-format", "svg,png", "--json"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.plots.map((p: { kind: string; format: string }) => `${p.kind}.${p.format}`)).toEqual([
      "forest.svg", "forest.png", "residuals.svg", "residuals.png", "qq.svg", "qq.png", "calibration.svg", "calibration.png",
    ]);
    expect(json.plots[0].path).toBe(join(out, "forest.svg"));
    const forest = readSvg(readFileSync(join(out, "forest.svg"), "utf8"));
    expect(forest.marks("interval")).toBe(4 * 2);
    expect(forest.marks("arrow_upper")).toBe(1); // NV's profile interval is [1.28, ∞)
    const png = readFileSync(join(out, "forest.png"));
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(readSvg(readFileSync(join(out, "qq.svg"), "utf8")).marks("points")).toBe(79);
    expect(json.intervals.profile[1].upper).toBe("Infinity"); // the rest of the output unchanged
  });

  it("lists the files in the text output", async () => {
    const out = join(dir, "text");
    const r = await runCli([...ENDO, "--plot", "qq", "--plot-dir", out]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Plots written to:\n  ${join(out, "qq.svg")}`);
  });

  it("writes trace, rank, density and ppc of a NUTS fit", async () => {
    const out = join(dir, "nuts");
    const r = await runCli([...ENDO, "--method", "nuts", "--prior", "normal(0, 2.5)", "--prior-intercept", "normal(0, 10)", "--chains", "2", "--warmup", "150", "--draws", "100", "--seed", "3",
      "--intervals", "posterior", "--plot", "forest,trace,rank,density,ppc", "--plot-dir", out, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).plots.map((p: { kind: string }) => p.kind)).toEqual(["forest", "trace", "rank", "density", "ppc"]);
    const rank = readSvg(readFileSync(join(out, "rank.svg"), "utf8"));
    expect(rank.marks("bars")).toBe(4 * 2 * 20);
    const density = readFileSync(join(out, "density.svg"), "utf8");
    expect((density.match(/aria-roledescription="line mark"/g) ?? []).length).toBe(4 + 4); // posterior and a normal prior per coefficient
  });

  const bad: [string, string[], RegExp][] = [
    ["an unknown kind", [...ENDO, "--plot", "pie", "--plot-dir", dir], /unknown plot kind "pie"/],
    ["trace of an ML fit", [...ENDO, "--plot", "trace", "--plot-dir", dir], /--plot trace .* needs --method nuts/],
    ["residuals of a MAP fit", [...ENDO, "--method", "map", "--plot", "residuals", "--plot-dir", dir], /needs --method mle/],
    ["forest without --intervals", [...ENDO, "--plot", "forest", "--plot-dir", dir], /needs --intervals/],
    ["calibration of a Poisson fit", ["fit", "data/dobson.csv", "--formula", "counts ~ outcome", "--family", "poisson", "--plot", "calibration", "--plot-dir", dir], /needs a binomial fit/],
    ["no --plot-dir", [...ENDO, "--plot", "qq"], /--plot needs --plot-dir/],
    ["--plot-dir alone", [...ENDO, "--plot-dir", dir], /--plot-dir applies to --plot/],
    ["an unknown format", [...ENDO, "--plot", "qq", "--plot-dir", dir, "--plot-format", "jpg"], /unknown --plot-format "jpg"/],
    ["--engine duckdb", [...ENDO, "--engine", "duckdb", "--plot", "qq", "--plot-dir", dir], /not available with --engine duckdb/],
    ["a repeated kind", [...ENDO, "--plot", "qq,qq", "--plot-dir", dir], /names "qq" twice/],
  ];
  for (const [what, args, message] of bad) {
    it(`refuses ${what}`, async () => {
      const r = await runCli(args);
      expect(r.code).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toMatch(message);
    });
  }
});

/**
 * Regression tests of the input validation (models/validate-spec.ts, bin/validate-options.ts):
 * each bad argument or flag is a typed error naming it, before any numerics.
 */
import { describe, it, expect } from "vitest";
import { glm } from "../../models/glm.js";
import { anova } from "../../models/anova.js";
import { ArgumentError, DataError, FamilyError, PriorError } from "../../src/errors.js";
import { normal } from "../../src/priors/coefficient.js";
import { drawsBytes, MAX_DRAWS_BYTES, nearest, variableColumns } from "../../models/validate-spec.js";
import { main } from "../../bin/main.js";
import { runCli } from "./cli-run.js";

const rows = [
  { y: 0, x: 1.2, g: "a" }, { y: 1, x: 0.4, g: "b" }, { y: 1, x: 2.2, g: "a" },
  { y: 0, x: -0.3, g: "b" }, { y: 1, x: 1.9, g: "a" }, { y: 0, x: 0.1, g: "b" },
];
const model = () => glm({ formula: "y ~ x", data: rows, family: "binomial" });

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}
async function rejected(f: () => Promise<unknown>): Promise<Error> {
  try {
    await f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("glm() spec", () => {
  it("a family that is not a name or a Family record is a FamilyError", () => {
    const e = thrown(() => glm({ formula: "y ~ x", data: rows, family: 3 as never }));
    expect(e).toBeInstanceOf(FamilyError);
    expect(e.message).toMatch(/family must be a family name/);
    const r = thrown(() => glm({ formula: "y ~ x", data: rows, family: { name: "x" } as never }));
    expect(r).toBeInstanceOf(FamilyError);
    expect(r.message).toMatch(/not a Family record.*variance/);
  });
  it("an unknown key names the nearest valid one", () => {
    const e = thrown(() => glm({ formual: "y ~ x", data: rows } as never));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/unknown key "formual" in the glm\(\) spec \(did you mean "formula"\?\)/);
    expect(nearest("familly", ["family", "formula"])).toBe("family");
    expect(thrown(() => glm(null as never))).toBeInstanceOf(ArgumentError);
  });
  it("a design key that is not read is an ArgumentError, never silently dropped (offset and weights belong to the spec)", () => {
    const X = Float64Array.from([1, 0, 1, 1, 1, 2, 1, 3]);
    const y = [0.5, 1.5, 2.5, 3.4];
    const off = thrown(() => glm({ design: { X, y, n: 4, p: 2, offset: [0, 0, 0, 0] } as never }));
    expect(off).toBeInstanceOf(ArgumentError);
    expect(off.message).toMatch(/design\.offset is not read: give offset at the top level/);
    expect(thrown(() => glm({ design: { X, y, n: 4, p: 2, weights: [1, 1, 1, 1] } as never })).message).toMatch(/design\.weights is not read/);
    expect(thrown(() => glm({ design: { X, y, n: 4, p: 2, colNames: ["a", "b"] } as never })).message).toMatch(/unknown key "colNames" in design \(did you mean "columnNames"\?\)/);
    expect(glm({ design: { X, y, n: 4, p: 2 }, offset: [0, 0, 0, 0] }).fit().coefficients).toHaveLength(2);
  });
  it("priors that are not strings or prior records are PriorErrors naming where", () => {
    for (const coefficients of [null, 5]) {
      const e = thrown(() => glm({ formula: "y ~ x", data: rows, family: "binomial", priors: { coefficients } as never }));
      expect(e).toBeInstanceOf(PriorError);
      expect(e.message).toMatch(/priors\.coefficients must be a prior spec string/);
    }
    const bad = { ...normal(0, 1), params: { location: 0, scale: -1 } };
    const e = thrown(() => glm({ formula: "y ~ x", data: rows, family: "binomial", priors: { coefficients: bad } }));
    expect(e).toBeInstanceOf(PriorError);
    expect(e.message).toMatch(/priors\.coefficients: scale must be positive and finite, got number -1/);
    const loose = thrown(() => glm({ formula: "y ~ x", data: rows, priors: { coefficients: { ...normal(0, 1), scale: -1 } as never } }));
    expect(loose.message).toMatch(/top-level "scale"/);
    const perName = thrown(() => glm({ formula: "y ~ x", data: rows, priors: { coefficients: { x: "normal(0, 1)", g: 7 } as never } }));
    expect(perName.message).toMatch(/priors\.coefficients\["g"\]/);
    expect(thrown(() => glm({ formula: "y ~ x", data: rows, priors: { autoscale: "yes" } as never })).message).toMatch(/autoscale/);
  });
  it("theta and power are checked (R's tweedie: var.power 0 or >= 1)", () => {
    expect(thrown(() => glm({ formula: "y ~ x", data: rows, family: "negbin", theta: 0 })).message).toMatch(/theta .* > 0, got number 0/);
    expect(thrown(() => glm({ formula: "y ~ x", data: rows, family: "tweedie", power: Number.NaN })).message).toMatch(/power/);
  });
});

describe("fit controls (R's glm.control)", () => {
  it("maxit must be an integer >= 1 and epsilon > 0", () => {
    for (const maxit of [0, -3, 2.5, Number.NaN]) {
      const e = thrown(() => model().fit({ maxit }));
      expect(e).toBeInstanceOf(ArgumentError);
      expect(e.message).toMatch(/maxit \(the maximum number of iterations\) must be an integer in \[1, /);
    }
    for (const epsilon of [0, -1]) expect(thrown(() => model().fit({ epsilon })).message).toMatch(/epsilon .* must be a finite number > 0/);
    expect(thrown(() => model().firth({ maxit: 0 }))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => model().map({ maxit: -1 }))).toBeInstanceOf(ArgumentError);
    expect(thrown(() => model().laplace({ tol: 0 })).message).toMatch(/tol/);
  });
  it("separation must be auto, always or never; unknown control keys are named", () => {
    expect(thrown(() => model().fit({ separation: "bogus" as never })).message).toMatch(/separation must be one of "auto", "always", "never"; got "bogus"/);
    expect(thrown(() => model().fit({ maxiter: 5 } as never)).message).toMatch(/unknown key "maxiter" in the fit\(\) control \(did you mean "maxit"\?\)/);
    expect(model().fit({ separation: "never" }).separation!.checked).toBe(false);
  });
});

describe("sample() options", () => {
  it("counts must be integers in range", async () => {
    for (const [k, v] of [["chains", 1e9], ["chains", 0], ["draws", 1e12], ["warmup", -1], ["draws", 2.5]] as const) {
      const e = await rejected(() => model().sample({ seed: 1, [k]: v }));
      expect(e).toBeInstanceOf(ArgumentError);
      expect(e.message).toMatch(new RegExp(`^${k} must be an integer in`));
    }
    expect((await rejected(() => model().sample({ seed: -1 }))).message).toMatch(/seed must be an integer in \[0, /);
    expect((await rejected(() => model().sample({ seed: 1, adaptDelta: 1 }))).message).toMatch(/adaptDelta must be a number in \(0, 1\)/);
    expect((await rejected(() => model().sample({ seed: 1, maxTreeDepth: 0 }))).message).toMatch(/maxTreeDepth/);
    expect((await rejected(() => model().sample({ seed: 1, chians: 2 } as never))).message).toMatch(/did you mean "chains"/);
  });
  it("the memory of the draws is estimated before allocating: above 2 GiB is an error naming the bytes", async () => {
    expect(drawsBytes(4, 1000, 1000, 3, false)).toBe(4 * 1000 * (2 * 3 + 7) * 8);
    const e = await rejected(() => model().sample({ seed: 1, chains: 1000, draws: 10_000_000 }));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/chains 1000 × draws 10000000 draws of 3 parameters would need \d+ bytes .*the limit is 2147483648 bytes \(2 GiB\)/);
    expect(MAX_DRAWS_BYTES).toBe(2 ** 31);
  });
  it("a model with nothing to sample is an ArgumentError", async () => {
    const e = await rejected(() => glm({ formula: "y ~ 0", data: rows, family: "binomial" }).sample({ seed: 1, chains: 1, warmup: 10, draws: 10 }));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/no parameter to sample/);
  });
});

describe("after the fit", () => {
  const fit = model().fit();
  it("residuals, predict and anova reject unknown types", () => {
    expect(thrown(() => fit.residuals("bogus" as never)).message).toMatch(/residuals type must be one of "deviance", "pearson", "working", "response"; got "bogus"/);
    expect(thrown(() => fit.predict(rows, { type: "bogus" as never })).message).toMatch(/predict type must be one of "link", "response"/);
    expect(thrown(() => fit.predict(rows, { se: true } as never)).message).toMatch(/unknown key "se".*did you mean "seFit"/);
    expect(thrown(() => anova(fit, "Bogus" as never))).toBeInstanceOf(ArgumentError);
  });
  it("predict on empty or missing new data names the columns and the row", () => {
    const empty = thrown(() => fit.predict([]));
    expect(empty).toBeInstanceOf(DataError);
    expect(empty.message).toMatch(/newdata has no rows; predict needs the columns x/);
    const na = thrown(() => fit.predict([{ x: 1 }, { x: null as never }]));
    expect(na).toBeInstanceOf(DataError);
    expect(na.message).toMatch(/newdata column "x" is missing in row 2/);
    expect(na.message).not.toMatch(/logical/);
    expect(thrown(() => fit.predict([{ z: 1 }])).message).toMatch(/newdata has no column "x"/);
    expect(fit.predict([{ x: 1 }]).fit.length).toBe(1);
    expect(variableColumns("poly(x, 2)")).toEqual(["x"]);
    expect(variableColumns("ns(x, df = 3)")).toEqual(["x"]);
    expect(variableColumns("log(t + 1)")).toEqual(["t"]);
  });
  it("an estimated negative binomial θ with all counts 0 says θ has no MLE (no θ was given)", () => {
    const e = thrown(() => glm({ formula: "y ~ x", data: rows.map((r) => ({ ...r, y: 0 })), family: "negbin" }).fit());
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toMatch(/cannot be estimated when all counts are 0/);
    expect(e.message).not.toMatch(/NaN/);
  });
});

describe("CLI flags", () => {
  const run = runCli;
  const FIT = ["fit", "data/birthwt.csv", "--formula", "low ~ age", "--family", "binomial"];
  const cases: [string[], RegExp][] = [
    [["--method", "nuts", "--chains", "1e9"], /--chains must be an integer in \[1, 1024\], got "1e9"/],
    [["--method", "nuts", "--chains", "100000000"], /--chains must be an integer in \[1, 1024\]/],
    [["--method", "nuts", "--draws", "1e12"], /--draws must be an integer in \[1, 100000000\]/],
    [["--method", "nuts", "--chains", "1000", "--draws", "10000000"], /--chains 1000 × --draws 10000000 .* would need \d+ bytes/],
    [["--maxit", "0"], /--maxit must be an integer in \[1, /],
    [["--maxit", "2.5"], /--maxit must be an integer/],
    [["--maxit", "NaN"], /--maxit must be a number/],
    [["--epsilon", "0"], /--epsilon must be > 0/],
    [["--epsilon=-1"], /--epsilon must be > 0/],
    [["--level", "1", "--intervals", "wald"], /--level must be in \(0, 1\)/],
    [["--method", "nuts", "--adapt-delta", "1.5"], /--adapt-delta must be in \(0, 1\)/],
    [["--method", "nuts", "--max-treedepth", "0"], /--max-treedepth must be an integer in \[1, 30\]/],
    [["--method", "nuts", "--seed=-1"], /--seed must be an integer in \[0, /],
    [["--power", "0.5"], /--power .* must be 0 or >= 1/],
    [["--theta=-2"], /--theta must be > 0/],
    [["--autoscale"], /--autoscale .* applies to --method map, laplace and nuts \(got --method mle\)/],
    [["--method", "nuts", "--epsilon", "1e-6"], /--epsilon applies to --method mle and firth \(got --method nuts\)/],
    [["--method", "nuts", "--maxit", "5"], /--maxit applies to/],
    [["--formula", "low ~ lwt"], /--formula is given twice/],
    [["--separation", "bogus"], /--separation must be one of auto, always, never; got "bogus"/],
    [["--separation", "never", "--method", "map"], /--separation applies to --method mle/],
  ];
  for (const [flags, message] of cases) {
    it(flags.join(" "), async () => {
      const r = await run([...FIT, ...flags]);
      expect([1, 2]).toContain(r.code);
      expect(r.out).toBe("");
      expect(r.err).toMatch(message);
      expect(r.err.trimEnd().split("\n")).toHaveLength(1);
    });
  }
  it("--separation never skips the LP (the exact column checks still run); always runs it", async () => {
    const never = await run(["fit", "data/endometrial.csv", "--formula", "HG ~ NV + PI + EH", "--family", "binomial", "--separation", "never", "--json"]);
    expect(never.code).toBe(0);
    const verdict = JSON.parse(never.out).separation;
    expect(verdict.checked).toBe(false);
    expect(verdict.coverage).toBe("columns");
    expect(verdict.infinite).toEqual({ NV: "+Inf" });
    expect(verdict.note).toContain("--separation always");
    const always = await run(["fit", "data/endometrial.csv", "--formula", "HG ~ NV + PI + EH", "--family", "binomial", "--separation", "always", "--json"]);
    expect(JSON.parse(always.out).separation.infinite).toEqual({ NV: "+Inf" });
  });
  it("the missingness notice is printed once", async () => {
    const out: string[] = [];
    const so = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
    try {
      await main(["fit", "-", "--formula", "y ~ x"], { readStdin: () => "y,x\n1,2\n2,\n3,5\n4,3\n6,7\n" });
    } finally {
      process.stdout.write = so;
    }
    expect(out.join("").match(/deleted due to missingness/g)).toHaveLength(1);
  });
});

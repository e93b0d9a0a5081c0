/**
 * Improper posteriors are caught before anything is fitted or sampled, and the priors'
 * centred-intercept semantics are one definition everywhere:
 * - flat priors on separated coefficients (endometrial: NV separates HG): NUTS throws
 *   ImproperPosteriorError naming NV, MAP and Laplace throw NoModeError; `allowImproper`
 *   samples anyway and flags the result; the same priors on the centred intercept are proper;
 * - aliased flat-prior columns, and the negative binomial θ under a flat prior (fuzz K5:
 *   `y ~ 1` on two zero counts), are improper; rstanarm's defaults make K5 proper;
 * - the centred intercept in the log posterior: gradient and Hessian against finite
 *   differences, the scoring matrix's rank-one term, and parallel = sequential bit for bit.
 */
import { describe, expect, it } from "vitest";
import { glm } from "../../models/glm.js";
import { readCsv } from "../../src/data/index.js";
import { ImproperPosteriorError, NoModeError } from "../../src/errors.js";
import { glmLogPosterior } from "../../src/likelihood/log-posterior.js";
import { runCli } from "../models/cli-run.js";

const endometrial = readCsv(new URL("../../data/endometrial.csv", import.meta.url).pathname);
const mtcars = readCsv(new URL("../../data/mtcars.csv", import.meta.url).pathname);
const FORMULA = "HG ~ NV + PI + EH";
const FLAT = { coefficients: "flat", intercept: "flat" } as const;

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error("expected an error");
}
async function rejected(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected an error");
}

describe("flat priors under separation (endometrial, NV separates HG)", () => {
  const model = glm({ formula: FORMULA, data: endometrial, family: "binomial", priors: FLAT });

  it("NUTS refuses before sampling, naming the coefficients and the remedies", async () => {
    const err = await rejected(model.sample({ seed: 1, chains: 1, warmup: 10, draws: 10 }));
    expect(err).toBeInstanceOf(ImproperPosteriorError);
    const e = err as ImproperPosteriorError;
    expect(e.reason).toBe("infinite-estimates");
    expect(e.coefficients).toHaveProperty("NV", "+Inf");
    expect(e.message).toMatch(/^the posterior is improper: the priors on \(Intercept\), NV, PI, EH are improper \(flat\)/);
    expect(e.message).toContain("jeffreys");
    expect(e.message).toContain("allowImproper: true");
  });

  it("MAP and Laplace say that no mode exists", () => {
    for (const f of [() => model.map(), () => model.laplace()]) {
      const err = thrown(f);
      expect(err).toBeInstanceOf(NoModeError);
      expect((err as NoModeError).message).toMatch(/^the posterior mode does not exist: .*NV → \+Inf/);
      expect((err as NoModeError).message).toContain('priors: { coefficients: "jeffreys" }');
    }
  });

  it("only NV flat: still improper with a raw intercept prior, proper with the same prior on the centred intercept", async () => {
    const priors = { coefficients: { NV: "flat", PI: "normal(0, 2.5)", EH: "normal(0, 2.5)" }, intercept: "normal(0, 2.5)" };
    const raw = glm({ formula: FORMULA, data: endometrial, family: "binomial", priors });
    const err = await rejected(raw.sample({ seed: 1, chains: 1, warmup: 10, draws: 10 }));
    expect((err as ImproperPosteriorError).improper).toEqual(["NV"]);
    expect(thrown(() => raw.map())).toBeInstanceOf(NoModeError);
    // On the centred intercept, NV → ∞ must move α_c (proper) or lower η on the NV = 0 rows with HG = 1.
    const centred = glm({ formula: FORMULA, data: endometrial, family: "binomial", priors: { ...priors, interceptOn: "centered" } });
    const fit = centred.map();
    expect(fit.converged).toBe(true);
    expect(Number.isFinite(fit.coef.NV!)).toBe(true);
  });

  it("allowImproper samples anyway, and the result says so (warning and JSON flag)", async () => {
    const fit = await model.sample({ seed: 3, chains: 1, warmup: 30, draws: 20, allowImproper: true });
    expect(fit.warnings[0]).toMatch(/^the posterior is improper and was sampled anyway \(allowImproper\)/);
    const j = fit.toJSON();
    expect(j.prior.improper).toMatchObject({ reason: "infinite-estimates", parameters: ["(Intercept)", "NV", "PI", "EH"] });
  });

  it("proper priors (or none: rstanarm's defaults) sample without complaint", async () => {
    const fit = await glm({ formula: FORMULA, data: endometrial, family: "binomial" }).sample({ seed: 2, chains: 1, warmup: 100, draws: 50 });
    expect(fit.prior.defaults).toBe(true);
    expect(fit.prior.improper ?? null).toBeNull();
    expect(fit.warnings.some((w) => w.includes("improper"))).toBe(false);
  });
});

describe("other improper posteriors", () => {
  it("aliased columns under flat priors", async () => {
    const m = glm({ formula: "mpg ~ wt + I(2 * wt)", data: mtcars, priors: { coefficients: "flat", intercept: "flat", aux: "exponential(1)" } });
    const err = await rejected(m.sample({ seed: 1, chains: 1, warmup: 10, draws: 10 }));
    expect(err).toBeInstanceOf(ImproperPosteriorError);
    expect((err as ImproperPosteriorError).reason).toBe("aliased");
    expect((err as ImproperPosteriorError).improper).toEqual(["I(2 * wt)"]);
    // A proper prior on one of the two removes the line of constant likelihood.
    const ok = glm({ formula: "mpg ~ wt + I(2 * wt)", data: mtcars, priors: { coefficients: { wt: "flat", "I(2 * wt)": "normal(0, 1)" }, intercept: "flat", aux: "exponential(1)" } });
    await expect(ok.sample({ seed: 1, chains: 1, warmup: 20, draws: 10 })).resolves.toBeDefined();
  });

  it("fuzz K5: y ~ 1 on two zero counts (negative binomial): a flat prior on theta is refused; rstanarm's defaults are proper", async () => {
    const data = { y: [0, 0] };
    for (const priors of [{ intercept: "normal(0, 1)" }, { intercept: "normal(0, 1)", aux: "flat" }]) {
      const m = glm({ formula: "y ~ 1", data, family: "negbin", priors });
      const err = await rejected(m.sample({ seed: 1, chains: 1, warmup: 10, draws: 10 }));
      expect(err).toBeInstanceOf(ImproperPosteriorError);
      expect((err as ImproperPosteriorError).reason).toBe("aux");
      expect((err as Error).message).toContain('aux: "exponential(1)"');
      expect(thrown(() => m.map())).toBeInstanceOf(NoModeError);
    }
    const fit = await glm({ formula: "y ~ 1", data, family: "negbin" }).sample({ seed: 1, chains: 2, warmup: 300, draws: 300 });
    expect(fit.prior.adjusted.aux).toBe("exponential(1)");
    for (const row of fit.posterior.summary) {
      expect(Number.isFinite(row.mean)).toBe(true);
      expect(Number.isFinite(row.sd)).toBe(true);
    }
  });
});

describe("the centred intercept in the log posterior", () => {
  const model = glm({
    formula: "carb ~ hp + wt", data: mtcars, family: "poisson",
    priors: { coefficients: "student_t(4, 0, 0.5)", intercept: "normal(1, 0.5)", interceptOn: "centered" },
  });
  const problem = model.resolved.problem;
  const priors = model.resolvedPriors().priors;
  const lp = glmLogPosterior(problem, priors);
  const theta = Float64Array.of(0.3, 0.004, 0.2);

  it("the intercept's prior is evaluated at α_c = β₀ + x̄ᵀβ (x̄: unweighted column means)", () => {
    let hp = 0, wt = 0;
    for (let i = 0; i < problem.n; i++) { hp += problem.X[i * 3 + 1]!; wt += problem.X[i * 3 + 2]!; }
    const xbar = [hp / problem.n, wt / problem.n];
    expect(lp.centring!.index).toBe(0);
    expect(lp.centring!.c[1]).toBeCloseTo(xbar[0]!, 12);
    const rawLp = glmLogPosterior(problem, { ...priors, interceptOn: "raw" });
    const alpha = theta[0]! + xbar[0]! * theta[1]! + xbar[1]! * theta[2]!;
    const q = priors.coefficients[0]!;
    if (q.kind === "jeffreys") throw new Error("unexpected");
    const expected = rawLp.logPrior(theta) - q.logDensity(theta[0]!) + q.logDensity(alpha);
    expect(lp.logPrior(theta)).toBeCloseTo(expected, 12);
  });

  it("gradient and Hessian agree with central differences; the scoring matrix has the rank-one term", () => {
    const g = new Float64Array(3);
    lp.logDensityGrad(theta, g);
    const H = lp.hessian(theta);
    const h = [1e-6, 1e-8, 1e-6];
    for (let j = 0; j < 3; j++) {
      const up = Float64Array.from(theta); up[j] += h[j]!;
      const dn = Float64Array.from(theta); dn[j] -= h[j]!;
      const fd = (lp.logDensity(up) - lp.logDensity(dn)) / (2 * h[j]!);
      expect(Math.abs(fd - g[j]!)).toBeLessThan(1e-5 * (1 + Math.abs(g[j]!)));
      const gu = new Float64Array(3); const gd = new Float64Array(3);
      lp.logDensityGrad(up, gu); lp.logDensityGrad(dn, gd);
      for (let k = 0; k < 3; k++) {
        const fdh = (gu[k]! - gd[k]!) / (2 * h[j]!);
        expect(Math.abs(fdh - H[k * 3 + j]!)).toBeLessThan(1e-5 * (1 + Math.abs(H[k * 3 + j]!)));
      }
    }
    // normal(1, 0.5) on α_c: −q″ = 4, as 4·ccᵀ instead of the raw intercept's 4 at (0, 0).
    const M = lp.scoringMatrix(theta);
    const Mraw = glmLogPosterior(problem, { ...priors, interceptOn: "raw" }).scoringMatrix(theta);
    const c = lp.centring!.c;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
      const expected = Mraw[a * 3 + b]! - (a === 0 && b === 0 ? 4 : 0) + 4 * c[a]! * c[b]!;
      expect(M[a * 3 + b]).toBeCloseTo(expected, 8);
    }
  });

  it("parallel sampling reproduces the sequential draws bit for bit (the recipe carries interceptOn)", async () => {
    const opts = { seed: 5, chains: 2, warmup: 60, draws: 40 };
    const seq = await model.sample(opts);
    const par = await model.sample({ ...opts, parallel: true });
    expect(par.posterior.draws.length).toBe(2);
    for (let k = 0; k < 2; k++) expect(Array.from(par.posterior.draws[k]!)).toEqual(Array.from(seq.posterior.draws[k]!));
    // … and the centring changed the posterior (the raw-intercept run differs).
    const raw = await glm({ ...model.spec, priors: { ...model.spec.priors, interceptOn: "raw" } }).sample(opts);
    expect(Array.from(raw.posterior.draws[0]!)).not.toEqual(Array.from(seq.posterior.draws[0]!));
  });
});

describe("the CLI", () => {
  const base = ["fit", "data/endometrial.csv", "--formula", FORMULA, "--family", "binomial"];

  it("announces rstanarm's default priors in the text and the JSON", async () => {
    const text = await runCli(["fit", "data/mtcars.csv", "--formula", "mpg ~ wt + hp", "--method", "map"]);
    expect(text.code).toBe(0);
    expect(text.out).toContain("Priors (rstanarm's defaults");
    expect(text.out).toContain("Intercept (after predictors centered)");
    expect(text.out).toMatch(/Adjusted prior:\s+normal\(20\.09, 15\.07\)/);
    expect(text.out).toMatch(/Auxiliary \(sigma\)\n {2}Specified prior: exponential\(1\)\n {2}Adjusted prior: {2}exponential\(0\.1659\)/);
    const json = await runCli(["fit", "data/mtcars.csv", "--formula", "mpg ~ wt + hp", "--method", "nuts", "--chains", "1", "--warmup", "50", "--draws", "20", "--json"]);
    expect(json.code).toBe(0);
    const prior = JSON.parse(json.out).prior;
    expect(prior).toMatchObject({ coefficients: "normal(0, 2.5)", aux: "exponential(1)", defaults: true, intercept_on: "centered", autoscale: true });
    expect(Object.keys(prior.adjusted.coefficients)).toEqual(["wt", "hp"]);
    expect(prior.adjusted.intercept).toMatch(/^normal\(20\.09062499999999\d*|^normal\(20\.090625, /);
  });

  it("--prior-intercept-on centered with declared priors; raw is the default", async () => {
    const args = ["fit", "data/mtcars.csv", "--formula", "carb ~ hp + wt", "--family", "poisson", "--method", "map", "--prior", "normal(0, 2.5)", "--prior-intercept", "normal(1, 0.5)", "--json"];
    const raw = JSON.parse((await runCli(args)).out);
    const centred = JSON.parse((await runCli([...args, "--prior-intercept-on", "centered"])).out);
    expect(raw.prior.intercept_on).toBe("raw");
    expect(centred.prior.intercept_on).toBe("centered");
    expect(centred.coefficients[0].estimate).not.toBeCloseTo(raw.coefficients[0].estimate, 1);
    expect((await runCli([...args, "--prior-intercept-on", "middle"])).code).toBe(2);
  });

  it("flat priors on separated data: nuts, map and laplace fail with the typed error in the CLI's words", async () => {
    const nuts = await runCli([...base, "--method", "nuts", "--prior", "flat", "--prior-intercept", "flat", "--chains", "1", "--warmup", "10", "--draws", "10"]);
    expect(nuts.code).toBe(1);
    expect(nuts.out).toBe("");
    expect(nuts.err).toMatch(/^glmkit: ImproperPosteriorError: the posterior is improper: /);
    expect(nuts.err).toContain("--prior jeffreys");
    expect(nuts.err).toContain("--allow-improper");
    expect(nuts.err).not.toContain("allowImproper");
    for (const method of ["map", "laplace"]) {
      const r = await runCli([...base, "--method", method, "--prior", "flat", "--prior-intercept", "flat"]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^glmkit: NoModeError: the posterior mode does not exist: /);
      expect(r.err).toContain('--prior "normal(0, 2.5)"');
      expect(r.err).not.toContain("priors: {");
    }
    const allowed = await runCli([...base, "--method", "nuts", "--prior", "flat", "--prior-intercept", "flat", "--chains", "1", "--warmup", "20", "--draws", "10", "--allow-improper", "--json"]);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.out).prior.improper.reason).toBe("infinite-estimates");
    expect((await runCli([...base, "--method", "map", "--allow-improper"])).code).toBe(2);
  });
});

/**
 * Priors on the multinomial coefficients: the MAP against an R Newton on the penalised
 * log-likelihood (test/reference/multinomial.R, "map"), the Jeffreys MAP = firth(), the
 * log-posterior gradient against finite differences, and NUTS: K = 2 draws agree with the
 * binomial GLM's NUTS (itself checked against rstanarm) within 4 combined MCSE.
 */
import { expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { readCsv } from "../../src/data/index.js";
import { multinomial } from "../../models/multinomial.js";
import { glm } from "../../models/glm.js";
import { ImproperPosteriorError, PriorError } from "../../src/errors.js";
import { multinomialLogPosterior, priorsPerCoefficient } from "../../src/multinomial/posterior.js";
import { multinomialLogLik, multinomialWorkspace } from "../../src/multinomial/likelihood.js";
import { normal, studentT, jeffreys } from "../../src/priors/index.js";
import { createRng } from "../../samplers/rng.js";

const ref = JSON.parse(readFileSync(new URL("../reference/multinomial.json", import.meta.url), "utf8"));
const data = (name: string) => readCsv(new URL(`../../data/${name}.csv`, import.meta.url).pathname);
const priors = { coefficients: "normal(0, 2.5)", intercept: "normal(0, 10)" };
const rel = (a: number, e: number) => Math.abs(a - e) / Math.max(Math.abs(e), 1e-8);

test.each([["iris_sepal_separated", "Species ~ Sepal.Length + Sepal.Width", "iris"], ["mtcars_gear", "gear ~ mpg + wt", "mtcars"]])(
  "%s: MAP and its SEs = R's penalised Newton to 1e-6 (finite under separation)", (name, formula, file) => {
    const c = ref.map.find((x: { name: string }) => x.name === name);
    const fit = multinomial({ formula, data: data(file), priors }).map();
    expect(fit.record.converged).toBe(true);
    fit.coefficients.forEach((x, k) => {
      expect(rel(x.estimate, c.coefficients[k]), x.name).toBeLessThan(1e-6);
      expect(rel(x.se, c.se[k]), x.name).toBeLessThan(1e-6);
    });
    expect(fit.toJSON().prior).toEqual({ coefficients: "normal(0, 2.5)", intercept: "normal(0, 10)", defaults: false, autoscale: false, intercept_on: "raw" });
  });

test("the Jeffreys MAP is the bias-reduced fit", () => {
  const spec = { formula: "Species ~ Sepal.Length", data: data("iris") };
  const a = multinomial({ ...spec, priors: { coefficients: "jeffreys()" } }).map();
  const b = multinomial(spec).firth();
  a.coefficients.forEach((x, k) => expect(x.estimate).toBe(b.coefficients[k]!.estimate));
});

test("log-posterior gradients (scalar priors and Jeffreys) agree with central differences", () => {
  const m = multinomial({ formula: "gear ~ mpg + wt", data: data("mtcars") });
  const pr = m.problem;
  for (const set of [priorsPerCoefficient(pr.columnNames, 2, studentT(3, 0, 2.5), normal(0, 10)), priorsPerCoefficient(pr.columnNames, 2, jeffreys(), jeffreys())]) {
    const target = multinomialLogPosterior(pr, set);
    const theta = Float64Array.from([0.3, 0.1, -0.5, -0.2, 0.05, 0.4]), g = new Float64Array(6), tmp = new Float64Array(6);
    target.logDensityGrad(theta, g);
    for (let a = 0; a < 6; a++) {
      const up = Float64Array.from(theta), dn = Float64Array.from(theta), h = 1e-6;
      up[a] += h; dn[a] -= h;
      const fd = (target.logDensityGrad(up, tmp) - target.logDensityGrad(dn, tmp)) / (2 * h);
      expect(Math.abs(fd - g[a]!)).toBeLessThan(1e-5 * (1 + Math.abs(g[a]!)));
    }
  }
});

test("flat priors on a separated fit: NUTS refuses the improper posterior; bad priors are typed errors", () => {
  const spec = { formula: "Species ~ Sepal.Length + Sepal.Width", data: data("iris") };
  expect(() => multinomial({ ...spec, priors: { coefficients: "flat()" } }).sample({ seed: 1, chains: 1, warmup: 10, draws: 10 })).toThrow(ImproperPosteriorError);
  expect(() => multinomial({ ...spec, priors: { coefficients: "exponential(1)" } }).map()).toThrow(PriorError);
});

test("NUTS, K = 2: posterior means = the binomial GLM's NUTS within 4 combined MCSE", () => {
  const spec = { formula: "low ~ age + lwt + smoke + ht", data: data("birthwt"), priors };
  const opts = { seed: 20261206, chains: 2, warmup: 300, draws: 400 };
  const mult = multinomial(spec).sample(opts);
  expect(mult.divergences).toBe(0);
  // pointwise log-likelihoods: rows sum to the log-likelihood of each draw; PSIS-LOO runs on them
  const ll = mult.logLik();
  expect(ll.n).toBe(189);
  expect(ll.chains[0]!.length).toBe(400 * 189);
  const m = multinomial(spec), ws = multinomialWorkspace(m.problem);
  for (const s of [0, 123, 399]) {
    const draw = mult.result.draws[1]!.subarray(s * 5, (s + 1) * 5); // 5 coefficients per draw
    let sum = 0;
    for (let i = 0; i < 189; i++) sum += ll.chains[1]![s * 189 + i]!;
    expect(sum).toBeCloseTo(multinomialLogLik(m.problem, draw, ws), 9);
  }
  const loo = mult.loo();
  expect(Number.isFinite(loo.estimates.elpd_loo.estimate)).toBe(true);
  return glm({ ...spec, family: "binomial", priors: { ...priors, interceptOn: "raw" } }).sample(opts).then((bin) => {
    const rows = bin.toJSON().posterior.summary;
    mult.summary.forEach((s, k) => {
      const b = rows[k]!;
      expect(s.name).toBe(`1:${b.name}`);
      expect(Math.abs(s.mean - b.mean), s.name).toBeLessThan(4 * Math.hypot(s.mcse_mean, b.mcse_mean));
      expect(s.rhat).toBeLessThan(1.02);
    });
  });
});

test("NUTS, K = 3: posterior means = self-normalised importance sampling from the Laplace approximation, within 4 combined MC errors", () => {
  const spec = { formula: "gear ~ mpg", data: data("mtcars"), priors };
  const model = multinomial(spec);
  const post = model.sample({ seed: 7, chains: 2, warmup: 300, draws: 400 });
  expect(post.divergences).toBe(0);
  // importance sampling: proposal the Laplace normal with SDs ×1.5, weights p(β|y)/q(β) (the same log density, so this checks the sampler)
  const lap = model.laplace();
  const D = 4, mu = lap.record.beta, V = lap.record.vcov;
  const L = new Float64Array(D * D); // Cholesky of 2.25 V (lower)
  for (let i = 0; i < D; i++) for (let j = 0; j <= i; j++) {
    let s = 2.25 * V[i * D + j]!;
    for (let k = 0; k < j; k++) s -= L[i * D + k]! * L[j * D + k]!;
    L[i * D + j] = i === j ? Math.sqrt(s) : s / L[j * D + j]!;
  }
  const target = multinomialLogPosterior(model.problem, priorsPerCoefficient(model.problem.columnNames, 2, normal(0, 2.5), normal(0, 10)));
  const rng = createRng(99), N = 20000, g = new Float64Array(D), z = new Float64Array(D), b = new Float64Array(D);
  const logw = new Float64Array(N), draws = new Float64Array(N * D);
  for (let s = 0; s < N; s++) {
    let q = 0;
    for (let i = 0; i < D; i++) { z[i] = rng.normal(); q -= 0.5 * z[i]! * z[i]!; }
    for (let i = 0; i < D; i++) { let v = mu[i]!; for (let k = 0; k <= i; k++) v += L[i * D + k]! * z[k]!; b[i] = v; }
    logw[s] = target.logDensityGrad(b, g) - q;
    draws.set(b, s * D);
  }
  const mx = Math.max(...logw);
  const w = logw.map((v) => Math.exp(v - mx)), W = w.reduce((a, c) => a + c, 0);
  const ess = (W * W) / w.reduce((a, c) => a + c * c, 0);
  expect(ess).toBeGreaterThan(5000);
  post.summary.forEach((row, i) => {
    let m = 0;
    for (let s = 0; s < N; s++) m += w[s]! * draws[s * D + i]!;
    m /= W;
    let v = 0;
    for (let s = 0; s < N; s++) v += w[s]! * (draws[s * D + i]! - m) ** 2;
    const seIs = Math.sqrt(v / W / ess);
    expect(Math.abs(row.mean - m), row.name).toBeLessThan(4 * Math.hypot(row.mcse_mean, seIs));
  });
});

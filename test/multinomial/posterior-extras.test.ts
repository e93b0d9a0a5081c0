/**
 * Posterior predictive draws of multinomial NUTS fits, and the default priors (nothing
 * declared): normal(0, 2.5) autoscaled by 1/sd(x_j) on coefficients, normal(0, 2.5) on the raw
 * intercepts, announced in the prior summary.
 */
import { expect, test } from "vitest";
import { readCsv } from "../../src/data/index.js";
import { multinomial } from "../../models/multinomial.js";
import { multinomialLogPosterior } from "../../src/multinomial/posterior.js";
import { normal } from "../../src/priors/index.js";
import { ArgumentError } from "../../src/errors.js";

const data = (name: string) => readCsv(new URL(`../../data/${name}.csv`, import.meta.url).pathname);
const sd = (v: number[]) => { const m = v.reduce((a, b) => a + b, 0) / v.length; return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)); };

test("default priors: normal(0, 2.5/sd(x)) on coefficients, normal(0, 2.5) on intercepts; the MAP is their mode", () => {
  const mt = data("mtcars");
  const model = multinomial({ formula: "gear ~ mpg + wt", data: mt });
  const fit = model.map();
  const prior = fit.toJSON().prior!;
  expect(prior.defaults).toBe(true);
  expect(prior.autoscale).toBe(true);
  const col = (name: string) => Array.from({ length: mt.nrow }, (_, i) => mt.column(name).values[i] as number);
  const scales = { "(Intercept)": 2.5, mpg: 2.5 / sd(col("mpg")), wt: 2.5 / sd(col("wt")) };
  const priors = ["4", "5"].flatMap(() => Object.values(scales).map((s) => normal(0, s)));
  for (const [k, c] of fit.coefficients.entries()) expect(prior.adjusted![c.name]).toBe(priors[k]!.describe());
  expect(fit.summary()).toContain("Priors (defaults, none declared)");
  // the mode: the gradient of the log posterior under independently built priors vanishes there
  const target = multinomialLogPosterior(model.problem, { kind: "scalar", priors });
  const g = new Float64Array(6);
  target.logDensityGrad(fit.record.beta, g);
  for (const v of g) expect(Math.abs(v)).toBeLessThan(1e-7);
  // declared priors are exactly what is declared (no autoscaling)
  expect(multinomial({ formula: "gear ~ mpg + wt", data: mt, priors: { coefficients: "normal(0, 2.5)" } }).map().toJSON().prior!.defaults).toBe(false);
});

test("posterior predictive draws: row totals kept, means = posterior mean of m_i·π_i within MC error, reproducible", () => {
  const model = multinomial({ formula: "cbind(normal, mild, severe) ~ log(exposure.time)", data: data("pneumo"), priors: { coefficients: "normal(0, 2.5)", intercept: "normal(0, 10)" } });
  const post = model.sample({ seed: 5, chains: 2, warmup: 200, draws: 300 });
  const pp = post.predictiveDraws({ seed: 9 });
  const { n, draws, counts } = pp, K = 3;
  expect(pp.categories).toEqual(["normal", "mild", "severe"]);
  expect(draws).toBe(600);
  const Y = model.problem.Y;
  const m = Array.from({ length: n }, (_, i) => Y[i * K]! + Y[i * K + 1]! + Y[i * K + 2]!);
  for (let s = 0; s < draws; s += 37) for (let i = 0; i < n; i++) expect(counts[(s * n + i) * K]! + counts[(s * n + i) * K + 1]! + counts[(s * n + i) * K + 2]!).toBe(m[i]);
  // E[ỹ_ik] = E[m_i π_ik(β)]: compare the predictive mean with the mean fitted count over the same draws
  const pneumo = data("pneumo");
  const logExposure = Array.from({ length: n }, (_, i) => Math.log(pneumo.column("exposure.time").values[i] as number));
  const D = 4, probs = new Float64Array(n * K);
  const fitted = new Float64Array(n * K), sq = new Float64Array(n * K), mean = new Float64Array(n * K);
  let s = 0;
  for (const ch of post.result.draws) for (let t = 0; t < ch.length / D; t++, s++) {
    const b = ch.subarray(t * D, (t + 1) * D);
    for (let i = 0; i < n; i++) {
      const x = logExposure[i]!;
      const e1 = b[0]! + b[1]! * x, e2 = b[2]! + b[3]! * x, mx = Math.max(0, e1, e2);
      const z = Math.exp(-mx) + Math.exp(e1 - mx) + Math.exp(e2 - mx);
      probs[i * K] = Math.exp(-mx) / z; probs[i * K + 1] = Math.exp(e1 - mx) / z; probs[i * K + 2] = Math.exp(e2 - mx) / z;
      for (let k = 0; k < K; k++) {
        fitted[i * K + k] += m[i]! * probs[i * K + k]!;
        const c = counts[(s * n + i) * K + k]!;
        mean[i * K + k] += c; sq[i * K + k] += c * c;
      }
    }
  }
  for (let a = 0; a < n * K; a++) {
    const mu = mean[a]! / draws, v = sq[a]! / draws - mu * mu;
    // given the β draws the S predictive draws are independent, Var(ỹ − mπ | β) ≤ Var ỹ: 4 SEs
    expect(Math.abs(mu - fitted[a]! / draws)).toBeLessThan(4 * Math.sqrt(v / draws) + 1e-9);
  }
  expect(post.predictiveDraws({ seed: 9, draws: 10 }).counts).toEqual(pp.counts.subarray(0, 10 * n * K));
  expect(() => post.predictiveDraws({ seed: 9, draws: 0 })).toThrow(ArgumentError);
});

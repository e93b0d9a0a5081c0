import { it } from "vitest";
import { readFileSync } from "node:fs";
import { makeFamily } from "../src/families/index.js";
import { parsePrior, asAuxPrior, type CoefficientPrior } from "../src/priors/index.js";
import { samplePosteriorSync } from "../models/posterior.js";
import { mcseSd } from "../samplers/index.js";
import { variableChains } from "../samplers/diagnostics/summary.js";

const ref = JSON.parse(readFileSync("/tmp/stan-posteriors.v1.json", "utf8"));
it("smoke", () => {
  for (const c of ref.cases) {
    const n = c.n, p = c.p;
    const off = Float64Array.from(c.offset);
    const problem = { X: Float64Array.from(c.X), n, p, columnNames: c.column_names, hasIntercept: true, y: Float64Array.from(c.y), weights: new Float64Array(n).fill(1),
      offset: off.some((v: number) => v !== 0) ? off : null, trials: null, family: makeFamily(c.family, { link: c.link, ...(c.family === "negative_binomial" ? { theta: 1 } : {}) }) };
    const priors = { coefficients: c.priors.coefficients.map((s: string) => parsePrior(s) as CoefficientPrior), ...(c.priors.aux ? { aux: asAuxPrior(parsePrior(c.priors.aux)) } : {}) };
    const t = performance.now();
    const post = samplePosteriorSync(problem, priors, { seed: 11, chains: 4, warmup: 1000, draws: 2000, adaptDelta: c.stan.adapt_delta });
    const secs = (performance.now() - t) / 1000;
    const lf = post.sampler.reduce((s, sp) => s + sp.n_leapfrog__.reduce((a, b) => a + b, 0), 0) / 8000;
    let worst = 0; const lines: string[] = [];
    post.summary.forEach((r, j) => {
      const s = c.parameters[j];
      const ch = variableChains(post.draws, post.names.length, j);
      const zm = (r.mean - s.mean) / Math.hypot(r.mcse_mean, s.mcse_mean);
      const zs = (r.sd - s.sd) / Math.hypot(mcseSd(ch), s.mcse_sd);
      worst = Math.max(worst, Math.abs(zm), Math.abs(zs));
      lines.push(`${r.name} z_mean ${zm.toFixed(2)} z_sd ${zs.toFixed(2)} ess ${r.ess_bulk.toFixed(0)} relmcse ${(r.mcse_mean / r.sd).toFixed(4)}`);
    });
    console.log(`${c.id}: ${secs.toFixed(1)} s, leapfrog/iter ${lf.toFixed(1)}, div ${post.divergences}, worst z ${worst.toFixed(2)}\n  ${lines.join("\n  ")}`);
  }
}, 600000);

/**
 * NUTS on multinomial posteriors against long rstan runs of the same model
 * (test/reference/multinomial-nuts.R: the softmax model on glmkit's parameterisation,
 * normal(0, 2.5) on every coefficient incl. intercepts, 4 chains × 25,000 draws, R̂ ≤ 1.005):
 * posterior means and SDs within 4 combined MCSE (ours from our 2 × 500 draws, R's from its run).
 */
import { expect, test } from "vitest";
import { readFileSync } from "node:fs";
import { readCsv } from "../../src/data/index.js";
import { multinomial } from "../../models/multinomial.js";
import { mcseSd } from "../../samplers/diagnostics/convergence.js";

const ref = JSON.parse(readFileSync(new URL("../reference/multinomial-nuts.json", import.meta.url), "utf8"));
const data = (path: string) => readCsv(new URL(`../../${path}`, import.meta.url).pathname);

interface RefParam { name: string; mean: number; sd: number; mcse_mean: number; mcse_sd: number; rhat: number }
interface RefCase { id: string; data: string; formula: string; prior: string; params: RefParam[] }

test.each((ref.cases as RefCase[]).map((c) => [c.id, c] as const))("%s: NUTS means and SDs = rstan's within 4 combined MCSE", (_id, c) => {
  const model = multinomial({ formula: c.formula, data: data(c.data), priors: { coefficients: c.prior, intercept: c.prior } });
  const post = model.sample({ seed: 20261206, chains: 2, warmup: 300, draws: 500 });
  expect(post.divergences).toBe(0);
  expect(post.summary.map((s) => s.name)).toEqual(c.params.map((p) => p.name));
  const D = c.params.length;
  post.summary.forEach((s, k) => {
    const r = c.params[k]!;
    const chains = post.result.draws.map((d) => Float64Array.from({ length: d.length / D }, (_, t) => d[t * D + k]!));
    expect(r.rhat).toBeLessThanOrEqual(1.005);
    expect(s.rhat, s.name).toBeLessThan(1.02);
    expect(Math.abs(s.mean - r.mean), `${s.name} mean`).toBeLessThan(4 * Math.hypot(s.mcse_mean, r.mcse_mean));
    expect(Math.abs(s.sd - r.sd), `${s.name} sd`).toBeLessThan(4 * Math.hypot(mcseSd(chains), r.mcse_sd));
  });
});

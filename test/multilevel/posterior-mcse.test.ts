/**
 * Our NUTS on the multilevel posterior against long rstanarm::stan_glmer runs with the same priors
 * (test/reference/stan-glmer.R: 4 chains × 5000 draws, adapt_delta 0.95, default priors). Means
 * and sds of every population-level effect, SD, correlation and σ, and of a few group-level
 * effects per term, within 4 combined MCSE (ours from short chains, rstanarm's from the long run).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readCsv } from "../../src/data/csv.js";
import { binomial, gaussian, poisson } from "../../src/families/index.js";
import { testDesign } from "../../src/multilevel/test-design.js";
import type { MultilevelDesign } from "../../src/multilevel/types.js";
import type { Family } from "../../src/types.js";
import { resolveMultilevelPriors, sampleMultilevel } from "../../models/multilevel-posterior.js";
import { mcseSd } from "../../samplers/diagnostics/convergence.js";
import { variableChains } from "../../samplers/diagnostics/summary.js";

interface RefRow { name: string; mean: number; sd: number; mcse_mean: number; mcse_sd: number; rhat: number; ess_bulk: number }
interface RefModel {
  divergences: number;
  summary: RefRow[];
  prior: { coefficients_adjusted_scale: number[]; intercept_location: number; intercept_adjusted_scale: number; aux_adjusted_rate?: number | null };
}
const ref = JSON.parse(readFileSync("test/reference/stan-glmer.json", "utf8")) as Record<string, RefModel>;
const D = "test/data/multilevel/";

const cases: { name: string; design: MultilevelDesign; family: Family; seed: number }[] = [
  {
    name: "sleepstudy", family: gaussian(), seed: 21,
    design: testDesign(readCsv(D + "sleepstudy.csv"), { response: "Reaction", fixed: ["Days"], groups: [{ factor: "Subject", columns: ["(Intercept)", "Days"] }] }),
  },
  {
    name: "cbpp", family: binomial(), seed: 22,
    design: testDesign(readCsv(D + "cbpp.csv"), { response: "incidence", failures: "failures", fixed: ["period"], factors: ["period"], groups: [{ factor: "herd", columns: ["(Intercept)"] }] }),
  },
  {
    name: "epilepsy", family: poisson(), seed: 23,
    design: testDesign(readCsv(D + "epilepsy.csv"), { response: "y", fixed: ["post", "trt", "post:trt"], offset: { column: "weeks", log: true }, groups: [{ factor: "subject", columns: ["(Intercept)"] }] }),
  },
  {
    name: "penicillin", family: gaussian(), seed: 24,
    design: testDesign(readCsv(D + "penicillin.csv"), { response: "diameter", fixed: [], groups: [{ factor: "plate", columns: ["(Intercept)"] }, { factor: "sample", columns: ["(Intercept)"] }] }),
  },
  {
    // Gelman & Hill (2007), ch. 12: log_radon ~ floor + (1 + floor | county), 85 counties (data/radon.csv, from rstanarm).
    name: "radon", family: gaussian(), seed: 25,
    design: testDesign(readCsv("data/radon.csv"), { response: "log_radon", fixed: ["floor"], groups: [{ factor: "county", columns: ["(Intercept)", "floor"] }] }),
  },
];

describe("multilevel NUTS against long stan_glmer runs (4 combined MCSE)", () => {
  for (const c of cases) {
    const r = ref[c.name]!;
    it(`${c.name}: the reference run converged (R̂ ≤ 1.005) without divergences`, () => {
      expect(r.divergences).toBe(0);
      for (const row of r.summary) expect(row.rhat).toBeLessThanOrEqual(1.005);
    });

    it(`${c.name}: rstanarm's default priors (prior_summary's adjusted scales)`, () => {
      const { priors } = resolveMultilevelPriors(c.design, c.family);
      const coefs = priors.coefficients.filter((_, j) => c.design.columnNames[j] !== "(Intercept)");
      coefs.forEach((q, j) => {
        expect(q.kind).toBe("normal");
        const s = (q.params as { scale: number }).scale;
        expect(Math.abs(s - r.prior.coefficients_adjusted_scale[j]!) / s).toBeLessThan(1e-12);
      });
      const ip = priors.coefficients[c.design.columnNames.indexOf("(Intercept)")]!.params as { location: number; scale: number };
      expect(ip.location).toBeCloseTo(r.prior.intercept_location, 10);
      expect(Math.abs(ip.scale - r.prior.intercept_adjusted_scale) / ip.scale).toBeLessThan(1e-12);
      if (c.family.aux) {
        const rate = (priors.aux!.params as { rate: number }).rate;
        expect(Math.abs(rate - r.prior.aux_adjusted_rate!) / rate).toBeLessThan(1e-12);
      }
    });

    it(`${c.name}: means and sds within 4 combined MCSE, no divergences`, () => {
      const post = sampleMultilevel(c.design, { family: c.family, seed: c.seed, chains: 4, warmup: 300, draws: 200 });
      expect(post.divergences).toBe(0);
      const K = post.names.length;
      const checked: string[] = [];
      const spot = new Map<string, number>();
      post.names.forEach((name, j) => {
        if (name.startsWith("r_")) {
          const factor = name.slice(0, name.indexOf("["));
          const seen = spot.get(factor) ?? 0;
          if (seen >= 3) return;
          spot.set(factor, seen + 1);
        }
        const q = r.summary.find((x) => x.name === name);
        expect(q, `reference has ${name}`).toBeDefined();
        const ours = post.summary[j]!;
        const chains = variableChains(post.draws, K, j);
        const tolMean = 4 * Math.hypot(ours.mcse_mean, q!.mcse_mean);
        const tolSd = 4 * Math.hypot(mcseSd(chains), q!.mcse_sd);
        expect(Math.abs(ours.mean - q!.mean), `${name} mean ${ours.mean} vs ${q!.mean} (tol ${tolMean})`).toBeLessThan(tolMean);
        expect(Math.abs(ours.sd - q!.sd), `${name} sd ${ours.sd} vs ${q!.sd} (tol ${tolSd})`).toBeLessThan(tolSd);
        checked.push(name);
      });
      expect(checked.filter((n) => !n.startsWith("r_")).length).toBe(post.names.filter((n) => !n.startsWith("r_")).length);
    }, 120_000);
  }
});

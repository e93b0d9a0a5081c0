import { beforeAll, describe, expect, it } from "vitest";
import { readCsv } from "../../src/data/csv.js";
import { gaussian } from "../../src/families/index.js";
import { testDesign } from "../../src/multilevel/test-design.js";
import {
  formatMultilevelPriorSummary, multilevelCoef, multilevelLinpred, multilevelLogLik, multilevelLoo, multilevelPosteriorJson,
  multilevelPredict, multilevelRanef, sampleMultilevel, type MultilevelNewData, type MultilevelPosterior,
} from "../../models/multilevel-posterior.js";
import { ArgumentError, DataError } from "../../src/errors.js";

const design = testDesign(readCsv("test/data/multilevel/sleepstudy.csv"), {
  response: "Reaction", fixed: ["Days"], groups: [{ factor: "Subject", columns: ["(Intercept)", "Days"] }],
});

let post: MultilevelPosterior;
beforeAll(() => {
  post = sampleMultilevel(design, { family: gaussian(), seed: 7, chains: 2, warmup: 250, draws: 250 });
}, 120_000);

const col = (name: string) => post.names.indexOf(name);
function column(name: string): Float64Array {
  const j = col(name);
  const K = post.names.length;
  const out: number[] = [];
  for (const ch of post.draws) for (let s = 0; s < ch.length / K; s++) out.push(ch[s * K + j]!);
  return Float64Array.from(out);
}

describe("multilevel posterior: predictions, log-likelihood, summaries", () => {
  it("the fitted linear predictor from the brms-named draws equals the target's (unconstrained) one", () => {
    const lp = multilevelLinpred(post, { type: "link" });
    const dim = post.target.dim;
    const eta = new Float64Array(design.n);
    let s = 0;
    let worst = 0;
    for (const ch of post.unconstrained) {
      for (let r = 0; r < ch.length / dim; r++, s++) {
        post.target.linearPredictor(ch.subarray(r * dim, (r + 1) * dim), eta);
        for (let i = 0; i < design.n; i++) worst = Math.max(worst, Math.abs(eta[i]! - lp.values[s * design.n + i]!) / Math.abs(eta[i]!));
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it("the pointwise log-likelihood is log N(y; b0 + b1·Days + r0 + r1·Days, σ) of each draw (computed here by hand)", () => {
    const ll = multilevelLogLik(post);
    const b0 = column("b_Intercept"), b1 = column("b_Days"), sig = column("sigma");
    const days = readCsv("test/data/multilevel/sleepstudy.csv").column("Days");
    const subj = design.terms[0]!;
    let worst = 0;
    for (let s = 0; s < ll.draws; s += 37) {
      for (let i = 0; i < design.n; i++) {
        const lv = subj.levels[subj.group[i]!]!;
        const r0 = column(`r_Subject[${lv},Intercept]`)[s]!;
        const r1 = column(`r_Subject[${lv},Days]`)[s]!;
        const x = days.kind === "numeric" ? days.values[i]! : NaN;
        const mu = b0[s]! + r0 + (b1[s]! + r1) * x;
        const want = -0.5 * Math.log(2 * Math.PI) - Math.log(sig[s]!) - (0.5 * (design.y[i]! - mu) ** 2) / sig[s]! ** 2;
        worst = Math.max(worst, Math.abs(ll.values[s * design.n + i]! - want) / Math.abs(want));
      }
    }
    expect(worst).toBeLessThan(1e-10);
    const loo = multilevelLoo(post);
    expect(loo.pointwise.elpd_loo.length).toBe(design.n);
    expect(Number.isFinite(loo.estimates.elpd_loo.estimate)).toBe(true);
    expect(loo.estimates.p_loo.estimate).toBeGreaterThan(0);
  });

  const newdata = (labels: string[], days: number[]): MultilevelNewData => ({
    n: labels.length,
    X: Float64Array.from(days.flatMap((d) => [1, d])),
    groups: [{ labels, values: Float64Array.from(days.flatMap((d) => [1, d])) }],
  });

  it("existing levels in newdata predict as the fitted rows; new levels draw b ~ N(0, Σ) per draw, shared by their rows", () => {
    // rows 0 and 1 of the data: Subject 308, Days 0 and 1
    const fitted = multilevelLinpred(post, { type: "link" });
    const again = multilevelLinpred(post, { type: "link", newdata: newdata(["308", "308"], [0, 1]) });
    for (let s = 0; s < fitted.draws; s++) {
      expect(again.values[s * 2]).toBeCloseTo(fitted.values[s * design.n]!, 10);
      expect(again.values[s * 2 + 1]).toBeCloseTo(fitted.values[s * design.n + 1]!, 10);
    }
    const nd = newdata(["new", "new", "new"], [0, 1, 5]);
    const p = multilevelLinpred(post, { type: "link", newdata: nd, seed: 3 });
    const b0 = column("b_Intercept"), b1 = column("b_Days");
    const sd0 = column("sd_Subject__Intercept"), sd1 = column("sd_Subject__Days"), cor = column("cor_Subject__Intercept__Days");
    const S = p.draws;
    let m0 = 0, v0 = 0, m1 = 0, v1 = 0, c = 0;
    for (let s = 0; s < S; s++) {
      const e0 = p.values[s * 3]!, e1 = p.values[s * 3 + 1]!, e5 = p.values[s * 3 + 2]!;
      const r0 = e0 - b0[s]!;
      const r1 = e1 - b0[s]! - b1[s]! - r0;
      // the same new level in every row of a draw: e5 is linear in Days with the same effects
      expect(e5).toBeCloseTo(b0[s]! + r0 + 5 * (b1[s]! + r1), 8);
      const z0 = r0 / sd0[s]!, z1 = r1 / sd1[s]!;
      m0 += z0; v0 += z0 * z0; m1 += z1; v1 += z1 * z1; c += z0 * z1 - cor[s]!;
    }
    // given the draws, z0, z1 are independent N(0, 1) with E z0 z1 = cor: 4 standard errors
    const se = 4 / Math.sqrt(S);
    expect(Math.abs(m0 / S)).toBeLessThan(se);
    expect(Math.abs(m1 / S)).toBeLessThan(se);
    expect(Math.abs(v0 / S - 1)).toBeLessThan(se * Math.SQRT2);
    expect(Math.abs(v1 / S - 1)).toBeLessThan(se * Math.SQRT2);
    expect(Math.abs(c / S)).toBeLessThan(se * 1.5);
    expect(() => multilevelLinpred(post, { newdata: nd })).toThrow(ArgumentError);
    expect(() => multilevelLinpred(post, { newdata: nd, newLevels: "error" })).toThrow(DataError);
  });

  it("posterior predictive draws scatter around μ with the draw's σ", () => {
    const nd = newdata(["308"], [3]);
    const mu = multilevelLinpred(post, { newdata: nd });
    const y = multilevelPredict(post, { newdata: nd, seed: 5 });
    const sig = column("sigma");
    let m = 0, v = 0;
    for (let s = 0; s < y.draws; s++) { const z = (y.values[s]! - mu.values[s]!) / sig[s]!; m += z; v += z * z; }
    expect(Math.abs(m / y.draws)).toBeLessThan(4 / Math.sqrt(y.draws));
    expect(Math.abs(v / y.draws - 1)).toBeLessThan((4 * Math.SQRT2) / Math.sqrt(y.draws));
  });

  it("ranef, coef (= b + r), the prior summary and the JSON block", () => {
    const re = multilevelRanef(post);
    const co = multilevelCoef(post);
    expect(re.length).toBe(36);
    const b0 = post.summary.find((r) => r.name === "b_Intercept")!.mean;
    for (let i = 0; i < re.length; i += 2) expect(co[i]!.mean).toBeCloseTo(b0 + re[i]!.mean, 8);
    const text = formatMultilevelPriorSummary(post.priorSummary);
    expect(text).toContain("decov(1, 1, 1, 1)");
    expect(text).toContain("Specified prior: ~ normal(0, 2.5)");
    const json = JSON.parse(JSON.stringify(multilevelPosteriorJson(post)));
    expect(json.adapt_delta).toBe(0.95);
    expect(json.group_terms).toEqual([{ factor: "Subject", columns: ["(Intercept)", "Days"], levels: 18, correlated: true }]);
    expect(json.summary.map((r: { name: string }) => r.name)).toContain("cor_Subject__Intercept__Days");
  });
});

/**
 * PSIS-LOO, WAIC, relative_eff, gpdfit and loo_compare against loo 2.5.1 on the committed
 * log-likelihood matrices of test/reference/loo.R. Everything at 1e-6 relative (k̂, elpd,
 * SEs, pointwise values, n_eff, log weights); see the per-quantity report printed at the end.
 */
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import {
  psisLoo, waic, looCompare, relativeEff, paretoKTable, logLikMatrix, type LooResult,
} from "../../samplers/diagnostics/loo.js";
import { gpdFit, psis } from "../../samplers/diagnostics/psis.js";
import { essLoo, fftNextGoodSize } from "../../samplers/diagnostics/loo-ess.js";
import { ArgumentError, DataError } from "../../src/errors.js";
import { createRng } from "../../samplers/rng.js";
import { close, closeAll, reportWorst } from "./fixture.js";

type Est = [number, number];
interface LooCase {
  name: string; draws: number; n: number; chain_id: number[]; log_lik: number[]; r_eff: number[];
  loo: {
    estimates: { elpd_loo: Est; p_loo: Est; looic: Est };
    pointwise: { elpd_loo: number[]; mcse_elpd_loo: number[]; p_loo: number[]; looic: number[]; influence_pareto_k: number[] };
    pareto_k: number[]; n_eff: number[]; tail_len: number[]; mcse_elpd_loo: number | null;
    pareto_k_table: { count: number[]; proportion: number[]; min_n_eff: (number | null)[] };
    log_weights_observations: number[]; log_weights: number[][];
  };
  loo_r_eff_1: { estimates: { elpd_loo: Est; p_loo: Est; looic: Est }; pareto_k: number[]; n_eff: number[]; mcse_elpd_loo: number[] };
  waic: { estimates: { elpd_waic: Est; p_waic: Est; waic: Est }; pointwise: { elpd_waic: number[]; p_waic: number[]; waic: number[] } };
}
interface LooFixture {
  cases: LooCase[];
  loo_compare: {
    models: string[]; order: string[]; elpd_diff: number[]; se_diff: number[]; elpd_loo: number[]; se_elpd_loo: number[];
    p_loo: number[]; se_p_loo: number[]; looic: number[]; se_looic: number[];
  };
  gpdfit: { name: string; x: number[]; k: number; sigma: number; k_no_wip: number; sigma_no_wip: number; k_grid_50: number; sigma_grid_50: number }[];
}

const fx: LooFixture = JSON.parse(readFileSync("test/reference/loo.json", "utf8"));
const input = (c: LooCase) => ({ values: Float64Array.from(c.log_lik), n: c.n, chainId: c.chain_id });
const est = (e: { estimate: number; se: number }): Est => [e.estimate, e.se];

afterAll(() => reportWorst("loo"));

describe("PSIS-LOO vs loo 2.5.1", () => {
  const results = new Map<string, LooResult>();
  for (const c of fx.cases) {
    it(`${c.name}: relative_eff, loo, waic`, () => {
      const ll = input(c);
      closeAll(relativeEff(ll), c.r_eff, "r_eff", "relative_eff");
      const l = psisLoo(ll);
      results.set(c.name, l);
      expect(Array.from(l.tailLen)).toEqual(c.loo.tail_len);
      closeAll(l.diagnostics.pareto_k, c.loo.pareto_k, "k", "pareto k");
      closeAll(l.diagnostics.n_eff, c.loo.n_eff, "n_eff", "PSIS n_eff");
      closeAll(est(l.estimates.elpd_loo), c.loo.estimates.elpd_loo, "elpd_loo", "elpd_loo (estimate, se)");
      closeAll(est(l.estimates.p_loo), c.loo.estimates.p_loo, "p_loo", "p_loo (estimate, se)");
      closeAll(est(l.estimates.looic), c.loo.estimates.looic, "looic", "looic (estimate, se)");
      const pw = c.loo.pointwise;
      closeAll(l.pointwise.elpd_loo, pw.elpd_loo, "pointwise elpd", "pointwise elpd_loo");
      closeAll(l.pointwise.p_loo, pw.p_loo, "pointwise p_loo", "pointwise p_loo");
      closeAll(l.pointwise.looic, pw.looic, "pointwise looic", "pointwise looic");
      closeAll(l.pointwise.mcse_elpd_loo, pw.mcse_elpd_loo, "pointwise mcse", "mcse_elpd_loo");
      close(l.mcseElpdLoo, c.loo.mcse_elpd_loo, "mcse_loo", "mcse_elpd_loo");
      const tab = c.loo.pareto_k_table;
      expect(l.paretoKTable.count).toEqual(tab.count);
      closeAll(l.paretoKTable.proportion, tab.proportion, "k proportion", "pareto k table");
      closeAll(l.paretoKTable.minNEff, tab.min_n_eff, "k min n_eff", "pareto k table");
      const ps = psis(ll.values.map((v) => -v), c.draws, c.n, l.rEff);
      c.loo.log_weights_observations.forEach((i, j) => {
        const lw = Array.from({ length: c.draws }, (_, s) => ps.logWeights[s * c.n + i]!);
        closeAll(lw, c.loo.log_weights[j]!, `log weights of observation ${i + 1}`, "PSIS log weights");
      });
      // loo(ll) without r_eff: r_eff = 1
      const l1 = psisLoo({ values: ll.values, n: c.n });
      closeAll(est(l1.estimates.elpd_loo), c.loo_r_eff_1.estimates.elpd_loo, "elpd_loo r_eff=1", "elpd_loo (estimate, se)");
      closeAll(est(l1.estimates.p_loo), c.loo_r_eff_1.estimates.p_loo, "p_loo r_eff=1", "p_loo (estimate, se)");
      closeAll(l1.diagnostics.pareto_k, c.loo_r_eff_1.pareto_k, "k r_eff=1", "pareto k");
      closeAll(l1.diagnostics.n_eff, c.loo_r_eff_1.n_eff, "n_eff r_eff=1", "PSIS n_eff");
      closeAll(l1.pointwise.mcse_elpd_loo, c.loo_r_eff_1.mcse_elpd_loo, "mcse r_eff=1", "mcse_elpd_loo");
      expect(l1.warnings.some((w) => /r_eff/.test(w))).toBe(true);
      const w = waic(ll);
      closeAll(est(w.estimates.elpd_waic), c.waic.estimates.elpd_waic, "elpd_waic", "elpd_waic (estimate, se)");
      closeAll(est(w.estimates.p_waic), c.waic.estimates.p_waic, "p_waic", "p_waic (estimate, se)");
      closeAll(est(w.estimates.waic), c.waic.estimates.waic, "waic", "waic (estimate, se)");
      closeAll(w.pointwise.elpd_waic, c.waic.pointwise.elpd_waic, "pointwise elpd_waic", "pointwise waic");
      closeAll(w.pointwise.p_waic, c.waic.pointwise.p_waic, "pointwise p_waic", "pointwise waic");
    });
  }

  it("one matrix per chain gives the same answer as chain ids", () => {
    const c = fx.cases[0]!;
    const per = c.draws / 4;
    const chains = [0, 1, 2, 3].map((k) => Float64Array.from(c.log_lik.slice(k * per * c.n, (k + 1) * per * c.n)));
    const a = psisLoo({ chains, n: c.n });
    closeAll(est(a.estimates.elpd_loo), c.loo.estimates.elpd_loo, "elpd_loo (chains)", "elpd_loo (estimate, se)");
  });

  it("chain ids in any order: draws are grouped by chain as loo's llmatrix_to_array", () => {
    const c = fx.cases[0]!;
    const S = c.draws;
    // interleave: draw s of the new matrix is draw perm[s] of the old
    const perm = Array.from({ length: S }, (_, s) => (s % 4) * (S / 4) + Math.floor(s / 4));
    const values = new Float64Array(S * c.n);
    perm.forEach((old, s) => values.set(c.log_lik.slice(old * c.n, (old + 1) * c.n), s * c.n));
    const chainId = perm.map((old) => c.chain_id[old]!);
    closeAll(relativeEff({ values, n: c.n, chainId }), c.r_eff, "r_eff interleaved", "relative_eff");
  });

  it("loo_compare orders the models and gives elpd_diff and se_diff", () => {
    const r = fx.loo_compare;
    const rows = looCompare(Object.fromEntries(r.models.map((m) => [m, results.get(m)!])));
    expect(rows.map((x) => x.model)).toEqual(r.order);
    closeAll(rows.map((x) => x.elpd_diff), r.elpd_diff, "elpd_diff", "loo_compare", 1e-6, 1e-12);
    closeAll(rows.map((x) => x.se_diff), r.se_diff, "se_diff", "loo_compare", 1e-6, 1e-12);
    closeAll(rows.map((x) => x.elpd.se), r.se_elpd_loo, "se_elpd_loo", "loo_compare");
    closeAll(rows.map((x) => x.ic.estimate), r.looic, "looic", "loo_compare");
    closeAll(rows.map((x) => x.p.se), r.se_p_loo, "se_p_loo", "loo_compare");
  });

  it("gpdfit: defaults, wip = FALSE, min_grid_pts = 50", () => {
    for (const g of fx.gpdfit) {
      const x = Float64Array.from(g.x);
      const a = gpdFit(x);
      close(a.k, g.k, `${g.name} k`, "gpdfit");
      close(a.sigma, g.sigma, `${g.name} sigma`, "gpdfit");
      const b = gpdFit(x, { wip: false });
      close(b.k, g.k_no_wip, `${g.name} k no wip`, "gpdfit");
      close(b.sigma, g.sigma_no_wip, `${g.name} sigma no wip`, "gpdfit");
      const d = gpdFit(x, { minGridPts: 50 });
      close(d.k, g.k_grid_50, `${g.name} k grid 50`, "gpdfit");
      close(d.sigma, g.sigma_grid_50, `${g.name} sigma grid 50`, "gpdfit");
    }
  });

  it("fft_next_good_size and the ESS of independent draws", () => {
    expect([1, 2, 3, 7, 77, 250, 251].map(fftNextGoodSize)).toEqual([2, 2, 3, 8, 80, 250, 256]);
    const rng = createRng(7);
    const iid = Float64Array.from({ length: 4000 }, () => rng.normal());
    // the ESS of 4000 independent normal draws is 4000 up to a few per cent
    expect(essLoo([iid])).toBeGreaterThan(3000);
  });

  it("pareto_k_table bands", () => {
    const t = paretoKTable([0.1, 0.5, 0.50001, 0.7, 0.9, 1, 1.2, Infinity], [10, 20, 30, 40, 50, 60, 70, 80]);
    expect(t.count).toEqual([2, 2, 2, 2]);
    expect(t.minNEff).toEqual([10, 30, 50, 70]);
  });

  it("rejects bad input with typed errors naming the argument", () => {
    const c = fx.cases[0]!;
    const bad = Float64Array.from(c.log_lik);
    bad[5] = NaN;
    expect(() => psisLoo({ values: bad, n: c.n })).toThrow(DataError);
    expect(() => psisLoo({ values: bad, n: c.n })).toThrow(/draw 1, observation 6/);
    expect(() => logLikMatrix({ values: Float64Array.from(c.log_lik), n: 7 })).toThrow(ArgumentError);
    expect(() => psisLoo({ values: Float64Array.from(c.log_lik), n: c.n, chainId: [1, 2, 3] })).toThrow(/chainId has length 3/);
    expect(() => psisLoo({ values: Float64Array.from(c.log_lik), n: c.n }, { rEff: [1, 2] })).toThrow(/rEff/);
    expect(() => relativeEff({ values: Float64Array.from(c.log_lik), n: c.n })).toThrow(/chain/);
    const uneven = c.chain_id.map((v, s) => (s === 0 ? 2 : v));
    expect(() => psisLoo({ values: Float64Array.from(c.log_lik), n: c.n, chainId: uneven })).toThrow(/different numbers of draws/);
  });
});

// lp__: runChain records the target's log density at every saved draw (Stan's lp__),
// without changing the draws; sequential and parallel runs agree bit for bit.
import { describe, expect, it } from "vitest";
import { sample, sampleSync, type TargetFactory } from "../../samplers/index.js";
import { fromSampleResult } from "../../samplers/io/draws.js";
import { correlatedGaussian } from "./targets.js";

const TARGETS_MODULE = new URL("./targets.ts", import.meta.url).href;

describe("lp__", () => {
  it("is log p at each saved draw (thinned too) and flows into fromSampleResult", () => {
    const target = correlatedGaussian({ dim: 3, condition: 10, seed: 2 });
    const fit = sampleSync(target, { seed: 5, chains: 2, warmup: 100, draws: 40, thin: 3 });
    expect(fit.lp).toHaveLength(2);
    for (let k = 0; k < 2; k++) {
      const d = fit.draws[k]!;
      const lp = fit.lp![k]!;
      expect(lp.length).toBe(d.length / 3);
      for (let s = 0; s < lp.length; s++) {
        const expected = target.logDensityGrad(d.slice(3 * s, 3 * s + 3), new Float64Array(3));
        expect(lp[s]).toBe(expected);
      }
    }
    const chains = fromSampleResult(fit);
    expect(Array.from(chains[1]!.lp)).toEqual(Array.from(fit.lp![1]!));
  });

  it("workers return the same lp__ as the sequential run", async () => {
    const factory: TargetFactory = { module: TARGETS_MODULE, exportName: "correlatedGaussian", args: { dim: 3, condition: 10, seed: 2 } };
    const options = { seed: 9, chains: 2, warmup: 80, draws: 30 };
    const seq = sampleSync(correlatedGaussian({ dim: 3, condition: 10, seed: 2 }), options);
    const par = await sample(factory, { ...options, parallel: 2 });
    for (let k = 0; k < 2; k++) expect(Array.from(par.lp![k]!)).toEqual(Array.from(seq.lp![k]!));
  });
});

import { it } from "vitest";
import mt19937 from "@stdlib/random-base-mt19937";
import { makeFamily } from "../src/families/index.js";
import { fitBiasReduced } from "../src/fit/firth.js";
import { fitMl } from "../src/fit/ml-fit.js";
it("bench", () => {
  const rng = mt19937.factory({ seed: 7 });
  const u = () => rng() / 4294967296;
  for (const [n, p] of [[100000, 10], [1000000, 10], [20000, 50]] as const) {
    const X = new Float64Array(n * p);
    const y = new Float64Array(n);
    const yg = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      X[i * p] = 1; let eta = -0.5;
      for (let j = 1; j < p; j++) { const x = u() * 2 - 1; X[i * p + j] = x; eta += 0.3 * x; }
      y[i] = u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
      yg[i] = Math.exp(eta) * -Math.log(u()) ; // exponential ~ Gamma shape 1
    }
    const base = { X, n, p, columnNames: Array.from({ length: p }, (_, j) => `x${j}`), hasIntercept: true, weights: new Float64Array(n).fill(1), offset: null, trials: new Float64Array(n).fill(1) };
    for (const [fam, link, yy] of [["binomial", "logit", y], ["binomial", "probit", y], ["Gamma", "log", yg]] as const) {
      const problem = { ...base, y: yy, family: makeFamily(fam, { link }), trials: fam === "binomial" ? base.trials : null };
      let t0 = performance.now(); const ml = fitMl(problem); const tml = performance.now() - t0;
      for (const type of ["AS_mean", "MPL_Jeffreys"] as const) {
        t0 = performance.now(); const f = fitBiasReduced(problem, { type }); const t = performance.now() - t0;
        console.log(`n=${n} p=${p} ${fam}-${link} ${type}: ${t.toFixed(0)} ms, ${f.iterations} it (ML ${tml.toFixed(0)} ms, ${ml.irls.iterations} it) conv ${f.converged} step ${f.stepLength.toExponential(1)}`);
      }
    }
  }
}, 600000);

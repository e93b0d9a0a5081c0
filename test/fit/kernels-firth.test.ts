/**
 * The bias-reduced (Firth / Jeffreys) fits, the MAP fits, the penalised-profile
 * intervals and the ML profile intervals of the reference fixtures give the same
 * bits under the SIMD kernels and the plain loops (GLMKIT_KERNELS=wasm and ts):
 * their Newton loops run η = Xβ, XᵀWX and the hat values on kernel sets built once
 * per fit (per profiled coefficient), which sum in the plain loops' order. Plus a
 * Firth fit whose XᵀWX is split over three threads on the kernels' shared memory.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { makeFamily, binomial } from "../../src/families/index.js";
import { fitBiasReduced, type BiasReductionType, type BiasReducedFit } from "../../src/fit/firth.js";
import { fitKernels } from "../../src/fit/adjusted-score.js";
import { fitMap } from "../../src/fit/map.js";
import type { GlmProblem } from "../../src/fit/ml-fit.js";
import { wasmKernelsAvailable, sharedArenasAvailable } from "../../src/linalg/kernels/index.js";
import { columnNames, sameBits, simulateGlm, withKernels, withThreads } from "../helpers/kernel-fits.js";
import { sharedFloat64, PARALLEL_MIN_ENTRIES } from "../../src/linalg/parallel-crossprod.js";
import { profileIntervals } from "../../src/intervals/profile.js";
import { penalizedProfileIntervals } from "../../src/intervals/penalized-profile.js";
import { glm } from "../../models/glm.js";
import { readCsv } from "../../src/data/index.js";
import { fixture, fitCase } from "../intervals/fixture.js";
import { mapFixture, problemOf as mapProblemOf, priorsOf } from "./map-fixture.js";

interface FirthCase {
  id: string; family: string; link: string; n: number; p: number; column_names: string[];
  X_row_major: number[]; y: number[]; prior_weights: number[]; offset: number[] | null; trials: number[] | null;
}
const firth: { cases: FirthCase[] } = JSON.parse(readFileSync("test/reference/firth.json", "utf8"));
const TYPES: BiasReductionType[] = ["AS_mean", "MPL_Jeffreys"];

function firthProblem(c: FirthCase): GlmProblem {
  return {
    X: Float64Array.from(c.X_row_major), n: c.n, p: c.p, columnNames: c.column_names,
    hasIntercept: c.column_names[0] === "(Intercept)",
    y: Float64Array.from(c.y), weights: Float64Array.from(c.prior_weights),
    offset: c.offset ? Float64Array.from(c.offset) : null,
    trials: c.trials ? Float64Array.from(c.trials) : null, family: makeFamily(c.family, { link: c.link }),
  };
}

/** What a bias-reduced fit reports, as numbers. */
function firthNumbers(f: BiasReducedFit): number[] {
  return [
    ...f.coef, ...f.coefficients.flatMap((r) => [r.se ?? NaN, r.statistic ?? NaN]), ...f.covariance,
    ...f.eta, ...f.mu, ...f.workingWeights, ...f.hatValues, ...f.adjustedScore,
    f.dispersion, f.deviance, f.aic, f.logLik, f.halfLogDetInformation, f.iterations, f.stepLength, f.maxAbsAdjustedScore,
  ];
}

describe.skipIf(!wasmKernelsAvailable())("Firth, MAP and profiles: SIMD kernels = plain loops, bit for bit", () => {
  it("the fit's kernel set is the one GLMKIT_KERNELS asks for", () => {
    const X = new Float64Array(40).fill(1);
    expect(withKernels("wasm", () => fitKernels(X, 20, 2, null).k.kind)).toBe("wasm");
    expect(withKernels("ts", () => fitKernels(X, 20, 2, null).k.kind)).toBe("ts");
  });

  for (const c of firth.cases) {
    for (const type of TYPES) {
      it(`bias-reduced fit ${c.id} ${type}`, () => {
        const run = () => firthNumbers(fitBiasReduced(firthProblem(c), { type }));
        const ts = withKernels("ts", run), wasm = withKernels("wasm", run);
        expect(sameBits(ts, wasm), `ts ${ts.slice(0, 4)} wasm ${wasm.slice(0, 4)}`).toBe(true);
      });
    }
  }

  for (const c of mapFixture.map) {
    it(`MAP fit ${c.id}`, () => {
      const run = () => {
        const f = fitMap(mapProblemOf(c), priorsOf(c.priors));
        return [...f.theta, ...f.covariance, ...f.hessian, f.logPosterior, f.iterations, f.gradientMaxNorm, ...f.eta];
      };
      expect(sameBits(withKernels("ts", run), withKernels("wasm", run))).toBe(true);
    });
  }

  for (const c of fixture.firth_profile) {
    it(`penalised-profile intervals ${c.id}`, () => {
      const run = () => {
        const problem = glm({ formula: c.formula, data: readCsv(c.data), family: c.family }).resolved.problem;
        return penalizedProfileIntervals(fitBiasReduced(problem, { type: "MPL_Jeffreys" }), { level: 0.95 }).rows.flatMap((r) => [r.lower, r.upper]);
      };
      expect(sameBits(withKernels("ts", run), withKernels("wasm", run))).toBe(true);
    });
  }

  for (const c of fixture.profile) {
    it(`profile intervals (chord refits and damped scoring on the kernels) ${c.id}: bounds, evaluations`, () => {
      const run = () => {
        const set = profileIntervals(fitCase(c), { level: 0.8 });
        return [...set.rows.flatMap((r) => [r.lower, r.upper]), set.warnings.length];
      };
      expect(sameBits(withKernels("ts", run), withKernels("wasm", run))).toBe(true);
    });
  }

  it.skipIf(!sharedArenasAvailable())("a Firth fit with XᵀWX on 3 threads (shared WebAssembly memory) = the plain-loop one", () => {
    const p = 7;
    const n = Math.ceil(PARALLEL_MIN_ENTRIES / p) + 103;
    const X = sharedFloat64(n * p);
    const { y } = simulateGlm(X, n, p, 31, { intercept: 0.3, offsetSd: 0 });
    const problem: GlmProblem = {
      X, n, p, columnNames: columnNames(p), hasIntercept: true,
      y, weights: new Float64Array(n).fill(1), offset: null, trials: null, family: binomial(),
    };
    withThreads(3, () => {
      for (const k of ["ts", "wasm"] as const) expect(withKernels(k, () => fitKernels(X, n, p, null).parallel)).toBe(true);
      const run = () => firthNumbers(fitBiasReduced(problem, { type: "AS_mean" }));
      expect(sameBits(withKernels("ts", run), withKernels("wasm", run))).toBe(true);
    });
  });
});

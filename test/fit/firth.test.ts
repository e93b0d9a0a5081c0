/**
 * Firth-type bias reduction (src/fit/firth.ts) against brglm2 0.9, and its
 * properties:
 * - test/reference/firth.json (written by test/reference/firth.R): 23 designs ×
 *   {AS_mean, MPL_Jeffreys}, fitted by brglm2 with epsilon = 1e-14 (its default
 *   1e-6 leaves ~1e-7 error): estimates, SEs, z, p, dispersion, deviance, AIC and,
 *   for the Jeffreys form, the penalised log-likelihood that R evaluates with its
 *   own densities and textbook information (not brglm2's internals);
 * - canonical links with fixed dispersion: the two forms agree to 1e-10;
 *   otherwise they differ;
 * - complete and quasi-complete separation: finite estimates and SEs;
 * - the MPL_Jeffreys answer is a stationary point and a local maximum of
 *   ℓ + ½ log|I| (finite differences), also for families without a brglm2
 *   reference (negative binomial with θ given);
 * - Jeffreys invariance (fast-check): an affine change of the predictors
 *   x → a·x + b moves the coefficients as the reparametrisation says and leaves
 *   the fitted values alone;
 * - zero prior weights are the same as dropping the rows;
 * - bad input throws typed errors naming what is wrong.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { makeFamily } from "../../src/families/index.js";
import { fitBiasReduced, biasReductionLabel, type BiasReductionType, type BiasReducedFit } from "../../src/fit/firth.js";
import { fitMl, type GlmProblem } from "../../src/fit/ml-fit.js";
import { ArgumentError, DataError, FamilyError } from "../../src/errors.js";
import type { Family } from "../../src/types.js";

interface RefRow { name: string; estimate: number | null; se: number | null; statistic: number | null; p_value: number | null; aliased: boolean }
interface RefResult {
  R_call: string; coefficients: RefRow[]; dispersion: number | null; deviance: number; aic: number;
  iterations: number; brglm2_max_abs_grad_times_se: number; log_likelihood: number;
  half_log_det_information: number; penalised_log_likelihood: number; fitted_head: number[];
}
interface RefCase {
  id: string; family: string; link: string; n: number; p: number; column_names: string[];
  X_row_major: number[]; y: number[]; prior_weights: number[]; offset: number[] | null; trials: number[] | null;
  results: Record<BiasReductionType, RefResult>;
}
const fixture: { cases: RefCase[] } = JSON.parse(readFileSync("test/reference/firth.json", "utf8"));
const TYPES: BiasReductionType[] = ["AS_mean", "MPL_Jeffreys"];
const FC = { seed: 20240611, numRuns: 25 };

function problemOf(c: RefCase, family: Family = makeFamily(c.family, { link: c.link })): GlmProblem {
  return {
    X: Float64Array.from(c.X_row_major), n: c.n, p: c.p, columnNames: c.column_names,
    hasIntercept: c.column_names[0] === "(Intercept)",
    y: Float64Array.from(c.y), weights: Float64Array.from(c.prior_weights),
    offset: c.offset ? Float64Array.from(c.offset) : null,
    trials: c.trials ? Float64Array.from(c.trials) : null, family,
  };
}
const caseById = (id: string): RefCase => {
  const c = fixture.cases.find((k) => k.id === id);
  if (!c) throw new Error(`no fixture case ${id}`);
  return c;
};

/** |a − b| ≤ tol·|b|. */
function expectRel(actual: number, expected: number, tol: number, what: string): void {
  const err = Math.abs(actual - expected);
  expect(err, `${what}: ${actual} vs R ${expected}`).toBeLessThanOrEqual(tol * Math.abs(expected));
}

describe("agreement with brglm2 0.9 (tightly converged), both types", () => {
  it("covers the brief's data sets, families and links", () => {
    const ids = fixture.cases.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([
      "endometrial_logit", "separated_logit", "separated_probit", "birthwt_logit", "birthwt_probit", "birthwt_cloglog",
      "budworm_logit_cbind", "dobson_poisson_log", "dobson_poisson_identity", "warpbreaks_poisson_sqrt",
      "clotting_gamma_log", "clotting_gamma_inverse", "clotting_inverse_gaussian",
    ]));
    expect(new Set(fixture.cases.map((c) => c.family))).toEqual(new Set(["binomial", "poisson", "Gamma", "inverse.gaussian", "gaussian"]));
    // brglm2's own adjusted score, in standard errors, is at rounding level at its answers.
    for (const c of fixture.cases) for (const t of TYPES) expect(c.results[t].brglm2_max_abs_grad_times_se).toBeLessThan(1e-9);
  });

  for (const c of fixture.cases) {
    for (const type of TYPES) {
      it(`${c.id} ${type}`, () => {
        const ref = c.results[type];
        const fit = fitBiasReduced(problemOf(c), { type });
        expect(fit.converged).toBe(true);
        expect(fit.stepLength).toBeLessThan(1e-10);
        expect(fit.coefficients.map((r) => r.name)).toEqual(ref.coefficients.map((r) => r.name));
        ref.coefficients.forEach((r, j) => {
          const ours = fit.coefficients[j]!;
          expect(ours.aliased, r.name).toBe(r.aliased);
          if (r.aliased) {
            expect(ours.estimate).toBeNull();
            return;
          }
          // Relative 1e-6; plus 1e-9 SE for estimates that are zero in exact arithmetic
          // (dobson's treatment effects are ~1e-16 noise in R as here).
          const tolEst = 1e-6 * Math.abs(r.estimate!) + 1e-9 * r.se!;
          expect(Math.abs(ours.estimate! - r.estimate!), `${r.name} estimate ${ours.estimate} vs ${r.estimate}`).toBeLessThanOrEqual(tolEst);
          expectRel(ours.se!, r.se!, 1e-6, `${r.name} SE`);
          expect(Math.abs(ours.statistic! - r.statistic!), `${r.name} z`).toBeLessThanOrEqual(1e-6 * Math.abs(r.statistic!) + 1e-9);
          // p = 2Φ(−|z|): its relative error is ≈ z² × that of z; compare on the log scale.
          if (r.p_value! > 0) expect(Math.abs(Math.log(ours.p_value!) - Math.log(r.p_value!)), `${r.name} p`).toBeLessThanOrEqual(1e-6 * Math.max(1, -Math.log(r.p_value!)));
        });
        expectRel(fit.dispersion, ref.dispersion!, 1e-6, "dispersion");
        expectRel(fit.deviance, ref.deviance, 1e-6, "deviance");
        expectRel(fit.aic, ref.aic, 1e-6, "aic");
        ref.fitted_head.forEach((m, i) => expectRel(fit.mu[i]!, m, 1e-6, `fitted[${i}]`));
        expect(Math.abs(fit.logLik - ref.log_likelihood)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(ref.log_likelihood)));
        expect(Math.abs(fit.halfLogDetInformation - ref.half_log_det_information)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(ref.half_log_det_information)));
        if (type === "MPL_Jeffreys") {
          expect(fit.penalisedLogLik).not.toBeNull();
          expect(Math.abs(fit.penalisedLogLik! - ref.penalised_log_likelihood)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(ref.penalised_log_likelihood)));
        }
      });
    }
  }
});

describe("the two forms", () => {
  const canonicalFixed = fixture.cases.filter((c) => (c.family === "binomial" && c.link === "logit") || (c.family === "poisson" && c.link === "log"));
  it.each(canonicalFixed.map((c) => c.id))("%s: canonical link, fixed dispersion: AS_mean == MPL_Jeffreys to 1e-10", (id) => {
    const problem = problemOf(caseById(id));
    const a = fitBiasReduced(problem, { type: "AS_mean" });
    const j = fitBiasReduced(problem, { type: "MPL_Jeffreys" });
    expect(a.canonical && j.canonical).toBe(true);
    for (let k = 0; k < problem.p; k++) expect(Math.abs(a.coef[k]! - j.coef[k]!)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(j.coef[k]!)));
    expect(a.penalisedLogLik).not.toBeNull();
    expect(Math.abs(a.penalisedLogLik! - j.penalisedLogLik!)).toBeLessThan(1e-10 * Math.abs(j.penalisedLogLik!));
  });

  const differing = ["separated_probit", "birthwt_probit", "birthwt_cloglog", "dobson_poisson_identity", "clotting_gamma_log", "clotting_gamma_inverse", "mtcars_gaussian_identity"];
  it.each(differing)("%s: the forms differ (non-canonical link, or an estimated dispersion)", (id) => {
    const problem = problemOf(caseById(id));
    const a = fitBiasReduced(problem, { type: "AS_mean" });
    const j = fitBiasReduced(problem, { type: "MPL_Jeffreys" });
    expect(a.canonical).toBe(false);
    let maxDiff = Math.abs(a.dispersion - j.dispersion) / j.dispersion;
    for (let k = 0; k < problem.p; k++) maxDiff = Math.max(maxDiff, Math.abs(a.coef[k]! - j.coef[k]!) / j.coefficients[k]!.se!);
    expect(maxDiff).toBeGreaterThan(1e-5);
    expect(a.penalisedLogLik).toBeNull();
  });

  it("Gamma with its canonical (inverse) link: canonicalLink but not canonical, since φ is estimated", () => {
    const fit = fitBiasReduced(problemOf(caseById("clotting_gamma_inverse")), { type: "AS_mean" });
    expect(fit.canonicalLink).toBe(true);
    expect(fit.canonical).toBe(false);
  });

  it("labels say which form was fitted, and that they coincide for canonical links", () => {
    const logit = fitBiasReduced(problemOf(caseById("birthwt_logit")), { type: "AS_mean" });
    const probit = fitBiasReduced(problemOf(caseById("birthwt_probit")), { type: "MPL_Jeffreys" });
    expect(biasReductionLabel(logit)).toMatch(/AS_mean/);
    expect(biasReductionLabel(logit)).toMatch(/same as|equal/i);
    expect(biasReductionLabel(probit)).toMatch(/Jeffreys/);
    expect(biasReductionLabel(probit)).toMatch(/differ/i);
  });
});

describe("separation", () => {
  it.each([
    ["endometrial_logit", "AS_mean"], ["separated_logit", "AS_mean"], ["separated_probit", "AS_mean"], ["separated_probit", "MPL_Jeffreys"],
  ] as const)("%s %s: ML diverges, the bias-reduced estimates and SEs are finite", (id, type) => {
    const problem = problemOf(caseById(id));
    const ml = fitMl(problem);
    // ML heads for infinity: R stops with an SE in the thousands (endometrial NV: 1716; separated: ~1e5).
    const largestMlSe = Math.max(...ml.coefficients.map((r) => r.se!));
    expect(largestMlSe).toBeGreaterThan(1000);
    const fit = fitBiasReduced(problem, { type });
    expect(fit.converged).toBe(true);
    expect(fit.warnings).toEqual([]);
    for (const r of fit.coefficients) {
      expect(Number.isFinite(r.estimate!) && Number.isFinite(r.se!)).toBe(true);
      expect(Math.abs(r.estimate!)).toBeLessThan(50);
    }
    // The separating coefficient is finite and much smaller than the ML one.
    const largestMl = Math.max(...ml.coefficients.map((r) => Math.abs(r.estimate!)));
    const largestFirth = Math.max(...fit.coefficients.map((r) => Math.abs(r.estimate!)));
    expect(largestFirth).toBeLessThan(largestMl / 2);
    expect(Math.max(...fit.coefficients.map((r) => r.se!))).toBeLessThan(largestMlSe / 100);
  });
});

/** Fit at fixed (β, φ) without iterating: maxit 0 returns the quantities at the start values. */
function at(problem: GlmProblem, beta: ArrayLike<number>, phi: number | null, type: BiasReductionType = "MPL_Jeffreys"): BiasReducedFit {
  const start = phi === null ? Array.from(beta) : [...Array.from(beta), phi];
  return fitBiasReduced(problem, { type, maxit: 0, start });
}

describe("MPL_Jeffreys maximises ℓ + ½ log|I| (finite differences)", () => {
  const negbinProblem = (): GlmProblem => {
    const c = caseById("warpbreaks_poisson_sqrt");
    return problemOf(c, makeFamily("negbin", { theta: 7.5, link: "sqrt" }));
  };
  const cases: [string, () => GlmProblem][] = [
    ["birthwt_cloglog", () => problemOf(caseById("birthwt_cloglog"))],
    ["separated_probit", () => problemOf(caseById("separated_probit"))],
    ["dobson_poisson_identity", () => problemOf(caseById("dobson_poisson_identity"))],
    ["mtcars_gamma_log_weights", () => problemOf(caseById("mtcars_gamma_log_weights"))],
    ["trees_inverse_gaussian_log", () => problemOf(caseById("trees_inverse_gaussian_log"))],
    ["warpbreaks negative binomial(θ = 7.5) sqrt (no brglm2 reference)", negbinProblem],
    ["warpbreaks negative binomial(θ = 7.5) log (no brglm2 reference)", () => {
      const c = caseById("warpbreaks_poisson_sqrt");
      return problemOf(c, makeFamily("negbin", { theta: 7.5, link: "log" }));
    }],
  ];
  it.each(cases)("%s", (_name, make) => {
    const problem = make();
    const fit = fitBiasReduced(problem, { type: "MPL_Jeffreys" });
    expect(fit.converged).toBe(true);
    const phi = fit.dispersionEstimated ? fit.dispersion : null;
    const base = fit.penalisedLogLik!;
    expect(Math.abs(at(problem, fit.coef, phi).penalisedLogLik! - base)).toBeLessThan(1e-9 * Math.max(1, Math.abs(base)));
    const params = [...Array.from(fit.coef), ...(phi === null ? [] : [phi])];
    const ses = [...fit.coefficients.map((r) => r.se!), ...(phi === null ? [] : [fit.dispersionSe!])];
    const objective = (v: number[]) => at(problem, v.slice(0, problem.p), phi === null ? null : v[problem.p]!).penalisedLogLik!;
    const moved = (k: number, by: number) => {
      const v = params.slice();
      v[k] += by;
      return objective(v);
    };
    params.forEach((_, k) => {
      // Central difference in SE units with h = 1e-6 SE: truncation ~(h/SE_conditional)² and rounding
      // ~ε|f|·SE/h ≈ 1e-8 for |f| ~ 100, so a slope of 1e-6 SE⁻¹ would be a real departure from stationarity.
      const h = 1e-6 * ses[k]!;
      const slope = ((moved(k, h) - moved(k, -h)) / (2 * h)) * ses[k]!;
      expect(Math.abs(slope), `d/dθ${k} in SE units`).toBeLessThan(1e-6);
      // A local maximum along each axis (a 1e-2 SE move lowers f by ≳ 5e-5, far above rounding).
      expect(moved(k, 1e-2 * ses[k]!)).toBeLessThan(base);
      expect(moved(k, -1e-2 * ses[k]!)).toBeLessThan(base);
    });
    // The reported adjusted score is ~0 (in SE units).
    params.forEach((_, k) => {
      const g = k < problem.p ? fit.adjustedScore[k]! : fit.adjustedScoreDispersion!;
      expect(Math.abs(g * ses[k]!)).toBeLessThan(1e-9);
    });
  });
});

describe("Jeffreys invariance: affine reparametrisation of the predictors", () => {
  const designs = ["birthwt_probit", "clotting_gamma_log", "dobson_poisson_identity", "separated_logit"] as const;
  // Numeric columns only: a·x + b of a dummy column is still a valid reparametrisation.
  const reparam = fc.record({
    which: fc.constantFrom(...designs),
    type: fc.constantFrom<BiasReductionType>("MPL_Jeffreys", "AS_mean"),
    scales: fc.array(fc.double({ min: 0.2, max: 5, noNaN: true }), { minLength: 12, maxLength: 12 }),
    signs: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    shifts: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 12, maxLength: 12 }),
  });
  it("coefficients map as β′_j = β_j/a_j, β′₀ = β₀ − Σ β_j b_j/a_j; fitted values do not move", () => {
    const base = new Map(designs.map((id) => {
      const problem = problemOf(caseById(id));
      return [id, { problem, fits: new Map(TYPES.map((t) => [t, fitBiasReduced(problem, { type: t })])) }];
    }));
    fc.assert(
      fc.property(reparam, ({ which, type, scales, signs, shifts }) => {
        const { problem, fits } = base.get(which)!;
        // The intercept column stays; every other column becomes a·x + b. The column space is the
        // same, so the fit (and the positivity of identity-link Poisson means) is unchanged.
        const { n, p } = problem;
        const a = scales.slice(0, p).map((s, j) => (signs[j] ? s : -s));
        const b = shifts.slice(0, p);
        const X2 = new Float64Array(n * p);
        for (let i = 0; i < n; i++) {
          X2[i * p] = problem.X[i * p]!;
          for (let j = 1; j < p; j++) X2[i * p + j] = a[j]! * problem.X[i * p + j]! + b[j]!;
        }
        const fit0 = fits.get(type)!;
        const fit1 = fitBiasReduced({ ...problem, X: X2 }, { type });
        expect(fit1.converged).toBe(true);
        let shift = 0;
        for (let j = 1; j < p; j++) {
          const expected = fit0.coef[j]! / a[j]!;
          expect(Math.abs(fit1.coef[j]! - expected)).toBeLessThanOrEqual(1e-7 * (Math.abs(expected) + fit1.coefficients[j]!.se!));
          expectRel(fit1.coefficients[j]!.se!, fit0.coefficients[j]!.se! / Math.abs(a[j]!), 1e-6, `SE of column ${j}`);
          shift += (fit0.coef[j]! * b[j]!) / a[j]!;
        }
        const intercept = fit0.coef[0]! - shift;
        expect(Math.abs(fit1.coef[0]! - intercept)).toBeLessThanOrEqual(1e-7 * (Math.abs(intercept) + fit1.coefficients[0]!.se!));
        for (let i = 0; i < n; i++) expectRel(fit1.mu[i]!, fit0.mu[i]!, 1e-8, `fitted[${i}]`);
        expectRel(fit1.dispersion, fit0.dispersion, 1e-8, "dispersion");
      }),
      FC,
    );
  });
});

describe("prior weights", () => {
  it("rows with zero weight are the same as rows left out (fast-check)", () => {
    const c = caseById("birthwt_probit");
    const full = problemOf(c);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: c.n - 1 }), { minLength: 1, maxLength: 20 }), fc.constantFrom<BiasReductionType>(...TYPES), (drop, type) => {
        const dropped = new Set(drop);
        const w = Float64Array.from(full.weights);
        for (const i of dropped) w[i] = 0;
        const zeroed = fitBiasReduced({ ...full, weights: w }, { type });
        const keep = [...Array(c.n).keys()].filter((i) => !dropped.has(i));
        const sub: GlmProblem = {
          ...full, n: keep.length,
          X: Float64Array.from(keep.flatMap((i) => Array.from(full.X.subarray(i * c.p, (i + 1) * c.p)))),
          y: Float64Array.from(keep.map((i) => full.y[i]!)), weights: Float64Array.from(keep.map((i) => full.weights[i]!)),
          trials: full.trials ? Float64Array.from(keep.map((i) => full.trials![i]!)) : null,
        };
        const left = fitBiasReduced(sub, { type });
        expect(zeroed.nObs).toBe(keep.length);
        expect(zeroed.dfResidual).toBe(left.dfResidual);
        for (let j = 0; j < c.p; j++) {
          expect(Math.abs(zeroed.coef[j]! - left.coef[j]!)).toBeLessThanOrEqual(1e-8 * left.coefficients[j]!.se!);
          expectRel(zeroed.coefficients[j]!.se!, left.coefficients[j]!.se!, 1e-8, "SE");
        }
      }),
      { seed: FC.seed, numRuns: 15 },
    );
  });
});

describe("bad input", () => {
  const problem = () => problemOf(caseById("birthwt_logit"));
  it("quasi and Tweedie families have no likelihood: FamilyError naming the family", () => {
    expect(() => fitBiasReduced({ ...problem(), family: makeFamily("quasibinomial") }, { type: "AS_mean" })).toThrow(FamilyError);
    expect(() => fitBiasReduced({ ...problem(), family: makeFamily("quasibinomial") }, { type: "AS_mean" })).toThrow(/quasibinomial/);
    const c = caseById("clotting_gamma_log");
    expect(() => fitBiasReduced(problemOf(c, makeFamily("tweedie", { power: 1.5, link: "log" })), { type: "MPL_Jeffreys" })).toThrow(FamilyError);
  });
  it("an unknown type, or bad control values: ArgumentError naming the argument", () => {
    expect(() => fitBiasReduced(problem(), { type: "AS_median" as BiasReductionType })).toThrow(ArgumentError);
    expect(() => fitBiasReduced(problem(), { type: "AS_median" as BiasReductionType })).toThrow(/type/);
    expect(() => fitBiasReduced(problem(), { type: "AS_mean", maxit: -1 })).toThrow(/maxit/);
    expect(() => fitBiasReduced(problem(), { type: "AS_mean", epsilon: 0 })).toThrow(/epsilon/);
    expect(() => fitBiasReduced(problem(), { type: "AS_mean", start: [0, 1] })).toThrow(/start has length 2/);
    expect(() => fitBiasReduced(problem(), { type: "AS_mean", start: new Array(9).fill(Number.NaN) })).toThrow(/start\[0\]/);
  });
  it("non-finite data: DataError naming the row (and column)", () => {
    const p = problem();
    const y = Float64Array.from(p.y); y[4] = Number.NaN;
    expect(() => fitBiasReduced({ ...p, y }, { type: "AS_mean" })).toThrow(DataError);
    expect(() => fitBiasReduced({ ...p, y }, { type: "AS_mean" })).toThrow(/row 5/);
    const X = Float64Array.from(p.X); X[2 * p.p + 1] = Number.POSITIVE_INFINITY;
    expect(() => fitBiasReduced({ ...p, X }, { type: "AS_mean" })).toThrow(/"age".*row 3/);
    const w = Float64Array.from(p.weights); w[0] = -1;
    expect(() => fitBiasReduced({ ...p, weights: w }, { type: "AS_mean" })).toThrow(/weight in row 1/);
  });
  it("a response outside the family's support: the family's DataError", () => {
    const c = caseById("clotting_gamma_log");
    const p = problemOf(c);
    const y = Float64Array.from(p.y); y[2] = -1;
    expect(() => fitBiasReduced({ ...p, y }, { type: "AS_mean" })).toThrow(DataError);
  });
});

describe("examples/separation.ts", () => {
  it("prints ML (diverging NV) next to Firth (brglm2's numbers)", async () => {
    const { separationTable, formatSeparationTable } = await import("../../examples/separation.js");
    const table = separationTable();
    expect(table.names).toEqual(["(Intercept)", "NV", "PI", "EH"]);
    const [ml, firth, weak] = table.columns;
    expect(ml!.se[1]!).toBeGreaterThan(1000);
    expect(ml!.notes.some((n) => n.startsWith("separation detected"))).toBe(true);
    // the weakly informative MAP column is R's exact mode (test/reference/map.json)
    const mapRef = [3.8095906798138985, 3.03030258947455, -0.031906653596110564, -2.6588742025242467];
    const mapSe = [1.454359538838254, 1.5420080907562141, 0.039528724854903795, 0.7615137645481133];
    mapRef.forEach((v, j) => {
      expectRel(weak!.estimate[j]!, v, 1e-6, `MAP estimate ${j}`);
      expectRel(weak!.se[j]!, mapSe[j]!, 1e-6, `MAP SE ${j}`);
    });
    const ref = caseById("endometrial_logit").results.AS_mean.coefficients;
    ref.forEach((r, j) => {
      expectRel(firth!.estimate[j]!, r.estimate!, 1e-6, `${r.name} estimate`);
      expectRel(firth!.se[j]!, r.se!, 1e-6, `${r.name} SE`);
    });
    const text = formatSeparationTable(table);
    expect(text).toMatch(/NV/);
    expect(text).toMatch(/same as the Jeffreys-prior MAP/);
  });
});

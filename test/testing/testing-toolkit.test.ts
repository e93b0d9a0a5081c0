/**
 * Tests of glmkit/testing itself: every arbitrary delivers what its ground truth
 * claims (checked independently of the construction: y's distribution against
 * the family's moments, cond₂(X) by SVD, aliasing by R's pivoted QR in glm(),
 * separation by the LP, formula columns by the model frame and R, prior specs
 * by the parser), shrinking reaches small readable cases, and the property
 * helpers say yes and no where they must.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { Matrix, SingularValueDecomposition } from "ml-matrix";
import { glm } from "../../models/glm.js";
import { initSeparation, detectSeparationSync } from "../../src/separation.js";
import { modelFrame } from "../../src/formula/index.js";
import { parsePrior } from "../../src/priors/index.js";
import { PriorError, ArgumentError } from "../../src/errors.js";
import {
  SIMULATED_FAMILIES,
  familySimulation,
  simulateGlmData,
  coefficientsFromUnits,
  glmData,
  separableData,
  nearSeparableData,
  rareEvents,
  overdispersedCounts,
  collinearDesign,
  rankDeficientDesign,
  extremeScale,
  priorSpec,
  formulaSpec,
  formulaCase,
  FORMULA_PAIRS,
  RARE_EVENT_SHARE,
  SEPARATION_MARGIN,
  mleDiverges,
  isFiniteEstimate,
  scoreIsZero,
  approximatelyEqualFits,
  intervalsNest,
  coverageWithin,
  assertVerdict,
  PropertyViolation,
  propertyParameters,
  runScale,
  simulationRng,
  type SimulatedFamily,
} from "../../testing/index.js";

await initSeparation();

const P = (runs: number, seed: number) => propertyParameters(runs, seed);

/** Standardised residuals zᵢ = (yᵢ − μᵢ)/√(φ V(μᵢ)/wᵢ) of the true model. */
function standardized(family: SimulatedFamily, n: number, seed: number) {
  const sim = familySimulation(family);
  const link = sim.defaultLink;
  const d = simulateGlmData({
    family, link, n, p: 2, intercept: true, covariates: "uniform",
    coefficients: coefficientsFromUnits(family, link, [0.5, 1], true), seed,
  });
  const phi = d.truth.dispersion!;
  const z = Array.from(d.y, (y, i) => {
    const mu = d.truth.mu![i]!;
    const w = d.weights ? d.weights[i]! : 1;
    return (y - mu) / Math.sqrt((phi * d.family.variance(mu)) / w);
  });
  return { d, z };
}

function meanSd(x: number[]): { mean: number; sd: number } {
  const m = x.reduce((s, v) => s + v, 0) / x.length;
  const v = x.reduce((s, u) => s + (u - m) * (u - m), 0) / (x.length - 1);
  return { mean: m, sd: Math.sqrt(v) };
}

describe("glmData: y is drawn from the true model", () => {
  for (const family of SIMULATED_FAMILIES) {
    it(`${family}: E[z] = 0 and E[z²] = 1 for z = (y − μ)/√(φV(μ)/w), within 5 Monte Carlo SEs (n = 20000)`, () => {
      const n = 20000;
      const { d, z } = standardized(family, n, 20240601);
      // Support of y.
      expect(() => d.family.checkY(d.y, d.weights ?? new Float64Array(n).fill(1))).not.toThrow();
      // Mean: SE of the mean of z is sd(z)/√n.
      const { mean, sd } = meanSd(z);
      expect(Math.abs(mean)).toBeLessThan((5 * sd) / Math.sqrt(n));
      // Second moment: SE of mean(z²) is sd(z²)/√n.
      const z2 = z.map((v) => v * v);
      const m2 = meanSd(z2);
      expect(Math.abs(m2.mean - 1)).toBeLessThan((5 * m2.sd) / Math.sqrt(n));
    });
  }

  it("truth is consistent: μ = g⁻¹(Xβ), dimensions, and glm() accepts the spec, for every family and link", () => {
    fc.assert(
      fc.property(glmData({ link: "any", n: { min: 20, max: 60 } }), (d) => {
        expect(d.X.length).toBe(d.n * d.p);
        expect(d.y.length).toBe(d.n);
        for (let i = 0; i < d.n; i++) {
          let eta = 0;
          for (let j = 0; j < d.p; j++) eta += d.X[i * d.p + j]! * d.truth.coefficients![j]!;
          expect(d.truth.eta![i]).toBeCloseTo(eta, 12);
          expect(d.truth.mu![i]).toBe(d.family.link.linkinv(d.truth.eta![i]!));
          expect(d.family.validMu(d.truth.mu![i]!)).toBe(true);
        }
        // Started at the truth: identity links may have no valid default start (R: "please supply starting values").
        const fit = glm(d.spec).fit({ start: d.truth.coefficients });
        expect(fit.coefficients.length).toBe(d.p);
        return true;
      }),
      P(40, 101),
    );
  });

  it("is reproducible from its seed", () => {
    const [a] = fc.sample(glmData({ family: "Gamma" }), { numRuns: 1, seed: 7 });
    const [b] = fc.sample(glmData({ family: "Gamma" }), { numRuns: 1, seed: 7 });
    expect(Array.from(a!.y)).toEqual(Array.from(b!.y));
    expect(String(a)).toBe(String(b));
  });

  it("shrinks a failing property to the smallest n and p and the intercept-only truth", () => {
    const out = fc.check(
      fc.property(glmData({ family: "poisson", n: { min: 10, max: 200 }, p: { min: 1, max: 4 } }), (d) => d.n < 60),
      { seed: 3, numRuns: 200 },
    );
    expect(out.failed).toBe(true);
    const cx = out.counterexample![0];
    expect(cx.n).toBe(60);
    expect(cx.p).toBe(1);
    expect(cx.truth.coefficients![0]).toBeCloseTo(Math.log(Math.sqrt(20)), 12); // centre of log μ ∈ [1, 20]
    expect(String(cx)).toMatch(/^glmData\(poisson\/log, n=60, p=1, β=\[1\.498\], seed=\d+\)$/);
  });

  it("a failing fc.assert prints the seed, the path and the one-line summary", () => {
    let message = "";
    try {
      fc.assert(fc.property(glmData({ family: "binomial", n: 30, p: 2 }), () => false), { seed: 99, numRuns: 5 });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/seed: 99, path: "[0-9:]+"/);
    expect(message).toMatch(/glmData\(binomial\/logit, n=30, p=2, β=\[.*\], seed=\d+\)/);
  });

  it("refuses bad options with typed errors naming the argument", () => {
    expect(() => glmData({ family: "weibull" as SimulatedFamily })).toThrow(/family "weibull"/);
    expect(() => glmData({ family: "poisson", link: "probit" })).toThrow(/link .*probit.* poisson/);
    expect(() => glmData({ n: { min: 5, max: 2 } })).toThrow(ArgumentError);
    expect(() => glmData({ family: "Gamma", link: "identity", intercept: false })).toThrow(/intercept: false/);
    expect(() =>
      simulateGlmData({ family: "poisson", link: "identity", n: 5, p: 1, intercept: true, covariates: "normal", coefficients: [-1], seed: 1 }),
    ).toThrow(/row 1/);
  });
});

describe("separableData and nearSeparableData", () => {
  it("complete: every margin sᵢxᵢᵀd is ≥ the margin, both classes occur, the LP finds separation", () => {
    fc.assert(
      fc.property(separableData({ kind: "complete" }), (d) => {
        const t = d.truth;
        let dsNorm = 0;
        for (let j = 1; j < d.p; j++) dsNorm += t.direction[j]! ** 2;
        for (const m of t.margins) expect(m).toBeGreaterThanOrEqual(SEPARATION_MARGIN * Math.sqrt(dsNorm) * (1 - 1e-9));
        const ones = d.y.reduce((s, v) => s + v, 0);
        expect(ones).toBeGreaterThan(0);
        expect(ones).toBeLessThan(d.n);
        const lp = detectSeparationSync({ X: d.X, n: d.n, p: d.p, columnNames: d.columnNames, y: d.y });
        expect(lp.separation).toBe(true);
        return true;
      }),
      P(25, 202),
    );
  });

  it("quasi-complete: margins ≥ 0, zero exactly on the b = 0 rows, overlap pairs are identical rows with y = 0 and 1, and the LP marks exactly b infinite", () => {
    fc.assert(
      fc.property(separableData({ kind: "quasi-complete" }), (d) => {
        const t = d.truth;
        const b = t.direction.findIndex((v) => v !== 0);
        for (let i = 0; i < d.n; i++) {
          expect(t.margins[i]).toBeGreaterThanOrEqual(0);
          expect(t.margins[i]! === 0).toBe(d.X[i * d.p + b] === 0);
        }
        for (let k = 0; k < t.overlapRows.length; k += 2) {
          const [r0, r1] = [t.overlapRows[k]!, t.overlapRows[k + 1]!];
          expect(Array.from(d.X.subarray(r0 * d.p, r0 * d.p + d.p))).toEqual(Array.from(d.X.subarray(r1 * d.p, r1 * d.p + d.p)));
          expect(d.y[r0]! + d.y[r1]!).toBe(1);
        }
        const lp = detectSeparationSync({ X: d.X, n: d.n, p: d.p, columnNames: d.columnNames, y: d.y }, { refine: true });
        expect(lp.separation).toBe(true);
        expect(lp.infinite).toEqual(t.infinite);
        return true;
      }),
      P(25, 203),
    );
  });

  it("near separation: the LP finds no separation (the MLE exists) and the fit converges", () => {
    fc.assert(
      fc.property(nearSeparableData(), (d) => {
        const lp = detectSeparationSync({ X: d.X, n: d.n, p: d.p, columnNames: d.columnNames, y: d.y });
        expect(lp.separation).toBe(false);
        expect(d.truth.mleExists).toBe(true);
        const fit = glm(d.spec).fit({ maxit: 200 });
        expect(fit.converged).toBe(true);
        return true;
      }),
      P(20, 204),
    );
  });
});

describe("rareEvents and overdispersedCounts", () => {
  it("rare events: 1 ≤ events ≤ 2% of n, and truth.events counts them", () => {
    fc.assert(
      fc.property(rareEvents(), (d) => {
        const events = d.y.reduce((s, v) => s + v, 0);
        expect(events).toBe(d.truth.events);
        expect(events).toBeGreaterThanOrEqual(1);
        expect(events).toBeLessThanOrEqual(RARE_EVENT_SHARE * d.n);
        expect(d.truth.baseRate).toBeLessThanOrEqual(0.015);
        return true;
      }),
      P(15, 301),
    );
  });

  it("overdispersed counts: E[(y − μ)² − μ − μ²/θ] = 0 within 5 Monte Carlo SEs (n = 20000), fitted as Poisson", () => {
    for (const theta of [0.5, 2]) {
      const [d] = fc.sample(overdispersedCounts({ n: 20000, p: 2, theta: [theta] }), { numRuns: 1, seed: 11 });
      expect(d!.family.name).toBe("poisson");
      const r = Array.from(d!.y, (y, i) => {
        const mu = d!.truth.mu![i]!;
        return ((y - mu) ** 2 - mu - (mu * mu) / theta) / (mu + (mu * mu) / theta);
      });
      const { mean, sd } = meanSd(r);
      expect(Math.abs(mean)).toBeLessThan((5 * sd) / Math.sqrt(r.length));
    }
  });
});

describe("design arbitraries", () => {
  it("collinearDesign: cond₂(X) by SVD equals the truth's κ (1e-6 relative), the intercept column is all ones", () => {
    fc.assert(
      fc.property(collinearDesign(), (d) => {
        const rows = Array.from({ length: d.n }, (_, i) => Array.from(d.X.subarray(i * d.p, i * d.p + d.p)));
        const sv = new SingularValueDecomposition(new Matrix(rows), { computeLeftSingularVectors: false, computeRightSingularVectors: false }).diagonal;
        const kappa = Math.max(...sv) / Math.min(...sv);
        expect(Math.abs(kappa / d.truth.conditionNumber - 1)).toBeLessThan(1e-6);
        for (let i = 0; i < d.n; i++) expect(d.X[i * d.p]).toBe(1);
        return true;
      }),
      P(25, 401),
    );
  });

  it("rankDeficientDesign: glm()'s pivoted QR aliases exactly the truth's columns", () => {
    fc.assert(
      fc.property(rankDeficientDesign(), (d) => {
        const fit = glm(d.spec).fit({ separation: "never" });
        const aliased = d.columnNames.filter((_, j) => fit.ml.irls.aliased[j] === 1);
        expect(aliased).toEqual(d.truth.aliased);
        expect(fit.ml.irls.rank).toBe(d.truth.rank);
        return true;
      }),
      P(40, 402),
    );
  });

  it("extremeScale: column j divided by its scale has sd within [0.5, 2], and β·scale is the standardised truth", () => {
    fc.assert(
      fc.property(extremeScale({ n: { min: 100, max: 200 } }), (d) => {
        for (let j = 1; j < d.p; j++) {
          const col = Array.from({ length: d.n }, (_, i) => d.X[i * d.p + j]! / d.truth.columnScales[j]!);
          const { sd } = meanSd(col);
          expect(sd).toBeGreaterThan(0.5);
          expect(sd).toBeLessThan(2);
          expect(d.truth.coefficients![j]! * d.truth.columnScales[j]!).toBeCloseTo(d.truth.standardizedCoefficients[j]!, 12);
        }
        return true;
      }),
      P(25, 403),
    );
  });
});

describe("front-end arbitraries", () => {
  it("priorSpec: every valid spec parses to its kind and parameters", () => {
    fc.assert(
      fc.property(priorSpec(), (c) => {
        const prior = parsePrior(c.text);
        expect(prior.kind).toBe(c.kind);
        expect({ ...prior.params }).toEqual(c.params);
        return true;
      }),
      P(200, 501),
    );
  });

  it("priorSpec({ valid: false }): every invalid spec is refused with a PriorError quoting it", () => {
    fc.assert(
      fc.property(priorSpec({ valid: false }), (c) => {
        let err: unknown = null;
        try {
          parsePrior(c.text);
        } catch (e) {
          err = e;
        }
        expect(err, `${c.text} (${c.reason}) was accepted`).toBeInstanceOf(PriorError);
        if (c.text.trim() !== "") expect((err as Error).message).toContain(c.text.trim().split("(")[0]!);
        return true;
      }),
      P(200, 502),
    );
  });

  it("formulaSpec: the model frame builds exactly the columns the truth names", () => {
    fc.assert(
      fc.property(formulaSpec(), (c) => {
        const frame = modelFrame(c.formula, c.data);
        expect(frame.columnNames).toEqual(c.columnNames);
        return true;
      }),
      P(150, 503),
    );
  });

  it("formulaCase renders and names all 256 fixture formulas exactly as R's model.matrix (test/reference/testing-formulas.R)", () => {
    const fixture = JSON.parse(readFileSync(new URL("../reference/testing-formulas.json", import.meta.url), "utf8")) as {
      cases: { mains: number[]; pairs: boolean; noIntercept: boolean; formula: string; columns: string[] }[];
    };
    expect(fixture.cases.length).toBe(256);
    for (const c of fixture.cases) {
      const mine = formulaCase({ n: 12, mains: c.mains, pairs: c.pairs ? FORMULA_PAIRS : [], noIntercept: c.noIntercept, star: true, sp: " ", seed: 1 });
      expect(mine.formula).toBe(c.formula);
      expect(mine.columnNames, c.formula).toEqual(c.columns);
    }
  });
});

describe("property helpers say yes and no where they must", () => {
  const [sep] = fc.sample(separableData({ kind: "complete", n: 30, p: 2 }), { numRuns: 1, seed: 5 });
  const [ok] = fc.sample(glmData({ family: "binomial", n: 400, p: 3 }), { numRuns: 1, seed: 5 });

  it("mleDiverges: yes along the separating direction, no on data with a finite MLE", () => {
    const v = mleDiverges(glm(sep!.spec).fit(), sep!.truth.direction, { expectLimitZero: true });
    expect(v.ok, v.reason).toBe(true);
    const fit = glm(ok!.spec).fit();
    const w = mleDiverges(fit, [0, 1, 0]);
    expect(w.ok).toBe(false);
    expect(w.evidence.risesAtFirstStep).toBe(false);
    expect(w.evidence.keepsMoving).toBe(false);
    expect(() => mleDiverges(glm({ ...ok!.spec, family: "gaussian" }).fit(), [0, 1, 0])).toThrow(/binomial, Poisson or negative binomial/);
    expect(() => mleDiverges(fit, [0, 1])).toThrow(/direction has length 2/);
  });

  it("scoreIsZero: yes at the MLE, no one SE away from it", () => {
    const fit = glm(ok!.spec).fit({ epsilon: 1e-12 });
    expect(scoreIsZero(fit, 1e-6).ok).toBe(true);
    const moved = { problem: fit.ml.problem, coef: fit.ml.coef.map((b, j) => b + Math.sqrt(fit.vcov()[j * 3 + j]!)) };
    const v = scoreIsZero(moved, 1e-6);
    expect(v.ok).toBe(false);
    expect(v.evidence.newtonDecrement).toBeGreaterThan(0.5);
  });

  it("isFiniteEstimate: no for NaN or an SE above the bound, yes otherwise", () => {
    const fit = glm(ok!.spec).fit();
    expect(isFiniteEstimate(fit).ok).toBe(true);
    const bad = { problem: fit.ml.problem, coef: Float64Array.from([1, Number.NaN, 2]), aliased: new Uint8Array(3), covariance: fit.vcov() };
    const v = isFiniteEstimate(bad);
    expect(v.ok).toBe(false);
    expect(v.evidence.offending).toHaveProperty("x1");
    expect(isFiniteEstimate(glm(sep!.spec).fit(), { maxSe: 100 }).ok).toBe(false);
  });

  it("approximatelyEqualFits, intervalsNest and coverageWithin decide on the numbers given", () => {
    const fit = glm(ok!.spec).fit();
    expect(approximatelyEqualFits(fit, fit, 0).ok).toBe(true);
    const shifted = { problem: fit.ml.problem, coef: fit.ml.coef.map((b, j) => (j === 2 ? b + 0.01 : b)) };
    const v = approximatelyEqualFits(shifted, fit, 1e-3);
    expect(v.ok).toBe(false);
    expect(v.evidence.worst).toBe("x2");
    expect(intervalsNest([{ lower: -1, upper: 1 }], [{ lower: -2, upper: 2 }]).ok).toBe(true);
    expect(intervalsNest([{ lower: -1, upper: 3, name: "b" }], [{ lower: -2, upper: 2, name: "b" }]).evidence.violations[0]!.name).toBe("b");
    expect(() => intervalsNest([{ lower: 1, upper: 0 }], [{ lower: 0, upper: 1 }])).toThrow(/inner interval/);
    expect(coverageWithin({ covered: 93, trials: 100, nominal: 0.95 }).ok).toBe(true); // z = −0.92
    expect(coverageWithin({ covered: 85, trials: 100, nominal: 0.95 }).ok).toBe(false); // z = −4.59
    expect(coverageWithin({ covered: 85, trials: 100, nominal: 0.95 }).evidence.z).toBeCloseTo(-0.1 / Math.sqrt(0.0475 / 100), 12);
  });

  it("assertVerdict throws a PropertyViolation carrying the reason and the evidence", () => {
    const v = coverageWithin({ covered: 50, trials: 100, nominal: 0.95 });
    expect(() => assertVerdict(v)).toThrow(PropertyViolation);
    expect(() => assertVerdict(v)).toThrow(/evidence: \{"covered":50/);
  });

  it("propertyParameters scales runs by FC_RUNS and replays FC_SEED / FC_PATH", () => {
    expect(propertyParameters(20, 7, {})).toEqual({ numRuns: 20, seed: 7 });
    expect(propertyParameters(20, 7, { FC_RUNS: "10" })).toEqual({ numRuns: 200, seed: 7 });
    expect(propertyParameters(3, 7, { FC_RUNS: "0.5", FC_SEED: "-12", FC_PATH: "4:1" })).toEqual({ numRuns: 2, seed: -12, path: "4:1" });
    expect(() => runScale({ FC_RUNS: "many" })).toThrow(/FC_RUNS/);
  });

  it("simulationRng: the inverse Gaussian and Tweedie draws have their distribution's mean and variance (n = 40000, 5 MC SEs)", () => {
    const rng = simulationRng(31);
    const N = 40000;
    for (const [draw, mean, variance] of [
      [() => rng.inverseGaussian(2, 3), 2, 8 / 3],
      [() => rng.tweedie(3, 1.5, 1.4), 3, 1.5 * Math.pow(3, 1.4)],
    ] as const) {
      const x = Array.from({ length: N }, draw);
      const m = meanSd(x);
      expect(Math.abs(m.mean - mean)).toBeLessThan((5 * m.sd) / Math.sqrt(N));
      const sq = x.map((v) => (v - mean) ** 2);
      const s = meanSd(sq);
      expect(Math.abs(s.mean - variance)).toBeLessThan((5 * s.sd) / Math.sqrt(N));
    }
  });
});

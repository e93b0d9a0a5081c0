/**
 * Profile-likelihood and Wald intervals of ML fits against R (test/reference/intervals.R):
 * exact profile roots found in R by uniroot on glm refits with the coefficient in the
 * offset, MASS::confint (spline through a grid) and confint.default.
 *
 * Tolerance: 1e-6 × max(|bound|, SE) — the project's 1e-6, made relative to the SE
 * for bounds near zero. Our roots are solved to ~1e-12, so the test has three orders
 * of magnitude to spare; the MASS comparison shows that interpolating a grid does not.
 */
import { describe, it, expect } from "vitest";
import { fixture, fitCase, pair, within } from "./fixture.js";
import { profileIntervals, CoefficientProfile, referenceDeviance } from "../../src/intervals/profile.js";
import { waldIntervals } from "../../src/intervals/wald.js";
import { EXP_TRANSFORM } from "../../src/intervals/transform.js";
import { ArgumentError } from "../../src/errors.js";
import { fitMl, type MlFit } from "../../src/fit/ml-fit.js";
import { dropColumns } from "../../src/intervals/hypothesis-tests.js";
import { glm } from "../../models/glm.js";
import { readCsv } from "../../src/data/index.js";

const TOL = 1e-6;
const fits = new Map<string, MlFit>();
const fitOf = (id: string): MlFit => {
  const c = fixture.profile.find((x) => x.id === id)!;
  if (!fits.has(id)) fits.set(id, fitCase(c));
  return fits.get(id)!;
};

/** Largest |ours − exact| / SE over both bounds of every coefficient (finite exact bounds only). */
function distanceInSe(rows: { lower: number; upper: number }[], exact: [number, number][], se: number[]): number {
  let worst = 0;
  rows.forEach((r, j) => {
    const [lo, hi] = exact[j]!;
    if (Number.isFinite(lo)) worst = Math.max(worst, Math.abs(r.lower - lo) / se[j]!);
    if (Number.isFinite(hi)) worst = Math.max(worst, Math.abs(r.upper - hi) / se[j]!);
  });
  return worst;
}

describe("profile intervals reproduce the exact profile roots computed in R", () => {
  it("covers at least 6 fits across families, with estimated-dispersion ones", () => {
    expect(fixture.profile.length).toBeGreaterThanOrEqual(6);
    expect(new Set(fixture.profile.map((c) => c.family)).size).toBeGreaterThanOrEqual(5);
    expect(fixture.profile.filter((c) => c.dispersion_estimated).length).toBeGreaterThanOrEqual(3);
  });

  for (const c of fixture.profile) {
    for (const level of [0.95, 0.8] as const) {
      it(`${c.id} (${c.family}, ${c.link}) at level ${level}`, () => {
        const fit = fitOf(c.id);
        expect(fit.dispersionEstimated).toBe(c.dispersion_estimated);
        expect(within(fit.dispersion, c.dispersion, 1e-8, 0)).toBe(true);
        const set = profileIntervals(fit, { level });
        expect(set.cutoff.distribution).toBe("normal");
        set.rows.forEach((r, j) => {
          const ref = c.coefficients[j]!;
          expect(r.name).toBe(ref.name);
          const [lo, hi] = pair(level === 0.95 ? ref["exact_0.95"] : ref["exact_0.8"]);
          expect(within(r.lower, lo, TOL, ref.se), `${ref.name} lower: ${r.lower} vs R ${lo}`).toBe(true);
          expect(within(r.upper, hi, TOL, ref.se), `${ref.name} upper: ${r.upper} vs R ${hi}`).toBe(true);
          expect(r.lower).toBeLessThan(r.estimate);
          expect(r.upper).toBeGreaterThan(r.estimate);
        });
      });
    }
    if (c.dispersion_estimated) {
      it(`${c.id}: the t cutoff on df.residual (cutoff: "t")`, () => {
        const fit = fitOf(c.id);
        const set = profileIntervals(fit, { level: 0.95, cutoff: "t" });
        expect(set.cutoff).toMatchObject({ distribution: "t", df: c.df_residual });
        set.rows.forEach((r, j) => {
          const ref = c.coefficients[j]!;
          const [lo, hi] = pair(ref["exact_t_0.95"]!);
          expect(within(r.lower, lo, TOL, ref.se), `${ref.name} lower`).toBe(true);
          expect(within(r.upper, hi, TOL, ref.se), `${ref.name} upper`).toBe(true);
        });
      });
    }
  }

  it("gaussian identity with the t cutoff is exactly confint(lm(...))", () => {
    const c = fixture.profile.find((x) => x.id === "mtcars_gaussian")!;
    const set = profileIntervals(fitOf(c.id), { cutoff: "t" });
    set.rows.forEach((r, j) => {
      expect(within(r.lower, c.confint_lm![j]![0]!, TOL, c.coefficients[j]!.se)).toBe(true);
      expect(within(r.upper, c.confint_lm![j]![1]!, TOL, c.coefficients[j]!.se)).toBe(true);
    });
  });

  it("is closer to the exact roots than MASS::confint's grid interpolation, on every fit where they differ", () => {
    let compared = 0;
    for (const c of fixture.profile) {
      if (!c.coefficients[0]!.mass_confint) continue; // fixed-θ negative binomial: MASS scales by another dispersion
      if (c.family === "gaussian" && c.link === "identity") continue; // the profile is exactly quadratic: the spline is exact too
      const fit = fitOf(c.id);
      const ours = profileIntervals(fit).rows;
      const exact = c.coefficients.map((r) => pair(r["exact_0.95"]));
      const se = c.coefficients.map((r) => r.se);
      const mass = c.coefficients.map((r) => ({ lower: r.mass_confint![0]!, upper: r.mass_confint![1]! }));
      const dOurs = distanceInSe(ours, exact, se);
      const dMass = distanceInSe(mass, exact, se);
      expect(dOurs, `${c.id}: ours ${dOurs.toExponential(2)} SE, MASS ${dMass.toExponential(2)} SE`).toBeLessThan(dMass / 100);
      expect(dMass).toBeGreaterThan(1e-6);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(6);
  });
});

describe("separation: a bound that does not exist is ±Infinity", () => {
  const c = fixture.profile.find((x) => x.id === "endometrial_logit_separated")!;
  it("endometrial NV: finite lower bound, upper bound +Infinity with a warning", () => {
    const set = profileIntervals(fitOf(c.id), { which: ["NV"] });
    const [lo, hi] = pair(c.coefficients[1]!["exact_0.95"]);
    expect(hi).toBe(Infinity);
    expect(set.rows[0]!.upper).toBe(Infinity);
    expect(within(set.rows[0]!.lower, lo, TOL, 1)).toBe(true);
    expect(set.warnings.join(" ")).toMatch(/upper profile bound of NV does not exist/);
  });
  it("the profile stays below the cutoff where R found it levelled off", () => {
    const fit = fitOf(c.id);
    const prof = new CoefficientProfile(fit, "NV", referenceDeviance(fit));
    const ref = c.coefficients[1]!;
    ref.asymptote_steps!.forEach((b, k) => {
      const z = prof.at(b).z;
      expect(z).toBeLessThan(1.959963984540054);
      expect(Math.abs(z - ref.asymptote![k]!)).toBeLessThan(1e-3);
    });
  });
  it("odds-ratio scale: the unbounded end stays +Infinity, the finite end is exp of the β bound", () => {
    const set = profileIntervals(fitOf(c.id), { which: ["NV"], transform: EXP_TRANSFORM });
    const [lo] = pair(c.coefficients[1]!["exact_0.95"]);
    expect(set.rows[0]!.upper).toBe(Infinity);
    expect(within(set.rows[0]!.lower, Math.exp(lo), 1e-8, 0)).toBe(true);
  });
});

describe("Wald intervals against confint.default and coef ± qt·SE", () => {
  for (const c of fixture.profile) {
    it(c.id, () => {
      const fit = fitOf(c.id);
      const normal = waldIntervals(fit, { quantile: "normal" });
      const auto = waldIntervals(fit);
      normal.rows.forEach((r, j) => {
        const ref = c.coefficients[j]!;
        if (c.id === "endometrial_logit_separated" && ref.name === "NV") return; // the separated estimate depends on the iteration path (see glm.R notes)
        expect(within(r.lower, ref.confint_default[0]!, TOL, ref.se), `${ref.name} lower`).toBe(true);
        expect(within(r.upper, ref.confint_default[1]!, TOL, ref.se), `${ref.name} upper`).toBe(true);
        const wt = ref.wald_t ?? ref.confint_default;
        expect(within(auto.rows[j]!.lower, wt[0]!, TOL, ref.se)).toBe(true);
        expect(within(auto.rows[j]!.upper, wt[1]!, TOL, ref.se)).toBe(true);
      });
      expect(auto.cutoff.distribution).toBe(c.dispersion_estimated ? "t" : "normal");
    });
  }
});

describe("speed", () => {
  it("profiles all 9 coefficients of the birthwt logistic fit in well under a second", () => {
    const fit = fitOf("birthwt_logit");
    profileIntervals(fit); // warm up the JIT
    const t0 = performance.now();
    const set = profileIntervals(fit);
    const ms = performance.now() - t0;
    expect(set.rows).toHaveLength(9);
    expect(ms).toBeLessThan(500);
  });
  it("needs only a few refits per bound (Newton on the exact slope, not a grid)", () => {
    const fit = fitOf("birthwt_logit");
    const d0 = referenceDeviance(fit);
    for (let j = 0; j < fit.problem.p; j++) {
      const prof = new CoefficientProfile(fit, j, d0);
      prof.bound(-1, 1.959963984540054);
      prof.bound(1, 1.959963984540054);
      expect(prof.evaluations).toBeLessThanOrEqual(16);
    }
  });
});

describe("bad input", () => {
  const fit = () => fitOf("clotting_gamma_log");
  it("level outside (0, 1) throws an ArgumentError naming level", () => {
    for (const level of [0, 1, 1.5, -0.2, Number.NaN]) expect(() => profileIntervals(fit(), { level })).toThrow(/level must be a number strictly between 0 and 1/);
    expect(() => waldIntervals(fit(), { level: 2 })).toThrow(ArgumentError);
  });
  it("unknown coefficients and indices are named", () => {
    expect(() => profileIntervals(fit(), { which: ["nope"] })).toThrow(/which names "nope"/);
    expect(() => profileIntervals(fit(), { which: [7] })).toThrow(/which has index 7/);
  });
  it("unknown cutoff and quantile kinds are refused", () => {
    expect(() => profileIntervals(fit(), { cutoff: "f" as never })).toThrow(/cutoff must be/);
    expect(() => waldIntervals(fit(), { quantile: "x" as never })).toThrow(/quantile must be/);
  });
});

describe("complete separation (data/separated.csv: y = 1 exactly when x > 4.5)", () => {
  // R's refits cannot follow this profile far out (every IRLS start stalls), so there is no
  // R fixture; the unbounded ends follow from the geometry, and the finite ends are checked
  // by independent refits with the coefficient in the offset.
  const problem = glm({ formula: "y ~ x + z", data: readCsv("data/separated.csv"), family: "binomial" }).resolved.problem;
  const fit = fitMl(problem);
  const set = profileIntervals(fit);
  const [b0, bx, bz] = set.rows;
  it("the ends that separation makes unbounded are ±Infinity", () => {
    // Fixing x at any b > 0 still separates with the intercept at −4.5b, so D(b) → 0 as b → ∞;
    // letting the intercept → −∞ with x = −intercept/4.5 separates too; z never matters.
    expect(bx!.upper).toBe(Infinity);
    expect(b0!.lower).toBe(-Infinity);
    expect([bz!.lower, bz!.upper]).toEqual([-Infinity, Infinity]);
    expect(Number.isFinite(bx!.lower) && Number.isFinite(b0!.upper)).toBe(true);
    expect(set.warnings.filter((w) => /does not exist/.test(w))).toHaveLength(4);
  });
  it("at each finite end an independent refit gives z = ±Φ⁻¹(0.975)", () => {
    const q = 1.959963984540054;
    for (const [j, b, sign] of [[1, bx!.lower, -1], [0, b0!.upper, 1]] as const) {
      const reduced = dropColumns(problem, [j]);
      const offset = Float64Array.from({ length: problem.n }, (_, i) => b * problem.X[i * problem.p + j]!);
      const refit = fitMl({ ...reduced, offset }, { epsilon: 1e-13, maxit: 100 });
      expect(refit.irls.converged).toBe(true);
      const z = sign * Math.sqrt(refit.deviance - referenceDeviance(fit));
      expect(Math.abs(z - sign * q)).toBeLessThan(1e-8);
    }
  });
});

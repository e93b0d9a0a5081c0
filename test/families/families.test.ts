/**
 * Families against R 4.2 / MASS / statmod (fixture written by test/reference/families.R),
 * properties, and errors. Tolerances: 1e-12 relative for per-observation values and
 * 1e-12 for aic/logLik sums unless a comment says why.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ArgumentError, DataError, FamilyError } from "../../src/errors.js";
import {
  FAMILY_NAMES,
  Gamma,
  binomial,
  gaussian,
  inverseGaussian,
  makeFamily,
  negativeBinomial,
  poisson,
  quasibinomial,
  quasipoisson,
  tweedie,
} from "../../src/families/index.js";
import { LINK_NAMES, makeLink } from "../../src/links.js";
import type { Family, Link } from "../../src/types.js";

/** Fixed fast-check seed: failures reproduce, and CI cannot flake. */
const SEED = 20240611;

type Num = number | string;
const decode = (v: Num): number =>
  typeof v === "number" ? v : v === "Inf" ? Infinity : v === "-Inf" ? -Infinity : NaN;
const f64 = (a: Num[]): Float64Array => Float64Array.from(a.map(decode));

interface TsSpec { family: string; link: string; theta?: number; power?: number }
interface FamCase {
  label: string; family: string; link: string; ts: TsSpec;
  y: Num[]; mu: Num[]; wt: Num[]; n: Num[];
  variance: Num[]; validmu: boolean[]; dev_resids: Num[]; dev: Num; aic: Num;
  y_init: Num[]; wt_init: Num[]; mustart: Num[];
}
interface FitCase {
  label: string; family: string; link: string; theta?: number;
  y: Num[]; mu: Num[]; wt: Num[]; n: Num[];
  dev: number; family_aic: number; glm_aic: number; loglik: number; rank: number;
}
const ref = JSON.parse(readFileSync(new URL("../reference/families.json", import.meta.url), "utf8")) as {
  families: FamCase[];
  fits: FitCase[];
};

function expectClose(a: number, b: number, rel: number, what: string, abs = 0): void {
  if (!Number.isFinite(b) || !Number.isFinite(a)) {
    expect(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)), `${what}: ${a} vs ${b}`).toBe(true);
    return;
  }
  const err = Math.abs(a - b);
  expect(err <= rel * Math.abs(b) + abs, `${what}: got ${a}, R ${b}, rel err ${err / Math.abs(b)}`).toBe(true);
}

const build = (ts: TsSpec): Family =>
  makeFamily(ts.family, {
    link: ts.link,
    ...(ts.theta !== undefined ? { theta: ts.theta } : {}),
    ...(ts.power !== undefined ? { power: ts.power } : {}),
  });

describe("families agree with R (stats, MASS::negative.binomial, statmod::tweedie)", () => {
  for (const c of ref.families) {
    it(c.label, () => {
      const fam = build(c.ts);
      expect(fam.name).toBe(c.family);
      // statmod names its links "mu^0" for log; everything else is R's link name.
      expect(fam.link.name).toBe(c.family === "Tweedie" ? "log" : c.link);
      const y = f64(c.y), mu = f64(c.mu), wt = f64(c.wt), n = f64(c.n);
      const V = f64(c.variance), d = f64(c.dev_resids);
      for (let i = 0; i < y.length; i++) {
        expectClose(fam.variance(mu[i]!), V[i]!, 1e-12, `variance(${mu[i]})`);
        expect(fam.validMu(mu[i]!), `validMu(${mu[i]})`).toBe(c.validmu[i]);
        expectClose(fam.devResid(y[i]!, mu[i]!, wt[i]!), d[i]!, 1e-12, `devResid(${y[i]}, ${mu[i]}, ${wt[i]})`);
      }
      // R's aic on the same vectors: ordinary data, 1e-12 relative (the brief asks ≤ 1e-10).
      expectClose(fam.aic(y, n, mu, wt, decode(c.dev)), decode(c.aic), 1e-12, "aic");
      const start = fam.startMu(f64(c.y_init), f64(c.wt_init));
      const mustart = f64(c.mustart);
      for (let i = 0; i < start.length; i++) expectClose(start[i]!, mustart[i]!, 1e-15, `startMu row ${i + 1}`);
      // checkY accepts the data R accepted.
      expect(() => fam.checkY(f64(c.y_init), f64(c.wt_init))).not.toThrow();
    });
  }
});

describe("logLikObs summed at R's plug-in dispersion is R's logLik", () => {
  for (const c of ref.fits) {
    it(c.label, () => {
      const fam =
        c.theta != null ? negativeBinomial(c.theta, c.link) : makeFamily(c.family, { link: c.link });
      const y = f64(c.y), mu = f64(c.mu), wt = f64(c.wt), n = f64(c.n);
      const aic = fam.aic(y, n, mu, wt, c.dev);
      expectClose(aic, c.family_aic, 1e-12, "family aic");
      expectClose(aic + 2 * c.rank, c.glm_aic, 1e-12, "glm AIC = family aic + 2·rank");
      let sw = 0;
      for (let i = 0; i < wt.length; i++) sw += wt[i]!;
      // R's plug-ins: gaussian dev/n (the MLE), Gamma and inverse.gaussian dev/Σwt.
      const phi = c.family === "gaussian" ? c.dev / y.length : c.dev / sw;
      let ll = 0;
      for (let i = 0; i < y.length; i++) ll += fam.logLikObs(y[i]!, mu[i]!, wt[i]!, phi);
      expectClose(ll, c.loglik, 1e-12, "Σ logLikObs vs logLik(fit)");
      // R's aic counts the dispersion with +2 for gaussian, Gamma and inverse.gaussian.
      const extra = fam.dispersion === "estimated" ? 1 : 0;
      expectClose(ll, -aic / 2 + extra, 1e-12, "Σ logLikObs vs −aic/2");
    });
  }
});

describe("log densities in closed form", () => {
  it("gaussian: N(μ, φ/wt)", () => {
    const v = gaussian().logLikObs(1.3, 0.4, 2, 0.5);
    const s2 = 0.5 / 2;
    expectClose(v, -0.5 * Math.log(2 * Math.PI * s2) - (0.9 * 0.9) / (2 * s2), 1e-14, "gaussian");
  });
  it("binomial: dbinom with the binomial coefficient", () => {
    // y = 3/5 successes of 5 trials at μ = 0.3: C(5,3)·0.3³·0.7² = 0.1323
    expectClose(binomial().logLikObs(0.6, 0.3, 5, 1), Math.log(0.1323), 1e-13, "binomial");
  });
  it("poisson and negative binomial ignore φ; quasi and Tweedie have none", () => {
    expect(poisson().logLikObs(3, 2, 1, 7)).toBe(poisson().logLikObs(3, 2, 1, 1));
    expectClose(poisson().logLikObs(3, 2, 1, 1), 3 * Math.log(2) - 2 - Math.log(6), 1e-14, "poisson");
    // NB(θ = 2) at y = 1, μ = 2: Γ(3)/(Γ(2)·1!)·(2/4)²·(2/4) = 0.25
    expectClose(negativeBinomial(2).logLikObs(1, 2, 1, 99), Math.log(0.25), 1e-14, "negbin");
    expect(quasipoisson().logLikObs(1, 1, 1, 1)).toBeNaN();
    expect(quasibinomial().aic(new Float64Array([1]), new Float64Array([1]), new Float64Array([0.5]), new Float64Array([1]), 1)).toBeNaN();
    expect(tweedie(1.5).logLikObs(1, 1, 1, 1)).toBeNaN();
  });
  it("zero-weight rows contribute nothing", () => {
    for (const fam of [gaussian(), binomial(), poisson(), Gamma(), inverseGaussian(), negativeBinomial(3)]) {
      expect(fam.logLikObs(0.5, 0.5, 0, 1), fam.name).toBe(0);
    }
    expect(binomial().devResid(2, 0.5, 0)).toBe(0); // R zeroes y where the weight is 0
  });
});

/* ------------------------------------------------------------------ properties */

/**
 * A family with generators of y and μ, whether y must be an integer, and the size of
 * the terms its deviance formula subtracts (so the round-off slack of "d ≥ 0" is a few
 * ulps of those terms, not a fudge factor).
 */
interface Gen {
  label: string;
  fam: Family;
  y: fc.Arbitrary<number>;
  mu: fc.Arbitrary<number>;
  integerY?: boolean;
  terms: (y: number, mu: number) => number;
}
const dbl = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
/** Non-negative y: exactly 0 or in [1e-10, hi] (subnormal y would make y/μ underflow, in R too). */
const nonneg = (hi: number) => fc.oneof(fc.constant(0), dbl(1e-10, hi));
const xlog = (y: number, mu: number) => (y === 0 ? 0 : Math.abs(y * Math.log(y / mu)));
const poissonTerms = (y: number, mu: number) => xlog(y, mu) + Math.abs(y) + Math.abs(mu) + 1;
const gammaTerms = (y: number, mu: number) => 1 + Math.abs(Math.log(y / mu)) + Math.abs(y / mu);
const binomialTerms = (y: number, mu: number) =>
  1 + Math.abs(y * Math.log(mu)) + Math.abs((1 - y) * Math.log(1 - mu));
const negbinTerms = (theta: number) => (y: number, mu: number) =>
  poissonTerms(y, mu) + (y + theta) * Math.abs(Math.log((y + theta) / (mu + theta)));
const tweedieTerms = (p: number) => (y: number, mu: number) => {
  if (p === 1) return poissonTerms(y, mu);
  if (p === 2) return gammaTerms(y, mu);
  const y1 = y === 0 ? 0.1 : y;
  return (Math.abs(y) * (Math.pow(y1, 1 - p) + Math.pow(mu, 1 - p))) / Math.abs(1 - p) +
    (Math.pow(Math.abs(y), 2 - p) + Math.pow(mu, 2 - p)) / Math.abs(2 - p) + 1;
};
const GENS: Gen[] = [
  // (y − μ)² and (y − μ)²/(yμ²) involve no cancellation: no slack.
  { label: "gaussian", fam: gaussian(), y: dbl(-1e3, 1e3), mu: dbl(-1e3, 1e3), terms: () => 0 },
  { label: "binomial", fam: binomial(), y: dbl(0, 1), mu: dbl(1e-9, 1 - 1e-9), terms: binomialTerms },
  { label: "quasibinomial", fam: quasibinomial("probit"), y: dbl(0, 1), mu: dbl(1e-9, 1 - 1e-9), terms: binomialTerms },
  { label: "poisson", fam: poisson(), y: fc.integer({ min: 0, max: 1e6 }), mu: dbl(1e-9, 1e6), integerY: true, terms: poissonTerms },
  { label: "quasipoisson", fam: quasipoisson(), y: nonneg(1e4), mu: dbl(1e-9, 1e6), terms: poissonTerms },
  { label: "Gamma", fam: Gamma(), y: dbl(1e-6, 1e6), mu: dbl(1e-6, 1e6), terms: gammaTerms },
  { label: "inverse.gaussian", fam: inverseGaussian(), y: dbl(1e-6, 1e6), mu: dbl(1e-6, 1e6), terms: () => 0 },
  { label: "negbin(1.7)", fam: negativeBinomial(1.7), y: fc.integer({ min: 0, max: 1e6 }), mu: dbl(1e-9, 1e6), integerY: true, terms: negbinTerms(1.7) },
  { label: "negbin(0.05)", fam: negativeBinomial(0.05), y: fc.integer({ min: 0, max: 1e4 }), mu: dbl(1e-9, 1e4), integerY: true, terms: negbinTerms(0.05) },
  { label: "tweedie(0)", fam: tweedie(0), y: dbl(-1e3, 1e3), mu: dbl(1e-6, 1e3), terms: tweedieTerms(0) },
  { label: "tweedie(1)", fam: tweedie(1), y: nonneg(1e4), mu: dbl(1e-6, 1e4), terms: tweedieTerms(1) },
  { label: "tweedie(1.5)", fam: tweedie(1.5), y: nonneg(1e4), mu: dbl(1e-6, 1e4), terms: tweedieTerms(1.5) },
  { label: "tweedie(2)", fam: tweedie(2), y: dbl(1e-6, 1e4), mu: dbl(1e-6, 1e4), terms: tweedieTerms(2) },
  { label: "tweedie(3)", fam: tweedie(3), y: dbl(1e-6, 1e4), mu: dbl(1e-6, 1e4), terms: tweedieTerms(3) },
];
const EPS = 2.220446049250313e-16;

describe("family properties (fast-check)", () => {
  for (const g of GENS) {
    const F = g.fam;
    it(`${g.label}: devResid ≥ 0, and 0 at y = μ`, () => {
      fc.assert(
        fc.property(g.y, g.mu, dbl(1e-3, 100), (y, mu, wt) => {
          const d = F.devResid(y, mu, wt);
          // Where y ≈ μ the deviance is a difference of nearly equal terms: allow a few
          // ulps of those terms below zero.
          return Number.isFinite(d) && d >= -16 * EPS * wt * g.terms(y, mu);
        }),
        { numRuns: 400, seed: SEED },
      );
      fc.assert(
        fc.property(g.mu, dbl(1e-3, 100), (m, wt) => {
          const y = g.integerY ? Math.max(1, Math.round(m)) : m; // y = μ inside the support
          return F.devResid(y, y, wt) === 0;
        }),
        { numRuns: 200, seed: SEED },
      );
    });

    it(`${g.label}: varianceDeriv matches a finite difference of variance`, () => {
      const unitMu = F.name === "binomial" || F.name === "quasibinomial";
      fc.assert(
        fc.property(g.mu, (mu) => {
          // Steps relative to the distance from the boundary of μ's domain.
          const h = 1e-4 * (unitMu ? Math.min(mu, 1 - mu) : Math.abs(mu) >= 1e-100 ? Math.abs(mu) : 1);
          const V = (m: number) => F.variance(m);
          const fd = (V(mu - 2 * h) - 8 * V(mu - h) + 8 * V(mu + h) - V(mu + 2 * h)) / (12 * h);
          const exact = F.varianceDeriv(mu);
          // Round-off of V at μ ± 2h is a few ulps of |V| (of |μ| for μ(1 − μ)).
          const roundoff = (16 * EPS * (Math.abs(V(mu)) + (unitMu ? mu : 0))) / h;
          return Math.abs(fd - exact) <= 1e-7 * Math.abs(exact) + roundoff;
        }),
        { numRuns: 300, seed: SEED },
      );
    });

    it(`${g.label}: startMu is valid for valid y, and pure`, () => {
      fc.assert(
        fc.property(fc.array(g.y, { minLength: 1, maxLength: 20 }), (ys) => {
          if (F.name === "Tweedie" && F.canonicalLink === "identity" && ys.some((v) => v < 0)) return true; // log link needs μ > 0
          const y = Float64Array.from(ys);
          const wt = new Float64Array(y.length).fill(1);
          const copy = Float64Array.from(y);
          F.checkY(y, wt);
          const m = F.startMu(y, wt);
          expect(y).toEqual(copy);
          return m.length === y.length && m.every((v) => F.validMu(v) && F.link.validEta(F.link.linkfun(v)));
        }),
        { numRuns: 100, seed: SEED },
      );
    });
  }
});

/* ------------------------------------------------------------------ errors */

/** The links R's own okLinks list for each family (family.R, MASS negbin.R). */
const OK: Record<string, string[]> = {
  gaussian: ["identity", "log", "inverse"],
  binomial: ["logit", "probit", "cloglog", "cauchit", "log"],
  quasibinomial: ["logit", "probit", "cloglog", "cauchit", "log"],
  poisson: ["log", "identity", "sqrt"],
  quasipoisson: ["log", "identity", "sqrt"],
  Gamma: ["inverse", "identity", "log"],
  "inverse.gaussian": ["1/mu^2", "inverse", "identity", "log"],
  negative_binomial: ["log", "sqrt", "identity"],
  tweedie: ["log", "identity", "sqrt", "inverse", "1/mu^2"],
};
const opts = (name: string) =>
  name === "negative_binomial" ? { theta: 2 } : name === "tweedie" ? { power: 1.5 } : {};

describe("family errors", () => {
  for (const [name, ok] of Object.entries(OK)) {
    it(`${name}: accepts exactly its links (and power(λ)), rejects the others naming them`, () => {
      for (const link of LINK_NAMES) {
        if (ok.includes(link)) {
          expect(makeFamily(name, { ...opts(name), link }).link.name).toBe(link);
          expect(makeFamily(name, { ...opts(name), link: makeLink(link) }).link.name).toBe(link);
        } else {
          const shown = name === "negative_binomial" ? "negative binomial" : name === "tweedie" ? "Tweedie" : name;
          expect(() => makeFamily(name, { ...opts(name), link })).toThrow(FamilyError);
          expect(() => makeFamily(name, { ...opts(name), link })).toThrow(
            `link "${link}" is not available for the ${shown} family; valid links: ${ok.join(", ")}, power(λ)`,
          );
          expect(() => makeFamily(name, { ...opts(name), link: makeLink(link) })).toThrow(FamilyError);
        }
      }
      expect(makeFamily(name, { ...opts(name), link: "power(0.5)" }).link.name).toBe("mu^0.5");
      expect(() => makeFamily(name, { ...opts(name), link: "logistic" })).toThrow(/not available.*valid links/);
    });
  }

  it("the example message of the brief", () => {
    expect(() => poisson("probit")).toThrow('link "probit" is not available for the poisson family; valid links: log, identity, sqrt');
  });

  it("a custom Link record is accepted, as R accepts any link-glm object", () => {
    const custom: Link = { ...makeLink("log"), name: "mylog" };
    expect(poisson(custom).link.name).toBe("mylog");
  });

  it("unknown family names throw a FamilyError listing the valid names; names are case-insensitive", () => {
    expect(() => makeFamily("weibull")).toThrow(FamilyError);
    expect(() => makeFamily("weibull")).toThrow(`unknown family "weibull"; valid families: ${FAMILY_NAMES.join(", ")}`);
    expect(makeFamily("GAMMA").name).toBe("Gamma");
    expect(makeFamily("Inverse.Gaussian").name).toBe("inverse.gaussian");
    expect(makeFamily("NegBin", { theta: 1.52727 }).name).toBe("Negative Binomial(1.5273)");
  });

  it("θ is required, finite and > 0; power is required and 0 or ≥ 1", () => {
    expect(() => makeFamily("negative_binomial")).toThrow(FamilyError);
    expect(() => makeFamily("negbin")).toThrow(/theta \(θ\) is required/);
    for (const bad of [0, -1, NaN, Infinity]) {
      expect(() => makeFamily("negbin", { theta: bad })).toThrow(ArgumentError);
      expect(() => negativeBinomial(bad)).toThrow(/theta/);
    }
    expect(() => makeFamily("tweedie")).toThrow(FamilyError);
    expect(() => makeFamily("tweedie")).toThrow(/power/);
    for (const bad of [0.5, 0.001, -1, NaN, Infinity]) {
      expect(() => makeFamily("tweedie", { power: bad })).toThrow(ArgumentError);
      expect(() => tweedie(bad)).toThrow(/power/);
    }
    expect(() => makeFamily("poisson", { theta: 2 })).toThrow(/theta applies only/);
    expect(() => makeFamily("gaussian", { power: 2 })).toThrow(/power applies only/);
  });

  it("y outside the support throws a DataError naming the row and value", () => {
    const ones = (n: number) => new Float64Array(n).fill(1);
    const y7 = Float64Array.from([0, 1, 0.5, 1, 0, 0.2, 2, 1]);
    expect(() => binomial().checkY(y7, ones(8))).toThrow(DataError);
    expect(() => binomial().checkY(y7, ones(8))).toThrow("y must be in [0, 1] for the binomial family; row 7 has y = 2");
    try {
      binomial().checkY(y7, ones(8));
    } catch (e) {
      expect((e as DataError).row).toBe(7);
      expect((e as DataError).column).toBe("y");
    }
    // R zeroes y where the weight is 0 before checking: such rows are not range-checked.
    const w0 = ones(8); w0[6] = 0;
    expect(() => binomial().checkY(y7, w0)).not.toThrow();
    expect(() => quasibinomial().checkY(Float64Array.from([-0.1]), ones(1))).toThrow(/row 1 has y = -0.1/);
    const neg = Float64Array.from([1, 2, -3]);
    for (const fam of [poisson(), quasipoisson(), negativeBinomial(2), tweedie(1.5)]) {
      expect(() => fam.checkY(neg, ones(3)), fam.name).toThrow(new RegExp(`y must be >= 0 for the .*; row 3 has y = -3`));
    }
    const zero = Float64Array.from([1, 0]);
    for (const fam of [Gamma(), inverseGaussian(), tweedie(2), tweedie(3)]) {
      expect(() => fam.checkY(zero, ones(2)), fam.name).toThrow(/y must be > 0 for the .*; row 2 has y = 0/);
    }
    expect(() => gaussian().checkY(Float64Array.from([1, NaN]), ones(2))).toThrow("y must be finite for the gaussian family; row 2 has y = NaN");
    expect(() => poisson().checkY(Float64Array.from([Infinity]), ones(1))).toThrow(/row 1 has y = Infinity/);
    expect(() => gaussian().checkY(ones(3), ones(2))).toThrow(ArgumentError);
    expect(() => tweedie(0).checkY(Float64Array.from([-5, 3]), ones(2))).not.toThrow();
  });

  it("gaussian starting values: log needs y > 0, inverse needs y ≠ 0 (R's error)", () => {
    const y = Float64Array.from([1, 2, 0, 3]);
    const w = new Float64Array(4).fill(1);
    expect(() => gaussian("log").startMu(y, w)).toThrow(DataError);
    expect(() => gaussian("log").startMu(y, w)).toThrow(/cannot find valid starting values: please specify some.*row 3 has y = 0/);
    expect(() => gaussian("inverse").startMu(y, w)).toThrow(/row 3/);
    expect(Array.from(gaussian("identity").startMu(y, w))).toEqual([1, 2, 0, 3]);
    expect(() => gaussian("log").startMu(Float64Array.from([1, -2]), new Float64Array(2).fill(1))).toThrow(/row 2 has y = -2/);
  });

  it("records are frozen and carry R's metadata", () => {
    const b = binomial("probit");
    expect(Object.isFrozen(b)).toBe(true);
    expect(Object.isFrozen(b.link)).toBe(true);
    expect([b.canonicalLink, b.dispersion, b.quasi]).toEqual(["logit", "fixed", false]);
    expect([quasipoisson().dispersion, quasipoisson().quasi]).toEqual(["estimated", true]);
    expect([negativeBinomial(2).dispersion, negativeBinomial(2).canonicalLink]).toEqual(["fixed", null]);
    expect([Gamma().canonicalLink, inverseGaussian().canonicalLink, gaussian().canonicalLink]).toEqual(["inverse", "1/mu^2", "identity"]);
    expect([tweedie(1).canonicalLink, tweedie(2).canonicalLink, tweedie(1.5).canonicalLink]).toEqual(["log", "inverse", "mu^-0.5"]);
  });
});

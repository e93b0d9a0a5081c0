/**
 * A family defined only here, as docs/adding-a-family.md describes: "counts", the Poisson
 * distribution written from scratch as one file would write it (a spec of plain functions
 * joined to its link by `buildFamily`). Nothing outside this file knows its name, yet it
 * fits by maximum likelihood, gives a log posterior and a MAP fit through the likelihood
 * layer, simulates predictive draws and is found by `makeFamily` once registered, all
 * equal to the built-in poisson().
 */
import gammaln from "@stdlib/math-base-special-gammaln";
import { describe, expect, it } from "vitest";
import { ArgumentError, FamilyError } from "../../src/errors.js";
import { FAMILY_NAMES, familyNames, makeFamily, poisson, registerFamily } from "../../src/families/index.js";
import { buildFamily, checkSupport, mapStart, NO_AUX, resolveLink, type LinkSpec } from "../../src/families/shared.js";
import { fitMap } from "../../src/fit/map.js";
import { fitMl, type GlmProblem } from "../../src/fit/ml-fit.js";
import { likelihoodKernel } from "../../src/likelihood/glm-likelihood.js";
import { glmLogPosterior } from "../../src/likelihood/log-posterior.js";
import { flat, jeffreys, normal } from "../../src/priors/index.js";
import type { Family, ObservationModel } from "../../src/types.js";
import { glm } from "../../models/glm.js";
import { glmPosteriorFromDraws } from "../../models/posterior.js";
import { logLikMatrix, posteriorPredict } from "../../models/posterior-predict.js";

/* ------------------------------------------------ the family, as its own file would be */

/** log dpois(y; μ) = y log μ − μ − lgamma(y + 1). */
const logPmf = (y: number, mu: number): number => (y > 0 ? y * Math.log(mu) : 0) - mu - gammaln(y + 1);

/** ℓᵢ = w·log dpois(yᵢ; μ): V = μ, no auxiliary parameter. */
function countsModel(y: Float64Array, w: Float64Array): ObservationModel {
  return {
    ...NO_AUX,
    variance: (mu) => mu,
    varianceDeriv: () => 1,
    varianceDeriv2: () => 0,
    logDensity: (i, mu) => w[i]! * logPmf(y[i]!, mu),
  };
}

/** counts(link = "log"): links log, identity, sqrt (or power(λ)). */
function counts(link: LinkSpec = "log"): Family {
  const lk = resolveLink("counts", link, ["log", "identity", "sqrt"]);
  return buildFamily(
    {
      name: "counts",
      canonicalLink: "log",
      dispersion: "fixed",
      quasi: false,
      variance: (mu) => mu,
      varianceDeriv: () => 1,
      devResid: (y, mu, wt) => 2 * (y > 0 ? wt * (y * Math.log(y / mu) - (y - mu)) : mu * wt),
      aic: (y, _n, mu, wt) => {
        let s = 0;
        for (let i = 0; i < y.length; i++) s += wt[i]! * logPmf(y[i]!, mu[i]!);
        return -2 * s;
      },
      logLikObs: (y, mu, wt) => (wt === 0 ? 0 : wt * logPmf(y, mu)),
      validMu: (mu) => Number.isFinite(mu) && mu > 0,
      startMu: (y, wt) => mapStart(y, wt, (v) => v + 0.1),
      checkY: (y, wt) => checkSupport(y, wt, "counts", ">= 0", (v) => v >= 0),
      discrete: true,
      likelihood: { observationModel: countsModel },
      simulate: (rng, mu) => rng.poisson(mu),
      infiniteEstimateCheck: lk.name === "log" ? "logCount" : null,
    },
    lk,
  );
}

/* ------------------------------------------------ data */

const X = [[1, -1.2], [1, -0.7], [1, -0.3], [1, 0], [1, 0.4], [1, 0.8], [1, 1.1], [1, 1.5], [1, 1.9], [1, 2.4]];
const Y = [0, 1, 1, 2, 1, 3, 4, 3, 7, 9];
const columnNames = ["(Intercept)", "x"];

function problemOf(family: Family): GlmProblem {
  const n = X.length;
  return {
    X: Float64Array.from(X.flat()), n, p: 2, columnNames, hasIntercept: true,
    y: Float64Array.from(Y), weights: new Float64Array(n).fill(1), offset: null, trials: null, family,
  };
}

const close = (a: number, b: number, tol = 1e-10) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

/* ------------------------------------------------ tests */

describe("a family defined in one place (this file) works everywhere", () => {
  for (const link of ["log", "sqrt"]) {
    it(`${link} link: glm({ design, family: record }).fit() equals the built-in poisson fit`, () => {
      const mine = glm({ design: { X, y: Y, columnNames }, family: counts(link) }).fit();
      const builtIn = glm({ design: { X, y: Y, columnNames }, family: "poisson", link }).fit();
      expect(mine.iterations).toBe(builtIn.iterations);
      for (const name of columnNames) close(mine.coef[name]!, builtIn.coef[name]!);
      close(mine.deviance, builtIn.deviance);
      close(mine.aic, builtIn.aic);
      close(mine.logLik, builtIn.logLik);
      expect(mine.warnings).toEqual(builtIn.warnings);
    });

    it(`${link} link: fitMl on a problem with the record equals the built-in one`, () => {
      const mine = fitMl(problemOf(counts(link)));
      const builtIn = fitMl(problemOf(poisson(link)));
      expect(mine.irls.iterations).toBe(builtIn.irls.iterations);
      for (let j = 0; j < 2; j++) close(mine.coef[j]!, builtIn.coef[j]!);
      close(mine.aic, builtIn.aic);
    });

    it(`${link} link: log posterior, its gradient and Hessian (flat and Jeffreys) equal the built-in ones`, () => {
      for (const coefficients of [[normal(0, 2.5), normal(0, 2.5)], [jeffreys(), jeffreys()]]) {
        const mine = glmLogPosterior(problemOf(counts(link)), { coefficients });
        const builtIn = glmLogPosterior(problemOf(poisson(link)), { coefficients });
        expect(mine.dim).toBe(2);
        // η = θ₀ + θ₁x > 0 on every row, as the sqrt link needs.
        for (const theta of [Float64Array.of(0.8, 0.3), Float64Array.of(1.1, 0.2), Float64Array.of(0.9, 0.35)]) {
          const g1 = new Float64Array(2);
          const g2 = new Float64Array(2);
          close(mine.logDensityGrad(theta, g1), builtIn.logDensityGrad(theta, g2));
          close(g1[0]!, g2[0]!);
          close(g1[1]!, g2[1]!);
          close(mine.logLik(theta), builtIn.logLik(theta));
          const h1 = mine.hessian(theta);
          const h2 = builtIn.hessian(theta);
          for (let k = 0; k < 4; k++) close(h1[k]!, h2[k]!, 1e-9);
        }
      }
    });

    it(`${link} link: the MAP fit equals the built-in one`, () => {
      const priors = { coefficients: [normal(0, 2.5), normal(0, 1)] };
      const mine = fitMap(problemOf(counts(link)), priors);
      const builtIn = fitMap(problemOf(poisson(link)), priors);
      expect(mine.iterations).toBe(builtIn.iterations);
      for (let j = 0; j < 2; j++) close(mine.theta[j]!, builtIn.theta[j]!);
    });
  }

  it("simulates predictive draws and pointwise log-likelihoods equal to the built-in poisson", () => {
    const draws = Float64Array.of(0.3, 0.6, 0.35, 0.55, 0.25, 0.65);
    const mine = glmPosteriorFromDraws(problemOf(counts()), { coefficients: [flat(), flat()] }, [draws]);
    const builtIn = glmPosteriorFromDraws(problemOf(poisson()), { coefficients: [flat(), flat()] }, [draws]);
    expect(posteriorPredict(mine, { seed: 17 }).values).toEqual(posteriorPredict(builtIn, { seed: 17 }).values);
    const a = logLikMatrix(mine).values;
    const b = logLikMatrix(builtIn).values;
    for (let k = 0; k < a.length; k++) close(a[k]!, b[k]!);
  });

  it("takes the defaults of buildFamily: a numeric response only, no dispersion model, the record's own members", () => {
    const fam = counts();
    expect([fam.aux, fam.dispersionModel, fam.canonical, fam.discrete]).toEqual([null, null, true, true]);
    expect(fam.parameters).toEqual({});
    expect(counts("sqrt").canonical).toBe(false);
    expect(() => fam.prepareResponse({ kind: "cbind", name: "y", successes: Float64Array.of(1), failures: Float64Array.of(2) }, null))
      .toThrow(/need the binomial or quasibinomial family, not counts/);
    expect(() => fam.prepareResponse({ kind: "numeric", name: "y", values: Float64Array.of(1, -2) }, null, Int32Array.of(4, 9)))
      .toThrow("y must be >= 0 for the counts family; row 10 has y = -2");
    const prepared = fam.prepareResponse({ kind: "numeric", name: "y", values: Float64Array.of(1, 2) }, null);
    expect(Array.from(prepared.weights)).toEqual([1, 1]);
  });

  it("a family record without a likelihood fits by ML but has no log posterior", () => {
    const { likelihood: _l, ...rest } = counts();
    const noLik: Family = Object.freeze({ ...rest, likelihood: null });
    expect(fitMl(problemOf(noLik)).irls.converged).toBe(true);
    expect(() => likelihoodKernel({ y: Float64Array.of(1), weights: Float64Array.of(1), trials: null, family: noLik }))
      .toThrow(FamilyError);
  });

  it("registerFamily makes makeFamily find it by name, without editing makeFamily", () => {
    expect(() => makeFamily("counts")).toThrow(FamilyError);
    registerFamily({ names: ["counts"], aliases: ["poisson_counts"], build: (o) => counts(o.link) });
    expect(makeFamily("Counts", { link: "sqrt" }).link.name).toBe("sqrt");
    expect(makeFamily("poisson_counts").name).toBe("counts");
    expect(makeFamily("counts").recipe).toEqual({ name: "counts", link: "log", theta: undefined, power: undefined });
    expect(familyNames()).toEqual([...FAMILY_NAMES, "counts"]);
    expect(() => makeFamily("weibull")).toThrow(`unknown family "weibull"; valid families: ${[...FAMILY_NAMES, "counts"].join(", ")}`);
    expect(() => makeFamily("counts", { theta: 2 })).toThrow(/theta applies only/);
    expect(() => registerFamily({ names: ["COUNTS"], build: (o) => counts(o.link) })).toThrow(ArgumentError);
  });
});

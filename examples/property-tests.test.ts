/**
 * A user's property-based test file built on glmkit/testing: how maximum-likelihood
 * estimates behave at their limits, in a dozen lines per property.
 *
 * Run:  npx vitest run examples/property-tests.test.ts
 *       FC_RUNS=10 npx vitest run examples/property-tests.test.ts     (10× the runs)
 *       FC_SEED=<seed> FC_PATH=<path> npx vitest run examples/...      (replay a failure)
 *
 * In your own project the imports read:
 *   import { glm, normal, parsePrior, PriorError } from "glmkit";
 *   import { fitBiasReduced, fitMap } from "glmkit/fit";
 *   import { separableData, glmData, ... } from "glmkit/testing";
 * Inside this repository they point at the sources, so the file runs without a build.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { glm } from "../models/glm.js";
import { fitBiasReduced } from "../src/fit/firth.js";
import { fitMap } from "../src/fit/map.js";
import { normal, parsePrior } from "../src/priors/index.js";
import { PriorError } from "../src/errors.js";
import {
  separableData,
  nearSeparableData,
  glmData,
  rankDeficientDesign,
  extremeScale,
  priorSpec,
  mleDiverges,
  isFiniteEstimate,
  scoreIsZero,
  approximatelyEqualFits,
  assertVerdict,
  propertyParameters,
} from "../testing/index.js";

describe("my GLM properties", () => {
  // 1. Complete separation: the log-likelihood climbs to 0 along the separating ray
  //    and the IRLS iterates never settle. The data come with the direction.
  it("the MLE diverges under complete separation", () => {
    fc.assert(
      fc.property(separableData({ kind: "complete" }), (d) => {
        const fit = glm(d.spec).fit();
        expect(fit.separation?.detected).toBe(true);
        return assertVerdict(mleDiverges(fit, d.truth.direction, { expectLimitZero: true }));
      }),
      propertyParameters(20, 1),
    );
  });

  // 2. ... while Firth's estimate stays finite, with usable standard errors.
  it("Firth's estimate is finite under quasi-complete separation", () => {
    fc.assert(
      fc.property(separableData({ kind: "quasi-complete" }), (d) => {
        const firth = fitBiasReduced(glm(d.spec).resolved.problem, { type: "AS_mean" });
        return assertVerdict(isFiniteEstimate(firth, { maxSe: 100 }));
      }),
      propertyParameters(20, 2),
    );
  });

  // 3. Nearly separated data still have an MLE: the fit converges to a root of the score.
  it("the fit finds the MLE of nearly separated data", () => {
    fc.assert(
      fc.property(nearSeparableData(), (d) => {
        const fit = glm(d.spec).fit({ epsilon: 1e-12, maxit: 200 });
        return assertVerdict(scoreIsZero(fit, 1e-6));
      }),
      propertyParameters(20, 3),
    );
  });

  // 4. A very wide prior changes nothing when the MLE exists.
  it("MAP with normal(0, 1e4) priors equals the MLE to 1e-4 SE", () => {
    fc.assert(
      fc.property(glmData({ family: ["binomial", "poisson"], n: { min: 100, max: 300 } }), (d) => {
        const fit = glm(d.spec).fit({ epsilon: 1e-14 });
        fc.pre(fit.converged && fit.separation?.detected !== true);
        const problem = fit.ml.problem;
        const map = fitMap(problem, { coefficients: problem.columnNames.map(() => normal(0, 1e4)) });
        return assertVerdict(approximatelyEqualFits(map, fit, 1e-4, { scale: "se" }));
      }),
      propertyParameters(20, 4),
    );
  });

  // 5. Aliased columns are found exactly, and predictors on scales 1e-6 … 1e6 fit like standardised ones.
  it("aliasing and extreme scales", () => {
    fc.assert(
      fc.property(rankDeficientDesign(), (d) => {
        const fit = glm(d.spec).fit();
        expect(d.columnNames.filter((_, j) => fit.ml.irls.aliased[j])).toEqual(d.truth.aliased);
        return true;
      }),
      propertyParameters(20, 5),
    );
    fc.assert(
      fc.property(extremeScale(), (d) => {
        const fit = glm(d.spec).fit({ epsilon: 1e-12 });
        const Z = d.X.map((x, k) => x / d.truth.columnScales[k % d.p]!);
        const std = glm({ ...d.spec, design: { ...d.spec.design!, X: Z } }).fit({ epsilon: 1e-12 });
        fc.pre(fit.converged && std.converged && fit.separation?.detected !== true);
        const rescaled = { problem: std.ml.problem, coef: fit.ml.coef.map((b, j) => b * d.truth.columnScales[j]!) };
        return assertVerdict(approximatelyEqualFits(rescaled, std, 1e-6));
      }),
      propertyParameters(20, 6),
    );
  });

  // 6. Fuzz the prior parser: valid specs mean what they say, invalid ones are refused.
  it("prior specs", () => {
    fc.assert(fc.property(priorSpec(), (c) => parsePrior(c.text).kind === c.kind), propertyParameters(100, 7));
    fc.assert(
      fc.property(priorSpec({ valid: false }), (c) => {
        expect(() => parsePrior(c.text)).toThrow(PriorError);
        return true;
      }),
      propertyParameters(100, 8),
    );
  });
});

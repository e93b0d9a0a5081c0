/**
 * The members the family and link records own: d³μ/dη³ on every link, the family's
 * parameters as data, its auxiliary parameter, dispersion model, infinite-estimate check,
 * R's initialize (prepareResponse) and simulate.
 */
import { describe, expect, it } from "vitest";
import { DataError } from "../../src/errors.js";
import {
  binomial, Gamma, gaussian, inverseGaussian, makeFamily, negativeBinomial, poisson, quasibinomial, quasipoisson, tweedie,
} from "../../src/families/index.js";
import { dispersionModelOf } from "../../src/fit/dispersion-model.js";
import { LINK_NAMES, logLink, makeLink, withMuEta3 } from "../../src/links.js";
import type { Link, Variates } from "../../src/types.js";

describe("Link.muEta3", () => {
  const links: [string, number[]][] = [
    ...LINK_NAMES.filter((n) => !["inverse", "1/mu^2", "sqrt"].includes(n)).map((n): [string, number[]] => [n, [-3, -0.7, 0, 0.4, 2.5]]),
    ["inverse", [0.3, 1, 2.5]], ["1/mu^2", [0.3, 1, 2.5]], ["sqrt", [0.3, 1, 2.5]],
    ["power(1/3)", [0.3, 1, 2.5]], ["power(2)", [0.3, 1, 2.5]],
  ];
  for (const [name, etas] of links) {
    it(`${name}: agrees with a central difference of muEta2`, () => {
      const link = makeLink(name);
      for (const eta of etas) {
        const h = 1e-5 * Math.max(1, Math.abs(eta));
        const fd = (link.muEta2(eta + h) - link.muEta2(eta - h)) / (2 * h);
        expect(Math.abs(link.muEta3(eta) - fd)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fd)));
      }
    });
  }

  it("closed forms at a point: logit μ(1−μ)(1 − 6μ(1−μ)) at 0 is −0.125", () => {
    expect(makeLink("logit").muEta3(0)).toBe(-0.125);
    expect(makeLink("log").muEta3(1)).toBe(Math.E);
  });

  it("a custom link record without muEta3 gets a central difference of its muEta2", () => {
    const { muEta3: _drop, ...rest } = { ...logLink, name: "mylog" };
    const custom = rest as unknown as Link;
    const completed = withMuEta3(custom);
    expect(Math.abs(completed.muEta3(0.5) - Math.exp(0.5))).toBeLessThan(1e-9);
    expect(poisson(custom).link.muEta3(0.5)).toBe(completed.muEta3(0.5));
    expect(withMuEta3(logLink)).toBe(logLink);
  });
});

describe("family records own their parameters, aux, dispersion and infinite-estimate check", () => {
  it("θ and the Tweedie power are data on the record", () => {
    expect(negativeBinomial(1.52727).parameters).toEqual({ theta: 1.52727 });
    expect(makeFamily("negbin", { theta: 0.3 }).parameters.theta).toBe(0.3);
    expect(tweedie(1.5).parameters).toEqual({ power: 1.5 });
    expect(poisson().parameters).toEqual({});
  });

  it("the auxiliary parameter and its dispersion slope", () => {
    expect(gaussian().aux).toEqual({ name: "sigma", logDispersionSlope: 2 });
    expect(Gamma().aux).toEqual({ name: "shape", logDispersionSlope: -1 });
    expect(inverseGaussian().aux).toEqual({ name: "lambda", logDispersionSlope: -1 });
    expect(negativeBinomial(2).aux).toEqual({ name: "theta", logDispersionSlope: null });
    for (const f of [binomial(), poisson(), quasipoisson(), tweedie(1.5)]) expect(f.aux, f.name).toBeNull();
    for (const f of [quasibinomial(), quasipoisson(), tweedie(1.5)]) expect(f.likelihood, f.name).toBeNull();
  });

  it("dispersionModelOf reads the record", () => {
    expect(dispersionModelOf(Gamma("log"))).toBe(Gamma().dispersionModel);
    expect(dispersionModelOf(gaussian())!.name).toBe("gaussian");
    expect(dispersionModelOf(inverseGaussian())!.a3(2)).toBe(0.25);
    expect(dispersionModelOf(binomial())).toBeNull();
    expect(() => dispersionModelOf(quasipoisson())).toThrow(/quasi-likelihood family/);
  });

  it("the infinite-estimate check: binomial separation, or zero counts with the log link", () => {
    expect([binomial("probit").infiniteEstimateCheck, quasibinomial().infiniteEstimateCheck]).toEqual(["binomial", "binomial"]);
    expect([poisson().infiniteEstimateCheck, quasipoisson().infiniteEstimateCheck, negativeBinomial(2).infiniteEstimateCheck]).toEqual(["logCount", "logCount", "logCount"]);
    expect([poisson("sqrt").infiniteEstimateCheck, gaussian().infiniteEstimateCheck, Gamma("log").infiniteEstimateCheck]).toEqual([null, null, null]);
  });

  it("canonical and discrete", () => {
    expect([binomial().canonical, binomial("probit").canonical, Gamma().canonical, negativeBinomial(2).canonical]).toEqual([true, false, true, false]);
    expect([binomial(), poisson(), negativeBinomial(2)].every((f) => f.discrete)).toBe(true);
    expect([quasibinomial(), quasipoisson(), gaussian(), Gamma()].some((f) => f.discrete)).toBe(false);
  });
});

describe("prepareResponse is R's initialize", () => {
  it("binomial: cbind(successes, failures) folds into proportions, weights × trials, R's mustart", () => {
    const r = binomial().prepareResponse(
      { kind: "cbind", name: "cbind(s, f)", successes: Float64Array.of(1, 0, 2.5), failures: Float64Array.of(3, 0, 1) },
      Float64Array.of(2, 1, 1),
    );
    expect(Array.from(r.y)).toEqual([0.25, 0, 2.5 / 3.5]);
    expect(Array.from(r.trials!)).toEqual([4, 0, 3.5]);
    expect(Array.from(r.weights)).toEqual([8, 0, 3.5]);
    expect(r.mustart![0]).toBe((4 * 0.25 + 0.5) / 5);
    expect(r.warnings).toEqual(["non-integer counts in a binomial glm!"]);
    expect(quasibinomial().prepareResponse({ kind: "cbind", name: "c", successes: Float64Array.of(0.5), failures: Float64Array.of(1) }, null).warnings).toEqual([]);
  });

  it("binomial: rows of weight 0 have y zeroed (a copy; the input is untouched)", () => {
    const values = Float64Array.of(1, 0.7, 0);
    const r = binomial().prepareResponse({ kind: "numeric", name: "y", values }, Float64Array.of(1, 0, 1));
    expect(Array.from(r.y)).toEqual([1, 0, 0]);
    expect(Array.from(values)).toEqual([1, 0.7, 0]);
    expect(binomial().prepareResponse({ kind: "numeric", name: "y", values: Float64Array.of(0.5) }, Float64Array.of(3)).warnings)
      .toEqual(["non-integer #successes in a binomial glm!"]);
  });

  it("other families refuse cbind and factor responses and name the row of the data as given", () => {
    const factor = { kind: "factor" as const, name: "g", values: Float64Array.of(0, 1), levels: ["a", "b"] };
    expect(() => poisson().prepareResponse(factor, null)).toThrow(/only binomial families take a factor response/);
    expect(binomial().prepareResponse(factor, null).y).toBe(factor.values);
    expect(() => Gamma().prepareResponse({ kind: "numeric", name: "y", values: Float64Array.of(1, 0) }, null, Int32Array.of(2, 5)))
      .toThrow(DataError);
    expect(() => Gamma().prepareResponse({ kind: "numeric", name: "y", values: Float64Array.of(1, 0) }, null, Int32Array.of(2, 5)))
      .toThrow("y must be > 0 for the Gamma family; row 6 has y = 0");
    expect(() => gaussian().prepareResponse({ kind: "numeric", name: "y", values: Float64Array.of(NaN) }, null)).toThrow(/must be finite; row 1/);
  });
});

describe("simulate is R's family$simulate, drawing from the caller's variates", () => {
  /** Variates that record what was asked of them. */
  function recorder(): { rng: Variates; calls: string[] } {
    const calls: string[] = [];
    const note = (name: string, value: number) => (...args: number[]) => { calls.push(`${name}(${args.join(", ")})`); return value; };
    return {
      calls,
      rng: {
        uniform: note("uniform", 0.5), normal: note("normal", 1), binomial: note("binomial", 2), poisson: note("poisson", 3),
        gamma: note("gamma", 4), negativeBinomial: note("negativeBinomial", 5), inverseGaussian: note("inverseGaussian", 6),
      },
    };
  }

  it("maps (μ, aux, w) to the distribution's parameters", () => {
    const { rng, calls } = recorder();
    expect(gaussian().simulate!(rng, 2, 3, 4)).toBe(1);
    expect(binomial().simulate!(rng, 0.3, NaN, 4)).toBe(0.5);
    expect(binomial().simulate!(rng, 0.3, NaN, 0)).toBe(0);
    expect(poisson().simulate!(rng, 2.5, NaN, 7)).toBe(3);
    expect(Gamma().simulate!(rng, 2, 5, 2)).toBe(4);
    expect(inverseGaussian().simulate!(rng, 1.5, 4, 2)).toBe(6);
    expect(negativeBinomial(9).simulate!(rng, 3, 2, 5)).toBe(5);
    expect(calls).toEqual(["normal(2, 1.5)", "binomial(4, 0.3)", "poisson(2.5)", "gamma(10, 5)", "inverseGaussian(1.5, 8)", "negativeBinomial(3, 2)"]);
    expect(quasibinomial().simulate).toBeNull();
  });

  it("Tweedie: compound Poisson–gamma for 1 < p < 2", () => {
    const { rng, calls } = recorder();
    expect(tweedie(1.5).simulate!(rng, 4, 2, 1)).toBe(4);
    expect(calls).toEqual([`poisson(${Math.pow(4, 0.5) / (2 * 0.5)})`, `gamma(${3 * 1}, ${1 / (2 * 0.5 * 2)})`]);
    expect(() => tweedie(2).simulate!(rng, 1, 1, 1)).toThrow(/must be in \(1, 2\)/);
  });

  it("binomial draws need whole numbers of trials", () => {
    expect(() => binomial().checkSimulationWeights(Float64Array.of(1, 2.5))).toThrow(/whole numbers of trials, row 2 has 2.5/);
    expect(() => poisson().checkSimulationWeights(Float64Array.of(2.5))).not.toThrow();
  });
});

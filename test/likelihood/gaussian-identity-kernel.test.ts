/**
 * The gaussian–identity η-space kernel (src/families/gaussian-likelihood.ts) gives the
 * generic kernel's numbers bit for bit: value, score, aux gradient, Hessian parts, Fisher
 * weights and the Jeffreys pieces, with unit, fractional and zero weights, and −∞ for NaN η.
 */
import { describe, expect, it } from "vitest";
import { makeFamily } from "../../src/families/index.js";
import { GaussianIdentityKernel } from "../../src/families/gaussian-likelihood.js";
import { likelihoodKernel, rowLikelihoodKernel } from "../../src/likelihood/glm-likelihood.js";

describe("GaussianIdentityKernel", () => {
  const n = 37;
  const y = Float64Array.from({ length: n }, (_, i) => 60 + 25 * Math.sin(1.3 * i));
  const weights = Float64Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 0 : i % 5 === 1 ? 2.5 : 1));
  const eta = Float64Array.from({ length: n }, (_, i) => 58 + 20 * Math.cos(0.7 * i));
  const fam = makeFamily("gaussian");
  const generic = { ...fam, likelihood: { observationModel: fam.likelihood!.observationModel } };
  const fast = likelihoodKernel({ y, weights, trials: null, family: fam });
  const slow = rowLikelihoodKernel({ y, weights, trials: null, family: generic });

  it("is the kernel of gaussian(identity), and not of other links", () => {
    expect(fast).toBeInstanceOf(GaussianIdentityKernel);
    expect(likelihoodKernel({ y, weights, trials: null, family: makeFamily("gaussian", { link: "log" }) })).not.toBeInstanceOf(GaussianIdentityKernel);
    expect(slow).not.toBeInstanceOf(GaussianIdentityKernel);
  });

  for (const u of [Math.log(3), -0.4, 2.2]) {
    it(`equals the generic kernel bit for bit (u = ${u.toFixed(3)})`, () => {
      const s1 = new Float64Array(n), s2 = new Float64Array(n), a1 = new Float64Array(1), a2 = new Float64Array(1);
      expect(fast.logLikGrad(eta, u, s1, a1)).toBe(slow.logLikGrad(eta, u, s2, a2));
      expect(s1).toEqual(s2);
      expect(a1).toEqual(a2);
      expect(fast.logLik(eta, u)).toBe(slow.logLik(eta, u));
      const r1 = new Float64Array(n), r2 = new Float64Array(n);
      (fast as unknown as typeof slow).logLikRows(eta, u, r1);
      slow.logLikRows(eta, u, r2);
      expect(r1).toEqual(r2);
      const h1 = new Float64Array(n), h2 = new Float64Array(n), hu1 = new Float64Array(n), hu2 = new Float64Array(n);
      expect(fast.hessianParts(eta, u, h1, hu1)).toBe(slow.hessianParts(eta, u, h2, hu2));
      expect(h1).toEqual(h2);
      expect(hu1).toEqual(hu2);
      const o1 = new Float64Array(n), o2 = new Float64Array(n);
      expect(fast.fisher(eta, u, o1)).toBe(slow.fisher(eta, u, o2));
      expect(o1).toEqual(o2);
      const j1 = Array.from({ length: 6 }, () => new Float64Array(n)), j2 = Array.from({ length: 6 }, () => new Float64Array(n));
      fast.fisherLogDerivatives(eta, u, j1[0]!, j1[1]!, j1[2]!, j1[3]!, j1[4]!, j1[5]!);
      slow.fisherLogDerivatives(eta, u, j2[0]!, j2[1]!, j2[2]!, j2[3]!, j2[4]!, j2[5]!);
      for (let k = 0; k < 6; k++) for (let i = 0; i < n; i++) expect(j1[k]![i]! === j2[k]![i]!).toBe(true);
      const x1 = new Float64Array(3), x2 = new Float64Array(3);
      expect(fast.auxInfoHalfLog(u, x1)).toBe(slow.auxInfoHalfLog(u, x2));
      expect(x1).toEqual(x2);
      expect(fast.startAux(eta)).toBe(slow.startAux(eta));
    });
  }

  it("returns −∞ (and a zero score) for a NaN linear predictor, as the generic kernel", () => {
    const bad = Float64Array.from(eta);
    bad[5] = NaN;
    const s1 = new Float64Array(n).fill(7), a1 = new Float64Array(1);
    expect(fast.logLikGrad(bad, 0, s1, a1)).toBe(-Infinity);
    expect(s1.every((v) => v === 0)).toBe(true);
    expect(fast.logLik(bad, 0)).toBe(-Infinity);
    expect(slow.logLik(bad, 0)).toBe(-Infinity);
  });
});

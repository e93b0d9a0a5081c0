/**
 * Results keep a fit context, not the model; every kind of fit answers the one
 * result interface; the penalized kinds are a tagged union in which Laplace is a
 * MAP plus its Gaussian approximation.
 */
import { describe, it, expect } from "vitest";
import { glm } from "../../models/glm.js";
import { laplaceEstimate } from "../../models/penalized-result.js";
import type { GlmResult } from "../../models/result.js";
import { readCsv } from "../../src/data/index.js";
import { intervalSets } from "../../src/intervals/compare.js";

const birthwt = readCsv("data/birthwt.csv");
const birthwtModel = (priors?: { coefficients: string }) =>
  glm({ formula: "low ~ age + lwt + smoke", data: birthwt, family: "binomial", ...(priors ? { priors } : {}) });

describe("fit context", () => {
  const rows = [
    { y: 0, x: 1.2 }, { y: 1, x: 0.4 }, { y: 1, x: null }, { y: 0, x: -0.3 },
    { y: 1, x: 1.9 }, { y: 0, x: 0.1 }, { y: 1, x: 2.5 }, { y: 0, x: 0.7 },
  ];
  const model = glm({ formula: "y ~ x", data: rows, family: "binomial", priors: { coefficients: "normal(0, 2.5)" } });

  it("results hold the context (formula, rows dropped, data warnings), not the model", () => {
    const fits: GlmResult[] = [model.fit(), model.firth(), model.map(), model.laplace()];
    for (const f of fits) {
      expect(f.context).toBe(model.context);
      expect("model" in f).toBe(false);
      expect(f.context.formula).toBe("y ~ x");
      expect(f.context.naDropped).toBe(1);
      expect(f.warnings[0]).toBe("1 observation deleted due to missingness");
      expect(f.toJSON().na_dropped).toBe(1);
      expect(f.toJSON().method).toBe(f.method);
    }
  });

  it("predict(newdata) builds the design from the context", () => {
    const fit = model.fit();
    const kept = rows.filter((r) => r.x !== null);
    const a = fit.predict(kept, { type: "response", seFit: true });
    const b = fit.predict(undefined, { type: "response", seFit: true });
    expect(Array.from(a.fit)).toEqual(Array.from(b.fit));
    expect(Array.from(a.se!)).toEqual(Array.from(b.se!));
  });

  it("a design-matrix model has no new-data design", () => {
    const m = glm({ design: { X: [[1, 0], [1, 1], [1, 2], [1, 3]], y: [1, 2, 2, 4], columnNames: ["(Intercept)", "x"] } });
    expect(m.context).toEqual({ formula: null, naDropped: 0, warnings: [], newDesign: null });
    expect(() => m.fit().predict([{ x: 1 }])).toThrow(/needs a formula model/);
  });
});

describe("penalized kinds", () => {
  it("firth, jeffreys, map and laplace are tagged, and the method follows the kind", () => {
    const firth = birthwtModel().firth();
    const jeffreys = birthwtModel({ coefficients: "jeffreys" }).map();
    const map = birthwtModel({ coefficients: "normal(0, 2.5)" }).map();
    const laplace = birthwtModel({ coefficients: "normal(0, 2.5)" }).laplace();
    expect([firth.kind, jeffreys.kind, map.kind, laplace.kind]).toEqual(["firth", "jeffreys", "map", "laplace"]);
    expect([firth.method, jeffreys.method, map.method, laplace.method]).toEqual(["firth", "map", "map", "laplace"]);
    expect(firth.estimate.fit.type).toBe("AS_mean");
    if (jeffreys.estimate.kind !== "jeffreys") throw new Error("expected the Jeffreys kind");
    expect(jeffreys.estimate.fit.type).toBe("MPL_Jeffreys");
  });

  it("the Laplace kind is the MAP plus its Gaussian approximation", () => {
    const model = birthwtModel({ coefficients: "normal(0, 2.5)" });
    const map = model.map();
    const laplace = model.laplace();
    if (map.estimate.kind !== "map") throw new Error("expected the MAP kind");
    const approx = laplace.estimate.approximation!;
    expect(Array.from(approx.mean)).toEqual(Array.from(map.estimate.fit.theta));
    expect(Array.from(approx.covariance)).toEqual(Array.from(map.estimate.fit.covariance));
    expect(approx.names).toEqual(map.estimate.fit.problem.columnNames);
    const { method: _a, ...lj } = laplace.toJSON();
    const { method: _b, ...mj } = map.toJSON();
    expect(lj).toEqual(mj);
  });

  it("the approximation is null when the covariance at the mode is not finite", () => {
    const fit = birthwtModel({ coefficients: "normal(0, 2.5)" }).laplace().estimate.fit;
    const broken = { ...fit, covariance: fit.covariance.map(() => Number.NaN) };
    expect(laplaceEstimate(broken)).toEqual({ kind: "laplace", fit: broken, approximation: null });
  });

  it("named estimates agree with the coefficient table for every kind", () => {
    for (const f of [birthwtModel().fit(), birthwtModel().firth(), birthwtModel({ coefficients: "normal(0, 2.5)" }).map()]) {
      const coef = f.coef;
      for (const r of f.coefficients) expect(coef[r.name]).toBe(r.estimate);
    }
  });
});

describe("interval sources without the API layer", () => {
  it("posterior intervals take draws per chain as plain data and pass the warnings on", () => {
    const chain = (shift: number) => Float64Array.from({ length: 200 }, (_, k) => (k % 2 === 0 ? Math.floor(k / 2) / 100 + shift : -shift));
    const src = { names: ["a", "b"], draws: [chain(0), chain(0.5)], warnings: ["a warning"] };
    const [set] = intervalSets({ posterior: src }, { methods: ["posterior"], level: 0.9 });
    expect(set!.rows.map((r) => r.name)).toEqual(["a", "b"]);
    expect(set!.warnings).toContain("a warning");
    const pooledA = [...Array.from({ length: 100 }, (_, i) => i / 100), ...Array.from({ length: 100 }, (_, i) => i / 100 + 0.5)].sort((x, y) => x - y);
    expect(set!.rows[0]!.lower).toBeGreaterThanOrEqual(pooledA[0]!);
    expect(set!.rows[0]!.upper).toBeLessThanOrEqual(pooledA[199]!);
    expect(set!.rows[1]!.lower).toBeCloseTo(-0.5, 12);
  });
});

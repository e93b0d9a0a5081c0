/**
 * The Laplace approximation from DuckDB aggregates against the in-memory laplace():
 * the same posterior mode and posterior SDs. Both stop when the Newton step is below
 * 1e-9 posterior SDs (max_j |g_j|·sd_j < 1e-9), so modes are compared to 1e-8 SDs
 * and SDs to 1e-8 relative.
 */
import { describe, it, expect } from "vitest";
import { glm } from "../../models/glm.js";
import { readCsv } from "../../src/data/index.js";
import { laplaceDuckdb } from "../../models/duckdb.js";
import { ArgumentError } from "../../src/errors.js";

const CASES = [
  { data: "data/birthwt.csv", formula: "low ~ age + lwt + race + smoke + ptl + ht + ui", family: "binomial", priors: { coefficients: "normal(0, 2.5)", intercept: "normal(0, 10)" } },
  { data: "data/birthwt.csv", formula: "low ~ age + lwt + race + smoke + ptl + ht + ui", family: "binomial", priors: { coefficients: "student_t(3, 0, 2.5)" } },
  { data: "data/endometrial.csv", formula: "HG ~ NV + PI + EH", family: "binomial", priors: { coefficients: "student_t(3, 0, 2.5)", intercept: "normal(0, 10)" } },
  { data: "data/dobson.csv", formula: "counts ~ factor(outcome) + factor(treatment)", family: "poisson", priors: { coefficients: "normal(0, 1)" } },
  // rstanarm's default priors (autoscaled by the engine's column SDs, the intercept's prior on the centred intercept).
  { data: "data/birthwt.csv", formula: "low ~ age + lwt + race + smoke + ptl + ht + ui", family: "binomial", priors: undefined },
  { data: "data/dobson.csv", formula: "counts ~ factor(outcome) + factor(treatment)", family: "poisson", priors: undefined },
  // Declared priors with the intercept's on the centred intercept.
  { data: "data/birthwt.csv", formula: "low ~ age + lwt + smoke", family: "binomial", priors: { coefficients: "normal(0, 1)", intercept: "normal(0, 2)", interceptOn: "centered" as const } },
];

describe("laplaceAsync on DuckDB = laplace() in memory", () => {
  for (const c of CASES) {
    it(`${c.family} ${c.formula} under ${JSON.stringify(c.priors)}`, async () => {
      const mem = glm({ formula: c.formula, data: readCsv(c.data), family: c.family, priors: c.priors }).laplace();
      const sql = await glm({ formula: c.formula, data: { duckdb: c.data }, family: c.family, priors: c.priors }).laplaceAsync();
      expect(sql.converged).toBe(true);
      // The prior as described, the autoscaled scales to 1e-12 (the engine's stddev_samp against the in-memory SD: rounding apart).
      const sp = sql.toJSON().prior, mp = mem.toJSON().prior as typeof sp;
      expect({ ...sp, adjusted: null }).toEqual({ ...mp, adjusted: null });
      const scales = (a: typeof sp.adjusted) => [...Object.values(a.coefficients), a.intercept ?? ""].map((t) => (t.match(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/g) ?? []).map(Number));
      const [ss, ms] = [scales(sp.adjusted), scales(mp.adjusted)];
      expect(Object.keys(sp.adjusted.coefficients)).toEqual(Object.keys(mp.adjusted.coefficients));
      ss.forEach((v, i) => v.forEach((x, k) => expect(Math.abs(x - ms[i]![k]!)).toBeLessThanOrEqual(1e-12 * Math.abs(ms[i]![k]!))));
      expect(sql.coefficients.map((r) => r.name)).toEqual(mem.coefficients.map((r) => r.name));
      mem.coefficients.forEach((m, j) => {
        const s = sql.coefficients[j]!;
        expect(Math.abs(s.estimate! - m.estimate!), `${m.name} mode`).toBeLessThan(1e-8 * m.se!);
        expect(Math.abs(s.se! - m.se!), `${m.name} sd`).toBeLessThan(1e-8 * m.se!);
      });
    });
  }
  it("refuses a non-canonical link with a typed error", async () => {
    const err = await laplaceDuckdb({ formula: "low ~ age", data: { duckdb: "data/birthwt.csv" }, family: "binomial", link: "cloglog", priors: { coefficients: "normal(0, 1)" } }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ArgumentError);
    expect((err as Error).message).toMatch(/canonical link/);
  });
});

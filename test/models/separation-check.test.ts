/**
 * The separation verdict of ML fits (models/separation-check.ts) on the hardening
 * issue's cases:
 * - 420k rows × 5 columns (above the LP limit): a rare 0/1 column whose 1-rows all
 *   have y = 0 is reported (−∞, from the exact column checks) with `checked: false`,
 *   `coverage: "columns"` and a note and warning naming the API option that runs the
 *   full check — it used to be a converged fit with rare = −12, SE 16 and no warning;
 * - with the LP off (separation: "never"), a fit without separating columns says that
 *   separation was not fully checked, in the caller's wording (API or CLI);
 * - glm.nb (θ estimated) reports a factor level whose counts are all zero as the
 *   Poisson fit does (it used to report gc = −21.6, SE 4908, and only "theta iteration
 *   limit reached").
 */
import { describe, it, expect } from "vitest";
import { glm } from "../../models/glm.js";
import { CLI_SEPARATION_WORDING } from "../../models/separation-check.js";
import { LP_AUTO_LIMIT } from "../../src/separation.js";

/** A deterministic pseudo-uniform stream (LCG), so the data are the same on every run. */
function lcg(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
}

describe("separation verdict without the LP", () => {
  it("large data: a rare indicator whose 1-rows all have y = 0 is −∞ from the exact column checks", () => {
    const n = 420_000;
    const u = lcg(2024);
    const y = new Float64Array(n), x1 = new Float64Array(n), x2 = new Float64Array(n), rare = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x1[i] = 2 * u() - 1;
      x2[i] = 2 * u() - 1;
      rare[i] = u() < 5e-4 ? 1 : 0;
      const eta = -0.5 + x1[i]! + 0.5 * x2[i]!;
      y[i] = rare[i] ? 0 : u() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
    }
    expect(n * 5).toBeGreaterThan(LP_AUTO_LIMIT);
    const fit = glm({ formula: "y ~ x1 + x2 + I(x2^2) + rare", data: { y, x1, x2, rare }, family: "binomial" }).fit();
    expect(fit.ml.irls.converged).toBe(true); // IRLS alone gives no sign
    const v = fit.separation!;
    expect(v.detected).toBe(true);
    expect(v.infinite).toEqual({ rare: "-Inf" });
    expect(v.checked).toBe(false);
    expect(v.coverage).toBe("columns");
    expect(v.note).toContain('fit({ separation: "always" }) runs the full check');
    expect(v.note).toContain('every row where "rare" is non-zero has y = 0');
    const w = fit.warnings.find((s) => s.startsWith("separation detected"));
    expect(w).toContain("rare → -Inf");
    expect(w).toContain("Not fully checked");
    expect(w).not.toContain("--"); // API wording, no CLI flags
  });

  it('separation: "never" with nothing found: not fully checked, in the caller\'s wording', () => {
    const data = { y: [0, 1, 0, 1, 1, 0, 1, 1], x: [1, 2, 3, 4, 5, 6, 7, 8] };
    const model = glm({ formula: "y ~ x", data, family: "binomial" });
    const api = model.fit({ separation: "never" });
    expect(api.separation).toMatchObject({ detected: null, infinite: {}, checked: false, coverage: "columns" });
    expect(api.separation!.note).toContain('separation: "never"');
    expect(api.warnings).toEqual([`separation not fully checked: ${api.separation!.note}`]);
    const cli = model.fit({ separation: "never", separationWording: CLI_SEPARATION_WORDING });
    expect(cli.separation!.note).toContain("--separation always runs the full check");
    // the LP, when it runs, settles it: no separation, no warning
    expect(model.fit().separation).toEqual({ detected: false, infinite: {}, checked: true });
    expect(model.fit().warnings).toEqual([]);
  });
});

describe("negative binomial with θ estimated", () => {
  it("a factor level whose counts are all 0 is reported as for the Poisson fit", () => {
    const data = {
      y: [0, 0, 0, 0, 3, 1, 4, 2, 5, 1, 7, 0, 2],
      g: ["c", "c", "c", "c", "a", "a", "a", "b", "b", "b", "a", "b", "a"],
    };
    const pois = glm({ formula: "y ~ g", data, family: "poisson" }).fit();
    const nb = glm({ formula: "y ~ g", data, family: "negative_binomial" }).fit();
    expect(nb.negbin).not.toBeNull(); // θ was estimated (MASS::glm.nb)
    expect(pois.separation).toEqual({ detected: true, infinite: { gc: "-Inf" }, checked: true });
    expect(nb.separation).toEqual(pois.separation);
    expect(nb.warnings.some((w) => w.startsWith("infinite estimates") && w.includes("gc → -Inf"))).toBe(true);
    expect(nb.toJSON().separation!.infinite).toEqual({ gc: "-Inf" });
  });

  it("θ estimated without zero-count groups: the verdict is clean", () => {
    const data = { y: [2, 0, 3, 1, 4, 2, 5, 1, 7, 0, 2, 6], x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] };
    const nb = glm({ formula: "y ~ x", data, family: "negative_binomial" }).fit();
    expect(nb.separation).toEqual({ detected: false, infinite: {}, checked: true });
  });
});

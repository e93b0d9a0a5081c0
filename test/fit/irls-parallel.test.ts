/**
 * The parallel IRLS engine (design on a SharedArrayBuffer, rows split over worker
 * threads) gives the serial fit: same iterations, coefficients and SEs equal up
 * to the order of floating-point sums.
 */
import { describe, it, expect } from "vitest";
import normalFactory from "@stdlib/random-base-normal";
import poissonFactory from "@stdlib/random-base-poisson";
import uniformFactory from "@stdlib/random-base-uniform";
import { glm } from "../../models/glm.js";
import { sharedFloat64, PARALLEL_MIN_ENTRIES } from "../../src/linalg/parallel-crossprod.js";

describe("parallel IRLS", () => {
  for (const family of ["binomial", "poisson"] as const) {
    it(`${family}: worker threads reproduce the single-thread fit`, () => {
      const p = 8;
      const n = Math.ceil(PARALLEL_MIN_ENTRIES / p) + 101;
      const rnorm = normalFactory.factory(0, 1, { seed: 11 });
      const runif = uniformFactory.factory(0, 1, { seed: 12 });
      const rpois = poissonFactory.factory({ seed: 13 });
      const Xs = sharedFloat64(n * p);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let eta = -0.3;
        for (let j = 0; j < p; j++) {
          const x = j === 0 ? 1 : rnorm();
          Xs[i * p + j] = x;
          if (j > 0) eta += 0.3 * Math.cos(j) * x;
        }
        y[i] = family === "binomial" ? (runif() < 1 / (1 + Math.exp(-eta)) ? 1 : 0) : rpois(Math.exp(eta));
      }
      const names = ["(Intercept)", ...Array.from({ length: p - 1 }, (_, j) => `x${j + 1}`)];
      const prev = process.env.GLMKIT_THREADS;
      process.env.GLMKIT_THREADS = "3";
      let par;
      try {
        par = glm({ design: { X: Xs, y, n, p, columnNames: names }, family }).fit();
      } finally {
        if (prev === undefined) delete process.env.GLMKIT_THREADS;
        else process.env.GLMKIT_THREADS = prev;
      }
      const ser = glm({ design: { X: Float64Array.from(Xs), y, n, p, columnNames: names }, family }).fit();
      expect(par.iterations).toBe(ser.iterations);
      par.coefficients.forEach((c, j) => {
        const s = ser.coefficients[j]!;
        expect(Math.abs(c.estimate! - s.estimate!)).toBeLessThan(1e-10 * (1 + Math.abs(s.estimate!)));
        expect(Math.abs(c.se! - s.se!)).toBeLessThan(1e-10 * s.se!);
      });
      expect(Math.abs(par.deviance - ser.deviance)).toBeLessThan(1e-9 * ser.deviance);
    });
  }
});

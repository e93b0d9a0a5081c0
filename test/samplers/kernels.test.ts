// Integrators, metric, static HMC and the NUTS kernel in isolation.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  buildHmcKernel,
  buildNutsKernel,
  createRng,
  essMean,
  kineticEnergy,
  makeIntegrator,
  makeMetric,
  mclachlan,
  mcseMean,
  sampleMomentum,
  unitMetric,
  velocityVerlet,
  yoshida,
  type Integrator,
  type LogDensity,
  type Rng,
} from "../../samplers/index.js";
import { ArgumentError, NumericalError } from "../../src/errors.js";
import { funnel, normal, quartic } from "./targets.js";

const oscillator = normal({ dim: 1 }); // H = q²/2 + p²/2: q(t) = sin t, p(t) = cos t from (0, 1)

function integrate(integrator: Integrator, target: LogDensity, q0: number[], p0: number[], eps: number, steps: number, invMetric?: Float64Array) {
  const dim = target.dim;
  const metric = makeMetric(invMetric ?? new Float64Array(dim).fill(1), dim);
  const q = Float64Array.from(q0);
  const p = Float64Array.from(p0);
  const g = new Float64Array(dim);
  const work = new Float64Array(dim);
  let logp = target.logDensityGrad(q, g);
  const h0 = -logp + kineticEnergy(metric, p);
  let maxEnergyError = 0;
  for (let s = 0; s < steps; s++) {
    logp = integrator.step(target, metric, eps, q, p, g, work);
    maxEnergyError = Math.max(maxEnergyError, Math.abs(-logp + kineticEnergy(metric, p) - h0));
  }
  return { q, p, maxEnergyError };
}

describe("integrators", () => {
  it("velocity Verlet: 100 steps of 0.01 on the harmonic oscillator reach (sin 1, cos 1) with O(ε²) error", () => {
    const a = integrate(velocityVerlet, oscillator, [0], [1], 0.01, 100);
    const b = integrate(velocityVerlet, oscillator, [0], [1], 0.005, 200);
    const errA = Math.hypot(a.q[0] - Math.sin(1), a.p[0] - Math.cos(1));
    const errB = Math.hypot(b.q[0] - Math.sin(1), b.p[0] - Math.cos(1));
    expect(errA).toBeLessThan(1e-4);
    expect(errA / errB).toBeGreaterThan(3.9); // second order: halving ε divides the error by 4
    expect(errA / errB).toBeLessThan(4.1);
  });

  it("higher-stage integrators are more accurate per step on the oscillator", () => {
    const err = (i: Integrator) => {
      const r = integrate(i, oscillator, [0], [1], 0.01, 100);
      return Math.hypot(r.q[0] - Math.sin(1), r.p[0] - Math.cos(1));
    };
    expect(err(mclachlan)).toBeLessThan(err(velocityVerlet) / 5);
    expect(err(yoshida)).toBeLessThan(err(velocityVerlet) / 5);
  });

  it("closes the orbit: 2π/ε steps return to the start", () => {
    const n = 6283;
    const r = integrate(velocityVerlet, oscillator, [0], [1], (2 * Math.PI) / n, n);
    expect(Math.abs(r.q[0])).toBeLessThan(1e-5);
    expect(Math.abs(r.p[0] - 1)).toBeLessThan(1e-5);
  });

  it("is reversible: forward, flip momentum, forward, flip returns to the start (property)", () => {
    const target = quartic({ dim: 5 });
    const vec = fc.array(fc.double({ min: -1.5, max: 1.5, noNaN: true }), { minLength: 5, maxLength: 5 });
    fc.assert(
      fc.property(vec, vec, fc.double({ min: 0.01, max: 0.2, noNaN: true }), fc.integer({ min: 1, max: 30 }), (q0, p0, eps, steps) => {
        for (const integrator of [velocityVerlet, mclachlan]) {
          const f = integrate(integrator, target, q0, p0, eps, steps);
          const back = integrate(integrator, target, Array.from(f.q), Array.from(f.p, (v) => -v), eps, steps);
          for (let i = 0; i < 5; i++) {
            expect(Math.abs(back.q[i] - q0[i])).toBeLessThan(1e-12);
            expect(Math.abs(-back.p[i] - p0[i])).toBeLessThan(1e-12);
          }
        }
      }),
      { numRuns: 50, seed: 7 },
    );
  });

  it("energy error stays bounded and scales as ε² (anisotropic Gaussian, non-unit metric)", () => {
    const target = normal({ dim: 2, sds: [1, 3] });
    const inv = Float64Array.of(1.5, 4);
    const a = integrate(velocityVerlet, target, [0.3, -2], [1, 0.5], 0.1, 2000, inv);
    const b = integrate(velocityVerlet, target, [0.3, -2], [1, 0.5], 0.05, 4000, inv);
    expect(a.maxEnergyError).toBeLessThan(0.02); // no drift over 2000 steps
    expect(a.maxEnergyError / b.maxEnergyError).toBeGreaterThan(3.5);
    expect(a.maxEnergyError / b.maxEnergyError).toBeLessThan(4.5);
  });

  it("rejects coefficient lists that are not symmetric or consistent", () => {
    expect(() => makeIntegrator("bad", [0.4, 1, 0.6])).toThrow(/palindrome/);
    expect(() => makeIntegrator("bad", [0.5, 0.9, 0.5])).toThrow(/sum/);
    expect(() => makeIntegrator("bad", [0.5, 0.5])).toThrow(ArgumentError);
  });
});

describe("metric", () => {
  it("dense momentum draws have covariance M = (M⁻¹)⁻¹", () => {
    const inv = Float64Array.of(2, 0.5, 0.5, 1); // M = [[1, -0.5], [-0.5, 2]] / 1.75
    const metric = makeMetric(inv, 2);
    const rng = createRng(11);
    const n = 40000;
    const p = new Float64Array(2);
    let s00 = 0;
    let s01 = 0;
    let s11 = 0;
    for (let i = 0; i < n; i++) {
      sampleMomentum(metric, rng.normal, p);
      s00 += p[0] * p[0];
      s01 += p[0] * p[1];
      s11 += p[1] * p[1];
    }
    const m = [1 / 1.75, -0.5 / 1.75, 2 / 1.75];
    // sd of a sample second moment of a Gaussian ≈ √(2/n)·scale: allow 5 of them.
    const tol = 5 * Math.sqrt(2 / n) * 1.2;
    expect(Math.abs(s00 / n - m[0])).toBeLessThan(tol);
    expect(Math.abs(s01 / n - m[1])).toBeLessThan(tol);
    expect(Math.abs(s11 / n - m[2])).toBeLessThan(tol);
  });

  it("kinetic energy of a dense metric is ½pᵀM⁻¹p", () => {
    const metric = makeMetric(Float64Array.of(2, 0.5, 0.5, 1), 2);
    expect(kineticEnergy(metric, Float64Array.of(1, 2))).toBeCloseTo(0.5 * (2 + 2 * 0.5 * 2 + 4), 14);
  });

  it("rejects bad metrics with typed errors", () => {
    expect(() => makeMetric(Float64Array.of(1, -1), 2)).toThrow(/invMetric\[1\]/);
    expect(() => makeMetric(Float64Array.of(1, 2, 3), 2)).toThrow(/length 2 .* or 4/);
    expect(() => makeMetric(Float64Array.of(1, 2, 0, 1), 2)).toThrow(/symmetric/);
    expect(() => makeMetric(Float64Array.of(1, 2, 2, 1), 2)).toThrow(NumericalError);
  });
});

/** An Rng with scripted draws, to follow one transition by hand. */
function scriptedRng(normals: number[], uniforms: number[]): Rng {
  let i = 0;
  let j = 0;
  return {
    normal: () => normals[i++ % normals.length],
    uniform: () => uniforms[j++ % uniforms.length],
  };
}

describe("NUTS kernel", () => {
  it("accept_stat__ is the mean of min(1, exp(H0 − H)) over the tree's leapfrog steps (current Stan)", () => {
    // 1-d N(0, 1), start q = 0.3 with p = 1.1, always extend forward, max depth 2: 1 + 2 leapfrog steps.
    const eps = 0.9;
    const kernel = buildNutsKernel({ maxTreeDepth: 2 });
    const state = kernel.init(Float64Array.of(0.3), oscillator);
    const { info } = kernel.step(scriptedRng([1.1], [0.99]), state, oscillator, { stepSize: eps, invMetric: Float64Array.of(1) });
    // Leapfrog by hand (∇log p = −q).
    let q = 0.3;
    let p = 1.1;
    const h0 = (q * q + p * p) / 2;
    const probs: number[] = [];
    for (let s = 0; s < 3; s++) {
      p -= (eps / 2) * q;
      q += eps * p;
      p -= (eps / 2) * q;
      probs.push(Math.min(1, Math.exp(h0 - (q * q + p * p) / 2)));
    }
    expect(info.nLeapfrog).toBe(3);
    expect(info.treeDepth).toBe(2);
    expect(probs.some((a) => a < 1)).toBe(true); // the check is not vacuous
    expect(info.acceptProb).toBeCloseTo((probs[0] + probs[1] + probs[2]) / 3, 14);
    // Not the older convention (start at 1, divide by n + 1):
    expect(Math.abs(info.acceptProb - (1 + probs[0] + probs[1] + probs[2]) / 4)).toBeGreaterThan(1e-3);
  });

  it("stops at a U-turn: on the oscillator a tree never spans much more than a half period", () => {
    const kernel = buildNutsKernel();
    const rng = createRng(5);
    let state = kernel.init(Float64Array.of(0.5), oscillator);
    for (let i = 0; i < 200; i++) {
      const out = kernel.step(rng, state, oscillator, { stepSize: 0.1, invMetric: Float64Array.of(1) });
      // A half period is π/0.1 ≈ 31 steps; doubling can overshoot to at most 2× plus the seam.
      expect(out.info.nLeapfrog).toBeLessThanOrEqual(127);
      expect(out.info.treeDepth).toBeLessThan(10);
      state = out.state;
    }
  });

  it("does not mutate the state it is given, and returns fresh arrays", () => {
    const target = normal({ dim: 3 });
    const kernel = buildNutsKernel();
    const s0 = kernel.init(Float64Array.of(0.1, -0.2, 0.3), target);
    const copy = Float64Array.from(s0.position);
    const gcopy = Float64Array.from(s0.grad);
    const { state } = kernel.step(createRng(3), s0, target, { stepSize: 0.5, invMetric: Float64Array.of(1, 1, 1) });
    expect(Array.from(s0.position)).toEqual(Array.from(copy));
    expect(Array.from(s0.grad)).toEqual(Array.from(gcopy));
    expect(state.position).not.toBe(s0.position);
    const g = new Float64Array(3);
    expect(state.logDensity).toBe(target.logDensityGrad(state.position, g));
    expect(Array.from(state.grad)).toEqual(Array.from(g));
  });

  it("reports divergences on a funnel with a big step size", () => {
    const target = funnel({ dim: 10 });
    const kernel = buildNutsKernel();
    const rng = createRng(17);
    let state = kernel.init(Float64Array.from({ length: 10 }, (_, i) => (i === 0 ? -3 : 0.1)), target);
    let divergent = 0;
    for (let i = 0; i < 100; i++) {
      const out = kernel.step(rng, state, target, { stepSize: 1.5, invMetric: new Float64Array(10).fill(1) });
      if (out.info.divergent) divergent++;
      state = out.state;
    }
    expect(divergent).toBeGreaterThan(10);
    // With a small step on the standard normal, none.
    const nrm = normal({ dim: 10 });
    let s = kernel.init(new Float64Array(10).fill(0.1), nrm);
    for (let i = 0; i < 100; i++) {
      const out = kernel.step(rng, s, nrm, { stepSize: 0.3, invMetric: new Float64Array(10).fill(1) });
      expect(out.info.divergent).toBe(false);
      s = out.state;
    }
  });

  it("treats NaN log density as a divergence (NaN energy → +∞)", () => {
    const walled: LogDensity = {
      dim: 1,
      logDensityGrad(x, g) {
        g[0] = -x[0];
        return Math.abs(x[0]) > 1 ? NaN : -0.5 * x[0] * x[0];
      },
    };
    const kernel = buildNutsKernel();
    const { info, state } = kernel.step(scriptedRng([3], [0.99]), kernel.init(Float64Array.of(0.5), walled), walled, {
      stepSize: 1,
      invMetric: Float64Array.of(1),
    });
    expect(info.divergent).toBe(true);
    expect(Math.abs(state.position[0])).toBeLessThanOrEqual(1);
  });

  it("init and step reject bad input with typed errors", () => {
    const target = normal({ dim: 2 });
    const kernel = buildNutsKernel();
    expect(() => kernel.init(Float64Array.of(1), target)).toThrow(/position has length 1/);
    expect(() => kernel.init(Float64Array.of(1, NaN), target)).toThrow(/position\[1\]/);
    const s = kernel.init(Float64Array.of(1, 2), target);
    expect(() => kernel.step(createRng(1), s, target, { stepSize: -1, invMetric: Float64Array.of(1, 1) })).toThrow(/stepSize/);
    expect(() => buildNutsKernel({ maxTreeDepth: 0 })).toThrow(/maxTreeDepth/);
  });
});

describe("static HMC", () => {
  it("samples a correlated 2-d Gaussian: means and variances within 4 MCSE", () => {
    // Σ = [[1, 0.8], [0.8, 1]]; precision = Σ⁻¹.
    const det = 1 - 0.64;
    const target: LogDensity = {
      dim: 2,
      logDensityGrad(x, g) {
        const a = (x[0] - 0.8 * x[1]) / det;
        const b = (x[1] - 0.8 * x[0]) / det;
        g[0] = -a;
        g[1] = -b;
        return -0.5 * (x[0] * a + x[1] * b);
      },
    };
    const kernel = buildHmcKernel({ numSteps: 12 });
    const chains: Float64Array[][] = [[], []];
    let accepted = 0;
    for (let c = 0; c < 4; c++) {
      const rng = createRng(100 + c);
      let state = kernel.init(Float64Array.of(0.5, -0.5), target);
      const x0 = new Float64Array(2000);
      const x1 = new Float64Array(2000);
      for (let i = 0; i < 2200; i++) {
        const out = kernel.step(rng, state, target, { stepSize: 0.15, invMetric: Float64Array.of(1, 1) });
        state = out.state;
        if (i >= 200) {
          x0[i - 200] = state.position[0];
          x1[i - 200] = state.position[1];
          if (out.info.acceptProb > 0.5) accepted++;
        }
      }
      chains[0].push(x0);
      chains[1].push(x1);
    }
    expect(accepted / 8000).toBeGreaterThan(0.8);
    for (const ch of chains) {
      const all = ch.flatMap((c) => Array.from(c));
      const m = all.reduce((a, b) => a + b, 0) / all.length;
      expect(Math.abs(m)).toBeLessThan(4 * mcseMean(ch));
      const sq = ch.map((c) => c.map((v) => v * v));
      const m2 = all.reduce((a, b) => a + b * b, 0) / all.length;
      expect(Math.abs(m2 - 1)).toBeLessThan(4 * mcseMean(sq));
      expect(essMean(ch)).toBeGreaterThan(500);
    }
  });

  it("rejects a wild proposal by the Metropolis rule and keeps the state", () => {
    const target = normal({ dim: 1 });
    const kernel = buildHmcKernel({ numSteps: 1 });
    // Huge step → huge energy error → rejected, state unchanged (same object).
    const s = kernel.init(Float64Array.of(0.2), target);
    const out = kernel.step(scriptedRng([1], [0.5]), s, target, { stepSize: 50, invMetric: Float64Array.of(1) });
    expect(out.info.acceptProb).toBeLessThan(1e-100);
    expect(out.state).toBe(s);
    expect(unitMetric(1).kind).toBe("diag");
  });
});

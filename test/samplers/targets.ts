// Test targets for the sampler tests. Also a TargetFactory module: the parallel test
// rebuilds these in worker threads via { module: <this file>, exportName, args }.
import { createRng, type LogDensity } from "../../samplers/index.js";

/** Independent N(0, σᵢ²) in `dim` dimensions (σ = 1 unless `sds` given). */
export function normal(args: { dim: number; sds?: number[] }): LogDensity {
  const { dim } = args;
  const prec = Float64Array.from({ length: dim }, (_, i) => 1 / (args.sds ? args.sds[i] ** 2 : 1));
  return {
    dim,
    logDensityGrad(x, g) {
      let s = 0;
      for (let i = 0; i < dim; i++) {
        g[i] = -prec[i] * x[i];
        s -= 0.5 * prec[i] * x[i] * x[i];
      }
      return s;
    },
  };
}

/** Default export for factory tests: the standard normal of `args.dim` dimensions. */
export default normal;

/**
 * N(0, Σ) with Σ = Q diag(λ) Qᵀ, λ log-spaced from 1/√κ to √κ (condition number κ) and
 * Q a fixed orthogonal matrix (Gram–Schmidt of a seeded Gaussian matrix).
 * Returns the target and Σ (row-major) so tests know the truth.
 */
export function correlatedGaussian(args: { dim: number; condition: number; seed: number }): LogDensity & { covariance: Float64Array } {
  const { dim, condition } = args;
  const rng = createRng(args.seed);
  const q = Float64Array.from({ length: dim * dim }, () => rng.normal());
  // Gram–Schmidt on the rows of q.
  for (let i = 0; i < dim; i++) {
    for (let k = 0; k < i; k++) {
      let d = 0;
      for (let j = 0; j < dim; j++) d += q[i * dim + j] * q[k * dim + j];
      for (let j = 0; j < dim; j++) q[i * dim + j] -= d * q[k * dim + j];
    }
    let nrm = 0;
    for (let j = 0; j < dim; j++) nrm += q[i * dim + j] ** 2;
    nrm = Math.sqrt(nrm);
    for (let j = 0; j < dim; j++) q[i * dim + j] /= nrm;
  }
  const lambda = Float64Array.from({ length: dim }, (_, i) => Math.pow(condition, i / (dim - 1) - 0.5));
  const cov = new Float64Array(dim * dim);
  const prec = new Float64Array(dim * dim);
  for (let a = 0; a < dim; a++) {
    for (let b = 0; b < dim; b++) {
      let c = 0;
      let p = 0;
      for (let k = 0; k < dim; k++) {
        c += q[k * dim + a] * lambda[k] * q[k * dim + b];
        p += (q[k * dim + a] * q[k * dim + b]) / lambda[k];
      }
      cov[a * dim + b] = c;
      prec[a * dim + b] = p;
    }
  }
  return {
    dim,
    covariance: cov,
    logDensityGrad(x, g) {
      let s = 0;
      for (let a = 0; a < dim; a++) {
        let r = 0;
        for (let b = 0; b < dim; b++) r += prec[a * dim + b] * x[b];
        g[a] = -r;
        s -= 0.5 * x[a] * r;
      }
      return s;
    },
  };
}

/** Neal's funnel: v ~ N(0, 3²), xᵢ | v ~ N(0, e^v), θ = (v, x₁…x_{dim−1}). */
export function funnel(args: { dim: number }): LogDensity {
  const { dim } = args;
  return {
    dim,
    logDensityGrad(t, g) {
      const v = t[0];
      const ev = Math.exp(-v);
      let s = -(v * v) / 18;
      g[0] = -v / 9;
      for (let i = 1; i < dim; i++) {
        s -= 0.5 * t[i] * t[i] * ev + 0.5 * v;
        g[0] += 0.5 * t[i] * t[i] * ev - 0.5;
        g[i] = -t[i] * ev;
      }
      return s;
    },
  };
}

/** A non-quadratic smooth target −Σ(xᵢ⁴/4 + xᵢ²/2) (for reversibility checks). */
export function quartic(args: { dim: number }): LogDensity {
  const { dim } = args;
  return {
    dim,
    logDensityGrad(x, g) {
      let s = 0;
      for (let i = 0; i < dim; i++) {
        g[i] = -(x[i] ** 3) - x[i];
        s -= x[i] ** 4 / 4 + (x[i] * x[i]) / 2;
      }
      return s;
    },
  };
}

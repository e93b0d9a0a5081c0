/**
 * Welford's online mean and (co)variance (Welford 1962; Stan's
 * `welford_var_estimator` / `welford_covar_estimator`) with Stan's shrinkage of the
 * estimate towards 1e-3·I: Σ̃ = (n/(n + 5))·Σ̂ + 1e-3·(5/(n + 5))·I,
 * where Σ̂ is the unbiased sample (co)variance of n draws.
 */
import { NumericalError } from "../../src/errors.js";

/** Running moments. `update` writes into `mean` and `m2` in place (the caller owns the state). */
export interface WelfordState {
  n: number;
  readonly mean: Float64Array;
  /** Σ (x − x̄_old)∘(x − x̄_new): length dim (diag) or dim² (dense, row-major). */
  readonly m2: Float64Array;
}

function regularise(value: number, n: number, isDiagonal: boolean): number {
  return (n / (n + 5)) * value + (isDiagonal ? 1e-3 * (5 / (n + 5)) : 0);
}

/**
 * Diagonal estimator as `{ init, update, final }`; `final` returns the regularised
 * variances (a new array). Throws NumericalError when fewer than 2 draws were seen or
 * the result is not finite.
 * @example const w = welford(1); const s = w.init(); for (const x of [1, 2, 3]) w.update(s, Float64Array.of(x)); w.final(s)[0] // (3/8)·1 + 1e-3·5/8 = 0.375625
 */
export function welford(dim: number) {
  return {
    init(): WelfordState {
      return { n: 0, mean: new Float64Array(dim), m2: new Float64Array(dim) };
    },
    update(s: WelfordState, x: Float64Array): void {
      s.n++;
      const { mean, m2 } = s;
      for (let i = 0; i < dim; i++) {
        const d = x[i] - mean[i];
        mean[i] += d / s.n;
        m2[i] += (x[i] - mean[i]) * d;
      }
    },
    final(s: WelfordState): Float64Array {
      if (s.n < 2) throw new NumericalError(`variance estimate needs at least 2 draws, got ${s.n}`);
      const out = new Float64Array(dim);
      for (let i = 0; i < dim; i++) {
        out[i] = regularise(s.m2[i] / (s.n - 1), s.n, true);
        if (!Number.isFinite(out[i])) throw new NumericalError(`variance estimate of coordinate ${i} is ${out[i]}`);
      }
      return out;
    },
  };
}

/**
 * Dense estimator as `{ init, update, final }`; `final` returns the regularised
 * covariance (row-major dim×dim, a new array).
 */
export function welfordCovariance(dim: number) {
  return {
    init(): WelfordState {
      return { n: 0, mean: new Float64Array(dim), m2: new Float64Array(dim * dim) };
    },
    update(s: WelfordState, x: Float64Array, scratch: Float64Array = new Float64Array(dim)): void {
      s.n++;
      const { mean, m2 } = s;
      for (let i = 0; i < dim; i++) {
        scratch[i] = x[i] - mean[i];
        mean[i] += scratch[i] / s.n;
      }
      for (let i = 0; i < dim; i++) {
        const di = x[i] - mean[i];
        const row = i * dim;
        for (let j = 0; j < dim; j++) m2[row + j] += di * scratch[j];
      }
    },
    final(s: WelfordState): Float64Array {
      if (s.n < 2) throw new NumericalError(`covariance estimate needs at least 2 draws, got ${s.n}`);
      const out = new Float64Array(dim * dim);
      for (let i = 0; i < dim; i++) {
        for (let j = 0; j < dim; j++) {
          // Symmetrise: m2 is symmetric up to rounding.
          const v = 0.5 * (s.m2[i * dim + j] + s.m2[j * dim + i]);
          out[i * dim + j] = regularise(v / (s.n - 1), s.n, i === j);
          if (!Number.isFinite(out[i * dim + j])) throw new NumericalError(`covariance estimate [${i}, ${j}] is ${out[i * dim + j]}`);
        }
      }
      return out;
    },
  };
}

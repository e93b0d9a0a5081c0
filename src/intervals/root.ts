/**
 * Root of an increasing function on a bracket by safeguarded Newton steps
 * (Numerical Recipes' `rtsafe` idea [1]): a Newton step is taken when it stays
 * inside the current bracket and shrinks at least as fast as bisection would;
 * otherwise the bracket is bisected. The bracket [lo, hi] with g(lo) < 0 < g(hi)
 * is kept throughout, so the iteration cannot leave it; g may be +Infinity at hi
 * (e.g. a profile that leaves the parameter space), which forces bisection there.
 *
 * [1] Press, Teukolsky, Vetterling & Flannery (2007), Numerical Recipes, 3rd ed., §9.4.
 */

/** Value and derivative of the function whose root is sought. */
export interface ValueAndSlope {
  value: number;
  slope: number;
}

export interface RootResult {
  root: number;
  /** g at the last evaluated point. */
  value: number;
  iterations: number;
  converged: boolean;
  /** Final bracket. */
  lo: number;
  hi: number;
}

export interface RootOptions {
  /** Stop when the step or the bracket is below xtol·(1 + |x|) (default 1e-12). */
  xtol?: number;
  /** Stop when |g| ≤ ftol (default 0: only the step test). */
  ftol?: number;
  /** Maximum number of evaluations (default 100). */
  maxit?: number;
  /** First point to evaluate (default the midpoint of the bracket). */
  start?: number;
}

/**
 * Solves g(x) = 0 for an increasing g on [lo, hi] with g(lo) < 0 < g(hi).
 * @example solveIncreasing((x) => ({ value: x * x - 2, slope: 2 * x }), 0, 2).root // 1.4142135623730951
 */
export function solveIncreasing(
  g: (x: number) => ValueAndSlope,
  lo: number,
  hi: number,
  options: RootOptions = {},
): RootResult {
  const xtol = options.xtol ?? 1e-12;
  const ftol = options.ftol ?? 0;
  const maxit = options.maxit ?? 100;
  let x = options.start !== undefined && options.start > lo && options.start < hi ? options.start : 0.5 * (lo + hi);
  let dxOld = hi - lo;
  let dx = dxOld;
  let value = Number.NaN;
  for (let it = 1; it <= maxit; it++) {
    const r = g(x);
    value = r.value;
    if (value === 0 || Math.abs(value) <= ftol) return { root: x, value, iterations: it, converged: true, lo, hi };
    if (value < 0) lo = x;
    else hi = x;
    const tol = xtol * (1 + Math.abs(x));
    if (hi - lo <= tol) return { root: value < 0 ? lo : hi, value, iterations: it, converged: true, lo, hi };
    const newton = x - value / r.slope;
    const usable =
      Number.isFinite(value) && r.slope > 0 && Number.isFinite(newton) && newton > lo && newton < hi && Math.abs(2 * (newton - x)) <= Math.abs(dxOld);
    dxOld = dx;
    if (usable) {
      dx = newton - x;
      x = newton;
      if (Math.abs(dx) <= tol) {
        return { root: x, value, iterations: it, converged: true, lo, hi };
      }
    } else {
      dx = 0.5 * (hi - lo);
      x = lo + dx;
    }
  }
  return { root: x, value, iterations: maxit, converged: false, lo, hi };
}

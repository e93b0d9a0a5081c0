/**
 * Bound-constrained Nelder–Mead (Lagarias et al. 1998, "Convergence properties of the
 * Nelder–Mead simplex method in low dimensions", SIAM J. Optim. 9, 112–147; adaptive
 * coefficients of Gao & Han 2012), points projected onto the box, restarted from the best
 * vertex until a restart no longer improves; then {@link newtonPolish} refines the optimum
 * with central-difference derivatives, so that the optimum is located to far below the
 * simplex tolerance (lme4's deviance is smooth in θ and β away from the bounds).
 */

export interface MinimizeResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly evaluations: number;
  readonly converged: boolean;
}

export interface NelderMeadOptions {
  readonly lower?: Float64Array;
  readonly upper?: Float64Array;
  /** Initial simplex step per coordinate (default 0.1·max(|x|, 1)). */
  readonly step?: Float64Array;
  /** Stop when f_max − f_min ≤ ftol·(|f_min| + 1e-8) and the simplex is within xtol (defaults 1e-15, 1e-10). */
  readonly ftol?: number;
  readonly xtol?: number;
  readonly maxEval?: number;
}

function project(x: Float64Array, lo: Float64Array | undefined, hi: Float64Array | undefined): void {
  for (let j = 0; j < x.length; j++) {
    if (lo && x[j]! < lo[j]!) x[j] = lo[j]!;
    if (hi && x[j]! > hi[j]!) x[j] = hi[j]!;
  }
}

function nelderMeadOnce(f: (x: Float64Array) => number, x0: Float64Array, o: NelderMeadOptions, budget: number): MinimizeResult {
  const d = x0.length;
  const alpha = 1, gamma = 1 + 2 / d, rho = 0.75 - 1 / (2 * d), sigma = 1 - 1 / d;
  const ftol = o.ftol ?? 1e-15, xtol = o.xtol ?? 1e-10;
  const pts: Float64Array[] = [];
  const fv: number[] = [];
  let evals = 0;
  const ev = (x: Float64Array): number => { evals++; const v = f(x); return v === v ? v : Infinity; };
  const start = Float64Array.from(x0);
  project(start, o.lower, o.upper);
  pts.push(start);
  fv.push(ev(start));
  for (let j = 0; j < d; j++) {
    const x = Float64Array.from(start);
    const h = o.step ? o.step[j]! : 0.1 * Math.max(Math.abs(x[j]!), 1);
    x[j] += h;
    if (o.upper && x[j]! > o.upper[j]!) x[j] = start[j]! - h;
    project(x, o.lower, o.upper);
    pts.push(x);
    fv.push(ev(x));
  }
  const cen = new Float64Array(d), xr = new Float64Array(d), xe = new Float64Array(d), xc = new Float64Array(d);
  let converged = false;
  while (evals < budget) {
    const order = fv.map((_, i) => i).sort((a, b) => fv[a]! - fv[b]!);
    const sp = order.map((i) => pts[i]!), sf = order.map((i) => fv[i]!);
    for (let i = 0; i <= d; i++) { pts[i] = sp[i]!; fv[i] = sf[i]!; }
    let diam = 0;
    for (let i = 1; i <= d; i++) for (let j = 0; j < d; j++) diam = Math.max(diam, Math.abs(pts[i]![j]! - pts[0]![j]!));
    if (fv[d]! - fv[0]! <= ftol * (Math.abs(fv[0]!) + 1e-8) && diam <= xtol) { converged = true; break; }
    if (diam <= xtol * 1e-3) { converged = true; break; }
    cen.fill(0);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cen[j] += pts[i]![j]! / d;
    const worst = pts[d]!;
    for (let j = 0; j < d; j++) xr[j] = cen[j]! + alpha * (cen[j]! - worst[j]!);
    project(xr, o.lower, o.upper);
    const fr = ev(xr);
    if (fr < fv[0]!) {
      for (let j = 0; j < d; j++) xe[j] = cen[j]! + gamma * (xr[j]! - cen[j]!);
      project(xe, o.lower, o.upper);
      const fe = ev(xe);
      if (fe < fr) { pts[d] = Float64Array.from(xe); fv[d] = fe; } else { pts[d] = Float64Array.from(xr); fv[d] = fr; }
      continue;
    }
    if (fr < fv[d - 1]!) { pts[d] = Float64Array.from(xr); fv[d] = fr; continue; }
    const outside = fr < fv[d]!;
    for (let j = 0; j < d; j++) xc[j] = outside ? cen[j]! + rho * (xr[j]! - cen[j]!) : cen[j]! - rho * (cen[j]! - worst[j]!);
    project(xc, o.lower, o.upper);
    const fc = ev(xc);
    if (fc < (outside ? fr : fv[d]!)) { pts[d] = Float64Array.from(xc); fv[d] = fc; continue; }
    for (let i = 1; i <= d; i++) {
      for (let j = 0; j < d; j++) pts[i]![j] = pts[0]![j]! + sigma * (pts[i]![j]! - pts[0]![j]!);
      fv[i] = ev(pts[i]!);
    }
  }
  let best = 0;
  for (let i = 1; i <= d; i++) if (fv[i]! < fv[best]!) best = i;
  return { x: pts[best]!, f: fv[best]!, evaluations: evals, converged };
}

/** Minimizes f over the box from x0, restarting from the best vertex (a fresh simplex) until the optimum stops moving. */
export function nelderMead(f: (x: Float64Array) => number, x0: Float64Array, o: NelderMeadOptions = {}): MinimizeResult {
  const maxEval = o.maxEval ?? 50000;
  let r = nelderMeadOnce(f, x0, o, maxEval);
  let evals = r.evaluations;
  for (let restart = 0; restart < 6 && evals < maxEval; restart++) {
    const step = Float64Array.from(r.x, (v) => 1e-3 * Math.max(Math.abs(v), 1e-2));
    const r2 = nelderMeadOnce(f, r.x, { ...o, step }, maxEval - evals);
    evals += r2.evaluations;
    const improved = r2.f < r.f - 1e-14 * Math.abs(r.f);
    if (r2.f <= r.f) r = r2;
    if (!improved) break;
  }
  return { x: r.x, f: r.f, evaluations: evals, converged: r.converged };
}

/**
 * Gradient and Hessian of f at x by central differences with step δ, exactly as lme4's
 * `deriv12` (δ = 1e-4): H_jj = (f₊ − 2f + f₋)/δ², H_ij = (f₊₊ − f₊₋ − f₋₊ + f₋₋)/(4δ²).
 */
export function deriv12(f: (x: Float64Array) => number, x: Float64Array, fx: number, delta = 1e-4): { gradient: Float64Array; hessian: Float64Array } {
  const d = x.length;
  const g = new Float64Array(d), H = new Float64Array(d * d);
  const at = (i: number, si: number, j: number, sj: number): number => {
    const y = Float64Array.from(x);
    y[i] += si * delta;
    if (j >= 0) y[j] += sj * delta;
    return f(y);
  };
  for (let j = 0; j < d; j++) {
    const fa = at(j, 1, -1, 0), fs = at(j, -1, -1, 0);
    H[j * d + j] = (fa - 2 * fx + fs) / (delta * delta);
    g[j] = (fa - fs) / (2 * delta);
    for (let i = 0; i < j; i++) {
      const v = (at(i, 1, j, 1) - at(i, 1, j, -1) - at(i, -1, j, 1) + at(i, -1, j, -1)) / (4 * delta * delta);
      H[i * d + j] = v;
      H[j * d + i] = v;
    }
  }
  return { gradient: g, hessian: H };
}

/** Solves the d × d system H x = g (Gaussian elimination with partial pivoting); null if singular. */
export function solveDense(H: Float64Array, g: Float64Array, d: number): Float64Array | null {
  const a = Float64Array.from(H), b = Float64Array.from(g);
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r * d + c]!) > Math.abs(a[piv * d + c]!)) piv = r;
    if (!(Math.abs(a[piv * d + c]!) > 0)) return null;
    if (piv !== c) {
      for (let k = 0; k < d; k++) { const t = a[c * d + k]!; a[c * d + k] = a[piv * d + k]!; a[piv * d + k] = t; }
      const t = b[c]!; b[c] = b[piv]!; b[piv] = t;
    }
    for (let r = c + 1; r < d; r++) {
      const m = a[r * d + c]! / a[c * d + c]!;
      if (m === 0) continue;
      for (let k = c; k < d; k++) a[r * d + k] -= m * a[c * d + k]!;
      b[r] -= m * b[c]!;
    }
  }
  for (let r = d - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < d; k++) s -= a[r * d + k]! * b[k]!;
    b[r] = s / a[r * d + r]!;
  }
  return b;
}

/**
 * Newton steps with central-difference derivatives on the coordinates away from their
 * lower bounds (a coordinate at its bound stays there), each accepted only if f decreases.
 */
export function newtonPolish(f: (x: Float64Array) => number, r: MinimizeResult, lower: Float64Array | undefined, iterations = 6): MinimizeResult {
  let x = Float64Array.from(r.x), fx = r.f, evals = r.evaluations;
  const d = x.length;
  for (let it = 0; it < iterations; it++) {
    const free: number[] = [];
    for (let j = 0; j < d; j++) if (!lower || !(x[j]! - lower[j]! < 1e-6)) free.push(j);
    if (free.length === 0) break;
    const fs = (y: Float64Array): number => { evals++; const z = Float64Array.from(x); free.forEach((j, k) => (z[j] = y[k]!)); return f(z); };
    const xf = Float64Array.from(free, (j) => x[j]!);
    const { gradient, hessian } = deriv12(fs, xf, fx, 1e-4);
    const step = solveDense(hessian, gradient, free.length);
    if (!step) break;
    let improved = false;
    for (let s = 1; s > 1e-3; s /= 2) {
      const y = Float64Array.from(x);
      free.forEach((j, k) => (y[j] = x[j]! - s * step[k]!));
      if (lower) for (let j = 0; j < d; j++) if (y[j]! < lower[j]!) y[j] = lower[j]!;
      evals++;
      const fy = f(y);
      if (fy < fx) {
        const moved = Math.max(...free.map((j) => Math.abs(y[j]! - x[j]!)));
        x = y; fx = fy; improved = true;
        if (moved < 1e-12) it = iterations;
        break;
      }
    }
    if (!improved) break;
  }
  return { x, f: fx, evaluations: evals, converged: r.converged };
}

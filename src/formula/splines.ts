/**
 * B-spline and natural cubic spline bases as R's `splines` package builds them
 * (`splineDesign`, `bs`, `ns`; R 4.2.2), value for value.
 *
 * A B-spline basis of order k (degree k − 1) on the knot sequence t is given by
 * the Cox–de Boor recursion (de Boor 1978, A Practical Guide to Splines, ch. IX–X)
 *   B_{j,1}(x) = 1[t_j ≤ x < t_{j+1}],
 *   B_{j,k}(x) = (x − t_j)/(t_{j+k−1} − t_j) B_{j,k−1}(x) + (t_{j+k} − x)/(t_{j+k} − t_{j+1}) B_{j+1,k−1}(x),
 * evaluated as in R's splines.c (`basis_funcs`; derivatives by differencing the
 * coefficients, `evaluate`). `bs()` takes the boundary knots k times and the
 * interior knots once; `ns()` takes the cubic basis and keeps the subspace with
 * zero second derivative at both boundary knots: with Cᵀ = QR the QR of the
 * 2 × m constraint matrix C = [B''(a); B''(b)]ᵀ, the basis is B·Q[, 3:m]
 * (R's `qr.qty` on LINPACK's QR, so signs match R's).
 *
 * Interior knots for `df =` are R's type-7 quantiles of the non-missing x at
 * probabilities 1/(K+1), …, K/(K+1). Outside the boundary knots (new data),
 * `bs()` continues each basis function by its Taylor polynomial at a pivot a
 * quarter of the way to the next knot, `ns()` linearly from the boundary knot.
 */
import { ArgumentError } from "../errors.js";
import { dqrdc2, qrQty } from "./linpack.js";

/** A basis matrix: n × ncol, column-major. */
export interface Basis {
  readonly n: number;
  readonly ncol: number;
  readonly values: Float64Array;
}

/** What prediction needs to rebuild the basis (R's attributes, passed back by `makepredictcall`). */
export interface SplineState {
  readonly degree: number;
  readonly knots: readonly number[];
  readonly boundaryKnots: readonly [number, number];
  readonly intercept: boolean;
}

/** The index of the first knot > x, with R's special case for x at the last legitimate knot (set_cursor). */
function cursor(knots: Float64Array, order: number, x: number): { curs: number; boundary: boolean } {
  let curs = -1;
  const nk = knots.length;
  for (let i = 0; i < nk; i++) {
    if (knots[i] >= x) curs = i;
    if (knots[i] > x) break;
  }
  const last = nk - order;
  if (curs > last && x === knots[last]) return { curs: last, boundary: true };
  return { curs, boundary: false };
}

/** The `order` non-zero B-splines at x (R's basis_funcs), written to b. */
function basisFuncs(knots: Float64Array, curs: number, order: number, x: number, b: Float64Array): void {
  const m = order - 1;
  const rdel = new Float64Array(m), ldel = new Float64Array(m);
  for (let i = 0; i < m; i++) { rdel[i] = knots[curs + i] - x; ldel[i] = x - knots[curs - (i + 1)]; }
  b[0] = 1;
  for (let j = 1; j <= m; j++) {
    let saved = 0;
    for (let r = 0; r < j; r++) {
      const den = rdel[r] + ldel[j - 1 - r];
      if (den !== 0) {
        const term = b[r] / den;
        b[r] = saved + rdel[r] * term;
        saved = ldel[j - 1 - r] * term;
      } else {
        if (r !== 0 || rdel[r] !== 0) b[r] = saved;
        saved = 0;
      }
    }
    b[j] = saved;
  }
}

/** The `nder`-th derivative at x of the spline with local coefficients a (R's evaluate; a is overwritten). */
function evaluateDerivative(knots: Float64Array, curs: number, boundary: boolean, order: number, x: number, nder: number, a: Float64Array): number {
  let outer = order - 1;
  if (boundary && nder === outer) return 0;
  for (let d = 0; d < nder; d++) {
    for (let k = 0; k < outer; k++) a[k] = (outer * (a[k + 1] - a[k])) / (knots[curs + k] - knots[curs - outer + k]);
    outer--;
  }
  const rdel = new Float64Array(Math.max(outer, 1)), ldel = new Float64Array(Math.max(outer, 1));
  for (let i = 0; i < outer; i++) { rdel[i] = knots[curs + i] - x; ldel[i] = x - knots[curs - (i + 1)]; }
  while (outer-- > 0) {
    for (let k = 0; k <= outer; k++) {
      const l = ldel[outer - k], r = rdel[k];
      a[k] = (a[k + 1] * l + a[k] * r) / (r + l);
    }
  }
  return a[0];
}

/**
 * R's `splineDesign(knots, x, ord, derivs)` for x within
 * [knots[ord], knots[nk − ord + 1]]: the n × (nk − ord) matrix of B-splines (or
 * their derivatives, `derivs` recycled over x).
 */
export function splineDesign(knotsIn: readonly number[], x: ArrayLike<number>, order: number, derivs: readonly number[] = [0]): Basis {
  const knots = Float64Array.from(knotsIn).sort();
  const nk = knots.length;
  if (nk < 2 * order - 1) throw new ArgumentError(`splineDesign: need at least 2*ord - 1 (=${2 * order - 1}) knots`);
  const ncoef = nk - order;
  const n = x.length;
  const values = new Float64Array(n * ncoef);
  const b = new Float64Array(order), a = new Float64Array(order);
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    if (xi < knots[order - 1] || xi > knots[nk - order]) {
      throw new ArgumentError(`splineDesign: x = ${xi} is outside the range ${knots[order - 1]} to ${knots[nk - order]} of the knots`);
    }
    const { curs, boundary } = cursor(knots, order, xi);
    const offset = curs - order;
    const der = derivs[i % derivs.length];
    if (der > 0) {
      for (let ii = 0; ii < order; ii++) {
        a.fill(0);
        a[ii] = 1;
        b[ii] = evaluateDerivative(knots, curs, boundary, order, xi, der, a);
      }
    } else basisFuncs(knots, curs, order, xi, b);
    for (let k = 0; k < order; k++) values[i + (offset + k) * n] = b[k];
  }
  return { n, ncol: ncoef, values };
}

/** R's `seq.int(0, 1, length.out = m)` (filled from both ends, as R's seq.c). */
function seqUnit(m: number): number[] {
  const out = new Array<number>(m);
  if (m > 0) out[0] = 0;
  if (m > 1) out[m - 1] = 1;
  const by = 1 / (m - 1);
  for (let i = 1; i < m - 1; i++) out[i] = i < m / 2 ? i * by : 1 - (m - 1 - i) * by;
  return out;
}

/** R's `quantile(x, probs, type = 7)` of finite values. */
export function quantile7(xs: readonly number[], probs: readonly number[]): number[] {
  const x = [...xs].sort((u, v) => u - v);
  const n = x.length;
  return probs.map((p) => {
    const index = 1 + Math.max(n - 1, 0) * p;
    const lo = Math.floor(index), hi = Math.ceil(index);
    const q = x[lo - 1];
    if (index > lo && x[hi - 1] !== q) {
      const h = index - lo;
      return (1 - h) * q + h * x[hi - 1];
    }
    return q;
  });
}

/** The interior knots R places for `df`: quantiles at 1/(K+1)…K/(K+1) of the values inside the boundary knots. */
function defaultKnots(x: readonly number[], count: number): number[] {
  if (count <= 0) return [];
  const probs = seqUnit(count + 2).slice(1, count + 1);
  return quantile7(x, probs);
}

/** Arguments of `bs()` / `ns()` as written in the formula. */
export interface SplineArgs {
  readonly df?: number;
  readonly knots?: readonly number[];
  readonly degree?: number;
  readonly intercept?: boolean;
  readonly boundaryKnots?: readonly number[];
}

/** Boundary knots, interior knots and the outside mask, as bs()/ns() set them up. */
function setUp(x: readonly number[], args: SplineArgs, order: number, label: string, natural: boolean): { state: SplineState; warning: string | null } {
  const intercept = args.intercept ?? false;
  let bk: [number, number];
  let inside = x;
  if (args.boundaryKnots) {
    if (args.boundaryKnots.length !== 2) throw new ArgumentError(`${label}: Boundary.knots must be two numbers`);
    const s = [...args.boundaryKnots].sort((u, v) => u - v);
    bk = [s[0], s[1]];
    inside = x.filter((v) => v >= bk[0] && v <= bk[1]);
  } else {
    if (x.length === 0) throw new ArgumentError(`${label}: no non-missing values to place the knots`);
    let lo = Infinity, hi = -Infinity;
    for (const v of x) { if (v < lo) lo = v; if (v > hi) hi = v; }
    bk = natural && x.length === 1 ? [(x[0] * 7) / 8, (x[0] * 9) / 8] : [lo, hi];
  }
  let knots: number[] = args.knots ? [...args.knots] : [];
  let warning: string | null = null;
  if (args.df !== undefined && !args.knots) {
    let nIknots = natural ? args.df - 1 - (intercept ? 1 : 0) : args.df - order + (intercept ? 0 : 1);
    if (nIknots < 0) {
      nIknots = 0;
      warning = `${label}: 'df' was too small; have used ${natural ? 1 + (intercept ? 1 : 0) : order - (intercept ? 0 : 1)}`;
    }
    knots = defaultKnots(inside, Math.floor(nIknots));
  }
  return { state: { degree: order - 1, knots, boundaryKnots: bk, intercept }, warning };
}

/** Taylor continuation outside [a, b] for bs() (pivot inside) or the linear one for ns() (pivot at the knot). */
function outsideRows(x: number, pivot: number, aknots: number[], order: number, nder: number, ncoef: number): Float64Array {
  const derivs = Array.from({ length: nder + 1 }, (_, d) => d);
  const tt = splineDesign(aknots, new Array<number>(nder + 1).fill(pivot), order, derivs);
  const out = new Float64Array(ncoef);
  let fact = 1, pow = 1;
  for (let d = 0; d <= nder; d++) {
    if (d > 0) { const u = x - pivot; fact *= d; pow = d === 1 ? u : d === 2 ? u * u : Math.pow(u, d); }
    for (let j = 0; j < ncoef; j++) out[j] += pow * (tt.values[d + j * (nder + 1)] / fact);
  }
  return out;
}

/** The full basis (before dropping the intercept column) at x, continuing outside the boundary knots. */
function fullBasis(x: readonly number[], state: SplineState, natural: boolean): Basis {
  const order = state.degree + 1;
  const [a, b] = state.boundaryKnots;
  const aknots = [...new Array<number>(order).fill(a), ...new Array<number>(order).fill(b), ...state.knots].sort((u, v) => u - v);
  const ncoef = aknots.length - order;
  const n = x.length;
  const inside: number[] = [], insideRows: number[] = [];
  x.forEach((v, i) => { if (v >= a && v <= b) { inside.push(v); insideRows.push(i); } });
  const values = new Float64Array(n * ncoef);
  if (inside.length) {
    const B = splineDesign(aknots, inside, order);
    insideRows.forEach((row, k) => { for (let j = 0; j < ncoef; j++) values[row + j * n] = B.values[k + j * inside.length]; });
  }
  const e = 0.25;
  x.forEach((v, i) => {
    if (v >= a && v <= b) return;
    const left = v < a;
    const pivot = natural ? (left ? a : b)
      : left ? (1 - e) * a + e * aknots[order] : (1 - e) * b + e * aknots[aknots.length - order - 1];
    const row = outsideRows(v, pivot, aknots, order, natural ? 1 : state.degree, ncoef);
    for (let j = 0; j < ncoef; j++) values[i + j * n] = row[j];
  });
  return { n, ncol: ncoef, values };
}

function dropFirstColumn(B: Basis): Basis {
  return { n: B.n, ncol: B.ncol - 1, values: B.values.slice(B.n) };
}

/**
 * R's `bs(x, df, knots, degree, intercept, Boundary.knots)` over the values x
 * (no missing values), with its state for prediction. With `state`, rebuilds
 * the basis from the stored knots (R's predict through makepredictcall).
 */
export function bsBasis(x: readonly number[], args: SplineArgs, label: string, state?: SplineState): { basis: Basis; state: SplineState; warnings: string[] } {
  const degree = args.degree ?? 3;
  if (!Number.isInteger(degree) || degree < 1) throw new ArgumentError(`${label}: 'degree' must be an integer >= 1`);
  const warnings: string[] = [];
  let st = state;
  if (!st) {
    const s = setUp(x, args, degree + 1, label, false);
    st = s.state;
    if (s.warning) warnings.push(s.warning);
  }
  const [a, b] = st.boundaryKnots;
  if ((state || args.boundaryKnots) && x.some((v) => v < a || v > b)) warnings.push(`${label}: some 'x' values beyond boundary knots may cause ill-conditioned bases`);
  const full = fullBasis(x, st, false);
  return { basis: st.intercept ? full : dropFirstColumn(full), state: st, warnings };
}

/**
 * R's `ns(x, df, knots, intercept, Boundary.knots)`: the cubic B-spline basis
 * projected onto the null space of its second derivatives at the boundary knots.
 */
export function nsBasis(x: readonly number[], args: SplineArgs, label: string, state?: SplineState): { basis: Basis; state: SplineState; warnings: string[] } {
  const warnings: string[] = [];
  let st = state;
  if (!st) {
    const s = setUp(x, args, 4, label, true);
    st = { ...s.state, degree: 3 };
    if (s.warning) warnings.push(s.warning);
  }
  let basis = fullBasis(x, st, true);
  const aknots = [...new Array<number>(4).fill(st.boundaryKnots[0]), ...new Array<number>(4).fill(st.boundaryKnots[1]), ...st.knots].sort((u, v) => u - v);
  let constraint = splineDesign(aknots, st.boundaryKnots, 4, [2, 2]);
  if (!st.intercept) { constraint = dropFirstColumn(constraint); basis = dropFirstColumn(basis); }
  const m = basis.ncol;
  // t(const): m × 2, column-major = const row-major.
  const ct = new Float64Array(m * 2);
  for (let j = 0; j < m; j++) for (let r = 0; r < 2; r++) ct[j + r * m] = constraint.values[r + j * 2];
  const qr = dqrdc2(ct, m, 2);
  // t(basis): m × n column-major = basis row-major.
  const n = basis.n;
  const bt = new Float64Array(m * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) bt[j + i * m] = basis.values[i + j * n];
  const qty = qrQty(qr, bt, n);
  const ncol = m - 2;
  const values = new Float64Array(n * ncol);
  for (let i = 0; i < n; i++) for (let j = 0; j < ncol; j++) values[i + j * n] = qty[j + 2 + i * m];
  return { basis: { n, ncol, values }, state: st, warnings };
}

/**
 * The penalized least-squares core of lme4 (Bates, Mächler, Bolker & Walker 2015,
 * "Fitting linear mixed-effects models using lme4", JSS 67(1), §3), dense where the
 * number q of group-level coefficients is small:
 *
 *   b = Λθ u,  ZΛ = Z·Λθ (k non-zeros per row and term),
 *   L Lᵀ = ΛᵀZᵀWZΛ + I                                   (eq. 18)
 *   L R_ZX = ΛᵀZᵀWX,  R_XᵀR_X = XᵀWX − R_ZXᵀR_ZX         (eq. 19–20)
 *
 * One solve of the block system [[ΛᵀZᵀWZΛ + I, ΛᵀZᵀWX], [XᵀWZΛ, XᵀWX]] (δu, δβ) = (r_u, r_β)
 * serves the linear mixed model (one solve from 0 with the response) and every PIRLS step
 * of the generalized one. Work arrays are allocated once per fit ({@link makeWorkspace});
 * each evaluation is O(n·m² + q³/3 + q²p) with m = Σ k the non-zeros of a row of Z.
 */
import type { GroupTerm } from "./types.js";

/** Z in row form plus the layout of θ, shared by every evaluation of a fit. */
export interface MixedLayout {
  readonly n: number;
  readonly p: number;
  /** Number of group-level coefficients Σ levels·k. */
  readonly q: number;
  /** Non-zeros per row of Z: Σ k over terms. */
  readonly m: number;
  /** Column of b of each non-zero: n × m. */
  readonly cols: Int32Array;
  /** Z values, n × m (the k columns of each term, in term order). */
  readonly z: Float64Array;
  /** Per term: k, first column of b, first entry of θ, first non-zero slot of a row. */
  readonly terms: ReadonlyArray<{ readonly k: number; readonly colStart: number; readonly thetaStart: number; readonly slot: number; readonly nl: number }>;
  /** Length of θ: Σ k(k+1)/2. */
  readonly nTheta: number;
  /** Lower bound of each θ: 0 on the diagonal of each Λ block, −∞ below it (lme4's `lower`). */
  readonly lower: Float64Array;
}

/** The layout of Z and θ for the terms of a design. */
export function mixedLayout(terms: readonly GroupTerm[], n: number, p: number): MixedLayout {
  const m = terms.reduce((s, t) => s + t.k, 0);
  const cols = new Int32Array(n * m), z = new Float64Array(n * m);
  const layout: Array<{ k: number; colStart: number; thetaStart: number; slot: number; nl: number }> = [];
  let colStart = 0, thetaStart = 0, slot = 0;
  const lower: number[] = [];
  for (const t of terms) {
    const k = t.k;
    for (let i = 0; i < n; i++) {
      const g = t.group[i]!;
      for (let j = 0; j < k; j++) {
        cols[i * m + slot + j] = colStart + g * k + j;
        z[i * m + slot + j] = t.values[i * k + j]!;
      }
    }
    layout.push({ k, colStart, thetaStart, slot, nl: t.levels.length });
    for (let j = 0; j < k; j++) for (let l = j; l < k; l++) lower.push(l === j ? 0 : -Infinity);
    colStart += t.levels.length * k;
    thetaStart += (k * (k + 1)) / 2;
    slot += k;
  }
  return { n, p, q: colStart, m, cols, z, terms: layout, nTheta: thetaStart, lower: Float64Array.from(lower) };
}

/** lme4's starting θ: 1 on the diagonals, 0 below. */
export function thetaStart(layout: MixedLayout): Float64Array {
  return Float64Array.from(layout.lower, (lo) => (lo === 0 ? 1 : 0));
}

/** Work arrays of one fit. */
export interface Workspace {
  /** ZΛ values, n × m. */
  readonly zl: Float64Array;
  /** q × q: ΛᵀZᵀWZΛ + I, then its lower Cholesky factor L. */
  readonly L: Float64Array;
  /** q × p: ΛᵀZᵀWX, then R_ZX = L⁻¹ΛᵀZᵀWX. */
  readonly RZX: Float64Array;
  /** p × p: XᵀWX − R_ZXᵀR_ZX, then its lower Cholesky factor (R_Xᵀ). */
  readonly RX: Float64Array;
  readonly cu: Float64Array;
  readonly du: Float64Array;
  readonly db: Float64Array;
  readonly tmpP: Float64Array;
  /** First non-zero column of each row of L (its envelope). */
  readonly first: Int32Array;
  /** log|L|², log|R_X|² of the last factorization. */
  ldL2: number;
  ldRX2: number;
}

export function makeWorkspace(layout: MixedLayout): Workspace {
  const { n, m, q, p } = layout;
  return {
    zl: new Float64Array(n * m), L: new Float64Array(q * q), RZX: new Float64Array(q * p), RX: new Float64Array(p * p),
    cu: new Float64Array(q), du: new Float64Array(q), db: new Float64Array(p), tmpP: new Float64Array(p), first: new Int32Array(q), ldL2: 0, ldRX2: 0,
  };
}

/** zl = rows of ZΛθ: (zᵢᵀ T)_j = Σ_{l ≥ j} z_il T_lj, T lower triangular filled column-wise from θ (lme4's Lind). */
export function setTheta(layout: MixedLayout, theta: Float64Array, zl: Float64Array): void {
  const { n, m, z } = layout;
  for (const t of layout.terms) {
    const { k, slot, thetaStart: t0 } = t;
    for (let i = 0; i < n; i++) {
      const base = i * m + slot;
      let idx = t0;
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let l = j; l < k; l++) s += z[base + l]! * theta[idx++]!;
        zl[base + j] = s;
      }
    }
  }
}

/**
 * In-place lower Cholesky of a row-major d × d matrix (lower triangle read), as an
 * envelope (skyline) factorization when `first` is given: first[i] is the first non-zero
 * column of row i, and the factor's non-zeros stay inside that envelope (George & Liu
 * 1981, §4.2). lme4's term order makes the first term's rows block diagonal, so a single
 * grouping factor costs O(q k²) instead of O(q³). Returns log det or NaN when not
 * positive definite.
 */
export function choleskyInPlace(a: Float64Array, d: number, first?: Int32Array): number {
  let logdet = 0;
  for (let i = 0; i < d; i++) {
    const fi = first ? first[i]! : 0;
    for (let j = fi; j < i; j++) {
      const fj = first ? first[j]! : 0;
      let t = a[i * d + j]!;
      for (let k = fi > fj ? fi : fj; k < j; k++) t -= a[i * d + k]! * a[j * d + k]!;
      a[i * d + j] = t / a[j * d + j]!;
    }
    let s = a[i * d + i]!;
    for (let k = fi; k < i; k++) s -= a[i * d + k]! * a[i * d + k]!;
    if (!(s > 0)) return NaN;
    const lii = Math.sqrt(s);
    a[i * d + i] = lii;
    logdet += 2 * Math.log(lii);
    for (let k = i + 1; k < d; k++) a[i * d + k] = 0;
  }
  return logdet;
}

/** Solves L x = b in place (L lower, stride d; `first` its envelope). */
export function forwardSolve(L: Float64Array, d: number, x: Float64Array, first?: Int32Array): void {
  for (let i = 0; i < d; i++) {
    let s = x[i]!;
    for (let k = first ? first[i]! : 0; k < i; k++) s -= L[i * d + k]! * x[k]!;
    x[i] = s / L[i * d + i]!;
  }
}

/** Solves Lᵀ x = b in place. */
export function backSolve(L: Float64Array, d: number, x: Float64Array): void {
  for (let i = d - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < d; k++) s -= L[k * d + i]! * x[k]!;
    x[i] = s / L[i * d + i]!;
  }
}

/**
 * Factorizes the block system at weights `w` (and the current zl): L, R_ZX, R_X, with
 * log|L|² and log|R_X|² in ws. Returns false when a factor is not positive definite
 * (X rank-deficient). `X` is n × p row-major.
 */
export function factorize(layout: MixedLayout, X: Float64Array, w: Float64Array, ws: Workspace): boolean {
  const { n, m, q, p, cols } = layout;
  const { zl, L, RZX, RX } = ws;
  L.fill(0);
  RZX.fill(0);
  RX.fill(0);
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    if (wi === 0) continue;
    const base = i * m;
    for (let a = 0; a < m; a++) {
      const ca = cols[base + a]!, va = wi * zl[base + a]!;
      if (va === 0) continue;
      for (let b = 0; b < m; b++) {
        const cb = cols[base + b]!;
        if (cb <= ca) L[ca * q + cb] += va * zl[base + b]!;
      }
      for (let j = 0; j < p; j++) RZX[ca * p + j] += va * X[i * p + j]!;
    }
    for (let j = 0; j < p; j++) {
      const xj = wi * X[i * p + j]!;
      for (let l = 0; l <= j; l++) RX[j * p + l] += xj * X[i * p + l]!;
    }
  }
  const first = ws.first;
  for (let j = 0; j < q; j++) {
    L[j * q + j] += 1;
    let f = 0;
    while (f < j && L[j * q + f] === 0) f++;
    first[j] = f;
  }
  const ldL2 = choleskyInPlace(L, q, first);
  if (!(ldL2 === ldL2)) return false;
  // R_ZX = L⁻¹ ΛᵀZᵀWX, column by column (forward substitution over rows of RZX).
  for (let i = 0; i < q; i++) {
    for (let k = first[i]!; k < i; k++) {
      const lik = L[i * q + k]!;
      if (lik === 0) continue;
      for (let j = 0; j < p; j++) RZX[i * p + j] -= lik * RZX[k * p + j]!;
    }
    const lii = L[i * q + i]!;
    for (let j = 0; j < p; j++) RZX[i * p + j] /= lii;
  }
  for (let j = 0; j < p; j++) for (let l = 0; l <= j; l++) {
    let s = 0;
    for (let i = 0; i < q; i++) s += RZX[i * p + j]! * RZX[i * p + l]!;
    RX[j * p + l] -= s;
  }
  const ldRX2 = p > 0 ? choleskyInPlace(RX, p) : 0;
  if (!(ldRX2 === ldRX2)) return false;
  ws.ldL2 = ldL2;
  ws.ldRX2 = ldRX2;
  return true;
}

/**
 * With the system factorized, solves for (δu, δβ) given right-hand sides r_u (length q,
 * overwritten) and r_β (length p): results in ws.du and ws.db. With `betaFixed`, δβ = 0
 * and δu = (ΛᵀZᵀWZΛ + I)⁻¹ r_u.
 */
export function solveBlock(layout: MixedLayout, ws: Workspace, ru: Float64Array, rb: Float64Array, betaFixed: boolean): void {
  const { q, p } = layout;
  const { L, RZX, RX, cu, du, db } = ws;
  cu.set(ru);
  forwardSolve(L, q, cu, ws.first);
  if (betaFixed || p === 0) db.fill(0);
  else {
    for (let j = 0; j < p; j++) {
      let s = rb[j]!;
      for (let i = 0; i < q; i++) s -= RZX[i * p + j]! * cu[i]!;
      db[j] = s;
    }
    forwardSolve(RX, p, db);
    backSolve(RX, p, db);
  }
  for (let i = 0; i < q; i++) {
    let s = cu[i]!;
    for (let j = 0; j < p; j++) s -= RZX[i * p + j]! * db[j]!;
    du[i] = s;
  }
  backSolve(L, q, du);
}

/** Writes (R_XᵀR_X)⁻¹ (p × p) into out: the unscaled covariance of β̂ given θ. */
export function unscaledBetaCov(p: number, ws: Workspace, out: Float64Array): void {
  const e = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    e.fill(0);
    e[j] = 1;
    forwardSolve(ws.RX, p, e);
    backSolve(ws.RX, p, e);
    for (let i = 0; i < p; i++) out[i * p + j] = e[i]!;
  }
}

/** η = offset + Xβ + ZΛu into eta. */
export function linearPredictor(layout: MixedLayout, X: Float64Array, offset: Float64Array, beta: Float64Array, u: Float64Array, zl: Float64Array, eta: Float64Array): void {
  const { n, m, p, cols } = layout;
  for (let i = 0; i < n; i++) {
    let s = offset[i]!;
    for (let j = 0; j < p; j++) s += X[i * p + j]! * beta[j]!;
    for (let a = 0; a < m; a++) s += zl[i * m + a]! * u[cols[i * m + a]!]!;
    eta[i] = s;
  }
}

/** r_u = (ZΛ)ᵀ v − u·c and r_β = Xᵀ v. */
export function crossprods(layout: MixedLayout, X: Float64Array, zl: Float64Array, v: Float64Array, ru: Float64Array, rb: Float64Array): void {
  const { n, m, p, cols } = layout;
  ru.fill(0);
  rb.fill(0);
  for (let i = 0; i < n; i++) {
    const vi = v[i]!;
    if (vi === 0) continue;
    for (let a = 0; a < m; a++) ru[cols[i * m + a]!] += zl[i * m + a]! * vi;
    for (let j = 0; j < p; j++) rb[j] += X[i * p + j]! * vi;
  }
}

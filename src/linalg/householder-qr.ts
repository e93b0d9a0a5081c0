/**
 * Householder QR with R's limited column pivoting (LINPACK dqrdc2, as used by
 * R's lm.fit and glm.fit): columns whose norm falls below tol × their original
 * norm are moved to the right edge and reported as aliased; the other columns
 * keep their order. Used by the IRLS step only when the faster Cholesky route
 * suspects rank deficiency, so that aliasing is decided exactly as R decides it.
 *
 * References: Dongarra et al. (1979) LINPACK Users' Guide, ch. 9; R's
 * src/appl/dqrdc2.f (with D. Bates' 1999 norm-update fix).
 */

export interface LimitedPivotQr {
  /** Column-major n×p compact QR (R in the upper triangle, Householder vectors below). */
  qr: Float64Array;
  n: number;
  p: number;
  qraux: Float64Array;
  /** Numerical rank k: the first k columns of `pivot` are kept, the rest are aliased. */
  rank: number;
  /** pivot[j] = original index of the column at position j. */
  pivot: Int32Array;
}

function norm2(a: Float64Array, from: number, len: number): number {
  // Scaled 2-norm (as BLAS dnrm2) so that huge or tiny columns neither overflow nor underflow.
  let scale = 0;
  let ssq = 1;
  for (let i = from; i < from + len; i++) {
    const v = a[i]!;
    if (v !== 0) {
      const av = Math.abs(v);
      if (scale < av) {
        ssq = 1 + ssq * (scale / av) * (scale / av);
        scale = av;
      } else {
        ssq += (av / scale) * (av / scale);
      }
    }
  }
  return scale * Math.sqrt(ssq);
}

/** Decomposes the column-major n×p matrix `a` in place. */
export function qrLimitedPivot(a: Float64Array, n: number, p: number, tol: number): LimitedPivotQr {
  const qraux = new Float64Array(p);
  const work1 = new Float64Array(p);
  const work2 = new Float64Array(p);
  const pivot = new Int32Array(p);
  const col = new Float64Array(n);
  for (let j = 0; j < p; j++) {
    pivot[j] = j;
    qraux[j] = norm2(a, j * n, n);
    work1[j] = qraux[j]!;
    work2[j] = qraux[j] === 0 ? 1 : qraux[j]!;
  }
  const lup = Math.min(n, p);
  let k = p; // 0-based: columns at positions ≥ k are aliased
  for (let l = 0; l < lup; l++) {
    // Cycle negligible columns to the right edge.
    while (l < k && qraux[l]! < work2[l]! * tol) {
      col.set(a.subarray(l * n, l * n + n));
      a.copyWithin(l * n, (l + 1) * n, p * n);
      a.set(col, (p - 1) * n);
      const pv = pivot[l]!, q = qraux[l]!, w1 = work1[l]!, w2 = work2[l]!;
      for (let j = l + 1; j < p; j++) {
        pivot[j - 1] = pivot[j]!;
        qraux[j - 1] = qraux[j]!;
        work1[j - 1] = work1[j]!;
        work2[j - 1] = work2[j]!;
      }
      pivot[p - 1] = pv;
      qraux[p - 1] = q;
      work1[p - 1] = w1;
      work2[p - 1] = w2;
      k--;
    }
    if (l === n - 1) break;
    const ll = l * n + l;
    let nrmxl = norm2(a, ll, n - l);
    if (nrmxl === 0) continue;
    if (a[ll] !== 0) nrmxl = Math.sign(a[ll]!) * Math.abs(nrmxl);
    for (let i = ll; i < l * n + n; i++) a[i] = a[i]! / nrmxl;
    a[ll] = 1 + a[ll]!;
    for (let j = l + 1; j < p; j++) {
      const lj = j * n + l;
      let dot = 0;
      for (let i = 0; i < n - l; i++) dot += a[ll + i]! * a[lj + i]!;
      const t = -dot / a[ll]!;
      for (let i = 0; i < n - l; i++) a[lj + i] += t * a[ll + i]!;
      if (qraux[j] !== 0) {
        const r = Math.abs(a[lj]!) / qraux[j]!;
        const tt = Math.max(1 - r * r, 0);
        if (Math.abs(tt) < 1e-6) {
          qraux[j] = norm2(a, lj + 1, n - l - 1);
          work1[j] = qraux[j]!;
        } else {
          qraux[j] = qraux[j]! * Math.sqrt(tt);
        }
      }
    }
    qraux[l] = a[ll]!;
    a[ll] = -nrmxl;
  }
  return { qr: a, n, p, qraux, rank: Math.min(k, n), pivot };
}

/**
 * Least-squares coefficients for the first `rank` pivoted columns (the rest are 0,
 * as R's dqrls sets them), returned in pivoted order. `y` is not modified.
 */
export function qrCoefficients(d: LimitedPivotQr, y: Float64Array): Float64Array {
  const { qr, n, qraux, rank } = d;
  const qty = Float64Array.from(y);
  for (let l = 0; l < Math.min(rank, n - 1); l++) {
    if (qraux[l] === 0) continue;
    const ll = l * n + l;
    const diag = qr[ll]!;
    qr[ll] = qraux[l]!;
    let dot = 0;
    for (let i = 0; i < n - l; i++) dot += qr[ll + i]! * qty[l + i]!;
    const t = -dot / qr[ll]!;
    for (let i = 0; i < n - l; i++) qty[l + i] += t * qr[ll + i]!;
    qr[ll] = diag;
  }
  const b = new Float64Array(d.p);
  for (let j = rank - 1; j >= 0; j--) {
    let s = qty[j]!;
    for (let m = j + 1; m < rank; m++) s -= qr[m * n + j]! * b[m]!;
    b[j] = s / qr[j * n + j]!;
  }
  return b;
}

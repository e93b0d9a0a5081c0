/**
 * LINPACK's Householder QR as R's `qr()` runs it by default (`LAPACK = FALSE`):
 * `dqrdc2` with R's limited column pivoting (a column whose norm falls below
 * `tol` times its original norm is moved to the end), and `dqrsl`'s products
 * Q·y and Qᵀ·y (R's `qr.qy`, `qr.qty`). The transformations are stored as R
 * stores them, so that every basis R builds from a QR (orthogonal polynomials
 * in `poly()` and `contr.poly()`, the constrained basis of `splines::ns()`,
 * the completion of a short contrast matrix in `contrasts<-`) comes out the same,
 * signs included.
 *
 * References: Dongarra, Bunch, Moler & Stewart (1979), LINPACK Users' Guide,
 * ch. 9 (dqrdc, dqrsl); R's src/appl/dqrdc2.f (Ihaka 1995, Ripley 1999).
 */

/** A QR decomposition in LINPACK's compact form (R's `qr()` object). */
export interface LinpackQr {
  /** n × p, column-major: R above the diagonal, Householder vectors below (R's `$qr`). */
  readonly qr: Float64Array;
  readonly n: number;
  readonly p: number;
  /** Numerical rank (R's `$rank`). */
  readonly rank: number;
  /** R's `$qraux`. */
  readonly qraux: Float64Array;
  /** 0-based column order after pivoting (R's `$pivot` − 1). */
  readonly pivot: Int32Array;
}

/**
 * Euclidean norm of `x[from..from+len)`: the plain sum of squares, as the reference
 * BLAS 3.11 `dnrm2` computes it for values of moderate size, with rescaling
 * only when the sum under- or overflows.
 */
function norm2(x: Float64Array, from: number, len: number): number {
  let s = 0;
  for (let i = from; i < from + len; i++) s += x[i] * x[i];
  if (s > 0 && Number.isFinite(s) && s > 1e-290) return Math.sqrt(s);
  let scale = 0;
  for (let i = from; i < from + len; i++) scale = Math.max(scale, Math.abs(x[i]));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let ssq = 0;
  for (let i = from; i < from + len; i++) { const r = x[i] / scale; ssq += r * r; }
  return scale * Math.sqrt(ssq);
}

/** Σ a[ia+i]·b[ib+i], i < len (BLAS ddot, in order). */
function dot(a: Float64Array, ia: number, b: Float64Array, ib: number, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += a[ia + i] * b[ib + i];
  return s;
}

/** Moves column l (and its bookkeeping) to the end: dqrdc2's limited pivoting. */
function rotateToEnd(x: Float64Array, n: number, p: number, l: number, book: Array<Float64Array | Int32Array>): void {
  for (let i = 0; i < n; i++) {
    const t = x[i + l * n];
    for (let j = l + 1; j < p; j++) x[i + (j - 1) * n] = x[i + j * n];
    x[i + (p - 1) * n] = t;
  }
  for (const v of book) {
    const t = v[l];
    for (let j = l + 1; j < p; j++) v[j - 1] = v[j];
    v[p - 1] = t;
  }
}

/**
 * R's `qr(X, tol)` (LINPACK dqrdc2). `x` is n × p column-major and is not modified.
 * @example dqrdc2(Float64Array.of(1, 1, 1, 2), 2, 2).rank // 2
 */
export function dqrdc2(x: Float64Array, n: number, p: number, tol = 1e-7): LinpackQr {
  const a = Float64Array.from(x);
  const qraux = new Float64Array(p), work1 = new Float64Array(p), work2 = new Float64Array(p);
  const pivot = Int32Array.from({ length: p }, (_, j) => j);
  if (n > 0) {
    for (let j = 0; j < p; j++) {
      qraux[j] = norm2(a, j * n, n);
      work1[j] = qraux[j];
      work2[j] = qraux[j] === 0 ? 1 : qraux[j];
    }
  }
  const lup = Math.min(n, p);
  let k = p + 1; // 1-based, as in the Fortran
  for (let l = 0; l < lup; l++) {
    while (!(l + 1 >= k || qraux[l] >= work2[l] * tol)) {
      rotateToEnd(a, n, p, l, [pivot, qraux, work1, work2]);
      k--;
    }
    if (l === n - 1) continue;
    const ll = l + l * n, len = n - l;
    let nrmxl = norm2(a, ll, len);
    if (nrmxl === 0) continue;
    if (a[ll] !== 0) nrmxl = Math.abs(nrmxl) * Math.sign(a[ll]);
    const inv = 1 / nrmxl;
    for (let i = 0; i < len; i++) a[ll + i] *= inv;
    a[ll] = 1 + a[ll];
    for (let j = l + 1; j < p; j++) {
      const lj = l + j * n;
      const t = -dot(a, ll, a, lj, len) / a[ll];
      for (let i = 0; i < len; i++) a[lj + i] += t * a[ll + i];
      if (qraux[j] !== 0) {
        const r = Math.abs(a[lj]) / qraux[j];
        const tt = Math.max(1 - r * r, 0);
        if (Math.abs(tt) >= 1e-6) qraux[j] = qraux[j] * Math.sqrt(tt);
        else { qraux[j] = norm2(a, lj + 1, len - 1); work1[j] = qraux[j]; }
      }
    }
    qraux[l] = a[ll];
    a[ll] = -nrmxl;
  }
  return { qr: a, n, p, rank: Math.min(k - 1, n), qraux, pivot };
}

/** Applies the Householder reflections to the columns of y (n × ny column-major), forwards (Qᵀy) or backwards (Qy). */
function applyQ(q: LinpackQr, y: Float64Array, ny: number, transpose: boolean): Float64Array {
  const { n, qr: a, qraux } = q;
  const out = Float64Array.from(y);
  const ju = Math.min(q.rank, n - 1);
  for (let c = 0; c < ny; c++) {
    const base = c * n;
    for (let s = 0; s < ju; s++) {
      const j = transpose ? s : ju - 1 - s;
      if (qraux[j] === 0) continue;
      const jj = j + j * n, len = n - j;
      // The Householder vector has qraux[j] as its first entry (dqrsl swaps it in).
      let d = qraux[j] * out[base + j];
      for (let i = 1; i < len; i++) d += a[jj + i] * out[base + j + i];
      const t = -d / qraux[j];
      out[base + j] += t * qraux[j];
      for (let i = 1; i < len; i++) out[base + j + i] += t * a[jj + i];
    }
  }
  return out;
}

/** R's `qr.qy(qr, y)`: Q·y for y n × ny column-major. */
export function qrQy(q: LinpackQr, y: Float64Array, ny: number): Float64Array {
  return applyQ(q, y, ny, false);
}

/** R's `qr.qty(qr, y)`: Qᵀ·y for y n × ny column-major. */
export function qrQty(q: LinpackQr, y: Float64Array, ny: number): Float64Array {
  return applyQ(q, y, ny, true);
}

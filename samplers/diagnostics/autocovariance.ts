/**
 * Biased autocovariances γₖ = (1/n) Σₜ₌₀^{n−1−k} yₜ yₜ₊ₖ of a centred series, by FFT:
 * zero-pad to a power of two ≥ 2n (no wrap-around), γ = IFFT(|FFT(y)|²)/n (Wiener–Khinchin).
 * The same quantity posterior's `autocovariance` computes with R's `fft`.
 */

/** In-place iterative radix-2 Cooley–Tukey FFT of (re, im), length a power of two; `inverse` omits the 1/n. */
function fftInPlace(re: Float64Array, im: Float64Array, inverse: boolean): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = ((inverse ? 2 : -2) * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    const half = len >> 1;
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < half; k++) {
        const a = i + k;
        const b = a + half;
        const xr = re[b] * cr - im[b] * ci;
        const xi = re[b] * ci + im[b] * cr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
        // Recompute the twiddle from the angle every 64 steps to limit drift.
        if ((k & 63) === 63) {
          cr = Math.cos(ang * (k + 1));
          ci = Math.sin(ang * (k + 1));
        } else {
          const t = cr * wr - ci * wi;
          ci = cr * wi + ci * wr;
          cr = t;
        }
      }
    }
  }
}

/** All n biased autocovariances of the centred series `y` (length n). */
export function autocovarianceFft(y: Float64Array): Float64Array {
  const n = y.length;
  let m = 1;
  while (m < 2 * n) m <<= 1;
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  re.set(y);
  fftInPlace(re, im, false);
  for (let i = 0; i < m; i++) {
    re[i] = re[i] * re[i] + im[i] * im[i];
    im[i] = 0;
  }
  fftInPlace(re, im, true);
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = re[k] / m / n;
  return out;
}

/** γₖ by a direct sum (exact up to rounding; O(n) per lag). */
export function autocovarianceAt(y: Float64Array, k: number): number {
  const n = y.length;
  let s = 0;
  for (let t = 0; t + k < n; t++) s += y[t] * y[t + k];
  return s / n;
}

/**
 * The few pieces of R's nmath and printing that links and families need to agree
 * with R bit for bit (or nearly): the normal quantile (AS 241), R's careful normal
 * density, the Cauchy distribution functions, and R's rules for turning a number
 * into text (`round`, `format`, `as.character`).
 *
 * References:
 * [1] Wichura, M. J. (1988). Algorithm AS 241: The percentage points of the normal
 *     distribution. Applied Statistics 37(3), 477–484.
 * [2] R Core Team. R 4.2 `src/nmath/` (dnorm.c, pcauchy.c, qcauchy.c, cospi.c) and
 *     `src/main/format.c` (formatReal), read for their semantics.
 */

/** Machine epsilon, R's `.Machine$double.eps` = 2⁻⁵². */
export const DBL_EPSILON = 2.220446049250313e-16;

/** 1/√(2π). */
const M_1_SQRT_2PI = 0.398942280401432677939946059934;

/* AS 241 coefficients [1]: central region |p − ½| ≤ 0.425 (a/b), intermediate
   tail r = √(−log min(p, 1−p)) ≤ 5 (c/d), far tail r > 5 (e/f). */
const A0 = 3.387132872796366608, A1 = 133.14166789178437745, A2 = 1971.5909503065514427,
  A3 = 13731.693765509461125, A4 = 45921.953931549871457, A5 = 67265.770927008700853,
  A6 = 33430.575583588128105, A7 = 2509.0809287301226727;
const B1 = 42.313330701600911252, B2 = 687.1870074920579083, B3 = 5394.1960214247511077,
  B4 = 21213.794301586595867, B5 = 39307.89580009271061, B6 = 28729.085735721942674,
  B7 = 5226.495278852854561;
const C0 = 1.42343711074968357734, C1 = 4.6303378461565452959, C2 = 5.7694972214606914055,
  C3 = 3.64784832476320460504, C4 = 1.27045825245236838258, C5 = 0.24178072517745061177,
  C6 = 0.0227238449892691845833, C7 = 7.7454501427834140764e-4;
const D1 = 2.05319162663775882187, D2 = 1.6763848301838038494, D3 = 0.68976733498510000455,
  D4 = 0.14810397642748007459, D5 = 0.0151986665636164571966, D6 = 5.475938084995344946e-4,
  D7 = 1.05075007164441684324e-9;
const E0 = 6.6579046435011037772, E1 = 5.4637849111641143699, E2 = 1.7848265399172913358,
  E3 = 0.29656057182850489123, E4 = 0.026532189526576123093, E5 = 0.0012426609473880784386,
  E6 = 2.71155556874348757815e-5, E7 = 2.01033439929228813265e-7;
const F1 = 0.59983220655588793769, F2 = 0.13692988092273580531, F3 = 0.0148753612908506148525,
  F4 = 7.868691311456132591e-4, F5 = 1.8463183175100546818e-5, F6 = 1.4215117583164458887e-7,
  F7 = 2.04426310338993978564e-15;

/**
 * Standard normal quantile Φ⁻¹(p) by Wichura's AS 241 [1], as R's `qnorm(p)`
 * (accurate to about 1e-16 relative). p = 0 → −∞, p = 1 → +∞, outside [0, 1] → NaN.
 * @example qnormStd(0.975) // ≈ 1.959963984540054
 */
export function qnormStd(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * (((((((r * A7 + A6) * r + A5) * r + A4) * r + A3) * r + A2) * r + A1) * r + A0)) /
      (((((((r * B7 + B6) * r + B5) * r + B4) * r + B3) * r + B2) * r + B1) * r + 1);
  }
  // r = min(p, 1 − p), written 0.5 − p + 0.5 as R does for the upper tail.
  let r = q < 0 ? p : 0.5 - p + 0.5;
  r = Math.sqrt(-Math.log(r));
  let val: number;
  if (r <= 5) {
    r -= 1.6;
    val = (((((((r * C7 + C6) * r + C5) * r + C4) * r + C3) * r + C2) * r + C1) * r + C0) /
      (((((((r * D7 + D6) * r + D5) * r + D4) * r + D3) * r + D2) * r + D1) * r + 1);
  } else {
    r -= 5;
    val = (((((((r * E7 + E6) * r + E5) * r + E4) * r + E3) * r + E2) * r + E1) * r + E0) /
      (((((((r * F7 + F6) * r + F5) * r + F4) * r + F3) * r + F2) * r + F1) * r + 1);
  }
  return q < 0 ? -val : val;
}

/** √(2·ln 2·1075): beyond it φ(x) underflows to 0 (R's cut-off in dnorm.c). */
const DNORM_UNDERFLOW = Math.sqrt(2 * Math.LN2 * 1075);

/**
 * Standard normal density φ(x) = exp(−x²/2)/√(2π) as R's `dnorm(x)`: for |x| ≥ 5 it
 * splits x = x₁ + x₂ with x₁ on a 2⁻¹⁶ grid so that x² loses no digits [2].
 * @example dnormStd(1) // ≈ 0.2419707245191434
 */
export function dnormStd(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const ax = Math.abs(x);
  if (ax < 5) return M_1_SQRT_2PI * Math.exp(-0.5 * ax * ax);
  if (ax > DNORM_UNDERFLOW) return 0;
  const x1 = Math.round(ax * 65536) / 65536;
  const x2 = ax - x1;
  return M_1_SQRT_2PI * (Math.exp(-0.5 * x1 * x1) * Math.exp((-0.5 * x2 - x1) * x2));
}

/**
 * tan(πx) with exact values at multiples of ¼, as R's `tanpi` [2].
 * @example tanpi(0.25) // 1
 */
export function tanpi(x: number): number {
  let r = x % 1;
  if (r <= -0.5) r += 1;
  else if (r > 0.5) r -= 1;
  if (r === 0) return 0;
  if (r === 0.5) return NaN;
  if (r === 0.25) return 1;
  if (r === -0.25) return -1;
  return Math.tan(Math.PI * r);
}

/**
 * Standard Cauchy distribution function F(x) = ½ + atan(x)/π, computed for |x| > 1
 * as atan(1/x)/π in the tail, as R's `pcauchy(x)` [2].
 * @example pcauchyStd(1) // 0.75
 */
export function pcauchyStd(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  if (Math.abs(x) > 1) {
    const y = Math.atan(1 / x) / Math.PI;
    return x > 0 ? 0.5 - y + 0.5 : -y;
  }
  return 0.5 + Math.atan(x) / Math.PI;
}

/**
 * Standard Cauchy quantile F⁻¹(p) = −1/tan(πp) for p ≤ ½ (by symmetry above), as R's `qcauchy(p)` [2].
 * @example qcauchyStd(0.75) // 1
 */
export function qcauchyStd(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  let lower = true;
  let pp = p;
  if (pp > 0.5) {
    if (pp === 1) return Infinity;
    pp = 1 - pp;
    lower = false;
  }
  if (pp === 0.5) return 0;
  if (pp === 0) return -Infinity;
  return (lower ? -1 : 1) / tanpi(pp);
}

/**
 * Standard Cauchy density 1/(π(1 + x²)), as R's `dcauchy(x)`.
 * @example dcauchyStd(0) // ≈ 0.3183098861837907
 */
export function dcauchyStd(x: number): number {
  return 1 / (Math.PI * (1 + x * x));
}

/**
 * R ≥ 4.0's `round(x, digits)` for digits ≥ 1: of the two decimal candidates
 * xd = ⌊10ᵈx⌋/10ᵈ and xu = ⌈10ᵈx⌉/10ᵈ take the nearer to x as doubles, the even
 * one on a tie; x is returned unchanged when it has no more than 15 significant
 * digits to lose [2] (src/nmath/fround.c).
 * @example roundR(1.52727, 4) // 1.5273
 * @example roundR(0.0005, 3) // 0 (a tie in double arithmetic, rounded to even)
 */
export function roundR(x: number, digits: number): number {
  if (Number.isNaN(x) || !Number.isFinite(x) || x === 0) return x;
  const sgn = x < 0 ? -1 : 1;
  const ax = Math.abs(x);
  if (digits + (Math.floor(Math.log2(ax)) + 0.5) * Math.LOG10E * Math.LN2 > 15) return x;
  const pow10 = Math.pow(10, digits);
  const x10 = pow10 * ax;
  const i10 = Math.floor(x10);
  const xd = i10 / pow10;
  const xu = Math.ceil(x10) / pow10;
  const du = xu - ax;
  const dd = ax - xd;
  return sgn * (du < dd || (du === dd && i10 % 2 === 1) ? xu : xd);
}

/**
 * R's `format(x, digits = d)` for one finite number (with `scipen = 0`): at most d
 * significant digits, trailing zeros dropped, fixed notation unless scientific is
 * strictly narrower [2]. `as.character(x)` is `formatR(x, 15)`.
 * @example formatR(1e6, 7) // "1e+06"
 * @example formatR(1.5273, 7) // "1.5273"
 */
export function formatR(x: number, digits: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Inf";
  if (x === -Infinity) return "-Inf";
  if (x === 0) return "0";
  const neg = x < 0 ? 1 : 0;
  // Mantissa and exponent after rounding to `digits` significant digits.
  const sci = Math.abs(x).toExponential(digits - 1);
  const [mant, expText] = sci.split("e") as [string, string];
  const kpower = Number(expText);
  const mantDigits = mant.replace(".", "").replace(/0+$/, "");
  const nsig = Math.max(1, mantDigits.length);
  const rgt = Math.max(0, nsig - kpower - 1);
  const left = kpower >= 0 ? kpower + 1 : 1;
  const widthFixed = neg + left + (rgt > 0 ? rgt + 1 : 0);
  const widthSci = neg + (nsig > 1 ? nsig + 1 : nsig) + (Math.abs(kpower) >= 100 ? 5 : 4);
  if (widthFixed <= widthSci) return (neg ? "-" : "") + Math.abs(x).toFixed(rgt);
  const m = nsig > 1 ? `${mantDigits[0]}.${mantDigits.slice(1)}` : mantDigits;
  const e = Math.abs(kpower) < 10 ? `0${Math.abs(kpower)}` : `${Math.abs(kpower)}`;
  return `${neg ? "-" : ""}${m}e${kpower < 0 ? "-" : "+"}${e}`;
}

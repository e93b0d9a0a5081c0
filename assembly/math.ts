/**
 * exp, log and log1p in WebAssembly, scalar (expS, logS, log1pS) and f64x2
 * (expV, logV, log1pV), giving the same bits as V8's Math.exp, Math.log and
 * Math.log1p for every f64 input. V8 computes those with its port of fdlibm
 * (v8/src/base/ieee754.cc: e_exp.c, e_log.c, s_log1p.c); the functions here
 * perform the same IEEE operations in the same order, and wasm neither contracts
 * a·b + c into a fused multiply-add nor reassociates, so the results are
 * bit-identical. The vector forms run fdlibm's main path on both lanes with the
 * branches turned into per-lane selects (each select is shown below to give the
 * branch's exact bits) and hand a vector to the scalar ports when either lane is
 * in a rare range (one compare and any_true per vector). docs/kernels.md,
 * "Transcendental functions", has the derivations and the fallback ranges.
 */

// @ts-nocheck (AssemblyScript, not TypeScript)

// fdlibm's constants (hex = the IEEE bits fdlibm specifies).
const LN2_HI: f64 = 6.93147180369123816490e-01; // 0x3FE62E42 FEE00000
const LN2_LO: f64 = 1.90821492927058770002e-10; // 0x3DEA39EF 35793C76
const INVLN2: f64 = 1.44269504088896338700e+00; // 0x3FF71547 652B82FE
const O_THRESHOLD: f64 = 7.09782712893383973096e+02; // 0x40862E42 FEFA39EF
const U_THRESHOLD: f64 = -7.45133219101941108420e+02; // 0xC0874910 D52D3051
const P1: f64 = 1.66666666666666019037e-01; // 0x3FC55555 5555553E
const P2: f64 = -2.77777777770155933842e-03; // 0xBF66C16C 16BEBD93
const P3: f64 = 6.61375632143793436117e-05; // 0x3F11566A AF25DE2C
const P4: f64 = -1.65339022054652515390e-06; // 0xBEBBBD41 C5D26BF1
const P5: f64 = 4.13813679705723846039e-08; // 0x3E663769 72BEA4D0
const E: f64 = 2.718281828459045; // 0x4005BF0A 8B145769 (V8 returns it for exp(1))
const TWO1023: f64 = 8.988465674311579539e307; // 2^1023
const TWOM1000: f64 = 9.33263618503218878990e-302; // 2^-1000
const TWO54: f64 = 1.80143985094819840000e+16; // 2^54
const LG1: f64 = 6.666666666666735130e-01; // 0x3FE55555 55555593 (= Lp1 of log1p)
const LG2: f64 = 3.999999999940941908e-01; // 0x3FD99999 9997FA04
const LG3: f64 = 2.857142874366239149e-01; // 0x3FD24924 94229359
const LG4: f64 = 2.222219843214978396e-01; // 0x3FCC71C5 1D8E78AF
const LG5: f64 = 1.818357216161805012e-01; // 0x3FC74664 96CB03DE
const LG6: f64 = 1.531383769920937332e-01; // 0x3FC39A09 D078C69F
const LG7: f64 = 1.479819860511658591e-01; // 0x3FC2F112 DF3E5244
const THIRD: f64 = 0.33333333333333333; // e_log.c's literal
const TWO_THIRDS: f64 = 0.66666666666666666; // s_log1p.c's literal
/** 1.5·2^52: k + MAGIC is exact for |k| < 2^51 and its low mantissa bits hold k (two's complement). */
const MAGIC: f64 = 6755399441055744.0;

/** SET_HIGH_WORD: the double with high word `hi` and the low word of `bits`. */
// @ts-ignore: decorator
@inline function withHigh(bits: u64, hi: i32): f64 {
  return reinterpret<f64>((<u64><u32>hi << 32) | (bits & 0xffffffff));
}

/** e^x as fdlibm's e_exp.c computes it (with V8's exp(1) = E): x = k·ln2 + r, e^r = 1 + r + r·c/(2 − c), scaled by 2^k. */
export function expS(x: f64): f64 {
  let hx = <u32>(reinterpret<u64>(x) >>> 32);
  const xsb = <i32>(hx >>> 31);
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) { // |x| ≥ 709.78…
    if (hx >= 0x7ff00000) {
      if (((hx & 0xfffff) | <u32>reinterpret<u64>(x)) != 0) return x + x; // NaN
      return xsb == 0 ? x : 0.0; // exp(±∞) = ∞, 0
    }
    if (x > O_THRESHOLD) return Infinity; // huge·huge
    if (x < U_THRESHOLD) return 0.0; // twom1000·twom1000
  }
  let hi: f64 = 0, lo: f64 = 0, k: i32 = 0;
  if (hx > 0x3fd62e42) { // |x| > 0.5·ln2
    if (hx < 0x3ff0a2b2) { // and |x| < 1.5·ln2
      if (x == 1.0) return E;
      hi = x - (xsb == 0 ? LN2_HI : -LN2_HI);
      lo = xsb == 0 ? LN2_LO : -LN2_LO;
      k = 1 - xsb - xsb;
    } else {
      k = <i32>(INVLN2 * x + (xsb == 0 ? 0.5 : -0.5));
      const t = <f64>k;
      hi = x - t * LN2_HI; // t·ln2HI is exact here
      lo = t * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) { // |x| < 2^-28
    return 1.0 + x;
  }
  const t = x * x;
  const twopk = k >= -1021
    ? reinterpret<f64>(<u64><u32>(0x3ff00000 + (k << 20)) << 32)
    : reinterpret<f64>(<u64><u32>(0x3ff00000 + ((k + 1000) << 20)) << 32);
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k == 0) return 1.0 - ((x * c) / (c - 2.0) - x);
  const y = 1.0 - ((lo - (x * c) / (2.0 - c)) - hi);
  if (k >= -1021) {
    if (k == 1024) return y * 2.0 * TWO1023;
    return y * twopk;
  }
  return y * twopk * TWOM1000;
}

/** log x as fdlibm's e_log.c computes it: x = 2^k·(1 + f), log(1 + f) = f − (hfsq − s·(hfsq + R)), s = f/(2 + f). */
export function logS(x: f64): f64 {
  let bits = reinterpret<u64>(x);
  let hx = <i32>(bits >>> 32);
  let k: i32 = 0;
  if (hx < 0x00100000) { // x < 2^-1022
    if (((hx & 0x7fffffff) | <u32>bits) == 0) return -Infinity; // log(±0)
    if (hx < 0) return NaN; // log(negative)
    k -= 54;
    x *= TWO54; // subnormal: scale up
    bits = reinterpret<u64>(x);
    hx = <i32>(bits >>> 32);
  }
  if (hx >= 0x7ff00000) return x + x;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  let i = (hx + 0x95f64) & 0x100000;
  x = withHigh(bits, hx | (i ^ 0x3ff00000)); // normalise x or x/2
  k += i >> 20;
  const f = x - 1.0;
  if ((0x000fffff & (2 + hx)) < 3) { // −2^-20 ≤ f < 2^-20
    if (f == 0) {
      if (k == 0) return 0;
      const dk = <f64>k;
      return dk * LN2_HI + dk * LN2_LO;
    }
    const R = f * f * (0.5 - THIRD * f);
    if (k == 0) return f - R;
    const dk = <f64>k;
    return dk * LN2_HI - ((R - dk * LN2_LO) - f);
  }
  const s = f / (2.0 + f);
  const dk = <f64>k;
  const z = s * s;
  i = hx - 0x6147a;
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  i |= j;
  const R = t2 + t1;
  if (i > 0) {
    const hfsq = 0.5 * f * f;
    if (k == 0) return f - (hfsq - s * (hfsq + R));
    return dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f);
  }
  if (k == 0) return f - s * (f - R);
  return dk * LN2_HI - ((s * (f - R) - dk * LN2_LO) - f);
}

/** log(1 + x) as fdlibm's s_log1p.c computes it: 1 + x = 2^k·(1 + f) with the rounding of 1 + x corrected by c/u. */
export function log1pS(x: f64): f64 {
  const hx = <i32>(reinterpret<u64>(x) >>> 32);
  const ax = hx & 0x7fffffff;
  let k: i32 = 1, f: f64 = 0, c: f64 = 0, hu: i32 = 0;
  if (hx < 0x3fda827a) { // 1 + x < sqrt(2)+
    if (ax >= 0x3ff00000) { // x ≤ −1
      if (x == -1.0) return -Infinity;
      return NaN;
    }
    if (ax < 0x3e200000) { // |x| < 2^-29
      if (ax < 0x3c900000) return x; // |x| < 2^-54
      return x - x * x * 0.5;
    }
    if (hx > 0 || hx <= <i32>0xbfd2bec4) { // sqrt(2)/2− ≤ 1 + x < sqrt(2)+
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) return x + x;
  if (k != 0) {
    let u: f64;
    if (hx < 0x43400000) {
      u = 1.0 + x;
      hu = <i32>(reinterpret<u64>(u) >>> 32);
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0); // correction term
      c /= u;
    } else {
      u = x;
      hu = hx;
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    const ub = reinterpret<u64>(u);
    if (hu < 0x6a09e) { // u ~< sqrt(2)
      u = withHigh(ub, hu | 0x3ff00000);
    } else {
      k += 1;
      u = withHigh(ub, hu | 0x3fe00000); // u/2
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1.0;
  }
  const hfsq = 0.5 * f * f;
  const dk = <f64>k;
  if (hu == 0) { // |f| < 2^-20
    if (f == 0) {
      if (k == 0) return 0;
      c += dk * LN2_LO;
      return dk * LN2_HI + c;
    }
    const R = hfsq * (1.0 - TWO_THIRDS * f);
    if (k == 0) return f - R;
    return dk * LN2_HI - ((R - (dk * LN2_LO + c)) - f);
  }
  const s = f / (2.0 + f);
  const z = s * s;
  const R = z * (LG1 + z * (LG2 + z * (LG3 + z * (LG4 + z * (LG5 + z * (LG6 + z * LG7))))));
  if (k == 0) return f - (hfsq - s * (hfsq + R));
  return dk * LN2_HI - ((hfsq - (s * (hfsq + R) + (dk * LN2_LO + c))) - f);
}

// ---------------------------------------------------------------------------
// The vectors' constants live in mutable globals set by mathInit (run at
// instantiation): binaryen would fold constant operands into v128.const at each
// use, which V8 rematerialises inside every loop iteration (three instructions
// each); a global.get is one load. mathInit only ever stores these values. V_ABS,
// V_SIGN, V_ONE, V_HALF and V_TWO are exported for other kernels' loops (read only).

export let V_ABS: v128 = i64x2.splat(0); // |x| mask
let V_EXP_SLOW: v128 = i64x2.splat(0); // |x| ≥ 708: expS
export let V_ONE: v128 = i64x2.splat(0); // 1.0
let V_INVLN2: v128 = i64x2.splat(0);
export let V_HALF: v128 = i64x2.splat(0); // 0.5
export let V_SIGN: v128 = i64x2.splat(0); // sign bit
let V_EXP_K0: v128 = i64x2.splat(0); // high word ≤ 0x3FD62E42: k = 0
let V_LN2_HI: v128 = i64x2.splat(0);
let V_LN2_LO: v128 = i64x2.splat(0);
let V_P1: v128 = i64x2.splat(0);
let V_P2: v128 = i64x2.splat(0);
let V_P3: v128 = i64x2.splat(0);
let V_P4: v128 = i64x2.splat(0);
let V_P5: v128 = i64x2.splat(0);
export let V_TWO: v128 = i64x2.splat(0); // 2.0
let V_MAGIC: v128 = i64x2.splat(0); // 1.5·2^52, bits 0x4338000000000000
let V_E: v128 = i64x2.splat(0);
let V_EXP_TINY: v128 = i64x2.splat(0); // |x| < 2^-28
let V_MIN_NORMAL: v128 = i64x2.splat(0); // 2^-1022
let V_INF: v128 = i64x2.splat(0); // +∞
let V_HI20: v128 = i64x2.splat(0); // 0xFFFFF: the high word's mantissa bits
let V_LOG_95F64: v128 = i64x2.splat(0); // 0x95F64
let V_LOG_100000: v128 = i64x2.splat(0); // 0x100000
let V_MANT: v128 = i64x2.splat(0); // mantissa mask
let V_LOG_3FF00000: v128 = i64x2.splat(0); // 0x3FF00000 (a high word)
let V_BIAS: v128 = i64x2.splat(0); // 1023
let V_I2: v128 = i64x2.splat(0); // 2
let V_I3: v128 = i64x2.splat(0); // 3
let V_THIRD: v128 = i64x2.splat(0);
let V_LG1: v128 = i64x2.splat(0);
let V_LG2: v128 = i64x2.splat(0);
let V_LG3: v128 = i64x2.splat(0);
let V_LG4: v128 = i64x2.splat(0);
let V_LG5: v128 = i64x2.splat(0);
let V_LG6: v128 = i64x2.splat(0);
let V_LG7: v128 = i64x2.splat(0);
let V_LOG_6147A: v128 = i64x2.splat(0); // 0x6147A
let V_LOG_6B851: v128 = i64x2.splat(0); // 0x6B851
let V_MINUS_ONE: v128 = i64x2.splat(0); // −1.0
let V_TWO53: v128 = i64x2.splat(0); // 2^53
let V_L1P_SMALL: v128 = i64x2.splat(0); // high word 0x3FDA827A
let V_L1P_POS: v128 = i64x2.splat(0); // bits > 0xFFFFFFFF: high word > 0
let V_L1P_NEG: v128 = i64x2.splat(0); // bits < 0xBFD2BEC5·2^32 (signed): high word ≤ (int32)0xBFD2BEC4
let V_L1P_6A09E: v128 = i64x2.splat(0); // 0x6A09E
let V_L1P_FFFFC: v128 = i64x2.splat(0); // 0xFFFFC
let V_TWO_THIRDS: v128 = i64x2.splat(0);
let V_L1P_TINY: v128 = i64x2.splat(0); // |x| < 2^-29

/** Sets the vector constants (done at instantiation; calling it again changes nothing). */
export function mathInit(): void {
  V_ABS = i64x2.splat(0x7fffffffffffffff);
  V_EXP_SLOW = i64x2.splat(0x4086200000000000);
  V_ONE = f64x2.splat(1.0);
  V_INVLN2 = f64x2.splat(INVLN2);
  V_HALF = f64x2.splat(0.5);
  V_SIGN = i64x2.splat(0x8000000000000000);
  V_EXP_K0 = i64x2.splat(0x3fd62e4300000000);
  V_LN2_HI = f64x2.splat(LN2_HI);
  V_LN2_LO = f64x2.splat(LN2_LO);
  V_P1 = f64x2.splat(P1);
  V_P2 = f64x2.splat(P2);
  V_P3 = f64x2.splat(P3);
  V_P4 = f64x2.splat(P4);
  V_P5 = f64x2.splat(P5);
  V_TWO = f64x2.splat(2.0);
  V_MAGIC = f64x2.splat(MAGIC);
  V_E = f64x2.splat(E);
  V_EXP_TINY = i64x2.splat(0x3e30000000000000);
  V_MIN_NORMAL = i64x2.splat(0x0010000000000000);
  V_INF = i64x2.splat(0x7ff0000000000000);
  V_HI20 = i64x2.splat(0xfffff);
  V_LOG_95F64 = i64x2.splat(0x95f64);
  V_LOG_100000 = i64x2.splat(0x100000);
  V_MANT = i64x2.splat(0x000fffffffffffff);
  V_LOG_3FF00000 = i64x2.splat(0x3ff00000);
  V_BIAS = i64x2.splat(1023);
  V_I2 = i64x2.splat(2);
  V_I3 = i64x2.splat(3);
  V_THIRD = f64x2.splat(THIRD);
  V_LG1 = f64x2.splat(LG1);
  V_LG2 = f64x2.splat(LG2);
  V_LG3 = f64x2.splat(LG3);
  V_LG4 = f64x2.splat(LG4);
  V_LG5 = f64x2.splat(LG5);
  V_LG6 = f64x2.splat(LG6);
  V_LG7 = f64x2.splat(LG7);
  V_LOG_6147A = i64x2.splat(0x6147a);
  V_LOG_6B851 = i64x2.splat(0x6b851);
  V_MINUS_ONE = f64x2.splat(-1.0);
  V_TWO53 = f64x2.splat(9007199254740992.0);
  V_L1P_SMALL = i64x2.splat(0x3fda827a00000000);
  V_L1P_POS = i64x2.splat(0x00000000ffffffff);
  V_L1P_NEG = i64x2.splat(0xbfd2bec500000000);
  V_L1P_6A09E = i64x2.splat(0x6a09e);
  V_L1P_FFFFC = i64x2.splat(0xffffc);
  V_TWO_THIRDS = f64x2.splat(TWO_THIRDS);
  V_L1P_TINY = i64x2.splat(0x3e20000000000000);
}
mathInit();

// ---------------------------------------------------------------------------
// f64x2 forms. Integer work on the high word is done in i64 lanes: for the
// ranges involved the i64 values equal fdlibm's int32 ones (sign-extended), and
// "high word < H" is "bits < H·2^32" as a signed 64-bit compare.

/** Both lanes through `expS` (the rare-range fallback). */
// @ts-ignore: decorator
@inline function expBoth(x: v128): v128 {
  return f64x2.replace_lane(f64x2.splat(expS(f64x2.extract_lane(x, 0))), 1, expS(f64x2.extract_lane(x, 1)));
}

/**
 * Lane-wise Math.exp. Lanes with |x| ≥ 708 (overflow, the k < −1021 scaling, ±∞,
 * NaN) send the vector to expS. Otherwise each lane takes fdlibm's main path with
 * k = 0 (|x| ≤ 0.5·ln2), k = ±1 (|x| < 1.5·ln2) or k = trunc(x/ln2 ± 0.5), and
 * 2^k·y formed by adding k to y's exponent bits (exact: the result is normal);
 * exp(1) and |x| < 2^-28 are selected per lane.
 */
// @ts-ignore: decorator
@inline export function expV(x: v128): v128 {
  const ax = v128.and(x, V_ABS);
  if (v128.any_true(i64x2.ge_s(ax, V_EXP_SLOW))) return expBoth(x); // |x| ≥ 708
  const one = V_ONE;
  // k = trunc(invln2·x + halF[sign]), and 0 where |x| ≤ 0.5·ln2 (high word ≤ 0x3FD62E42). Where
  // 0.5·ln2 < |x| < 1.5·ln2 fdlibm takes k = ±1 without computing it; there invln2·|x| + 0.5 lies
  // in (1 + 1e-9, 2 − 3e-7), so the truncation gives ±1 too.
  const kt = f64x2.trunc(f64x2.add(f64x2.mul(V_INVLN2, x),
    v128.or(V_HALF, v128.and(x, V_SIGN))));
  const kf = v128.andnot(kt, i64x2.lt_s(ax, V_EXP_K0));
  // hi = x − k·ln2HI, lo = k·ln2LO: for k = ±1 these are fdlibm's x − ln2HI[xsb] and ln2LO[xsb]
  // ((±1)·c = ±c exactly); for k = +0 they are x and +0, and r = hi − lo = x.
  const hi = f64x2.sub(x, f64x2.mul(kf, V_LN2_HI));
  const lo = f64x2.mul(kf, V_LN2_LO);
  const r = f64x2.sub(hi, lo);
  const t = f64x2.mul(r, r);
  // c = r − t·(P1 + t·(P2 + t·(P3 + t·(P4 + t·P5)))), innermost first.
  let pe = f64x2.add(V_P4, f64x2.mul(t, V_P5));
  pe = f64x2.add(V_P3, f64x2.mul(t, pe));
  pe = f64x2.add(V_P2, f64x2.mul(t, pe));
  pe = f64x2.add(V_P1, f64x2.mul(t, pe));
  const c = f64x2.sub(r, f64x2.mul(t, pe));
  // y = 1 − ((lo − r·c/(2 − c)) − hi). For k = 0 fdlibm has 1 − (r·c/(c − 2) − r): c − 2 = −(2 − c)
  // and n/(−d) = −(n/d) exactly, and (0 − q) − r = −q − r (they differ only at q = 0, where both are −r, r ≠ 0).
  const q = f64x2.div(f64x2.mul(r, c), f64x2.sub(V_TWO, c));
  const y = f64x2.sub(one, f64x2.sub(f64x2.sub(lo, q), hi));
  // 2^k·y: bits(k + 1.5·2^52) << 52 = k << 52 (mod 2^64), added to y's exponent.
  let res = i64x2.add(y, i64x2.shl(f64x2.add(kf, V_MAGIC), 52));
  res = v128.bitselect(V_E, res, f64x2.eq(x, one)); // V8's exp(1) = E
  res = v128.bitselect(f64x2.add(one, x), res, i64x2.lt_s(ax, V_EXP_TINY)); // |x| < 2^-28: 1 + x
  return res;
}

/** Both lanes through `logS` (the rare-range fallback). */
// @ts-ignore: decorator
@inline function logBoth(x: v128): v128 {
  return f64x2.replace_lane(f64x2.splat(logS(f64x2.extract_lane(x, 0))), 1, logS(f64x2.extract_lane(x, 1)));
}

/** k (a small integer in i64 lanes) as a double, exactly: bits(k + 1.5·2^52) − 1.5·2^52 (+0 for k = 0). */
// @ts-ignore: decorator
@inline function kToF64(k: v128): v128 {
  return f64x2.sub(i64x2.add(k, V_MAGIC), V_MAGIC);
}

/**
 * Lane-wise Math.log. Lanes that are not positive normal finite numbers (≤ 0,
 * subnormal, ∞, NaN) send the vector to logS. Otherwise each lane takes fdlibm's
 * three endings (|f| < 2^-20; s·(hfsq + R) or s·(f − R)) and selects its own;
 * the k = 0 forms are the k ≠ 0 forms with k = +0 (see docs/kernels.md).
 */
// @ts-ignore: decorator
@inline export function logV(x: v128): v128 {
  if (v128.any_true(v128.or(i64x2.lt_s(x, V_MIN_NORMAL), i64x2.ge_s(x, V_INF)))) {
    return logBoth(x);
  }
  const hx = v128.and(i64x2.shr_u(x, 32), V_HI20);
  const i = v128.and(i64x2.add(hx, V_LOG_95F64), V_LOG_100000);
  const xn = v128.or(v128.and(x, V_MANT), i64x2.shl(v128.xor(i, V_LOG_3FF00000), 32));
  const k = i64x2.add(i64x2.sub(i64x2.shr_u(x, 52), V_BIAS), i64x2.shr_u(i, 20));
  const dk = kToF64(k);
  const f = f64x2.sub(xn, V_ONE);
  const kHi = f64x2.mul(dk, V_LN2_HI);
  const kLo = f64x2.mul(dk, V_LN2_LO);
  // |f| < 2^-20: R = f·f·(0.5 − f/3); dk·ln2_hi − ((R − dk·ln2_lo) − f).
  const near = i64x2.lt_s(v128.and(i64x2.add(hx, V_I2), V_HI20), V_I3);
  const ra = f64x2.mul(f64x2.mul(f, f), f64x2.sub(V_HALF, f64x2.mul(V_THIRD, f)));
  const resA = f64x2.sub(kHi, f64x2.sub(f64x2.sub(ra, kLo), f));
  const s = f64x2.div(f, f64x2.add(V_TWO, f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  // t1 = w·(Lg2 + w·(Lg4 + w·Lg6)), t2 = z·(Lg1 + w·(Lg3 + w·(Lg5 + w·Lg7))), innermost first.
  let p1 = f64x2.add(V_LG4, f64x2.mul(w, V_LG6));
  p1 = f64x2.add(V_LG2, f64x2.mul(w, p1));
  const t1 = f64x2.mul(w, p1);
  let p2 = f64x2.add(V_LG5, f64x2.mul(w, V_LG7));
  p2 = f64x2.add(V_LG3, f64x2.mul(w, p2));
  p2 = f64x2.add(V_LG1, f64x2.mul(w, p2));
  const t2 = f64x2.mul(z, p2);
  const R = f64x2.add(t2, t1);
  const hfsq = f64x2.mul(f64x2.mul(V_HALF, f), f);
  const resB1 = f64x2.sub(kHi, f64x2.sub(f64x2.sub(hfsq, f64x2.add(f64x2.mul(s, f64x2.add(hfsq, R)), kLo)), f));
  const resB2 = f64x2.sub(kHi, f64x2.sub(f64x2.sub(f64x2.mul(s, f64x2.sub(f, R)), kLo), f));
  // (hx − 0x6147A) | (0x6B851 − hx) > 0 picks the hfsq form.
  const wide = i64x2.gt_s(v128.or(i64x2.sub(hx, V_LOG_6147A), i64x2.sub(V_LOG_6B851, hx)), i64x2.splat(0));
  return v128.bitselect(resA, v128.bitselect(resB1, resB2, wide), near);
}

/** Both lanes through `log1pS` (the rare-range fallback). */
// @ts-ignore: decorator
@inline function log1pBoth(x: v128): v128 {
  return f64x2.replace_lane(f64x2.splat(log1pS(f64x2.extract_lane(x, 0))), 1, log1pS(f64x2.extract_lane(x, 1)));
}

/**
 * Lane-wise Math.log1p. Lanes outside −1 < x < 2^53 (or NaN) send the vector to
 * log1pS. Otherwise each lane is in fdlibm's |x| < 2^-29 case (x or x − x²/2), its
 * k = 0 range (f = x, no correction) or its general range (u = 1 + x, k from u's
 * exponent, correction c/u), selected per lane; then the |f| < 2^-20 ending or the
 * polynomial ending, with the k = 0 forms as the k ≠ 0 forms at k = +0, c = +0.
 */
// @ts-ignore: decorator
@inline export function log1pV(x: v128): v128 {
  const one = V_ONE;
  const ok = v128.and(f64x2.gt(x, V_MINUS_ONE), f64x2.lt(x, V_TWO53));
  if (!i64x2.all_true(ok)) return log1pBoth(x);
  const ax = v128.and(x, V_ABS);
  // The k = 0 range: hx < 0x3FDA827A and (hx > 0 or hx ≤ (int32)0xBFD2BEC4), hx = the int32 high
  // word; "hx < H" is "bits < H·2^32" and "hx ≤ H" is "bits < (H + 1)·2^32" (signed 64-bit).
  const zr = v128.and(i64x2.lt_s(x, V_L1P_SMALL),
    v128.or(i64x2.gt_s(x, V_L1P_POS), i64x2.lt_s(x, V_L1P_NEG)));
  // The general range: u = 1 + x (> 0), k = exponent of u, c = (k > 0 ? 1 − (u − x) : x − (u − 1))/u.
  const u = f64x2.add(one, x);
  const k0 = i64x2.sub(i64x2.shr_u(u, 52), V_BIAS);
  const cg = f64x2.div(v128.bitselect(f64x2.sub(one, f64x2.sub(u, x)), f64x2.sub(x, f64x2.sub(u, one)),
    i64x2.gt_s(k0, i64x2.splat(0))), u);
  const hum = v128.and(i64x2.shr_u(u, 32), V_HI20);
  const big = i64x2.ge_s(hum, V_L1P_6A09E); // u ~≥ sqrt(2): normalise u/2, k + 1
  const un = v128.or(v128.and(u, V_MANT), i64x2.add(V_ONE, i64x2.shl(big, 52))); // exponent of 1.0, or of 0.5 when big
  const kg = i64x2.sub(k0, big);
  // hu == 0 after normalisation: hum == 0 (then not big), or (0x100000 − hum) >> 2 == 0, i.e. hum > 0xFFFFC (then big).
  const huZero = v128.or(i64x2.eq(hum, i64x2.splat(0)), i64x2.gt_s(hum, V_L1P_FFFFC));
  const f = v128.bitselect(x, f64x2.sub(un, one), zr);
  const k = v128.andnot(kg, zr);
  const kZero = i64x2.eq(k, i64x2.splat(0));
  const c = v128.andnot(cg, kZero); // k = 0 (either range): no correction
  const dk = kToF64(k);
  const kHi = f64x2.mul(dk, V_LN2_HI);
  const kLoC = f64x2.add(f64x2.mul(dk, V_LN2_LO), c);
  const hfsq = f64x2.mul(f64x2.mul(V_HALF, f), f);
  // |f| < 2^-20: R = hfsq·(1 − 2f/3); k·ln2_hi − ((R − (k·ln2_lo + c)) − f).
  const ra = f64x2.mul(hfsq, f64x2.sub(one, f64x2.mul(V_TWO_THIRDS, f)));
  const resA = f64x2.sub(kHi, f64x2.sub(f64x2.sub(ra, kLoC), f));
  const s = f64x2.div(f, f64x2.add(V_TWO, f));
  const z = f64x2.mul(s, s);
  // R = z·(Lp1 + z·(Lp2 + … + z·Lp7)), innermost first.
  let pr = f64x2.add(V_LG6, f64x2.mul(z, V_LG7));
  pr = f64x2.add(V_LG5, f64x2.mul(z, pr));
  pr = f64x2.add(V_LG4, f64x2.mul(z, pr));
  pr = f64x2.add(V_LG3, f64x2.mul(z, pr));
  pr = f64x2.add(V_LG2, f64x2.mul(z, pr));
  pr = f64x2.add(V_LG1, f64x2.mul(z, pr));
  const R = f64x2.mul(z, pr);
  const resB = f64x2.sub(kHi, f64x2.sub(f64x2.sub(hfsq, f64x2.add(f64x2.mul(s, f64x2.add(hfsq, R)), kLoC)), f));
  const res = v128.bitselect(resA, resB, v128.andnot(huZero, zr));
  // |x| < 2^-29: x − x·x·0.5; fdlibm returns x itself when |x| < 2^-54, which this gives too
  // (x²/2 < ulp(x)/4 there, so the subtraction rounds back to x, ±0 and subnormals included).
  const tiny = f64x2.sub(x, f64x2.mul(f64x2.mul(x, x), V_HALF));
  return v128.bitselect(tiny, res, i64x2.lt_s(ax, V_L1P_TINY));
}

// ---------------------------------------------------------------------------
// Array entry points (tests and benchmarks): dst[i] = f(src[i]), i < n; two per
// vector, the odd last element by the scalar port. src may equal dst.

export function expArray(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(dst + o, expV(v128.load(src + o)));
  }
  if (i < n) store<f64>(dst + (<usize>i << 3), expS(load<f64>(src + (<usize>i << 3))));
}

export function logArray(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(dst + o, logV(v128.load(src + o)));
  }
  if (i < n) store<f64>(dst + (<usize>i << 3), logS(load<f64>(src + (<usize>i << 3))));
}

export function log1pArray(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(dst + o, log1pV(v128.load(src + o)));
  }
  if (i < n) store<f64>(dst + (<usize>i << 3), log1pS(load<f64>(src + (<usize>i << 3))));
}

/**
 * A division-free e^x for the samplers' gradient (issue 18; docs/glm-gradient.md), the
 * operations of src/likelihood/fast-exp.ts's fastExp one for one, so the bits agree:
 * K = round(x·64/ln2) (by the 1.5·2^52 shift), r = (x − K·L_HI) − K·L_LO (L_HI + L_LO = ln2/64,
 * K·L_HI exact), p = r + r²(1/2 + r(1/6 + r(1/24 + r(1/120 + r/720)))), the table
 * 2^(j/64) = T_hi + T_lo (j = K mod 64), e^x = 2^(K>>6)·(T_hi + (T_lo + T_hi·p)), the power of
 * two added to the exponent bits (exact: |x| < 708 keeps the result normal). Lanes with
 * |x| ≥ 708 or NaN take expV (Math.exp's bits), as fastExp takes Math.exp there.
 * Measured ≤ 1 ulp from Math.exp (test/likelihood/fast-exp.test.ts). IRLS keeps Math.exp.
 */

// @ts-ignore (AssemblyScript, not TypeScript)
import { expV } from "./math";

const F_INV: f64 = 92.33248261689366; // 64/ln2
const F_LHI: f64 = 0.01083042469326756; // ln2/64 to 32 bits (0x3f862e42fee00000)
const F_LLO: f64 = 2.9815858269852933e-12; // ln2/64 − F_LHI
const F_MAGIC: f64 = 6755399441055744.0; // 1.5·2^52
const F_C2: f64 = 0.5;
const F_C3: f64 = 0.16666666666666666; // 1/6
const F_C4: f64 = 0.041666666666666664; // 1/24
const F_C5: f64 = 0.008333333333333333; // 1/120
const F_C6: f64 = 0.001388888888888889; // 1/720
/** |x| from which the lane goes to expV (the bits of 708), as assembly/math.ts. */
const F_RARE: i64 = 0x4086200000000000;

/** 2^(j/64) = hi + lo for j = 0..63, as (hi, lo) pairs (decimal, 60-digit 2^(j/64) rounded twice). */
// @ts-ignore: AssemblyScript builtin
const TABLE: usize = memory.data<f64>([1.0, 0.0, 1.0108892860517005, -1.5234778603368577e-17, 1.0218971486541166, 5.109225028973444e-17, 1.0330248790212284, 7.600838874027088e-18, 1.0442737824274138, 8.551889705537965e-17, 1.0556451783605572, 1.759325738772092e-18, 1.0671404006768237, -7.899853966841582e-17, 1.0787607977571199, -6.656660436056593e-17, 1.0905077326652577, -3.046782079812471e-17, 1.102382583307841, 5.2660368715706944e-17, 1.1143867425958924, 1.0410278456845571e-16, 1.1265216186082418, 5.165856758795457e-17, 1.1387886347566916, 8.912812676025408e-17, 1.1511892299529827, 3.250710218863827e-17, 1.1637248587775775, 3.8292048369240935e-17, 1.1763969916502812, 5.554203254218079e-17, 1.189207115002721, 3.982015231465646e-17, 1.202156731452703, 6.644981499252301e-17, 1.215247359980469, -7.712630692681488e-17, 1.22848053610687, -1.89878163130253e-17, 1.241857812073484, 4.658027591836937e-17, 1.255380757024691, -6.7113898212968784e-18, 1.2690509571917332, 2.667932131342186e-18, 1.2828700160787783, 1.713594918243561e-17, 1.2968395546510096, 2.5382502794888315e-17, 1.3109612115247644, -7.181536135519454e-17, 1.3252366431597413, -2.8587312100388614e-17, 1.339667524053303, 8.927282594831732e-17, 1.3542555469368927, 7.70094837980299e-17, 1.3690024229745905, 9.593797919118849e-17, 1.383909881963832, -6.770511658794786e-17, 1.3989796725383112, -9.614213209051323e-17, 1.4142135623730951, -9.667293313452913e-17, 1.42961333839197, -1.2031642489053655e-17, 1.4451808069770467, -3.0237581349939873e-17, 1.460917794180647, -5.600377186075216e-17, 1.4768261459394993, -3.483994556892796e-17, 1.4929077282912648, 1.4192920154284036e-17, 1.5091644275934228, -1.016455327754295e-16, 1.5255981507445384, -1.1024941712342561e-16, 1.5422108254079407, 7.949834809697621e-17, 1.559004400237837, 3.7812070533575275e-17, 1.5759808451078865, -1.0136916471278304e-17, 1.593142151342267, -1.0094406542311964e-16, 1.6104903319492543, 2.4707192569797888e-17, 1.6280274218573478, -6.712955084707084e-17, 1.645755478153965, -1.0125679913674773e-16, 1.6636765803267364, 5.8909926967131e-17, 1.681792830507429, 8.199010020581497e-17, 1.7001063537185235, -8.0237193703977e-18, 1.718619298122478, -1.851380418263111e-17, 1.7373338352737062, 3.164389299292957e-17, 1.7562521603732995, 2.960140695448873e-17, 1.7753764925265212, 6.429731796556572e-17, 1.7947090750031072, 1.8227458427912087e-17, 1.8142521755003989, -9.969531538920349e-17, 1.8340080864093424, 3.283107224245627e-17, 1.8539791250833855, 9.761887490727594e-17, 1.8741676341103, -6.122763413004143e-17, 1.8945759815869656, 3.4034035352165297e-17, 1.9152065613971474, -1.0619946056195963e-16, 1.9360617934922943, 1.0332385960676326e-16, 1.9571441241754002, 8.960767791036668e-17, 1.978456026387951, 4.0388753109278167e-17], 16);

/** fastExp lane-wise on the main path (no range check). */
// @ts-ignore: decorator
@inline export function fastExpMain(x: v128): v128 {
  const kd = f64x2.add(f64x2.mul(x, f64x2.splat(F_INV)), f64x2.splat(F_MAGIC));
  const kf = f64x2.sub(kd, f64x2.splat(F_MAGIC));
  const ki = i64x2.sub(kd, i64x2.splat(0x4338000000000000)); // K, two's complement
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(kf, f64x2.splat(F_LHI))), f64x2.mul(kf, f64x2.splat(F_LLO)));
  let q = f64x2.add(f64x2.splat(F_C5), f64x2.mul(r, f64x2.splat(F_C6)));
  q = f64x2.add(f64x2.splat(F_C4), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(F_C3), f64x2.mul(r, q));
  q = f64x2.add(f64x2.splat(F_C2), f64x2.mul(r, q));
  const pr = f64x2.add(r, f64x2.mul(f64x2.mul(r, r), q));
  const j = v128.and(ki, i64x2.splat(63));
  const a = v128.load(TABLE + (<usize>i64x2.extract_lane(j, 0) << 4));
  const b = v128.load(TABLE + (<usize>i64x2.extract_lane(j, 1) << 4));
  const th = v128.shuffle<f64>(a, b, 0, 2);
  const tl = v128.shuffle<f64>(a, b, 1, 3);
  const y = f64x2.add(th, f64x2.add(tl, f64x2.mul(th, pr)));
  return i64x2.add(y, i64x2.shl(i64x2.shr_s(ki, 6), 52));
}

/** fastExp lane-wise: the main path, and expV's bits on the lanes with |x| ≥ 708 or NaN. */
// @ts-ignore: decorator
@inline export function fastExpV(x: v128): v128 {
  const res = fastExpMain(x);
  const rare = i64x2.ge_s(v128.and(x, i64x2.splat(0x7fffffffffffffff)), i64x2.splat(F_RARE));
  if (!v128.any_true(rare)) return res;
  return v128.bitselect(expV(x), res, rare);
}

/** dst[i] = fastExp(src[i]), i < n (tests and benchmarks); an odd last element through a splat. */
export function fastExpArray(src: usize, dst: usize, n: i32): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(dst + o, fastExpV(v128.load(src + o)));
  }
  if (i < n) {
    const o = <usize>i << 3;
    store<f64>(dst + o, f64x2.extract_lane(fastExpV(f64x2.splat(load<f64>(src + o))), 0));
  }
}

/** The end of the module's static data (the table above): the arena's first byte must not be below it (src/linalg/kernels/wasm.ts FIRST_BYTE). */
export function staticDataEnd(): usize {
  // @ts-ignore: AssemblyScript builtin
  return __heap_base;
}

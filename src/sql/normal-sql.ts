/**
 * The standard normal distribution as SQL expressions, for the probit link where Φ
 * is not a SQL built-in: Φ(x) by W. J. Cody's rational Chebyshev approximations
 * (the algorithm of R's pnorm_both, R 4.2 src/nmath/pnorm.c), φ(x) as R's dnorm
 * (the split of x on a 2⁻¹⁶ grid for |x| ≥ 5, as src/families/rmath.ts), and
 * Φ⁻¹(p) by Wichura's AS 241 (R's qnorm, the same coefficients and steps as
 * qnormStd). Each is accurate to about 1e-15 relative over the whole double range
 * (Cody: relative error below 1e-14 in every range, tails included), far below the
 * 1e-10 at which the DuckDB engine is checked against the in-memory one.
 *
 * References:
 * [1] Cody, W. J. (1993). Algorithm 715: SPECFUN — a portable FORTRAN package of
 *     special function routines and test drivers. ACM TOMS 19(1), 22–32 (ANORM).
 * [2] Wichura, M. J. (1988). Algorithm AS 241. Applied Statistics 37(3), 477–484.
 */
/** A SQL expression builder of one argument (family-sql.ts's Sql1, restated to keep the modules acyclic). */
type Sql1 = (x: string) => string;

/** 1/√(2π). */
const M_1_SQRT_2PI = 0.398942280401432677939946059934;
/** √32: the end of Cody's middle range. */
const M_SQRT_32 = 5.656854249492380195206754896838;

/* Cody's coefficients [1]: |x| ≤ 0.67448975 (a/b), to √32 (c/d), beyond (p/q). */
const A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113];
const B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const C = [0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8];
const D = [22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727];
const P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303];
const Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];

/* AS 241 coefficients [2] (as src/families/rmath.ts). */
const QA = [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457,
  67265.770927008700853, 33430.575583588128105, 2509.0809287301226727];
const QB = [1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061,
  28729.085735721942674, 5226.495278852854561];
const QC = [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258,
  0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4];
const QD = [1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9];
const QE = [6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093,
  0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7];
const QF = [1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15];

export interface NormalSql {
  /** Φ(x), the lower tail. */
  pnorm: Sql1;
  /** φ(x). */
  dnorm: Sql1;
  /** Φ⁻¹(p) for p in [0, 1] (−∞ at 0, +∞ at 1, NaN outside). */
  qnorm: Sql1;
}

/** The normal functions with the literals of a dialect (`num`), its guarded logarithm and its NaN test. */
export function normalSql(num: (x: number) => string, ln: Sql1, isNan: Sql1): NormalSql {
  /** Σ c_k t^k by Horner, highest power first: ((c_n t + c_{n−1}) t + …) + c_0. */
  const horner = (cs: readonly number[], t: string): string => {
    let s = num(cs[cs.length - 1]!);
    for (let k = cs.length - 2; k >= 0; k--) s = `(${s} * ${t} + ${num(cs[k]!)})`;
    return s;
  };
  // The tail factor exp(−X²/2) split as pnorm.c's do_del: X₁ = trunc(16X)/16, δ = (X − X₁)(X + X₁).
  const del = (y: string): string => {
    const xsq = `(floor(${y} * 16) / 16)`; // y ≥ 0: floor is pnorm.c's trunc
    return `(exp(-${xsq} * ${xsq} * ${num(0.5)}) * exp(-((${y} - ${xsq}) * (${y} + ${xsq})) * ${num(0.5)}))`;
  };
  const pnorm: Sql1 = (x) => {
    const y = `abs(${x})`;
    const xsq = `(${x} * ${x})`;
    // |x| ≤ 0.67448975: Φ = ½ + x·R(x²), xnum = (((a₄s + a₀)s + a₁)s + a₂)s, xden = (((s + b₀)s + b₁)s + b₂)s.
    const num1 = `((((${num(A[4]!)} * ${xsq} + ${num(A[0]!)}) * ${xsq} + ${num(A[1]!)}) * ${xsq} + ${num(A[2]!)}) * ${xsq})`;
    const den1 = `((((${xsq} + ${num(B[0]!)}) * ${xsq} + ${num(B[1]!)}) * ${xsq} + ${num(B[2]!)}) * ${xsq})`;
    const central = `(${num(0.5)} + ${x} * (${num1} + ${num(A[3]!)}) / (${den1} + ${num(B[3]!)}))`;
    // to √32: the upper tail Q(|x|) = e^{−x²/2}·(xnum + c₇)/(xden + d₇), xnum, xden by Horner in |x| from c₈·|x|, |x|.
    let xnum = `(${num(C[8]!)} * ${y})`;
    let xden = y;
    for (let i = 0; i < 7; i++) { xnum = `((${xnum} + ${num(C[i]!)}) * ${y})`; xden = `((${xden} + ${num(D[i]!)}) * ${y})`; }
    const tail2 = `(${del(y)} * ((${xnum} + ${num(C[7]!)}) / (${xden} + ${num(D[7]!)})))`;
    // beyond √32: Q(|x|) = e^{−x²/2}·(1/√(2π) − s·R(s))/|x| with s = 1/x².
    const s = `(1 / ${xsq})`;
    let pn = `(${num(P[5]!)} * ${s})`;
    let qd = s;
    for (let i = 0; i < 4; i++) { pn = `((${pn} + ${num(P[i]!)}) * ${s})`; qd = `((${qd} + ${num(Q[i]!)}) * ${s})`; }
    const tail3 = `(${del(y)} * ((${num(M_1_SQRT_2PI)} - ${s} * (${pn} + ${num(P[4]!)}) / (${qd} + ${num(Q[4]!)})) / ${y}))`;
    // Φ(x) = Q(|x|) for x ≤ 0, 1 − Q(|x|) for x > 0 (pnorm.c's swap_tail); Q underflows to 0 far out.
    const lower = (t: string): string => `(CASE WHEN ${x} > 0 THEN 1 - ${t} ELSE ${t} END)`;
    return `(CASE WHEN ${y} <= ${num(0.67448975)} THEN ${central} WHEN ${y} <= ${num(M_SQRT_32)} THEN ${lower(tail2)} WHEN ${y} < ${num(50)} THEN ${lower(tail3)} ELSE (CASE WHEN ${x} > 0 THEN ${num(1)} ELSE ${num(0)} END) END)`;
  };
  const DNORM_UNDERFLOW = Math.sqrt(2 * Math.LN2 * 1075);
  const dnorm: Sql1 = (x) => {
    const ax = `abs(${x})`;
    const x1 = `(round(${ax} * 65536) / 65536)`;
    const x2 = `(${ax} - ${x1})`;
    return `(CASE WHEN ${ax} < 5 THEN ${num(M_1_SQRT_2PI)} * exp(${num(-0.5)} * ${ax} * ${ax}) WHEN ${ax} > ${num(DNORM_UNDERFLOW)} THEN ${num(0)} ELSE ${num(M_1_SQRT_2PI)} * (exp(${num(-0.5)} * ${x1} * ${x1}) * exp((${num(-0.5)} * ${x2} - ${x1}) * ${x2})) END)`;
  };
  const qnorm: Sql1 = (p) => {
    const q = `(${p} - ${num(0.5)})`;
    const r0 = `(${num(0.180625)} - ${q} * ${q})`;
    const central = `(${q} * ${horner(QA, r0)} / ${horner(QB, r0)})`;
    // r = √(−log min(p, 1 − p)), 1 − p written 0.5 − p + 0.5 as R does.
    const r = `sqrt(-${ln(`(CASE WHEN ${q} < 0 THEN ${p} ELSE ${num(0.5)} - ${p} + ${num(0.5)} END)`)})`;
    const rc = `(${r} - ${num(1.6)})`;
    const re = `(${r} - ${num(5)})`;
    const tail = `(CASE WHEN ${r} <= 5 THEN ${horner(QC, rc)} / ${horner(QD, rc)} ELSE ${horner(QE, re)} / ${horner(QF, re)} END)`;
    return `(CASE WHEN ${p} < 0 OR ${p} > 1 OR ${isNan(p)} THEN ${num(NaN)} WHEN ${p} = 0 THEN ${num(-Infinity)} WHEN ${p} = 1 THEN ${num(Infinity)} WHEN abs(${q}) <= ${num(0.425)} THEN ${central} WHEN ${q} < 0 THEN -${tail} ELSE ${tail} END)`;
  };
  return { pnorm, dnorm, qnorm };
}

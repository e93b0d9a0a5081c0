/**
 * Whether this host's Math.exp, Math.log and Math.log1p give the bits of V8's fdlibm
 * ports (v8/src/base/ieee754.cc), which exp, log and log1p of assembly/math.ts
 * reproduce exactly. Node's V8 (Node 20 here) uses fdlibm; newer V8, as in Chromium
 * 156, computes them differently (V8 now delegates such functions to LLVM's libc), and
 * there the results differ in the last bit for about 3 % of exp arguments, 0.1 % of
 * log and 0.003 % of log1p (found by scripts/check-math-browser.mjs). A wasm kernel
 * that replaces a TypeScript row step calling Math.* keeps the oracle's bits only
 * where this is true; elsewhere the TypeScript step must run.
 *
 * The probe compares the wasm functions (vector and scalar) with Math.* on arguments
 * where the two were seen to differ and on 2048 deterministic pseudo-random
 * arguments per function; the answer is computed once and cached.
 */
import { KernelArena, wasmKernelsAvailable } from "./wasm.js";

/** Arguments where Chromium 156's Math.* and fdlibm differ in the last bit. */
const KNOWN = {
  exp: [
    1.0783882688936683, 106.93832261579234, -0.13749127920584178, -1.1567746597582151, -215.21951873073255,
    -1.9698723982940827, 0.4231789373608905, -393.38454358623034, -4.995865375455043, -0.426460941676772,
    3.9943814312569264, -58.776813461338314, -0.3772846439753526, 1.85724916884378, 0.2287826448090454,
    2.941392684709239e-10,
  ],
  log: [
    3507711753.1493134, 2.5456587657231626e+55, 0.5679854991252504, 2.2244823806297602e-05, 2.7129991554178148e-24,
    0.07980072361475013, 13.704263978602189, 36.66096283857133, 2.4060071700748498e-45, 1.8487886088945356e-26,
    0.0013487054287540956, 2.1946651709135358e-89, 4.133451967036335e-05, 3.5170648688154515e+145, 4.287347657347193e+32,
    3.3309651700757184,
  ],
  log1p: [
    3.955332569511989e+213, -0.3328556651714038, -0.2706621543074969, 82.38296876631591, -0.16268588260080377,
    -0.36898178743985555, -0.31411404250147573, 2692.9061089849156, 0.589745802932227, 0.4464424511269396,
    -0.5886407990996279, 0.3414506350279183, 0.28246583623690985, 4.856822055946103, 0.32764869881908243,
    318836.0909270454,
  ],
} as const;

const RANDOM = 2048;
let cached: boolean | null = null;

/** True when the SIMD exp/log/log1p equal this host's Math.* on every probe argument; false without the SIMD kernels. */
export function wasmMathMatchesHost(): boolean {
  if (cached !== null) return cached;
  cached = false;
  if (!wasmKernelsAvailable()) return false;
  const n = RANDOM + 16;
  const arena = KernelArena.create(KernelArena.bytesFor([n, n]), false);
  if (arena === null) return false;
  const src = arena.alloc(n), dst = arena.alloc(n);
  let s = 0x9e3779b9;
  const u = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 2 ** 32;
  };
  const ranges = {
    exp: () => 60 * u() - 30,
    log: () => 2 ** (200 * u() - 100),
    log1p: () => 2 * u() - 0.9,
  };
  for (const fn of ["exp", "log", "log1p"] as const) {
    const known: readonly number[] = KNOWN[fn];
    for (let i = 0; i < n; i++) src[i] = i < known.length ? known[i]! : ranges[fn]();
    if (fn === "exp") arena.expInto(src, dst);
    else if (fn === "log") arena.logInto(src, dst);
    else arena.log1pInto(src, dst);
    const ref = Math[fn];
    for (let i = 0; i < n; i++) {
      const want = ref(src[i]!);
      if (!Object.is(dst[i], want) || !Object.is(arena.scalarMath(fn, src[i]!), want)) return false;
    }
  }
  cached = true;
  return true;
}

/**
 * IRLS row kernels of a (family, link) pair: the per-row work of one IRLS iteration
 * (src/fit/irls-rows.ts) as one monomorphic loop per pair, with no call through the
 * family record per row. Each computes exactly the floating-point expressions of the
 * generic loop (fam.link.linkinv, fam.devResid, fam.link.validEta/fam.validMu in the
 * update; fam.variance and fam.link.muEta in the weights), in the same order, so a fit
 * is the same bits with or without them (test/fit/row-kernels.test.ts). The generic
 * loop stays for every other pair and as the oracle.
 *
 * The one reuse: the logit update stores μ′(η) = e^η/(1+e^η)² (ε beyond ±30) in `dmu`
 * from the e^η it computed for μ (R's logit_linkinv and logit_mu_eta, family.c, take
 * exp(η) of the same η on the same range |η| ≤ 30), and the weights read it back
 * instead of a second exp. The log link's μ′(η) = max(e^η, ε) is μ itself.
 *
 * `code` names the same loops in the WebAssembly module (assembly/irls-rows.ts).
 */
import pnorm from "@stdlib/stats-base-dists-normal-cdf";
import { DBL_EPSILON, dnormStd, qnormStd } from "./rmath.js";
import { logitLink, logLink, probitLink } from "../links.js";
import type { FamilyRowKernels, RowUpdate, RowVectors, RowWeights } from "../linalg/kernels/rows.js";

export type { FamilyRowKernels, RowUpdate, RowVectors, RowWeights } from "../linalg/kernels/rows.js";

/** |η| beyond which R's C logit code clamps (family.c THRESH); as src/links.ts. */
const LOGIT_THRESH = 30;
const INV_EPS = 1 / DBL_EPSILON;

export const ROW_KERNEL_BINOMIAL_LOGIT = 1;
export const ROW_KERNEL_POISSON_LOG = 2;
export const ROW_KERNEL_GAUSSIAN_IDENTITY = 3;
export const ROW_KERNEL_GAMMA_LOG = 4;

/**
 * Binomial (and quasibinomial) with the logit link: μ = t/(1+t), t = e^η clamped to
 * [ε, 1/ε] at |η| > 30; wt·d = 2wt{y log(y/μ) + (1−y) log((1−y)/(1−μ))} (0·log 0 = 0,
 * 0 where wt = 0); V = μ(1−μ); μ′ = t/(1+t)², ε at |η| > 30.
 */
export const binomialLogitRows: FamilyRowKernels = Object.freeze({
  name: "binomial-logit",
  code: ROW_KERNEL_BINOMIAL_LOGIT,
  dmu: true,
  update(v: RowVectors, start: number, end: number): RowUpdate {
    const { y, w, eta, mu } = v;
    const dmu = v.dmu!;
    let dev = 0;
    let valid = true;
    for (let i = start; i < end; i++) {
      const e = eta[i]!;
      const out = e > LOGIT_THRESH || e < -LOGIT_THRESH;
      const t = e < -LOGIT_THRESH ? DBL_EPSILON : e > LOGIT_THRESH ? INV_EPS : Math.exp(e);
      const opexp = 1 + t;
      const m = t / opexp;
      mu[i] = m;
      dmu[i] = out ? DBL_EPSILON : t / (opexp * opexp);
      const wi = w[i]!;
      const yi = y[i]!;
      const yc = 1 - yi;
      dev += wi === 0 ? 0 : 2 * wi * ((yi !== 0 ? yi * Math.log(yi / m) : 0) + (yc !== 0 ? yc * Math.log(yc / (1 - m)) : 0));
      if (e !== e || !(m > 0 && m < 1)) valid = false; // validEta: not NaN; validMu: finite, 0 < μ < 1
    }
    return { deviance: dev, valid };
  },
  weights(v: RowVectors, start: number, end: number): RowWeights {
    const { y, w, offset, eta, mu, W, z } = v;
    const dmu = v.dmu!;
    let nGood = 0;
    let nanVariance = false;
    let nanMuEta = false;
    let zeroVariance = false;
    for (let i = start; i < end; i++) {
      const wi = w[i]!;
      const m = mu[i]!;
      const va = m * (1 - m);
      const me = dmu[i]!;
      if (va !== va) nanVariance = true;
      if (me !== me) nanMuEta = true;
      if (wi > 0 && me !== 0) {
        if (va === 0) zeroVariance = true;
        const off = offset === null ? 0 : offset[i]!;
        z[i] = eta[i]! - off + (y[i]! - m) / me;
        W[i] = (wi * me * me) / va;
        nGood++;
      } else {
        z[i] = 0;
        W[i] = 0;
      }
    }
    return { nGood, nanVariance, nanMuEta, zeroVariance };
  },
  start(v: RowVectors, start: number, end: number): void {
    const { y, w, eta } = v;
    for (let i = start; i < end; i++) {
      const wi = w[i]!;
      // binomial startMu: (w·y + ½)/(w + 1), ½ where w = 0; then logitLink.linkfun (which throws outside [0, 1])
      const m = wi === 0 ? 0.5 : (wi * y[i]! + 0.5) / (wi + 1);
      eta[i] = m < 0 || m > 1 ? logitLink.linkfun(m) : Math.log(m / (1 - m));
    }
  },
  nullDeviance(v: RowVectors, mu0: number, start: number, end: number): number {
    const { y, w } = v;
    const c1 = 1 - mu0;
    // y log(y/μ₀) at y = 1 is 1·log(1/μ₀), the same number on every such row (and (1−y) log((1−y)/(1−μ₀)) at y = 0).
    const l1 = Math.log(1 / mu0);
    const l0 = Math.log(1 / c1);
    let dev = 0;
    for (let i = start; i < end; i++) {
      const wi = w[i]!;
      const yi = y[i]!;
      const yc = 1 - yi;
      const a = yi !== 0 ? (yi === 1 ? l1 : yi * Math.log(yi / mu0)) : 0;
      const b = yc !== 0 ? (yc === 1 ? l0 : yc * Math.log(yc / c1)) : 0;
      dev += wi === 0 ? 0 : 2 * wi * (a + b);
    }
    return dev;
  },
});

/**
 * Poisson (and quasipoisson) with the log link: μ = max(e^η, ε) = μ′(η);
 * wt·d = 2{wt(y log(y/μ) − (y − μ))} for y > 0, 2μ·wt for y = 0; V = μ.
 */
export const poissonLogRows: FamilyRowKernels = Object.freeze({
  name: "poisson-log",
  code: ROW_KERNEL_POISSON_LOG,
  dmu: false,
  update(v: RowVectors, start: number, end: number): RowUpdate {
    const { y, w, eta, mu } = v;
    let dev = 0;
    let valid = true;
    for (let i = start; i < end; i++) {
      const e = eta[i]!;
      const m = Math.max(Math.exp(e), DBL_EPSILON);
      mu[i] = m;
      const yi = y[i]!;
      const wi = w[i]!;
      dev += 2 * (yi > 0 ? wi * (yi * Math.log(yi / m) - (yi - m)) : m * wi);
      if (e !== e || !(m > 0 && m - m === 0)) valid = false; // validEta: not NaN; validMu: finite (m − m = 0), μ > 0
    }
    return { deviance: dev, valid };
  },
  weights(v: RowVectors, start: number, end: number): RowWeights {
    const { y, w, offset, eta, mu, W, z } = v;
    let nGood = 0;
    let nan = false;
    for (let i = start; i < end; i++) {
      const wi = w[i]!;
      const m = mu[i]!; // V(μ) = μ, and μ′(η) = max(e^η, ε) = μ: the same expression of the same η
      if (m !== m) nan = true;
      if (wi > 0 && m !== 0) {
        const off = offset === null ? 0 : offset[i]!;
        z[i] = eta[i]! - off + (y[i]! - m) / m;
        W[i] = (wi * m * m) / m;
        nGood++;
      } else {
        z[i] = 0;
        W[i] = 0;
      }
    }
    // V = μ′ = μ ≥ ε > 0 unless NaN: never a zero variance.
    return { nGood, nanVariance: nan, nanMuEta: nan, zeroVariance: false };
  },
});

/**
 * Gaussian with the identity link: μ = η, wt·d = wt(y − μ)², V = 1, μ′ = 1, so
 * z = η − offset + (y − μ) (x/1 = x exactly) and W = wt (wt·1·1/1 = wt exactly).
 */
export const gaussianIdentityRows: FamilyRowKernels = Object.freeze({
  name: "gaussian-identity",
  code: ROW_KERNEL_GAUSSIAN_IDENTITY,
  dmu: false,
  update(v: RowVectors, start: number, end: number): RowUpdate {
    const { y, w, eta, mu } = v;
    let dev = 0;
    let valid = true;
    for (let i = start; i < end; i++) {
      const e = eta[i]!;
      mu[i] = e;
      const r = y[i]! - e;
      dev += w[i]! * (r * r);
      if (e !== e) valid = false;
    }
    return { deviance: dev, valid };
  },
  weights(v: RowVectors, start: number, end: number): RowWeights {
    const { y, w, offset, eta, mu, W, z } = v;
    let nGood = 0;
    for (let i = start; i < end; i++) {
      const wi = w[i]!;
      if (wi > 0) {
        const off = offset === null ? 0 : offset[i]!;
        z[i] = eta[i]! - off + (y[i]! - mu[i]!);
        W[i] = wi;
        nGood++;
      } else {
        z[i] = 0;
        W[i] = 0;
      }
    }
    return { nGood, nanVariance: false, nanMuEta: false, zeroVariance: false };
  },
});

/**
 * Gamma with the log link: μ = max(e^η, ε) = μ′(η); wt·d = −2wt(log(y/μ) − (y − μ)/μ)
 * (log 1 where y = 0); V = μ², so W = (wt·μ·μ)/(μ·μ) and z = η − offset + (y − μ)/μ.
 */
export const gammaLogRows: FamilyRowKernels = Object.freeze({
  name: "Gamma-log",
  code: ROW_KERNEL_GAMMA_LOG,
  dmu: false,
  update(v: RowVectors, start: number, end: number): RowUpdate {
    const { y, w, eta, mu } = v;
    let dev = 0;
    let valid = true;
    for (let i = start; i < end; i++) {
      const e = eta[i]!;
      const m = Math.max(Math.exp(e), DBL_EPSILON);
      mu[i] = m;
      const yi = y[i]!;
      dev += -2 * w[i]! * (Math.log(yi === 0 ? 1 : yi / m) - (yi - m) / m);
      if (e !== e || !(m > 0 && m - m === 0)) valid = false; // validEta: not NaN; validMu: finite, μ > 0
    }
    return { deviance: dev, valid };
  },
  weights(v: RowVectors, start: number, end: number): RowWeights {
    const { y, w, offset, eta, mu, W, z } = v;
    let nGood = 0;
    let nan = false;
    let zeroVariance = false;
    for (let i = start; i < end; i++) {
      const wi = w[i]!;
      const m = mu[i]!; // μ′(η) = max(e^η, ε) = μ
      const va = m * m;
      if (m !== m) nan = true; // V = μ² is NaN exactly when μ is
      if (wi > 0 && m !== 0) {
        if (va === 0) zeroVariance = true;
        const off = offset === null ? 0 : offset[i]!;
        z[i] = eta[i]! - off + (y[i]! - m) / m;
        W[i] = (wi * m * m) / va;
        nGood++;
      } else {
        z[i] = 0;
        W[i] = 0;
      }
    }
    return { nGood, nanVariance: nan, nanMuEta: nan, zeroVariance };
  },
});

export const ROW_KERNEL_NEGBIN_LOG = 5;
/** TypeScript only: no wasm kernel has this code. */
export const ROW_KERNEL_BINOMIAL_PROBIT = 6;

/** A negative binomial–log row kernel: the record, with its fixed θ as the wasm kernel's parameter. */
export interface NegbinLogRowKernels extends FamilyRowKernels {
  readonly param: number;
}

/**
 * Negative binomial (MASS's negative.binomial(θ), θ fixed: glm.nb's inner IRLS) with the
 * log link: μ = max(e^η, ε) = μ′(η); wt·d = 2wt{y log(max(1, y)/μ) − (y + θ) log((y + θ)/(μ + θ))};
 * V = μ + μ²/θ, so W = (wt·μ·μ)/V and z = η − offset + (y − μ)/μ; validMu is μ > 0 only
 * (MASS's, unlike the Poisson's, does not ask for a finite μ). The start is
 * η = log(y + (y = 0)/6) (MASS's initialize). In wasm: assembly/irls-rows-more.ts (code 5, θ as `param`).
 */
export function negbinLogRows(theta: number): NegbinLogRowKernels {
  const th = theta;
  return Object.freeze({
    name: "negbin-log",
    code: ROW_KERNEL_NEGBIN_LOG,
    dmu: false,
    param: th,
    update(v: RowVectors, start: number, end: number): RowUpdate {
      const { y, w, eta, mu } = v;
      let dev = 0;
      let valid = true;
      for (let i = start; i < end; i++) {
        const e = eta[i]!;
        const m = Math.max(Math.exp(e), DBL_EPSILON);
        mu[i] = m;
        const yi = y[i]!;
        dev += 2 * w[i]! * (yi * Math.log(Math.max(1, yi) / m) - (yi + th) * Math.log((yi + th) / (m + th)));
        if (e !== e || !(m > 0)) valid = false; // validEta: not NaN; validMu: μ > 0
      }
      return { deviance: dev, valid };
    },
    weights(v: RowVectors, start: number, end: number): RowWeights {
      const { y, w, offset, eta, mu, W, z } = v;
      let nGood = 0;
      let nanVariance = false;
      let nanMuEta = false;
      let zeroVariance = false;
      for (let i = start; i < end; i++) {
        const wi = w[i]!;
        const m = mu[i]!; // μ′(η) = max(e^η, ε) = μ: the same expression of the same η
        const va = m + (m * m) / th;
        if (va !== va) nanVariance = true;
        if (m !== m) nanMuEta = true;
        if (wi > 0 && m !== 0) {
          if (va === 0) zeroVariance = true;
          const off = offset === null ? 0 : offset[i]!;
          z[i] = eta[i]! - off + (y[i]! - m) / m;
          W[i] = (wi * m * m) / va;
          nGood++;
        } else {
          z[i] = 0;
          W[i] = 0;
        }
      }
      return { nGood, nanVariance, nanMuEta, zeroVariance };
    },
    start(v: RowVectors, start: number, end: number): void {
      const { y, eta } = v;
      for (let i = start; i < end; i++) {
        const yi = y[i]!;
        const m = yi + (yi === 0 ? 1 / 6 : 0);
        eta[i] = m < 0 ? logLink.linkfun(m) : Math.log(m); // linkfun throws below 0
      }
    },
    nullDeviance(v: RowVectors, mu0: number, start: number, end: number): number {
      const { y, w } = v;
      let dev = 0;
      for (let i = start; i < end; i++) {
        const yi = y[i]!;
        dev += 2 * w[i]! * (yi * Math.log(Math.max(1, yi) / mu0) - (yi + th) * Math.log((yi + th) / (mu0 + th)));
      }
      return dev;
    },
  });
}

/** −qnorm(ε) ≈ 8.125890664701906: the probit link clamps η to ± this (as src/links.ts). */
const PROBIT_THRESH = -qnormStd(DBL_EPSILON);

/**
 * Binomial (and quasibinomial) with the probit link, in TypeScript only (its Φ is
 * @stdlib's normal cdf, not ported to wasm): μ = Φ(min(max(η, −t), t)), t = −Φ⁻¹(ε);
 * wt·d = 2wt{y log(y/μ) + (1−y) log((1−y)/(1−μ))} (0·log 0 = 0, 0 where wt = 0);
 * V = μ(1−μ); μ′ = max(φ(η), ε) (R's dnorm); start η = Φ⁻¹((w·y + ½)/(w + 1)).
 * The calls are the link's own functions, made directly: one monomorphic loop, no
 * call through the family record per row.
 */
export const binomialProbitRows: FamilyRowKernels = Object.freeze({
  name: "binomial-probit",
  code: ROW_KERNEL_BINOMIAL_PROBIT,
  dmu: false,
  update(v: RowVectors, start: number, end: number): RowUpdate {
    const { y, w, eta, mu } = v;
    let dev = 0;
    let valid = true;
    for (let i = start; i < end; i++) {
      const e = eta[i]!;
      const m = pnorm(Math.min(Math.max(e, -PROBIT_THRESH), PROBIT_THRESH), 0, 1);
      mu[i] = m;
      const wi = w[i]!;
      const yi = y[i]!;
      const yc = 1 - yi;
      dev += wi === 0 ? 0 : 2 * wi * ((yi !== 0 ? yi * Math.log(yi / m) : 0) + (yc !== 0 ? yc * Math.log(yc / (1 - m)) : 0));
      if (e !== e || !(m > 0 && m < 1)) valid = false; // validEta: not NaN; validMu: finite, 0 < μ < 1
    }
    return { deviance: dev, valid };
  },
  weights(v: RowVectors, start: number, end: number): RowWeights {
    const { y, w, offset, eta, mu, W, z } = v;
    let nGood = 0;
    let nanVariance = false;
    let nanMuEta = false;
    let zeroVariance = false;
    for (let i = start; i < end; i++) {
      const wi = w[i]!;
      const m = mu[i]!;
      const va = m * (1 - m);
      const me = Math.max(dnormStd(eta[i]!), DBL_EPSILON);
      if (va !== va) nanVariance = true;
      if (me !== me) nanMuEta = true;
      if (wi > 0 && me !== 0) {
        if (va === 0) zeroVariance = true;
        const off = offset === null ? 0 : offset[i]!;
        z[i] = eta[i]! - off + (y[i]! - m) / me;
        W[i] = (wi * me * me) / va;
        nGood++;
      } else {
        z[i] = 0;
        W[i] = 0;
      }
    }
    return { nGood, nanVariance, nanMuEta, zeroVariance };
  },
  start(v: RowVectors, start: number, end: number): void {
    const { y, w, eta } = v;
    for (let i = start; i < end; i++) {
      const wi = w[i]!;
      const m = wi === 0 ? 0.5 : (wi * y[i]! + 0.5) / (wi + 1);
      eta[i] = m < 0 || m > 1 ? probitLink.linkfun(m) : qnormStd(m); // linkfun throws outside [0, 1]
    }
  },
  // Σ wt·d(y, μ₀) at a constant μ₀ does not depend on the link: the logit kernel's loop.
  nullDeviance: binomialLogitRows.nullDeviance!,
});

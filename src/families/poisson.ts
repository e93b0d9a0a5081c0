/**
 * The Poisson and quasipoisson families, transcribing R 4.2's `poisson()` and
 * `quasipoisson()` [1]: V(μ) = μ, d(y, μ) = 2{y log(y/μ) − (y − μ)} (2μ at y = 0),
 * aic = −2 Σ wᵢ log dpois(yᵢ, μᵢ), starting μ = y + 0.1. The log-likelihood is in
 * poisson-likelihood.ts.
 *
 * [1] R Core Team. R 4.2 `src/library/stats/R/family.R`.
 */
import logpmfPoisson from "@stdlib/stats-base-dists-poisson-logpmf";
import { roundHalfEven } from "../util/round.js";
import type { Family, Variates } from "../types.js";
import { poissonLikelihood } from "./poisson-likelihood.js";
import {
  boundaryWarning,
  buildFamily,
  checkSupport,
  mapStart,
  noLikelihood,
  resolveLink,
  type FamilySpec,
  type LinkSpec,
} from "./shared.js";
import type { FamilyEntry } from "./registry.js";
import { logLink } from "../links.js";
import { poissonLogRows } from "./row-kernels.js";

const OK_LINKS = ["log", "identity", "sqrt"] as const;

/** R's glm.fit boundary warning and brglm2's nudged start (poisson only, as R and brglm2 check the family name). */
const poissonBoundary = {
  fittedWarning: boundaryWarning("fitted rates numerically 0 occurred", (mu, eps) => mu < eps),
  nudgeResponse(y: Float64Array, weights: Float64Array, a: number) {
    const yAdj = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) yAdj[i] = y[i]! + 0.5 * a;
    return { y: yAdj, weights };
  },
};

/** R's poisson()$simulate: y ~ Poisson(μ), prior weights ignored (as R does). */
const poissonSimulation = {
  simulate: (rng: Variates, mu: number, _aux: number, _w: number) => rng.poisson(mu),
};

function poissonSpec(name: "poisson" | "quasipoisson", link: string): Omit<FamilySpec, "aic" | "logLikObs"> {
  return {
    name,
    canonicalLink: "log",
    dispersion: name === "poisson" ? "fixed" : "estimated",
    quasi: name === "quasipoisson",
    variance: (mu) => mu,
    varianceDeriv: (_mu) => 1,
    devResid: (y, mu, wt) => 2 * (y > 0 ? wt * (y * Math.log(y / mu) - (y - mu)) : mu * wt),
    validMu: (mu) => Number.isFinite(mu) && mu > 0,
    startMu: (y, wt) => mapStart(y, wt, (v) => v + 0.1),
    rowKernels: (lk) => (lk === logLink ? poissonLogRows : null),
    checkY: (y, wt) => checkSupport(y, wt, name, ">= 0", (v) => v >= 0),
    // Zero counts fitted by rates tending to 0 give infinite log-link MLEs (models/separation-check.ts).
    infiniteEstimateCheck: link === "log" ? "logCount" : null,
    ...(name === "poisson" ? { ...poissonBoundary, ...poissonSimulation, discrete: true } : {}),
  };
}

/** R's R_nonint (src/nmath/dpq.h): |x − nearbyint(x)| > 1e-7·max(1, |x|). */
function nonInteger(x: number): boolean {
  return Math.abs(x - roundHalfEven(x)) > 1e-7 * Math.max(1, Math.abs(x));
}

/** log dpois(y, μ) as R 4.2's dpois (src/nmath/dpois.c): −∞ for non-integer y (R_D_nonint_check), else at nearbyint(y). */
function logDpois(y: number, mu: number): number {
  return nonInteger(y) ? -Infinity : logpmfPoisson(roundHalfEven(y), mu);
}

/** R's dpois warnings ("non-integer x = %f", once per such y, as R gives them; at most 3 shown) and their consequence for the AIC. */
function poissonAicWarnings(y: Float64Array, wt: Float64Array): string[] {
  const rows: number[] = [];
  for (let i = 0; i < y.length; i++) if (nonInteger(y[i]!)) rows.push(i);
  if (rows.length === 0) return [];
  const out = rows.slice(0, 3).map((i) => `non-integer x = ${y[i]!.toFixed(6)}`);
  const zeroWeight = rows.some((i) => wt[i] === 0);
  out.push(
    `${rows.length} response${rows.length === 1 ? " is not an integer" : "s are not integers"}: their Poisson probability is 0, so the AIC is ${zeroWeight ? "NaN (0 × log 0 on a row of weight 0)" : "Inf and the log-likelihood -Inf"}, as in R (a quasipoisson fit has no likelihood to compare)`,
  );
  return out;
}

/**
 * poisson(link = "log"): links log, identity, sqrt (or power(λ)). Non-integer y is
 * accepted (as R's glm does) but makes the likelihood −∞, so aic = +∞ as in R, with
 * R's dpois warnings; y within 1e-7 (relative) of an integer counts as that integer (R_nonint).
 * @example poisson().devResid(0, 2, 1) // 4
 */
export function poisson(link: LinkSpec = "log"): Family {
  const lk = resolveLink("poisson", link, OK_LINKS);
  return buildFamily(
    {
      ...poissonSpec("poisson", lk.name),
      aicRows: {
        sums: 1,
        add: (y, _n, mu, wt, _c, start, end, out) => {
          let s = out[0]!;
          for (let i = start; i < end; i++) s += logDpois(y[i]!, mu[i]!) * wt[i]!;
          out[0] = s;
        },
        finish: (s) => -2 * s[0]!,
      },
      aicWarnings: poissonAicWarnings,
      logLikObs: (y, mu, wt, _dispersion) => (wt === 0 ? 0 : wt * logDpois(y, mu)),
      likelihood: poissonLikelihood(lk.name === "log"),
    },
    lk,
  );
}

/**
 * quasipoisson(link = "log"): the Poisson variance and deviance with an estimated
 * dispersion; aic and logLikObs are NaN (R's NA).
 * @example quasipoisson().quasi // true
 */
export function quasipoisson(link: LinkSpec = "log"): Family {
  const lk = resolveLink("quasipoisson", link, OK_LINKS);
  return buildFamily({ ...poissonSpec("quasipoisson", lk.name), ...noLikelihood }, lk);
}

/** makeFamily's entries: "poisson" and "quasipoisson". */
export const poissonEntry: FamilyEntry = Object.freeze<FamilyEntry>({ names: ["poisson"], build: (o) => poisson(o.link) });
export const quasipoissonEntry: FamilyEntry = Object.freeze<FamilyEntry>({ names: ["quasipoisson"], build: (o) => quasipoisson(o.link) });

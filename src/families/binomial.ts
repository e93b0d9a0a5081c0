/**
 * The binomial and quasibinomial families, transcribing R 4.2's `binomial()`,
 * `quasibinomial()` and the C `binomial_dev_resids` [1]: y is the proportion of
 * successes and wt the number of trials (times any prior weight); V(μ) = μ(1 − μ),
 * d(y, μ) = 2{y log(y/μ) + (1−y) log((1−y)/(1−μ))} with 0·log 0 = 0. R's `initialize`
 * (a 0/1 or factor response, proportions with weights = trials, or cbind(successes,
 * failures)) is `binomialResponse`; the log-likelihood is in binomial-likelihood.ts.
 *
 * [1] R Core Team. R 4.2 `src/library/stats/R/family.R` and `src/family.c`.
 */
import logpmfBinomial from "@stdlib/stats-base-dists-binomial-logpmf";
import log1p from "@stdlib/math-base-special-log1p";
import { DataError } from "../errors.js";
import type { Family, PreparedResponse, Response, Variates } from "../types.js";
import { binomialLikelihood } from "./binomial-likelihood.js";
import { binaryUnitRows } from "./logit-binary-rows.js";
import {
  boundaryWarning,
  buildFamily,
  checkFiniteResponse,
  checkSupport,
  checkYRows,
  dataRow,
  mapStart,
  noLikelihood,
  priorWeights,
  resolveLink,
  yLogY,
  type FamilySpec,
  type LinkSpec,
} from "./shared.js";
import { logitLink, probitLink } from "../links.js";
import { binomialLogitRows, binomialProbitRows } from "./row-kernels.js";
import { roundHalfEven } from "../util/round.js";
import type { FamilyEntry } from "./registry.js";

const OK_LINKS = ["logit", "probit", "cloglog", "cauchit", "log"] as const;

/**
 * log dbinom(round(m·y), round(m), μ), R's term of the binomial aic. A single
 * trial (the common 0/1 response) is log μ or log(1 − μ) directly: the general
 * pmf costs about 10× as much and would dominate the AIC of a large fit.
 */
function logDbinom(y: number, m: number, mu: number): number {
  const size = roundHalfEven(m);
  const k = roundHalfEven(m * y);
  if (size === 1 && mu > 0 && mu < 1) {
    if (k === 1) return Math.log(mu);
    if (k === 0) return log1p(-mu);
  }
  return logpmfBinomial(k, size, mu);
}

/** R's glm.fit boundary warning and brglm2's nudged start (binomial only: R's glm.fit checks family$family == "binomial"). */
const binomialBoundary = {
  fittedWarning: boundaryWarning("fitted probabilities numerically 0 or 1 occurred", (mu, eps) => mu > 1 - eps || mu < eps),
  nudgeResponse(y: Float64Array, wt: Float64Array, a: number) {
    const n = y.length;
    const yAdj = new Float64Array(n);
    const wAdj = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      wAdj[i] = wt[i]! + a;
      yAdj[i] = (wt[i]! * y[i]! + 0.5 * a) / wAdj[i]!;
    }
    return { y: yAdj, weights: wAdj };
  },
};

/**
 * R's binomial `initialize` for cbind(successes, failures): y = s/(s + f) (0 where there
 * are no trials), trials s + f, weights = case weights × trials, mustart = (ty + ½)/(t + 1).
 */
function cbindResponse(
  response: Extract<Response, { kind: "cbind" }>,
  caseWeights: Float64Array | null,
  rowsUsed: Int32Array | undefined,
  warnNonInteger: boolean,
): PreparedResponse {
  const { successes: s, failures: f } = response;
  const n = s.length;
  const y = new Float64Array(n);
  const trials = new Float64Array(n);
  const weights = new Float64Array(n);
  const mustart = new Float64Array(n);
  let nonInteger = false;
  for (let i = 0; i < n; i++) {
    if (!(s[i]! >= 0) || !(f[i]! >= 0) || !Number.isFinite(s[i]!) || !Number.isFinite(f[i]!))
      throw new DataError(`${response.name}: counts must be finite and non-negative; row ${dataRow(i, rowsUsed)} has (${s[i]}, ${f[i]})`, {
        column: response.name,
        row: dataRow(i, rowsUsed),
      });
    if (Math.abs(s[i]! - Math.round(s[i]!)) > 1e-3 || Math.abs(f[i]! - Math.round(f[i]!)) > 1e-3) nonInteger = true;
    const t = s[i]! + f[i]!;
    trials[i] = t;
    y[i] = t === 0 ? 0 : s[i]! / t;
    weights[i] = (caseWeights ? caseWeights[i]! : 1) * t;
    mustart[i] = (t * y[i]! + 0.5) / (t + 1);
  }
  const warnings = nonInteger && warnNonInteger ? ["non-integer counts in a binomial glm!"] : [];
  return { y, weights, trials, mustart, warnings };
}

/** Whether some row has weight 0 and y ≠ 0 (a plain loop: a closure call per row costs ~10 ms per 10⁶ rows). */
function nonZeroAtZeroWeight(y: ArrayLike<number>, weights: ArrayLike<number>): boolean {
  for (let i = 0; i < weights.length; i++) if (weights[i] === 0 && y[i] !== 0) return true;
  return false;
}

/**
 * R's binomial `initialize`, without mutating anything: cbind(successes, failures), or a
 * 0/1, factor (already coded 0/1) or proportion response whose weights are the trials.
 * y is copied only when rows of weight 0 must be zeroed (R: y[weights == 0] <- 0).
 * The binomial family (not quasibinomial) warns of non-integer successes, as R does.
 */
function binomialResponse(checkY: FamilySpec["checkY"], warnNonInteger: boolean): Family["prepareResponse"] {
  return (response, caseWeights, rowsUsed, alloc, checked): PreparedResponse => {
    if (response.kind === "cbind") return cbindResponse(response, caseWeights, rowsUsed, warnNonInteger);
    const n = response.values.length;
    // `checked`: the same checks, already run over every row on the IRLS workers (all passed; responseRowFlags).
    const weights = checked ? checked.weights : priorWeights(n, caseWeights, alloc);
    let y = response.values;
    if (!checked) checkFiniteResponse(response.name, y, rowsUsed);
    if (checked ? checked.zeroWeightNonzeroY : nonZeroAtZeroWeight(y, weights)) {
      y = Float64Array.from(y);
      for (let i = 0; i < n; i++) if (weights[i] === 0) y[i] = 0;
    }
    let nonInteger = checked?.nonInteger ?? false;
    if (!checked) {
      checkYRows(checkY, y, weights, rowsUsed);
      for (let i = 0; i < n; i++) {
        const m = weights[i]! * y[i]!;
        if (Math.abs(m - Math.round(m)) > 1e-3) nonInteger = true;
      }
    }
    const warnings = nonInteger && warnNonInteger ? ["non-integer #successes in a binomial glm!"] : [];
    // One trial per row: R's family$aic then uses the weights as trials, so no trials vector is needed.
    return { y, weights, trials: null, mustart: null, warnings };
  };
}

/** R's binomial()$simulate: y = Binomial(w, μ)/w, a proportion of the w trials (whole numbers). */
const binomialSimulation = {
  simulate: (rng: Variates, mu: number, _aux: number, w: number) =>
    w === 0 ? 0 : rng.binomial(w, mu) / w,
  checkSimulationWeights(w: Float64Array): void {
    for (let i = 0; i < w.length; i++) {
      if (!Number.isInteger(w[i]!)) {
        throw new DataError(`weights: binomial predictive draws need whole numbers of trials, row ${i + 1} has ${w[i]}`, { column: "weights", row: i + 1 });
      }
    }
  },
};

function binomialSpec(name: "binomial" | "quasibinomial"): Omit<FamilySpec, "aic" | "logLikObs"> {
  const checkY: FamilySpec["checkY"] = (y, wt) =>
    checkSupport(y, wt, name, "in [0, 1]", (v) => v >= 0 && v <= 1, (i) => wt[i] === 0);
  return {
    name,
    canonicalLink: "logit",
    dispersion: name === "binomial" ? "fixed" : "estimated",
    quasi: name === "quasibinomial",
    proportionResponse: true,
    variance: (mu) => mu * (1 - mu),
    varianceDeriv: (mu) => 1 - 2 * mu,
    // R zeroes y where the weight is 0 before any deviance is computed, so such rows give 0.
    devResid: (y, mu, wt) => (wt === 0 ? 0 : 2 * wt * (yLogY(y, mu) + yLogY(1 - y, 1 - mu))),
    validMu: (mu) => Number.isFinite(mu) && mu > 0 && mu < 1,
    // (wt·y + 0.5)/(wt + 1), with y taken as 0 where wt = 0 (R's binomInitialize).
    startMu: (y, wt) => mapStart(y, wt, (v, w) => (w === 0 ? 0.5 : (w * v + 0.5) / (w + 1))),
    checkY,
    prepareResponse: binomialResponse(checkY, name === "binomial"),
    infiniteEstimateCheck: "binomial",
    rowKernels: (link) => (link === logitLink ? binomialLogitRows : link === probitLink ? binomialProbitRows : null),
    ...(name === "binomial" ? { ...binomialBoundary, ...binomialSimulation, discrete: true } : {}),
  };
}

/**
 * binomial(link = "logit"): links logit, probit, cloglog, cauchit, log (or power(λ)).
 * aic (R): m = n if any n > 1 else wt; −2 Σ [m > 0 ? wt/m : 0]·log dbinom(round(m·y), round(m), μ).
 * @example binomial().devResid(1, 0.5, 1) // 2·log 2 ≈ 1.3862943611198906
 */
export function binomial(link: LinkSpec = "logit"): Family {
  const lk = resolveLink("binomial", link, OK_LINKS);
  return buildFamily(
    {
      ...binomialSpec("binomial"),
      aicRows: {
        sums: 1,
        // c = 1 when any trial count exceeds 1 (then m = n, else m = wt), found over all rows first. c = 2 when every y
        // and wt is 0 or 1: −2 log dbinom(y, 1, μ) = −2 log p = d(y, μ), the saturated log-likelihood being 0, so the
        // aic is the deviance (the caller's, at these μ) without a log per row (docs/kernels.md, the blocked binary logit).
        context: (y, n, wt, dev) => {
          for (let i = 0; i < n.length; i++) if (n[i]! > 1) return 1;
          return dev === dev && binaryUnitRows(y, wt) ? 2 : 0;
        },
        add: (y, n, mu, wt, c, start, end, out) => {
          if (c === 2) return;
          const anyTrials = c === 1;
          let s = out[0]!;
          for (let i = start; i < end; i++) {
            const w = wt[i]!;
            if (!anyTrials && w === 1) {
              // One trial, weight 1 (a 0/1 response): logDbinom(y, 1, μ)·1 without its roundings, the same value.
              const yi = y[i]!, mi = mu[i]!;
              if (mi > 0 && mi < 1 && (yi === 1 || yi === 0)) {
                s += yi === 1 ? Math.log(mi) : Math.log1p(-mi); // Math.log1p: the bits of stdlib's (both fdlibm; checked on 3.8·10⁶ arguments), faster
                continue;
              }
            }
            const m = anyTrials ? n[i]! : w;
            const yi = w === 0 ? 0 : y[i]!; // R zeroes y where the weight is 0
            s += (m > 0 ? w / m : 0) * logDbinom(yi, m, mu[i]!);
          }
          out[0] = s;
        },
        finish: (s, dev, _nobs, c) => (c === 2 ? dev : -2 * s[0]!),
      },
      logLikObs: (y, mu, wt, _dispersion) => (wt === 0 ? 0 : logDbinom(y, wt, mu)),
      likelihood: binomialLikelihood(lk.name === "logit"),
    },
    lk,
  );
}

/**
 * quasibinomial(link = "logit"): the binomial variance and deviance with an estimated
 * dispersion; no likelihood, so aic and logLikObs are NaN (R's NA).
 * @example quasibinomial().dispersion // "estimated"
 */
export function quasibinomial(link: LinkSpec = "logit"): Family {
  const lk = resolveLink("quasibinomial", link, OK_LINKS);
  return buildFamily({ ...binomialSpec("quasibinomial"), ...noLikelihood }, lk);
}

/** makeFamily's entries: "binomial" and "quasibinomial". */
export const binomialEntry: FamilyEntry = Object.freeze<FamilyEntry>({ names: ["binomial"], build: (o) => binomial(o.link) });
export const quasibinomialEntry: FamilyEntry = Object.freeze<FamilyEntry>({ names: ["quasibinomial"], build: (o) => quasibinomial(o.link) });

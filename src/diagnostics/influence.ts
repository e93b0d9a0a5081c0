/**
 * Regression diagnostics of a GLM ML fit, computed exactly as R's `stats` (4.2)
 * computes them for glm objects: `lm.influence`/`influence.glm`, `hatvalues`,
 * `rstandard.glm`, `rstudent.glm`, `cooks.distance.glm`, `dfbeta`, `dfbetas`,
 * `dffits`, `covratio` and `influence.measures`.
 *
 * Everything is the weighted-least-squares geometry of the last IRLS step: with the
 * working weights W and the non-aliased columns X (rank k), C = (XᵀWX)⁻¹,
 *   hᵢ = Wᵢ xᵢᵀ C xᵢ                           (the diagonal of the hat matrix of √W X)
 * and with the deviance residuals dᵢ, Pearson residuals rᵢ, the dispersion φ
 * (summary.glm's: 1 for binomial/Poisson/negative binomial, Pearson χ²/df otherwise),
 *   σ₍ᵢ₎ = √((Σⱼ dⱼ² − dᵢ²/(1 − hᵢ)) / (m − k − 1))   (lm.influence's sigma; m = cases)
 *   rstandard  dᵢ/√(φ(1 − hᵢ))   or  rᵢ/√(φ(1 − hᵢ))
 *   rstudent   sign(dᵢ)√(dᵢ² + hᵢrᵢ²/(1 − hᵢ)), divided by σ₍ᵢ₎ unless the family is
 *              binomial or poisson (Williams 1987: the likelihood residual)
 *   Cook's D   (rᵢ/(1 − hᵢ))² hᵢ/(φk)
 *   dfbeta     C xᵢ √Wᵢ dᵢ/(1 − hᵢ)               (the one-step change in β̂ on deleting i)
 *   dfbetas    dfbetaᵢⱼ/(σ₍ᵢ₎ √Cⱼⱼ)
 *   dffits     dᵢ √hᵢ/(σ₍ᵢ₎(1 − hᵢ))
 *   covratio   1/((1 − hᵢ)((m − k − 1 + eᵢ*²)/(m − k))ᵏ), eᵢ* = dᵢ/(σ₍ᵢ₎√(1 − hᵢ))
 * As R: only the cases with non-zero prior weight are reported (`rows`); hᵢ ≥ 1 − 10ε
 * is set to 1, values that come out infinite become NaN, and deviance residuals
 * below 100ε·median|d| are set to 0 before σ₍ᵢ₎, dfbeta, rstandard and rstudent.
 *
 * References: [1] Belsley, Kuh & Welsch (1980), Regression Diagnostics, Wiley;
 * [2] Williams (1987), Generalized linear model diagnostics using the deviance and
 * single case deletions, Applied Statistics 36, 181–191; [3] Cook (1977),
 * Technometrics 19, 15–18; [4] R 4.2 src/library/stats/R/lm.influence.R.
 */
import fCdf from "@stdlib/stats-base-dists-f-cdf";
import type { MlFit } from "../fit/ml-fit.js";
import { residuals } from "../fit/ml-fit.js";
import { ArgumentError, NumericalError } from "../errors.js";
import { compensatedSum, keptColumns, keptRow, quadraticForm, reportedRows } from "./fit-parts.js";

const EPS = Number.EPSILON;

/** What R's influence(glm) returns, plus what the other measures need. */
export interface GlmInfluence {
  /** 0-based rows of the cases reported (non-zero prior weight). Every array below has one entry per case. */
  rows: Int32Array;
  /** Names of the non-aliased coefficients (the columns of `coefficients`). */
  columnNames: string[];
  /** Rank k of the fit. */
  rank: number;
  /** Diagonal of the hat matrix. */
  hat: Float64Array;
  /** Leave-one-out σ₍ᵢ₎ from the deviance residuals. */
  sigma: Float64Array;
  /** Deviance residuals with the tiny ones set to 0 (R's infl$dev.res). */
  devRes: Float64Array;
  /** Deviance residuals as they are (R's weighted.residuals, used by dffits and covratio). */
  wtRes: Float64Array;
  /** Pearson residuals (R's infl$pear.res). */
  pearRes: Float64Array;
  /** dfbeta, cases × k row-major; null when not asked for. */
  coefficients: Float64Array | null;
}

function median(x: Float64Array): number {
  const s = Float64Array.from(x).sort();
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Residuals of the reported cases: deviance (raw and with tiny ones zeroed) and Pearson. */
function caseResiduals(fit: MlFit, rows: Int32Array): { wtRes: Float64Array; devRes: Float64Array; pearRes: Float64Array } {
  const dev = residuals(fit, "deviance");
  const pear = residuals(fit, "pearson");
  const m = rows.length;
  const wtRes = new Float64Array(m);
  const pearRes = new Float64Array(m);
  for (let c = 0; c < m; c++) {
    wtRes[c] = dev[rows[c]!]!;
    pearRes[c] = pear[rows[c]!]!;
  }
  const abs = wtRes.map(Math.abs);
  const cut = 100 * EPS * median(abs);
  const devRes = wtRes.map((v) => (Math.abs(v) < cut ? 0 : v));
  return { wtRes, devRes, pearRes };
}

/**
 * R's `influence(glm)` (lm.influence on the last IRLS step): hat values, leave-one-out
 * σ₍ᵢ₎, residuals and, unless `doCoef` is false, dfbeta. See the module comment for the formulas.
 * Throws NumericalError where R's lm.influence stops: a case with positive prior weight
 * but zero working weight (R: "non-NA residual length does not match cases used in fitting").
 * @example glmInfluence(fit).hat // Float64Array of hᵢ, one per case with non-zero weight
 */
export function glmInfluence(fit: MlFit, options: { doCoef?: boolean } = {}): GlmInfluence {
  const { kept, names, C } = keptColumns(fit);
  const k = kept.length;
  const rows = reportedRows(fit);
  const m = rows.length;
  const W = fit.irls.workingWeights;
  for (let c = 0; c < m; c++) {
    if (!(W[rows[c]!]! > 0)) {
      throw new NumericalError(
        `row ${rows[c]! + 1} has a positive prior weight but a zero working weight: R's lm.influence stops here ` +
          "(non-NA residual length does not match cases used in fitting)",
      );
    }
  }
  const { wtRes, devRes, pearRes } = caseResiduals(fit, rows);
  const hat = new Float64Array(m);
  const sigma = new Float64Array(m);
  const doCoef = options.doCoef ?? true;
  const coefficients = doCoef ? new Float64Array(m * k) : null;
  if (k === 0) {
    sigma.fill(Math.sqrt(fit.deviance / fit.dfResidual));
    return { rows, columnNames: names, rank: 0, hat, sigma, devRes, wtRes, pearRes, coefficients };
  }
  const x = new Float64Array(k);
  for (let c = 0; c < m; c++) {
    const h = W[rows[c]!]! * quadraticForm(keptRow(fit, kept, rows[c]!, x), C, k);
    hat[c] = h >= 1 - 10 * EPS ? 1 : h;
  }
  const sumSq = compensatedSum(devRes.map((v) => v * v));
  const denom = m - k - 1;
  for (let c = 0; c < m; c++) {
    const h = hat[c]!;
    const e = devRes[c]!;
    sigma[c] = h < 1 ? Math.sqrt((sumSq - (e * e) / (1 - h)) / denom) : Math.sqrt(sumSq / denom);
  }
  if (coefficients) dfbetaInto(fit, kept, C, rows, hat, devRes, coefficients);
  return { rows, columnNames: names, rank: k, hat, sigma, devRes, wtRes, pearRes, coefficients };
}

/** dfbetaᵢ = C xᵢ √Wᵢ eᵢ/(1 − hᵢ) (0 where hᵢ = 1), as lm.influence's coefficients. */
function dfbetaInto(
  fit: MlFit, kept: Int32Array, C: Float64Array, rows: Int32Array, hat: Float64Array, e: Float64Array, out: Float64Array,
): void {
  const k = kept.length;
  const W = fit.irls.workingWeights;
  const x = new Float64Array(k);
  for (let c = 0; c < rows.length; c++) {
    const h = hat[c]!;
    const scale = h === 1 ? 0 : (Math.sqrt(W[rows[c]!]!) * e[c]!) / (1 - h);
    keptRow(fit, kept, rows[c]!, x);
    for (let a = 0; a < k; a++) {
      let t = 0;
      for (let b = 0; b < k; b++) t += C[a * k + b]! * x[b]!;
      out[c * k + a] = t * scale;
    }
  }
}

const finiteOrNaN = (v: number): number => (v === Infinity || v === -Infinity ? Number.NaN : v);

function dispersionOf(fit: MlFit, dispersion: number | undefined): number {
  const d = dispersion ?? fit.dispersion;
  if (!(d > 0)) throw new ArgumentError(`dispersion must be positive, got ${d}`);
  return d;
}

/**
 * Diagonal hᵢ = Wᵢ xᵢᵀ(XᵀWX)⁻¹xᵢ of the hat matrix of the last IRLS step (R's hatvalues(glm)),
 * for the cases with non-zero prior weight ([1], §2.1).
 * @example hatvalues(fit).reduce((a, b) => a + b) // ≈ rank of the fit
 */
export function hatvalues(fit: MlFit, infl: GlmInfluence = glmInfluence(fit, { doCoef: false })): Float64Array {
  return Float64Array.from(infl.hat);
}

/**
 * Standardized residuals dᵢ/√(φ(1 − hᵢ)) (type "deviance") or rᵢ/√(φ(1 − hᵢ)) ("pearson"),
 * φ the fit's dispersion unless given (R's rstandard.glm; McCullagh & Nelder 1989, §12.5).
 * @example rstandard(fit, "pearson")
 */
export function rstandard(
  fit: MlFit, type: "deviance" | "pearson" = "deviance", options: { dispersion?: number; infl?: GlmInfluence } = {},
): Float64Array {
  if (type !== "deviance" && type !== "pearson") throw new ArgumentError(`type must be "deviance" or "pearson", got ${String(type)}`);
  const infl = options.infl ?? glmInfluence(fit, { doCoef: false });
  const phi = dispersionOf(fit, options.dispersion);
  const res = type === "pearson" ? infl.pearRes : infl.devRes;
  return res.map((r, c) => finiteOrNaN(r / Math.sqrt(phi * (1 - infl.hat[c]!))));
}

/**
 * Studentized (likelihood) residuals sign(dᵢ)√(dᵢ² + hᵢrᵢ²/(1 − hᵢ)) of Williams (1987) [2],
 * divided by the deletion σ₍ᵢ₎ unless the family is exactly "binomial" or "poisson"
 * (R's rstudent.glm: quasi, negative binomial and the dispersion families are divided):
 * the families with a fixed dispersion and no auxiliary parameter.
 * @example rstudent(fit)
 */
export function rstudent(fit: MlFit, infl: GlmInfluence = glmInfluence(fit, { doCoef: false })): Float64Array {
  const family = fit.problem.family;
  const divide = !(family.dispersion === "fixed" && family.aux === null);
  return infl.devRes.map((d, c) => {
    const h = infl.hat[c]!;
    const p = infl.pearRes[c]!;
    const r = finiteOrNaN(Math.sign(d) * Math.sqrt(d * d + (h * p * p) / (1 - h)));
    return divide ? r / infl.sigma[c]! : r;
  });
}

/**
 * Cook's distances (rᵢ/(1 − hᵢ))² hᵢ/(φ k) with Pearson residuals rᵢ, rank k and the
 * fit's dispersion φ unless given (R's cooks.distance.glm; Cook 1977 [3]).
 * @example cooksDistance(fit)
 */
export function cooksDistance(fit: MlFit, options: { dispersion?: number; infl?: GlmInfluence } = {}): Float64Array {
  const infl = options.infl ?? glmInfluence(fit, { doCoef: false });
  const phi = dispersionOf(fit, options.dispersion);
  const k = infl.rank;
  return infl.pearRes.map((r, c) => {
    const h = infl.hat[c]!;
    const t = r / (1 - h);
    return finiteOrNaN(((t * t) * h) / (phi * k));
  });
}

/** A cases × columns matrix, row-major, with its column names. */
export interface CaseMatrix {
  /** 0-based rows of the cases (non-zero prior weight). */
  rows: Int32Array;
  columnNames: string[];
  values: Float64Array;
}

/**
 * dfbeta: the one-step approximation C xᵢ√Wᵢ dᵢ/(1 − hᵢ) to β̂ − β̂₍ᵢ₎ on the working
 * weights (R's dfbeta(glm) = lm.influence(fit)$coefficients; [1], §2.1), over the
 * non-aliased coefficients.
 * @example dfbeta(fit).values // cases × rank, row-major
 */
export function dfbeta(fit: MlFit, infl: GlmInfluence = glmInfluence(fit)): CaseMatrix {
  if (!infl.coefficients) throw new ArgumentError("dfbeta needs an influence computed with doCoef: true");
  return { rows: infl.rows, columnNames: infl.columnNames, values: Float64Array.from(infl.coefficients) };
}

/**
 * dfbetas: dfbetaᵢⱼ/(σ₍ᵢ₎√Cⱼⱼ) with C = (XᵀWX)⁻¹ ([1], eq. 2.7; R's dfbetas).
 * @example dfbetas(fit).values
 */
export function dfbetas(fit: MlFit, infl: GlmInfluence = glmInfluence(fit)): CaseMatrix {
  const db = dfbeta(fit, infl);
  const { C } = keptColumns(fit);
  const k = infl.rank;
  const out = db.values;
  for (let c = 0; c < infl.rows.length; c++) {
    for (let a = 0; a < k; a++) out[c * k + a] = out[c * k + a]! / (infl.sigma[c]! * Math.sqrt(C[a * k + a]!));
  }
  return db;
}

/**
 * DFFITS dᵢ√hᵢ/(σ₍ᵢ₎(1 − hᵢ)) ([1], eq. 2.11; R's dffits).
 * @example dffits(fit)
 */
export function dffits(fit: MlFit, infl: GlmInfluence = glmInfluence(fit, { doCoef: false })): Float64Array {
  return infl.wtRes.map((d, c) => {
    const h = infl.hat[c]!;
    return finiteOrNaN((d * Math.sqrt(h)) / (infl.sigma[c]! * (1 - h)));
  });
}

/**
 * COVRATIO 1/((1 − hᵢ)((m − k − 1 + eᵢ*²)/(m − k))ᵏ), eᵢ* = dᵢ/(σ₍ᵢ₎√(1 − hᵢ)), m cases,
 * rank k ([1], eq. 2.14; R's covratio).
 * @example covratio(fit)
 */
export function covratio(fit: MlFit, infl: GlmInfluence = glmInfluence(fit, { doCoef: false })): Float64Array {
  const n = infl.rows.length;
  const k = infl.rank;
  return infl.wtRes.map((d, c) => {
    const omh = 1 - infl.hat[c]!;
    const eStar = finiteOrNaN(d / (infl.sigma[c]! * Math.sqrt(omh)));
    return 1 / (omh * Math.pow((n - k - 1 + eStar * eStar) / (n - k), k));
  });
}

/** R's influence.measures(glm): the matrix of measures and its flags. */
export interface InfluenceMeasures {
  rows: Int32Array;
  /** "dfb.NAME" per coefficient (not abbreviated as R's names), then "dffit", "cov.r", "cook.d", "hat". */
  columns: string[];
  /** cases × (k + 4), row-major; infinite values are NaN. */
  infmat: Float64Array;
  /** Same shape: whether each measure flags the case as influential; null where R gives NA (a NaN measure). */
  isInfluential: (boolean | null)[];
}

/**
 * influence.measures as R computes it for a glm: dfbetas, dffits, cov.r = (σ₍ᵢ₎/s)^{2k}/(1 − hᵢ)
 * (s² = Σdᵢ²/df.residual), Cook's distance and hᵢ, with R's flags ([1], ch. 2):
 * |dfbetas| > 1, |dffit| > 3√(k/(n − k)), |1 − cov.r| > 3k/(n − k), F_{k,n−k}(cook.d) > 0.5,
 * hᵢ > 3k/n, where n is the number of cases with hᵢ > 0. `dispersion` overrides φ in Cook's
 * distance (R uses summary(fit)$dispersion: for glm(…, negative.binomial(θ)) that is the Pearson
 * estimate, not 1).
 * @example influenceMeasures(fit).isInfluential
 */
export function influenceMeasures(
  fit: MlFit, infl: GlmInfluence = glmInfluence(fit), options: { dispersion?: number } = {},
): InfluenceMeasures {
  const k = infl.rank;
  const m = infl.rows.length;
  const dfbs = dfbetas(fit, infl).values;
  const dff = dffits(fit, infl);
  const cook = cooksDistance(fit, { infl, dispersion: options.dispersion });
  const s = Math.sqrt(compensatedSum(infl.wtRes.map((v) => v * v)) / fit.dfResidual);
  const cols = k + 4;
  const infmat = new Float64Array(m * cols);
  for (let c = 0; c < m; c++) {
    const h = infl.hat[c]!;
    for (let a = 0; a < k; a++) infmat[c * cols + a] = finiteOrNaN(dfbs[c * k + a]!);
    infmat[c * cols + k] = dff[c]!;
    infmat[c * cols + k + 1] = finiteOrNaN(Math.pow(infl.sigma[c]! / s, 2 * k) / (1 - h));
    infmat[c * cols + k + 2] = cook[c]!;
    infmat[c * cols + k + 3] = h;
  }
  let n = 0;
  for (let c = 0; c < m; c++) if (infl.hat[c]! > 0) n++;
  if (n <= k) throw new NumericalError(`too few cases with h > 0 (${n}) for ${k} coefficients (R: "too few cases i with h_ii > 0), n < k")`);
  const flag = (v: number, cond: (v: number) => boolean): boolean | null => (Number.isNaN(v) ? null : cond(v));
  const isInfluential: (boolean | null)[] = new Array<boolean | null>(m * cols);
  for (let c = 0; c < m; c++) {
    const r = c * cols;
    for (let a = 0; a < k; a++) isInfluential[r + a] = flag(infmat[r + a]!, (v) => Math.abs(v) > 1);
    isInfluential[r + k] = flag(infmat[r + k]!, (v) => Math.abs(v) > 3 * Math.sqrt(k / (n - k)));
    isInfluential[r + k + 1] = flag(infmat[r + k + 1]!, (v) => Math.abs(1 - v) > (3 * k) / (n - k));
    isInfluential[r + k + 2] = flag(infmat[r + k + 2]!, (v) => fCdf(v, k, n - k) > 0.5);
    isInfluential[r + k + 3] = flag(infmat[r + k + 3]!, (v) => v > (3 * k) / n);
  }
  const columns = [...infl.columnNames.map((nm) => `dfb.${nm}`), "dffit", "cov.r", "cook.d", "hat"];
  return { rows: infl.rows, columns, infmat, isInfluential };
}

/**
 * rstanarm's prior autoscaling (rstanarm 2.21.3, `stan_glm.fit`): for the
 * gaussian family every scale is first multiplied by sd(y); then the scale of
 * each coefficient is divided by sd(xⱼ), the sample sd of its design column
 * (n − 1 denominator) — binary columns included, as the code does — or by 1
 * for a column with a single distinct value (the intercept), and floored at
 * 1e-12. The intercept is therefore scaled by sd(y) only (gaussian) and left
 * alone otherwise, as rstanarm treats `prior_intercept`. The auxiliary prior
 * is scaled by sd(y) for the gaussian family only (`prior_aux`).
 *
 * Note: rstanarm puts its intercept prior on the intercept of the centred
 * predictors; whether the model centres is the model's business, this module
 * only adjusts scales. Off unless asked: nothing here runs by default.
 *
 * Reference: rstanarm priors vignette, "Autoscaling" (Gabry & Goodrich).
 */
import { ArgumentError, DataError, PriorError } from "../errors.js";
import { cauchy, laplace, logistic, normal, studentT } from "./coefficient.js";
import { exponential, gamma, halfNormal, halfStudentT } from "./auxiliary.js";
import type { AuxPrior, CoefficientPrior } from "./types.js";
import type { Family } from "../types.js";

/** rstanarm's `min_prior_scale`. */
const MIN_PRIOR_SCALE = 1e-12;

/** One adjusted prior. */
export interface AutoscaleChange {
  /** Coefficient (or auxiliary parameter) name. */
  readonly name: string;
  readonly from: string;
  readonly to: string;
  /** New scale / old scale. */
  readonly factor: number;
}

/** Result of {@link autoscale}: the adjusted priors and a note of what changed. */
export interface AutoscaleResult {
  readonly priors: CoefficientPrior[];
  readonly changes: readonly AutoscaleChange[];
  /** One line per change, e.g. "wt: normal(0, 2.5) → normal(0, 15.40…) (× sd(y) = 6.03 / sd(wt) = 0.978)". */
  readonly note: string;
}

function sampleSd(values: ArrayLike<number>, n: number, stride: number, offset: number): number {
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[offset + i * stride]!;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = values[offset + i * stride]! - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - 1));
}

function isConstant(values: ArrayLike<number>, n: number, stride: number, offset: number): boolean {
  const first = values[offset]!;
  for (let i = 1; i < n; i++) if (values[offset + i * stride]! !== first) return false;
  return true;
}

function sdOfResponse(y: ArrayLike<number>): number {
  const n = y.length;
  if (n < 2) throw new DataError(`autoscale: y needs at least 2 observations to compute sd(y), got ${n}`, { column: "y" });
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]!)) throw new DataError(`autoscale: y[${i + 1}] is ${y[i]}`, { column: "y", row: i + 1 });
  }
  const s = sampleSd(y, n, 1, 0);
  if (!(s > 0)) throw new DataError("autoscale: sd(y) is 0 (constant response), cannot scale by it", { column: "y" });
  return s;
}

/** The same prior with its scale multiplied by `factor` (null for priors without a scale). */
function rescaled(prior: CoefficientPrior, factor: (scale: number) => number): CoefficientPrior | null {
  switch (prior.kind) {
    case "normal":
      return normal(prior.params.location, factor(prior.params.scale));
    case "student_t":
      return studentT(prior.params.df, prior.params.location, factor(prior.params.scale));
    case "cauchy":
      return cauchy(prior.params.location, factor(prior.params.scale));
    case "laplace":
      return laplace(prior.params.location, factor(prior.params.scale));
    case "logistic":
      return logistic(prior.params.location, factor(prior.params.scale));
    case "flat":
    case "jeffreys":
      return null;
  }
}

function fmt(x: number): string {
  return Number(x.toPrecision(4)).toString();
}

/**
 * Autoscales per-coefficient priors as rstanarm does (module comment):
 * scaleⱼ′ = max(1e-12, scaleⱼ · [sd(y) if gaussian] / sd(xⱼ)), with sd(xⱼ) := 1 for a
 * constant column. `X` is the n×p row-major design (n = y.length, p = columnNames.length).
 * flat() and jeffreys() are left unchanged.
 * @example autoscale([normal(0, 2.5)], new Float64Array([1, 2, 3]), ["x"], [0, 1, 1], binomial()).priors[0].describe() // "normal(0, 2.5)" (sd(x) = 1)
 */
export function autoscale(
  priors: readonly CoefficientPrior[],
  X: ArrayLike<number>,
  columnNames: readonly string[],
  y: ArrayLike<number>,
  family: Pick<Family, "autoscaleBySdY">,
): AutoscaleResult {
  const p = columnNames.length;
  const n = y.length;
  if (priors.length !== p) throw new ArgumentError(`autoscale: ${priors.length} priors for ${p} columns`);
  if (X.length !== n * p) throw new ArgumentError(`autoscale: X has ${X.length} entries, expected n × p = ${n} × ${p}`);
  if (n < 2) throw new DataError(`autoscale: at least 2 observations are needed to compute sds, got ${n}`);
  const gaussian = family.autoscaleBySdY;
  const sdY = gaussian ? sdOfResponse(y) : 1;
  const out: CoefficientPrior[] = priors.slice();
  const changes: AutoscaleChange[] = [];
  const lines: string[] = [];
  for (let j = 0; j < p; j++) {
    const prior = priors[j]!;
    if (prior.kind === "flat" || prior.kind === "jeffreys") continue;
    for (let i = 0; i < n; i++) {
      const v = X[i * p + j]!;
      if (!Number.isFinite(v)) throw new DataError(`autoscale: column "${columnNames[j]}" row ${i + 1} is ${v}`, { column: columnNames[j], row: i + 1 });
    }
    const constant = isConstant(X, n, p, j);
    const sdX = constant ? 1 : sampleSd(X, n, p, j);
    const adjusted = rescaled(prior, (s) => (constant ? s * sdY : Math.max(MIN_PRIOR_SCALE, (s * sdY) / sdX)));
    if (adjusted === null) continue;
    out[j] = adjusted;
    const factor = adjusted.params.scale / prior.params.scale;
    if (factor === 1) continue;
    changes.push({ name: columnNames[j]!, from: prior.describe(), to: adjusted.describe(), factor });
    const why = [gaussian ? `× sd(y) = ${fmt(sdY)}` : "", constant ? "" : `/ sd(${columnNames[j]}) = ${fmt(sdX)}`].filter((s) => s !== "").join(" ");
    lines.push(`${columnNames[j]}: ${prior.describe()} → ${adjusted.describe()} (${why})`);
  }
  return { priors: out, changes, note: lines.length > 0 ? lines.join("\n") : "autoscale: no prior changed" };
}

/**
 * Autoscales an auxiliary prior as rstanarm's `prior_aux` (gaussian family
 * only: the scale is multiplied by sd(y); exponential(rate) → exponential(rate / sd(y)),
 * gamma(shape, rate) → gamma(shape, rate / sd(y))). Other families: unchanged.
 * @example autoscaleAux(exponential(1), [1, 3], gaussian()).prior.describe() // "exponential(0.7071067811865475)"
 */
export function autoscaleAux(
  prior: AuxPrior,
  y: ArrayLike<number>,
  family: Pick<Family, "autoscaleBySdY">,
  name = "aux",
): { prior: AuxPrior; change: AutoscaleChange | null } {
  if (!family.autoscaleBySdY) return { prior, change: null };
  const sdY = sdOfResponse(y);
  let adjusted: AuxPrior;
  switch (prior.kind) {
    case "flat":
      return { prior, change: null };
    case "exponential":
      adjusted = exponential(prior.params.rate / sdY);
      break;
    case "half_normal":
      adjusted = halfNormal(prior.params.scale * sdY);
      break;
    case "half_student_t":
      adjusted = halfStudentT(prior.params.df, prior.params.scale * sdY);
      break;
    case "gamma":
      adjusted = gamma(prior.params.shape, prior.params.rate / sdY);
      break;
    default:
      throw new PriorError(`autoscaleAux: ${(prior as { describe(): string }).describe()} is not an auxiliary prior`);
  }
  return { prior: adjusted, change: { name, from: prior.describe(), to: adjusted.describe(), factor: sdY } };
}

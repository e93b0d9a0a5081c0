/**
 * Bayesian multilevel GLMs sampled with glmkit's NUTS, as rstanarm's `stan_glmer` and brms fit
 * them: `sampleMultilevel(design, options)` on the shared `MultilevelDesign` record
 * (src/multilevel/types.ts), the log posterior of src/multilevel/posterior.ts (non-centred
 * b = diag(sd) L z), rstanarm's default priors (normal(0, 2.5) autoscaled on β, the intercept's on
 * the centred intercept, exponential(1) autoscaled on σ, decov(1, 1, 1, 1)) unless others are
 * given, adapt_delta 0.95 (stan_glmer's default for these models).
 *
 * Output names are brms's: b_Intercept, b_Days, sd_Subject__Intercept, cor_Subject__Intercept__Days,
 * sigma, r_Subject[308,Intercept]. rstanarm's names map as: "(Intercept)" ↔ b_Intercept,
 * Sigma[Subject:(Intercept),(Intercept)] = sd_Subject__Intercept², Sigma[Subject:Days,(Intercept)] =
 * cor · sd · sd, b[(Intercept) Subject:308] ↔ r_Subject[308,Intercept].
 *
 * Also: `multilevelRanef` / `multilevelCoef` (lme4's ranef/coef, posterior means and sds),
 * `multilevelLinpred` (draws of η or μ for existing and new levels; a new level gets b ~ N(0, Σ)
 * drawn per posterior draw, brms's sample_new_levels = "gaussian"), `multilevelPredict` (draws of y),
 * `multilevelLogLik` + `multilevelLoo` (pointwise log-likelihood, PSIS-LOO), `multilevelPriorSummary`
 * and `multilevelPosteriorJson`.
 */
import { ArgumentError, DataError } from "../src/errors.js";
import { rowLikelihoodKernel } from "../src/likelihood/glm-likelihood.js";
import { rstanarmDefaultPriors } from "../src/priors/defaults.js";
import { parsePrior } from "../src/priors/parse.js";
import { asAuxPrior } from "../src/priors/auxiliary.js";
import type { AuxPrior, CoefficientPrior } from "../src/priors/types.js";
import type { Family } from "../src/types.js";
import { multilevelTarget, type MultilevelPriors, type MultilevelTarget } from "../src/multilevel/posterior.js";
import { describeCovariancePrior, parseCovariancePrior, decov, type CovariancePrior } from "../src/multilevel/priors.js";
import { corrDim } from "../src/multilevel/cholesky-corr.js";
import type { MultilevelDesign } from "../src/multilevel/types.js";
import { sampleSync } from "../samplers/sample.js";
import type { Adaptation, SamplerParams } from "../samplers/chain.js";
import { summarizeDraws, diagnosticWarnings, type SummaryRow } from "../samplers/diagnostics/summary.js";
import { countDivergences } from "../samplers/diagnostics/hmc.js";
import { psisLoo, type LooResult } from "../samplers/diagnostics/loo.js";
import { predictiveVariates, type DrawMatrix } from "./posterior-predict.js";

/** Priors as given by a user: spec strings or prior records; anything omitted takes rstanarm's default. */
export interface MultilevelPriorOptions {
  /** One spec for every non-intercept coefficient, or one per column of X (the intercept's entry ignored). */
  coefficients?: string | CoefficientPrior | readonly (string | CoefficientPrior)[];
  /** Prior of the centred intercept. */
  intercept?: string | CoefficientPrior;
  aux?: string | AuxPrior;
  /** "decov(1, 1, 1, 1)" (default) or "lkj(2)", or a record. */
  covariance?: string | CovariancePrior;
  /** SD prior for lkj (default brms's half_student_t(3, 2.5)). */
  sd?: string;
}

export interface MultilevelSampleOptions {
  family: Family;
  priors?: MultilevelPriorOptions;
  seed: number;
  chains?: number;
  warmup?: number;
  draws?: number;
  thin?: number;
  /** Default 0.95 (stan_glmer's). */
  adaptDelta?: number;
  maxTreeDepth?: number;
  metric?: "diag" | "dense";
  /** Default "stan" (Stan's windowed warmup, as rstanarm). */
  adaptation?: Adaptation;
  init?: Float64Array | "uniform";
  initRadius?: number;
}

/** One line of the prior summary. */
export interface MultilevelPriorLine {
  parameter: string;
  prior: string;
  /** rstanarm's "Specified prior" before autoscaling, when it differs (defaults only). */
  specified: string | null;
}

export interface MultilevelPosterior {
  /** brms names of the constrained quantities. */
  names: string[];
  /** Per chain: draws × names.length, row-major. */
  draws: Float64Array[];
  /** Per chain: the sampler's unconstrained positions (target.names). */
  unconstrained: Float64Array[];
  lp: Float64Array[];
  sampler: SamplerParams[];
  stepSize: number[];
  summary: SummaryRow[];
  divergences: number;
  warnings: string[];
  settings: { chains: number; warmup: number; draws: number; thin: number; seed: number; adaptDelta: number; maxTreeDepth: number; metric: "diag" | "dense"; adaptation: Adaptation };
  seconds: { warmup: number[]; sampling: number[]; total: number };
  design: MultilevelDesign;
  family: Family;
  priors: MultilevelPriors;
  priorSummary: MultilevelPriorLine[];
  /** Gradient evaluations (leapfrog steps) of the whole run, warmup included. */
  gradients: number;
  target: MultilevelTarget;
}

const INTERCEPT = "(Intercept)";

function coefPrior(v: string | CoefficientPrior, where: string): CoefficientPrior {
  if (typeof v !== "string") return v;
  const q = parsePrior(v);
  if (q.support !== "real") throw new ArgumentError(`${where}: "${v}" is a prior on (0, ∞); a coefficient needs normal, student_t, cauchy, laplace, logistic or flat`);
  return q as CoefficientPrior;
}

/** Resolves the priors: rstanarm's defaults for what is not given (the prior summary says which). */
export function resolveMultilevelPriors(design: MultilevelDesign, family: Family, given: MultilevelPriorOptions = {}): { priors: MultilevelPriors; summary: MultilevelPriorLine[] } {
  const hasIntercept = design.columnNames.includes(INTERCEPT);
  const needDefaults = given.coefficients === undefined || (hasIntercept && given.intercept === undefined) || (family.aux !== null && given.aux === undefined);
  const defaults = needDefaults
    ? rstanarmDefaultPriors({ X: design.X, columnNames: design.columnNames, hasIntercept, y: design.y, family })
    : null;
  const summary: MultilevelPriorLine[] = [];
  const coefficients: CoefficientPrior[] = design.columnNames.map((name, j) => {
    const isInt = name === INTERCEPT;
    let q: CoefficientPrior;
    let specified: string | null = null;
    const c = given.coefficients;
    if (isInt && given.intercept !== undefined) q = coefPrior(given.intercept, "priors.intercept");
    else if (!isInt && c !== undefined) {
      const v = Array.isArray(c) ? (c as readonly (string | CoefficientPrior)[])[j] : (c as string | CoefficientPrior);
      if (v === undefined) throw new ArgumentError(`priors.coefficients has no entry for column ${j + 1} ("${name}")`);
      q = coefPrior(v, `priors.coefficients[${j}]`);
    } else {
      q = defaults!.coefficients[j]!;
      specified = isInt ? defaults!.specified.intercept : defaults!.specified.coefficients;
    }
    summary.push({ parameter: isInt ? "Intercept (after predictors centered)" : `b_${name}`, prior: q.describe(), specified: specified === q.describe() ? null : specified });
    return q;
  });
  let aux: AuxPrior | undefined;
  if (family.aux) {
    if (given.aux !== undefined) aux = typeof given.aux === "string" ? asAuxPrior(parsePrior(given.aux)) : given.aux;
    else aux = defaults!.aux!;
    summary.push({ parameter: family.aux.name, prior: aux.describe(), specified: given.aux === undefined && defaults!.specified.aux !== aux.describe() ? defaults!.specified.aux : null });
  }
  const cv = given.covariance;
  const covariance = cv === undefined ? (given.sd !== undefined ? parseCovariancePrior("lkj(1)", given.sd) : decov()) : typeof cv === "string" ? parseCovariancePrior(cv, given.sd) : cv;
  summary.push({ parameter: "Covariance", prior: describeCovariancePrior(covariance) + (covariance.kind === "lkj" ? `, sd ~ ${covariance.sd.describe()}` : ""), specified: null });
  return { priors: { coefficients, aux, covariance }, summary };
}

/** The prior summary as text, in the style of rstanarm's prior_summary(). */
export function formatMultilevelPriorSummary(lines: readonly MultilevelPriorLine[]): string {
  return lines.map((l) => `${l.parameter}\n  ${l.specified ? `Specified prior: ~ ${l.specified}\n  Adjusted prior:  ~ ${l.prior}` : `~ ${l.prior}`}`).join("\n");
}

/**
 * Samples the posterior of a multilevel GLM with NUTS.
 * @example const post = sampleMultilevel(design, { family: gaussian(), seed: 1 }); post.summary.find((r) => r.name === "sd_Subject__Days")
 */
export function sampleMultilevel(design: MultilevelDesign, options: MultilevelSampleOptions): MultilevelPosterior {
  if (options === null || typeof options !== "object" || !options.family) throw new ArgumentError("sampleMultilevel: options.family is required");
  const family = options.family;
  family.checkY(design.y, design.weights);
  const { priors, summary: priorSummary } = resolveMultilevelPriors(design, family, options.priors);
  const target = multilevelTarget(design, family, priors);
  const adaptation = options.adaptation ?? "stan";
  const settings = {
    chains: options.chains ?? 4,
    warmup: options.warmup ?? 1000,
    draws: options.draws ?? 1000,
    thin: options.thin ?? 1,
    seed: options.seed,
    adaptDelta: options.adaptDelta ?? 0.95,
    maxTreeDepth: options.maxTreeDepth ?? 10,
    metric: options.metric ?? "diag",
    adaptation,
  };
  const fit = sampleSync(target, { ...settings, init: options.init, initRadius: options.initRadius, saveWarmup: true });
  const K = target.outputNames.length;
  const dim = target.dim;
  const draws = fit.draws.map((chain) => {
    const S = chain.length / dim;
    const out = new Float64Array(S * K);
    const tmp = new Float64Array(K);
    for (let s = 0; s < S; s++) {
      target.constrain(chain.subarray(s * dim, (s + 1) * dim), tmp);
      out.set(tmp, s * K);
    }
    return out;
  });
  const names = [...target.outputNames];
  const summary = summarizeDraws(draws, names);
  let gradients = 0;
  for (const sp of [...fit.sampler, ...(fit.warmupSampler ?? [])]) for (const v of sp.n_leapfrog__) gradients += v;
  return {
    names,
    draws,
    unconstrained: fit.draws,
    lp: fit.lp ?? [],
    sampler: fit.sampler,
    stepSize: fit.stepSize,
    summary,
    divergences: fit.sampler.reduce((s, sp) => s + countDivergences(sp), 0),
    warnings: diagnosticWarnings(summary, fit.sampler),
    settings,
    seconds: fit.seconds,
    design,
    family,
    priors,
    priorSummary,
    gradients,
    target,
  };
}

function summaryOf(post: MultilevelPosterior, name: string): SummaryRow {
  const r = post.summary.find((x) => x.name === name);
  if (!r) throw new ArgumentError(`no variable "${name}" in the posterior`);
  return r;
}

/** Per grouping factor, level and column: the posterior mean and sd of the group-level effect (lme4's ranef). */
export interface RanefRow { factor: string; level: string; column: string; mean: number; sd: number; q5: number; q95: number }

export function multilevelRanef(post: MultilevelPosterior): RanefRow[] {
  const out: RanefRow[] = [];
  for (const t of post.design.terms) for (const lv of t.levels) for (const c of t.columns) {
    const r = summaryOf(post, `r_${t.factor}[${lv},${c === INTERCEPT ? "Intercept" : c}]`);
    out.push({ factor: t.factor, level: lv, column: c, mean: r.mean, sd: r.sd, q5: r.q5, q95: r.q95 });
  }
  return out;
}

/**
 * lme4's coef: population-level plus group-level effect per level, for the columns of each term
 * (a column absent from X contributes its group-level effect alone), posterior mean and sd of the sum.
 */
export function multilevelCoef(post: MultilevelPosterior): RanefRow[] {
  const out: RanefRow[] = [];
  const K = post.names.length;
  for (const t of post.design.terms) for (const lv of t.levels) for (const c of t.columns) {
    const bj = post.names.indexOf(`b_${c === INTERCEPT ? "Intercept" : c}`);
    const rj = post.names.indexOf(`r_${t.factor}[${lv},${c === INTERCEPT ? "Intercept" : c}]`);
    const v: number[] = [];
    for (const ch of post.draws) for (let s = 0; s < ch.length / K; s++) v.push((bj >= 0 ? ch[s * K + bj]! : 0) + ch[s * K + rj]!);
    v.sort((a, b) => a - b);
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
    const q = (pr: number) => { const h = (v.length - 1) * pr; const lo = Math.floor(h); return v[lo]! + (h - lo) * ((v[Math.min(lo + 1, v.length - 1)]!) - v[lo]!); };
    out.push({ factor: t.factor, level: lv, column: c, mean: m, sd, q5: q(0.05), q95: q(0.95) });
  }
  return out;
}

/** Rows to predict at: population-level design, and per term of the fitted design its labels and Z values. */
export interface MultilevelNewData {
  n: number;
  /** n × p row-major, the fitted design's columns. */
  X: Float64Array;
  offset?: Float64Array | null;
  weights?: Float64Array | null;
  /** One entry per fitted term, in order: the level label of each row and the term's k Z values per row (row-major). */
  groups: readonly { labels: readonly string[]; values: Float64Array }[];
}

export interface LinpredOptions {
  newdata?: MultilevelNewData;
  type?: "link" | "response";
  /** What a level not seen in the fit gets: "gaussian" (b ~ N(0, Σ) per draw, default) or "error". */
  newLevels?: "gaussian" | "error";
  /** Seed for the new levels' effects (integer in [1, 2³² − 1]); required when there are new levels. */
  seed?: number;
}

interface Rows { n: number; X: Float64Array; offset: Float64Array; weights: Float64Array; level: Int32Array[]; values: Float64Array[]; newLevelCount: number[] }

function rowsOf(post: MultilevelPosterior, nd: MultilevelNewData | undefined, allowNew: boolean): Rows {
  const d = post.design;
  if (nd === undefined) return { n: d.n, X: d.X, offset: d.offset, weights: d.weights, level: d.terms.map((t) => t.group), values: d.terms.map((t) => t.values), newLevelCount: d.terms.map(() => 0) };
  const { n, X } = nd;
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`newdata.n must be a positive integer, got ${n}`);
  if (!(X instanceof Float64Array) || X.length !== n * d.p) throw new ArgumentError(`newdata.X must be a Float64Array of n × p = ${n} × ${d.p} (columns ${d.columnNames.join(", ")})`);
  for (let k = 0; k < X.length; k++) if (!Number.isFinite(X[k]!)) throw new DataError(`newdata.X is not finite in row ${Math.floor(k / d.p) + 1}, column "${d.columnNames[k % d.p]}"`, { column: d.columnNames[k % d.p], row: Math.floor(k / d.p) + 1 });
  if (!Array.isArray(nd.groups) || nd.groups.length !== d.terms.length) throw new ArgumentError(`newdata.groups must have one entry per group-level term (${d.terms.map((t) => t.factor).join(", ")})`);
  const level: Int32Array[] = [];
  const newLevelCount: number[] = [];
  d.terms.forEach((t, ti) => {
    const g = nd.groups[ti]!;
    if (g.labels.length !== n || g.values.length !== n * t.k) throw new ArgumentError(`newdata.groups[${ti}] (${t.factor}): labels must have n = ${n} entries and values n × k = ${n * t.k}`);
    const index = new Map(t.levels.map((l, j) => [l, j]));
    const fresh = new Map<string, number>();
    level.push(Int32Array.from(g.labels, (lab, i) => {
      const j = index.get(String(lab));
      if (j !== undefined) return j;
      if (!allowNew) throw new DataError(`newdata row ${i + 1}: level "${lab}" of ${t.factor} was not in the fitted data (newLevels: "error")`, { column: t.factor, row: i + 1 });
      if (!fresh.has(String(lab))) fresh.set(String(lab), fresh.size);
      return t.levels.length + fresh.get(String(lab))!;
    }));
    newLevelCount.push(fresh.size);
  });
  for (const [name, a] of [["offset", nd.offset], ["weights", nd.weights]] as const) if (a != null && (!(a instanceof Float64Array) || a.length !== n)) throw new ArgumentError(`newdata.${name} must be a Float64Array of length ${n}`);
  return { n, X, offset: nd.offset ?? new Float64Array(n), weights: nd.weights ?? new Float64Array(n).fill(1), level, values: nd.groups.map((g) => g.values), newLevelCount };
}

/** Draws × rows of η (or μ), and the aux value of each draw (NaN without one). */
function linpred(post: MultilevelPosterior, o: LinpredOptions): { m: DrawMatrix; aux: Float64Array; rows: Rows } {
  const rows = rowsOf(post, o.newdata, (o.newLevels ?? "gaussian") === "gaussian");
  const d = post.design;
  const K = post.names.length;
  const S = post.draws.reduce((s, c) => s + c.length / K, 0);
  const anyNew = rows.newLevelCount.some((c) => c > 0);
  const rng = anyNew ? (o.seed === undefined ? (() => { throw new ArgumentError("multilevelLinpred: newdata has new levels; options.seed is required to draw their effects"); })() : predictiveVariates(o.seed)) : null;
  const values = new Float64Array(S * rows.n);
  const aux = new Float64Array(S).fill(NaN);
  const auxIdx = post.family.aux ? post.names.indexOf(post.family.aux.name) : -1;
  // offsets of each term's sd, cor and r blocks in the output vector
  let o1 = d.p;
  const sdAt = d.terms.map((t) => { const a = o1; o1 += t.k; return a; });
  const corAt = d.terms.map((t, ti) => { const a = o1; if (post.target.layout.terms[ti]!.hasCor) o1 += corrDim(t.k); return a; });
  if (auxIdx >= 0) o1++;
  const rAt = d.terms.map((t) => { const a = o1; o1 += t.levels.length * t.k; return a; });
  const bNew = d.terms.map((t, ti) => new Float64Array(rows.newLevelCount[ti]! * t.k));
  const inv = post.family.link.linkinv;
  let s = 0;
  for (const ch of post.draws) {
    for (let r = 0; r < ch.length / K; r++, s++) {
      const base = r * K;
      if (auxIdx >= 0) aux[s] = ch[base + auxIdx]!;
      // new levels: b = diag(sd) L z with L from this draw's correlations (Cholesky of Ω)
      d.terms.forEach((t, ti) => {
        const nNew = rows.newLevelCount[ti]!;
        if (nNew === 0) return;
        const k = t.k;
        const L = new Float64Array(k * k);
        const hasCor = post.target.layout.terms[ti]!.hasCor;
        const omega = (a: number, b: number) => {
          if (a === b) return 1;
          if (!hasCor) return 0;
          const [hi, lo] = a > b ? [a, b] : [b, a];
          return ch[base + corAt[ti]! + (hi * (hi - 1)) / 2 + lo]!;
        };
        for (let a = 0; a < k; a++) for (let b = 0; b <= a; b++) {
          let v = omega(a, b);
          for (let m = 0; m < b; m++) v -= L[a * k + m]! * L[b * k + m]!;
          L[a * k + b] = a === b ? Math.sqrt(Math.max(v, 0)) : v / L[b * k + b]!;
        }
        const z = new Float64Array(k);
        for (let j = 0; j < nNew; j++) {
          for (let c = 0; c < k; c++) z[c] = rng!.normal(0, 1);
          for (let c = 0; c < k; c++) {
            let v = 0;
            for (let m = 0; m <= c; m++) v += L[c * k + m]! * z[m]!;
            bNew[ti]![j * k + c] = ch[base + sdAt[ti]! + c]! * v;
          }
        }
      });
      for (let i = 0; i < rows.n; i++) {
        let e = rows.offset[i]!;
        for (let j = 0; j < d.p; j++) e += rows.X[i * d.p + j]! * ch[base + j]!;
        d.terms.forEach((t, ti) => {
          const k = t.k;
          const g = rows.level[ti]![i]!;
          const J = t.levels.length;
          for (let c = 0; c < k; c++) {
            const b = g < J ? ch[base + rAt[ti]! + g * k + c]! : bNew[ti]![(g - J) * k + c]!;
            e += rows.values[ti]![i * k + c]! * b;
          }
        });
        values[s * rows.n + i] = (o.type ?? "response") === "response" ? inv(e) : e;
      }
    }
  }
  return { m: { draws: S, n: rows.n, values }, aux, rows };
}

/**
 * Draws of η (`type: "link"`) or μ (`"response"`, default) at the fitted rows or at `newdata`.
 * @example multilevelLinpred(post, { newdata, seed: 1 }).values // draws × newdata.n
 */
export function multilevelLinpred(post: MultilevelPosterior, options: LinpredOptions = {}): DrawMatrix {
  return linpred(post, options).m;
}

/** Posterior predictive draws of y (family.simulate, seeded), for existing and new levels. */
export function multilevelPredict(post: MultilevelPosterior, options: LinpredOptions & { seed: number }): DrawMatrix {
  if (options?.seed === undefined) throw new ArgumentError("multilevelPredict: options.seed is required");
  const { m, aux, rows } = linpred(post, { ...options, type: "response" });
  const simulate = post.family.simulate;
  if (simulate === null) throw new ArgumentError(`multilevelPredict: the ${post.family.name} family has no generative model`);
  post.family.checkSimulationWeights(rows.weights);
  const rng = predictiveVariates(options.seed === 2 ** 32 - 1 ? 1 : options.seed + 1);
  const out = new Float64Array(m.values.length);
  for (let s = 0; s < m.draws; s++) for (let i = 0; i < m.n; i++) out[s * m.n + i] = simulate(rng, m.values[s * m.n + i]!, aux[s]!, rows.weights[i]!);
  return { draws: m.draws, n: m.n, values: out };
}

/**
 * Pointwise log-likelihood of the fitted rows, draws × n (constants included), conditional on the
 * group-level effects (as rstanarm's and brms's log_lik).
 */
export function multilevelLogLik(post: MultilevelPosterior): DrawMatrix {
  const d = post.design;
  const kernel = rowLikelihoodKernel({ y: d.y, weights: d.weights, trials: post.family.name === "binomial" ? d.weights : null, family: post.family });
  const dim = post.target.dim;
  const S = post.unconstrained.reduce((s, c) => s + c.length / dim, 0);
  const values = new Float64Array(S * d.n);
  const eta = new Float64Array(d.n);
  const auxIdx = post.target.layout.auxIndex;
  let s = 0;
  for (const ch of post.unconstrained) {
    for (let r = 0; r < ch.length / dim; r++, s++) {
      const theta = ch.subarray(r * dim, (r + 1) * dim);
      post.target.linearPredictor(theta, eta);
      kernel.logLikRows(eta, auxIdx >= 0 ? theta[auxIdx]! : 0, values.subarray(s * d.n, (s + 1) * d.n));
    }
  }
  return { draws: S, n: d.n, values };
}

/** PSIS-LOO of the fitted rows (loo's r_eff from the chains). */
export function multilevelLoo(post: MultilevelPosterior): LooResult {
  const ll = multilevelLogLik(post);
  const perChain = post.unconstrained[0]!.length / post.target.dim;
  const chainId = Int32Array.from({ length: ll.draws }, (_, s) => Math.floor(s / perChain) + 1);
  return psisLoo({ values: ll.values, n: ll.n, chainId });
}

/** The `posterior` block of the JSON output for a multilevel model. */
export interface MultilevelPosteriorJson {
  summary: SummaryRow[];
  divergences: number;
  chains: number;
  warmup: number;
  draws: number;
  seconds: number;
  adapt_delta: number;
  adaptation: Adaptation;
  step_size: number[];
  prior: MultilevelPriorLine[];
  group_terms: { factor: string; columns: string[]; levels: number; correlated: boolean }[];
  warnings: string[];
}

export function multilevelPosteriorJson(post: MultilevelPosterior): MultilevelPosteriorJson {
  return {
    summary: post.summary,
    divergences: post.divergences,
    chains: post.settings.chains,
    warmup: post.settings.warmup,
    draws: post.settings.draws,
    seconds: post.seconds.total,
    adapt_delta: post.settings.adaptDelta,
    adaptation: post.settings.adaptation,
    step_size: post.stepSize,
    prior: post.priorSummary,
    group_terms: post.design.terms.map((t) => ({ factor: t.factor, columns: [...t.columns], levels: t.levels.length, correlated: t.correlated })),
    warnings: post.warnings,
  };
}

/**
 * `glmkit fit DATA --formula "y ~ x + (1 + x | g)" --method nuts`: the posterior of a multilevel
 * GLM (glmer(spec).nuts(), rstanarm's stan_glmer defaults), as a text summary (population-level
 * effects, group-level SDs and correlations, the family's aux, R̂/ESS, divergences, the prior
 * summary) or the JSON record: the fields of `glmkit fit` (coefficients are posterior means and
 * SDs), `group_effects` with brms names (posterior means) and `posterior`
 * (multilevelPosteriorJson: summary, divergences, chains, warmup, draws, seconds, …).
 */
import type { MultilevelModel } from "../models/multilevel.js";
import { formatMultilevelPriorSummary, multilevelPosteriorJson, multilevelRanef, type MultilevelPosterior, type MultilevelPriorOptions } from "../models/multilevel-posterior.js";
import { coefTables, type GroupTable } from "../src/multilevel/components.js";
import { parseCovariancePrior } from "../src/multilevel/priors.js";
import { parsePrior } from "../src/priors/parse.js";
import { UsageError, samplerFlags, checkSamplerMemory } from "./validate-options.js";

type Values = Record<string, unknown>;

/** Flags that apply to a multilevel model only with --method nuts. */
export const MULTILEVEL_NUTS_FLAGS = ["prior", "prior-intercept", "prior-aux", "prior-covariance", "prior-sd", "chains", "warmup", "draws", "seed", "adapt-delta", "max-treedepth", "metric", "adapt"] as const;

function checked(flag: string, f: () => unknown): void {
  try {
    f();
  } catch (e) {
    throw new UsageError(`--${flag}: ${(e as Error).message}`);
  }
}

/** The priors the flags declare, each spec parsed once here so that a bad one names its flag. */
export function priorsFromFlags(values: Values): MultilevelPriorOptions {
  const s = (k: string) => values[k] as string | undefined;
  const out: MultilevelPriorOptions = {};
  for (const [flag, key] of [["prior", "coefficients"], ["prior-intercept", "intercept"], ["prior-aux", "aux"]] as const) {
    const v = s(flag);
    if (v === undefined) continue;
    checked(flag, () => parsePrior(v));
    out[key] = v;
  }
  const cov = s("prior-covariance");
  const sd = s("prior-sd");
  if (sd !== undefined) checked("prior-sd", () => parsePrior(sd));
  if (cov !== undefined || sd !== undefined) checked(cov !== undefined ? "prior-covariance" : "prior-sd", () => parseCovariancePrior(cov ?? "lkj(1)", sd));
  if (cov !== undefined) out.covariance = cov;
  if (sd !== undefined) out.sd = sd;
  return out;
}

function mean(post: MultilevelPosterior, name: string): number {
  return post.summary.find((r) => r.name === name)!.mean;
}

/** lme4's ranef layout (one table per grouping factor), filled with posterior means. */
function ranefMeans(post: MultilevelPosterior): GroupTable[] {
  const rows = multilevelRanef(post);
  const byFactor = new Map<string, { levels: string[]; columns: string[]; cell: Map<string, number> }>();
  for (const r of rows) {
    let t = byFactor.get(r.factor);
    if (!t) byFactor.set(r.factor, (t = { levels: [], columns: [], cell: new Map() }));
    if (!t.levels.includes(r.level)) t.levels.push(r.level);
    if (!t.columns.includes(r.column)) t.columns.push(r.column);
    t.cell.set(`${r.level}\u0000${r.column}`, r.mean);
  }
  return [...byFactor].map(([factor, t]) => ({ factor, levels: t.levels, columns: t.columns, values: t.levels.map((l) => t.columns.map((c) => t.cell.get(`${l}\u0000${c}`) ?? 0)) }));
}

/** The JSON record of a multilevel posterior (the CLI contract's fields, extended). */
export function multilevelNutsJson(model: MultilevelModel, post: MultilevelPosterior): Record<string, unknown> {
  const d = post.design;
  const bName = (c: string) => `b_${c === "(Intercept)" ? "Intercept" : c}`;
  const coefficients = d.columnNames.map((name) => {
    const r = post.summary.find((x) => x.name === bName(name))!;
    return { name, estimate: r.mean, se: r.sd, statistic: null, p_value: null, aliased: false };
  });
  const sd: Record<string, number> = {};
  const cor: Record<string, number> = {};
  for (const r of post.summary) {
    if (r.name.startsWith("sd_")) sd[r.name] = r.mean;
    else if (r.name.startsWith("cor_")) cor[r.name] = r.mean;
  }
  const aux = post.family.aux?.name ?? null;
  const ranef = ranefMeans(post);
  const beta = Float64Array.from(coefficients, (c) => c.estimate);
  return {
    method: "nuts", formula: model.spec.formula, family: post.family.name, link: post.family.link.name, n: d.n,
    na_dropped: model.frame.naDropped, converged: post.divergences === 0 && post.summary.every((r) => !(r.rhat > 1.01)),
    warnings: post.warnings, coefficients,
    deviance: null, null_deviance: null, df_residual: null, aic: null, log_likelihood: null,
    dispersion: aux === "sigma" ? mean(post, "sigma") ** 2 : aux === null ? 1 : null,
    theta: aux === "theta" ? mean(post, "theta") : null,
    prior: post.priorSummary,
    group_effects: {
      sd, cor, residual_sd: aux === "sigma" ? mean(post, "sigma") : null,
      groups: d.terms.map((t) => ({ factor: t.factor, levels: t.levels.length, columns: [...t.columns], correlated: t.correlated })),
      ranef, coef: coefTables(ranef, d.columnNames, beta),
    },
    posterior: multilevelPosteriorJson(post),
  };
}

const f = (x: number, d = 4) => (Number.isFinite(x) ? (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toFixed(d)) : "NA");

function table(title: string, rows: MultilevelPosterior["summary"]): string[] {
  if (rows.length === 0) return [];
  const cols = ["", "mean", "sd", "q5", "q95", "mcse_mean", "ess_bulk", "ess_tail", "rhat"];
  const body = rows.map((r) => [r.name, f(r.mean), f(r.sd), f(r.q5), f(r.q95), f(r.mcse_mean), f(r.ess_bulk, 0), f(r.ess_tail, 0), f(r.rhat, 3)]);
  const all = [cols, ...body];
  const widths = cols.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  return ["", title, ...all.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "))];
}

/** The text summary (brms-like blocks; the group-level effects per level are in the JSON). */
export function formatMultilevelNuts(model: MultilevelModel, post: MultilevelPosterior): string {
  const s = post.settings;
  const d = post.design;
  const aux = post.family.aux?.name;
  const head = [
    `Method: nuts    Family: ${post.family.name}    Link: ${post.family.link.name}`,
    `Formula: ${model.spec.formula}`,
    `Observations: ${d.n}; groups: ${d.terms.filter((t, i) => d.terms.findIndex((u) => u.factor === t.factor) === i).map((t) => `${t.factor} ${t.levels.length}`).join(", ")}`,
    `${s.chains} chains × (${s.warmup} warmup + ${s.draws} draws), ${post.divergences} divergences, ${post.seconds.total.toFixed(2)} s, adapt_delta ${s.adaptDelta}`,
    "",
    "Priors:",
    formatMultilevelPriorSummary(post.priorSummary),
  ];
  const rows = post.summary;
  const warn = post.warnings.length ? ["", "Warnings:", ...post.warnings.map((w) => `  - ${w}`)] : [];
  return [
    ...head,
    ...table("Population-level effects:", rows.filter((r) => r.name.startsWith("b_"))),
    ...table("Group-level effects:", rows.filter((r) => r.name.startsWith("sd_") || r.name.startsWith("cor_"))),
    ...table("Family-specific parameters:", rows.filter((r) => r.name === aux)),
    ...warn,
  ].join("\n");
}

/** Samples the model with the sampler and prior flags; returns the JSON record and the text. */
export function runMultilevelNuts(model: MultilevelModel, values: Values): { json: Record<string, unknown>; text: string } {
  const counts = samplerFlags(values as Record<string, string | undefined>);
  let dim = model.design.p + (model.family.aux ? 1 : 0);
  for (const t of model.design.terms) dim += t.k + (t.k * (t.k - 1)) / 2 + t.levels.length * t.k;
  checkSamplerMemory(counts, dim);
  const priors = priorsFromFlags(values);
  const post = model.nuts({
    seed: counts.seed, chains: counts.chains, warmup: counts.warmup, draws: counts.draws,
    ...(counts.adaptDelta !== undefined ? { adaptDelta: counts.adaptDelta } : {}),
    ...(counts.maxTreeDepth !== undefined ? { maxTreeDepth: counts.maxTreeDepth } : {}),
    ...(counts.metric ? { metric: counts.metric } : {}),
    adaptation: counts.adaptation,
    ...(Object.keys(priors).length > 0 ? { priors } : {}),
  });
  return { json: multilevelNutsJson(model, post), text: formatMultilevelNuts(model, post) };
}

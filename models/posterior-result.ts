/**
 * The result of sampling a declared model's posterior with NUTS: the draws and
 * sampler diagnostics (models/posterior.ts), their summary, and the JSON record
 * of the CLI contract (`posterior: { summary, divergences, chains, warmup, draws, seconds }`).
 */
import type { CoefficientRow } from "../src/fit/inference.js";
import { posteriorJson, type GlmPosterior, type PosteriorJson } from "./posterior.js";
import type { LooResult, WaicResult } from "../samplers/diagnostics/loo.js";
import type { PpcStatistic } from "../src/diagnostics/ppc.js";
import { saveModel, type SavedModelJson } from "./saved-model.js";
import { priorSummaryText } from "./model-priors.js";
import { looOf, ppcOf, waicOf, writeDrawsFiles, type PpcResult, type WriteDrawsOptions } from "./posterior-checks.js";
import {
  namedEstimates, observationCount, resultHead, withContextWarnings,
  type FitContext, type GlmResult, type GlmResultJson, type PriorDescription,
} from "./result.js";

/**
 * The JSON record of a sampled posterior. `converged`: no divergences and every
 * R̂ ≤ 1.01; `coefficients`: posterior means as estimates and posterior SDs as
 * standard errors (no test statistics).
 */
export interface PosteriorFitJson extends GlmResultJson {
  method: "nuts";
  prior: PriorDescription;
  posterior: PosteriorJson;
}

/** A posterior sampled with NUTS: the draws, Stan's diagnostics and their summary. */
export class PosteriorFit implements GlmResult<PosteriorFitJson> {
  readonly method = "nuts";
  constructor(
    /** What the fit keeps of its model: formula, rows dropped, data warnings, new-data design. */
    readonly context: FitContext,
    readonly posterior: GlmPosterior,
    readonly prior: PriorDescription,
  ) {}

  get warnings(): string[] {
    return withContextWarnings(this.context, this.posterior.warnings);
  }
  /** No divergences and every R̂ ≤ 1.01. */
  get converged(): boolean {
    const post = this.posterior;
    return post.divergences === 0 && post.summary.every((r) => !(r.rhat > 1.01));
  }
  /** Iterations per chain: warmup + draws. */
  get iterations(): number {
    return this.posterior.settings.warmup + this.posterior.settings.draws;
  }
  /** Posterior means by name. */
  get coef(): Record<string, number> {
    return namedEstimates(this.coefficients);
  }

  /** Posterior mean and SD per coefficient, in the coefficient table's shape. */
  get coefficients(): CoefficientRow[] {
    const rows = new Map(this.posterior.summary.map((r) => [r.name, r]));
    return this.posterior.coefficientNames.map((name) => {
      const r = rows.get(name)!;
      return { name, estimate: r.mean, se: r.sd, statistic: null, p_value: null, aliased: false };
    });
  }

  /** What prediction on new data needs, with at most 1000 thinned draws, as versioned JSON (revive it with loadModel). */
  save(): SavedModelJson {
    return saveModel(this);
  }

  /**
   * PSIS-LOO (loo 2.5.1's loo() with r_eff from the chains, as rstanarm's loo(fit)) over the
   * observations with non-zero weight; `warnings` carries loo's k̂ warnings ("too high" when
   * some k̂ > 0.7, "slightly high" when some k̂ > 0.5). Compare fits with looCompare.
   */
  loo(): LooResult {
    return looOf(this.posterior);
  }

  /** WAIC (loo's waic()), with its warning when some p_waic > 0.4. */
  waic(): WaicResult {
    return waicOf(this.posterior);
  }

  /**
   * Posterior predictive checks: one replicated data set per draw (seeded; default seed 1),
   * the statistics `stats` (default mean, sd, propZero, max) with p = P(T(y_rep) ≥ T(y)), and
   * rstanarm's mean_PPD.
   */
  ppc(options: { stats?: readonly PpcStatistic[]; seed?: number } = {}): PpcResult {
    return ppcOf(this.posterior, options);
  }

  /**
   * Writes the draws to `dir`: one CmdStan CSV per chain (draws_1.csv, …; lp__ and Stan's
   * sampler columns first) and/or draws.json (`format`: "csv" | "json" | "both", default both).
   * Returns the paths. Read back with readCmdStanCsvFiles / readDrawsJsonFile (glmkit/posterior).
   */
  writeDraws(dir: string, options: WriteDrawsOptions = {}): string[] {
    return writeDrawsFiles(this.posterior, dir, options);
  }

  toJSON(): PosteriorFitJson {
    const post = this.posterior;
    return {
      ...resultHead(this.method, post.problem, this.context),
      n: observationCount(post.problem),
      na_dropped: this.context.naDropped,
      converged: this.converged,
      iterations: this.iterations,
      warnings: this.warnings,
      coefficients: this.coefficients,
      prior: this.prior,
      posterior: posteriorJson(post),
    };
  }

  /** A summarise_draws-like table. */
  summary(): string {
    const j = this.toJSON();
    const post = this.posterior;
    const head = [
      `Method: nuts    Family: ${j.family}    Link: ${j.link}`,
      ...(j.formula ? [`Formula: ${j.formula}`] : []),
      priorSummaryText(j.prior, post.auxName),
      `${j.posterior.chains} chains × (${j.posterior.warmup} warmup + ${j.posterior.draws} draws), ${j.posterior.divergences} divergences, ${j.posterior.seconds.toFixed(2)} s`,
      "",
    ];
    const cols = ["", "mean", "sd", "median", "mad", "q5", "q95", "mcse_mean", "ess_bulk", "ess_tail", "rhat"];
    const f = (x: number, d = 4) => (Number.isFinite(x) ? (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toFixed(d)) : "NA");
    const rows = j.posterior.summary.map((r) => [
      r.name, f(r.mean), f(r.sd), f(r.median), f(r.mad), f(r.q5), f(r.q95), f(r.mcse_mean), f(r.ess_bulk, 0), f(r.ess_tail, 0), f(r.rhat, 3),
    ]);
    const all = [cols, ...rows];
    const widths = cols.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
    const table = all.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "));
    const warn = j.warnings.length ? ["", "Warnings:", ...j.warnings.map((w) => `  - ${w}`)] : [];
    return [...head, ...table, ...warn].join("\n");
  }
}

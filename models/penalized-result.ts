/**
 * Results of the fits that are not plain maximum likelihood: the MAP under
 * priors (penalised IRLS/Newton) and Firth's bias-reduced fits (brglm2's AS_mean
 * and MPL_Jeffreys). One record type, one JSON shape (the CLI contract), one
 * printout.
 */
import type { CoefficientRow } from "../src/fit/inference.js";
import type { BiasReducedFit } from "../src/fit/firth.js";
import { biasReductionLabel } from "../src/fit/firth.js";
import type { MapFit } from "../src/fit/map.js";
import { formatSummary } from "../src/format/summary.js";
import type { GlmModel } from "./glm.js";

/** Priors as given (rstanarm-style specs), reported with MAP, Laplace and NUTS fits. */
export interface PriorDescription {
  coefficients: string | Record<string, string> | null;
  intercept: string | null;
  aux: string | null;
}

export interface PenalizedFitJson {
  method: "map" | "firth" | "laplace";
  family: string;
  link: string;
  formula: string | null;
  n: number;
  na_dropped: number;
  converged: boolean;
  iterations: number;
  warnings: string[];
  coefficients: CoefficientRow[];
  deviance: number | null;
  null_deviance: number | null;
  df_residual: number;
  aic: number | null;
  log_likelihood: number | null;
  /** ℓ + log prior (MAP), ℓ + ½log|I| (Jeffreys); null for a mean-bias-reduced fit with no objective. */
  penalized_log_likelihood: number | null;
  dispersion: number;
  theta: number | null;
  /** Auxiliary parameter of a MAP fit (sigma, shape, theta, lambda) with its SE. */
  aux: { name: string; estimate: number; se: number } | null;
  prior: PriorDescription | null;
  /** Firth fits: which form, and whether it equals the other for this family and link. */
  bias_reduction: { type: "AS_mean" | "MPL_Jeffreys"; description: string; equals_other_form: boolean } | null;
}

function finiteOrNull(x: number | null | undefined): number | null {
  return x !== null && x !== undefined && Number.isFinite(x) ? x : null;
}

export class PenalizedFit {
  private constructor(
    readonly model: GlmModel,
    readonly method: "map" | "firth" | "laplace",
    readonly firth: BiasReducedFit | null,
    readonly map: MapFit | null,
    readonly prior: PriorDescription | null,
  ) {}

  static fromFirth(model: GlmModel, fit: BiasReducedFit, method: "map" | "firth", prior: PriorDescription | null): PenalizedFit {
    return new PenalizedFit(model, method, fit, null, prior);
  }
  static fromMap(model: GlmModel, fit: MapFit, prior: PriorDescription, method: "map" | "laplace" = "map"): PenalizedFit {
    return new PenalizedFit(model, method, null, fit, prior);
  }

  get coefficients(): CoefficientRow[] {
    return (this.firth ?? this.map)!.coefficients;
  }
  get converged(): boolean {
    return (this.firth ?? this.map)!.converged;
  }
  get iterations(): number {
    return (this.firth ?? this.map)!.iterations;
  }
  get warnings(): string[] {
    return [...this.model.resolved.warnings, ...(this.firth ?? this.map)!.warnings];
  }

  toJSON(): PenalizedFitJson {
    const problem = this.model.resolved.problem;
    const base = {
      method: this.method,
      family: problem.family.name,
      link: problem.family.link.name,
      formula: this.model.resolved.formula,
      na_dropped: this.model.resolved.naDropped,
      warnings: this.warnings,
      coefficients: this.coefficients,
      prior: this.prior,
    };
    if (this.firth) {
      const f = this.firth;
      return {
        ...base,
        n: f.nObs,
        converged: f.converged,
        iterations: f.iterations,
        deviance: f.deviance,
        null_deviance: null,
        df_residual: f.dfResidual,
        aic: finiteOrNull(f.aic),
        log_likelihood: finiteOrNull(f.logLik),
        penalized_log_likelihood: finiteOrNull(f.penalisedLogLik),
        dispersion: f.dispersion,
        theta: null,
        aux: null,
        bias_reduction: { type: f.type, description: biasReductionLabel(f), equals_other_form: f.canonical },
      };
    }
    const m = this.map!;
    let nObs = 0;
    for (const w of problem.weights) if (w > 0) nObs++;
    return {
      ...base,
      n: nObs,
      converged: m.converged,
      iterations: m.iterations,
      deviance: null,
      null_deviance: null,
      df_residual: nObs - problem.p,
      aic: null,
      log_likelihood: finiteOrNull(m.logLik),
      penalized_log_likelihood: finiteOrNull(m.penalizedLogLik),
      dispersion: m.aux ? dispersionFromAux(m.aux.name, m.aux.estimate) : 1,
      theta: m.aux?.name === "theta" ? m.aux.estimate : null,
      aux: m.aux ? { name: m.aux.name, estimate: m.aux.estimate, se: m.aux.se } : null,
      bias_reduction: null,
    };
  }

  summary(): string {
    const j = this.toJSON();
    const lines = formatSummary(
      {
        ...j,
        deviance: j.deviance ?? Number.NaN,
        null_deviance: j.null_deviance ?? Number.NaN,
        df_null: Number.NaN,
        dispersion_estimated: false,
        se_theta: null,
        theta: null,
      },
      new Float64Array(0),
    ).split("\n");
    const extra: string[] = [];
    if (j.bias_reduction) extra.push(`Bias reduction: ${j.bias_reduction.description}`);
    if (j.prior) extra.push(`Priors: coefficients ${JSON.stringify(j.prior.coefficients)}, intercept ${j.prior.intercept ?? "as coefficients"}, aux ${j.prior.aux ?? "none"}`);
    if (j.aux) extra.push(`${j.aux.name}: ${j.aux.estimate.toPrecision(6)} (SE ${j.aux.se.toPrecision(4)})`);
    if (j.penalized_log_likelihood !== null) extra.push(`Penalized log-likelihood: ${j.penalized_log_likelihood.toPrecision(10)}`);
    return [...lines.slice(0, 2), ...extra, ...lines.slice(2)].join("\n");
  }
}

/** The GLM dispersion φ implied by an auxiliary parameter: σ² (gaussian), 1/shape (Gamma), 1/λ (inverse.gaussian), 1 (negative binomial). */
function dispersionFromAux(name: string, a: number): number {
  switch (name) {
    case "sigma":
      return a * a;
    case "shape":
    case "lambda":
      return 1 / a;
    default:
      return 1;
  }
}

/**
 * Results of the fits that are not plain maximum likelihood, one kind each: Firth's
 * mean-bias-reduced fit (brglm2 AS_mean), the Jeffreys-prior MAP (brglm2
 * MPL_Jeffreys), the MAP under scalar priors (penalised IRLS/Newton), and the
 * Laplace approximation (that MAP plus the Gaussian around it). The kinds form a
 * tagged union; one result class, one JSON shape (the CLI contract), one printout.
 */
import type { CoefficientRow } from "../src/fit/inference.js";
import { biasReductionLabel, type BiasReducedFit } from "../src/fit/firth.js";
import type { MapFit } from "../src/fit/map.js";
import { laplaceApproximation, type LaplaceApproximation } from "../src/intervals/laplace.js";
import { NumericalError } from "../src/errors.js";
import { formatSummary } from "../src/format/summary.js";
import { priorSummaryText } from "./model-priors.js";
import {
  finiteOrNull, namedEstimates, observationCount, resultHead, withContextWarnings,
  type FitContext, type GlmResult, type GlmResultJson, type PriorDescription,
} from "./result.js";

export type { PriorDescription } from "./result.js";

/** Mean bias reduction (Firth; brglm2 type = "AS_mean"): `--method firth`. */
export interface FirthEstimate {
  kind: "firth";
  fit: BiasReducedFit;
}
/** The Jeffreys-prior MAP (brglm2 type = "MPL_Jeffreys"): `--method map --prior jeffreys`. */
export interface JeffreysEstimate {
  kind: "jeffreys";
  fit: BiasReducedFit;
}
/** The posterior mode under scalar priors: `--method map`. */
export interface MapEstimate {
  kind: "map";
  fit: MapFit;
}
/**
 * The Laplace approximation (`--method laplace`): the MAP under scalar priors and
 * the Gaussian N(θ̂, (−H)⁻¹) on θ = (β, log a) around it. `approximation` is null
 * when −H is not positive definite at the mode (the MAP's SEs are then NaN).
 */
export interface LaplaceEstimate {
  kind: "laplace";
  fit: MapFit;
  approximation: LaplaceApproximation | null;
}

/** What a penalized fit is: its kind, and the fit record of that kind (a tagged union). */
export type PenalizedEstimate = FirthEstimate | JeffreysEstimate | MapEstimate | LaplaceEstimate;

export type PenalizedKind = PenalizedEstimate["kind"];

/** The JSON `method` of each kind (the Jeffreys MAP is a MAP). */
const METHOD_OF = { firth: "firth", jeffreys: "map", map: "map", laplace: "laplace" } as const satisfies Record<
  PenalizedKind,
  GlmResultJson["method"]
>;

export interface PenalizedFitJson extends GlmResultJson {
  method: "map" | "firth" | "laplace";
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

/** The Laplace kind of a MAP fit: the approximation when −H is positive definite at the mode, else null. */
export function laplaceEstimate(fit: MapFit): LaplaceEstimate {
  let approximation: LaplaceApproximation | null = null;
  try {
    approximation = laplaceApproximation(fit);
  } catch (err) {
    if (!(err instanceof NumericalError)) throw err;
  }
  return { kind: "laplace", fit, approximation };
}

/** A penalized fit whose estimate is E, one kind of {@link PenalizedEstimate} or several. */
export class PenalizedFit<E extends PenalizedEstimate = PenalizedEstimate> implements GlmResult<PenalizedFitJson> {
  readonly method: (typeof METHOD_OF)[E["kind"]];
  constructor(
    /** What the fit keeps of its model: formula, rows dropped, data warnings, new-data design. */
    readonly context: FitContext,
    readonly estimate: E,
    /** The priors as given (null for Firth's AS_mean, which has none). */
    readonly prior: PriorDescription | null,
  ) {
    this.method = METHOD_OF[estimate.kind as E["kind"]];
  }

  get kind(): E["kind"] {
    return this.estimate.kind;
  }
  get coefficients(): CoefficientRow[] {
    return this.estimate.fit.coefficients;
  }
  get coef(): Record<string, number> {
    return namedEstimates(this.coefficients);
  }
  get converged(): boolean {
    return this.estimate.fit.converged;
  }
  get iterations(): number {
    return this.estimate.fit.iterations;
  }
  get warnings(): string[] {
    return withContextWarnings(this.context, this.estimate.fit.warnings);
  }

  toJSON(): PenalizedFitJson {
    const e: PenalizedEstimate = this.estimate;
    const base = {
      ...resultHead(this.method, e.fit.problem, this.context),
      na_dropped: this.context.naDropped,
      warnings: this.warnings,
      coefficients: this.coefficients,
      prior: this.prior,
    };
    return e.kind === "firth" || e.kind === "jeffreys" ? { ...base, ...biasReducedFields(e.fit) } : { ...base, ...mapFields(e.fit) };
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
    if (j.prior) extra.push(j.prior.adjusted ? priorSummaryText(j.prior, j.aux?.name ?? null) : `Priors: coefficients ${JSON.stringify(j.prior.coefficients)}, intercept ${j.prior.intercept ?? "as coefficients"}, aux ${j.prior.aux ?? "none"}`);
    if (j.aux) extra.push(`${j.aux.name}: ${j.aux.estimate.toPrecision(6)} (SE ${j.aux.se.toPrecision(4)})`);
    if (j.penalized_log_likelihood !== null) extra.push(`Penalized log-likelihood: ${j.penalized_log_likelihood.toPrecision(10)}`);
    return [...lines.slice(0, 2), ...extra, ...lines.slice(2)].join("\n");
  }
}

type KindFields = Omit<PenalizedFitJson, "method" | "family" | "link" | "formula" | "na_dropped" | "warnings" | "coefficients" | "prior">;

/** The JSON fields of a bias-reduced fit (AS_mean or MPL_Jeffreys), in the contract's order. */
function biasReducedFields(f: BiasReducedFit): KindFields {
  return {
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

/** The JSON fields of a MAP fit (also the Laplace approximation's), in the contract's order. */
function mapFields(m: MapFit): KindFields {
  const nObs = observationCount(m.problem);
  return {
    n: nObs,
    converged: m.converged,
    iterations: m.iterations,
    deviance: null,
    null_deviance: null,
    df_residual: nObs - m.problem.p,
    aic: null,
    log_likelihood: finiteOrNull(m.logLik),
    penalized_log_likelihood: finiteOrNull(m.penalisedLogLik),
    dispersion: m.aux ? dispersionFromAux(m.aux.name, m.aux.estimate) : 1,
    theta: m.aux?.name === "theta" ? m.aux.estimate : null,
    aux: m.aux ? { name: m.aux.name, estimate: m.aux.estimate, se: m.aux.se } : null,
    bias_reduction: null,
  };
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

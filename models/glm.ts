/**
 * The model declaration: a GLM is data + formula (or a design matrix) + family
 * and link (+ priors, for the MAP and posterior paths). `glm(spec)` resolves
 * the data once; the fitting methods consume the resolved problem.
 *
 * R equivalent: glm(formula, family, data, weights, offset); MASS::glm.nb for
 * the negative binomial with θ estimated.
 */
import type { Family, Link } from "../src/types.js";
import { ArgumentError, DataError } from "../src/errors.js";
import { makeFamily } from "../src/families/index.js";
import { modelFrame } from "../src/formula/index.js";
import type { DataInput, DataTable } from "../src/data/index.js";
import { fitMl, type GlmProblem } from "../src/fit/ml-fit.js";
import { fitNegbin } from "../src/fit/negbin.js";
import type { IrlsOptions } from "../src/fit/irls.js";
import { prepareResponse, checkWeights, type Response } from "./response.js";
import { GlmFit } from "./fit-result.js";
import { PenalizedFit, type PriorDescription } from "./penalized-result.js";
import { PosteriorFit } from "./posterior-result.js";
import { samplePosterior, type PosteriorSampleOptions } from "./posterior.js";
import { fitBiasReduced } from "../src/fit/firth.js";
import { fitMap, type MapControl } from "../src/fit/map.js";
import {
  parsePrior, resolveCoefficientPriors, usesJeffreys, autoscale, autoscaleAux, asAuxPrior,
  type CoefficientPrior, type AuxPrior, type Prior,
} from "../src/priors/index.js";
import { PriorError } from "../src/errors.js";
import { sharedFloat64 } from "../src/linalg/parallel-crossprod.js";
import { separationVerdict, separationWarning, type SeparationCheck } from "./separation-check.js";

/** A design given directly as a matrix instead of a formula. */
export interface DesignInput {
  /** n×p row-major Float64Array (give n and p), or an array of rows. */
  X: Float64Array | ArrayLike<number>[];
  y: ArrayLike<number>;
  n?: number;
  p?: number;
  /** Defaults to x1 … xp. */
  columnNames?: string[];
  /** Whether the first column is an intercept of ones (affects the null deviance and df). Default: detected from the name "(Intercept)". */
  hasIntercept?: boolean;
}

export interface GlmSpec {
  formula?: string;
  data?: DataInput | DataTable;
  design?: DesignInput;
  /** R's family name (case-insensitive), negative_binomial/negbin, tweedie, or a Family record. Default gaussian. */
  family?: string | Family;
  link?: string | Link;
  /** Column name or array of prior weights. */
  weights?: string | ArrayLike<number>;
  /** Column name or array, added to any offset() terms of the formula. */
  offset?: string | ArrayLike<number>;
  /** Negative binomial θ; omitted → estimated by alternating ML (MASS::glm.nb). */
  theta?: number;
  /** Tweedie variance power. */
  power?: number;
  /** Priors for map/laplace/sample (and the Jeffreys prior): rstanarm-style spec strings or prior records. */
  priors?: PriorsSpec;
}

/** Priors of a declared model: one prior for all coefficients or one per name, the intercept's, and the auxiliary parameter's. */
export interface PriorsSpec {
  coefficients?: CoefficientPrior | string | Record<string, CoefficientPrior | string>;
  intercept?: CoefficientPrior | string;
  aux?: AuxPrior | string;
  /** Divide coefficient prior scales by sd(x) (×sd(y) for gaussian), as rstanarm's autoscale = TRUE. Default false. */
  autoscale?: boolean;
}

export interface FitControl extends IrlsOptions {
  method?: "mle";
  /** LP separation check of binomial fits: "auto" (default; skipped above 2·10⁶ design entries unless the fit shows signs), "always", "never". */
  separation?: SeparationCheck;
}

/** Resolved data of a declared model, shared by every fitting method. */
export interface ResolvedModel {
  problem: GlmProblem;
  /** True when a negative binomial θ is to be estimated. */
  estimateTheta: boolean;
  linkName: string | Link;
  naDropped: number;
  /** Builds X (and the offset) for new data; null for design-matrix models. */
  newDesign: ((newdata: DataInput | DataTable) => { X: Float64Array; n: number; offset: Float64Array | null }) | null;
  formula: string | null;
  warnings: string[];
}

function familyFrom(spec: GlmSpec): { family: Family; estimateTheta: boolean } {
  if (typeof spec.family === "object" && spec.family !== null) {
    if (spec.link !== undefined) throw new ArgumentError("give the link inside the Family record or as a family name, not both");
    return { family: spec.family, estimateTheta: false };
  }
  const name = (spec.family ?? "gaussian").trim();
  const lower = name.toLowerCase();
  const isNb = lower === "negative_binomial" || lower === "negbin" || lower === "negative.binomial";
  if (isNb && spec.theta === undefined) {
    // θ to be estimated: start from a family with θ = 1 only to validate the link.
    return { family: makeFamily(name, { link: spec.link, theta: 1 }), estimateTheta: true };
  }
  return { family: makeFamily(name, { link: spec.link, theta: spec.theta, power: spec.power }), estimateTheta: false };
}

function toRowMajor(d: DesignInput): { X: Float64Array; n: number; p: number } {
  if (d.X instanceof Float64Array) {
    const n = d.n ?? d.y.length;
    const p = d.p ?? (n > 0 ? d.X.length / n : 0);
    if (!Number.isInteger(p) || n * p !== d.X.length)
      throw new ArgumentError(`design.X has ${d.X.length} entries, which is not n × p with n = ${n}${d.p ? `, p = ${d.p}` : ""}`);
    return { X: d.X, n, p };
  }
  const rows = d.X as ArrayLike<number>[];
  const n = rows.length;
  const p = n > 0 ? rows[0]!.length : (d.columnNames?.length ?? 0);
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    if (r.length !== p) throw new ArgumentError(`design.X row ${i + 1} has ${r.length} entries, expected ${p}`);
    for (let j = 0; j < p; j++) X[i * p + j] = r[j]!;
  }
  return { X, n, p };
}

function arrayArg(name: string, v: ArrayLike<number>, n: number): Float64Array {
  if (v.length !== n) throw new ArgumentError(`${name} has length ${v.length}, but there are ${n} observations`);
  return Float64Array.from(v);
}

/** Resolves data, formula, family and weights into the problem every fitter consumes. */
export function resolveModel(spec: GlmSpec): ResolvedModel {
  const { family, estimateTheta } = familyFrom(spec);
  const linkName = spec.link ?? family.link.name;
  if (spec.design) {
    if (spec.formula) throw new ArgumentError("give either a formula with data, or a design, not both");
    const { X, n, p } = toRowMajor(spec.design);
    if (n === 0) throw new DataError("the design has no rows");
    if (spec.design.y.length !== n) throw new ArgumentError(`design.y has length ${spec.design.y.length}, but X has ${n} rows`);
    for (let k = 0; k < X.length; k++)
      if (!Number.isFinite(X[k]!)) {
        const row = Math.floor(k / p) + 1;
        throw new DataError(`design.X must be finite; row ${row}, column ${(k % p) + 1} is ${X[k]}`, { row });
      }
    const columnNames = spec.design.columnNames ?? Array.from({ length: p }, (_, j) => `x${j + 1}`);
    if (columnNames.length !== p) throw new ArgumentError(`columnNames has ${columnNames.length} names for ${p} columns`);
    if (typeof spec.weights === "string" || typeof spec.offset === "string")
      throw new ArgumentError("with a design matrix, weights and offset must be arrays, not column names");
    const caseWeights = spec.weights ? arrayArg("weights", spec.weights, n) : null;
    if (caseWeights) checkWeights(caseWeights);
    const offset = spec.offset ? arrayArg("offset", spec.offset, n) : null;
    if (offset) for (let i = 0; i < n; i++) if (!Number.isFinite(offset[i]!)) throw new DataError(`offset must be finite; row ${i + 1} has ${offset[i]}`, { row: i + 1 });
    const yIn = spec.design.y;
    const resp: Response = { kind: "numeric", name: "y", values: yIn instanceof Float64Array ? yIn : Float64Array.from(yIn) };
    const shared = typeof SharedArrayBuffer !== "undefined" && X.buffer instanceof SharedArrayBuffer;
    const prepared = prepareResponse(resp, family, caseWeights, undefined, shared ? sharedFloat64 : undefined);
    const hasIntercept = spec.design.hasIntercept ?? columnNames[0] === "(Intercept)";
    return {
      problem: { X, n, p, columnNames, hasIntercept, y: prepared.y, weights: prepared.weights, offset, trials: prepared.trials, mustart: prepared.mustart, family },
      estimateTheta, linkName, naDropped: 0, newDesign: null, formula: null, warnings: prepared.warnings,
    };
  }
  if (!spec.formula) throw new ArgumentError("glm() needs a formula (with data) or a design matrix");
  if (spec.data === undefined) throw new ArgumentError("glm() with a formula needs data");
  const frame = modelFrame(spec.formula, spec.data, { weights: spec.weights, offset: spec.offset });
  if (frame.weights) checkWeights(frame.weights, frame.rows);
  const prepared = prepareResponse(frame.response as Response, family, frame.weights, frame.rows);
  const warnings = [...prepared.warnings];
  if (frame.naDropped > 0) warnings.push(`${frame.naDropped} observation${frame.naDropped === 1 ? "" : "s"} deleted due to missingness`);
  return {
    problem: {
      X: frame.X, n: frame.n, p: frame.p, columnNames: frame.columnNames, hasIntercept: frame.hasIntercept,
      y: prepared.y, weights: prepared.weights, offset: frame.offset, trials: prepared.trials, mustart: prepared.mustart, family,
    },
    estimateTheta, linkName, naDropped: frame.naDropped,
    newDesign: (newdata) => frame.design.modelMatrix(newdata),
    formula: spec.formula, warnings,
  };
}

/** A declared GLM. */
export class GlmModel {
  readonly resolved: ResolvedModel;
  constructor(readonly spec: GlmSpec) {
    this.resolved = resolveModel(spec);
  }
  get family(): Family {
    return this.resolved.problem.family;
  }
  get columnNames(): string[] {
    return this.resolved.problem.columnNames;
  }
  /**
   * Firth's mean-bias-reduced fit (brglm2 type = "AS_mean", Kosmidis & Firth 2009).
   * For canonical links with fixed dispersion it equals the Jeffreys-prior MAP.
   */
  firth(control: { maxit?: number; epsilon?: number } = {}): PenalizedFit {
    const fit = fitBiasReduced(this.problemWithTheta("firth"), { type: "AS_mean", ...control });
    return PenalizedFit.fromFirth(this, fit, "firth", null);
  }

  /**
   * The posterior mode under the declared priors (penalised IRLS/Newton with step
   * halving). With jeffreys() on the coefficients it is the Jeffreys-prior MAP
   * (brglm2 type = "MPL_Jeffreys").
   */
  map(control: MapControl = {}): PenalizedFit {
    const problem = this.problemWithTheta("map");
    const { priors, description } = this.resolvedPriors();
    if (usesJeffreys(priors.coefficients)) {
      if (priors.aux !== undefined) throw new PriorError("jeffreys() is a joint prior on the coefficients (and dispersion); do not combine it with an aux prior");
      const fit = fitBiasReduced(problem, { type: "MPL_Jeffreys", maxit: control.maxit });
      return PenalizedFit.fromFirth(this, fit, "map", description);
    }
    return PenalizedFit.fromMap(this, fitMap(problem, priors, control), description);
  }

  /**
   * Samples the posterior with NUTS (Stan's algorithm and adaptation): draws per
   * chain, Stan's sampler diagnostics and a summarise_draws table. Priors default
   * to flat coefficients (and a flat prior on the log of σ/shape/θ/λ) when none are declared.
   * R equivalent: rstan::sampling of the same model; rstanarm::stan_glm (mind its centred intercept).
   */
  async sample(options: Partial<PosteriorSampleOptions> & { seed: number }): Promise<PosteriorFit> {
    const { priors, description } = this.resolvedPriors();
    const post = await samplePosterior(this.resolved.problem, priors, options as PosteriorSampleOptions);
    return new PosteriorFit(this, post, description);
  }

  /**
   * The Laplace approximation: the posterior mode with the Gaussian of covariance
   * (−H)⁻¹ around it (SEs as the MAP's); intervals via compareIntervals(…, ["laplace"])
   * and draws via src/intervals' laplaceDraws.
   */
  laplace(control: MapControl = {}): PenalizedFit {
    const { priors, description } = this.resolvedPriors();
    if (usesJeffreys(priors.coefficients))
      throw new PriorError("the Laplace approximation here is at a MAP under scalar priors; for the Jeffreys prior use --method map --prior jeffreys (and its penalized-profile intervals)");
    return PenalizedFit.fromMap(this, fitMap(this.problemWithTheta("laplace"), priors, control), description, "laplace");
  }

  /** The priors resolved per coefficient (parsed, autoscaled if asked), and their description as given. */
  resolvedPriors(): { priors: { coefficients: CoefficientPrior[]; aux?: AuxPrior }; description: PriorDescription } {
    const spec = this.spec.priors ?? {};
    const asCoef = (p: CoefficientPrior | string): CoefficientPrior => {
      const v = typeof p === "string" ? parsePrior(p) : p;
      if ((v as Prior).kind !== "jeffreys" && (v as { support?: string }).support === "positive")
        throw new PriorError(`${(v as { describe(): string }).describe()} is a prior for a positive auxiliary parameter, not for coefficients`);
      return v as CoefficientPrior;
    };
    const describe = (p: CoefficientPrior | AuxPrior | string) =>
      typeof p === "string" ? p : p.kind === "jeffreys" ? "jeffreys" : (p as { describe(): string }).describe();
    let coefficients: CoefficientPrior | Record<string, CoefficientPrior> | undefined;
    let coefDescription: string | Record<string, string> | null = null;
    if (spec.coefficients !== undefined) {
      if (typeof spec.coefficients === "string" || "kind" in spec.coefficients) {
        coefficients = asCoef(spec.coefficients as CoefficientPrior | string);
        coefDescription = describe(spec.coefficients as CoefficientPrior | string);
      } else {
        const entries = Object.entries(spec.coefficients as Record<string, CoefficientPrior | string>);
        coefficients = Object.fromEntries(entries.map(([k, v]) => [k, asCoef(v)]));
        coefDescription = Object.fromEntries(entries.map(([k, v]) => [k, describe(v)]));
      }
    }
    const intercept = spec.intercept === undefined ? undefined : asCoef(spec.intercept);
    const { problem } = this.resolved;
    let perCoef = resolveCoefficientPriors({ coefficients, intercept }, problem.columnNames, problem.hasIntercept);
    let aux: AuxPrior | undefined =
      spec.aux === undefined ? undefined : asAuxPrior(typeof spec.aux === "string" ? parsePrior(spec.aux) : spec.aux);
    if (spec.autoscale) {
      perCoef = autoscale(perCoef, problem.X, problem.columnNames, problem.y, problem.family.name).priors as CoefficientPrior[];
      if (aux) aux = autoscaleAux(aux, problem.y, problem.family.name).prior;
    }
    return {
      priors: { coefficients: perCoef, aux },
      description: {
        coefficients: coefDescription,
        intercept: spec.intercept === undefined ? null : describe(spec.intercept),
        aux: spec.aux === undefined ? null : describe(spec.aux),
      },
    };
  }

  /** The problem for non-ML methods: a negative binomial needs θ given (its estimation is glm.nb's, an ML method). */
  private problemWithTheta(method: string) {
    if (this.resolved.estimateTheta && method === "firth")
      throw new ArgumentError(`--method ${method} with the negative binomial family needs --theta (θ is estimated only by maximum likelihood, as MASS::glm.nb)`);
    return this.resolved.problem;
  }

  /** Maximum likelihood by IRLS (R: glm(); MASS::glm.nb when θ is estimated). */
  fit(control: FitControl = {}): GlmFit {
    const r = this.resolved;
    if (r.estimateTheta) {
      const { family: _f, ...rest } = r.problem;
      const nb = fitNegbin({ ...rest, link: r.linkName }, control);
      return new GlmFit(this, nb, { theta: nb.theta, seTheta: nb.seTheta, twoLogLik: nb.twoLogLik });
    }
    const ml = fitMl(r.problem, control);
    const separation = separationVerdict(r.problem, ml.irls, control.separation ?? "auto");
    const counts = r.problem.family.infiniteEstimateCheck === "logCount";
    const warning = separation ? separationWarning(separation, counts) : null;
    if (warning) ml.warnings.push(warning);
    return new GlmFit(this, ml, null, separation);
  }
}

/** Declares a GLM: `glm({ formula: "low ~ age + race", data, family: "binomial" })`. */
export function glm(spec: GlmSpec): GlmModel {
  return new GlmModel(spec);
}

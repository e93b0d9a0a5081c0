/**
 * The GLM log posterior as a sampler target (`LogDensity`), with a serialisable
 * recipe (`TargetFactory`) so that chains can run on worker threads, and an
 * optional fixed auxiliary parameter (σ, shape, θ or λ held at a given value:
 * the target is then the conditional posterior of β, of dimension p).
 *
 * The recipe carries the problem's arrays, the family by R's name and link name,
 * and the priors by their spec strings (`describe()`, which `parsePrior` reads
 * back exactly); the worker rebuilds the same `glmLogPosterior`, so sequential
 * and parallel runs do the same arithmetic and give identical draws.
 */
import { ArgumentError } from "../errors.js";
import type { GlmProblem } from "../fit/ml-fit.js";
import { makeFamily } from "../families/index.js";
import { asAuxPrior, parsePrior, type AuxPrior, type CoefficientPrior } from "../priors/index.js";
import type { Family, FamilyRecipe } from "../types.js";
import type { LogDensity, TargetFactory } from "../../samplers/types.js";
import { registerTargetBuilder } from "../../samplers/index.js";
import { glmLogPosterior, type AuxName, type GlmLogPosterior, type GlmPriors, type InterceptOn } from "./log-posterior.js";

/** A family named so that `makeFamily(name, { link, theta })` rebuilds it. */
/** How a worker rebuilds the family (makeFamily's arguments; the shared record of src/types.ts). */
export type { FamilyRecipe };

/** Structured-cloneable description of a GLM posterior target (the worker's `args`). */
export interface GlmTargetRecipe extends Pick<GlmProblem, "X" | "n" | "p" | "columnNames" | "hasIntercept" | "y" | "weights" | "offset" | "trials"> {
  family: FamilyRecipe;
  /** Spec strings, one per column (e.g. "normal(0, 2.5)", "jeffreys()"). */
  coefficientPriors: string[];
  /** Spec string of the aux prior, or null (flat, or joint Jeffreys). */
  auxPrior: string | null;
  /** Aux parameter held fixed at this value (constrained scale), or null. */
  fixedAux: number | null;
  /** Where the intercept prior acts (GlmPriors.interceptOn): the worker recomputes x̄ from X, the same arithmetic. */
  interceptOn: InterceptOn;
}

/** A sampler target built from a GLM log posterior. */
export interface GlmTarget extends LogDensity {
  readonly dim: number;
  readonly names: readonly string[];
  readonly factory: TargetFactory;
  /** The full log posterior on θ = (β, log a) (dimension p + 1 when the family has an aux parameter). */
  readonly logPosterior: GlmLogPosterior;
  /** Name of the family's auxiliary parameter (null for binomial and Poisson). */
  readonly auxName: AuxName | null;
  /** The held value of the auxiliary parameter, or null when it is sampled. */
  readonly fixedAux: number | null;
  /** Maps a sampler position to the full unconstrained θ (inserts log fixedAux when the aux parameter is held). */
  fullTheta(position: Float64Array, out?: Float64Array): Float64Array;
}

/** Options of {@link glmPosteriorTarget}. */
export interface GlmTargetOptions {
  /** Hold the auxiliary parameter (σ, shape, θ, λ) at this value instead of sampling it. */
  fixedAux?: number;
}

const LINK_TEST_POINTS = [-1.5, -0.3, 0.2, 0.7, 2.1];

/** The name-based recipe of a family record; throws ArgumentError if the rebuilt family differs. */
export function familyRecipe(family: Family): FamilyRecipe {
  if (family.recipe) return { name: family.recipe.name, link: family.recipe.link, theta: family.recipe.theta };
  let recipe: FamilyRecipe;
  const link = family.link.name;
  if (family.parameters.theta !== undefined) {
    // The record's θ: only a starting value for the log posterior, where θ is free.
    recipe = { name: "negbin", link, theta: family.parameters.theta };
  } else {
    recipe = { name: family.name, link };
  }
  let rebuilt: Family;
  try {
    rebuilt = makeFamily(recipe.name, { link: recipe.link, theta: recipe.theta });
  } catch {
    throw new ArgumentError(
      `family: the ${family.name} family with link "${link}" cannot be rebuilt by name in a worker thread; sample without parallel`,
    );
  }
  for (const eta of LINK_TEST_POINTS) {
    const e = family.link.validEta(eta) ? eta : Math.abs(eta) + 0.5;
    const mu = family.link.linkinv(e);
    if (rebuilt.link.linkinv(e) !== mu || rebuilt.link.muEta(e) !== family.link.muEta(e) || rebuilt.variance(mu) !== family.variance(mu)) {
      throw new ArgumentError(
        `family: the ${family.name} family with link "${link}" is not reproduced exactly by its name (a power link's name rounds λ); sample without parallel`,
      );
    }
  }
  return recipe;
}

function checkFixedAux(lp: GlmLogPosterior, fixedAux: number | undefined | null): number | null {
  if (fixedAux === undefined || fixedAux === null) return null;
  if (lp.auxName === null) {
    throw new ArgumentError(`fixedAux: the ${lp.problem.family.name} family has no auxiliary parameter to hold fixed`);
  }
  if (!(fixedAux > 0) || !Number.isFinite(fixedAux)) {
    throw new ArgumentError(`fixedAux: ${lp.auxName} must be a finite number > 0, got ${fixedAux}`);
  }
  return fixedAux;
}

/**
 * Wraps a log posterior as a sampler target. With `fixedAux`, θ = β only and
 * log p(β | a, y) = log p(β, log a | y) + const (the aux prior and its Jacobian are constants).
 */
function targetOf(lp: GlmLogPosterior, fixedAux: number | null, factory: TargetFactory): GlmTarget {
  const p = lp.problem.p;
  if (fixedAux === null) {
    return {
      dim: lp.dim,
      names: lp.names,
      factory,
      logPosterior: lp,
      auxName: lp.auxName,
      fixedAux: null,
      logDensityGrad: (theta, grad) => lp.logDensityGrad(theta, grad),
      fullTheta: (position, out = new Float64Array(lp.dim)) => {
        out.set(position);
        return out;
      },
    };
  }
  const logAux = Math.log(fixedAux);
  const full = new Float64Array(lp.dim);
  const fullGrad = new Float64Array(lp.dim);
  return {
    dim: p,
    names: lp.names.slice(0, p),
    factory,
    logPosterior: lp,
    auxName: lp.auxName,
    fixedAux,
    logDensityGrad(beta: Float64Array, grad: Float64Array): number {
      if (beta.length !== p) throw new ArgumentError(`logDensityGrad: theta has length ${beta.length}, expected ${p} (the aux parameter is held fixed)`);
      full.set(beta);
      full[p] = logAux;
      const value = lp.logDensityGrad(full, fullGrad);
      for (let j = 0; j < p; j++) grad[j] = fullGrad[j]!;
      return value;
    },
    fullTheta: (position, out = new Float64Array(lp.dim)) => {
      out.set(position.subarray(0, p));
      out[p] = logAux;
      return out;
    },
  };
}

/** Spec strings of the priors (each `describe()` reads back through `parsePrior`). */
function priorStrings(priors: GlmPriors): { coefficients: string[]; aux: string | null } {
  return {
    coefficients: priors.coefficients.map((q) => q.describe()),
    aux: priors.aux === undefined ? null : priors.aux.describe(),
  };
}

/**
 * The recipe of a target: everything `buildGlmTarget` needs, structured-cloneable.
 * Throws ArgumentError when the family cannot be rebuilt by name.
 */
export function glmTargetRecipe(problem: GlmProblem, priors: GlmPriors, fixedAux: number | null = null): GlmTargetRecipe {
  const strings = priorStrings(priors);
  return {
    X: problem.X,
    n: problem.n,
    p: problem.p,
    columnNames: [...problem.columnNames],
    hasIntercept: problem.hasIntercept,
    y: problem.y,
    weights: problem.weights,
    offset: problem.offset,
    trials: problem.trials,
    family: familyRecipe(problem.family),
    coefficientPriors: strings.coefficients,
    auxPrior: strings.aux,
    fixedAux,
    interceptOn: priors.interceptOn ?? "raw",
  };
}

/** The URL of this module, which workers import to rebuild a target. */
const MODULE_URL = import.meta.url;

/**
 * Rebuilds a target from its recipe (the worker-side builder of the `TargetFactory`).
 * @example const t = buildGlmTarget(glmTargetRecipe(problem, priors)); t.dim // p (+1)
 */
export function buildGlmTarget(recipe: GlmTargetRecipe): GlmTarget {
  const family = makeFamily(recipe.family.name, { link: recipe.family.link, theta: recipe.family.theta });
  const problem: GlmProblem = {
    X: recipe.X,
    n: recipe.n,
    p: recipe.p,
    columnNames: recipe.columnNames,
    hasIntercept: recipe.hasIntercept,
    y: recipe.y,
    weights: recipe.weights,
    offset: recipe.offset,
    trials: recipe.trials,
    family,
  };
  const coefficients = recipe.coefficientPriors.map((s) => parsePrior(s) as CoefficientPrior);
  const aux: AuxPrior | undefined = recipe.auxPrior === null ? undefined : asAuxPrior(parsePrior(recipe.auxPrior));
  const interceptOn = recipe.interceptOn ?? "raw";
  const lp = glmLogPosterior(problem, aux === undefined ? { coefficients, interceptOn } : { coefficients, aux, interceptOn });
  const fixedAux = checkFixedAux(lp, recipe.fixedAux);
  return targetOf(lp, fixedAux, { module: MODULE_URL, exportName: "buildGlmTarget", args: recipe });
}

/**
 * The sampler target of a GLM posterior: log p(θ | y) on θ = (β, log a), or on β
 * alone when `fixedAux` holds a at a given value. The target carries a factory so
 * `sample(target, { parallel: true })` can rebuild it in worker threads (the family
 * must then be one `makeFamily` rebuilds by name; otherwise the factory throws when used).
 * @example
 * const target = glmPosteriorTarget(problem, { coefficients: resolveCoefficientPriors({ coefficients: normal(0, 2.5) }, problem.columnNames, true) });
 * const fit = await sample(target, { seed: 1, parallel: 2 });
 */
export function glmPosteriorTarget(problem: GlmProblem, priors: GlmPriors, options: GlmTargetOptions = {}): GlmTarget {
  const lp = glmLogPosterior(problem, priors);
  const fixedAux = checkFixedAux(lp, options.fixedAux);
  let recipe: GlmTargetRecipe | null = null;
  let recipeError: unknown = null;
  try {
    recipe = glmTargetRecipe(problem, priors, fixedAux);
  } catch (err) {
    recipeError = err;
  }
  // A factory whose recipe could not be made fails with the reason when a worker pool asks for it.
  const factory: TargetFactory =
    recipe !== null
      ? { module: MODULE_URL, exportName: "buildGlmTarget", args: recipe }
      : {
          module: MODULE_URL,
          exportName: "unbuildableGlmTarget",
          args: { message: recipeError instanceof Error ? recipeError.message : String(recipeError) },
        };
  return targetOf(lp, fixedAux, factory);
}

registerTargetBuilder("buildGlmTarget", (args) => buildGlmTarget(args as GlmTargetRecipe));
registerTargetBuilder("unbuildableGlmTarget", (args) => unbuildableGlmTarget(args as { message: string }));

/** Builder used when a target has no recipe: throws the reason (in the worker, rethrown in the caller). */
export function unbuildableGlmTarget(args: { message: string }): never {
  throw new ArgumentError(args.message);
}

/**
 * How each family of the core simulates its response: the links the data
 * generators use, a range of means that keeps μ comfortably inside the family's
 * support, the dispersion parameters of the true model, and the draw of one y,
 * which the family record's `simulate` makes from the seeded @stdlib/random stream
 * (the quasi families, which R gives no simulate, draw as binomial and Poisson).
 * Fitting code never sees this table: it is the ground truth side of `glmkit/testing`.
 */
import { ArgumentError } from "../src/errors.js";
import type { Family } from "../src/types.js";
import { makeFamily } from "../src/families/index.js";
import type { SimulationRng } from "./rng.js";

/** The `simulate` member of a family record (which does not depend on the link). */
function simulateOf(family: Family): NonNullable<Family["simulate"]> {
  if (family.simulate === null) throw new ArgumentError(`the ${family.name} family has no simulate`);
  return family.simulate;
}

const simulateGaussian = simulateOf(makeFamily("gaussian"));
const simulateBinomial = simulateOf(makeFamily("binomial"));
const simulatePoisson = simulateOf(makeFamily("poisson"));
const simulateGamma = simulateOf(makeFamily("Gamma"));
const simulateInverseGaussian = simulateOf(makeFamily("inverse.gaussian"));
const simulateNegativeBinomial = simulateOf(makeFamily("negative_binomial", { theta: 1 }));

/** The Tweedie record's simulate for one power (records cached: one per power seen). */
const tweedieSimulators = new Map<number, NonNullable<Family["simulate"]>>();
function simulateTweedie(power: number): NonNullable<Family["simulate"]> {
  let sim = tweedieSimulators.get(power);
  if (sim === undefined) {
    sim = simulateOf(makeFamily("tweedie", { power }));
    tweedieSimulators.set(power, sim);
  }
  return sim;
}

/** The families `glmData` simulates (R's names; "negative_binomial" has θ given; "tweedie" has 1 < power < 2). */
export const SIMULATED_FAMILIES = [
  "gaussian",
  "binomial",
  "poisson",
  "Gamma",
  "inverse.gaussian",
  "negative_binomial",
  "quasibinomial",
  "quasipoisson",
  "tweedie",
] as const;

export type SimulatedFamily = (typeof SIMULATED_FAMILIES)[number];

/** Parameters of the true model beyond the mean (defaults in {@link DEFAULT_TRUE_PARAMETERS}). */
export interface TrueParameters {
  /** gaussian: σ (φ = σ²). */
  sigma: number;
  /** Gamma: shape ν (φ = 1/ν). */
  shape: number;
  /** inverse.gaussian: λ (φ = 1/λ). */
  lambda: number;
  /** negative binomial: θ (variance μ + μ²/θ). */
  theta: number;
  /** tweedie: variance power in (1, 2). */
  power: number;
  /** tweedie: dispersion φ (variance φ μ^power). */
  tweedieDispersion: number;
  /** binomial and quasibinomial: trials per row (1: a 0/1 response). */
  trials: number;
}

export const DEFAULT_TRUE_PARAMETERS: Readonly<TrueParameters> = Object.freeze({
  sigma: 1,
  shape: 5,
  lambda: 5,
  theta: 2,
  power: 1.5,
  tweedieDispersion: 1,
  trials: 1,
});

/** What the generators need to know about one family. */
export interface FamilySimulation {
  readonly name: SimulatedFamily;
  /** Links the generators may pair with the family (R's valid links for it). */
  readonly links: readonly string[];
  readonly defaultLink: string;
  /** A range of μ well inside the support, for the given link. */
  meanRange(link: string): readonly [number, number];
  /** The Family record to fit with. */
  family(link: string, params: TrueParameters): Family;
  /** One response and its prior weight, drawn from the true model with mean μ. */
  draw(rng: SimulationRng, mu: number, params: TrueParameters): { y: number; weight: number };
  /** The true dispersion φ in the fitted family's parametrisation (1 when fixed). */
  dispersion(params: TrueParameters): number;
  /** One line: how y was drawn. */
  describe(params: TrueParameters): string;
}

const binomialDraw = (rng: SimulationRng, mu: number, q: TrueParameters) => ({ y: simulateBinomial(rng, mu, NaN, q.trials), weight: q.trials });
const poissonDraw = (rng: SimulationRng, mu: number) => ({ y: simulatePoisson(rng, mu, NaN, 1), weight: 1 });
const binomialDescribe = (q: TrueParameters) =>
  q.trials === 1 ? "y ~ Bernoulli(μ) (@stdlib/random-base-binomial)" : `y = s/${q.trials}, s ~ Binomial(${q.trials}, μ), weight ${q.trials} (@stdlib/random-base-binomial)`;

const TABLE: Readonly<Record<SimulatedFamily, FamilySimulation>> = {
  gaussian: {
    name: "gaussian",
    links: ["identity", "log", "inverse"],
    defaultLink: "identity",
    // With log/inverse links R's initialize needs y > 0: μ ≥ 8σ keeps P(y ≤ 0) below 1e-15.
    meanRange: (link) => (link === "identity" ? [-5, 5] : [8, 20]),
    family: (link) => makeFamily("gaussian", { link }),
    draw: (rng, mu, q) => ({ y: simulateGaussian(rng, mu, q.sigma, 1), weight: 1 }),
    dispersion: (q) => q.sigma * q.sigma,
    describe: (q) => `y ~ Normal(μ, σ = ${q.sigma}) (@stdlib/random-base-normal)`,
  },
  binomial: {
    name: "binomial",
    links: ["logit", "probit", "cloglog", "cauchit", "log"],
    defaultLink: "logit",
    meanRange: (link) => (link === "log" ? [0.05, 0.5] : [0.1, 0.9]),
    family: (link) => makeFamily("binomial", { link }),
    draw: binomialDraw,
    dispersion: () => 1,
    describe: binomialDescribe,
  },
  quasibinomial: {
    name: "quasibinomial",
    links: ["logit", "probit", "cloglog", "cauchit", "log"],
    defaultLink: "logit",
    meanRange: (link) => (link === "log" ? [0.05, 0.5] : [0.1, 0.9]),
    family: (link) => makeFamily("quasibinomial", { link }),
    draw: binomialDraw,
    dispersion: () => 1,
    describe: (q) => `${binomialDescribe(q)}; true dispersion 1`,
  },
  poisson: {
    name: "poisson",
    links: ["log", "identity", "sqrt"],
    defaultLink: "log",
    meanRange: () => [1, 20],
    family: (link) => makeFamily("poisson", { link }),
    draw: poissonDraw,
    dispersion: () => 1,
    describe: () => "y ~ Poisson(μ) (@stdlib/random-base-poisson)",
  },
  quasipoisson: {
    name: "quasipoisson",
    links: ["log", "identity", "sqrt"],
    defaultLink: "log",
    meanRange: () => [1, 20],
    family: (link) => makeFamily("quasipoisson", { link }),
    draw: poissonDraw,
    dispersion: () => 1,
    describe: () => "y ~ Poisson(μ) (@stdlib/random-base-poisson); true dispersion 1",
  },
  Gamma: {
    name: "Gamma",
    links: ["inverse", "identity", "log"],
    defaultLink: "inverse",
    meanRange: () => [0.5, 10],
    family: (link) => makeFamily("Gamma", { link }),
    draw: (rng, mu, q) => ({ y: simulateGamma(rng, mu, q.shape, 1), weight: 1 }),
    dispersion: (q) => 1 / q.shape,
    describe: (q) => `y ~ Gamma(shape ${q.shape}, rate ${q.shape}/μ) (@stdlib/random-base-gamma)`,
  },
  "inverse.gaussian": {
    name: "inverse.gaussian",
    links: ["1/mu^2", "inverse", "identity", "log"],
    defaultLink: "1/mu^2",
    meanRange: () => [0.5, 3],
    family: (link) => makeFamily("inverse.gaussian", { link }),
    draw: (rng, mu, q) => ({ y: simulateInverseGaussian(rng, mu, q.lambda, 1), weight: 1 }),
    dispersion: (q) => 1 / q.lambda,
    describe: (q) => `y ~ InverseGaussian(μ, λ = ${q.lambda}) (Michael, Schucany & Haas 1976, from @stdlib normal and uniform)`,
  },
  negative_binomial: {
    name: "negative_binomial",
    links: ["log", "sqrt", "identity"],
    defaultLink: "log",
    meanRange: () => [1, 20],
    family: (link, q) => makeFamily("negative_binomial", { link, theta: q.theta }),
    draw: (rng, mu, q) => ({ y: simulateNegativeBinomial(rng, mu, q.theta, 1), weight: 1 }),
    dispersion: () => 1,
    describe: (q) => `y ~ NegativeBinomial(μ, θ = ${q.theta}) (@stdlib/random-base-negative-binomial)`,
  },
  tweedie: {
    name: "tweedie",
    links: ["log"],
    defaultLink: "log",
    meanRange: () => [0.5, 10],
    family: (link, q) => makeFamily("tweedie", { link, power: q.power }),
    draw: (rng, mu, q) => ({ y: simulateTweedie(q.power)(rng, mu, q.tweedieDispersion, 1), weight: 1 }),
    dispersion: (q) => q.tweedieDispersion,
    describe: (q) => `y ~ Tweedie(μ, φ = ${q.tweedieDispersion}, power ${q.power}): compound Poisson–gamma (@stdlib poisson, gamma)`,
  },
};

/** The simulation record of a family (R's name; "negbin" is accepted for "negative_binomial"). */
export function familySimulation(name: string): FamilySimulation {
  const key = name === "negbin" ? "negative_binomial" : name;
  const sim = (TABLE as Record<string, FamilySimulation | undefined>)[key];
  if (sim === undefined) throw new ArgumentError(`family "${name}" is not simulated; choose one of ${SIMULATED_FAMILIES.join(", ")}`);
  return sim;
}

/** Links whose linear predictor ranges over the whole real line for this family (normal covariates are safe). */
export function unrestrictedLink(family: SimulatedFamily, link: string): boolean {
  if (["logit", "probit", "cloglog", "cauchit"].includes(link)) return true;
  if (link === "log") return family !== "binomial" && family !== "quasibinomial" && family !== "gaussian";
  return link === "identity" && family === "gaussian";
}

/**
 * `glmData`: well-specified GLM data for every family of the core, y drawn from
 * the true model. Covariates are standard normal when the link's linear
 * predictor may take any value for the family, uniform on [−1, 1] otherwise;
 * the true coefficients are built from readable units u ∈ {0, ±¼, …, ±1}:
 *
 *   β₀ = c + u₀·h/2,  βⱼ = uⱼ·h/(2·max(1, p − 1)),
 *
 * where [c − h, c + h] is the link image of the family's comfortable mean
 * range (e.g. μ ∈ [0.1, 0.9] for the binomial), so with uniform covariates
 * η stays inside [c − h, c + h] and μ inside that range. Everything shrinks to
 * the intercept-only model at the centre of the range with the smallest n.
 */
import fc from "fast-check";
import { ArgumentError } from "../src/errors.js";
import type { Family } from "../src/types.js";
import { simulationRng } from "./rng.js";
import {
  DEFAULT_TRUE_PARAMETERS,
  SIMULATED_FAMILIES,
  familySimulation,
  unrestrictedLink,
  type SimulatedFamily,
  type TrueParameters,
} from "./family-simulation.js";
import { defaultColumnNames, linearPredictor, makeGlmData, type GlmData } from "./data-set.js";
import { checkSeed, intArb, seedArb, unitsArb, type IntRange } from "./arbitrary-helpers.js";

/** Distribution of the non-intercept columns. */
export type CovariateKind = "normal" | "uniform";

/** Everything that determines a simulated data set; {@link simulateGlmData} is a pure function of it. */
export interface GlmDataParameters {
  family: SimulatedFamily;
  link: string;
  n: number;
  /** Number of columns, the intercept included. */
  p: number;
  intercept: boolean;
  covariates: CovariateKind;
  /** True β, length p. */
  coefficients: ArrayLike<number>;
  /** Parameters of the true model beyond the mean (defaults: DEFAULT_TRUE_PARAMETERS). */
  trueParameters?: Partial<TrueParameters>;
  seed: number;
}

/** Ground truth specific to `glmData`. */
export interface GlmDataTruth {
  familyName: SimulatedFamily;
  link: string;
  covariates: CovariateKind;
  trueParameters: TrueParameters;
}

export type SimulatedGlmData = GlmData<GlmDataTruth>;

/** The centre c and half-width h of the η range for a family and link. */
export function etaRange(family: SimulatedFamily, link: string): { centre: number; halfWidth: number } {
  const sim = familySimulation(family);
  const fam = sim.family(link, { ...DEFAULT_TRUE_PARAMETERS });
  const [lo, hi] = sim.meanRange(link);
  const a = fam.link.linkfun(lo);
  const b = fam.link.linkfun(hi);
  const centre = (a + b) / 2;
  // Symmetric links give a centre of ±1e-16 from rounding: show it as 0.
  return { centre: Math.abs(centre) < 1e-12 ? 0 : centre, halfWidth: Math.abs(b - a) / 2 };
}

/** True β from units (see the module comment). */
export function coefficientsFromUnits(family: SimulatedFamily, link: string, units: readonly number[], intercept: boolean): Float64Array {
  const { centre, halfWidth } = etaRange(family, link);
  const p = units.length;
  const beta = new Float64Array(p);
  const slopes = intercept ? p - 1 : p;
  for (let j = 0; j < p; j++) {
    if (intercept && j === 0) beta[0] = centre + (units[0]! * halfWidth) / 2;
    else beta[j] = (units[j]! * halfWidth) / (2 * Math.max(1, slopes));
  }
  return beta;
}

/** Fills the design: intercept column of ones, then normal or uniform covariates. */
export function simulateDesign(
  rng: ReturnType<typeof simulationRng>,
  n: number,
  p: number,
  intercept: boolean,
  covariates: CovariateKind,
): Float64Array {
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < p; j++)
      X[i * p + j] = intercept && j === 0 ? 1 : covariates === "normal" ? rng.normal(0, 1) : 2 * rng.uniform() - 1;
  return X;
}

/** Draws y from the true model; throws an ArgumentError naming the row where μ is invalid. */
export function drawResponse(
  familyName: SimulatedFamily,
  family: Family,
  eta: Float64Array,
  q: TrueParameters,
  rng: ReturnType<typeof simulationRng>,
): { mu: Float64Array; y: Float64Array; weights: Float64Array | null } {
  const sim = familySimulation(familyName);
  const n = eta.length;
  const mu = new Float64Array(n);
  const y = new Float64Array(n);
  const w = new Float64Array(n);
  let nonUnit = false;
  for (let i = 0; i < n; i++) {
    if (!family.link.validEta(eta[i]!)) throw new ArgumentError(`coefficients give an invalid linear predictor η = ${eta[i]} for the ${family.link.name} link at row ${i + 1}`);
    const m = family.link.linkinv(eta[i]!);
    if (!family.validMu(m)) throw new ArgumentError(`coefficients give an invalid mean μ = ${m} for the ${family.name} family at row ${i + 1}`);
    mu[i] = m;
    const d = sim.draw(rng, m, q);
    y[i] = d.y;
    w[i] = d.weight;
    if (d.weight !== 1) nonUnit = true;
  }
  return { mu, y, weights: nonUnit ? w : null };
}

/**
 * Simulates one data set from explicit parameters (no fast-check needed).
 * @example simulateGlmData({ family: "poisson", link: "log", n: 50, p: 2, intercept: true, covariates: "normal", coefficients: [1, 0.5], seed: 7 }).y.length // 50
 */
export function simulateGlmData(params: GlmDataParameters): SimulatedGlmData {
  const { family: familyName, link, n, p, intercept, covariates, coefficients, seed } = params;
  checkSeed(seed);
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`n must be a positive integer, got ${n}`);
  if (!Number.isInteger(p) || p < 1) throw new ArgumentError(`p must be a positive integer, got ${p}`);
  if (coefficients.length !== p) throw new ArgumentError(`coefficients has length ${coefficients.length}, but p = ${p}`);
  const sim = familySimulation(familyName);
  const q: TrueParameters = { ...DEFAULT_TRUE_PARAMETERS, ...params.trueParameters };
  const family = sim.family(link, q);
  const rng = simulationRng(seed);
  const X = simulateDesign(rng, n, p, intercept, covariates);
  const beta = Float64Array.from(coefficients);
  const eta = linearPredictor(X, n, p, beta);
  const { mu, y, weights } = drawResponse(familyName, family, eta, q, rng);
  return makeGlmData({
    generator: "glmData",
    family, n, p, X, y, weights,
    columnNames: defaultColumnNames(p, intercept),
    hasIntercept: intercept,
    truth: {
      coefficients: beta, eta, mu,
      dispersion: sim.dispersion(q),
      draw: sim.describe(q),
      seed,
      familyName: sim.name,
      link,
      covariates,
      trueParameters: q,
    },
    summary: covariates === "uniform" ? "covariates=U(-1,1)" : undefined,
  });
}

/** Options of {@link glmData}. */
export interface GlmDataOptions {
  /** One family or several (default: every simulated family). */
  family?: SimulatedFamily | readonly SimulatedFamily[];
  /** A link, several, or "any" of the family's links (default: the family's default link). */
  link?: string | readonly string[];
  /** Number of rows (default 30…200). */
  n?: IntRange;
  /** Number of columns, intercept included (default 1…4). */
  p?: IntRange;
  /** Include an intercept column (default true). */
  intercept?: boolean;
  /** Force a covariate distribution (default: normal where the link allows it, else uniform). */
  covariates?: CovariateKind;
  /** Raw true coefficients (first p used) instead of the scaled readable units; then μ's validity is yours to ensure. */
  coefficients?: fc.Arbitrary<number[]>;
  /** Parameters of the true model beyond the mean. */
  trueParameters?: Partial<TrueParameters>;
}

function familyList(f: GlmDataOptions["family"]): readonly SimulatedFamily[] {
  const list = f === undefined ? SIMULATED_FAMILIES : typeof f === "string" ? [f] : f;
  if (list.length === 0) throw new ArgumentError("family must name at least one family");
  for (const name of list) familySimulation(name);
  return list.map((name) => familySimulation(name).name);
}

function linksFor(family: SimulatedFamily, link: GlmDataOptions["link"]): readonly string[] {
  const sim = familySimulation(family);
  if (link === undefined) return [sim.defaultLink];
  if (link === "any") return sim.links;
  const asked = typeof link === "string" ? [link] : link;
  const ok = asked.filter((l) => sim.links.includes(l));
  if (ok.length === 0)
    throw new ArgumentError(`link ${JSON.stringify(link)} is not simulated for the ${family} family; its links: ${sim.links.join(", ")}`);
  return ok;
}

/**
 * Arbitrary GLM data with ground truth: `glmData({ family: "binomial", link: "probit", n: 100, p: { min: 2, max: 4 } })`.
 * Shrinks to the smallest n and p, then to the intercept-only model at the centre of the family's mean range.
 * @example fc.sample(glmData({ family: "poisson", n: 40, p: 2 }), 1)[0].y.length // 40
 */
export function glmData(options: GlmDataOptions = {}): fc.Arbitrary<SimulatedGlmData> {
  const families = familyList(options.family);
  const intercept = options.intercept ?? true;
  const nArb = intArb("n", options.n ?? { min: 30, max: 200 }, 1);
  const pArb = intArb("p", options.p ?? { min: 1, max: 4 }, 1);
  const pMax = typeof options.p === "number" ? options.p : (options.p?.max ?? 4);
  for (const f of families) {
    const links = linksFor(f, options.link);
    if (!intercept && options.coefficients === undefined && links.some((l) => !unrestrictedLink(f, l)))
      throw new ArgumentError(`intercept: false needs a link whose η may take any value, or explicit coefficients; ${f} with ${links.join("/")} has a bounded η`);
  }
  const coefArb = options.coefficients ?? unitsArb(pMax);
  return fc
    .record({
      familyIndex: fc.integer({ min: 0, max: families.length - 1 }),
      linkPick: fc.nat({ max: 16 }),
      n: nArb,
      p: pArb,
      coefficients: coefArb,
      seed: seedArb,
    })
    .map(({ familyIndex, linkPick, n, p, coefficients, seed }) => {
      const family = families[familyIndex]!;
      const links = linksFor(family, options.link);
      const link = links[linkPick % links.length]!;
      if (coefficients.length < p) throw new ArgumentError(`coefficients arbitrary gave ${coefficients.length} values for p = ${p}`);
      const covariates = options.covariates ?? (unrestrictedLink(family, link) ? "normal" : "uniform");
      const beta = options.coefficients
        ? Float64Array.from(coefficients.slice(0, p))
        : coefficientsFromUnits(family, link, coefficients.slice(0, p), intercept);
      return simulateGlmData({ family, link, n, p, intercept, covariates, coefficients: beta, trueParameters: options.trueParameters, seed });
    });
}


/**
 * Priors on the covariance of group-level effects, as rstanarm and brms put them.
 *
 * decov(regularization, concentration, shape, scale) — rstanarm's default, as stan_glmer
 * implements it (rstanarm 2.21 `?priors`, src/stan_files/functions/common_functions.stan
 * `decov_lp`, `make_theta_L`): for a term with K columns, Σ = diag(sd) Ω diag(sd) with
 *   Ω ~ LKJ(regularization)                      (rstanarm draws it by the onion method; same law)
 *   π ~ Dirichlet(concentration), π = ζ/Σζ with ζ_c ~ Gamma(concentration, 1)   (rstanarm's ζ)
 *   τ ~ Gamma(shape, 1)
 *   sd_c = √(K π_c) · τ · scale · dispersion      (trace(Σ) = K (τ·scale·dispersion)²)
 * where dispersion is σ for the gaussian family (rstanarm's continuous.stan passes `aux`),
 * the aux parameter for the other continuous families, and 1 for binomial / Poisson / NB.
 * For K = 1, sd = τ·scale·dispersion (π = 1; rstanarm keeps an unused ζ with its own prior).
 *
 * lkj(η) + an SD prior — brms's form: Ω ~ LKJ(η), each sd_c ~ the SD prior (half-Student-t
 * by default: brms's student_t(3, 0, 2.5) on an sd, lower bound 0), independent of σ.
 *
 * Parsers: parseCovariancePrior("decov(1, 1, 1, 1)"), ("decov(regularization = 2)"), ("lkj(2)");
 * the SD prior is any auxiliary prior of src/priors ("half_student_t(3, 2.5)", "exponential(1)").
 */
import { PriorError } from "../errors.js";
import { asAuxPrior, halfStudentT } from "../priors/auxiliary.js";
import { parsePrior } from "../priors/parse.js";
import type { AuxPrior } from "../priors/types.js";

/** rstanarm's decov. */
export interface DecovPrior {
  readonly kind: "decov";
  readonly regularization: number;
  readonly concentration: number;
  readonly shape: number;
  readonly scale: number;
}

/** brms's LKJ(η) on the correlations; the SDs get `sd` (a prior on (0, ∞)). */
export interface LkjPrior {
  readonly kind: "lkj";
  readonly eta: number;
  readonly sd: AuxPrior;
}

export type CovariancePrior = DecovPrior | LkjPrior;

/** brms's default SD prior: student_t(3, 0, 2.5) restricted to (0, ∞). */
export const BRMS_DEFAULT_SD_PRIOR: AuxPrior = halfStudentT(3, 2.5);

function positive(name: string, v: number, where: string): number {
  if (!(Number.isFinite(v) && v > 0)) throw new PriorError(`${where}: ${name} must be a positive finite number, got ${v}`);
  return v;
}

/**
 * rstanarm's decov; defaults all 1 (rstanarm's).
 * @example decov().scale // 1
 */
export function decov(regularization = 1, concentration = 1, shape = 1, scale = 1): DecovPrior {
  const w = "decov()";
  return Object.freeze({
    kind: "decov" as const,
    regularization: positive("regularization", regularization, w),
    concentration: positive("concentration", concentration, w),
    shape: positive("shape", shape, w),
    scale: positive("scale", scale, w),
  });
}

/**
 * brms's LKJ(η) with an SD prior (default half_student_t(3, 2.5)).
 * @example lkj(2).sd.describe() // "half_student_t(3, 2.5)"
 */
export function lkj(eta = 1, sd: AuxPrior = BRMS_DEFAULT_SD_PRIOR): LkjPrior {
  if (sd.kind === "flat") throw new PriorError("lkj(): a flat SD prior leaves the group-level SDs improper; use half_student_t, half_normal, exponential or gamma");
  return Object.freeze({ kind: "lkj" as const, eta: positive("eta", eta, "lkj()"), sd });
}

const SPEC = /^\s*([A-Za-z_]+)\s*\(([^()]*)\)\s*$|^\s*([A-Za-z_]+)\s*$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ARGS: Record<string, readonly string[]> = { decov: ["regularization", "concentration", "shape", "scale"], lkj: ["eta"] };

/**
 * Parses "decov(1, 1, 1, 1)" (named arguments allowed, omitted ones 1) or "lkj(η)"; `sd` is the
 * SD prior text for lkj (default brms's). Malformed text → PriorError quoting it.
 * @example parseCovariancePrior("decov(2, 1, 1, 1)").regularization // 2
 */
export function parseCovariancePrior(text: string, sd?: string): CovariancePrior {
  if (typeof text !== "string") throw new PriorError(`covariance prior must be a string, got ${String(text)}`);
  const m = SPEC.exec(text);
  const name = m ? (m[1] ?? m[3])! : "";
  const args = ARGS[name];
  if (!m || !args) throw new PriorError(`cannot parse covariance prior "${text}": expected decov(regularization, concentration, shape, scale) or lkj(eta)`);
  const values = args.map(() => 1);
  const body = m[2];
  if (body !== undefined && body.trim() !== "") {
    const parts = body.split(",").map((x) => x.trim());
    if (parts.length > args.length) throw new PriorError(`"${text}": ${name} takes at most ${args.length} argument(s): ${name}(${args.join(", ")})`);
    let named = false;
    parts.forEach((part, pos) => {
      const eq = /^([A-Za-z_]+)\s*=\s*(.*)$/.exec(part);
      let slot = pos;
      let v = part;
      if (eq) {
        named = true;
        slot = args.indexOf(eq[1]!);
        if (slot < 0) throw new PriorError(`"${text}": unknown argument "${eq[1]}"; expected ${name}(${args.join(", ")})`);
        v = eq[2]!.trim();
      } else if (named) {
        throw new PriorError(`"${text}": a positional argument follows a named one`);
      }
      if (!NUMBER.test(v)) throw new PriorError(`"${text}": argument "${args[slot]}" must be a number, got "${v}"`);
      values[slot] = Number(v);
    });
  }
  if (name === "lkj") {
    const sdPrior = sd === undefined ? BRMS_DEFAULT_SD_PRIOR : asAuxPrior(parsePrior(sd));
    try {
      return lkj(values[0], sdPrior);
    } catch (e) {
      if (e instanceof PriorError) throw new PriorError(`in "${text}": ${e.message}`);
      throw e;
    }
  }
  if (sd !== undefined) throw new PriorError(`an SD prior ("${sd}") goes with lkj(); decov() sets the SDs through its shape and scale`);
  try {
    return decov(values[0], values[1], values[2], values[3]);
  } catch (e) {
    if (e instanceof PriorError) throw new PriorError(`in "${text}": ${e.message}`);
    throw e;
  }
}

/** The covariance prior as text, read back by {@link parseCovariancePrior}. */
export function describeCovariancePrior(p: CovariancePrior): string {
  return p.kind === "decov" ? `decov(${p.regularization}, ${p.concentration}, ${p.shape}, ${p.scale})` : `lkj(${p.eta})`;
}

/**
 * Third derivative d³μ/dη³ of the inverse link, which the Hessian of the
 * Jeffreys penalty ½ log|XᵀWX| needs (the Link record stops at d²μ/dη²).
 * Closed forms for R's named links and for power(λ); any other (custom) link
 * falls back to a central difference of its analytic `muEta2`.
 *
 * Reference: McCullagh & Nelder (1989), Generalized Linear Models, 2nd ed., §2.2
 * (the links); the derivatives are elementary.
 */
import type { Link } from "../types.js";
import { dnormStd } from "../families/rmath.js";

/** Relative step of the central-difference fallback: ε^(1/3), the optimum for a first derivative by central differences. */
const FALLBACK_STEP = 6.055454452393343e-6;

/**
 * Central difference of the analytic second derivative:
 * μ‴(η) ≈ (μ″(η + h) − μ″(η − h)) / (2h), h = ε^{1/3}·max(1, |η|) (error O(h²) ≈ 1e-11 relative).
 */
function centralDifference(link: Link): (eta: number) => number {
  return (eta: number) => {
    const h = FALLBACK_STEP * Math.max(1, Math.abs(eta));
    return (link.muEta2(eta + h) - link.muEta2(eta - h)) / (2 * h);
  };
}

/**
 * d³μ/dη³ for `link`:
 * identity 0; log e^η; logit μ(1−μ)(1 − 6μ(1−μ)); probit (η² − 1)φ(η);
 * cauchit (6η² − 2)/(π(1+η²)³); cloglog e^{η−e^η}((1 − e^η)² − e^η);
 * inverse −6/η⁴; 1/mu^2 −(15/8)η^{−7/2}; sqrt 0; mu^λ: k(k−1)(k−2)η^{k−3} with k = 1/λ.
 * Unclamped (the links clamp μ and μ′ only far in the tails).
 * @example muEta3For(makeLink("logit"))(0) // 0.25·(1 − 1.5) = -0.125
 */
export function muEta3For(link: Link): (eta: number) => number {
  switch (link.name) {
    case "identity":
    case "sqrt":
      return () => 0;
    case "log":
      return (eta) => Math.exp(eta);
    case "logit":
      return (eta) => {
        const e = Math.exp(-Math.abs(eta));
        const v = e / ((1 + e) * (1 + e)); // μ(1−μ) without overflow
        return v * (1 - 6 * v);
      };
    case "probit":
      return (eta) => (eta * eta - 1) * dnormStd(eta);
    case "cauchit":
      return (eta) => {
        const s = 1 + eta * eta;
        return (6 * eta * eta - 2) / (Math.PI * s) / s / s;
      };
    case "cloglog":
      return (eta) => {
        const e = Math.exp(Math.min(eta, 700));
        const d1 = e * Math.exp(-e);
        return d1 * ((1 - e) * (1 - e) - e);
      };
    case "inverse":
      return (eta) => -6 / (eta * eta * eta * eta);
    case "1/mu^2":
      return (eta) => -1.875 * Math.pow(eta, -3.5);
    default:
      break;
  }
  if (link.name.startsWith("mu^")) {
    // powerLink(λ): μ = η^k, k = 1/λ, so μ′(1) = k exactly (the name only keeps λ to 3 digits).
    const k = link.muEta(1);
    if (Number.isFinite(k) && k > 0) return (eta) => k * (k - 1) * (k - 2) * Math.pow(eta, k - 3);
  }
  return centralDifference(link);
}

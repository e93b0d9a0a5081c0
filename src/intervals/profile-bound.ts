/**
 * Finding where a signed-root profile z(b) crosses ±c, shared by the
 * likelihood profile (profile.ts) and the penalised profile (penalized-profile.ts).
 *
 * z is 0 at the estimate and increasing in b. On side s (−1 lower, +1 upper) the
 * search steps out from the estimate by h, 2h, 4h, … (h = c·SE, the Wald guess)
 * until s·z ≥ c; the bracket is then solved by safeguarded Newton steps with the
 * exact slope dz/db (root.ts), starting from the point where z would reach c if it
 * were linear. When a doubled step gains less than a share STALL_SHARE of what is
 * still missing to c² (and the slope agrees), the profile has levelled off below the
 * cutoff — the likelihood has an asymptote, as under separation — and the bound is
 * ±Infinity. A point where the refit leaves the model's domain has z = ±Infinity and
 * counts as beyond the cutoff. A point where the model cannot be refitted reliably
 * (`reliable: false`) is stepped back from during the search; if no reliable point
 * reaches the cutoff, the bound is reported as unbounded with a warning saying how
 * far the profile could be followed.
 */
import { solveIncreasing } from "./root.js";
import type { MonotoneTransform } from "./transform.js";

/** Largest number of step doublings when looking for a bracket (2^60 initial steps). */
export const MAX_DOUBLINGS = 60;
/** The profile counts as levelled off when a doubled step gains less than this share of what is still missing to c². */
export const STALL_SHARE = 1e-7;
/** Most step-backs from points where the model cannot be refitted reliably. */
export const MAX_RETREATS = 40;

/** A profile evaluated at one b. */
export interface SignedRoot {
  /** z(b); ±Infinity where the model cannot be fitted (outside its domain). */
  z: number;
  /** dz/db (NaN where unknown, e.g. at z = 0). */
  slope: number;
  /** False when the model could not be refitted reliably at b (the value is then a guess); default true. */
  reliable?: boolean;
}

export interface BoundSearch {
  /** Evaluates the profile at b. */
  at(b: number): SignedRoot;
  estimate: number;
  /** First step (> 0): c·SE is the Wald guess. */
  step: number;
  /** Name used in warnings. */
  name: string;
  /** Relative tolerance on the solve variable (default 1e-12). */
  xtol?: number;
  /** Solve and report on ψ = g(b). */
  transform?: MonotoneTransform;
  /** Warning when the profile levels off below the cutoff (default: the bound does not exist, separation). */
  levelsOffWarning?: (which: "lower" | "upper") => string;
}

export interface BoundResult {
  /** The bound (on the ψ scale with a transform), ±Infinity when it does not exist (on the b scale). */
  bound: number;
  warning: string | null;
  /** z at the bracket end that first passed the cutoff (+/−Infinity: the domain edge). */
  bracketZ: number;
}

/** Where z(b) = side·c, or ±Infinity (see the module comment). */
export function findProfileBound(search: BoundSearch, side: -1 | 1, c: number): BoundResult {
  const { estimate: est, step: h, name } = search;
  const tr = search.transform ?? null;
  const which = side < 0 ? "lower" : "upper";
  let prevZ2 = 0;
  let prevU = 0;
  let reached: { u: number; z: number } | null = null;
  let u = h;
  let retreats = 0;
  for (let k = 0; k <= MAX_DOUBLINGS; ) {
    const pt = search.at(est + side * u);
    if (pt.reliable === false) {
      // The refit failed here (far out along a separated direction, typically): step back
      // towards the last reliable point and try again, more cautiously.
      if (++retreats > MAX_RETREATS || u - prevU <= 1e-12 * (Math.abs(est) + u))
        return { bound: side * Infinity, warning: `the ${which} profile bound of ${name} is reported as unbounded: the profile stays below the cutoff as far as the model can be refitted (b = ${est + side * prevU})`, bracketZ: pt.z };
      u = prevU + 0.25 * (u - prevU);
      continue;
    }
    if (side * pt.z >= c || Number.isNaN(pt.z)) {
      reached = { u, z: pt.z };
      break;
    }
    const z2 = pt.z * pt.z * (side * pt.z > 0 ? 1 : 0);
    const missing = c * c - z2;
    const outward = Number.isFinite(pt.slope) ? 2 * Math.abs(pt.z) * side * pt.slope * u : 0;
    if (k > 0 && z2 - prevZ2 <= STALL_SHARE * missing && outward <= STALL_SHARE * missing) {
      const warning = search.levelsOffWarning
        ? search.levelsOffWarning(which)
        : `the ${which} profile bound of ${name} does not exist: the profile levels off below the cutoff (separation?)`;
      return { bound: side * Infinity, warning, bracketZ: pt.z };
    }
    prevZ2 = z2;
    prevU = u;
    u *= 2;
    k++;
  }
  if (reached === null)
    return { bound: side * Infinity, warning: `the ${which} profile bound of ${name} was not reached within 2^${MAX_DOUBLINGS} steps: reported as unbounded`, bracketZ: Number.NaN };

  const bOf = (x: number) => (tr ? tr.inverse(x) : x);
  // g = z − side·c is increasing in b (and in x = g(b) for an increasing transform).
  const g = (x: number) => {
    const pt = search.at(bOf(x));
    // An unreliable refit inside the bracket counts as beyond the cutoff (bisection then backs off it).
    const z = Number.isNaN(pt.z) || pt.reliable === false ? side * Infinity : pt.z;
    return { value: z - side * c, slope: pt.slope * (tr ? tr.inverseDerivative(x) : 1) };
  };
  let near = est + side * prevU;
  let far = est + side * reached.u;
  if (tr) {
    // Bisect on the b scale while the far end does not survive the round trip through ψ
    // (e.g. exp of a large negative b underflows to 0).
    for (let k = 0; k < 200 && !(Number.isFinite(tr.inverse(tr.forward(far))) && tr.forward(far) !== tr.forward(near)); k++) {
      const mid = 0.5 * (near + far);
      const pt = search.at(mid);
      if (side * pt.z >= c || Number.isNaN(pt.z)) {
        far = mid;
        reached = { u: side * (mid - est), z: pt.z };
      } else near = mid;
    }
  }
  prevU = side * (near - est);
  const linearU = Number.isFinite(reached.z) && reached.z !== 0 ? reached.u * (c / Math.abs(reached.z)) : 0.5 * (prevU + reached.u);
  const guess = est + side * Math.min(Math.max(linearU, prevU), reached.u);
  const fwd = (b: number) => (tr ? tr.forward(b) : b);
  const res = solveIncreasing(g, fwd(Math.min(near, far)), fwd(Math.max(near, far)), { xtol: search.xtol ?? 1e-12, start: fwd(guess), maxit: 200 });
  let warning: string | null = null;
  if (!res.converged) warning = `the ${which} profile bound of ${name} did not converge (bracket [${res.lo}, ${res.hi}])`;
  else if (!Number.isFinite(reached.z) && !(Math.abs(res.value) <= 1e-6 * c))
    warning = `the ${which} profile bound of ${name} is the edge of the parameter space (refits beyond it leave the model's domain)`;
  return { bound: res.root, warning, bracketZ: reached.z };
}

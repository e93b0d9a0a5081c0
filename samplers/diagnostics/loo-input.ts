/**
 * The input of loo.ts: an S × n matrix of pointwise log-likelihoods, validated, with the
 * chain of each draw; and loo 2.5.1's relative_eff (r_eff) computed from the chains.
 * Reference: Vehtari, Gelman & Gabry (2017), Statistics and Computing 27, 1413–1432, §3.2.
 */
import { ArgumentError, DataError } from "../../src/errors.js";
import { essLoo } from "./loo-ess.js";

/** An S × n log-likelihood matrix: draws-major with optional chain ids (1-based, one per draw), or one matrix per chain. */
export type LogLikInput =
  | { values: Float64Array; n: number; chainId?: ArrayLike<number> | null }
  | { chains: readonly Float64Array[]; n: number };

/** The validated matrix. */
export interface LogLikMatrix {
  values: Float64Array;
  S: number;
  n: number;
  /** Chain (1-based) of each draw, or null when unknown. */
  chainId: Int32Array | null;
}

/**
 * Validates and normalises a log-likelihood input: finite values (loo: "All input values
 * must be finite"), S·n entries, chain ids that are integers 1..C with equal counts
 * (loo's llmatrix_to_array).
 */
export function logLikMatrix(input: LogLikInput): LogLikMatrix {
  if (input === null || typeof input !== "object") throw new ArgumentError("the log-likelihood must be { values, n, chainId? } or { chains, n }");
  const n = input.n;
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`n (the number of observations) must be a positive integer, got ${n}`);
  let values: Float64Array;
  let chainId: Int32Array | null = null;
  if ("chains" in input) {
    if (!Array.isArray(input.chains) || input.chains.length === 0) throw new ArgumentError("chains must be a non-empty array of Float64Array");
    const lens = input.chains.map((c, k) => {
      if (!(c instanceof Float64Array)) throw new ArgumentError(`chains[${k}] must be a Float64Array`);
      if (c.length % n !== 0) throw new ArgumentError(`chains[${k}] has ${c.length} entries, not a multiple of n = ${n}`);
      return c.length / n;
    });
    if (lens.some((l) => l !== lens[0])) throw new ArgumentError(`chains have different numbers of draws (${lens.join(", ")})`);
    values = new Float64Array(lens[0] * n * lens.length);
    chainId = new Int32Array(lens[0] * lens.length);
    input.chains.forEach((c, k) => {
      values.set(c, k * c.length);
      chainId!.fill(k + 1, k * lens[0], (k + 1) * lens[0]);
    });
  } else {
    if (!(input.values instanceof Float64Array)) throw new ArgumentError("values must be a Float64Array (S × n, draws-major)");
    values = input.values;
    if (values.length === 0 || values.length % n !== 0) throw new ArgumentError(`values has ${values.length} entries, not a positive multiple of n = ${n}`);
    if (input.chainId != null) chainId = checkChainId(input.chainId, values.length / n);
  }
  const S = values.length / n;
  for (let j = 0; j < values.length; j++) {
    if (!Number.isFinite(values[j])) {
      const s = Math.floor(j / n) + 1;
      throw new DataError(`log-likelihood must be finite: draw ${s}, observation ${(j % n) + 1} is ${values[j]}`, { row: s });
    }
  }
  return { values, S, n, chainId };
}

function checkChainId(chainId: ArrayLike<number>, S: number): Int32Array {
  if (chainId.length !== S) throw new ArgumentError(`chainId has length ${chainId.length}, but there are ${S} draws (loo: number of rows in matrix not equal to length(chain_id))`);
  const ids = new Int32Array(S);
  let C = 0;
  for (let s = 0; s < S; s++) {
    const c = chainId[s];
    if (!Number.isInteger(c) || c < 1) throw new ArgumentError(`chainId must hold integers 1, 2, …; draw ${s + 1} has ${c}`);
    ids[s] = c;
    C = Math.max(C, c);
  }
  const counts = new Int32Array(C);
  for (let s = 0; s < S; s++) counts[ids[s] - 1]++;
  if (counts.some((v) => v === 0)) throw new ArgumentError(`chainId skips a chain: max(chainId) = ${C} is not the number of chains`);
  if (counts.some((v) => v !== counts[0])) throw new ArgumentError(`chains have different numbers of draws (${Array.from(counts).join(", ")})`);
  return ids;
}

/**
 * loo's relative_eff: ESS/S per observation of exp(ℓᵢ) (`transform: "exp"`, default, as
 * loo's documentation calls it on exp(log_lik)) or of the values themselves ("none").
 * The ESS is scale-invariant, so exp(ℓᵢ − maxₛ ℓᵢ) is used (it never underflows).
 * Needs the chain structure (chain ids, or one matrix per chain).
 * @example relativeEff({ chains: [ll1, ll2, ll3, ll4], n })
 */
export function relativeEff(input: LogLikInput | LogLikMatrix, options: { transform?: "exp" | "none" } = {}): Float64Array {
  const m = "S" in input ? input : logLikMatrix(input);
  if (!m.chainId) throw new ArgumentError("relativeEff needs the chain of each draw (chainId, or one matrix per chain)");
  const transform = options.transform ?? "exp";
  if (transform !== "exp" && transform !== "none") throw new ArgumentError(`transform must be "exp" or "none", got ${String(transform)}`);
  const { values, S, n, chainId } = m;
  let C = 0;
  for (let s = 0; s < S; s++) C = Math.max(C, chainId[s]);
  const N = S / C;
  const chains = Array.from({ length: C }, () => new Float64Array(N));
  const fill = new Int32Array(C);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    if (transform === "exp") for (let s = 0; s < S; s++) mx = Math.max(mx, values[s * n + i]);
    fill.fill(0);
    for (let s = 0; s < S; s++) {
      const c = chainId[s] - 1;
      const v = values[s * n + i];
      chains[c][fill[c]++] = transform === "exp" ? Math.exp(v - mx) : v;
    }
    out[i] = essLoo(chains) / S;
  }
  return out;
}


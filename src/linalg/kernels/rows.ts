/**
 * The contract of the IRLS row kernels (src/families/row-kernels.ts, their wasm
 * versions in assembly/irls-rows.ts): the row vectors they work on and what they
 * return. Types only, in the foundation, so that the kernels module, the Family
 * record (src/types.ts) and the families can all name them.
 */

/** μ, the deviance sum and the validity of rows [start, end). */
export interface RowUpdate {
  deviance: number;
  valid: boolean;
}

/** W, z over rows [start, end): the informative rows and the problems R's glm.fit stops on. */
export interface RowWeights {
  nGood: number;
  nanVariance: boolean;
  nanMuEta: boolean;
  zeroVariance: boolean;
}

/** The row vectors of one fit (length n each); `dmu` is null unless the kernel asks for it. */
export interface RowVectors {
  y: Float64Array;
  w: Float64Array;
  offset: Float64Array | null;
  eta: Float64Array;
  mu: Float64Array;
  dmu: Float64Array | null;
  W: Float64Array;
  z: Float64Array;
  /** The row kernels running on these vectors, when known (the wasm kernels read their `param`). */
  rows?: FamilyRowKernels | null;
}

export interface FamilyRowKernels {
  /** "binomial-logit", "poisson-log", "gaussian-identity". */
  readonly name: string;
  /** The kernel's number in the WebAssembly module (assembly/irls-rows.ts). */
  readonly code: number;
  /** Whether `update` stores μ′(η) in `dmu` for `weights`. */
  readonly dmu: boolean;
  /** The family's parameter the wasm kernel takes (θ of the negative binomial); absent when it takes none. */
  readonly param?: number;
  /** From η: μ = g⁻¹(η), Σ wt·d(y, μ) in row order, validity of η and μ (and μ′ into dmu). */
  update(v: RowVectors, start: number, end: number): RowUpdate;
  /** z = η − offset + (y − μ)/μ′ and W = w·μ′²/V(μ) where w > 0 and μ′ ≠ 0, else 0. */
  weights(v: RowVectors, start: number, end: number): RowWeights;
  /** η = g(μ_start) for rows [start, end): the family's startMu (R's initialize, elementwise) and linkfun, same bits. */
  start?(v: RowVectors, start: number, end: number): void;
  /** Σ wt·d(y, μ₀) over rows [start, end) in row order for a constant μ₀ (the null deviance), same bits as fam.devResid. */
  nullDeviance?(v: RowVectors, mu0: number, start: number, end: number): number;
  /**
   * A kernel whose wasm update returns raw partial results (DesignKernels.rowsUpdateRaw: the
   * blocked binary logit's 8 products, rescale count and validity) closes them here.
   */
  close?(raw: Float64Array): RowUpdate;
}

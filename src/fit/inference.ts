/**
 * Coefficient table as R's summary.glm builds it: SEs from the dispersion-scaled
 * inverse Fisher information, z statistics with normal p-values when the
 * dispersion is fixed, t statistics with df.residual when it is estimated.
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import tCdf from "@stdlib/stats-base-dists-t-cdf";

export interface CoefficientRow {
  name: string;
  /** null when the coefficient is aliased (R: NA). */
  estimate: number | null;
  se: number | null;
  statistic: number | null;
  p_value: number | null;
  aliased: boolean;
}

/** Two-sided p-value: 2Φ(−|t|), or 2·P(T_df < −|t|) when df is given. */
export function twoSidedP(stat: number, df: number | null): number {
  if (Number.isNaN(stat)) return Number.NaN;
  return df === null ? 2 * normalCdf(-Math.abs(stat), 0, 1) : 2 * tCdf(-Math.abs(stat), df);
}

export function coefficientTable(
  names: readonly string[],
  coef: Float64Array,
  aliased: Uint8Array,
  covariance: Float64Array,
  useT: boolean,
  dfResidual: number,
): CoefficientRow[] {
  const p = names.length;
  const rows: CoefficientRow[] = [];
  for (let j = 0; j < p; j++) {
    if (aliased[j]) {
      rows.push({ name: names[j]!, estimate: null, se: null, statistic: null, p_value: null, aliased: true });
      continue;
    }
    const est = coef[j]!;
    const se = Math.sqrt(covariance[j * p + j]!);
    const stat = est / se;
    const pv = useT ? (dfResidual > 0 ? twoSidedP(stat, dfResidual) : Number.NaN) : twoSidedP(stat, null);
    rows.push({ name: names[j]!, estimate: est, se, statistic: stat, p_value: pv, aliased: false });
  }
  return rows;
}

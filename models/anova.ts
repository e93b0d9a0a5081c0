/**
 * Analysis of deviance for nested GLMs, as R's anova.glmlist: successive
 * differences of residual deviance, tested by χ² (deviance / dispersion) or F
 * ((deviance/df) / dispersion on df.residual of the largest model), the
 * dispersion taken from the model with the fewest residual degrees of freedom.
 */
import { chisqUpper, fUpper } from "../src/stats/tails.js";
import { ArgumentError } from "../src/errors.js";
import type { GlmFit } from "./fit-result.js";

export type AnovaTest = "Chisq" | "LRT" | "F";

export interface AnovaRow {
  resid_df: number;
  resid_dev: number;
  /** null on the first row. */
  df: number | null;
  deviance: number | null;
  /** F statistic (test "F" only). */
  f: number | null;
  p_value: number | null;
}

export function anova(fits: GlmFit[], test: AnovaTest = "Chisq"): AnovaRow[] {
  if (fits.length < 2) throw new ArgumentError("anova needs at least two fitted models");
  const n0 = fits[0]!.ml.nObs;
  for (const f of fits)
    if (f.ml.nObs !== n0) throw new ArgumentError("models were not all fitted to the same number of observations");
  let big = fits[0]!;
  for (const f of fits) if (f.dfResidual < big.dfResidual) big = f;
  const scale = big.dispersion;
  const dfScale = big.ml.dispersionEstimated ? big.dfResidual : Number.POSITIVE_INFINITY;
  return fits.map((f, k) => {
    if (k === 0) return { resid_df: f.dfResidual, resid_dev: f.deviance, df: null, deviance: null, f: null, p_value: null };
    const prev = fits[k - 1]!;
    const df = prev.dfResidual - f.dfResidual;
    const dev = prev.deviance - f.deviance;
    if (df === 0) return { resid_df: f.dfResidual, resid_dev: f.deviance, df, deviance: dev, f: null, p_value: null };
    if (test === "F") {
      const F = dev / df / scale;
      const p = F < 0 ? null : fUpper(F, Math.abs(df), dfScale);
      return { resid_df: f.dfResidual, resid_dev: f.deviance, df, deviance: dev, f: F < 0 ? null : F, p_value: p };
    }
    const stat = (dev / scale) * Math.sign(df);
    const p = stat < 0 ? null : chisqUpper(stat, Math.abs(df));
    return { resid_df: f.dfResidual, resid_dev: f.deviance, df, deviance: dev, f: null, p_value: p };
  });
}

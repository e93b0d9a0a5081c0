/**
 * The χ² test of one row of an analysis of deviance, as R's stat.anova computes
 * it for test = "Chisq"/"LRT" (a difference in deviance) and test = "Rao" (a score
 * statistic), in anova.glm and anova.glmlist:
 *   statistic = value/φ,  p = P(χ²_|Δdf| > sign(Δdf)·value/φ),
 * with no p-value (NaN here; NA in R) when Δdf = 0 or the signed statistic is
 * negative ("rather than p = 0", R's comment).
 *
 * Reference: [1] R, src/library/stats/R/anova.R (stat.anova); [2] McCullagh &
 * Nelder (1989), Generalized Linear Models, 2nd ed., §4.4.
 */
import { chisqUpper } from "./tails.js";

/** The statistic and p-value of an analysis-of-deviance row. */
export interface AnovaChisq {
  /** value/φ. */
  statistic: number;
  /** P(χ²_|df| > sign(df)·value/φ); NaN when df = 0 or that value is negative. */
  p_value: number;
}

/**
 * χ² test of `value` (D_small − D_big, or the Rao score statistic) on `df` =
 * df_small − df_big degrees of freedom, with dispersion φ = `dispersion`.
 * @example anovaChisq(3.841458820694124, 1, 1).p_value // 0.05 (to 1e-15)
 */
export function anovaChisq(value: number, df: number, dispersion: number): AnovaChisq {
  const statistic = value / dispersion;
  const signed = statistic * Math.sign(df);
  const p_value = df === 0 || !(signed >= 0) ? Number.NaN : chisqUpper(signed, Math.abs(df));
  return { statistic, p_value };
}

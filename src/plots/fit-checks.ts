/**
 * Checks of an ML fit: residuals against fitted values (with a loess smoother),
 * a normal Q–Q plot of the residuals (randomized quantile residuals are N(0, 1)
 * under the model, so the reference line is y = x), and the calibration curve of
 * a binomial fit (observed proportion against mean predicted probability in
 * quantile bins, with Wilson 95% intervals).
 */
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import { ArgumentError } from "../errors.js";
import { PALETTE, checkPositive, checkTitle, frame, r6, type CommonPlotOptions, type VlSpec } from "./common.js";

export interface ResidualInput {
  fitted: ArrayLike<number>;
  residuals: ArrayLike<number>;
  /** Axis titles, e.g. "randomized quantile residual", "linear predictor". */
  residualLabel?: string;
  fittedLabel?: string;
}

function pairs(input: ResidualInput): { f: number[]; r: number[] } {
  if (input === null || typeof input !== "object" || input.fitted?.length !== input.residuals?.length)
    throw new ArgumentError("residual plot input must be { fitted, residuals } of equal length");
  const f: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < input.fitted.length; i++) {
    const a = input.fitted[i]!;
    const b = input.residuals[i]!;
    if (Number.isNaN(a) && Number.isNaN(b)) continue; // rows of weight 0
    if (!Number.isFinite(a) || !Number.isFinite(b)) throw new ArgumentError(`residual plot: row ${i + 1} has fitted ${a}, residual ${b}`);
    f.push(a);
    r.push(b);
  }
  if (r.length === 0) throw new ArgumentError("residual plot: no residuals to draw");
  return { f, r };
}

/**
 * Residuals against fitted values, a zero line and a loess smoother (bandwidth 0.75 as R's lowess/loess span).
 * @example residualsSpec({ fitted: eta, residuals: quantileResiduals(fit) })
 */
export function residualsSpec(input: ResidualInput, options: CommonPlotOptions = {}): VlSpec {
  const { f, r } = pairs(input);
  const values = f.map((x, i) => ({ fitted: r6(x), residual: r6(r[i]!), row: i + 1 }));
  const x = { field: "fitted", type: "quantitative", title: input.fittedLabel ?? "fitted value", scale: { zero: false } };
  const y = { field: "residual", type: "quantitative", title: input.residualLabel ?? "residual" };
  return {
    ...frame(checkTitle(options.title, "Residuals against fitted values")),
    width: checkPositive("width", options.width, 420),
    height: checkPositive("height", options.height, 260),
    data: { values },
    layer: [
      { name: "zero", mark: { type: "rule", color: "#888", strokeDash: [4, 3] }, encoding: { y: { datum: 0, type: "quantitative" } } },
      { name: "points", mark: { type: "point", filled: true, size: 18, opacity: 0.6, color: PALETTE[0] }, encoding: { x, y, tooltip: [{ field: "row" }, { field: "fitted" }, { field: "residual" }] } },
      { name: "smooth", transform: [{ loess: "residual", on: "fitted", bandwidth: 0.75 }], mark: { type: "line", color: PALETTE[3], strokeWidth: 1.5 }, encoding: { x, y } },
    ],
  };
}

/** R's ppoints(n): (i − a)/(n + 1 − 2a), a = 3/8 for n ≤ 10, else 1/2. */
export function ppoints(n: number): Float64Array {
  const a = n <= 10 ? 3 / 8 : 0.5;
  return Float64Array.from({ length: n }, (_, i) => (i + 1 - a) / (n + 1 - 2 * a));
}

/**
 * Normal Q–Q plot: sorted residuals against Φ⁻¹(ppoints(n)), with the line y = x.
 * @example qqSpec({ residuals: quantileResiduals(fit) })
 */
export function qqSpec(input: { residuals: ArrayLike<number>; residualLabel?: string }, options: CommonPlotOptions = {}): VlSpec {
  if (input === null || typeof input !== "object" || typeof input.residuals?.length !== "number") throw new ArgumentError("Q–Q plot input must be { residuals }");
  const r: number[] = [];
  for (let i = 0; i < input.residuals.length; i++) {
    const v = input.residuals[i]!;
    if (Number.isNaN(v)) continue;
    if (!Number.isFinite(v)) throw new ArgumentError(`Q–Q plot: residual ${i + 1} is ${v}`);
    r.push(v);
  }
  if (r.length === 0) throw new ArgumentError("Q–Q plot: no residuals to draw");
  r.sort((a, b) => a - b);
  const q = ppoints(r.length);
  const values = r.map((v, i) => ({ theoretical: r6(normalQuantile(q[i]!, 0, 1)), sample: r6(v) }));
  const lim = Math.max(Math.abs(values[0]!.theoretical), Math.abs(values[values.length - 1]!.theoretical), Math.abs(r[0]!), Math.abs(r[r.length - 1]!));
  const x = { field: "theoretical", type: "quantitative", title: "standard normal quantile" };
  const y = { field: "sample", type: "quantitative", title: input.residualLabel ?? "residual quantile" };
  return {
    ...frame(checkTitle(options.title, "Normal Q–Q plot of residuals"), "line: y = x"),
    width: checkPositive("width", options.width, 300),
    height: checkPositive("height", options.height, 300),
    layer: [
      { name: "identity", data: { values: [{ a: r6(-lim), b: r6(-lim) }, { a: r6(lim), b: r6(lim) }] }, mark: { type: "line", color: "#888", strokeDash: [4, 3] }, encoding: { x: { field: "a", type: "quantitative" }, y: { field: "b", type: "quantitative" } } },
      { name: "points", data: { values }, mark: { type: "point", filled: true, size: 18, opacity: 0.7, color: PALETTE[0] }, encoding: { x, y } },
    ],
  };
}

/** A bin of the reliability table (src/diagnostics/calibration.ts). */
export interface CalibrationBinInput {
  count: number;
  meanPredicted: number;
  observed: number;
}

export interface CalibrationPlotInput {
  reliability: readonly CalibrationBinInput[];
  brier?: number;
  hosmerLemeshow?: { statistic: number; df: number; pValue: number };
}

/** Wilson score interval for a proportion p̂ of m trials: (p̂ + z²/2m ± z√(p̂(1−p̂)/m + z²/4m²)) / (1 + z²/m). */
export function wilson(p: number, m: number, z = 1.959963984540054): [number, number] {
  const z2 = z * z;
  const c = (p + z2 / (2 * m)) / (1 + z2 / m);
  const h = (z * Math.sqrt((p * (1 - p)) / m + z2 / (4 * m * m))) / (1 + z2 / m);
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

/**
 * Calibration curve: observed proportion against mean predicted probability per bin, the diagonal, Wilson intervals.
 * @example calibrationSpec(calibrationOfFit(fit))
 */
export function calibrationSpec(input: CalibrationPlotInput, options: CommonPlotOptions = {}): VlSpec {
  if (input === null || typeof input !== "object" || !Array.isArray(input.reliability)) throw new ArgumentError("calibration plot input must be { reliability: [{ count, meanPredicted, observed }] }");
  const bins = input.reliability.filter((b) => b.count > 0);
  if (bins.length === 0) throw new ArgumentError("calibration plot: every bin is empty");
  const values = bins.map((b) => {
    const [lo, hi] = wilson(b.observed, b.count);
    return { predicted: r6(b.meanPredicted), observed: r6(b.observed), lo: r6(lo), hi: r6(hi), count: b.count };
  });
  const notes: string[] = [];
  if (typeof input.brier === "number") notes.push(`Brier ${input.brier.toFixed(4)}`);
  if (input.hosmerLemeshow) notes.push(`Hosmer–Lemeshow χ² ${input.hosmerLemeshow.statistic.toFixed(2)} on ${input.hosmerLemeshow.df} df, p = ${input.hosmerLemeshow.pValue.toPrecision(3)}`);
  const x = { field: "predicted", type: "quantitative", title: "mean predicted probability", scale: { domain: [0, 1] } };
  return {
    ...frame(checkTitle(options.title, `Calibration (${input.reliability.length} bins)`), notes.length ? notes.join(" · ") : undefined),
    width: checkPositive("width", options.width, 300),
    height: checkPositive("height", options.height, 300),
    layer: [
      { name: "diagonal", data: { values: [{ a: 0, b: 0 }, { a: 1, b: 1 }] }, mark: { type: "line", color: "#888", strokeDash: [4, 3] }, encoding: { x: { field: "a", type: "quantitative", scale: { domain: [0, 1] } }, y: { field: "b", type: "quantitative", scale: { domain: [0, 1] } } } },
      {
        data: { values },
        layer: [
          { name: "band", mark: { type: "rule", color: PALETTE[0], opacity: 0.5, strokeWidth: 1.5 }, encoding: { x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } } },
          { name: "curve", mark: { type: "line", color: PALETTE[0] }, encoding: { x, y: { field: "observed", type: "quantitative", title: "observed proportion", scale: { domain: [0, 1] } } } },
          {
            name: "bins",
            mark: { type: "point", filled: true, color: PALETTE[0] },
            encoding: { x, y: { field: "observed", type: "quantitative" }, size: { field: "count", type: "quantitative", title: "trials", scale: { range: [20, 160] } }, tooltip: [{ field: "predicted" }, { field: "observed" }, { field: "count" }, { field: "lo" }, { field: "hi" }] },
          },
        ],
      },
    ],
  };
}

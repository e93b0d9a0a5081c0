/**
 * Saved multinomial ML fits (`glmkit fit … --family multinomial --save MODEL.json`) and the
 * predictor revived from them (`glmkit predict MODEL.json NEW.csv`): the JSON of a saved GLM
 * (`"glmkit_model": 1`, models/saved-model.ts) with `family: { name: "multinomial", link:
 * "softmax" }`, the (K−1)p coefficients named `category:term` (null where aliased), their
 * covariance, the categories and the reference, and the new-data design of the formula.
 * Predictions: probabilities with delta-method SEs, classes, or log(π_k/π_ref) with SEs,
 * as MultinomialFit.predict (R: predict(multinom, newdata, "probs" | "class"), predict.vglm).
 */
import { ArgumentError } from "../src/errors.js";
import { designFromJSON, type DesignJson, type DesignSpec } from "../src/formula/index.js";
import { multinomialPredict } from "../src/multinomial/inference.js";
import type { DataInput, DataTable } from "../src/data/index.js";

export interface SavedMultinomialJson {
  glmkit_model: 1;
  method: "mle";
  formula: string;
  family: { name: "multinomial"; link: "softmax" };
  categories: string[];
  reference: string;
  /** Design column names (p), and the coefficient names category:term ((K−1)p, category-major). */
  columns: string[];
  names: string[];
  coefficients: (number | null)[];
  vcov: (number | null)[][];
  design: DesignJson;
}

/** One prediction row per new-data row (null where the row was dropped for a missing value). */
export interface SavedMultinomialPrediction {
  type: "probs" | "class" | "link";
  categories: string[];
  rows: Array<{ values: Record<string, number> | string; se: Record<string, number> | null } | null>;
  naDropped: number;
  warnings: string[];
}

/** True for the JSON of a saved multinomial model. */
export function isSavedMultinomial(json: unknown): json is SavedMultinomialJson {
  return typeof json === "object" && json !== null && (json as { family?: { name?: unknown } }).family?.name === "multinomial";
}

/** A saved multinomial ML fit revived as a predictor. */
export class SavedMultinomialModel {
  readonly design: DesignSpec;
  private readonly beta: Float64Array;
  private readonly cov: Float64Array;
  private readonly ref: number;

  constructor(readonly json: SavedMultinomialJson) {
    if (json.glmkit_model !== 1 || !Array.isArray(json.categories) || !Array.isArray(json.columns))
      throw new ArgumentError('not a saved glmkit multinomial model: expected "glmkit_model": 1 with categories and columns');
    const K = json.categories.length, p = json.columns.length, D = (K - 1) * p;
    if (json.coefficients?.length !== D || json.vcov?.length !== D) throw new ArgumentError(`saved multinomial model: expected ${D} coefficients and a ${D} × ${D} vcov`);
    this.ref = json.categories.indexOf(json.reference);
    if (this.ref < 0) throw new ArgumentError(`saved multinomial model: the reference "${json.reference}" is not one of its categories`);
    this.design = designFromJSON(json.design);
    this.beta = Float64Array.from(json.coefficients, (b) => (b === null ? NaN : b));
    this.cov = new Float64Array(D * D);
    json.vcov.forEach((row, i) => row.forEach((v, j) => { this.cov[i * D + j] = v === null ? NaN : v; }));
  }

  /** Predictions on new data (type "probs" default, "class", "link"), SEs when `se`. */
  predict(newdata: DataInput | DataTable, opts: { type?: "probs" | "class" | "link"; se?: boolean } = {}): SavedMultinomialPrediction {
    const type = opts.type ?? "probs";
    if (type !== "probs" && type !== "class" && type !== "link") throw new ArgumentError(`type must be probs, class or link for a multinomial model, got "${String(type)}"`);
    if (type === "class" && opts.se) throw new ArgumentError("se applies to type probs and link, not class");
    const d = this.design.modelMatrix(newdata);
    const cats = this.json.categories, K = cats.length, p = this.json.columns.length;
    const nonref = cats.filter((_, k) => k !== this.ref);
    const pr = multinomialPredict({ problem: { p, K, ref: this.ref }, beta: this.beta, vcov: this.cov }, d.X, d.n);
    const nrow = d.n + d.naDropped;
    const rows: SavedMultinomialPrediction["rows"] = new Array(nrow).fill(null);
    for (let i = 0; i < d.n; i++) {
      const r = d.rows[i]!;
      if (type === "class") rows[r] = { values: cats[pr.classes[i]!]!, se: null };
      else if (type === "probs") rows[r] = {
        values: Object.fromEntries(cats.map((c, k) => [c, pr.probabilities[i * K + k]!])),
        se: opts.se ? Object.fromEntries(cats.map((c, k) => [c, pr.seProbabilities[i * K + k]!])) : null,
      };
      else rows[r] = {
        values: Object.fromEntries(nonref.map((c, q) => [c, pr.link[i * (K - 1) + q]!])),
        se: opts.se ? Object.fromEntries(nonref.map((c, q) => [c, pr.seLink[i * (K - 1) + q]!])) : null,
      };
    }
    return { type, categories: [...cats], rows, naDropped: d.naDropped, warnings: [...d.warnings] };
  }
}

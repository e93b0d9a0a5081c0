/**
 * The model matrix for new data (R's `predict` path: `model.frame(delete.response(terms),
 * newdata, xlev = fit$xlevels)` then `model.matrix(..., contrasts.arg = fit$contrasts)`):
 * the training layout (columns, levels, contrast matrices) applied to the new
 * rows, with every transform (poly, ns, bs, scale) evaluated from its training
 * state.
 */
import { ArgumentError } from "../errors.js";
import { toDataTable } from "../data/table.js";
import type { DataInput, DataTable } from "../data/types.js";
import type { Node } from "./ast.js";
import { withColumnTypes, type ColumnTypes } from "./column-types.js";
import { Evaluator } from "./evaluate.js";
import {
  checkFiniteValues, keptRows, markFactorNA, markMissing, markNaN, newDataVariable, numericOf, optionValues, subsetF64,
} from "./frame-variables.js";
import { fillDesign, type ColumnLayout, type FrameVariable, type VariableShape } from "./model-matrix.js";
import type { Terms } from "./terms.js";
import { decodeValue, designPartsToJson, nodesOf, type DesignJson } from "./design-json.js";
import { parseFormula } from "./parse.js";
import { termsOf } from "./terms.js";
import type { TransformState } from "./transform-calls.js";
import type { Value } from "./values.js";

/** X (and the offset) for new data. */
export interface NewDesign {
  /** n × p, row-major. */
  readonly X: Float64Array;
  readonly n: number;
  readonly p: number;
  /** Sum of the offset(...) terms (and of the `offset` option given as a column name); null if none. */
  readonly offset: Float64Array | null;
  /** 0-based rows of the new data kept. */
  readonly rows: Int32Array;
  /** Rows of the new data dropped for a missing value. */
  readonly naDropped: number;
  /** R's warnings while building X (e.g. bs() values beyond the boundary knots). */
  readonly warnings: string[];
}

/** What is needed to build X for new data. */
export interface DesignSpec {
  /**
   * X for `newdata` with the training factor levels, contrasts and transform
   * states. The response need not be present. A level not seen in training →
   * DataError naming column and level.
   */
  modelMatrix(newdata: DataInput | DataTable): NewDesign;
  readonly columnNames: string[];
  /** The design as JSON (revive it with designFromJSON); ArgumentError when the offset was given as values. */
  toJSON(): DesignJson;
}

/** Everything of the fit that the new-data matrix depends on. */
export interface DesignParts {
  readonly terms: Terms;
  readonly layout: ColumnLayout;
  readonly shapes: readonly VariableShape[];
  readonly offsetOption: string | ArrayLike<number> | undefined;
  readonly states: ReadonlyMap<Node, TransformState>;
  readonly columns: ColumnTypes | undefined;
  /** The training data's column names (what "." stands for), kept for toJSON. */
  readonly dataNames: readonly string[];
}

function addInto(acc: Float64Array | null, x: Float64Array): Float64Array {
  if (!acc) return Float64Array.from(x);
  for (let k = 0; k < x.length; k++) acc[k] += x[k];
  return acc;
}

/** The offset option on new data: only a column name can apply to rows other than the training ones. */
function offsetOnNewData(opt: string | ArrayLike<number> | undefined, ev: Evaluator, nrow: number): Float64Array | null {
  if (opt === undefined || opt === null) return null;
  if (typeof opt !== "string" && opt.length !== nrow) {
    throw new ArgumentError(`the model's offset was given as ${opt.length} values, which cannot apply to new data with ${nrow} rows; give the offset as a column name to predict on new data`);
  }
  return optionValues(opt, "offset", ev, nrow);
}

/** The {@link DesignSpec} of a fitted frame. */
export function makeDesign(parts: DesignParts): DesignSpec {
  const { terms, layout, shapes } = parts;
  const offsetSet = new Set(terms.offsets);
  const used = new Set<number>();
  for (const vars of terms.terms) for (const v of vars) used.add(v);
  return {
    columnNames: layout.columnNames,
    toJSON: () => designPartsToJson(parts, parts.dataNames),
    modelMatrix(newdata: DataInput | DataTable): NewDesign {
      const table = withColumnTypes(toDataTable(newdata), parts.columns, true);
      const warnings: string[] = [];
      const ev = new Evaluator(table, { predicting: true, states: new Map(parts.states), warnings });
      const nvar = terms.variables.length;
      const first = terms.response ? 1 : 0;
      const values: Array<Value | null> = new Array(nvar).fill(null);
      for (let v = first; v < nvar; v++) values[v] = ev.evaluate(terms.variables[v], terms.variableNames[v]);
      const offsetOptAll = offsetOnNewData(parts.offsetOption, ev, table.nrow);
      const mask = new Uint8Array(table.nrow);
      markMissing(ev, mask);
      for (const v of used) markFactorNA(values[v], mask);
      if (offsetOptAll && typeof parts.offsetOption !== "string") markNaN(offsetOptAll, mask);
      const rows = keptRows(mask);
      const all = rows.length === table.nrow;
      const frameVars: Array<FrameVariable | null> = new Array(nvar).fill(null);
      let offset: Float64Array | null = null;
      for (let v = first; v < nvar; v++) {
        const name = terms.variableNames[v];
        const val = values[v] as Value;
        if (offsetSet.has(v)) {
          const x = subsetF64(numericOf(val, name, "offset"), rows, all);
          checkFiniteValues(name, x, rows, "offset");
          offset = addInto(offset, x);
        } else if (used.has(v)) frameVars[v] = newDataVariable(ev, val, name, shapes[v], rows, all);
      }
      if (offsetOptAll) offset = addInto(offset, subsetF64(offsetOptAll, rows, all));
      const X = fillDesign(layout, frameVars, rows.length);
      return { X, n: rows.length, p: layout.columnNames.length, offset, rows, naDropped: table.nrow - rows.length, warnings };
    },
  };
}

/** Rebuilds the {@link DesignSpec} of a design saved by `design.toJSON()`. */
export function designFromJSON(json: unknown): DesignSpec {
  const j = json as DesignJson;
  if (j === null || typeof j !== "object" || j.glmkit_design !== 1)
    throw new ArgumentError('not a saved design: expected an object with "glmkit_design": 1');
  const terms = termsOf(parseFormula(j.formula), j.dataNames);
  const states = new Map<Node, TransformState>();
  for (const s of j.states) {
    const root = terms.variables[s.variable];
    const node = root === undefined ? undefined : nodesOf(root)[s.node];
    if (node === undefined) throw new ArgumentError(`saved design: transform state ${s.variable}/${s.node} has no node in "${j.formula}"`);
    states.set(node, decodeValue(s.state) as TransformState);
  }
  return makeDesign({
    terms, layout: decodeValue(j.layout) as ColumnLayout, shapes: decodeValue(j.shapes) as VariableShape[],
    offsetOption: j.offsetOption ?? undefined, states, columns: j.columns ?? undefined, dataNames: j.dataNames,
  });
}

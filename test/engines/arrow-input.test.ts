/** Apache Arrow tables as in-memory data (src/data/arrow.ts): the same model frame and fit as the same columns given as arrays. */
import { describe, it, expect } from "vitest";
import { tableFromArrays, tableFromJSON, vectorFromArray, Table, Utf8, Dictionary, Int32 } from "apache-arrow";
import { glm } from "../../models/glm.js";
import { DataError } from "../../src/errors.js";

const y = [3, 0, 5, 2, 7, 1, 4, 0, 6, 2, 3, 8];
const x = [0.5, 1.5, null, 2.5, 3.0, -1.0, 0.2, 1.1, 2.2, -0.3, 1.7, 0.9];
const g = ["b", "a", "c", "b", null, "a", "c", "b", "a", "c", "b", "a"];
const k = [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3];
const flag = [true, false, true, true, false, false, true, false, true, false, true, null];

describe("Apache Arrow tables as data", () => {
  it("fits a Poisson model on an Arrow table (nulls, 64-bit integers, dictionary strings, booleans) exactly as on plain columns", () => {
    const table = new Table({
      y: vectorFromArray(BigInt64Array.from(y.map(BigInt))),
      x: vectorFromArray(x),
      g: vectorFromArray(g, new Dictionary(new Utf8(), new Int32())),
      k: vectorFromArray(Int32Array.from(k)),
      flag: vectorFromArray(flag),
    });
    const spec = { formula: "y ~ x + g + k + flag", family: "poisson" };
    const arrow = glm({ ...spec, data: table }).fit();
    const plain = glm({ ...spec, data: { y, x, g, k, flag } }).fit();
    expect(arrow.toJSON().na_dropped).toBe(3);
    expect(arrow.coefficients.map((c) => c.name)).toEqual(plain.coefficients.map((c) => c.name));
    expect(arrow.coefficients.map((c) => c.estimate)).toEqual(plain.coefficients.map((c) => c.estimate));
    expect(arrow.deviance).toBe(plain.deviance);
  });
  it("reads plain Utf8 columns and Float64 columns without nulls", () => {
    const table = tableFromArrays({ y: Float64Array.from(y), x: Float64Array.from(k, (v, i) => v + i / 10), g: g.map((s) => s ?? "a") });
    const a = glm({ formula: "y ~ x + g", family: "poisson", data: table }).fit();
    const b = glm({ formula: "y ~ x + g", family: "poisson", data: { y, x: k.map((v, i) => v + i / 10), g: g.map((s) => s ?? "a") } }).fit();
    expect(a.coefficients.map((c) => c.estimate)).toEqual(b.coefficients.map((c) => c.estimate));
  });
  it("an Arrow column of a type it does not read is a DataError naming it", () => {
    const table = tableFromJSON([{ y: 1, when: [1, 2] }, { y: 2, when: [3] }]);
    expect(() => glm({ formula: "y ~ 1", family: "poisson", data: table }).fit()).toThrow(DataError);
    expect(() => glm({ formula: "y ~ 1", family: "poisson", data: table }).fit()).toThrow(/Arrow column "when"/);
  });
});

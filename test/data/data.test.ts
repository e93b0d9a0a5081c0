/**
 * Data tables and CSV: kind inference, missing cells, R's read.csv type
 * conversion and R's en_US.UTF-8 level order (fixtures from test/reference/formula.R).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataError } from "../../src/errors.js";
import { compareLevels, parseCsv, parseRNumber, readCsv, sortedLevels, tableOf, toDataTable } from "../../src/data/index.js";
import type { Column } from "../../src/data/index.js";

interface Fixture {
  collation: { input: string[]; sorted: string[] };
  csv: { text: string; columns: Array<{ name: string; kind: string; values: Array<string | null> }> };
}
const ref = JSON.parse(readFileSync(new URL("../reference/formula.json", import.meta.url), "utf8")) as Fixture;

describe("factor levels sort as R sorts them in en_US.UTF-8", () => {
  it("matches R 4.2's sort() on tricky level names", () => {
    expect(sortedLevels(ref.collation.input)).toEqual(ref.collation.sorted);
  });

  it("levels of a string column are sorted that way", () => {
    const t = toDataTable({ g: ["b", "A", "a", "B", "10", "9", "a_b", null] });
    const g = t.column("g");
    expect(g.kind).toBe("factor");
    expect((g as Column & { kind: "factor" }).levels).toEqual(["10", "9", "a", "A", "a_b", "b", "B"]);
  });

  it("property: the order is a deterministic total order (antisymmetric, ties only for equal strings)", () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => {
      const ab = compareLevels(a, b), ba = compareLevels(b, a);
      expect(Math.sign(ab) + Math.sign(ba)).toBe(0);
      if (ab === 0) expect(a).toBe(b);
    }), { numRuns: 2000 });
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 30 }), (xs) => {
      const once = sortedLevels(xs);
      expect(sortedLevels([...xs].reverse())).toEqual(once);
      expect(new Set(once).size).toBe(once.length);
    }));
  });
});

describe("toDataTable infers kinds", () => {
  it("from row objects: numbers, strings, booleans; null/undefined/'NA'/'' are missing; keys are united", () => {
    const t = toDataTable([
      { y: 1, g: "a", ok: true },
      { y: null, g: "NA", ok: false, extra: 3 },
      { y: 3, g: "", ok: undefined },
      { g: "b", ok: true },
    ]);
    expect(t.nrow).toBe(4);
    expect(t.names).toEqual(["y", "g", "ok", "extra"]);
    const y = t.column("y");
    expect(y.kind).toBe("numeric");
    expect(Array.from(y.values as Float64Array)).toEqual([1, NaN, 3, NaN]);
    expect(t.column("g")).toMatchObject({ kind: "factor", values: ["a", null, null, "b"], levels: ["a", "b"] });
    expect(t.column("ok")).toMatchObject({ kind: "logical", values: [true, false, null, true] });
    expect(Array.from(t.column("extra").values as Float64Array)).toEqual([NaN, 3, NaN, NaN]);
  });

  it("from columns: arrays and typed arrays (a Float64Array is shared, not copied)", () => {
    const x = new Float64Array([1, 2, 3]);
    const t = toDataTable({ x, i: new Int32Array([4, 5, 6]), s: ["u", "v", "u"] });
    expect(t.column("x").values).toBe(x);
    expect(Array.from(t.column("i").values as Float64Array)).toEqual([4, 5, 6]);
    expect(t.column("s").kind).toBe("factor");
    expect(toDataTable(t)).toBe(t);
  });

  it("an all-missing column is logical, as R's type.convert makes it", () => {
    expect(toDataTable({ z: [null, "NA", undefined] }).column("z")).toMatchObject({ kind: "logical", values: [null, null, null] });
  });

  it("records ±Infinity values (bad input, reported when used); NaN is a missing cell, as R's is.na(NaN)", () => {
    const t = toDataTable({ x: [1, NaN, null, Infinity, -Infinity] });
    const x = t.column("x") as Column & { kind: "numeric" };
    expect(Array.from(x.nonFiniteRows as Int32Array)).toEqual([3, 4]);
    expect(x.values[3]).toBe(Infinity);
    expect(x.values[1]).toBeNaN();
    const f = toDataTable({ x: new Float64Array([1, NaN, -Infinity]) }).column("x") as Column & { kind: "numeric" };
    expect(Array.from(f.nonFiniteRows as Int32Array)).toEqual([2]);
  });

  it("mixing numbers and strings names the column and rows", () => {
    expect(() => toDataTable({ age: [20, "thirty", 40] })).toThrow(DataError);
    expect(() => toDataTable({ age: [20, "thirty", 40] })).toThrow('column "age" mixes numbers (row 1: 20) and strings (row 2: "thirty")');
    expect(() => toDataTable([{ v: true }, { v: 1 }])).toThrow('column "v" mixes numbers (row 2: 1) and booleans (row 1: true)');
    try { toDataTable({ age: [20, "thirty"] }); } catch (e) { expect((e as DataError).column).toBe("age"); }
  });

  it("ragged columns, bad cells and bad shapes are DataErrors", () => {
    expect(() => toDataTable({ a: [1, 2, 3], b: [1, 2] })).toThrow('column "b" has 2 values but column "a" has 3');
    expect(() => toDataTable({ a: [1, {} as unknown as number] })).toThrow('column "a", row 2: cannot use a value of type object');
    expect(() => toDataTable([{ a: 1 }, 5 as unknown as Record<string, number>])).toThrow("data row 2 is not an object");
    expect(() => toDataTable(null as unknown as [])).toThrow(DataError);
    expect(() => toDataTable({ a: [1] }).column("b")).toThrow('no column "b" in the data');
    expect(() => tableOf(2, [{ name: "a", kind: "numeric", values: new Float64Array(3) }])).toThrow('column "a" has 3 values, expected 2');
  });
});

describe("CSV with R's read.csv type conversion", () => {
  it("matches R 4.2's read.csv(stringsAsFactors = FALSE) column by column", () => {
    const t = parseCsv(ref.csv.text);
    expect(t.names).toEqual(ref.csv.columns.map((c) => c.name));
    for (const rc of ref.csv.columns) {
      const col = t.column(rc.name);
      expect(col.kind, rc.name).toBe(rc.kind);
      if (col.kind === "numeric") {
        const bad = new Set(Array.from(col.nonFiniteRows ?? []));
        rc.values.forEach((s, i) => {
          if (s === "NA") { expect(Number.isNaN(col.values[i]) && !bad.has(i), `${rc.name}[${i}]`).toBe(true); return; }
          if (s === "NaN") { expect(Number.isNaN(col.values[i]) && !bad.has(i)).toBe(true); return; } // missing, as R's is.na(NaN)
          const v = s === "Inf" ? Infinity : s === "-Inf" ? -Infinity : Number(s);
          expect(col.values[i], `${rc.name}[${i}]`).toBe(v);
        });
      } else if (col.kind === "logical") {
        expect(col.values).toEqual(rc.values.map((s) => (s === null ? null : s === "TRUE")));
      } else {
        // R keeps an empty string in a character column as ""; glmkit treats empty cells as missing.
        expect(col.values).toEqual(rc.values.map((s) => (s === "" ? null : s)));
      }
    }
  });

  it("parses numbers as R_strtod does", () => {
    expect(parseRNumber(" 1e3 ")).toBe(1000);
    expect(parseRNumber("0x1A")).toBe(26);
    expect(parseRNumber("-0x10")).toBe(-16);
    expect(parseRNumber("1e")).toBe(1);
    expect(parseRNumber(".5")).toBe(0.5);
    expect(parseRNumber("5.")).toBe(5);
    expect(parseRNumber("+7")).toBe(7);
    expect(parseRNumber("Infinity")).toBe(Infinity);
    expect(parseRNumber("-inf")).toBe(-Infinity);
    expect(parseRNumber("nan")).toBeNaN();
    expect(parseRNumber("NAN")).toBeUndefined();
    expect(parseRNumber("1d2")).toBeUndefined();
    expect(parseRNumber("- 1")).toBeUndefined();
    expect(parseRNumber("1.2.3")).toBeUndefined();
    expect(parseRNumber("0x")).toBeUndefined();
  });

  it("property: any finite double printed by JavaScript reads back exactly", () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
      expect(parseRNumber(String(x))).toBe(x === 0 ? 0 : x); // String(-0) is "0"
    }), { numRuns: 2000 });
  });

  it("keeps header names and strings verbatim; logical only for T/F/TRUE/FALSE", () => {
    const t = parseCsv('"my var",g,flag\n1,"a, b",TRUE\n2, x ,F\n');
    expect(t.names).toEqual(["my var", "g", "flag"]);
    expect(t.column("g")).toMatchObject({ kind: "factor", values: ["a, b", " x "] });
    expect(t.column("flag")).toMatchObject({ kind: "logical", values: [true, false] });
    expect(parseCsv("b\ntrue\nfalse\n").column("b").kind).toBe("factor");
  });

  it("handles a byte-order mark, CRLF line ends and blank lines", () => {
    const t = parseCsv("\uFEFFy,x\r\n1,2\r\n\r\n3,4\r\n");
    expect(t.names).toEqual(["y", "x"]);
    expect(t.nrow).toBe(2);
    expect(Array.from(t.column("x").values as Float64Array)).toEqual([2, 4]);
  });

  it("malformed CSV is a DataError naming the line or column", () => {
    expect(() => parseCsv("a,b\n1,2,3\n")).toThrow(DataError);
    expect(() => parseCsv("a,b\n1,2,3\n")).toThrow("malformed CSV at line 2");
    expect(() => parseCsv('a,b\n1,"2\n')).toThrow("malformed CSV");
    expect(() => parseCsv("a,a\n1,2\n")).toThrow('CSV header: duplicated column name "a"');
    expect(() => parseCsv("a,\n1,2\n")).toThrow("CSV header: column 2 has no name");
    expect(() => parseCsv("")).toThrow("the CSV text is empty");
  });

  it("readCsv reads a file, and names the path it cannot read", () => {
    const dir = mkdtempSync(join(tmpdir(), "glmkit-csv-"));
    const path = join(dir, "d.csv");
    writeFileSync(path, "y,g\n1,a\n2,b\n");
    const t = readCsv(path);
    expect(t.nrow).toBe(2);
    expect(t.column("g")).toMatchObject({ kind: "factor", levels: ["a", "b"] });
    expect(() => readCsv(join(dir, "missing.csv"))).toThrow(`cannot read CSV file "${join(dir, "missing.csv")}"`);
  });
});

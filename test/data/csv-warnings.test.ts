/**
 * What R's read.csv does silently, reported in `table.warnings` (src/data/csv.ts):
 * - a mostly numeric column with a few cells that are not numbers is a factor, as in
 *   R, with a warning naming the column and the first offending cells and rows (one
 *   cell "abc" among 99 numbers used to give a silent 99-level factor);
 * - a semicolon-separated file is read as R's read.csv2 (sep ";", dec ","), a
 *   tab-separated one as read.delim, with a warning; with sep: "," forced, a missing
 *   column's error says the file looks semicolon-separated. R 4.2 reference:
 *   read.csv2 of "y;x;z / 1;1,5;a / 0;2,25;1.5 / 1;3;2" gives y int, x num 1.5 2.25 3,
 *   z chr; read.csv of it gives one column "y.x.z".
 */
import { describe, it, expect } from "vitest";
import { parseCsv } from "../../src/data/csv.js";
import { glm } from "../../models/glm.js";
import { DataError } from "../../src/errors.js";

describe("mostly numeric columns read as factors", () => {
  it("one non-numeric cell: a factor as in R, with a warning naming the cell and row", () => {
    const rows = Array.from({ length: 99 }, (_, i) => `${i},${i * 0.5}`);
    rows.splice(41, 0, "41,abc");
    const t = parseCsv(`y,x\n${rows.join("\n")}\n`);
    expect(t.column("x").kind).toBe("factor");
    expect((t.column("x") as { levels: readonly string[] }).levels).toHaveLength(100);
    expect(t.warnings).toEqual([
      'column "x" is read as a factor (as R\'s read.csv does) although 99 of its 100 values are numbers: one cell is not: "abc" (row 42). Correct it, or make it NA, to read the column as numeric',
    ]);
  });

  it("TRUE and a NUL byte among numbers; at most three cells shown", () => {
    const t = parseCsv("a,b\n1,TRUE\n2,\u0000\n3,4\n4,x\n5,y\n6,7\n7,8\n8,9\n9,10\n");
    expect(t.warnings).toHaveLength(1);
    expect(t.warnings![0]).toContain('"TRUE" (row 1), "\\u0000" (row 2), "x" (row 4), and 1 more');
    expect(t.warnings![0]).toMatch(/^column "b" is read as a factor .* 5 of its 9 values are numbers: 4 cells are not/);
  });

  it("genuine factors, numeric and logical columns give no warning", () => {
    expect(parseCsv("g,x,l\na,1,T\nb,2,F\n1,NA,TRUE\n").warnings).toEqual([]);
  });
});

describe("the separator", () => {
  const semi = "y;x;z\n1;1,5;a\n0;2,25;1.5\n1;3;2\n";
  it("a semicolon-separated file is read as read.csv2, with a warning", () => {
    const t = parseCsv(semi);
    expect(t.names).toEqual(["y", "x", "z"]);
    expect(Array.from(t.column("x").values as Float64Array)).toEqual([1.5, 2.25, 3]);
    expect(t.column("z")).toMatchObject({ kind: "factor", values: ["a", "1.5", "2"] });
    expect(t.warnings![0]).toMatch(/^the file looks semicolon-separated .* read as R's read\.csv2 \(sep = ";", dec = ","\)/);
    const fit = glm({ formula: "x ~ y", data: t, family: "gaussian" }).fit();
    expect(fit.coef.y).toBeCloseTo(0, 12); // mean x at y = 1, (1.5 + 3)/2, minus at y = 0, 2.25
  });

  it("a tab-separated file is read as read.delim; a forced comma names the likely separator", () => {
    const t = parseCsv("y\tx\n1\t2.5\n0\t3\n");
    expect(Array.from(t.column("x").values as Float64Array)).toEqual([2.5, 3]);
    expect(t.warnings![0]).toMatch(/^the file looks tab-separated/);
    const forced = parseCsv("y;x;z\n1;2;3\n0;3;4\n", { sep: "," });
    expect(forced.names).toEqual(["y;x;z"]);
    expect(forced.warnings).toEqual([]);
    expect(() => forced.column("y")).toThrow(DataError);
    expect(() => forced.column("y")).toThrow(/is the file semicolon-separated\? \(parseCsv\/readCsv with sep: ";"\)/);
    expect(() => parseCsv(semi, { sep: "|" as ";" })).toThrow(/sep must be/);
  });

  it("a comma file with semicolons inside quotes stays comma-separated", () => {
    const t = parseCsv('"a;b",c\n1,2\n');
    expect(t.names).toEqual(["a;b", "c"]);
    expect(t.warnings).toEqual([]);
  });
});

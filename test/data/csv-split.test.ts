/** The fast CSV splitter gives exactly csv-parse's cells, or declines (null) so that csv-parse reads (and words the error). */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { splitCsvColumns } from "../../src/data/csv-split.js";

function viaCsvParse(text: string, sep = ","): { header: string[]; columns: string[][] } {
  const rec = parse(text, { bom: true, skip_empty_lines: true, delimiter: sep }) as string[][];
  const header = rec[0]!;
  return { header, columns: header.map((_, j) => rec.slice(1).map((r) => r[j]!)) };
}

const CASES = [
  "y,x\n1,2\n3,4\n",
  "y,x\r\n1,2\r\n3,4",
  "\uFEFFy,x\n1,2\n\n\n3,4\n\n",
  'a,b\n"x, y","he said ""hi"""\n"multi\nline",\n',
  "a;b\n1,5;2\n",
  'a,b\n"",NA\n , \n',
  "a\n1\n2\n",
];

describe("splitCsvColumns", () => {
  for (const text of CASES) {
    it(`equals csv-parse on ${JSON.stringify(text).slice(0, 40)}`, () => {
      const sep = text.startsWith("a;") ? ";" : ",";
      expect(splitCsvColumns(text, sep)).toEqual(viaCsvParse(text, sep));
    });
  }
  it("declines what it does not read, for csv-parse to report", () => {
    expect(splitCsvColumns("a,b\n1,2,3\n", ",")).toBeNull(); // a row of another width
    expect(splitCsvColumns('a,b\n1,"2\n', ",")).toBeNull(); // unclosed quote
    expect(splitCsvColumns('a,b\n1,x"y\n', ",")).toBeNull(); // quote inside an unquoted field
    expect(splitCsvColumns("a,b\r1,2\r", ",")).toBeNull(); // lone CR
    expect(splitCsvColumns("", ",")).toBeNull();
  });
  it("property: any table written with RFC 4180 quoting splits as csv-parse reads it", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "1", ".", "-", " ", ",", '"', "\n", "é"), maxLength: 6 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 }), fc.boolean(),
      (p, rows, crlf) => {
        const quote = (s: string) => (/[",\n]/.test(s) || s === "" ? `"${s.replace(/"/g, '""')}"` : s);
        const eol = crlf ? "\r\n" : "\n";
        const header = Array.from({ length: p }, (_, j) => `c${j}`).join(",");
        const text = [header, ...rows.map((r) => r.slice(0, p).map(quote).join(","))].join(eol) + eol;
        expect(splitCsvColumns(text, ",")).toEqual(viaCsvParse(text));
      }), { numRuns: 300, seed: 17 });
  });
});

/**
 * A fast splitter of CSV text into columns of strings, for the common file: RFC 4180
 * fields (quoted with "" escapes, or unquoted), \n or \r\n line ends, empty lines
 * skipped, every row as wide as the header. It gives exactly the cells csv-parse
 * gives for such text (`bom: true, skip_empty_lines: true`), column by column
 * rather than row by row (no array per row), about 6× faster. Anything else (a row
 * of another width, a quote inside an unquoted field, an unclosed quote, a lone \r)
 * returns null: the caller then parses with csv-parse, which words the error.
 */

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** The header and the columns of `text`, or null when the fast path declines (see the module comment). */
export function splitCsvColumns(text: string, sep: string): { header: string[]; columns: string[][] } | null {
  const s = sep.charCodeAt(0);
  const len = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let header: string[] | null = null;
  let columns: string[][] = [];
  let row: string[] = [];
  let col = 0;
  const push = (v: string): boolean => {
    if (header === null) { row.push(v); return true; }
    if (col >= columns.length) return false;
    columns[col]!.push(v);
    col++;
    return true;
  };
  const endRow = (): boolean => {
    if (header === null) {
      header = row;
      columns = header.map(() => []);
      row = [];
      return true;
    }
    if (col !== columns.length) return false;
    col = 0;
    return true;
  };
  while (i < len) {
    // An empty line: skipped.
    const c0 = text.charCodeAt(i);
    if (c0 === LF) { i++; continue; }
    if (c0 === CR && text.charCodeAt(i + 1) === LF) { i += 2; continue; }
    // One row: fields up to the line end.
    for (;;) {
      let value: string;
      if (text.charCodeAt(i) === QUOTE) {
        let j = i + 1;
        let out = "";
        let from = j;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) return null; // unclosed quote
          if (text.charCodeAt(q + 1) === QUOTE) { out += text.slice(from, q + 1); j = q + 2; from = j; continue; }
          out += text.slice(from, q);
          i = q + 1;
          break;
        }
        value = out;
        const c = i < len ? text.charCodeAt(i) : LF;
        if (c !== s && c !== LF && c !== CR) return null;
      } else {
        let j = i;
        for (; j < len; j++) {
          const c = text.charCodeAt(j);
          if (c === s || c === LF || c === CR) break;
          if (c === QUOTE) return null;
        }
        value = text.slice(i, j);
        i = j;
      }
      if (!push(value)) return null;
      if (i >= len) { if (!endRow()) return null; return header === null ? null : { header, columns }; }
      const c = text.charCodeAt(i);
      if (c === s) { i++; if (i >= len) { if (!push("") || !endRow()) return null; return { header: header!, columns }; } continue; }
      if (c === CR) { if (text.charCodeAt(i + 1) !== LF) return null; i += 2; } else i++;
      if (!endRow()) return null;
      break;
    }
  }
  if (header === null) return null;
  return { header, columns };
}

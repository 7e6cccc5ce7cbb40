/**
 * Reads a customer-summary CSV (`frequency,recency,T[,monetary_value][,weights]`, other columns
 * ignored) for `horizon-clv fit`. Column names are matched case-insensitively, with the usual
 * aliases of lifetimes / BTYD (x, t_x, t.x, T.cal, m.x, zbar). Errors name the column and line.
 */
import { readFileSync } from "node:fs";
import { CsvSyntaxError, CsvValueError, parseCsv, parseNumber } from "~/clv/csv";
import { DataError } from "./io";

/** Parsed summary columns plus the file line of every row (for error messages). */
export interface SummaryFile {
  frequency: Float64Array;
  recency: Float64Array;
  T: Float64Array;
  monetary?: Float64Array;
  weights?: Float64Array;
  lines: Int32Array;
  columns: Record<string, string>;
}

const ALIASES: Record<string, string[]> = {
  frequency: ["frequency", "x"],
  recency: ["recency", "t_x", "t.x"],
  T: ["T", "T.cal", "T_cal", "age"],
  monetary: ["monetary_value", "monetary", "m.x", "m_x", "zbar"],
  weights: ["weights", "weight", "custs"],
};

function find(header: string[], names: string[]): number {
  for (const n of names) {
    const i = header.indexOf(n);
    if (i >= 0) return i;
  }
  for (const n of names) {
    const i = header.findIndex((h) => h.trim().toLowerCase() === n.toLowerCase());
    if (i >= 0) return i;
  }
  return -1;
}

/** Reads `file`; `needMonetary` makes the monetary column mandatory. */
export function readSummaryFile(file: string, needMonetary: boolean): SummaryFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new DataError(`cannot read summary file ${file}: ${(e as Error).message}`);
  }
  let rows;
  try {
    rows = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new DataError(e.message);
    throw e;
  }
  if (rows.length === 0) throw new DataError(`summary file ${file} is empty`);
  const header = rows[0].fields.map((h) => h.trim());
  const idx: Record<string, number> = {};
  for (const [key, names] of Object.entries(ALIASES)) idx[key] = find(header, names);
  for (const key of ["frequency", "recency", "T", ...(needMonetary ? ["monetary"] : [])]) {
    if (idx[key] < 0) {
      throw new DataError(`line 1: missing column "${ALIASES[key][0]}" (header has: ${header.join(", ")})`);
    }
  }
  const data = rows.slice(1);
  if (data.length === 0) throw new DataError(`summary file ${file} has a header but no data rows`);
  const n = data.length;
  const cols: Record<string, Float64Array> = {};
  const use = Object.keys(idx).filter((k) => idx[k] >= 0);
  for (const k of use) cols[k] = new Float64Array(n);
  const lines = new Int32Array(n);
  try {
    data.forEach((r, i) => {
      lines[i] = r.line;
      for (const k of use) {
        const j = idx[k];
        if (j >= r.fields.length) throw new DataError(`line ${r.line}: missing value for column "${header[j]}"`);
        cols[k][i] = parseNumber(r.fields[j], header[j], r.line);
      }
    });
  } catch (e) {
    if (e instanceof CsvValueError) throw new DataError(e.message);
    throw e;
  }
  const columns: Record<string, string> = {};
  for (const k of use) columns[k] = header[idx[k]];
  return { frequency: cols.frequency, recency: cols.recency, T: cols.T, monetary: cols.monetary, weights: cols.weights, lines, columns };
}

/**
 * Reads a customer-summary CSV (`frequency,recency,T[,monetary_value][,weights]`, other columns
 * ignored) for `horizon-clv fit`. Column names are matched case-insensitively, with the usual
 * aliases of lifetimes / BTYD (x, t_x, t.x, T.cal, m.x, zbar). Errors name the column and line.
 */
import { readFileSync } from "node:fs";
import { CsvReader, CsvSyntaxError, CsvValueError, parseNumber } from "~/clv/csv";
import { DataError } from "./io";

/** Parsed summary columns plus the file line of every row (for error messages). */
export interface SummaryFile {
  frequency: Float64Array;
  recency: Float64Array;
  /** Age T (continuous models) or the number of opportunities n (BG/BB, read from `periods`). */
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
  periods: ["periods", "n"],
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

/** Growable Float64Array column. */
class Column {
  data = new Float64Array(1024);
  push(i: number, v: number): void {
    if (i === this.data.length) {
      const d = new Float64Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[i] = v;
  }
}

/**
 * Reads `file` row by row into typed columns (no per-row objects, so large summaries stay lean);
 * `needMonetary` makes the monetary column mandatory; `discrete` (BG/BB) reads the number of
 * transaction opportunities from a `periods` column into `T` instead of a continuous age.
 */
export function readSummaryFile(file: string, needMonetary: boolean, discrete = false): SummaryFile {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new DataError(`cannot read summary file ${file}: ${(e as Error).message}`);
  }
  let header: string[] | null = null;
  const idx: Record<string, number> = {};
  let use: string[] = [];
  const cols: Record<string, Column> = {};
  const lines = new Column();
  let n = 0;
  const onRow = (fields: string[], line: number) => {
    if (!header) {
      header = fields.map((h) => h.trim());
      for (const [key, names] of Object.entries(ALIASES)) idx[key] = find(header, names);
      if (discrete) idx.T = idx.periods;
      delete idx.periods;
      for (const key of ["frequency", "recency", "T", ...(needMonetary ? ["monetary"] : [])]) {
        if (key === "T" && discrete && idx.T < 0)
          throw new DataError(`line 1: missing column "periods" (header has: ${header.join(", ")})`);
        if (idx[key] < 0)
          throw new DataError(`line 1: missing column "${ALIASES[key][0]}" (header has: ${header.join(", ")})`);
      }
      use = Object.keys(idx).filter((k) => idx[k] >= 0);
      for (const k of use) cols[k] = new Column();
      return;
    }
    for (const k of use) {
      const j = idx[k];
      if (j >= fields.length) throw new DataError(`line ${line}: missing value for column "${header[j]}"`);
      cols[k].push(n, parseNumber(fields[j], header[j], line));
    }
    lines.push(n, line);
    n++;
  };
  try {
    const reader = new CsvReader(onRow);
    reader.write(text);
    reader.end();
  } catch (e) {
    if (e instanceof CsvSyntaxError || e instanceof CsvValueError) throw new DataError(e.message);
    throw e;
  }
  if (!header) throw new DataError(`summary file ${file} is empty`);
  if (n === 0) throw new DataError(`summary file ${file} has a header but no data rows`);
  const h: string[] = header;
  const col = (k: string) => (cols[k] ? cols[k].data.slice(0, n) : undefined);
  const columns: Record<string, string> = {};
  for (const k of use) columns[k] = h[idx[k]];
  return {
    frequency: col("frequency")!,
    recency: col("recency")!,
    T: col("T")!,
    monetary: col("monetary"),
    weights: col("weights"),
    lines: Int32Array.from(lines.data.subarray(0, n)),
    columns,
  };
}

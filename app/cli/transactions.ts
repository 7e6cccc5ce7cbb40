/**
 * Reads a transaction file (CSV with a header, or whitespace-separated CDNOW style without one)
 * into the engine's `SummaryBuilder`, streaming, with errors that name the column and the line.
 */
import { createReadStream, statSync } from "node:fs";
import {
  CsvReader,
  CsvSyntaxError,
  CsvValueError,
  detectDelimiter,
  parseAmount,
  parseDay,
  type CsvDelimiter,
} from "~/clv/csv";
import { SummaryBuilder, type CustomerSummaries, type SummaryOptions } from "~/clv/summary";
import { DataError, UsageError } from "./io";

/** Input layout: "auto" (detect), "csv" (delimited with header), "cdnow" (whitespace, no header). */
export type InputFormat = "auto" | "csv" | "cdnow";

/** Where the transactions are and which columns hold what. */
export interface TransactionSource {
  input: string;
  /** Column name from the header, or 1-based column number. Defaults only for "cdnow". */
  customer?: string;
  date?: string;
  /** Amount column; defaults to the last column for headerless (CDNOW) files; otherwise omitted → amount 0 (counts only) unless `requireAmount`. */
  amount?: string;
  /** Fail with a usage error when no amount column is given or defaulted. */
  requireAmount?: boolean;
  format?: InputFormat;
}

/** Raw rows kept for consumers that need more than summaries (the deep-model hook). */
export interface RawTransactions {
  customerIds: string[];
  days: Int32Array;
  amounts: Float64Array;
}

/** Result of reading a file. */
export interface LoadedTransactions {
  summary: CustomerSummaries;
  /** Data rows read. */
  rows: number;
  /** Latest transaction day in the file. */
  lastDay: number;
  /** Present when `keepRows` was requested. */
  raw?: RawTransactions;
  readMs: number;
  summaryMs: number;
}

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)$/;
/** A value that can appear in a data row (number or date); a first line of only these is data, not a header. */
const DATA_LIKE = (f: string) => NUMERIC.test(f) || /^\d{4}-?\d{2}-?\d{2}([T ][\d:.]+(Z|[+-][\d:]+)?)?$/.test(f);

/** Column resolution: header name (exact, then case-insensitive) or 1-based number. */
function resolveColumn(ref: string, header: string[] | null, role: string, width: number): number {
  if (header) {
    let i = header.indexOf(ref);
    if (i < 0) i = header.findIndex((h) => h.trim().toLowerCase() === ref.trim().toLowerCase());
    if (i >= 0) return i;
  }
  if (/^\d+$/.test(ref)) {
    const k = Number(ref);
    if (k >= 1 && k <= width) return k - 1;
    throw new DataError(`line 1: ${role} column ${k} does not exist (the file has ${width} columns)`);
  }
  const have = header ? header.map((h) => `"${h}"`).join(", ") : `${width} unnamed columns (use 1..${width})`;
  throw new DataError(`line 1: ${role} column "${ref}" not found in the header (columns: ${have})`);
}

/**
 * Streams `src.input` into a SummaryBuilder with `options`. Throws `DataError` for an empty file,
 * a missing column, a short row or an unparsable date/amount (message names column and line).
 */
export async function loadTransactions(
  src: TransactionSource,
  options: SummaryOptions | ((lastDay: number) => SummaryOptions),
  keepRows = false,
): Promise<LoadedTransactions> {
  const t0 = performance.now();
  try {
    if (!statSync(src.input).isFile()) throw new DataError(`input ${src.input} is not a file`);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`cannot read input file ${src.input}: ${(e as Error).message}`);
  }
  const format = src.format ?? "auto";
  if (!["auto", "csv", "cdnow"].includes(format))
    throw new UsageError(`--format must be auto, csv or cdnow, got "${format}"`);

  // Rows go into the builder (16 bytes/row); options that depend on the data (e.g. --as-of
  // defaulting to the last date) are resolved at build time.
  const builder = new SummaryBuilder();
  let reader: CsvReader | null = null;
  let header: string[] | null = null;
  let cols: { c: number; d: number; a: number; need: number; names: [string, string, string] } | null = null;
  let sawAny = false;

  /** Header detection: delimited files ("csv", or auto with a separator) always have one; whitespace files only when the first line is not all numbers/dates. */
  const setup = (fields: string[], delimiter: CsvDelimiter): boolean => {
    const ws = delimiter === "whitespace";
    const hasHeader = format === "csv" || (!ws && format === "auto") || !fields.every(DATA_LIKE);
    header = hasHeader ? fields.map((f) => f.trim()) : null;
    const width = fields.length;
    const cdnowDefaults = !hasHeader;
    const ref = (v: string | undefined, role: string, dflt: number | null): string => {
      if (v !== undefined) return v;
      if (cdnowDefaults && dflt !== null && dflt >= 1) return String(dflt);
      throw new UsageError(`missing --${role} (the ${role} column)`);
    };
    const c = resolveColumn(ref(src.customer, "customer", 1), header, "customer", width);
    const d = resolveColumn(ref(src.date, "date", width - 2), header, "date", width);
    const a =
      src.amount === undefined && !(cdnowDefaults || src.requireAmount)
        ? -1
        : resolveColumn(ref(src.amount, "amount", width), header, "amount", width);
    const name = (i: number) => (i < 0 ? "" : header ? header[i] : `column ${i + 1}`);
    cols = { c, d, a, need: Math.max(c, d, a) + 1, names: [name(c), name(d), name(a)] };
    return hasHeader;
  };

  const onRow = (fields: string[], line: number, delimiter: CsvDelimiter) => {
    if (!sawAny) {
      sawAny = true;
      if (setup(fields, delimiter)) return;
    }
    const k = cols!;
    if (fields.length < k.need) {
      throw new DataError(`line ${line}: expected at least ${k.need} fields, found ${fields.length}`);
    }
    const id = fields[k.c].trim();
    if (id === "") throw new DataError(`line ${line}, column "${k.names[0]}": empty customer id`);
    const day = parseDay(fields[k.d], k.names[1], line);
    const amount = k.a < 0 ? 0 : parseAmount(fields[k.a], k.names[2], line);
    builder.add(id, day, amount, line);
  };

  // The delimiter is chosen from the first non-empty line, so text is held until that line is
  // complete (or the file ends).
  const chooseDelimiter = (firstLine: string): CsvDelimiter => {
    if (format === "cdnow") return "whitespace";
    const d = detectDelimiter(firstLine);
    return format === "csv" && d === "whitespace" ? "," : d;
  };
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  const feed = (text: string, final: boolean) => {
    if (!reader) {
      pending += text;
      const m = /^[\s\uFEFF]*(\S[^\r\n]*)(\r|\n)/.exec(pending);
      if (!m && !(final && pending.trim() !== "")) return;
      const firstLine = m ? m[1] : pending.replace(/^[\s\uFEFF]+/, "").split(/\r?\n|\r/)[0];
      const dl = chooseDelimiter(firstLine);
      reader = new CsvReader((f, l) => onRow(f, l, dl), { delimiter: dl });
      text = pending;
      pending = "";
    }
    reader.write(text);
  };
  try {
    for await (const chunk of createReadStream(src.input, { highWaterMark: 1 << 20 })) {
      feed(decoder.decode(chunk as Buffer, { stream: true }), false);
    }
    feed(decoder.decode(), true);
    (reader as CsvReader | null)?.end();
  } catch (e) {
    if (e instanceof CsvValueError || e instanceof CsvSyntaxError) throw new DataError(e.message);
    throw e;
  }
  if (!sawAny) throw new DataError(`input file ${src.input} is empty`);
  if (builder.rows === 0) throw new DataError(`input file ${src.input} has a header but no data rows`);
  const t1 = performance.now();
  const lastDay = builder.lastDay;
  let summary: CustomerSummaries;
  try {
    summary = builder.build(typeof options === "function" ? options(lastDay) : options);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const t2 = performance.now();
  const raw = keepRows ? builder.rawRows() : undefined;
  return { summary, rows: builder.rows, lastDay, raw, readMs: t1 - t0, summaryMs: t2 - t1 };
}

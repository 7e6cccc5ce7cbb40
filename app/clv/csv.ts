/**
 * CSV reading and writing for the CLV engine (pure: the caller supplies the chunks, so no I/O here).
 *
 * Reader: streaming, push-based; handles RFC 4180 quoting ("" inside quoted fields, quoted
 * newlines), CRLF / LF / CR line ends, a UTF-8 byte-order mark, and a whitespace-separated mode
 * (CDNOW_sample.txt style: runs of spaces/tabs separate fields, no quoting). Every row carries the
 * 1-based physical line number on which it starts, so errors can name the line.
 *
 * Parse helpers (`parseDay`, `parseAmount`) throw `CsvValueError` naming the column and the line.
 *
 * Writer: `csvRow` / `formatCsv` quote as needed and neutralise spreadsheet formula injection:
 * a text cell starting with = + - @ TAB or CR gets a leading apostrophe, unless it is a plain
 * number (e.g. "-12.5" stays numeric).
 */

/** Field separator: a single character, or "whitespace" for runs of spaces/tabs (no quoting). */
export type CsvDelimiter = "," | ";" | "\t" | "|" | "whitespace";

/** Options of the streaming reader. */
export interface CsvReaderOptions {
  /** Field separator (default ","). */
  delimiter?: CsvDelimiter;
  /** Skip lines that are empty (or only whitespace) instead of yielding [""] rows (default true). */
  skipEmptyLines?: boolean;
}

/** One parsed record. */
export interface CsvRow {
  fields: string[];
  /** 1-based physical line where the record starts. */
  line: number;
}

/** A value that could not be parsed; the message names the column and the line. */
export class CsvValueError extends Error {
  constructor(
    message: string,
    /** Column name (or 1-based index as text) of the offending value. */
    readonly column: string,
    /** 1-based line of the offending value. */
    readonly line: number,
  ) {
    super(message);
    this.name = "CsvValueError";
  }
}

/** Malformed CSV structure (e.g. an unterminated quote). */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = "CsvSyntaxError";
  }
}

const QUOTE = 34; // "
const LF = 10;
const CR = 13;

/**
 * Push parser: feed text with `write`, finish with `end`; each complete record is passed to
 * `onRow(fields, line)`. Incomplete trailing records are kept until more text arrives.
 */
export class CsvReader {
  private buf = "";
  private line = 1;
  private first = true;
  private readonly sep: number;
  private readonly ws: boolean;
  private readonly skipEmpty: boolean;

  constructor(
    private readonly onRow: (fields: string[], line: number) => void,
    options: CsvReaderOptions = {},
  ) {
    const d = options.delimiter ?? ",";
    this.ws = d === "whitespace";
    this.sep = this.ws ? -1 : d.charCodeAt(0);
    this.skipEmpty = options.skipEmptyLines ?? true;
  }

  /** Feeds a chunk of text. */
  write(chunk: string): void {
    if (this.first && chunk.length > 0) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      this.first = false;
    }
    this.buf = this.buf.length ? this.buf + chunk : chunk;
    const used = this.parse(false);
    this.buf = used >= this.buf.length ? "" : this.buf.slice(used);
  }

  /** Flushes the last record (a file need not end with a newline). Throws on an open quote. */
  end(): void {
    if (this.buf.length) this.parse(true);
    this.buf = "";
  }

  /** Parses complete records from `buf`; returns how many characters were consumed. */
  private parse(final: boolean): number {
    const s = this.buf;
    const n = s.length;
    let pos = 0;
    while (pos < n) {
      const startLine = this.line;
      const r = this.ws ? this.wsRecord(s, pos, final) : this.record(s, pos, final);
      if (r === null) break; // incomplete: wait for more input
      pos = r.next;
      this.line += r.lines;
      const f = r.fields;
      if (this.skipEmpty && f.length === 1 && f[0].trim() === "" && !r.quoted) continue;
      if (this.ws && f.length === 0) continue;
      this.onRow(f, startLine);
    }
    return pos;
  }

  /** Whitespace-separated record starting at `pos`. */
  private wsRecord(s: string, pos: number, final: boolean): Rec | null {
    const n = s.length;
    let e = pos;
    while (e < n) {
      const c = s.charCodeAt(e);
      if (c === LF || c === CR) break;
      e++;
    }
    if (e >= n && !final) return null;
    if (e < n && s.charCodeAt(e) === CR && e + 1 >= n && !final) return null; // CRLF split across chunks
    const text = s.slice(pos, e);
    const fields = text.trim() === "" ? [] : text.trim().split(/[ \t]+/);
    return { fields, next: skipEol(s, e), lines: 1, quoted: false };
  }

  /** Delimited record (RFC 4180 quoting) starting at `pos`. */
  private record(s: string, pos: number, final: boolean): Rec | null {
    const n = s.length;
    const sep = this.sep;
    const fields: string[] = [];
    let lines = 1;
    let i = pos;
    let quotedAny = false;
    for (;;) {
      // start of a field at i
      if (i < n && s.charCodeAt(i) === QUOTE) {
        quotedAny = true;
        let val = "";
        let j = i + 1;
        let segStart = j;
        for (;;) {
          if (j >= n) {
            if (!final) return null;
            throw new CsvSyntaxError(`line ${this.line}: unterminated quoted field`, this.line);
          }
          const c = s.charCodeAt(j);
          if (c === QUOTE) {
            if (j + 1 < n && s.charCodeAt(j + 1) === QUOTE) {
              val += s.slice(segStart, j + 1);
              j += 2;
              segStart = j;
              continue;
            }
            if (j + 1 >= n && !final) return null; // cannot tell "" from end quote yet
            val += s.slice(segStart, j);
            j++;
            break;
          }
          if (c === LF) lines++;
          else if (c === CR && !(j + 1 < n && s.charCodeAt(j + 1) === LF)) lines++;
          j++;
        }
        // after the closing quote: tolerate stray characters up to the separator (kept verbatim)
        const k = fieldEnd(s, j, sep);
        if (k >= n && !final) return null;
        if (k > j) val += s.slice(j, k);
        fields.push(val);
        i = k;
      } else {
        const k = fieldEnd(s, i, sep);
        if (k >= n && !final) return null;
        fields.push(s.slice(i, k));
        i = k;
      }
      if (i >= n) return { fields, next: n, lines, quoted: quotedAny };
      const c = s.charCodeAt(i);
      if (c === sep) {
        i++;
        if (i >= n) {
          if (!final) return null;
          fields.push("");
          return { fields, next: n, lines, quoted: quotedAny };
        }
        continue;
      }
      // end of line
      if (c === CR && i + 1 >= n && !final) return null;
      return { fields, next: skipEol(s, i), lines, quoted: quotedAny };
    }
  }
}

interface Rec {
  fields: string[];
  next: number;
  lines: number;
  quoted: boolean;
}

/** Index of the separator or line end that ends the unquoted field starting at `i`. */
function fieldEnd(s: string, i: number, sep: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === sep || c === LF || c === CR) break;
    i++;
  }
  return i;
}

function skipEol(s: string, i: number): number {
  if (i >= s.length) return i;
  if (s.charCodeAt(i) === CR) return i + 1 < s.length && s.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
  return i + 1;
}

/**
 * Async iterator over the records of a stream of chunks (strings or UTF-8 bytes, e.g. a Node
 * ReadStream). Yields batches internally, so it is cheap even for millions of rows.
 */
export async function* readCsv(
  chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  options: CsvReaderOptions = {},
): AsyncGenerator<CsvRow> {
  let pending: CsvRow[] = [];
  const reader = new CsvReader((fields, line) => pending.push({ fields, line }), options);
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of chunks as AsyncIterable<string | Uint8Array>) {
    reader.write(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    if (pending.length) {
      const out = pending;
      pending = [];
      yield* out;
    }
  }
  const tail = decoder.decode();
  if (tail) reader.write(tail);
  reader.end();
  yield* pending;
}

/** Parses a whole string (convenience for small inputs and tests). */
export function parseCsv(text: string, options: CsvReaderOptions = {}): CsvRow[] {
  const rows: CsvRow[] = [];
  const r = new CsvReader((fields, line) => rows.push({ fields, line }), options);
  r.write(text);
  r.end();
  return rows;
}

/**
 * Guesses the delimiter from the first non-empty line: "," ";" TAB or "|" if present (the most
 * frequent wins), otherwise "whitespace" when the line splits into several space-separated fields.
 */
export function detectDelimiter(firstLine: string): CsvDelimiter {
  const counts: Array<[CsvDelimiter, number]> = ([",", ";", "\t", "|"] as const).map((d) => [
    d,
    firstLine.split(d).length - 1,
  ]);
  counts.sort((a, b) => b[1] - a[1]);
  if (counts[0][1] > 0) return counts[0][0];
  return /\S\s+\S/.test(firstLine.trim()) ? "whitespace" : ",";
}

// ---------------------------------------------------------------------------------------------
// Value parsing
// ---------------------------------------------------------------------------------------------

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian calendar date (UTC, no time zone). */
export function dayNumber(year: number, month: number, day: number): number {
  return Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

/** The YYYY-MM-DD text of a day number. */
export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

const RE_ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/;
const RE_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * Parses a date into a day number (days since 1970-01-01). Accepts YYYY-MM-DD, YYYYMMDD and ISO
 * date-times ("2014-03-08 00:00:00", "2024-05-01T23:10:00-04:00", "...Z"). For a date-time the
 * calendar date as written is used (the shop-local date of the order; the offset is not applied),
 * so an order is never moved to another day by a time-zone conversion.
 * Throws `CsvValueError` naming the column and line when the text is not a valid date.
 */
export function parseDay(text: string, column: string, line: number): number {
  // Fast path: exactly YYYY-MM-DD or YYYYMMDD (digits checked by charCode, no regex).
  const fast = fastDay(text);
  if (fast !== null) return fast;
  const t = text.trim();
  const m = RE_ISO.exec(t) ?? RE_COMPACT.exec(t);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) {
      if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 60)) {
        throw new CsvValueError(`line ${line}, column "${column}": invalid time in date "${text}"`, column, line);
      }
      return dayNumber(y, mo, d);
    }
  }
  throw new CsvValueError(
    `line ${line}, column "${column}": cannot parse date "${text}" (expected YYYY-MM-DD, YYYYMMDD or an ISO date-time)`,
    column,
    line,
  );
}

function digits(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function fastDay(s: string): number | null {
  let y: number;
  let m: number;
  let d: number;
  if (s.length === 10 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45) {
    y = digits(s, 0, 4);
    m = digits(s, 5, 7);
    d = digits(s, 8, 10);
  } else if (s.length === 8) {
    y = digits(s, 0, 4);
    m = digits(s, 4, 6);
    d = digits(s, 6, 8);
  } else return null;
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 28 + 3) return null;
  if (d > 28 && d > daysInMonth(y, m)) return null;
  return dayNumber(y, m, d);
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const RE_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses a money amount: a plain decimal number, optionally with a leading currency symbol
 * ($ € £ ¥) or thousands separators written as "1,234.50". Negative amounts are allowed
 * (refunds). Throws `CsvValueError` naming the column and line for anything else (empty, "abc",
 * NaN, Infinity).
 */
export function parseAmount(text: string, column: string, line: number): number {
  if (RE_NUMBER.test(text)) {
    const v = Number(text);
    if (Number.isFinite(v)) return v;
  }
  let t = text.trim();
  if (/^[-+]?[$€£¥]/.test(t)) t = t.replace(/[$€£¥]/, "");
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(t)) t = t.replace(/,/g, "");
  if (RE_NUMBER.test(t)) {
    const v = Number(t);
    if (Number.isFinite(v)) return v;
  }
  throw new CsvValueError(
    `line ${line}, column "${column}": cannot parse amount "${text}" (expected a number)`,
    column,
    line,
  );
}

/** Parses a finite number (no currency handling); throws `CsvValueError` naming column and line. */
export function parseNumber(text: string, column: string, line: number): number {
  const t = text.trim();
  if (RE_NUMBER.test(t)) {
    const v = Number(t);
    if (Number.isFinite(v)) return v;
  }
  throw new CsvValueError(`line ${line}, column "${column}": cannot parse number "${text}"`, column, line);
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell. Numbers are written with full precision (non-finite numbers and null/undefined
 * as an empty cell). Text that a spreadsheet would run as a formula (= + - @ TAB CR first) gets a
 * leading apostrophe unless it is a plain number; cells with separators, quotes, line breaks or
 * edge spaces are quoted.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "true" : "false";
  let s = value;
  if (FORMULA_START.test(s) && !RE_NUMBER.test(s)) s = "'" + s;
  if (/[",\r\n;]/.test(s) || s !== s.trim()) s = '"' + s.replace(/"/g, '""') + '"';
  return s;
}

/** One CSV line (without the line terminator). */
export function csvRow(cells: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return cells.map(csvCell).join(",");
}

/** A whole CSV document: header + rows, CRLF-free ("\n" line ends), trailing newline. */
export function formatCsv(
  header: readonly string[],
  rows: Iterable<ReadonlyArray<string | number | boolean | null | undefined>>,
): string {
  const out = [csvRow(header)];
  for (const r of rows) out.push(csvRow(r));
  return out.join("\n") + "\n";
}

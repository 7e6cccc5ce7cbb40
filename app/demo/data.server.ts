/**
 * The bundled demo store: the full CDNOW master transaction log (Fader & Hardie; 23,570 customers,
 * 69,659 purchases, 1997-01-01 – 1998-06-30), gzipped in app/demo/data. Dates are moved forward
 * by a whole number of days so the last purchase falls on yesterday and the store looks current.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { parseTransactionLog, type TransactionRow } from "@horizon/fake-admin";

/** Location of the bundled CDNOW master file. */
export const CDNOW_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "data", "cdnow_master.txt.gz");

const DAY = 86_400_000;

/** Options of `loadDemoTransactions`. */
export interface DemoDataOptions {
  /** Keep only the first N customers (by id), for fast test runs. Default: all 23,570. */
  customers?: number;
  /** "Today" of the demo; the last purchase is moved to the day before. Default: now. */
  today?: Date;
}

/** Loads, optionally subsets, and date-shifts the CDNOW log. */
export function loadDemoTransactions(opts: DemoDataOptions = {}): {
  rows: TransactionRow[];
  shiftDays: number;
  customers: number;
} {
  let rows = parseTransactionLog(gunzipSync(readFileSync(CDNOW_FILE)).toString("utf8"));
  if (opts.customers !== undefined) {
    if (!Number.isInteger(opts.customers) || opts.customers < 1)
      throw new Error(`demo customers must be a positive integer, got ${opts.customers}`);
    const keep = new Set([...new Set(rows.map((r) => r.customerId))].sort().slice(0, opts.customers));
    rows = rows.filter((r) => keep.has(r.customerId));
  }
  const last = rows.reduce((m, r) => Math.max(m, r.date.getTime()), 0);
  const today = Math.floor((opts.today ?? new Date()).getTime() / DAY);
  const shiftDays = today - 1 - Math.floor(last / DAY);
  const shifted = rows.map((r) => ({ ...r, date: new Date(r.date.getTime() + shiftDays * DAY) }));
  return { rows: shifted, shiftDays, customers: new Set(rows.map((r) => r.customerId)).size };
}

/**
 * Admin pages benchmark (issue 5): server time of the Customers page at 100,000 customers on
 * SQLite. A temp database is migrated and seeded with 100k predictions (plus one order each for
 * search), then the page's server work — query-string parsing and `listCustomers` (count, tier
 * list, one sorted/filtered page) — is timed for a mix of realistic requests: first page, a deep
 * page, every sortable column both ways, tier and at-risk filters, search by id and order name.
 * Goal: p95 ≤ 150 ms. Authentication (session-token check) is excluded: it does not depend on
 * the number of customers. The CSV export of the whole base is timed separately.
 */
import type { BenchResult } from "./run";
import { createTestDb } from "../app/db/test-db";
import { seedPredictions } from "../app/services/fixtures";
import { exportCustomersCsv, listCustomers } from "../app/services/customers.server";
import { CUSTOMER_SORT_KEYS, parseCustomerListQuery } from "../app/services/customers-query";

const N = 100_000;
const SHOP = "bench.myshopify.com";

function quantile(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(sorted.length - 1, lo + 1)] ?? sorted[lo]) - sorted[lo]);
}

export async function run(): Promise<BenchResult[]> {
  const t = await createTestDb("sqlite");
  try {
    const seedStart = performance.now();
    await seedPredictions(t.db, SHOP, { n: N, withOrders: true, seed: 7 });
    // A second shop of the same size: every query must stay scoped and fast with neighbours.
    await seedPredictions(t.db, "other.myshopify.com", { n: 20_000, idOffset: 10_000_000, seed: 8 });
    const seedMs = performance.now() - seedStart;

    const queries: string[] = ["", "page=2", "page=1000", "page=2000&pageSize=50", "tier=high", "tier=low&page=50", "atRisk=1", "atRisk=1&tier=high&sort=pAlive", "q=12345", "q=%2350000"];
    for (const k of CUSTOMER_SORT_KEYS) for (const d of ["asc", "desc"]) queries.push(`sort=${k}&direction=${d}`, `sort=${k}&direction=${d}&page=500`);

    // Warm-up (statement cache, page cache), then three timed rounds over the mix.
    for (const q of queries) await listCustomers(t.db, SHOP, parseCustomerListQuery(new URLSearchParams(q)).query);
    const times: number[] = [];
    const perQuery = new Map<string, number>();
    for (let round = 0; round < 3; round++) {
      for (const q of queries) {
        const s = performance.now();
        const page = await listCustomers(t.db, SHOP, parseCustomerListQuery(new URLSearchParams(q)).query);
        const ms = performance.now() - s;
        if (q === "" && page.total !== N) throw new Error(`expected ${N} customers, got ${page.total}`);
        times.push(ms);
        perQuery.set(q, Math.max(perQuery.get(q) ?? 0, ms));
      }
    }
    times.sort((a, b) => a - b);
    const slowest = [...perQuery.entries()].sort((a, b) => b[1] - a[1])[0];

    const exportStart = performance.now();
    let bytes = 0;
    for await (const chunk of exportCustomersCsv(t.db, SHOP, parseCustomerListQuery(new URLSearchParams("")).query)) bytes += chunk.length;
    const exportMs = performance.now() - exportStart;

    const p95 = quantile(times, 0.95);
    return [
      { name: "customers page server time p95 (100k customers, SQLite)", value: p95, unit: "ms", goal: "<= 150 ms", pass: p95 <= 150, note: `${times.length} requests, ${queries.length} query shapes` },
      { name: "customers page server time p50 (100k customers, SQLite)", value: quantile(times, 0.5), unit: "ms" },
      { name: "customers page slowest query shape (max)", value: slowest[1], unit: "ms", note: slowest[0] || "(default)" },
      { name: "customers CSV export, all 100k rows", value: exportMs, unit: "ms", note: `${(bytes / 1e6).toFixed(1)} MB` },
      { name: "seed 120k predictions + 100k orders (setup)", value: seedMs, unit: "ms" },
    ];
  } finally {
    await t.destroy();
  }
}

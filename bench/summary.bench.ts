/**
 * Summary and metrics benchmarks (issue 2: "summaries from 1M transaction rows in a few seconds").
 *
 * Data: 1,000,000 transaction rows from the engine's seeded simulator (`simulateTransactions`,
 * BG/NBD purchase process with the CDNOW parameters in weeks, Gamma-Gamma amounts, one year of
 * acquisition, two years of history), customer ids as strings.
 *
 * Measures (median of 3 unless noted):
 *  - SummaryBuilder: add 1M rows + build, in generator order (sorted by customer, day) and shuffled;
 *  - memory held by the builder with 1M rows and by its result (heap + array buffers, after GC when
 *    node runs with --expose-gc; otherwise a conservative upper bound), and the process's peak RSS;
 *  - CSV text → rows for the same 1M rows (the CLI's reading path, without disk I/O);
 *  - evaluate() (Gini, Spearman, deciles, MAE, …) on 1M customers.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { BenchResult } from "./run";
import { CsvReader, formatDay } from "../app/clv/csv";
import { evaluate } from "../app/clv/metrics";
import { Rng } from "../app/clv/rng";
import { simulateTransactions } from "../app/clv/simulate";
import { SummaryBuilder } from "../app/clv/summary";

const ROWS = 1_000_000;
const START = 9862; // 1997-01-01
const END = START + 729;
const CAL_END = START + 546;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Full GC: node's --expose-gc turned on at run time (so `npm run bench` needs no flags). */
function gc(): boolean {
  try {
    setFlagsFromString("--expose-gc");
    (runInNewContext("gc") as () => void)();
    return true;
  } catch {
    return false;
  }
}

/** GC twice with a pause so freed array-buffer backing stores are really released. */
async function settle(): Promise<boolean> {
  const ok = gc();
  await new Promise((r) => setTimeout(r, 50));
  gc();
  return ok;
}

function memNow(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** 1M rows: customer id strings, days and amounts (exactly ROWS rows). */
function makeRows() {
  const sim = simulateTransactions({
    customers: 420_000,
    seed: 42,
    process: { model: "bgnbd", r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
    spend: { p: 6.25, q: 3.74, v: 15.44 },
    startDay: START,
    acquisitionDays: 365,
    endDay: END,
  });
  if (sim.rows < ROWS) throw new Error(`simulator produced only ${sim.rows} rows; raise the customer count`);
  const names: string[] = [];
  const ids: string[] = new Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    const c = sim.customer[i];
    ids[i] = names[c] ??= `cust-${c}`;
  }
  return { ids, day: sim.day.slice(0, ROWS), amount: sim.amount.slice(0, ROWS), customers: sim.customer[ROWS - 1] + 1 };
}

function buildOnce(ids: string[], day: Int32Array, amount: Float64Array, order: Uint32Array | null) {
  const t0 = performance.now();
  const b = new SummaryBuilder({ calibrationEnd: CAL_END, holdoutEnd: END, unit: "week" });
  if (order) for (let k = 0; k < ROWS; k++) {
    const i = order[k];
    b.add(ids[i], day[i], amount[i]);
  }
  else for (let i = 0; i < ROWS; i++) b.add(ids[i], day[i], amount[i]);
  const tAdd = performance.now();
  const s = b.build();
  return { ms: performance.now() - t0, addMs: tAdd - t0, builder: b, summary: s };
}

export async function run(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const tGen = performance.now();
  const { ids, day, amount, customers } = makeRows();
  const genMs = performance.now() - tGen;

  // Sorted input (generator order) and shuffled input.
  const sorted: number[] = [];
  const addMs: number[] = [];
  let last: ReturnType<typeof buildOnce> | null = null;
  for (let k = 0; k < 3; k++) {
    last = buildOnce(ids, day, amount, null);
    sorted.push(last.ms);
    addMs.push(last.addMs);
  }
  const rng = new Rng(7);
  const perm = new Uint32Array(ROWS);
  for (let i = 0; i < ROWS; i++) perm[i] = i;
  for (let i = ROWS - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  const shuffled: number[] = [];
  for (let k = 0; k < 3; k++) shuffled.push(buildOnce(ids, day, amount, perm).ms);
  const s = last!.summary;
  results.push(
    { name: "summary: 1M rows sorted → summaries (add + build)", value: median(sorted), unit: "ms", goal: "<= 3000 ms", pass: median(sorted) <= 3000, note: `${customers} customers kept ${s.customerIds.length}; add ${median(addMs).toFixed(0)} ms; generator ${genMs.toFixed(0)} ms` },
    { name: "summary: 1M rows shuffled → summaries", value: median(shuffled), unit: "ms", goal: "<= 3000 ms", pass: median(shuffled) <= 3000 },
  );

  // Memory: builder holding 1M rows, then its result.
  last = null;
  const exact = await settle();
  const before = memNow();
  const b = new SummaryBuilder({ calibrationEnd: CAL_END, holdoutEnd: END, unit: "week" });
  for (let i = 0; i < ROWS; i++) b.add(ids[i], day[i], amount[i]);
  await settle();
  const afterAdd = memNow();
  const summary = b.build();
  await settle();
  const afterBuild = memNow();
  const mb = (v: number) => v / 2 ** 20;
  results.push(
    { name: "summary: memory held by builder with 1M rows", value: mb(afterAdd - before), unit: "MiB", goal: "<= 300 MiB", pass: mb(afterAdd - before) <= 300, note: exact ? "heap + array buffers, after GC" : "GC unavailable: includes garbage" },
    { name: "summary: memory after build (builder + summaries)", value: mb(afterBuild - before), unit: "MiB", goal: "<= 300 MiB", pass: mb(afterBuild - before) <= 300 },
  );

  // CSV text → rows (the CLI's parse path; text built in memory, parsed in 1 MiB chunks).
  const lines = ["customer,date,amount"];
  for (let i = 0; i < ROWS; i++) lines.push(`${ids[i]},${formatDay(day[i])},${amount[i]}`);
  const text = lines.join("\n") + "\n";
  lines.length = 0;
  const parseMs: number[] = [];
  for (let k = 0; k < 3; k++) {
    let count = 0;
    const t0 = performance.now();
    const r = new CsvReader(() => void count++);
    for (let i = 0; i < text.length; i += 1 << 20) r.write(text.slice(i, i + (1 << 20)));
    r.end();
    parseMs.push(performance.now() - t0);
    if (count !== ROWS + 1) throw new Error(`CSV parse saw ${count} rows`);
  }
  results.push({ name: "csv: parse 1M rows (28 MB text, 1 MiB chunks)", value: median(parseMs), unit: "ms", note: `${(text.length / 2 ** 20).toFixed(1)} MiB` });

  // Metrics on 1M customers.
  const n = 1_000_000;
  const mr = new Rng(3);
  const actual = new Float64Array(n);
  const pred = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    actual[i] = mr.uniform() < 0.7 ? 0 : mr.gamma(2) * 40;
    pred[i] = actual[i] * 0.4 + mr.gamma(1) * 20;
  }
  const evalMs: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    evaluate(pred, actual);
    evalMs.push(performance.now() - t0);
  }
  results.push({ name: "metrics: evaluate() on 1M customers (all metrics)", value: median(evalMs), unit: "ms", goal: "<= 1000 ms", pass: median(evalMs) <= 1000 });

  results.push({ name: "process peak RSS during the suite", value: process.resourceUsage().maxRSS / 1024, unit: "MiB", note: `summaries kept ${summary.customerIds.length}` });
  return results;
}

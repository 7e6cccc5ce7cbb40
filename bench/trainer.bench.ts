/**
 * Trainer benchmarks (`npm run bench -- trainer`):
 * 1. Backtest quality on public datasets with a temporal holdout (every candidate's Gini, decile
 *    MAPE, Spearman, MAE beside BTYD×GG and past spend): CDNOW master (calibration to 1997-09-30,
 *    39-week holdout), Complete Journey sample, CLVTools apparel. Datasets are read from
 *    $HORIZON_DATASETS (default ../shared/datasets next to the repository); missing files are
 *    reported as skipped.
 * 2. Training time: full backtest + final fit for 100,000 synthetic customers with 24-month
 *    sequences on the wasm backend (goal < 60 s), with wall and CPU time per stage, what the wasm
 *    backend reports (SIMD, threads), and the slowest final fit (an ensemble champion with DNN +
 *    LSTM; the synthetic shop's own champion is BTYD). Set TRAINER_BENCH_ONLY=quality|time to run one part.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchResult } from "./run";
import { loadavg } from "node:os";
import { initTf, tf } from "../app/training/tf";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import { buildOrderTable, type OrderRecord } from "../app/training/orders";
import { planWindows, runBacktest } from "../app/training/backtest";
import { parseApparel, parseCdnowMaster, parseCompleteJourney } from "../app/training/datasets";
import { syntheticShopOrders } from "../app/training/synthetic";
import { trainShop } from "../app/training/pipeline";
import { finalFitAndScore } from "../app/training/score";

const here = path.dirname(fileURLToPath(import.meta.url));
const DATA = process.env.HORIZON_DATASETS ?? path.resolve(here, "../../shared/datasets");

const DATASETS: Array<{
  key: string;
  file: string;
  parse: (t: string) => OrderRecord[];
  horizonDays?: number;
  asOf?: number;
}> = [
  {
    key: "cdnow",
    file: "CDNOW_master.txt",
    parse: parseCdnowMaster,
    horizonDays: 273,
    asOf: Date.UTC(1998, 5, 30, 23, 59, 59, 999),
  },
  { key: "completejourney", file: "completejourney_transactions_sample.csv", parse: parseCompleteJourney },
  { key: "apparel", file: "clvtools_apparelTrans.csv", parse: parseApparel },
];

async function quality(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const pick = process.env.TRAINER_BENCH_DATASETS?.split(",");
  for (const d of DATASETS.filter((x) => !pick || pick.includes(x.key))) {
    const file = path.join(DATA, d.file);
    if (!existsSync(file)) {
      out.push({ name: `${d.key}: skipped`, value: 0, unit: "", note: `${file} not found` });
      continue;
    }
    const tab = buildOrderTable(d.parse(readFileSync(file, "utf8")));
    const plan = planWindows(tab, { horizonDays: d.horizonDays, asOf: d.asOf, minCustomers: 100, minRepeatBuyers: 20 });
    if ("fallback" in plan) {
      out.push({ name: `${d.key}: fallback`, value: 0, unit: "", note: plan.reason });
      continue;
    }
    const t0 = Date.now();
    const bt = await runBacktest(tab, plan, {});
    for (const t of Object.values(bt.fitted.deep)) t?.model.dispose();
    const ms = Date.now() - t0;
    const m = bt.metrics;
    const ref = Math.max(m.btyd?.gini ?? -1, m.baseline?.gini ?? -1);
    const note = `eval ${new Date(plan.evalCutoff).toISOString().slice(0, 10)} +${plan.horizonDays}d, train labels ${plan.trainDays}d, ${bt.evalCustomers} customers`;
    for (const [name, mm] of Object.entries(m)) {
      if (!mm) {
        out.push({ name: `${d.key} ${name}: diverged`, value: Number.NaN, unit: "" });
        continue;
      }
      out.push({ name: `${d.key} ${name} gini`, value: mm.gini, unit: "", note: name === "dnn" ? note : undefined });
      out.push({ name: `${d.key} ${name} decile MAPE`, value: mm.decileMape, unit: "" });
      out.push({ name: `${d.key} ${name} spearman`, value: mm.spearman, unit: "" });
      out.push({ name: `${d.key} ${name} MAE`, value: mm.mae, unit: "" });
    }
    // The served champion is never worse than past spend on the evaluation fold (the champion rule
    // serves past spend itself unless a model beats it); its Gini must reach past spend's.
    const champ = bt.champion ? m[bt.champion] : null;
    const bar = m.baseline?.gini ?? -1;
    out.push({
      name: `${d.key} champion (${bt.champion ?? "none"}) gini vs past spend`,
      value: champ?.gini ?? Number.NaN,
      unit: "",
      goal: `>= ${bar.toFixed(3)}`,
      pass: !!champ && champ.gini >= bar,
      note: `${bt.reason}; BTYD ${(m.btyd?.gini ?? Number.NaN).toFixed(3)}; max of both ${ref.toFixed(3)}`,
    });
    out.push({ name: `${d.key} backtest time`, value: ms, unit: "ms" });
  }
  return out;
}

/** Wall and CPU time per training stage, from the pipeline's onStage hook (backtest vs final fit). */
function stageProfiler() {
  const rows: Array<{ stage: string; wallMs: number; cpuMs: number }> = [];
  let phase = "backtest",
    cur = "",
    t = Date.now(),
    c = process.cpuUsage();
  const close = () => {
    if (cur) {
      const d = process.cpuUsage(c);
      rows.push({ stage: `${phase}: ${cur}`, wallMs: Date.now() - t, cpuMs: Math.round((d.user + d.system) / 1000) });
    }
    t = Date.now();
    c = process.cpuUsage();
  };
  return {
    rows,
    close,
    onStage: (s: string) => {
      close();
      if (s === "final features") phase = "final";
      cur = s;
    },
  };
}

const settings = { horizonMonths: 12, annualDiscountRate: 0.1, grossMargin: 0.3 };

/**
 * The synthetic shop's champion is BTYD (its orders are simulated from BG/NBD × Gamma-Gamma), so
 * trainShop's final fit trains no deep model. This measures the slowest final fit — an ensemble
 * champion with DNN, LSTM and BTYD components (weights fixed here, not selected) — after its own
 * backtest (not timed), with the same reuse of the backtest as trainShop.
 */
async function deepChampionFinalFit(
  orders: OrderRecord[],
  s: typeof settings,
): Promise<{ wallMs: number; cpuMs: number; epochs: string; stages: ReturnType<typeof stageProfiler>["rows"] }> {
  const tab = buildOrderTable(orders);
  const plan = planWindows(tab, {});
  if ("fallback" in plan) throw new Error(plan.reason);
  const bt = await runBacktest(tab, plan, {});
  const bestEpochs = { dnn: bt.fitted.deep.dnn!.bestEpoch, lstm: bt.fitted.deep.lstm!.bestEpoch };
  for (const t of Object.values(bt.fitted.deep)) t?.model.dispose();
  const prof = stageProfiler();
  const t0 = Date.now(),
    c0 = process.cpuUsage();
  const fin = await finalFitAndScore(
    tab,
    plan,
    "ensemble",
    { dnn: 0.4, lstm: 0.3, btyd: 0.3 },
    { hooks: { onStage: prof.onStage } },
    s,
    undefined,
    { train: bt.evalFeatures, yTrain: bt.yEval, bestEpochs },
  );
  const c = process.cpuUsage(c0);
  prof.close();
  if (fin.diverged) throw new Error("forced ensemble final fit diverged");
  return {
    wallMs: Date.now() - t0,
    cpuMs: Math.round((c.user + c.system) / 1000),
    epochs: `final epochs dnn ${bestEpochs.dnn}, lstm ${bestEpochs.lstm}`,
    stages: prof.rows,
  };
}

async function timing(): Promise<BenchResult[]> {
  const orders = syntheticShopOrders({ customers: 100_000, seed: 2024, days: 900 });
  const prof = stageProfiler();
  const t0 = Date.now();
  const c0 = process.cpuUsage();
  const r = await trainShop(orders, { settings, hooks: { onStage: prof.onStage } });
  prof.close();
  const total = Date.now() - t0;
  const c = process.cpuUsage(c0);
  const cpuMs = Math.round((c.user + c.system) / 1000);
  const note = `${orders.length} orders, status ${r.status}, champion ${r.champion}, backend ${r.backend} (${await wasmInfo()})`;
  const deep = Object.entries(r.backtest?.metrics ?? {})
    .filter(([, m]) => m?.note)
    .map(([k, m]) => `${k}: ${m!.note}`)
    .join("; ");
  const worst = await deepChampionFinalFit(orders, settings);
  return [
    {
      name: "100k customers × 24 months: backtest (7 candidates: dnn, lstm, btyd, baseline, ensemble, linear, gbt)",
      value: r.timings.backtestMs,
      unit: "ms",
      note: `${note}; ${deep}`,
    },
    { name: "100k customers: final fit + scoring + drivers", value: r.timings.finalMs, unit: "ms" },
    ...prof.rows.flatMap((s) => [
      { name: `  stage ${s.stage} (wall)`, value: s.wallMs, unit: "ms", note: `CPU ${s.cpuMs} ms` },
    ]),
    {
      name: "100k customers: final fit + scoring, DNN+LSTM+BTYD ensemble champion (wall)",
      value: worst.wallMs,
      unit: "ms",
      note: `CPU ${worst.cpuMs} ms, ${worst.epochs}`,
    },
    ...worst.stages.map((s) => ({
      name: `  stage ensemble champion ${s.stage} (wall)`,
      value: s.wallMs,
      unit: "ms",
      note: `CPU ${s.cpuMs} ms`,
    })),
    {
      name: "100k customers: backtest + that final fit (wall)",
      value: r.timings.backtestMs + worst.wallMs,
      unit: "ms",
      goal: "<= 60000 ms",
      pass: r.timings.backtestMs + worst.wallMs <= 60_000,
    },
    {
      name: "100k customers: full training run (wall)",
      value: total,
      unit: "ms",
      goal: "<= 60000 ms",
      pass: total <= 60_000,
      note: `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}`,
    },
    // Only the wasm kernels can use a second thread: CPU time ≈ wall time on an otherwise idle machine.
    {
      name: "100k customers: full training run (CPU time of this process)",
      value: cpuMs,
      unit: "ms",
      note: "robust to other load on the 2 shared cores",
    },
  ];
}

/** The wasm backend's thread count and SIMD use (tf.js disables wasm multi-threading under Node). */
async function wasmInfo(): Promise<string> {
  if (tf.getBackend() !== "wasm") return "not wasm";
  const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  const mt = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
  return `wasm SIMD ${simd ? "yes" : "no"}, multi-threading ${mt ? "yes" : "no"}, threads ${getThreadsCount()}`;
}

export async function run(): Promise<BenchResult[]> {
  await initTf();
  const only = process.env.TRAINER_BENCH_ONLY;
  return [...(only === "time" ? [] : await quality()), ...(only === "quality" ? [] : await timing())];
}

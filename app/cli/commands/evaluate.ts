/**
 * `horizon-clv evaluate`: builds calibration/holdout summaries from a transaction file, fits the
 * models on the calibration period, predicts each customer's holdout spend and scores every model
 * and the past-spend baseline with the same metrics (Gini, Spearman, decile MAPE, MAE, RMSE,
 * totals, top-decile capture).
 *
 * Models (--models, comma-separated; default btyd,pnbd,baseline):
 *   btyd     BG/NBD expected holdout purchases × Gamma-Gamma E[M | x, m]
 *   pnbd     Pareto/NBD expected holdout purchases × Gamma-Gamma E[M | x, m]
 *   mbgnbd   Modified BG/NBD × Gamma-Gamma
 *   baseline past spend (calibration total, first purchase included) × holdout / calibration window
 *   dnn, lstm, ensemble   the trainer's deep models (app/training/evaluate-deep.ts)
 *   linear, gbt           the model zoo's spend models (app/training/zoo.ts), same hook
 */
import { pastSpendBaseline } from "~/clv/baseline";
import { formatDay, parseDay } from "~/clv/csv";
import { evaluate, mae, rmse, totalError, type EvaluationMetrics } from "~/clv/metrics";
import { expectedPurchasesFor } from "~/clv/clv";
import type { FittedModel } from "~/clv/estimators/types";
import type { PurchasePeriod, TimeUnit } from "~/clv/summary";
import { dayFlag, helpText, parseFlags, type FlagSpecs, type ParsedFlags } from "../args";
import { DEEP_MODELS, runDeepEvaluation, type DeepModelName } from "../deep-hook";
import { DataError, EXIT, UsageError, type CliIO } from "../io";
import { convergenceWarning, fitSpend, fitTransaction, type TransactionModel } from "../pipeline";
import { loadTransactions, type InputFormat, type TransactionSource } from "../transactions";
import { fmt } from "./fit";

export const TX_FLAGS: FlagSpecs = {
  input: {
    type: "string",
    value: "FILE",
    required: true,
    description: "transactions: CSV with a header, or whitespace-separated without one (CDNOW)",
  },
  customer: { type: "string", value: "COL", description: "customer id column (header name or 1-based number)" },
  date: { type: "string", value: "COL", description: "order date column (YYYY-MM-DD, YYYYMMDD or ISO date-time)" },
  amount: { type: "string", value: "COL", description: "order amount column (negative = refund)" },
  format: {
    type: "string",
    value: "FMT",
    description: "auto (default) | csv | cdnow (whitespace, no header; defaults customer 1, date n-2, amount n)",
  },
  unit: { type: "string", value: "UNIT", description: "time unit of the models: week (default) | day" },
  period: {
    type: "string",
    value: "P",
    description:
      "what counts as one purchase: day (default: same-day orders merge) | calendar-week (Mon–Sun, needs --unit week)",
  },
  penalizer: { type: "number", value: "X", description: "L2 penalty for the fits (default 0)" },
  json: { type: "boolean", description: "print one JSON object" },
};

/** The transaction file named by the TX_FLAGS of a command line. */
export function txSource(f: ParsedFlags, requireAmount: boolean): TransactionSource {
  return {
    input: String(f.input),
    customer: f.customer as string | undefined,
    date: f.date as string | undefined,
    amount: f.amount as string | undefined,
    format: f.format as InputFormat | undefined,
    requireAmount,
  };
}

const FLAGS: FlagSpecs = {
  ...TX_FLAGS,
  "calibration-end": {
    type: "string",
    value: "YYYY-MM-DD",
    required: true,
    description: "last day of the calibration period",
  },
  "holdout-end": { type: "string", value: "YYYY-MM-DD", required: true, description: "last day of the holdout period" },
  models: {
    type: "string",
    value: "LIST",
    description: "btyd,pnbd,mbgnbd,baseline,dnn,lstm,ensemble,linear,gbt (default btyd,pnbd,baseline)",
  },
  seed: { type: "number", value: "N", description: "seed for the deep models (default 1)" },
};

export const help = helpText(
  "horizon-clv evaluate --input FILE --customer COL --date COL --amount COL --calibration-end YYYY-MM-DD --holdout-end YYYY-MM-DD [--unit day|week] [--models LIST] [--json]",
  "Fits the models on the calibration period and scores predicted holdout spend against the actual holdout spend, beside the past-spend baseline.",
  FLAGS,
);

const ENGINE_MODELS = ["btyd", "pnbd", "mbgnbd", "baseline"] as const;
const MODEL_NAMES: Record<string, string> = {
  btyd: "bgnbd+gg",
  pnbd: "pnbd+gg",
  mbgnbd: "mbgnbd+gg",
  baseline: "past-spend",
};

/** One model's line in the JSON output. */
export interface ModelResult {
  name: string;
  gini: number | null;
  spearman: number | null;
  decileMape: number | null;
  mae: number;
  rmse: number;
  predictedTotal: number;
  actualTotal: number;
  topDecileCapture: number | null;
  deciles: Array<{
    bucket: number;
    count: number;
    labelMean: number | null;
    predMean: number | null;
    decileMape: number | null;
  }>;
  decileMethod: "qcut" | "rank";
  /** Transaction models: predicted vs actual holdout purchase counts (docs/reference/clv-engine.md §2.4). */
  purchases?: { predictedTotal: number; actualTotal: number; mae: number; rmse: number };
  /** Deep models: the scale factor fitted on their validation rows and applied to their predictions. */
  calibrationScale?: number;
  params?: Record<string, number>;
  converged?: boolean;
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

function toResult(name: string, m: EvaluationMetrics, fits: FittedModel[] = []): ModelResult {
  const r: ModelResult = {
    name,
    gini: finite(m.gini),
    spearman: finite(m.spearman),
    decileMape: finite(m.decileMape),
    mae: m.mae,
    rmse: m.rmse,
    predictedTotal: m.predictedTotal,
    actualTotal: m.actualTotal,
    topDecileCapture: finite(m.topDecileCapture),
    deciles: m.deciles.rows.map((d) => ({
      bucket: d.bucket,
      count: d.count,
      labelMean: finite(d.labelMean),
      predMean: finite(d.predMean),
      decileMape: finite(d.decileMape),
    })),
    decileMethod: m.deciles.method,
  };
  if (fits.length) {
    r.params = Object.assign({}, ...fits.map((f) => f.params));
    r.converged = fits.every((f) => f.diagnostics.converged);
  }
  return r;
}

/** Parses --models into engine and deep model lists (validated). */
export function parseModels(value: string | undefined): { engine: string[]; deep: DeepModelName[] } {
  const list = (value ?? "btyd,pnbd,baseline")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0) throw new UsageError("--models is empty");
  const engine: string[] = [];
  const deep: DeepModelName[] = [];
  for (const m of list) {
    if ((ENGINE_MODELS as readonly string[]).includes(m)) engine.push(m);
    else if ((DEEP_MODELS as readonly string[]).includes(m)) deep.push(m as DeepModelName);
    else
      throw new UsageError(
        `unknown model "${m}" in --models (known: ${[...ENGINE_MODELS, ...DEEP_MODELS].join(", ")})`,
      );
  }
  return { engine: [...new Set(engine)], deep: [...new Set(deep)] };
}

/** Validates --period. */
export function periodFlag(v: unknown): PurchasePeriod {
  const p = (v ?? "day") as string;
  if (p !== "day" && p !== "calendar-week") throw new UsageError(`--period must be day or calendar-week, got "${p}"`);
  return p;
}

/** Validates --unit. */
export function unitFlag(v: unknown): TimeUnit {
  const u = (v ?? "week") as string;
  if (u !== "day" && u !== "week") throw new UsageError(`--unit must be day or week, got "${u}"`);
  return u;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const tStart = performance.now();
  const f = parseFlags(argv, FLAGS);
  const calibrationEnd = dayFlag("calibration-end", f["calibration-end"], (t) => parseDay(t, "calibration-end", 0))!;
  const holdoutEnd = dayFlag("holdout-end", f["holdout-end"], (t) => parseDay(t, "holdout-end", 0))!;
  if (holdoutEnd <= calibrationEnd) throw new UsageError("--holdout-end must be after --calibration-end");
  const unit = unitFlag(f.unit);
  const models = parseModels(f.models as string | undefined);
  const penalizer = (f.penalizer as number | undefined) ?? 0;

  const loaded = await loadTransactions(
    txSource(f, true),
    { calibrationEnd, holdoutEnd, unit, period: periodFlag(f.period) },
    models.deep.length > 0,
  );
  const s = loaded.summary;
  if (s.customerIds.length < 2)
    throw new DataError(`only ${s.customerIds.length} customer(s) purchased by --calibration-end; nothing to evaluate`);
  const timingsMs: Record<string, number> = { read: loaded.readMs, summary: loaded.summaryMs };
  const warnings: string[] = [];
  const actual = s.holdoutSpend;
  const h = s.holdoutLength;
  const results: ModelResult[] = [];

  const needsSpend = models.engine.some((m) => m !== "baseline");
  let spend: ReturnType<typeof fitSpend> | null = null;
  let spendError: string | null = null;
  if (needsSpend) {
    // Without a usable spend model the BTYD×GG models are skipped (with a warning), not the run.
    try {
      spend = fitSpend(s, { penalizer });
    } catch (e) {
      if (!(e instanceof DataError) || !models.engine.includes("baseline")) throw e;
      spendError = e.message;
      warnings.push(`spend-based models skipped: ${e.message}`);
    }
  }
  if (spend) {
    timingsMs.fitGg = spend.ms;
    const w = convergenceWarning("gamma-gamma", spend.fitted);
    if (w) warnings.push(w);
  }
  for (const m of models.engine) {
    if (m === "baseline") {
      const t0 = performance.now();
      const pred = pastSpendBaseline(s, { horizon: h });
      const met = evaluate(pred, actual);
      timingsMs.baseline = performance.now() - t0;
      results.push(toResult(MODEL_NAMES[m], met));
      continue;
    }
    if (spendError) continue;
    const tm: TransactionModel = m === "btyd" ? "bgnbd" : (m as TransactionModel);
    const { fitted, ms } = fitTransaction(tm, s, { penalizer });
    timingsMs[`fit_${tm}`] = ms;
    const w = convergenceWarning(tm, fitted);
    if (w) warnings.push(w);
    const t0 = performance.now();
    const orders = expectedPurchasesFor(fitted, s.frequency, s.recency, s.T)(h);
    const pred = new Float64Array(orders.length);
    for (let i = 0; i < pred.length; i++) pred[i] = orders[i] * spend!.expectedSpend[i];
    timingsMs[`score_${tm}`] = performance.now() - t0;
    const t1 = performance.now();
    const met = evaluate(pred, actual);
    timingsMs[`metrics_${tm}`] = performance.now() - t1;
    const r = toResult(MODEL_NAMES[m], met, [fitted, spend!.fitted]);
    const t = totalError(orders, s.holdoutFrequency);
    r.purchases = {
      predictedTotal: t.predictedTotal,
      actualTotal: t.actualTotal,
      mae: mae(orders, s.holdoutFrequency),
      rmse: rmse(orders, s.holdoutFrequency),
    };
    results.push(r);
  }
  if (models.deep.length) {
    const t0 = performance.now();
    // Only calibration rows are handed over, so the deep models cannot see the holdout.
    const raw = loaded.raw!;
    const keep: number[] = [];
    for (let i = 0; i < raw.days.length; i++) if (raw.days[i] <= calibrationEnd) keep.push(i);
    const deep = await runDeepEvaluation({
      models: models.deep,
      transactions: {
        customerIds: keep.map((i) => raw.customerIds[i]),
        days: Int32Array.from(keep, (i) => raw.days[i]),
        amounts: Float64Array.from(keep, (i) => raw.amounts[i]),
      },
      calibrationEnd,
      holdoutEnd,
      customerIds: s.customerIds,
      seed: (f.seed as number | undefined) ?? 1,
    });
    timingsMs.deep = performance.now() - t0;
    for (const d of deep)
      results.push({ ...toResult(d.name, evaluate(d.predictions, actual)), calibrationScale: d.calibrationScale });
  }
  timingsMs.total = performance.now() - tStart;

  const out = {
    customers: s.customerIds.length,
    calibrationEnd: formatDay(calibrationEnd),
    holdoutEnd: formatDay(holdoutEnd),
    unit,
    holdoutLength: h,
    rows: loaded.rows,
    excludedCustomers: s.stats.customersExcluded,
    models: results,
    warnings,
    timingsMs,
  };
  if (f.json) io.stdout(JSON.stringify(out) + "\n");
  else io.stdout(renderText(out));
  for (const w of warnings) io.stderr(`warning: ${w}\n`);
  return EXIT.ok;
}

function renderText(o: {
  customers: number;
  calibrationEnd: string;
  holdoutEnd: string;
  unit: string;
  holdoutLength: number;
  models: ModelResult[];
  timingsMs: Record<string, number>;
}): string {
  const lines = [
    `${o.customers} customers; calibration to ${o.calibrationEnd}, holdout to ${o.holdoutEnd} (${fmt(o.holdoutLength, 2)} ${o.unit}s)`,
    "",
    `${"model".padEnd(12)} ${"Gini".padStart(8)} ${"Spearman".padStart(9)} ${"decMAPE".padStart(8)} ${"MAE".padStart(10)} ${"RMSE".padStart(10)} ${"predicted".padStart(12)} ${"actual".padStart(12)} ${"top10%".padStart(7)}`,
  ];
  for (const m of o.models) {
    lines.push(
      `${m.name.padEnd(12)} ${fmt(m.gini, 4).padStart(8)} ${fmt(m.spearman, 4).padStart(9)} ${fmt(m.decileMape, 4).padStart(8)} ${fmt(m.mae, 2).padStart(10)} ${fmt(m.rmse, 2).padStart(10)} ${fmt(m.predictedTotal, 2).padStart(12)} ${fmt(m.actualTotal, 2).padStart(12)} ${fmt(m.topDecileCapture, 3).padStart(7)}`,
    );
  }
  const counts = o.models.filter((m) => m.purchases);
  if (counts.length) {
    lines.push(
      "",
      "holdout purchases (counts): " +
        counts
          .map(
            (m) =>
              `${m.name} predicted ${fmt(m.purchases!.predictedTotal, 2)} vs ${fmt(m.purchases!.actualTotal, 0)} actual, MAE ${fmt(m.purchases!.mae, 4)}`,
          )
          .join("; "),
    );
  }
  lines.push(
    "",
    "timings (ms): " +
      Object.entries(o.timingsMs)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join(", "),
  );
  return lines.join("\n") + "\n";
}

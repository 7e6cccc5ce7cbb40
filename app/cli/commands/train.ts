/**
 * `horizon-clv train`: the in-app trainer from a transaction file. Backtests every candidate
 * (DNN-ZILN, LSTM-ZILN, BTYD×Gamma-Gamma, past spend, ensemble) on the shop's own history, picks
 * the champion by the documented rule (app/training/backtest.ts), retrains it on all data up to
 * --cutoff and writes the model artefact (no customer data) and, optionally, per-customer scores.
 */
import { csvRow, formatDay, parseDay } from "~/clv/csv";
import { dayFlag, helpText, parseFlags, type FlagSpecs } from "../args";
import { DataError, EXIT, UsageError, writeFileAtomic, type CliIO } from "../io";
import { loadTransactions } from "../transactions";
import { TX_FLAGS, txSource } from "./evaluate";
import { ordersFromTransactions } from "~/training/orders";
import { trainShop } from "~/training/pipeline";
import { endOfDay } from "~/training/backtest";
import { ALL_CANDIDATES, type CandidateName } from "~/training/candidates";

const DAY = 86_400_000;

const FLAGS: FlagSpecs = {
  input: TX_FLAGS.input,
  customer: TX_FLAGS.customer,
  date: TX_FLAGS.date,
  amount: { ...TX_FLAGS.amount, required: true },
  format: TX_FLAGS.format,
  cutoff: {
    type: "string",
    value: "YYYY-MM-DD",
    description: "end of the history used (default: the last date in the file); later rows are ignored",
  },
  "horizon-days": {
    type: "number",
    value: "N",
    description: "backtest/label horizon in days (default 365; shortened for short histories)",
  },
  "horizon-months": { type: "number", value: "N", description: "CLV horizon in months (default 12)" },
  margin: { type: "number", value: "X", description: "gross margin in (0, 1] (default 1: CLV as revenue)" },
  "annual-discount": { type: "number", value: "X", description: "annual discount rate (default 0.1)" },
  models: { type: "string", value: "LIST", description: `candidates (default ${ALL_CANDIDATES.join(",")})` },
  epochs: {
    type: "number",
    value: "N",
    description: "max epochs of the deep models (default: DNN 30, LSTM 12; early stopping)",
  },
  seed: { type: "number", value: "N", description: "seed of the deep models (default 42)" },
  out: {
    type: "string",
    value: "FILE.json",
    description: "model artefact (weights, feature spec, metrics; no customer data)",
  },
  scores: {
    type: "string",
    value: "FILE.csv",
    description: "per-customer CLV, interval, P(alive), expected orders, tier, drivers",
  },
  json: { type: "boolean", description: "print one JSON object" },
};

export const help = helpText(
  "horizon-clv train --input FILE --customer COL --date COL --amount COL [--cutoff YYYY-MM-DD] [--out model.json] [--scores scores.csv]",
  "Backtests the deep and probabilistic models on the file's own history, picks a champion that must beat past spend, retrains it and saves it.",
  FLAGS,
);

function num(v: unknown, name: string, ok: (x: number) => boolean, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !ok(v)) throw new UsageError(`--${name}: invalid value ${String(v)}`);
  return v;
}

/** Runs the command; returns the exit code. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const f = parseFlags(argv, FLAGS);
  const cutoffDay = dayFlag("cutoff", f.cutoff, (t) => parseDay(t, "cutoff", 0));
  const models =
    f.models === undefined
      ? [...ALL_CANDIDATES]
      : String(f.models)
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
  for (const m of models)
    if (!(ALL_CANDIDATES as readonly string[]).includes(m))
      throw new UsageError(`--models: unknown model "${m}" (choose from ${ALL_CANDIDATES.join(", ")})`);
  const settings = {
    horizonMonths: num(f["horizon-months"], "horizon-months", (x) => Number.isInteger(x) && x >= 1 && x <= 120, 12),
    grossMargin: num(f.margin, "margin", (x) => x > 0 && x <= 1, 1),
    annualDiscountRate: num(f["annual-discount"], "annual-discount", (x) => x >= 0 && x < 1, 0.1),
  };
  const epochs = f.epochs === undefined ? undefined : num(f.epochs, "epochs", (x) => Number.isInteger(x) && x >= 1, 1);
  const loaded = await loadTransactions(
    txSource(f, false),
    (lastDay) => ({ calibrationEnd: cutoffDay ?? lastDay }),
    true,
  );
  const raw = loaded.raw!;
  const lastDay = cutoffDay ?? loaded.lastDay;
  const keep: number[] = [];
  for (let i = 0; i < raw.days.length; i++) if (raw.days[i] <= lastDay) keep.push(i);
  if (keep.length === 0) throw new DataError(`no transactions on or before ${formatDay(lastDay)}`);
  const { orders, droppedRefunds } = ordersFromTransactions(
    keep.map((i) => raw.customerIds[i]),
    Int32Array.from(keep, (i) => raw.days[i]),
    Float64Array.from(keep, (i) => raw.amounts[i]),
  );
  const log = (s: string) => (f.json ? undefined : io.stderr(s));
  const r = await trainShop(orders, {
    settings,
    asOf: endOfDay(lastDay * DAY),
    horizonDays: f["horizon-days"] as number | undefined,
    candidates: models as CandidateName[],
    seed: f.seed as number | undefined,
    deep: epochs ? { epochs } : undefined,
    lstm: epochs ? { epochs } : undefined,
    hooks: { onStage: (s) => log(`… ${s}\n`) },
  });
  if (f.out)
    writeFileAtomic(String(f.out), [
      JSON.stringify({ ...r.artefact, metrics: r.backtest?.metrics ?? null, reason: r.reason, status: r.status }) +
        "\n",
    ]);
  if (f.scores) {
    const s = r.scores;
    const rows = function* () {
      yield (
        csvRow([
          "customer_id",
          "clv",
          "clv_low",
          "clv_high",
          "p_alive",
          "expected_orders",
          "historic_spend",
          "orders",
          "tier",
          "drivers",
          "churn_probability_90d",
          "next_order_date",
        ]) + "\n"
      );
      for (let i = 0; i < s.customerIds.length; i++)
        yield (
          csvRow([
            s.customerIds[i],
            s.clv[i].toFixed(2),
            s.clvLow[i].toFixed(2),
            s.clvHigh[i].toFixed(2),
            s.pAlive[i].toFixed(4),
            s.expectedOrders[i].toFixed(3),
            s.historicSpend[i].toFixed(2),
            s.orderCount[i],
            s.tier[i],
            s.drivers[i].map((d) => d.phrase).join("; "),
            s.churnProbability[i].toFixed(4),
            Number.isFinite(s.nextOrderAt[i]) ? new Date(s.nextOrderAt[i]).toISOString().slice(0, 10) : "",
          ]) + "\n"
        );
    };
    writeFileAtomic(String(f.scores), rows());
  }
  const metrics = Object.fromEntries(
    Object.entries(r.backtest?.metrics ?? {}).map(([k, m]) => [
      k,
      m
        ? {
            gini: m.gini,
            spearman: m.spearman,
            decileMape: m.decileMape,
            mae: m.mae,
            rmse: m.rmse,
            predictedTotal: m.predictedTotal,
            actualTotal: m.actualTotal,
            topDecileCapture: m.topDecileCapture,
            totalErrorRelative: m.totalErrorRelative,
            calibrationScale: m.scale,
            servingScale: m.serving.scale,
            calibration: {
              predictedOverActual: m.calibration.ratio,
              deciles: m.calibration.deciles.map((d) => ({ decile: d.decile, predictedOverActual: d.ratio })),
            },
            intervalCoverage: m.intervalCoverage,
            intervalNominal: m.intervalNominal,
            servedInterval: m.servedInterval,
            folds: m.folds,
          }
        : null,
    ]),
  );
  const out = {
    status: r.status,
    champion: r.champion,
    reason: r.reason,
    backend: r.backend,
    customers: r.scores.customerIds.length,
    droppedRefunds,
    plan: r.backtest?.plan
      ? {
          ...r.backtest.plan,
          evalCutoff: new Date(r.backtest.plan.evalCutoff).toISOString().slice(0, 10),
          trainCutoff: new Date(r.backtest.plan.trainCutoff).toISOString().slice(0, 10),
        }
      : null,
    metrics,
    churn: r.backtest?.churn
      ? {
          windowDays: r.backtest.churn.windowDays,
          auc: r.backtest.churn.auc,
          brier: r.backtest.churn.brier,
          observedChurnRate: r.backtest.churn.observedChurnRate,
          meanChurnProbability: r.backtest.churn.meanChurnProbability,
          classifier: r.backtest.churn.classifier
            ? {
                model: r.backtest.churn.classifier.model,
                auc: r.backtest.churn.classifier.auc,
                brier: r.backtest.churn.classifier.brier,
                maxReliabilityGap: r.backtest.churn.classifier.maxReliabilityGap,
                meanChurnProbability: r.backtest.churn.classifier.meanChurnProbability,
              }
            : null,
        }
      : null,
    timingsMs: r.timings,
  };
  if (f.json) io.stdout(JSON.stringify(out) + "\n");
  else {
    const lines = [
      `${out.status}: ${out.reason}`,
      `champion: ${out.champion}; ${out.customers} customers scored; backend ${out.backend}`,
    ];
    if (out.plan)
      lines.push(
        `backtest: train labels (${out.plan.trainCutoff} + ${out.plan.trainDays} d), evaluation from ${out.plan.evalCutoff} over ${out.plan.horizonDays} days`,
      );
    lines.push(
      "",
      `${"model".padEnd(10)} ${"Gini".padStart(7)} ${"Spearman".padStart(9)} ${"decMAPE".padStart(8)} ${"MAE".padStart(9)} ${"pred/act".padStart(9)} ${"cover80".padStart(8)} ${"served80".padStart(8)} ${"factor".padStart(7)}`,
    );
    for (const [k, m] of Object.entries(metrics))
      lines.push(
        m
          ? `${k.padEnd(10)} ${m.gini.toFixed(4).padStart(7)} ${m.spearman.toFixed(4).padStart(9)} ${m.decileMape.toFixed(4).padStart(8)} ${m.mae.toFixed(2).padStart(9)} ${m.calibration.predictedOverActual.toFixed(3).padStart(9)} ${(m.intervalCoverage ?? Number.NaN).toFixed(3).padStart(8)} ${(m.servedInterval?.coverage ?? Number.NaN).toFixed(3).padStart(8)} ${m.servingScale.toFixed(3).padStart(7)}`
          : `${k.padEnd(10)} diverged`,
      );
    if (out.churn) {
      const c = out.churn.classifier;
      const cl = c ? `; churn classifier AUC ${c.auc.toFixed(3)}, Brier ${c.brier.toFixed(3)}` : "";
      lines.push(
        "",
        `churn in ${out.churn.windowDays} d (evaluation cutoff): MBG/NBD AUC ${out.churn.auc.toFixed(3)}, Brier ${out.churn.brier.toFixed(3)}${cl}`,
      );
    }
    io.stdout(lines.join("\n") + "\n");
  }
  return EXIT.ok;
}

/**
 * Reading a ModelRun's `metrics` JSON (written by the trainer) into the shape the pages show.
 * Tolerant by design: unknown keys are ignored, missing numbers become null, and a malformed blob
 * yields an explicit `problem` rather than a crash, so an old or partial run never breaks a page.
 */
import { MODEL_EXPLANATIONS, modelLabel } from "~/clv/model-labels";

/** Backtest scores of one candidate (or the baseline). Null = not reported. */
export interface CandidateScore {
  name: string;
  /** Gini of the predicted ranking against realised holdout value (higher is better). */
  gini: number | null;
  /** Mean absolute percentage error of decile means (lower is better). */
  decileMape: number | null;
  spearman: number | null;
  mae: number | null;
  /** Share of holdout value captured by the predicted top decile (higher is better). */
  topDecileCapture: number | null;
  isBaseline: boolean;
  isChampion: boolean;
  /** Plain-language name ("past spend", "deep learning …") and one sentence on what it does. */
  label: string;
  explanation: string | null;
  /** Σ predicted / Σ actual on the evaluation fold after calibration (1 = right total). */
  totalRatio: number | null;
  /** Comparison scale factor: fitted on the validation fold, applied to the evaluation fold. */
  scale: number | null;
  /** Scale factor actually served (all folds, drift guard and trend rule: calibration.ts `servingScale`). */
  servingScale: number | null;
  /**
   * Measured coverage of the served interval's procedure, replayed one fold earlier and measured on
   * the evaluation fold (folds.ts `servedIntervalCheck`); null when not recorded.
   */
  servedInterval: {
    coverage: number;
    nominal: number;
    levelFold: string;
    shapeFold: string;
    measuredFold: string;
    /** Lengths of the shape and level folds (days); null in runs that did not record them. */
    shapeDays: number | null;
    levelDays: number | null;
    overlapDays: number;
  } | null;
  /** Measured share of customers inside the per-customer interval, and its nominal level. */
  intervalCoverage: number | null;
  intervalNominal: number | null;
  /** Backtest folds: cutoff, length, Gini and the raw (uncalibrated) predicted/actual total. */
  folds: FoldView[];
}

/** One backtest fold of a candidate. */
export interface FoldView {
  role: string;
  cutoff: string;
  days: number | null;
  gini: number | null;
  rawTotalRatio: number | null;
}

/** How well churn risk did in the backtest. */
export interface ChurnView {
  auc: number | null;
  brier: number | null;
  observedRate: number | null;
  meanForecast: number | null;
  windowDays: number | null;
}

/** Predicted vs actual mean holdout value per predicted decile (1 = highest predicted). */
export interface DecilePoint {
  decile: number;
  predicted: number;
  actual: number;
}

/** What the model page needs from a run's metrics. */
export interface ModelMetricsView {
  candidates: CandidateScore[];
  deciles: DecilePoint[];
  /** Name of the decile chart's model (usually the champion). */
  decilesModel: string | null;
  /** Predicted / actual total per predicted decile of the champion (1 = highest predicted). */
  calibration: Array<{ decile: number; ratio: number | null }>;
  churn: ChurnView | null;
  problem: string | null;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function pick(o: Record<string, unknown>, ...keys: string[]): number | null {
  for (const k of keys) {
    const v = num(o[k]);
    if (v !== null) return v;
  }
  return null;
}

function scoreOf(
  name: string,
  raw: unknown,
  champion: string | null,
  baselineNames: Set<string>,
): CandidateScore | null {
  if (!raw || typeof raw !== "object") return null;
  const o = raw as Record<string, unknown>;
  const m = (o.metrics && typeof o.metrics === "object" ? o.metrics : o) as Record<string, unknown>;
  const n = typeof o.name === "string" ? o.name : typeof o.model === "string" ? o.model : name;
  const folds: FoldView[] = Array.isArray(m.folds)
    ? m.folds
        .filter((f): f is Record<string, unknown> => !!f && typeof f === "object")
        .map((f) => ({
          role: String(f.role ?? ""),
          cutoff: String(f.cutoff ?? ""),
          days: pick(f, "days"),
          gini: pick(f, "gini"),
          rawTotalRatio: pick(f, "rawTotalRatio"),
        }))
    : [];
  const pt = pick(m, "predictedTotal"),
    at = pick(m, "actualTotal");
  return {
    label: modelLabel(n),
    explanation: MODEL_EXPLANATIONS[n] ?? null,
    totalRatio: pt !== null && at ? pt / at : null,
    scale: pick(m, "scale", "calibrationScale"),
    servingScale:
      m.serving && typeof m.serving === "object"
        ? pick(m.serving as Record<string, unknown>, "scale")
        : pick(m, "servingScale"),
    servedInterval: servedIntervalOf(m.servedInterval),
    intervalCoverage: pick(m, "intervalCoverage"),
    intervalNominal: pick(m, "intervalNominal"),
    folds,
    name: n,
    gini: pick(m, "gini"),
    decileMape: pick(m, "decileMape", "decile_mape", "mapeDecile"),
    spearman: pick(m, "spearman", "spearmanRho"),
    mae: pick(m, "mae", "MAE"),
    topDecileCapture: pick(m, "topDecileCapture", "top_decile_capture", "topDecileShare"),
    isBaseline: o.baseline === true || baselineNames.has(n) || /baseline/i.test(n),
    isChampion: champion !== null && n === champion,
  };
}

function servedIntervalOf(raw: unknown): CandidateScore["servedInterval"] {
  if (!raw || typeof raw !== "object") return null;
  const o = raw as Record<string, unknown>;
  const coverage = pick(o, "coverage"),
    nominal = pick(o, "nominal");
  if (coverage === null || nominal === null) return null;
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  return {
    coverage,
    nominal,
    levelFold: str(o.levelFold),
    shapeFold: str(o.shapeFold),
    measuredFold: str(o.measuredFold),
    shapeDays: pick(o, "shapeDays"),
    levelDays: pick(o, "levelDays"),
    overlapDays: pick(o, "overlapDays") ?? 0,
  };
}

/**
 * Decile rows: `[{ decile, predicted, actual }]` (decile 1 = highest), or the engine's DecileTable
 * `{ rows: [{ bucket, predMean, labelMean }] }` (bucket 0 = lowest predicted), converted.
 */
function decilesOf(raw: unknown): DecilePoint[] {
  const table = raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as { rows?: unknown }).rows : raw;
  if (!Array.isArray(table)) return [];
  const out: DecilePoint[] = [];
  table.forEach((d, i) => {
    if (!d || typeof d !== "object") return;
    const o = d as Record<string, unknown>;
    const predicted = pick(o, "predicted", "predMean", "pred", "meanPredicted");
    const actual = pick(o, "actual", "labelMean", "meanActual", "realised", "realized");
    if (predicted === null || actual === null) return;
    const bucket = pick(o, "bucket");
    const decile = pick(o, "decile") ?? (bucket !== null ? table.length - bucket : i + 1);
    out.push({ decile, predicted, actual });
  });
  return out.sort((a, b) => a.decile - b.decile);
}

/**
 * Parses a ModelRun's metrics JSON. Accepted shapes: `{ candidates: [{ name, metrics | gini… }],
 * baseline?: {...}, deciles?: [{ decile, predicted, actual }] | { <model>: [...] } }` or an object
 * keyed by candidate name.
 */
export function parseModelMetrics(json: string | null | undefined, champion: string | null): ModelMetricsView {
  const empty: ModelMetricsView = {
    candidates: [],
    deciles: [],
    decilesModel: null,
    calibration: [],
    churn: null,
    problem: null,
  };
  if (!json) return { ...empty, problem: "This run recorded no metrics." };
  let root: unknown;
  try {
    root = JSON.parse(json);
  } catch (e) {
    return { ...empty, problem: `The run's metrics are not valid JSON (${(e as Error).message}).` };
  }
  if (!root || typeof root !== "object" || Array.isArray(root))
    return { ...empty, problem: "The run's metrics are not an object." };
  const o = root as Record<string, unknown>;
  const baselineNames = new Set<string>();
  const candidates: CandidateScore[] = [];
  const list = o.candidates;
  if (Array.isArray(list)) {
    list.forEach((c, i) => {
      const s = scoreOf(`candidate ${i + 1}`, c, champion, baselineNames);
      if (s) candidates.push(s);
    });
  } else if (list && typeof list === "object") {
    for (const [k, v] of Object.entries(list)) {
      const s = scoreOf(k, v, champion, baselineNames);
      if (s) candidates.push(s);
    }
  }
  if (o.baseline && typeof o.baseline === "object") {
    const b = scoreOf("baseline", o.baseline, champion, baselineNames);
    if (b && !candidates.some((c) => c.name === b.name)) candidates.push({ ...b, isBaseline: true });
  }
  let deciles: DecilePoint[] = [];
  let decilesModel: string | null = null;
  if (Array.isArray(o.deciles)) {
    deciles = decilesOf(o.deciles);
    decilesModel = champion;
  } else if (o.deciles && typeof o.deciles === "object") {
    const byModel = o.deciles as Record<string, unknown>;
    const key = champion && champion in byModel ? champion : Object.keys(byModel)[0];
    if (key) {
      deciles = decilesOf(byModel[key]);
      decilesModel = key;
    }
  }
  if (!deciles.length && list && typeof list === "object") {
    // Per-candidate decile tables (trainer format): the champion's, else the first non-baseline.
    const entries = Array.isArray(list)
      ? list.map((c, i) => [String((c as { name?: unknown })?.name ?? i), c] as const)
      : Object.entries(list);
    const pickEntry =
      entries.find(([k]) => k === champion) ??
      entries.find(([k, v]) => !/baseline/i.test(k) && v && typeof v === "object");
    const m = pickEntry?.[1] as Record<string, unknown> | undefined;
    const table =
      m && typeof m === "object"
        ? ((m.metrics as Record<string, unknown> | undefined)?.deciles ?? m.deciles)
        : undefined;
    if (pickEntry && table) {
      deciles = decilesOf(table);
      decilesModel = pickEntry[0];
    }
  }
  const champRaw =
    list && typeof list === "object" && !Array.isArray(list) && champion
      ? (list as Record<string, unknown>)[champion]
      : undefined;
  const calRows = (champRaw as { calibration?: { deciles?: unknown } } | undefined)?.calibration?.deciles;
  const calibration = Array.isArray(calRows)
    ? calRows
        .filter((d): d is Record<string, unknown> => !!d && typeof d === "object")
        .map((d, i) => ({ decile: pick(d, "decile") ?? i + 1, ratio: pick(d, "ratio") }))
    : [];
  const ch = o.churn && typeof o.churn === "object" ? (o.churn as Record<string, unknown>) : null;
  const churn: ChurnView | null = ch
    ? {
        auc: pick(ch, "auc"),
        brier: pick(ch, "brier"),
        observedRate: pick(ch, "observedChurnRate"),
        meanForecast: pick(ch, "meanChurnProbability"),
        windowDays: pick(ch, "windowDays"),
      }
    : null;
  return {
    candidates,
    deciles,
    decilesModel,
    calibration,
    churn,
    problem: candidates.length === 0 ? "This run recorded no candidate scores." : null,
  };
}

/**
 * The card's plain sentence on the served range's measured coverage, or null when not recorded:
 * "The 80 % range contained the actual spend of 78 % of customers in the backtest …".
 */
export function servedCoverageSentence(c: Pick<CandidateScore, "servedInterval" | "label">): string | null {
  const s = c.servedInterval;
  if (!s) return null;
  const p = (v: number) => `${Math.round(v * 100)} %`;
  const period = (from: string, days: number | null) => `the ${days === null ? "" : `${days}-day `}period from ${from}`;
  const built =
    s.shapeFold === s.levelFold && s.shapeDays === s.levelDays
      ? `fitted on ${period(s.levelFold, s.levelDays)}`
      : `shaped on ${period(s.shapeFold, s.shapeDays)}, its width set on ${period(s.levelFold, s.levelDays)}`;
  const overlap = s.overlapDays > 0 ? ` (those periods overlap by ${s.overlapDays} days)` : "";
  return (
    `The ${p(s.nominal)} range (${c.label}) contained the actual spend of ${p(s.coverage)} of customers in the backtest: ` +
    `the range was built the way the one in use is, one period earlier — ${built} — and checked on the period from ` +
    `${s.measuredFold}, which it never saw${overlap}.`
  );
}

/** The card's plain sentence on the served calibration factor, or null when not recorded. */
export function servingScaleSentence(c: Pick<CandidateScore, "servingScale" | "scale" | "label">): string | null {
  if (c.servingScale === null) return null;
  const f = (v: number) => `${v.toFixed(2)}×`;
  return (
    `${c.label}: predictions are multiplied by ${f(c.servingScale)} in use. This factor comes from every backtest ` +
    `period: it is 1.00× when the periods disagree on whether the model predicts too much or too little, follows the ` +
    `periods' trend toward 1.00× for a limited time, and is pulled toward 1.00× as the periods scatter` +
    (c.scale !== null ? `; the comparison above used ${f(c.scale)}, learned on the calibration period alone.` : ".")
  );
}

/**
 * P(alive) over time for one customer (pure): replays the customer's purchase history through the
 * champion's BTYD model — after each day, P(alive | x, t_x, T) with the purchases seen so far.
 * The model parameters come from the ModelRun artefact (`findAliveModel`).
 */
import { bgnbdProbabilityAliveOne, type BgNbdParams } from "~/clv/estimators/bgnbd";
import { mbgnbdProbabilityAliveOne } from "~/clv/estimators/mbgnbd";
import { paretoNbdProbabilityAlive } from "~/clv/estimators/paretonbd";

/** A fitted model that defines P(alive), with its time unit. */
export interface AliveModel {
  model: "bgnbd" | "mbgnbd" | "pnbd";
  params: Record<string, number>;
  /** Length of the model's time unit in days (7 = weeks). */
  unitDays: number;
}

const REQUIRED: Record<AliveModel["model"], string[]> = {
  bgnbd: ["r", "alpha", "a", "b"],
  mbgnbd: ["r", "alpha", "a", "b"],
  pnbd: ["r", "alpha", "s", "beta"],
};

const UNIT_DAYS: Record<string, number> = { day: 1, days: 1, week: 7, weeks: 7, month: 30.4375, months: 30.4375 };

/** Artefact formats whose BTYD summaries are in weeks (app/training: RftSummary is in weeks). */
const WEEKLY_FORMATS = new Set(["horizon-model-v1"]);

function unitOf(o: Record<string, unknown>): number | null {
  if (typeof o.format === "string" && WEEKLY_FORMATS.has(o.format)) return 7;
  for (const k of ["unitDays", "timeUnitDays"])
    if (typeof o[k] === "number" && (o[k] as number) > 0) return o[k] as number;
  for (const k of ["unit", "timeUnit"])
    if (typeof o[k] === "string" && UNIT_DAYS[o[k] as string]) return UNIT_DAYS[o[k] as string];
  return null;
}

/**
 * Finds the first BG/NBD, MBG/NBD or Pareto/NBD fit (`{ model, params }`) anywhere in a run's
 * artefact, preferring `preferred` (the champion) when several exist, and the time unit declared
 * on it or on an enclosing object. Null when there is none or the unit is not stated.
 */
export function findAliveModel(artefact: unknown, preferred?: string | null): AliveModel | null {
  // The run's purchase model (MBG/NBD, `artefact.purchase`) is what the stored P(alive) and churn
  // probability come from: the history must replay the same model.
  const purchase = purchaseModelOf(artefact);
  if (purchase) return purchase;
  const found: AliveModel[] = [];
  const walk = (node: unknown, inheritedUnit: number | null, depth: number) => {
    if (!node || typeof node !== "object" || depth > 8) return;
    if (Array.isArray(node)) {
      for (const x of node) walk(x, inheritedUnit, depth + 1);
      return;
    }
    const o = node as Record<string, unknown>;
    const unit = unitOf(o) ?? inheritedUnit;
    const model = typeof o.model === "string" ? o.model : null;
    if (model && model in REQUIRED && o.params && typeof o.params === "object") {
      const p = o.params as Record<string, unknown>;
      const req = REQUIRED[model as AliveModel["model"]];
      if (req.every((k) => typeof p[k] === "number" && Number.isFinite(p[k] as number)) && unit) {
        found.push({ model: model as AliveModel["model"], params: p as Record<string, number>, unitDays: unit });
      }
    }
    for (const v of Object.values(o)) walk(v, unit, depth + 1);
  };
  walk(artefact, null, 0);
  if (!found.length) return null;
  return (preferred && found.find((f) => preferred.toLowerCase().includes(f.model))) || found[0];
}

/** The artefact's purchase model (`{ kind: "mbgnbd", fit: { params } }`, weekly summaries), if any. */
function purchaseModelOf(artefact: unknown): AliveModel | null {
  if (!artefact || typeof artefact !== "object") return null;
  const a = artefact as Record<string, unknown>;
  const p = a.purchase as { kind?: unknown; fit?: { params?: Record<string, unknown> } } | null | undefined;
  const unit = unitOf(a);
  if (!p || p.kind !== "mbgnbd" || !p.fit?.params || !unit) return null;
  const params = p.fit.params;
  if (!REQUIRED.mbgnbd.every((k) => typeof params[k] === "number" && Number.isFinite(params[k] as number))) return null;
  return { model: "mbgnbd", params: params as Record<string, number>, unitDays: unit };
}

/** P(alive | x, t_x, T) under the model, all times in model units. */
export function pAliveOf(m: AliveModel, x: number, tx: number, T: number): number {
  const p = m.params;
  switch (m.model) {
    case "bgnbd":
      return bgnbdProbabilityAliveOne(p as BgNbdParams, x, tx, T);
    case "mbgnbd":
      return mbgnbdProbabilityAliveOne(p as BgNbdParams, x, tx, T);
    case "pnbd":
      return paretoNbdProbabilityAlive(p as { r: number; alpha: number; s: number; beta: number }, x, tx, T);
  }
}

/** One point of the history. */
export interface PAliveHistoryPoint {
  day: string;
  pAlive: number;
  order: boolean;
}

const DAY = 86_400_000;

/**
 * P(alive) from the first purchase to `asOf`, at about `samples` evenly spaced days plus every
 * purchase day. Purchases on the same day count once (BTYD convention).
 */
export function pAliveHistory(m: AliveModel, purchases: Date[], asOf: Date, samples = 120): PAliveHistoryPoint[] {
  const days = [...new Set(purchases.map((d) => Math.floor(d.getTime() / DAY)))].sort((a, b) => a - b);
  if (!days.length) return [];
  const first = days[0];
  const last = Math.max(Math.floor(asOf.getTime() / DAY), days[days.length - 1]);
  const grid = new Set<number>(days);
  const step = Math.max(1, Math.floor((last - first) / samples));
  for (let d = first; d <= last; d += step) grid.add(d);
  grid.add(last);
  const orderDays = new Set(days);
  const out: PAliveHistoryPoint[] = [];
  let k = 0; // purchases seen so far
  for (const d of [...grid].sort((a, b) => a - b)) {
    while (k < days.length && days[k] <= d) k++;
    const x = k - 1;
    const tx = (days[k - 1] - first) / m.unitDays;
    const T = (d - first) / m.unitDays;
    out.push({
      day: new Date(d * DAY).toISOString().slice(0, 10),
      pAlive: pAliveOf(m, x, tx, T),
      order: orderDays.has(d),
    });
  }
  return out;
}

/**
 * The level of a model run's per-customer CLV interval (pure): which quantiles `clvLow`/`clvHigh`
 * are, and where they come from, so pages can say "90 % interval" instead of "model interval".
 *
 * The trainer may record it in the artefact (`artefact.interval = { lower, upper, method }`); when
 * it does not, the level follows from the champion, as app/training/score.ts computes intervals:
 * - BTYD (BG/NBD + Gamma-Gamma with parameter covariances): 5 % / 95 % quantiles of CLV under
 *   parameter uncertainty — parametric bootstrap up to 20,000 customers, delta method above;
 * - deep / ensemble champions with a DNN or LSTM component: the ZILN 10 % / 90 % quantiles;
 * - the transparent fallback, the past-spend baseline, an ensemble without a deep component or a
 *   BTYD fit without covariances: no interval (low = point = high).
 */

import {
  BTYD_DELTA_ABOVE,
  BTYD_INTERVAL,
  EMPIRICAL_INTERVAL,
  NO_INTERVAL,
  ZILN_INTERVAL,
  type ScoreInterval,
} from "~/clv/interval";
import { createTranslator, type Translate } from "~/i18n/i18n";

/** The interval level of a run (the trainer's ScoreInterval); `lower`/`upper` are null exactly when `method` is "none". */
export type IntervalLevel = ScoreInterval;
/** How a run's interval was obtained. */
export type IntervalMethod = ScoreInterval["method"];

export { BTYD_DELTA_ABOVE };

const NONE = NO_INTERVAL;
const METHODS: readonly IntervalMethod[] = ["bootstrap", "delta", "ziln", "empirical", "none"];

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);
const isQuantile = (v: unknown): v is number => typeof v === "number" && v > 0 && v < 1;

/**
 * The interval level of a run from its artefact (parsed JSON) and the number of customers it
 * scored. Null when the artefact is missing or not the trainer's format (level unknown).
 */
export function intervalLevelOf(artefact: unknown, customers: number): IntervalLevel | null {
  if (!isObj(artefact)) return null;
  const rec = artefact.interval;
  if (isObj(rec) && typeof rec.method === "string" && (METHODS as readonly string[]).includes(rec.method)) {
    if (rec.method === "none") return NONE;
    if (isQuantile(rec.lower) && isQuantile(rec.upper) && rec.lower < rec.upper)
      return { lower: rec.lower, upper: rec.upper, method: rec.method as IntervalMethod };
  }
  if (artefact.format !== "horizon-model-v1") return null;
  const cal = artefact.calibration;
  if (isObj(cal) && isObj(cal.interval)) return { ...EMPIRICAL_INTERVAL, method: "empirical" };
  const champion = artefact.champion;
  if (champion === "btyd") {
    const b = artefact.btyd;
    const bg = isObj(b) ? b.bg : null;
    const gg = isObj(b) ? b.gg : null;
    const cov = isObj(bg) && Array.isArray(bg.logParamCovariance) && isObj(gg) && Array.isArray(gg.logParamCovariance);
    return cov ? { ...BTYD_INTERVAL, method: customers > BTYD_DELTA_ABOVE ? "delta" : "bootstrap" } : NONE;
  }
  if (champion === "dnn" || champion === "lstm" || champion === "ensemble") {
    const weights: Record<string, unknown> =
      champion === "ensemble" ? (isObj(artefact.ensembleWeights) ? artefact.ensembleWeights : {}) : { [champion]: 1 };
    const deep = isObj(artefact.deep) ? artefact.deep : {};
    const hasDeep = ["dnn", "lstm"].some(
      (k) => typeof weights[k] === "number" && (weights[k] as number) > 0 && deep[k],
    );
    return hasDeep ? { ...ZILN_INTERVAL, method: "ziln" } : NONE;
  }
  if (champion === "fallback" || champion === "baseline") return NONE;
  return null;
}

/** A quantile as a percentage number (0.05 → 5); the translator formats it in the shop's locale. */
const pct = (q: number) => Math.round(q * 1000) / 10;
/** English unless a page passes the shop's translator (the default keeps server callers' wording). */
const ENGLISH = createTranslator("en");

/** Short label: "90 % interval", "no interval", or "model interval (level not recorded)". */
export function intervalLabel(level: IntervalLevel | null, t: Translate = ENGLISH): string {
  if (!level) return t("interval.labelUnknown");
  if (level.method === "none" || level.lower === null || level.upper === null) return t("interval.labelNone");
  return t("interval.label", { pct: pct(level.upper - level.lower) });
}

/** One sentence on what the interval is, for tooltips and footnotes. */
export function intervalExplanation(level: IntervalLevel | null, t: Translate = ENGLISH): string {
  if (!level) return t("interval.explainUnknown");
  if (level.method === "none" || level.lower === null || level.upper === null) return t("interval.explainNone");
  const values = {
    label: intervalLabel(level, t),
    percentiles: t("interval.percentiles", { lower: pct(level.lower), upper: pct(level.upper) }),
  };
  if (level.method === "empirical") return t("interval.explainEmpirical", values);
  if (level.method === "ziln") return t("interval.explainZiln", values);
  const how = t(level.method === "delta" ? "interval.methodDelta" : "interval.methodBootstrap");
  return t("interval.explainBtyd", { ...values, how });
}

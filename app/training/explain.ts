/**
 * Per-customer explanations: the top drivers of a prediction as plain-language phrases.
 *
 * Method: occlusion. For each feature group the group is replaced by a "typical customer" value
 * (deep models: the training mean, i.e. 0 after standardisation; BTYD: the population mean of the
 * recency / frequency / monetary input) and the prediction is recomputed. The driver's effect is
 * prediction − occluded prediction, in money over the prediction window; its weight is the
 * effect divided by the sum of absolute effects of that customer (signed, |weights| sum to 1).
 */
import { STATIC_FEATURES, type FeatureSet } from "./features";
import type { DeepInputs } from "./deep";

/** One explanation item, stored in Prediction.drivers. */
export interface Driver {
  phrase: string;
  /** Signed share of the explained effect (positive raises the prediction). */
  weight: number;
}

/** Feature groups of the deep models (static column names; `seq` = the monthly sequence). */
export const DEEP_GROUPS: Record<string, { columns: string[]; seq?: boolean }> = {
  recency: { columns: ["days_since_last", "recency_weeks", "recency_ratio"] },
  frequency: {
    columns: [
      "log_repeat_days",
      "log_order_count",
      "ipt_mean_days",
      "ipt_std_days",
      "log_repeat_days_per_week",
      "log_orders_365d",
    ],
  },
  spend: { columns: ["log_past_spend", "log_aov", "aov_trend", "log_repeat_mean_value", "log_spend_per_week"] },
  recentSpend: { columns: ["log_spend_90d", "log_spend_365d"] },
  tenure: { columns: ["tenure_weeks"] },
  discounts: { columns: ["discount_share", "discount_code_order_share", "first_order_discounted"] },
  returns: { columns: ["refund_rate", "cancel_rate"] },
  products: { columns: ["log_distinct_products", "products_per_order"] },
  firstOrder: {
    columns: [
      "log_first_order_value",
      ...STATIC_FEATURES.filter((n) => n.startsWith("first_channel") || n.startsWith("first_country")),
    ],
  },
  timing: { columns: ["weekend_share", "q1_share", "q2_share", "q3_share", "q4_share"] },
  activity: { columns: [], seq: true },
};

const col = (name: string) => {
  const j = STATIC_FEATURES.indexOf(name);
  if (j < 0) throw new Error(`unknown feature ${name}`);
  return j;
};

/** Copy of `x` with one group occluded (set to 0 = the training mean after standardisation). */
export function occludeGroup(x: DeepInputs, group: string): DeepInputs {
  const g = DEEP_GROUPS[group];
  if (!g) throw new Error(`unknown feature group ${group}`);
  const st = x.static.slice();
  const cols = g.columns.map(col);
  for (let i = 0; i < x.n; i++) for (const j of cols) st[i * x.nStatic + j] = 0;
  return { ...x, static: st, seq: g.seq ? new Float32Array(x.seq.length) : x.seq };
}

const money = (v: number) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString("en-US") : v.toFixed(2));
const pct = (v: number) => `${Math.round(v * 100)}%`;

/** Plain-language description of a group's value for row `r` of the raw features. */
export function describe(group: string, fs: FeatureSet, r: number): string {
  const f = (name: string) => fs.static[r * STATIC_FEATURES.length + col(name)];
  const orders = fs.rft.orderCount[r];
  switch (group) {
    case "recency":
      return `Last order ${Math.round(f("days_since_last"))} days ago`;
    case "frequency":
      return `${fs.rft.frequency[r] + 1} purchase day${fs.rft.frequency[r] ? "s" : ""} so far`;
    case "spend":
      return `Average order ${money(Math.expm1(f("log_aov")))}`;
    case "recentSpend":
      return `${money(Math.expm1(f("log_spend_365d")))} spent in the last 12 months`;
    case "tenure":
      return `Customer for ${Math.max(0, Math.round(fs.rft.T[r] / 4.345))} months`;
    case "discounts":
      return `${pct(f("discount_share"))} of order value discounted`;
    case "returns":
      return f("refund_rate") > 0 || f("cancel_rate") > 0
        ? `${pct(f("refund_rate"))} refunded, ${pct(f("cancel_rate"))} of orders cancelled`
        : "No refunds or cancellations";
    case "products":
      return `${Math.round(Math.expm1(f("log_distinct_products")))} different products bought`;
    case "firstOrder":
      return `First order of ${money(Math.expm1(f("log_first_order_value")))}`;
    case "timing":
      return `Buys ${pct(f("weekend_share"))} at weekends, most in Q${1 + [f("q1_share"), f("q2_share"), f("q3_share"), f("q4_share")].reduce((b, v, i, a) => (v > a[b] ? i : b), 0)}`;
    case "activity":
      return `Month-by-month buying pattern over the last 2 years (${orders} order${orders === 1 ? "" : "s"})`;
    case "btyd.frequency":
      return `${fs.rft.frequency[r]} repeat purchase${fs.rft.frequency[r] === 1 ? "" : "s"}`;
    case "btyd.recency":
      return fs.rft.frequency[r] > 0
        ? `Last repeat purchase ${Math.round((fs.rft.T[r] - fs.rft.recency[r]) * 7)} days ago`
        : "Has not bought again since the first order";
    case "btyd.monetary":
      return fs.rft.frequency[r] > 0
        ? `Repeat orders average ${money(fs.rft.monetary[r])}`
        : "Spend per order unknown (no repeat order yet)";
    default:
      return group;
  }
}

/**
 * Top-k drivers per customer from a base prediction and occluded predictions per group.
 * Effects below 0.5 % of the customer's total effect are dropped.
 */
export function topDrivers(base: Float64Array, occluded: Map<string, Float64Array>, fs: FeatureSet, k = 3): Driver[][] {
  const groups = [...occluded.keys()];
  const out: Driver[][] = new Array(base.length);
  const eff = new Float64Array(groups.length);
  for (let i = 0; i < base.length; i++) {
    let tot = 0;
    groups.forEach((g, j) => {
      const e = base[i] - occluded.get(g)![i];
      eff[j] = Number.isFinite(e) ? e : 0;
      tot += Math.abs(eff[j]);
    });
    const order = groups.map((_, j) => j).sort((a, b) => Math.abs(eff[b]) - Math.abs(eff[a]) || a - b);
    const items: Driver[] = [];
    for (const j of order.slice(0, k)) {
      if (tot <= 0 || Math.abs(eff[j]) / tot < 0.005) break;
      items.push({
        phrase: `${describe(groups[j], fs, i)} — ${eff[j] > 0 ? "raises" : "lowers"} the prediction`,
        weight: Math.round((eff[j] / tot) * 1000) / 1000,
      });
    }
    out[i] = items;
  }
  return out;
}

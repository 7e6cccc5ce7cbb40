/**
 * What the write-back should send for one customer (pure): the declared metafields
 * (shopify.app.toml, namespace `$app`) with their types and the values a prediction gives them,
 * and the tag changes — compared with what was last written (WritebackRecord) and the customer's
 * current tags, so an unchanged customer costs nothing.
 */
import type { WrittenState } from "~/models/writeback.server";
import type { PredictionFigures } from "~/models/prediction-figures";

/** Metafield key → Shopify type, as declared under [customer.metafields.app.*] in shopify.app.toml. */
export const CUSTOMER_METAFIELDS = {
  clv_tier: "single_line_text_field",
  predicted_clv: "money",
  predicted_clv_low: "money",
  predicted_clv_high: "money",
  p_alive: "number_decimal",
  expected_orders: "number_decimal",
  churn_probability: "number_decimal",
  next_order_at: "date_time",
  clv_updated_at: "date_time",
} as const;

export type MetafieldKey = keyof typeof CUSTOMER_METAFIELDS;

/** The prediction columns the write-back reads. */
export interface WritebackPrediction extends PredictionFigures {
  customerId: string;
  tier: string;
  nextOrderAt: Date | null;
}

/** One `MetafieldsSetInput` without the owner. */
export interface MetafieldValue {
  key: MetafieldKey;
  type: string;
  value: string;
}

/** Everything to send for one customer, and the state to record once Shopify accepted it. */
export interface CustomerPlan {
  customerId: string;
  metafields: MetafieldValue[];
  addTags: string[];
  removeTags: string[];
  next: WrittenState;
}

/** Shopify `date_time` value: ISO 8601 to the second, UTC. */
export const dateTimeValue = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The metafield values of a prediction (every declared key except `clv_updated_at`). */
export function metafieldValues(p: WritebackPrediction, currencyCode: string): Partial<Record<MetafieldKey, string>> {
  if (!/^[A-Z]{3}$/.test(currencyCode))
    throw new Error(`shop currency must be an ISO 4217 code like "EUR"; got ${JSON.stringify(currencyCode)}`);
  const money = (x: number) => JSON.stringify({ amount: Math.max(0, x).toFixed(2), currency_code: currencyCode });
  return {
    clv_tier: p.tier,
    predicted_clv: money(p.clv),
    predicted_clv_low: money(p.clvLow),
    predicted_clv_high: money(p.clvHigh),
    p_alive: p.pAlive.toFixed(4),
    expected_orders: p.expectedOrders.toFixed(3),
    ...(p.churnProbability !== null && { churn_probability: p.churnProbability.toFixed(4) }),
    ...(p.nextOrderAt !== null && { next_order_at: dateTimeValue(p.nextOrderAt) }),
  };
}

/** Options of `planCustomer`. */
export interface PlanOptions {
  currencyCode: string;
  tagPrefix: string;
  tags: boolean;
  metafields: boolean;
  now: Date;
}

/**
 * The writes one customer needs. Metafields: only values that differ from the record
 * (`clv_updated_at` is stamped only when another value changed). Tags: add `<prefix>:<tier>` when
 * the customer lacks it; remove the app's other tags the customer still carries — those recorded as
 * written (an old prefix included) and any other tag with the current prefix.
 */
export function planCustomer(
  p: WritebackPrediction,
  written: WrittenState | undefined,
  currentTags: readonly string[],
  o: PlanOptions,
): CustomerPlan {
  const prev = written ?? { tags: [], metafields: {} };
  const metafields: MetafieldValue[] = [];
  const nextValues = { ...prev.metafields };
  if (o.metafields) {
    for (const [key, value] of Object.entries(metafieldValues(p, o.currencyCode)) as Array<[MetafieldKey, string]>)
      if (prev.metafields[key] !== value) {
        metafields.push({ key, type: CUSTOMER_METAFIELDS[key], value });
        nextValues[key] = value;
      }
    if (metafields.length) {
      const value = dateTimeValue(o.now);
      metafields.push({ key: "clv_updated_at", type: CUSTOMER_METAFIELDS.clv_updated_at, value });
      nextValues.clv_updated_at = value;
    }
  }
  let addTags: string[] = [];
  let removeTags: string[] = [];
  let nextTags = prev.tags;
  if (o.tags) {
    const want = `${o.tagPrefix}:${p.tier}`;
    const has = new Set(currentTags);
    addTags = has.has(want) ? [] : [want];
    const ours = new Set([...prev.tags, ...currentTags.filter((t) => t.startsWith(`${o.tagPrefix}:`))]);
    removeTags = [...ours].filter((t) => t !== want && has.has(t)).sort();
    nextTags = [want];
  }
  return {
    customerId: p.customerId,
    metafields,
    addTags,
    removeTags,
    next: { tags: nextTags, metafields: nextValues },
  };
}

/** Whether a plan sends anything. */
export const planWrites = (c: CustomerPlan) => c.metafields.length + c.addTags.length + c.removeTags.length > 0;

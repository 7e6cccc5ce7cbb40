/**
 * Shop settings: read with defaults, validate form input with one clear message per field, save.
 * A failed validation changes nothing stored.
 */
import { z } from "zod";
import type { Db } from "~/db.server";
import { parseJson } from "~/models/common.server";
import { loadPredictionTiers } from "~/models/lifecycle.server";
import { findSettingsRow, upsertSettingsRow } from "~/models/shops.server";
import { assignTiers } from "~/training/score";
import { AUTOMATIONS, DEFAULT_TIER_RULES, MAX_TIERS, type Automation, type TierRule } from "./settings-schema";

export { AUTOMATIONS, DEFAULT_TIER_RULES, MAX_TIERS, type Automation, type TierRule };

/** Settings as the app uses them (parsed JSON, fractions). */
export interface ShopSettings {
  /** Prediction horizon in months (1–60). */
  horizonMonths: number;
  /** Annual discount rate as a fraction (0–1). */
  annualDiscountRate: number;
  /** Gross margin as a fraction (0–1); CLV as profit = revenue × margin. */
  grossMargin: number;
  /** Tiers from the highest percentile down; the last one has minPercentile 0. */
  tierRules: TierRule[];
  /** Prefix of the tier tags written to customers, e.g. "clv" → "clv:high". */
  tagPrefix: string;
  automations: Record<Automation, boolean>;
  /** Days between the lifecycle's automatic retrains (1–90; the nightly rescore runs daily). */
  retrainEveryDays: number;
}

const DEFAULT_AUTOMATIONS: Record<Automation, boolean> = {
  tags: true,
  metafields: true,
  segments: false,
  flow: false,
  discounts: false,
};

/** The shop's settings, with defaults for anything not stored yet. */
export async function getSettings(db: Db, shop: string): Promise<ShopSettings> {
  const row = await findSettingsRow(db, shop);
  const rules = parseJson<TierRule[]>(row?.tierRules, []);
  const automations = parseJson<Partial<Record<Automation, boolean>>>(row?.automations, {});
  return {
    horizonMonths: row?.horizonMonths ?? 12,
    annualDiscountRate: row?.annualDiscountRate ?? 0.1,
    grossMargin: row?.grossMargin ?? 0.3,
    tierRules: Array.isArray(rules) && rules.length ? rules : DEFAULT_TIER_RULES,
    tagPrefix: row?.tagPrefix ?? "clv",
    automations: { ...DEFAULT_AUTOMATIONS, ...automations },
    retrainEveryDays: row?.retrainEveryDays ?? 7,
  };
}

const percent = (label: string) =>
  z
    .string()
    .trim()
    .min(1, `${label} is required.`)
    .transform(Number)
    .refine((v) => Number.isFinite(v), `${label} must be a number.`)
    .refine((v) => v >= 0 && v <= 100, `${label} must be between 0 and 100 %.`);

const formSchema = z.object({
  horizonMonths: z
    .string()
    .trim()
    .regex(/^\d+$/, "Horizon must be a whole number of months.")
    .transform(Number)
    .refine((v) => v >= 1 && v <= 60, "Horizon must be between 1 and 60 months."),
  annualDiscountRate: percent("Discount rate"),
  grossMargin: percent("Gross margin").refine((v) => v > 0, "Gross margin must be above 0 %."),
  retrainEveryDays: z
    .string()
    .trim()
    .regex(/^\d+$/, "Retrain interval must be a whole number of days.")
    .transform(Number)
    .refine((v) => v >= 1 && v <= 90, "Retrain interval must be between 1 and 90 days."),
  tagPrefix: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,19}$/i, "Tag prefix: 1–20 letters, digits, - or _, starting with a letter or digit."),
});

/** Result of validating the settings form: either settings or messages keyed by field name. */
export type SettingsValidation = { ok: true; settings: ShopSettings } | { ok: false; errors: Record<string, string> };

/**
 * Validates the settings form. Fields: horizonMonths, annualDiscountRate (%), grossMargin (%),
 * tagPrefix, tierName0..4 / tierPercentile0..4 (%; blank rows ignored), automation_<name> ("on").
 */
export function validateSettingsForm(form: FormData): SettingsValidation {
  const errors: Record<string, string> = {};
  const get = (k: string) => (typeof form.get(k) === "string" ? (form.get(k) as string) : "");
  const base = formSchema.safeParse({
    horizonMonths: get("horizonMonths"),
    annualDiscountRate: get("annualDiscountRate"),
    grossMargin: get("grossMargin"),
    tagPrefix: get("tagPrefix"),
    retrainEveryDays: get("retrainEveryDays") || "7",
  });
  if (!base.success) for (const issue of base.error.issues) errors[String(issue.path[0])] ??= issue.message;

  const tiers: TierRule[] = [];
  for (let i = 0; i < MAX_TIERS; i++) {
    const name = get(`tierName${i}`).trim();
    const pct = get(`tierPercentile${i}`).trim();
    if (!name && !pct) continue;
    if (!/^[a-z0-9][a-z0-9_-]{0,19}$/i.test(name)) {
      errors[`tierName${i}`] = `Tier ${i + 1}: name must be 1–20 letters, digits, - or _.`;
      continue;
    }
    const v = Number(pct);
    if (pct === "" || !Number.isFinite(v) || v < 0 || v >= 100) {
      errors[`tierPercentile${i}`] = `Tier ${i + 1} ("${name}"): percentile must be a number from 0 to below 100.`;
      continue;
    }
    tiers.push({ name: name.toLowerCase(), minPercentile: v / 100 });
  }
  if (tiers.length === 0 && !Object.keys(errors).some((k) => k.startsWith("tier")))
    errors.tiers = "Define at least one tier.";
  const names = new Set<string>();
  for (let i = 0; i < tiers.length; i++) {
    if (names.has(tiers[i].name)) errors.tiers = `Tier names must be unique ("${tiers[i].name}" appears twice).`;
    names.add(tiers[i].name);
    if (i > 0 && tiers[i].minPercentile >= tiers[i - 1].minPercentile) {
      errors.tiers = "Tiers must be listed from the highest percentile down, each strictly lower than the one above.";
    }
  }
  if (tiers.length && tiers[tiers.length - 1].minPercentile !== 0) {
    errors.tiers ??= "The last tier must start at the 0th percentile so every customer gets a tier.";
  }
  if (!base.success || Object.keys(errors).length) return { ok: false, errors };
  const automations = Object.fromEntries(AUTOMATIONS.map((a) => [a, form.get(`automation_${a}`) === "on"])) as Record<
    Automation,
    boolean
  >;
  return {
    ok: true,
    settings: {
      horizonMonths: base.data.horizonMonths,
      annualDiscountRate: base.data.annualDiscountRate / 100,
      grossMargin: base.data.grossMargin / 100,
      tagPrefix: base.data.tagPrefix,
      tierRules: tiers,
      automations,
      retrainEveryDays: base.data.retrainEveryDays,
    },
  };
}

/** Whether a settings change alters predictions or what is written back (then the lifecycle rescores). */
export function settingsNeedRescore(before: ShopSettings, after: ShopSettings): boolean {
  const keys = ["horizonMonths", "annualDiscountRate", "grossMargin", "tagPrefix"] as const;
  return (
    keys.some((k) => before[k] !== after[k]) ||
    JSON.stringify(before.tierRules) !== JSON.stringify(after.tierRules) ||
    JSON.stringify(before.automations) !== JSON.stringify(after.automations)
  );
}

/** One line of the tier-change preview: `count` customers move from tier `from` to tier `to`. */
export interface TierMove {
  from: string;
  to: string;
  count: number;
}

/** Customers moving between tiers if `rules` replaced the current ones (largest moves first). */
export function tierMoves(current: readonly string[], clv: readonly number[], rules: TierRule[]): TierMove[] {
  const next = assignTiers(Float64Array.from(clv), rules);
  const counts = new Map<string, number>();
  current.forEach((from, i) => {
    if (from !== next[i]) counts.set(`${from}\u0000${next[i]}`, (counts.get(`${from}\u0000${next[i]}`) ?? 0) + 1);
  });
  return [...counts]
    .map(([k, count]) => {
      const [from, to] = k.split("\u0000") as [string, string];
      return { from, to, count };
    })
    .sort((a, b) => b.count - a.count || a.from.localeCompare(b.from));
}

/** The dry-run preview of new tier rules on the shop's current predictions (nothing is saved). */
export async function previewTierRules(db: Db, shop: string, rules: TierRule[]): Promise<TierMove[]> {
  const preds = await loadPredictionTiers(db, shop);
  return tierMoves(
    preds.map((p) => p.tier),
    preds.map((p) => p.clv),
    rules,
  );
}

/** Stores validated settings for the shop (insert or update). */
export async function saveSettings(db: Db, shop: string, s: ShopSettings): Promise<void> {
  const data = {
    horizonMonths: s.horizonMonths,
    annualDiscountRate: s.annualDiscountRate,
    grossMargin: s.grossMargin,
    tierRules: JSON.stringify(s.tierRules),
    tagPrefix: s.tagPrefix,
    automations: JSON.stringify(s.automations),
    retrainEveryDays: s.retrainEveryDays,
  };
  await upsertSettingsRow(db, shop, data);
}

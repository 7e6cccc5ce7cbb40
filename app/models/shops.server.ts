/** Shop and settings repository (one row each per shop; every query scoped by shop). */
import { z } from "zod";
import type { Prisma } from "@prisma/client";
import { assertShop, parseJson, type Db } from "./common.server";

/** Records an install (or re-install) of the app on a shop. */
export async function upsertShopInstalled(
  db: Db,
  shop: string,
  info: { scopes?: string | null; currencyCode?: string | null; ianaTimezone?: string | null } = {},
) {
  assertShop(shop);
  const data = {
    uninstalledAt: null,
    ...(info.scopes !== undefined && { scopes: info.scopes }),
    ...(info.currencyCode !== undefined && { currencyCode: info.currencyCode }),
    ...(info.ianaTimezone !== undefined && { ianaTimezone: info.ianaTimezone }),
  };
  return db.shop.upsert({
    where: { shop },
    create: { shop, installedAt: new Date(), ...data },
    update: data,
  });
}

/** Reads a shop (null when never installed or erased). */
export function getShop(db: Db, shop: string) {
  assertShop(shop);
  return db.shop.findUnique({ where: { shop } });
}

/** Whether the app is installed on a shop: "none" when it never was (or its data was erased). */
export type InstallationState = "installed" | "uninstalled" | "none";

/** Reads a shop's installation state (one indexed lookup; the webhook edge calls it per delivery). */
export async function installationState(db: Db, shop: string): Promise<InstallationState> {
  assertShop(shop);
  const row = await db.shop.findUnique({ where: { shop }, select: { uninstalledAt: true } });
  return !row ? "none" : row.uninstalledAt ? "uninstalled" : "installed";
}

/** Marks a shop uninstalled at `at` (idempotent: repeats keep the first time). */
export async function markShopUninstalled(db: Db, shop: string, at: Date = new Date()): Promise<void> {
  assertShop(shop);
  await db.shop.updateMany({ where: { shop, uninstalledAt: null }, data: { uninstalledAt: at } });
}

/** Updates the granted scopes of a shop (app/scopes_update). */
export async function updateShopScopes(db: Db, shop: string, scopes: string): Promise<void> {
  assertShop(shop);
  await db.shop.upsert({ where: { shop }, create: { shop, scopes }, update: { scopes } });
}

/** Moves the reconciliation watermark forward (never backwards). */
export async function advanceReconciledUntil(db: Db, shop: string, until: Date): Promise<void> {
  assertShop(shop);
  await db.shop.updateMany({
    where: { shop, OR: [{ reconciledUntil: null }, { reconciledUntil: { lt: until } }] },
    data: { reconciledUntil: until },
  });
}

/** One tier rule: customers at or above `minPercentile` of predicted CLV get tier `name`. */
export const tierRuleSchema = z.object({ name: z.string().min(1).max(40), minPercentile: z.number().min(0).max(1) });

/** Which automations write predictions back to Shopify. */
export const automationsSchema = z.object({
  tags: z.boolean().optional(),
  metafields: z.boolean().optional(),
  segments: z.boolean().optional(),
  flow: z.boolean().optional(),
  discounts: z.boolean().optional(),
});

/** Validation of a settings update (every field optional; bounds named in errors). */
export const settingsPatchSchema = z
  .object({
    /** Prediction horizon in months (1–60). */
    horizonMonths: z.number().int().min(1).max(60),
    /** Annual discount rate for CLV (0–1). */
    annualDiscountRate: z.number().min(0).max(1),
    /** Gross margin applied to revenue (0–1]. */
    grossMargin: z.number().gt(0).max(1),
    tierRules: z.array(tierRuleSchema).max(10),
    /** Prefix of tags written to customers, e.g. "clv" → "clv:high". */
    tagPrefix: z.string().regex(/^[a-z0-9_-]{1,20}$/i),
    automations: automationsSchema,
    /** Days raw webhook payloads are kept (0–90). */
    webhookPayloadRetentionDays: z.number().int().min(0).max(90),
    /** Number of model runs kept per shop (1–100). */
    modelRunRetention: z.number().int().min(1).max(100),
  })
  .partial();

/** A shop's settings with JSON columns parsed. */
export interface ShopSettings {
  shop: string;
  horizonMonths: number;
  annualDiscountRate: number;
  grossMargin: number;
  tierRules: Array<z.infer<typeof tierRuleSchema>>;
  tagPrefix: string;
  automations: z.infer<typeof automationsSchema>;
  webhookPayloadRetentionDays: number;
  modelRunRetention: number;
  retrainEveryDays: number;
  updatedAt: Date;
}

type SettingsRow = Awaited<ReturnType<Db["settings"]["create"]>>;

function toSettings(r: SettingsRow): ShopSettings {
  return {
    ...r,
    tierRules: parseJson(r.tierRules, [] as ShopSettings["tierRules"]),
    automations: parseJson(r.automations, {} as ShopSettings["automations"]),
  };
}

/** Reads a shop's settings, creating the defaults on first use. */
export async function getSettings(db: Db, shop: string): Promise<ShopSettings> {
  assertShop(shop);
  const row = await db.settings.upsert({ where: { shop }, create: { shop }, update: {} });
  return toSettings(row);
}

/** Validates and applies a settings patch; throws an error naming the bad field. */
export async function updateSettings(db: Db, shop: string, patch: unknown): Promise<ShopSettings> {
  assertShop(shop);
  const parsed = settingsPatchSchema.safeParse(patch);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`invalid settings: ${i.path.join(".") || "(root)"}: ${i.message}`);
  }
  const { tierRules, automations, ...rest } = parsed.data;
  const data = {
    ...rest,
    ...(tierRules !== undefined && { tierRules: JSON.stringify(tierRules) }),
    ...(automations !== undefined && { automations: JSON.stringify(automations) }),
  };
  const row = await db.settings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
  return toSettings(row);
}

/** The shop's currency and primary locale as stored (null until synced from Shopify: pages fall back to USD / en). */
export async function getShopFormat(
  db: Db,
  shop: string,
): Promise<{ currencyCode: string | null; primaryLocale: string | null }> {
  assertShop(shop);
  const row = await db.shop.findUnique({ where: { shop }, select: { currencyCode: true, primaryLocale: true } });
  return { currencyCode: row?.currencyCode ?? null, primaryLocale: row?.primaryLocale ?? null };
}

/** Horizon, margin and discount rate as stored (null before the settings exist), without creating them. */
export function readValueSettings(
  db: Db,
  shop: string,
): Promise<{ horizonMonths: number; grossMargin: number; annualDiscountRate: number } | null> {
  assertShop(shop);
  return db.settings.findUnique({
    where: { shop },
    select: { horizonMonths: true, grossMargin: true, annualDiscountRate: true },
  });
}

/** The shop's stored settings row as is (null before the first save; nothing created). */
export function findSettingsRow(db: Db, shop: string) {
  assertShop(shop);
  return db.settings.findUnique({ where: { shop } });
}

/** Creates or replaces the given columns of the shop's settings row. */
export async function upsertSettingsRow(
  db: Db,
  shop: string,
  data: Omit<Prisma.SettingsUncheckedCreateInput, "shop">,
): Promise<void> {
  assertShop(shop);
  await db.settings.upsert({ where: { shop }, create: { shop, ...data }, update: data });
}

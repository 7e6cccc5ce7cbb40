/**
 * Repository of retention campaigns and offers: unique single-use discount codes for chosen
 * customers (not the data-retention sweep, which is retention.server.ts). Scoped by shop throughout.
 */
import { assertShop, chunk, type Db } from "./common.server";

/** A campaign to create with its planned offers. */
export interface NewCampaign {
  audience: "customer" | "tier" | "at-risk" | "flow";
  target: string | null;
  percentage: number;
  validDays: number;
  startsAt: Date;
  endsAt: Date;
  externalRef?: string | null;
}

/** Creates the campaign and one planned offer (with its code) per customer, in one transaction. */
export async function createCampaignWithOffers(
  db: Db,
  shop: string,
  campaign: NewCampaign,
  offers: ReadonlyArray<{ customerId: string; code: string; wasAtRisk: boolean }>,
): Promise<number> {
  assertShop(shop);
  return db.$transaction(
    async (tx) => {
      const c = await tx.retentionCampaign.create({ data: { shop, ...campaign } });
      for (const part of chunk(offers, 500))
        await tx.retentionOffer.createMany({ data: part.map((o) => ({ shop, campaignId: c.id, ...o })) });
      return c.id;
    },
    { timeout: 120_000 },
  );
}

/** The campaign made for an external reference (Flow action run), if any. */
export async function campaignByExternalRef(db: Db, shop: string, externalRef: string) {
  assertShop(shop);
  return db.retentionCampaign.findFirst({ where: { shop, externalRef } });
}

/** The offers of a campaign (code, customer, status). */
export async function offersOfCampaign(db: Db, shop: string, campaignId: number) {
  assertShop(shop);
  return db.retentionOffer.findMany({
    where: { shop, campaignId },
    orderBy: { id: "asc" },
    select: { id: true, customerId: true, code: true, status: true },
  });
}

export async function getCampaign(db: Db, shop: string, id: number) {
  assertShop(shop);
  return db.retentionCampaign.findFirst({ where: { shop, id } });
}

export async function plannedOffers(db: Db, shop: string, campaignId: number, take: number) {
  assertShop(shop);
  return db.retentionOffer.findMany({
    where: { shop, campaignId, status: "planned" },
    orderBy: { id: "asc" },
    take,
    select: { id: true, customerId: true, code: true },
  });
}

export async function markOfferCreated(db: Db, shop: string, id: number, discountId: string, at = new Date()) {
  assertShop(shop);
  await db.retentionOffer.updateMany({ where: { shop, id }, data: { status: "created", discountId, sentAt: at } });
}

export async function setCampaignStatus(db: Db, shop: string, id: number, status: string, error: string | null = null) {
  assertShop(shop);
  await db.retentionCampaign.updateMany({
    where: { shop, id },
    data: { status, error, finishedAt: status === "running" ? null : new Date() },
  });
}

/** Offers per campaign (newest campaigns first) with created/redeemed counts and revenue. */
export async function campaignSummaries(db: Db, shop: string, take = 20) {
  assertShop(shop);
  const campaigns = await db.retentionCampaign.findMany({ where: { shop }, orderBy: { id: "desc" }, take });
  const ids = campaigns.map((c) => c.id);
  const groups = ids.length
    ? await db.retentionOffer.groupBy({
        by: ["campaignId", "status"],
        where: { shop, campaignId: { in: ids } },
        _count: { _all: true },
      })
    : [];
  const redeemed = ids.length
    ? await db.retentionOffer.groupBy({
        by: ["campaignId"],
        where: { shop, campaignId: { in: ids }, redeemedAt: { not: null } },
        _count: { _all: true },
        _sum: { redeemedAmount: true },
      })
    : [];
  return campaigns.map((c) => ({
    ...c,
    planned: groups.find((g) => g.campaignId === c.id && g.status === "planned")?._count._all ?? 0,
    created: groups.find((g) => g.campaignId === c.id && g.status === "created")?._count._all ?? 0,
    redeemed: redeemed.find((r) => r.campaignId === c.id)?._count._all ?? 0,
    redeemedRevenue: redeemed.find((r) => r.campaignId === c.id)?._sum.redeemedAmount ?? 0,
  }));
}

/** The customer's newest created offer (for the customer block). */
export async function latestOfferForCustomer(db: Db, shop: string, customerId: string) {
  assertShop(shop);
  return db.retentionOffer.findFirst({
    where: { shop, customerId, status: "created" },
    orderBy: { id: "desc" },
    select: { code: true, campaignId: true, createdAt: true },
  });
}

/** Customers holding an offer that is planned or created, not redeemed and not expired at `now`. */
export async function customersWithOpenOffers(db: Db, shop: string, now: Date): Promise<Set<string>> {
  assertShop(shop);
  const live = await db.retentionCampaign.findMany({
    where: { shop, endsAt: { gt: now }, status: { not: "failed" } },
    select: { id: true },
  });
  if (!live.length) return new Set();
  const rows = await db.retentionOffer.findMany({
    where: { shop, campaignId: { in: live.map((c) => c.id) }, redeemedAt: null },
    select: { customerId: true },
    distinct: ["customerId"],
  });
  return new Set(rows.map((r) => r.customerId));
}

/** Created, not yet redeemed offers of some customers. */
export async function openOffersOf(db: Db, shop: string, customerIds: readonly string[]) {
  assertShop(shop);
  return db.retentionOffer.findMany({
    where: { shop, status: "created", redeemedAt: null, customerId: { in: [...customerIds] } },
    select: { id: true, code: true, customerId: true, createdAt: true },
  });
}

export async function markOfferRedeemed(db: Db, shop: string, id: number, orderId: string, amount: number, at: Date) {
  assertShop(shop);
  await db.retentionOffer.updateMany({
    where: { shop, id, redeemedAt: null },
    data: { redeemedAt: at, redeemedOrder: orderId, redeemedAmount: amount },
  });
}

/** Orders (not test, not cancelled, not deleted) of some customers processed at or after `since`. */
export async function ordersOfCustomersSince(db: Db, shop: string, customerIds: readonly string[], since: Date) {
  assertShop(shop);
  const out: Array<{
    id: string;
    customerId: string | null;
    processedAt: Date;
    discountCodes: string;
    currentSubtotal: number;
  }> = [];
  for (const part of chunk([...customerIds], 500))
    out.push(
      ...(await db.order.findMany({
        where: {
          shop,
          customerId: { in: part },
          processedAt: { gte: since },
          test: false,
          cancelledAt: null,
          deletedAt: null,
        },
        select: { id: true, customerId: true, processedAt: true, discountCodes: true, currentSubtotal: true },
      })),
    );
  return out;
}

/** Every customer ever offered a code since `since` (for offered vs. not-offered comparisons). */
export async function offeredCustomerIds(db: Db, shop: string, since: Date): Promise<Set<string>> {
  assertShop(shop);
  const rows = await db.retentionOffer.findMany({
    where: { shop, status: "created", createdAt: { gte: since } },
    select: { customerId: true },
  });
  return new Set(rows.map((r) => r.customerId));
}

/** The first created offer time of the shop (start of the comparison window), or null. */
export async function firstOfferAt(db: Db, shop: string): Promise<Date | null> {
  assertShop(shop);
  const r = await db.retentionOffer.findFirst({
    where: { shop, status: "created" },
    orderBy: { id: "asc" },
    select: { createdAt: true },
  });
  return r?.createdAt ?? null;
}

/**
 * Reconciliation: re-reads customers and orders updated since the shop's watermark
 * (`Shop.reconciledUntil`, set by the backfill and by every reconciliation) through the paginated,
 * cost-aware client, applies them with the same normaliser and repositories as the backfill
 * ("apply if newer", so it never undoes a newer webhook), and advances the watermark to the newest
 * `updatedAt` seen. Repairs drift from missed webhooks. Runs as the scheduled job `sync.reconcile`.
 */
import type { Db } from "~/db.server";
import type { JobQueue } from "~/jobs/types";
import {
  advanceReconciledUntil,
  getShop,
  upsertCustomersIfNewer,
  upsertOrdersIfNewer,
  upsertRefunds,
} from "~/models/index.server";
import { createSyncRun, updateSyncRun } from "~/models/runs.server";
import type { AdminGraphql, GraphqlResult, ResultOf } from "~/shopify/admin-client.server";
import { normalizeGraphqlCustomer, normalizeGraphqlOrder, type GraphqlLineItem } from "./normalize-graphql";
import { ORDER_LINE_ITEMS_QUERY, RECONCILE_CUSTOMERS_QUERY, RECONCILE_ORDERS_QUERY } from "./queries";

/** Job type of the scheduled reconciliation. */
export const RECONCILE_JOB = "sync.reconcile";

/** Interval of the scheduled reconciliation (nightly). */
export const RECONCILE_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** Enqueues the next reconciliation of a shop (one per shop and interval slot). */
export function scheduleReconcile(
  queue: JobQueue,
  shop: string,
  at: Date = new Date(Date.now() + RECONCILE_INTERVAL_MS),
) {
  const slot = Math.floor(at.getTime() / RECONCILE_INTERVAL_MS);
  return queue.enqueue(shop, RECONCILE_JOB, {}, { dedupeKey: `${RECONCILE_JOB}:${shop}:${slot}`, runAt: at });
}

/** Options of `reconcileShop`. */
export interface ReconcileOptions {
  /** Orders per page (cost ≈ 2 + first × 73; 10 keeps a page under ~750 points). Default 10. */
  orderPageSize?: number;
  /** Customers per page. Default 100. */
  customerPageSize?: number;
  /**
   * Re-read this much before the watermark, because Shopify's search index is eventually
   * consistent. Re-reads are harmless (apply-if-newer). Default 15 minutes.
   */
  overlapMs?: number;
}

/** Counters of one reconciliation. */
export interface ReconcileResult {
  runId: number;
  since: string | null;
  watermark: string | null;
  customers: { seen: number; applied: number };
  orders: { seen: number; applied: number; dropped: number };
  refunds: { applied: number };
}

type OrderNode = ResultOf<typeof RECONCILE_ORDERS_QUERY>["orders"]["edges"][number]["node"];

/** Runs one reconciliation for a shop. */
export async function reconcileShop(
  deps: {
    db: Db;
    admin: AdminGraphql;
    /** Keeps the job lock fresh; called after every page. */ heartbeat?: (progress: unknown) => Promise<unknown>;
  },
  shop: string,
  options: ReconcileOptions = {},
): Promise<ReconcileResult> {
  const { db, admin } = deps;
  const shopRow = await getShop(db, shop);
  const since = shopRow?.reconciledUntil
    ? new Date(shopRow.reconciledUntil.getTime() - (options.overlapMs ?? 15 * 60_000))
    : null;
  const query = since ? `updated_at:>='${since.toISOString()}'` : "";
  const run = await createSyncRun(db, shop, "reconcile", {
    status: "running",
    phase: "customers",
    watermark: shopRow?.reconciledUntil ?? null,
  });
  const result: ReconcileResult = {
    runId: run.id,
    since: since?.toISOString() ?? null,
    watermark: null,
    customers: { seen: 0, applied: 0 },
    orders: { seen: 0, applied: 0, dropped: 0 },
    refunds: { applied: 0 },
  };
  let newest = shopRow?.reconciledUntil?.getTime() ?? 0;
  try {
    let after: string | null = null;
    do {
      const { data }: GraphqlResult<ResultOf<typeof RECONCILE_CUSTOMERS_QUERY>> = await admin.request(
        RECONCILE_CUSTOMERS_QUERY,
        { first: options.customerPageSize ?? 100, after, query },
      );
      const batch = data.customers.edges.map((e) => normalizeGraphqlCustomer(e.node));
      result.customers.seen += batch.length;
      result.customers.applied += (await upsertCustomersIfNewer(db, shop, batch)).applied;
      for (const c of batch) newest = Math.max(newest, c.shopifyUpdatedAt?.getTime() ?? 0);
      after = data.customers.pageInfo.hasNextPage ? (data.customers.pageInfo.endCursor ?? null) : null;
      await updateSyncRun(db, shop, run.id, { rowsDone: result.customers.seen });
      await deps.heartbeat?.({ runId: run.id, phase: "customers", rowsDone: result.customers.seen });
    } while (after);

    await updateSyncRun(db, shop, run.id, { phase: "orders" });
    after = null;
    do {
      const { data }: GraphqlResult<ResultOf<typeof RECONCILE_ORDERS_QUERY>> = await admin.request(
        RECONCILE_ORDERS_QUERY,
        {
          first: options.orderPageSize ?? 10,
          after,
          query,
        },
      );
      const orders = [];
      const refunds = [];
      for (const { node } of data.orders.edges) {
        const items = await allLineItems(admin, node);
        const n = normalizeGraphqlOrder(node, items);
        result.orders.seen++;
        newest = Math.max(newest, n.order.shopifyUpdatedAt.getTime());
        if (n.order.test) {
          result.orders.dropped++;
          continue;
        }
        orders.push(n.order);
        refunds.push(...n.refunds);
      }
      result.orders.applied += (await upsertOrdersIfNewer(db, shop, orders)).applied;
      result.refunds.applied += (await upsertRefunds(db, shop, refunds)).applied;
      after = data.orders.pageInfo.hasNextPage ? (data.orders.pageInfo.endCursor ?? null) : null;
      await updateSyncRun(db, shop, run.id, { rowsDone: result.customers.seen + result.orders.seen });
      await deps.heartbeat?.({ runId: run.id, phase: "orders", rowsDone: result.customers.seen + result.orders.seen });
    } while (after);
  } catch (e) {
    // Nothing applied is rolled back; the watermark stays where it was so the next run re-reads.
    await updateSyncRun(db, shop, run.id, { status: "failed", error: (e as Error).message, finishedAt: new Date() });
    throw e;
  }
  const watermark = newest ? new Date(newest) : null;
  if (watermark) await advanceReconciledUntil(db, shop, watermark);
  result.watermark = watermark?.toISOString() ?? null;
  await updateSyncRun(db, shop, run.id, {
    status: "completed",
    phase: "done",
    watermark,
    finishedAt: new Date(),
    rowsDone: result.customers.seen + result.orders.seen,
    rowsTotalEstimate: result.customers.seen + result.orders.seen,
  });
  return result;
}

/** The order's line items: the first page from the order query plus any further pages. */
async function allLineItems(admin: AdminGraphql, node: OrderNode): Promise<GraphqlLineItem[]> {
  const items = node.lineItems.edges.map((e) => e.node);
  let page = node.lineItems.pageInfo;
  while (page.hasNextPage) {
    const { data } = await admin.request(ORDER_LINE_ITEMS_QUERY, { id: node.id, after: page.endCursor });
    if (!data.order) break;
    items.push(...data.order.lineItems.edges.map((e) => e.node));
    page = data.order.lineItems.pageInfo;
  }
  return items;
}

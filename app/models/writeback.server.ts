/**
 * Write-back repository (every query scoped by shop): the per-customer record of what was last
 * written to Shopify (tags and metafield values) and the audit log of write-back runs.
 */
import { assertShop, chunk, parseJson, type Db } from "./common.server";

/** What the app last wrote to one customer. */
export interface WrittenState {
  tags: string[];
  metafields: Record<string, string>;
}

/** The records of `customerIds` (all of the shop's when omitted). */
export async function loadWritebackRecords(
  db: Db,
  shop: string,
  customerIds?: readonly string[],
): Promise<Map<string, WrittenState>> {
  assertShop(shop);
  const out = new Map<string, WrittenState>();
  const batches = customerIds ? chunk(customerIds, 500) : [undefined];
  for (const ids of batches) {
    const rows = await db.writebackRecord.findMany({
      where: { shop, ...(ids && { customerId: { in: [...ids] } }) },
      select: { customerId: true, tags: true, metafields: true },
    });
    for (const r of rows)
      out.set(r.customerId, {
        tags: parseJson<string[]>(r.tags, []),
        metafields: parseJson<Record<string, string>>(r.metafields, {}),
      });
  }
  return out;
}

/** Stores what was written (whole state per customer), in one transaction per 200 customers. */
export async function saveWritebackRecords(
  db: Db,
  shop: string,
  records: ReadonlyArray<{ customerId: string } & WrittenState>,
): Promise<void> {
  assertShop(shop);
  for (const part of chunk(records, 200)) {
    await db.$transaction(
      part.map((r) => {
        const data = { tags: JSON.stringify(r.tags), metafields: JSON.stringify(r.metafields) };
        return db.writebackRecord.upsert({
          where: { shop_customerId: { shop, customerId: r.customerId } },
          create: { shop, customerId: r.customerId, ...data },
          update: data,
        });
      }),
    );
    await new Promise<void>((r) => setImmediate(r));
  }
}

/** Opens an audit row for a write-back run. */
export async function startWritebackAudit(db: Db, shop: string, trigger: string): Promise<number> {
  assertShop(shop);
  const row = await db.writebackAudit.create({ data: { shop, trigger, status: "running" }, select: { id: true } });
  return row.id;
}

/** Closes an audit row with the run's counts. */
export async function finishWritebackAudit(
  db: Db,
  shop: string,
  id: number,
  r: {
    status: "completed" | "failed";
    customersConsidered: number;
    customersTouched: number;
    mutations: number;
    requests: number;
    bulkOperationIds: string[];
    errors: string[];
  },
): Promise<void> {
  assertShop(shop);
  await db.writebackAudit.updateMany({
    where: { shop, id },
    data: {
      ...r,
      finishedAt: new Date(),
      bulkOperationIds: JSON.stringify(r.bulkOperationIds),
      errors: JSON.stringify(r.errors.slice(0, 50)),
    },
  });
}

/**
 * Closes the audit of a write-back whose process died mid-run (kill -9, crash) as "interrupted",
 * when its job runs again; an audit already finished is left alone. Returns whether one was closed.
 */
export async function closeInterruptedAudit(db: Db, shop: string, id: number, rerunAuditId: number): Promise<boolean> {
  assertShop(shop);
  const r = await db.writebackAudit.updateMany({
    where: { shop, id, status: "running" },
    data: {
      status: "interrupted",
      finishedAt: new Date(),
      errors: JSON.stringify([`the process stopped during this run; its job ran again (audit #${rerunAuditId})`]),
    },
  });
  return r.count > 0;
}

/** The latest write-back runs of a shop, newest first. */
export async function listWritebackAudits(db: Db, shop: string, take = 20) {
  assertShop(shop);
  const rows = await db.writebackAudit.findMany({ where: { shop }, orderBy: { id: "desc" }, take });
  return rows.map((r) => ({
    ...r,
    bulkOperationIds: parseJson<string[]>(r.bulkOperationIds, []),
    errors: parseJson<string[]>(r.errors, []),
  }));
}

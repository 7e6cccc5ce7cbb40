/**
 * Tier write-back to Shopify through the Admin GraphQL port (durable job `writeback.run`):
 *  1. metafields (`$app` namespace: clv_tier, predicted_clv, p_alive) for every predicted
 *     customer, 25 per `metafieldsSet` call (Shopify's maximum), when automations.metafields is on;
 *  2. tags (`<prefix>:<tier>`; stale tier tags removed) only for customers whose tag set differs,
 *     up to 25 aliased `tagsAdd`/`tagsRemove` fields per request, when automations.tags is on.
 * Small steps go through the rate-limited port (paced from the throttle status); from
 * `BULK_THRESHOLD` writes up a step runs as one bulk mutation (staged JSONL, per-line results;
 * writeback-bulk.server.ts), as Shopify recommends for thousands of customers — minutes of
 * throttled requests become one operation. Progress is stored on the job. Scoped by shop throughout.
 */
import type { Db } from "~/db.server";
import { registerJobHandler } from "~/jobs/registry.server";
import { parseStoredTags, setCustomersTags } from "~/models/customers.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { getSettings } from "./settings.server";
import { lineErrors, runBulkMutation, type BulkMutationOptions } from "./writeback-bulk.server";
import { getShopCurrency } from "./shop.server";

/** Job type of the write-back. */
export const WRITEBACK_JOB = "writeback.run";

/** Metafields per `metafieldsSet` call (Shopify's limit). */
export const METAFIELDS_PER_CALL = 25;
/** Tag mutations aliased into one request. */
export const TAG_MUTATIONS_PER_CALL = 25;

/** Progress reported while writing back. */
export interface WritebackProgress {
  phase: "metafields" | "tags" | "done";
  done: number;
  total: number;
}

/** Result of a write-back run. */
export interface WritebackResult {
  customers: number;
  metafieldCalls: number;
  tagged: number;
  untagged: number;
  tagCalls: number;
  /** Bulk mutations run (metafields, tagsAdd, tagsRemove) when a step was large. */
  bulkOperations: number;
}

const METAFIELDS_SET = `mutation HorizonMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) { metafields { id } userErrors { field message code } }
}`;

const gid = (id: string) => `gid://shopify/Customer/${id}`;

/** Builds one request of aliased tag mutations (`t0: tagsAdd(...)`, `r0: tagsRemove(...)`). */
export function tagMutationDocument(ops: Array<{ id: string; add: string[]; remove: string[] }>): {
  query: string;
  variables: Record<string, unknown>;
} {
  const decls: string[] = [];
  const fields: string[] = [];
  const variables: Record<string, unknown> = {};
  ops.forEach((op, i) => {
    decls.push(`$id${i}: ID!`);
    variables[`id${i}`] = gid(op.id);
    if (op.add.length) {
      decls.push(`$a${i}: [String!]!`);
      variables[`a${i}`] = op.add;
      fields.push(`t${i}: tagsAdd(id: $id${i}, tags: $a${i}) { userErrors { field message } }`);
    }
    if (op.remove.length) {
      decls.push(`$r${i}: [String!]!`);
      variables[`r${i}`] = op.remove;
      fields.push(`r${i}: tagsRemove(id: $id${i}, tags: $r${i}) { userErrors { field message } }`);
    }
  });
  return { query: `mutation HorizonTierTags(${decls.join(", ")}) {\n  ${fields.join("\n  ")}\n}`, variables };
}

/** Tag changes for one customer: add the tier tag, remove other tags with the prefix. */
export function tagChange(currentTags: string, prefix: string, tier: string): { add: string[]; remove: string[] } {
  const want = `${prefix}:${tier}`;
  const tags = parseStoredTags(currentTags);
  return {
    add: tags.includes(want) ? [] : [want],
    remove: tags.filter((t) => t.startsWith(`${prefix}:`) && t !== want),
  };
}

/** Options of `writeBackTiers`. */
export interface WritebackOptions {
  /**
   * From this many customers (metafields) or tag changes up, a step runs as one Shopify bulk
   * mutation (staged JSONL) instead of rate-limited per-request calls. Default `BULK_THRESHOLD`.
   */
  bulkThreshold?: number;
  /** Polling and fetch options of the bulk mutations. */
  bulk?: Omit<BulkMutationOptions, "onProgress">;
}

/**
 * Below this many writes the per-request path is used: it finishes in a few requests, while a bulk
 * mutation costs a staged upload, a submission and polling.
 */
export const BULK_THRESHOLD = 250;

const TAGS_ADD = `mutation HorizonBulkTagsAdd($id: ID!, $tags: [String!]!) {
  tagsAdd(id: $id, tags: $tags) { userErrors { field message } }
}`;
const TAGS_REMOVE = `mutation HorizonBulkTagsRemove($id: ID!, $tags: [String!]!) {
  tagsRemove(id: $id, tags: $tags) { userErrors { field message } }
}`;

type TagOp = { id: string; add: string[]; remove: string[] };

/** Stores our copy of the customers' tags after Shopify accepted the changes (grouped by value). */
async function persistTags(db: Db, shop: string, tagsOf: Map<string, string>, done: TagOp[]): Promise<void> {
  const byValue = new Map<string, string[]>();
  for (const op of done) {
    const next = [...parseStoredTags(tagsOf.get(op.id) ?? "").filter((t) => !op.remove.includes(t)), ...op.add].join(
      ", ",
    );
    tagsOf.set(op.id, next);
    const ids = byValue.get(next);
    if (ids) ids.push(op.id);
    else byValue.set(next, [op.id]);
  }
  for (const [tags, ids] of byValue) await setCustomersTags(db, shop, tags, ids);
}

/** Writes the shop's tiers back to Shopify. */
export async function writeBackTiers(
  db: Db,
  admin: AdminGraphql,
  shop: string,
  onProgress: (p: WritebackProgress) => Promise<unknown> | void = () => undefined,
  opts: WritebackOptions = {},
): Promise<WritebackResult> {
  const threshold = opts.bulkThreshold ?? BULK_THRESHOLD;
  const [settings, currency] = await Promise.all([getSettings(db, shop), getShopCurrency(db, shop)]);
  const preds = await db.prediction.findMany({
    where: { shop },
    select: { customerId: true, tier: true, clv: true, pAlive: true },
    orderBy: { customerId: "asc" },
  });
  const result: WritebackResult = {
    customers: preds.length,
    metafieldCalls: 0,
    tagged: 0,
    untagged: 0,
    tagCalls: 0,
    bulkOperations: 0,
  };

  if (settings.automations.metafields) {
    const perCustomer = 3;
    const step = Math.floor(METAFIELDS_PER_CALL / perCustomer);
    const groups: unknown[][] = [];
    for (let i = 0; i < preds.length; i += step) {
      groups.push(
        preds.slice(i, i + step).flatMap((p) => [
          {
            ownerId: gid(p.customerId),
            namespace: "$app",
            key: "clv_tier",
            type: "single_line_text_field",
            value: p.tier,
          },
          {
            ownerId: gid(p.customerId),
            namespace: "$app",
            key: "predicted_clv",
            type: "money",
            value: JSON.stringify({ amount: p.clv.toFixed(2), currency_code: currency }),
          },
          {
            ownerId: gid(p.customerId),
            namespace: "$app",
            key: "p_alive",
            type: "number_decimal",
            value: p.pAlive.toFixed(4),
          },
        ]),
      );
    }
    if (preds.length >= threshold) {
      const lines = await runBulkMutation(
        admin,
        METAFIELDS_SET,
        groups.map((metafields) => ({ metafields })),
        {
          ...opts.bulk,
          onProgress: (d) =>
            onProgress({ phase: "metafields", done: Math.min(preds.length, d * step), total: preds.length }),
        },
      );
      result.bulkOperations++;
      const errors = lines.flatMap((l) => lineErrors(l, "metafieldsSet").map((e) => `line ${l.line}: ${e}`));
      if (errors.length)
        throw new Error(`metafield write-back failed on ${errors.length} lines: ${errors.slice(0, 3).join("; ")}`);
    } else {
      for (const [g, metafields] of groups.entries()) {
        await admin.mutate(METAFIELDS_SET, { metafields }, "metafieldsSet");
        result.metafieldCalls++;
        if (result.metafieldCalls % 20 === 0)
          await onProgress({ phase: "metafields", done: Math.min(preds.length, (g + 1) * step), total: preds.length });
      }
    }
    await onProgress({ phase: "metafields", done: preds.length, total: preds.length });
  }

  if (settings.automations.tags) {
    const customers = await db.customer.findMany({ where: { shop }, select: { id: true, tags: true } });
    const tagsOf = new Map(customers.map((c) => [c.id, c.tags]));
    const ops: TagOp[] = preds
      .map((p) => ({ id: p.customerId, ...tagChange(tagsOf.get(p.customerId) ?? "", settings.tagPrefix, p.tier) }))
      .filter((o) => o.add.length || o.remove.length);
    const count = (done: TagOp[]) => {
      for (const op of done) {
        result.tagged += op.add.length ? 1 : 0;
        result.untagged += op.remove.length ? 1 : 0;
      }
    };
    if (ops.length >= threshold) {
      const adds = ops.filter((o) => o.add.length);
      const removes = ops.filter((o) => o.remove.length);
      const total = adds.length + removes.length;
      const failed = new Map<string, string>();
      let before = 0;
      for (const [list, doc, root] of [
        [adds, TAGS_ADD, "tagsAdd"],
        [removes, TAGS_REMOVE, "tagsRemove"],
      ] as const) {
        if (!list.length) continue;
        const lines = await runBulkMutation(
          admin,
          doc,
          list.map((o) => ({ id: gid(o.id), tags: root === "tagsAdd" ? o.add : o.remove })),
          {
            ...opts.bulk,
            onProgress: (d) => onProgress({ phase: "tags", done: before + d, total }),
          },
        );
        result.bulkOperations++;
        for (const l of lines) {
          const errors = lineErrors(l, root);
          if (errors.length && !failed.has(list[l.line]!.id)) failed.set(list[l.line]!.id, `${root}: ${errors[0]}`);
        }
        before += list.length;
      }
      // Only what Shopify accepted is recorded; a rerun retries the rest (tagsAdd is idempotent).
      const done = ops.filter((o) => !failed.has(o.id));
      await persistTags(db, shop, tagsOf, done);
      count(done);
      if (failed.size)
        throw new Error(
          `tag write-back failed for ${failed.size} customers: ${[...failed.values()].slice(0, 3).join("; ")}`,
        );
    } else {
      for (let i = 0; i < ops.length; i += TAG_MUTATIONS_PER_CALL) {
        const batch = ops.slice(i, i + TAG_MUTATIONS_PER_CALL);
        const { query, variables } = tagMutationDocument(batch);
        const { data } = await admin.request<Record<string, { userErrors: Array<{ message: string }> } | null>>(
          query,
          variables,
        );
        const errors = Object.entries(data).flatMap(([k, v]) => (v?.userErrors ?? []).map((e) => `${k}: ${e.message}`));
        if (errors.length)
          throw new Error(`tag write-back failed for ${errors.length} customers: ${errors.slice(0, 3).join("; ")}`);
        // Keep our copy of the tags in step so a rerun does not repeat the work.
        await persistTags(db, shop, tagsOf, batch);
        count(batch);
        result.tagCalls++;
        if (result.tagCalls % 10 === 0)
          await onProgress({ phase: "tags", done: Math.min(ops.length, i + batch.length), total: ops.length });
      }
    }
  }
  await onProgress({ phase: "done", done: preds.length, total: preds.length });
  return result;
}

/** Enqueues a write-back (one pending per shop). */
export async function requestWriteback(db: Db, shop: string): Promise<number> {
  const { enqueueJob } = await import("~/jobs/db-queue.server");
  const r = await enqueueJob(
    db,
    shop,
    WRITEBACK_JOB,
    {},
    { dedupeKey: `${WRITEBACK_JOB}:${shop}`, replaceFinished: true, maxAttempts: 3 },
  );
  return r.id;
}

registerJobHandler(WRITEBACK_JOB, async (ctx) => {
  const admin = await ctx.admin();
  return writeBackTiers(ctx.db, admin, ctx.shop, (p) => ctx.progress(p));
});

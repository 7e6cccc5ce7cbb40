/**
 * Exact write-back of the predictions to Shopify through the Admin GraphQL port: for every
 * customer (or only `customerIds`, for incremental runs) the plan compares the wanted metafields
 * and tier tag with what was last written (WritebackRecord) and the customer's current tags, and
 * sends only differences — an unchanged run sends nothing. Metafields go 25 per `metafieldsSet`
 * call (Shopify's maximum, whole customers per call), tags as aliased `tagsAdd`/`tagsRemove`
 * fields; from `bulkThreshold` customers up a phase runs as one bulk mutation
 * (app/shopify/bulk-mutation.server.ts). Both phases always run (a metafield error does not stop
 * tagging); what Shopify accepted is recorded, errors fail the job afterwards (it retries only what
 * is left).
 * Every run leaves an audit row (customers touched, mutations, requests, bulk operation ids, errors).
 */
import type { Db } from "~/db/connect.server";
import { parseStoredTags, setCustomersTags } from "~/models/customers.server";
import { getShop } from "~/models/shops.server";
import { getSettings } from "~/settings/shop-settings.server";
import {
  closeInterruptedAudit,
  finishWritebackAudit,
  loadWritebackRecords,
  saveWritebackRecords,
  startWritebackAudit,
  type WrittenState,
} from "~/models/writeback.server";
import { loadWritebackPredictions } from "~/models/lifecycle.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import type { MetafieldsSetInput } from "~/types/admin.types";
import { lineErrors, runBulkMutation, type BulkMutationOptions } from "~/shopify/bulk-mutation.server";
import { TAG_MUTATIONS_PER_CALL, customerGid as gid, tagMutationDocument } from "~/shopify/tag-mutations";
import { planCustomer, planWrites, type CustomerPlan } from "./writeback-plan";

/** Metafields per `metafieldsSet` call (Shopify's limit). */
export const METAFIELDS_PER_CALL = 25;
/**
 * Below this many customers to write the per-request path is used: it finishes in a few requests,
 * while a bulk mutation costs a staged upload, a submission and polling.
 */
export const BULK_THRESHOLD = 250;

/** Progress reported while writing back. */
export interface WritebackProgress {
  phase: "metafields" | "tags" | "done";
  done: number;
  total: number;
}

/** Result of a write-back run (also stored in the audit log). */
export interface WritebackResult {
  auditId: number;
  /** Customers with a prediction looked at. */
  customers: number;
  /** Customers something was sent for. */
  touched: number;
  /** Metafield values set plus tag add/remove operations. */
  mutations: number;
  metafieldValues: number;
  tagged: number;
  untagged: number;
  /** GraphQL requests sent (per-request path) and bulk operations run. */
  requests: number;
  bulkOperationIds: string[];
  errors: string[];
}

/** Options of `writeBack`. */
export interface WritebackOptions {
  /** Only these customers (incremental rescoring); default every predicted customer. */
  customerIds?: readonly string[];
  /** Why it runs (audit log): install, nightly, incremental, settings, retrain, manual. */
  trigger?: string;
  bulkThreshold?: number;
  bulk?: Omit<BulkMutationOptions, "onProgress" | "onSubmitted">;
  onProgress?: (p: WritebackProgress) => Promise<unknown> | void;
  /** Called once this run's audit row exists (the job stores the id to close it if the process dies). */
  onAudit?: (auditId: number) => Promise<unknown> | void;
  /** The audit of an earlier attempt of the same job that never finished: closed as "interrupted". */
  interruptedAuditId?: number;
  now?: Date;
}

const METAFIELDS_SET = `#graphql
mutation HorizonMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) { metafields { id } userErrors { field message code } }
}`;
const TAGS_ADD = `#graphql
mutation HorizonBulkTagsAdd($id: ID!, $tags: [String!]!) {
  tagsAdd(id: $id, tags: $tags) { userErrors { field message } }
}`;
const TAGS_REMOVE = `#graphql
mutation HorizonBulkTagsRemove($id: ID!, $tags: [String!]!) {
  tagsRemove(id: $id, tags: $tags) { userErrors { field message } }
}`;

/** Groups plans into `metafieldsSet` inputs of at most 25 values, whole customers per group. */
function metafieldGroups(plans: CustomerPlan[]): Array<{ plans: CustomerPlan[]; inputs: MetafieldsSetInput[] }> {
  const groups: Array<{ plans: CustomerPlan[]; inputs: MetafieldsSetInput[] }> = [];
  let cur: { plans: CustomerPlan[]; inputs: MetafieldsSetInput[] } = { plans: [], inputs: [] };
  for (const p of plans) {
    if (cur.inputs.length + p.metafields.length > METAFIELDS_PER_CALL) {
      groups.push(cur);
      cur = { plans: [], inputs: [] };
    }
    cur.plans.push(p);
    for (const m of p.metafields)
      cur.inputs.push({ ownerId: gid(p.customerId), namespace: "$app", key: m.key, type: m.type, value: m.value });
  }
  if (cur.plans.length) groups.push(cur);
  return groups;
}

/** Writes the predictions' differences back to Shopify and records what was written. */
export async function writeBack(
  db: Db,
  admin: AdminGraphql,
  shop: string,
  opts: WritebackOptions = {},
): Promise<WritebackResult> {
  const threshold = opts.bulkThreshold ?? BULK_THRESHOLD;
  const onProgress = opts.onProgress ?? (() => undefined);
  const [settings, shopRow] = await Promise.all([getSettings(db, shop), getShop(db, shop)]);
  const currencyCode = shopRow?.currencyCode;
  if (!currencyCode)
    throw new Error(`write-back for ${shop}: the shop's currency is not known yet (the shop-facts step reads it)`);
  const auditId = await startWritebackAudit(db, shop, opts.trigger ?? "manual");
  const result: WritebackResult = {
    auditId,
    customers: 0,
    touched: 0,
    mutations: 0,
    metafieldValues: 0,
    tagged: 0,
    untagged: 0,
    requests: 0,
    bulkOperationIds: [],
    errors: [],
  };
  try {
    if (opts.interruptedAuditId) await closeInterruptedAudit(db, shop, opts.interruptedAuditId, auditId);
    await opts.onAudit?.(auditId);
    const preds = await loadWritebackPredictions(db, shop, opts.customerIds);
    result.customers = preds.length;
    const records = await loadWritebackRecords(db, shop, opts.customerIds ?? undefined);
    const now = opts.now ?? new Date();
    const planOpts = {
      currencyCode,
      tagPrefix: settings.tagPrefix,
      tags: settings.automations.tags,
      metafields: settings.automations.metafields,
      now,
    };
    const plans = preds
      .map((p) => planCustomer(p, records.get(p.customerId), parseStoredTags(p.tags), planOpts))
      .filter(planWrites);
    result.touched = plans.length;
    // State recorded as Shopify accepts each part (metafields, then tags).
    const state = new Map<string, WrittenState>(
      plans.map((p) => [p.customerId, records.get(p.customerId) ?? { tags: [], metafields: {} }]),
    );
    const tagsOf = new Map(preds.map((p) => [p.customerId, p.tags]));
    const bulk = { ...opts.bulk, onSubmitted: (id: string) => result.bulkOperationIds.push(id) };

    // 1. Metafields.
    const mfPlans = plans.filter((p) => p.metafields.length);
    const mfTotal = mfPlans.length;
    if (mfTotal) {
      const groups = metafieldGroups(mfPlans);
      const accepted: CustomerPlan[] = [];
      if (mfTotal >= threshold) {
        try {
          const lines = await runBulkMutation(
            admin,
            METAFIELDS_SET,
            groups.map((g) => ({ metafields: g.inputs })),
            {
              ...bulk,
              onProgress: (d) => onProgress({ phase: "metafields", done: Math.min(mfTotal, d), total: mfTotal }),
            },
          );
          for (const l of lines) {
            const errors = lineErrors(l, "metafieldsSet");
            if (errors.length)
              result.errors.push(...errors.slice(0, 3).map((e) => `metafieldsSet line ${l.line}: ${e}`));
            else accepted.push(...groups[l.line]!.plans);
          }
        } catch (e) {
          result.errors.push(`metafields bulk mutation: ${(e as Error).message}`);
        }
      } else {
        for (const [i, g] of groups.entries()) {
          result.requests++;
          try {
            await admin.mutate(METAFIELDS_SET, { metafields: g.inputs }, "metafieldsSet");
            accepted.push(...g.plans);
          } catch (e) {
            result.errors.push(`metafieldsSet: ${(e as Error).message}`);
          }
          if (i % 20 === 19) await onProgress({ phase: "metafields", done: accepted.length, total: mfTotal });
        }
      }
      for (const p of accepted) {
        state.set(p.customerId, { ...state.get(p.customerId)!, metafields: p.next.metafields });
        result.metafieldValues += p.metafields.length;
      }
      await saveWritebackRecords(
        db,
        shop,
        accepted.map((p) => ({ customerId: p.customerId, ...state.get(p.customerId)! })),
      );
    }

    // 2. Tags.
    const tagPlans = plans.filter((p) => p.addTags.length || p.removeTags.length || planOpts.tags);
    const tagOps = tagPlans.filter((p) => p.addTags.length || p.removeTags.length);
    const accepted = new Set<string>();
    if (tagOps.length >= threshold) {
      const failed = new Set<string>();
      for (const [list, doc, root] of [
        [tagOps.filter((o) => o.addTags.length), TAGS_ADD, "tagsAdd"],
        [tagOps.filter((o) => o.removeTags.length), TAGS_REMOVE, "tagsRemove"],
      ] as const) {
        if (!list.length) continue;
        try {
          const lines = await runBulkMutation(
            admin,
            doc,
            list.map((o) => ({ id: gid(o.customerId), tags: root === "tagsAdd" ? o.addTags : o.removeTags })),
            { ...bulk, onProgress: (d) => onProgress({ phase: "tags", done: d, total: tagOps.length }) },
          );
          for (const l of lines) {
            const errors = lineErrors(l, root);
            if (errors.length && !failed.has(list[l.line]!.customerId)) {
              failed.add(list[l.line]!.customerId);
              result.errors.push(`${root} customer ${list[l.line]!.customerId}: ${errors[0]}`);
            }
          }
        } catch (e) {
          for (const o of list) failed.add(o.customerId);
          result.errors.push(`${root} bulk mutation: ${(e as Error).message}`);
        }
      }
      for (const o of tagOps) if (!failed.has(o.customerId)) accepted.add(o.customerId);
    } else {
      for (let i = 0; i < tagOps.length; i += TAG_MUTATIONS_PER_CALL) {
        const batch = tagOps.slice(i, i + TAG_MUTATIONS_PER_CALL);
        const { query, variables } = tagMutationDocument(
          batch.map((o) => ({ id: o.customerId, add: o.addTags, remove: o.removeTags })),
        );
        result.requests++;
        try {
          const { data } = await admin.requestBuilt<Record<string, { userErrors: Array<{ message: string }> } | null>>(
            query,
            variables,
          );
          const bad = new Set<number>();
          for (const [alias, v] of Object.entries(data))
            if (v?.userErrors?.length) {
              bad.add(Number(alias.slice(1)));
              result.errors.push(`${alias}: ${v.userErrors[0]!.message}`);
            }
          batch.forEach((o, j) => !bad.has(j) && accepted.add(o.customerId));
        } catch (e) {
          result.errors.push(`tags: ${(e as Error).message}`);
        }
        if ((i / TAG_MUTATIONS_PER_CALL) % 10 === 9)
          await onProgress({ phase: "tags", done: Math.min(tagOps.length, i + batch.length), total: tagOps.length });
      }
    }
    // Record the tags of customers whose tag changes were accepted or who needed none.
    const tagDone = tagPlans.filter((p) => accepted.has(p.customerId) || !(p.addTags.length || p.removeTags.length));
    for (const p of tagDone) state.set(p.customerId, { ...state.get(p.customerId)!, tags: p.next.tags });
    await saveWritebackRecords(
      db,
      shop,
      tagDone.map((p) => ({ customerId: p.customerId, ...state.get(p.customerId)! })),
    );
    // Our copy of the customers' tags follows what Shopify accepted (grouped by resulting value).
    const byValue = new Map<string, string[]>();
    for (const p of tagOps) {
      if (!accepted.has(p.customerId)) continue;
      result.tagged += p.addTags.length ? 1 : 0;
      result.untagged += p.removeTags.length ? 1 : 0;
      const next = [
        ...parseStoredTags(tagsOf.get(p.customerId) ?? "").filter((t) => !p.removeTags.includes(t)),
        ...p.addTags,
      ].join(", ");
      byValue.set(next, [...(byValue.get(next) ?? []), p.customerId]);
    }
    for (const [tags, ids] of byValue) await setCustomersTags(db, shop, tags, ids);
    result.mutations =
      result.metafieldValues +
      tagOps
        .filter((p) => accepted.has(p.customerId))
        .reduce((n, p) => n + (p.addTags.length ? 1 : 0) + (p.removeTags.length ? 1 : 0), 0);
    await onProgress({ phase: "done", done: result.touched, total: result.touched });
  } catch (e) {
    result.errors.push((e as Error).message);
  }
  result.requests += result.bulkOperationIds.length;
  await finishWritebackAudit(db, shop, auditId, {
    status: result.errors.length ? "failed" : "completed",
    customersConsidered: result.customers,
    customersTouched: result.touched,
    mutations: result.mutations,
    requests: result.requests,
    bulkOperationIds: result.bulkOperationIds,
    errors: result.errors,
  });
  if (result.errors.length)
    throw new Error(
      `write-back for ${shop} finished with ${result.errors.length} error(s) (audit #${auditId}): ${result.errors.slice(0, 3).join("; ")}`,
    );
  return result;
}

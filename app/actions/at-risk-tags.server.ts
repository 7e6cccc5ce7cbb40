/**
 * Writes the at-risk tag (`<prefix>-at-risk`) so the at-risk segment and the segment templates can
 * filter on it: added to customers whose stored action state is at risk, removed from the others.
 * Only customers whose tags differ are touched: below BULK_AT_RISK_TAGS changes, 25 aliased tag
 * mutations per request (the tier write-back's document builder); from there on, one Shopify bulk
 * mutation per direction (staged JSONL, per-line results), as for the tier tags. Our copy of the
 * tags is updated only for what Shopify accepted, so a rerun retries the rest.
 */
import type { Db } from "~/db.server";
import { customerTagsOf } from "~/models/actions.server";
import { parseStoredTags, setCustomersTags } from "~/models/customers.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { aliasedUserErrors, type AliasedPayloads } from "~/shopify/aliased";
import { TAG_MUTATIONS_PER_CALL, tagMutationDocument } from "~/shopify/tag-mutations";
import { lineErrors, runBulkMutation, type BulkMutationOptions } from "~/shopify/bulk-mutation.server";
import { atRiskTag } from "./tags";

/** From this many tag changes up, a bulk mutation is used. */
export const BULK_AT_RISK_TAGS = 250;

const AT_RISK_TAGS_ADD = `#graphql
mutation HorizonAtRiskTagsAdd($id: ID!, $tags: [String!]!) {
  tagsAdd(id: $id, tags: $tags) { userErrors { field message } }
}`;
const AT_RISK_TAGS_REMOVE = `#graphql
mutation HorizonAtRiskTagsRemove($id: ID!, $tags: [String!]!) {
  tagsRemove(id: $id, tags: $tags) { userErrors { field message } }
}`;

type TagOp = { id: string; add: string[]; remove: string[] };

/** Adds/removes the at-risk tag where our copy of the tags disagrees with `atRisk`. */
export async function syncAtRiskTags(
  db: Db,
  admin: AdminGraphql,
  shop: string,
  prefix: string,
  atRisk: ReadonlySet<string>,
  opts: {
    bulkThreshold?: number;
    bulk?: Omit<BulkMutationOptions, "onProgress">;
    /** Only these customers (an incremental rescoring's); default every customer. */
    onlyCustomers?: ReadonlySet<string>;
  } = {},
): Promise<{ added: number; removed: number; bulkOperations: number }> {
  const tag = atRiskTag(prefix);
  const tagsOf = await customerTagsOf(db, shop);
  const ops: TagOp[] = [];
  for (const [id, stored] of tagsOf) {
    if (opts.onlyCustomers && !opts.onlyCustomers.has(id)) continue;
    const has = parseStoredTags(stored).includes(tag);
    const want = atRisk.has(id);
    if (want && !has) ops.push({ id, add: [tag], remove: [] });
    else if (!want && has) ops.push({ id, add: [], remove: [tag] });
  }
  const out = { added: 0, removed: 0, bulkOperations: 0 };
  /** Stores our copy of the tags for accepted changes, grouped by resulting value. */
  const persist = async (done: TagOp[]) => {
    const byValue = new Map<string, string[]>();
    for (const op of done) {
      const tags = parseStoredTags(tagsOf.get(op.id) ?? "");
      const next = (op.add.length ? [...tags, tag] : tags.filter((t) => t !== tag)).join(", ");
      byValue.set(next, [...(byValue.get(next) ?? []), op.id]);
      if (op.add.length) out.added++;
      else out.removed++;
    }
    for (const [value, ids] of byValue) await setCustomersTags(db, shop, value, ids);
  };

  if (ops.length >= (opts.bulkThreshold ?? BULK_AT_RISK_TAGS)) {
    const failures: string[] = [];
    for (const [list, doc, root] of [
      [ops.filter((o) => o.add.length), AT_RISK_TAGS_ADD, "tagsAdd"],
      [ops.filter((o) => o.remove.length), AT_RISK_TAGS_REMOVE, "tagsRemove"],
    ] as const) {
      if (!list.length) continue;
      const lines = await runBulkMutation(
        admin,
        doc,
        list.map((o) => ({ id: `gid://shopify/Customer/${o.id}`, tags: [tag] })),
        opts.bulk,
      );
      out.bulkOperations++;
      const failed = new Set<number>();
      for (const l of lines) {
        const errors = lineErrors(l, root);
        if (errors.length) {
          failed.add(l.line);
          failures.push(`${root} ${list[l.line]!.id}: ${errors[0]}`);
        }
      }
      await persist(list.filter((_, i) => !failed.has(i)));
    }
    if (failures.length)
      throw new Error(`at-risk tags failed for ${failures.length} customers: ${failures.slice(0, 3).join("; ")}`);
    return out;
  }

  for (let i = 0; i < ops.length; i += TAG_MUTATIONS_PER_CALL) {
    const batch = ops.slice(i, i + TAG_MUTATIONS_PER_CALL);
    const { query, variables } = tagMutationDocument(batch);
    const failed = aliasedUserErrors((await admin.requestBuilt<AliasedPayloads>(query, variables)).data);
    if (failed.length)
      throw new Error(`at-risk tags failed for ${failed.length} customers: ${failed.slice(0, 3).join("; ")}`);
    await persist(batch);
  }
  return out;
}

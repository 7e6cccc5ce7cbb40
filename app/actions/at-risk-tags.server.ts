/**
 * Writes the at-risk tag (`<prefix>-at-risk`) so the at-risk segment and the segment templates can
 * filter on it: added to customers whose stored action state is at risk, removed from the others.
 * Only customers whose tags differ are touched (25 aliased tag mutations per request, with the tier
 * write-back's document builder); our copy of the tags is updated after Shopify accepted each batch.
 */
import type { Db } from "~/db.server";
import { customerTagsOf } from "~/models/actions.server";
import { parseStoredTags, setCustomersTags } from "~/models/customers.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import { aliasedUserErrors, type AliasedPayloads } from "~/shopify/aliased";
// Moves to ~/lifecycle/writeback.server with the lifecycle branch (same exports).
import { TAG_MUTATIONS_PER_CALL, tagMutationDocument } from "~/services/writeback.server";
import { atRiskTag } from "./tags";

/** Adds/removes the at-risk tag where our copy of the tags disagrees with `atRisk`. */
export async function syncAtRiskTags(
  db: Db,
  admin: AdminGraphql,
  shop: string,
  prefix: string,
  atRisk: ReadonlySet<string>,
): Promise<{ added: number; removed: number }> {
  const tag = atRiskTag(prefix);
  const tagsOf = await customerTagsOf(db, shop);
  const ops: Array<{ id: string; add: string[]; remove: string[] }> = [];
  for (const [id, stored] of tagsOf) {
    const has = parseStoredTags(stored).includes(tag);
    const want = atRisk.has(id);
    if (want && !has) ops.push({ id, add: [tag], remove: [] });
    else if (!want && has) ops.push({ id, add: [], remove: [tag] });
  }
  let added = 0;
  let removed = 0;
  for (let i = 0; i < ops.length; i += TAG_MUTATIONS_PER_CALL) {
    const batch = ops.slice(i, i + TAG_MUTATIONS_PER_CALL);
    const { query, variables } = tagMutationDocument(batch);
    const failed = aliasedUserErrors((await admin.request<AliasedPayloads>(query, variables)).data);
    if (failed.length)
      throw new Error(`at-risk tags failed for ${failed.length} customers: ${failed.slice(0, 3).join("; ")}`);
    for (const op of batch) {
      const next = op.add.length
        ? [...parseStoredTags(tagsOf.get(op.id) ?? ""), tag]
        : parseStoredTags(tagsOf.get(op.id) ?? "").filter((t) => t !== tag);
      await setCustomersTags(db, shop, next.join(", "), [op.id]);
      if (op.add.length) added++;
      else removed++;
    }
  }
  return { added, removed };
}

/**
 * Customer tag changes as aliased Admin API mutations (`t0: tagsAdd(…)`, `r0: tagsRemove(…)`), one
 * request per batch: used by the tier-tag write-back (app/lifecycle/writeback.server.ts) and the
 * at-risk tags (app/actions/at-risk-tags.server.ts). Validated against the Admin schema by
 * app/shopify/documents.test.ts.
 */

/** Tag mutations aliased into one request. */
export const TAG_MUTATIONS_PER_CALL = 25;

/** The Admin API id of a customer, from its numeric id. */
export const customerGid = (id: string) => `gid://shopify/Customer/${id}`;

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
    variables[`id${i}`] = customerGid(op.id);
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

/**
 * Admin GraphQL documents of the actions (segments, Flow, tier discount, retention codes). Every one
 * is validated against the vendored Admin API 2026-07 schema by app/shopify/documents.test.ts (static
 * literals) and answered by the fake Admin API (test/fake-admin/actions.ts).
 */

export const SEGMENT_CREATE = `#graphql
mutation HorizonSegmentCreate($name: String!, $query: String!) {
  segmentCreate(name: $name, query: $query) { segment { id name query } userErrors { field message } }
}`;

export const SEGMENT_UPDATE = `#graphql
mutation HorizonSegmentUpdate($id: ID!, $name: String, $query: String) {
  segmentUpdate(id: $id, name: $name, query: $query) { segment { id name query } userErrors { field message } }
}`;

export const SEGMENT_DELETE = `#graphql
mutation HorizonSegmentDelete($id: ID!) {
  segmentDelete(id: $id) { deletedSegmentId userErrors { field message } }
}`;

/** Finds a segment by exact name (adopts one created by an attempt that died before storing its id). */
export const SEGMENT_BY_NAME = `#graphql
query HorizonSegmentByName($query: String!) {
  segments(first: 5, query: $query) { edges { node { id name query } } }
}`;

export const SEGMENT_BY_ID = `#graphql
query HorizonSegmentById($id: ID!) {
  segment(id: $id) { id name query }
}`;

export const DISCOUNT_AUTOMATIC_APP_CREATE = `#graphql
mutation HorizonTierDiscountCreate($discount: DiscountAutomaticAppInput!) {
  discountAutomaticAppCreate(automaticAppDiscount: $discount) {
    automaticAppDiscount { discountId title status }
    userErrors { field message code }
  }
}`;

export const DISCOUNT_AUTOMATIC_APP_UPDATE = `#graphql
mutation HorizonTierDiscountUpdate($id: ID!, $discount: DiscountAutomaticAppInput!) {
  discountAutomaticAppUpdate(id: $id, automaticAppDiscount: $discount) {
    automaticAppDiscount { discountId status }
    userErrors { field message code }
  }
}`;

export const DISCOUNT_AUTOMATIC_ACTIVATE = `#graphql
mutation HorizonTierDiscountActivate($id: ID!) {
  discountAutomaticActivate(id: $id) { automaticDiscountNode { id } userErrors { field message code } }
}`;

export const DISCOUNT_AUTOMATIC_DEACTIVATE = `#graphql
mutation HorizonTierDiscountDeactivate($id: ID!) {
  discountAutomaticDeactivate(id: $id) { automaticDiscountNode { id } userErrors { field message code } }
}`;

export const DISCOUNT_AUTOMATIC_BASIC_CREATE = `#graphql
mutation HorizonSegmentDiscountCreate($discount: DiscountAutomaticBasicInput!) {
  discountAutomaticBasicCreate(automaticBasicDiscount: $discount) {
    automaticDiscountNode { id }
    userErrors { field message code }
  }
}`;

export const DISCOUNT_AUTOMATIC_BASIC_UPDATE = `#graphql
mutation HorizonSegmentDiscountUpdate($id: ID!, $discount: DiscountAutomaticBasicInput!) {
  discountAutomaticBasicUpdate(id: $id, automaticBasicDiscount: $discount) {
    automaticDiscountNode { id }
    userErrors { field message code }
  }
}`;

export const CODE_DISCOUNT_BY_CODE = `#graphql
query HorizonCodeDiscountByCode($code: String!) {
  codeDiscountNodeByCode(code: $code) { id }
}`;

export const DISCOUNT_CODE_BASIC_CREATE = `#graphql
mutation HorizonRetentionCodeCreate($discount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $discount) {
    codeDiscountNode { id }
    userErrors { field message code }
  }
}`;

/** Builds one request of aliased `discountCodeBasicCreate` fields (`c0`, `c1`, …). */
export function codeCreateBatchDocument(inputs: Array<Record<string, unknown>>): {
  query: string;
  variables: Record<string, unknown>;
} {
  const decls = inputs.map((_, i) => `$d${i}: DiscountCodeBasicInput!`);
  const fields = inputs.map(
    (_, i) =>
      `c${i}: discountCodeBasicCreate(basicCodeDiscount: $d${i}) { codeDiscountNode { id } userErrors { field message code } }`,
  );
  const variables = Object.fromEntries(inputs.map((d, i) => [`d${i}`, d]));
  return { query: `mutation HorizonRetentionCodes(${decls.join(", ")}) {\n  ${fields.join("\n  ")}\n}`, variables };
}

/** Builds one request of aliased `flowTriggerReceive` fields (`f0`, `f1`, …). */
export function flowTriggerBatchDocument(events: Array<{ handle: string; payload: Record<string, unknown> }>): {
  query: string;
  variables: Record<string, unknown>;
} {
  const decls = events.flatMap((_, i) => [`$h${i}: String!`, `$p${i}: JSON!`]);
  const fields = events.map(
    (_, i) => `f${i}: flowTriggerReceive(handle: $h${i}, payload: $p${i}) { userErrors { field message } }`,
  );
  const variables: Record<string, unknown> = {};
  events.forEach((e, i) => {
    variables[`h${i}`] = e.handle;
    variables[`p${i}`] = e.payload;
  });
  return { query: `mutation HorizonFlowTriggers(${decls.join(", ")}) {\n  ${fields.join("\n  ")}\n}`, variables };
}

/**
 * Every Admin GraphQL document the sync uses (bulk backfill, reconciliation, bulk-operation
 * status). Kept as exported constants so a test validates each one against the vendored 2026-07
 * schema. Money comes from `…Set { shopMoney presentmentMoney }` MoneyBags (scalar money fields are
 * deprecated); no names, emails, phones or addresses are requested — only the country code.
 */

/** Customer fields the app keeps (data minimisation: no PII). */
export const SYNC_CUSTOMER_FRAGMENT = `#graphql
fragment SyncCustomer on Customer {
  id
  createdAt
  updatedAt
  state
  tags
  defaultAddress { countryCodeV2 }
  statistics { predictedSpendTier }
}`;

/** Order fields the app keeps, without line items (bulk: child lines; paginated: a nested connection). */
export const SYNC_ORDER_FRAGMENT = `#graphql
fragment SyncOrder on Order {
  id
  name
  createdAt
  updatedAt
  processedAt
  cancelledAt
  test
  displayFinancialStatus
  currencyCode
  presentmentCurrencyCode
  sourceName
  discountCodes
  customer { id }
  billingAddress { countryCodeV2 }
  shippingAddress { countryCodeV2 }
  subtotalPriceSet { shopMoney { amount currencyCode } }
  currentSubtotalPriceSet { shopMoney { amount currencyCode } }
  totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
  totalDiscountsSet { shopMoney { amount currencyCode } }
  totalRefundedSet { shopMoney { amount currencyCode } }
  refunds { id createdAt processedAt totalRefundedSet { shopMoney { amount currencyCode } } }
}`;

/** Line item fields (product ids and counts only). */
export const SYNC_LINE_ITEM_FRAGMENT = `#graphql
fragment SyncLineItem on LineItem { id quantity product { id } }`;

/**
 * The selection of a fragment, spelled out (bulk queries are sent as a string variable of
 * `bulkOperationRunQuery`, so they list the fields themselves rather than spreading a fragment).
 */
function fieldsOf(fragment: string): string {
  return fragment.slice(fragment.indexOf("{") + 1, fragment.lastIndexOf("}"));
}

/** Bulk query: every customer. */
export const BULK_CUSTOMERS_QUERY = `{
  customers { edges { node { ${fieldsOf(SYNC_CUSTOMER_FRAGMENT)} } } }
}`;

/** Bulk query: every order with refunds (inline list) and line items (child lines with __parentId). */
export const BULK_ORDERS_QUERY = `{
  orders { edges { node { ${fieldsOf(SYNC_ORDER_FRAGMENT)}
    lineItems { edges { node { ${fieldsOf(SYNC_LINE_ITEM_FRAGMENT)} } } }
  } } }
}`;

/** Starts a bulk query. */
export const BULK_RUN_MUTATION = `#graphql
mutation BulkRun($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: false) {
    bulkOperation { id status createdAt }
    userErrors { field message code }
  }
}`;

/** Reads a bulk operation's status (polling fallback and after the finish webhook). */
export const BULK_STATUS_QUERY = `#graphql
query BulkStatus($id: ID!) {
  bulkOperation(id: $id) {
    id status errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt
  }
}`;

/** Cancels a bulk operation. */
export const BULK_CANCEL_MUTATION = `#graphql
mutation BulkCancel($id: ID!) {
  bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } }
}`;

/** Counts for the progress estimate. */
export const COUNTS_QUERY = `#graphql
query SyncCounts {
  ordersCount(limit: null) { count precision }
  customersCount(limit: null) { count precision }
}`;

/** Reconciliation: one page of orders updated since a watermark (cost ≈ 2 + first × 73). */
export const RECONCILE_ORDERS_QUERY = `#graphql
query ReconcileOrders($first: Int!, $after: String, $query: String!) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    edges { node { ...SyncOrder
      lineItems(first: 20) { edges { node { ...SyncLineItem } } pageInfo { hasNextPage endCursor } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}
${SYNC_ORDER_FRAGMENT}
${SYNC_LINE_ITEM_FRAGMENT}` as const;

/** Remaining line items of an order with more than one page of them. */
export const ORDER_LINE_ITEMS_QUERY = `#graphql
query OrderLineItems($id: ID!, $after: String) {
  order(id: $id) {
    lineItems(first: 100, after: $after) { edges { node { ...SyncLineItem } } pageInfo { hasNextPage endCursor } }
  }
}
${SYNC_LINE_ITEM_FRAGMENT}` as const;

/** Reconciliation: one page of customers updated since a watermark. */
export const RECONCILE_CUSTOMERS_QUERY = `#graphql
query ReconcileCustomers($first: Int!, $after: String, $query: String!) {
  customers(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    edges { node { ...SyncCustomer } }
    pageInfo { hasNextPage endCursor }
  }
}
${SYNC_CUSTOMER_FRAGMENT}` as const;

/** Deletion sweep: every order id (cost 2 + 250). */
export const ORDER_IDS_QUERY = `#graphql
query OrderIds($after: String) {
  orders(first: 250, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } }
}`;

/** Deletion sweep: every customer id (cost 2 + 250). */
export const CUSTOMER_IDS_QUERY = `#graphql
query CustomerIds($after: String) {
  customers(first: 250, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } }
}`;

/** All documents, for the schema-validation test. */
export const SYNC_DOCUMENTS = {
  BULK_CUSTOMERS_QUERY,
  BULK_ORDERS_QUERY,
  BULK_RUN_MUTATION,
  BULK_STATUS_QUERY,
  BULK_CANCEL_MUTATION,
  COUNTS_QUERY,
  RECONCILE_ORDERS_QUERY,
  ORDER_LINE_ITEMS_QUERY,
  RECONCILE_CUSTOMERS_QUERY,
  ORDER_IDS_QUERY,
  CUSTOMER_IDS_QUERY,
} as const;

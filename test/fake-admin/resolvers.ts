/**
 * Field resolution for the fake Admin API: graphql-js `execute` over the vendored client schema with
 * one custom field resolver that maps (parent type, field) to the in-memory store. Fields the fake
 * does not implement fail loudly ("fake Admin API does not implement Order.xyz") rather than
 * returning silent nulls. Connections support first/last/after/before/query/sortKey/reverse with
 * stable keyset cursors; in bulk mode they return every item.
 */
import { GraphQLError, type GraphQLFieldResolver } from "graphql";
import { actionMutations, actionQueries } from "./actions";
import { BILLING_RESOLVERS } from "./billing";
import type { BulkOperationRecord } from "./bulk";
import { searchPredicate, type SearchValue } from "./search";
import {
  isoSeconds,
  orderAmounts,
  presentmentCents,
  type FakeCustomer,
  type FakeOrder,
  type FakeRefund,
  type FakeStore,
} from "./store";
import type { WebhookEvent } from "./webhook-sender";

/** Per-request execution context. */
export interface FakeContext {
  store: FakeStore;
  /** Bulk mode: connections ignore pagination and return everything. */
  bulk: boolean;
  /**
   * Bulk mode in slices: root connections return items [offset, offset + limit) of their full,
   * sorted list (cached per root field across slices); `total` is the largest root list seen.
   */
  bulkSlice?: { offset: number; limit: number; total: number; lists: Map<string, unknown[]> };
  /** Search warnings for `extensions.search`. */
  warnings: string[];
  /** Bulk operation registry (absent while running a bulk query itself). */
  bulkOps?: {
    start(
      query: string,
      groupObjects: boolean,
    ): { op?: BulkOperationRecord; userErrors: Array<{ field: string[]; message: string; code: string }> };
    get(id: string): BulkOperationRecord | undefined;
    list(): BulkOperationRecord[];
    cancel(id: string): BulkOperationRecord | undefined;
    current(type: BulkOperationRecord["type"]): BulkOperationRecord | undefined;
    /** Bulk mutations and their staged uploads (bulk-mutation.ts). */
    mutations?: {
      start(
        mutation: string,
        stagedUploadPath: string,
      ): { op?: BulkOperationRecord; userErrors: Array<{ field: string[] | null; message: string; code?: string }> };
      createTargets(inputs: Array<{ resource: string; filename: string; mimeType: string; httpMethod?: string }>): {
        stagedTargets: unknown[] | null;
        userErrors: Array<{ field: string[] | null; message: string }>;
      };
    };
  };
  /** Receives webhook events caused by mutations (e.g. customers/update after tagsAdd). */
  emit(events: WebhookEvent[]): void;
}

type Args = Record<string, unknown>;
type Resolver = (source: never, args: Args, ctx: FakeContext) => unknown;

const gid = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;
const numericId = (g: unknown) => Number(String(g).slice(String(g).lastIndexOf("/") + 1));
const iso = (d: Date | null | undefined) => (d ? isoSeconds(d) : null);
const decimal = (cents: number) => (cents / 100).toFixed(2);

interface OrderView {
  __typename: "Order";
  order: FakeOrder;
}
interface CustomerView {
  __typename: "Customer";
  customer: FakeCustomer;
}
interface RefundView {
  __typename: "Refund";
  order: FakeOrder;
  refund: FakeRefund;
}

const orderView = (order: FakeOrder): OrderView => ({ __typename: "Order", order });
const customerView = (customer: FakeCustomer): CustomerView => ({ __typename: "Customer", customer });

function moneyBag(o: FakeOrder, cents: number) {
  return {
    shopMoney: { amount: decimal(cents), currencyCode: o.currency },
    presentmentMoney: { amount: decimal(presentmentCents(o, cents)), currencyCode: o.presentmentCurrency },
  };
}

// ---------------------------------------------------------------- connections

type SortKey = "ID" | "UPDATED_AT" | "CREATED_AT" | "PROCESSED_AT";
interface Keyed<T> {
  item: T;
  key: number;
  id: number;
}

const encodeCursor = (key: number, id: number) => Buffer.from(JSON.stringify([key, id])).toString("base64url");
function decodeCursor(c: unknown): [number, number] {
  try {
    const v = JSON.parse(Buffer.from(String(c), "base64url").toString("utf8")) as unknown;
    if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === "number")) return v as [number, number];
  } catch {
    /* fall through */
  }
  throw new GraphQLError(`Invalid cursor: ${String(c)}`, { extensions: { code: "INVALID_CURSOR" } });
}

/** Builds a Shopify-style connection from items, honouring pagination, search and sort arguments. */
function connection<T>(
  items: Iterable<T>,
  args: Args,
  ctx: FakeContext,
  opts: {
    /** Root field name (root connections of a sliced bulk query return one slice). */
    root?: string;
    idOf: (t: T) => number;
    sortValue: (t: T, key: SortKey) => number;
    field: (t: T, f: string) => SearchValue | undefined;
    wrap: (t: T) => unknown;
  },
) {
  const slice = ctx.bulk && opts.root ? ctx.bulkSlice : undefined;
  const cached = slice?.lists.get(opts.root!) as Keyed<T>[] | undefined;
  if (slice && cached) return build(cached.slice(slice.offset, slice.offset + slice.limit), false, false);
  const pred = searchPredicate(args.query as string | undefined, opts.field, ctx.warnings);
  const sortKey = ((args.sortKey as string | undefined) ?? "ID") as SortKey;
  if (!["ID", "UPDATED_AT", "CREATED_AT", "PROCESSED_AT"].includes(sortKey))
    throw new GraphQLError(`fake Admin API does not implement sortKey ${sortKey}`);
  const keyed: Keyed<T>[] = [];
  for (const item of items)
    if (pred(item)) keyed.push({ item, key: opts.sortValue(item, sortKey), id: opts.idOf(item) });
  const dir = args.reverse ? -1 : 1;
  keyed.sort((a, b) => dir * (a.key - b.key || a.id - b.id));
  let list = keyed;
  const cmp = (k: Keyed<T>, c: [number, number]) => dir * (k.key - c[0] || k.id - c[1]);
  if (!ctx.bulk) {
    const first = args.first as number | undefined,
      last = args.last as number | undefined;
    if (first === undefined && last === undefined)
      throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
    if ((first ?? 0) > 250 || (last ?? 0) > 250)
      throw new GraphQLError("The maximum number of items per page is 250", { extensions: { code: "BAD_REQUEST" } });
    if (args.after) {
      const c = decodeCursor(args.after);
      list = list.filter((k) => cmp(k, c) > 0);
    }
    if (args.before) {
      const c = decodeCursor(args.before);
      list = list.filter((k) => cmp(k, c) < 0);
    }
    const total = list.length;
    const sliced = first !== undefined ? list.slice(0, first) : list.slice(Math.max(0, list.length - last!));
    const hasNext = first !== undefined ? total > sliced.length : false;
    const hasPrev = last !== undefined ? total > sliced.length : Boolean(args.after);
    list = sliced;
    return build(list, hasNext, hasPrev);
  }
  if (slice) {
    slice.lists.set(opts.root!, list);
    slice.total = Math.max(slice.total, list.length);
    return build(list.slice(slice.offset, slice.offset + slice.limit), false, false);
  }
  return build(list, false, false);

  function build(page: Keyed<T>[], hasNextPage: boolean, hasPreviousPage: boolean) {
    const edges = page.map((k) => ({ cursor: encodeCursor(k.key, k.id), node: opts.wrap(k.item) }));
    return {
      edges,
      nodes: edges.map((e) => e.node),
      pageInfo: {
        hasNextPage,
        hasPreviousPage,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      },
    };
  }
}

const orderSort = (o: FakeOrder, k: SortKey) =>
  k === "UPDATED_AT"
    ? o.updatedAt.getTime()
    : k === "CREATED_AT"
      ? o.createdAt.getTime()
      : k === "PROCESSED_AT"
        ? o.processedAt.getTime()
        : o.id;
const customerSort = (c: FakeCustomer, k: SortKey) =>
  k === "UPDATED_AT" ? c.updatedAt.getTime() : k === "CREATED_AT" ? c.createdAt.getTime() : c.id;

function orderField(o: FakeOrder, f: string): SearchValue | undefined {
  switch (f) {
    case "updated_at":
      return o.updatedAt;
    case "created_at":
      return o.createdAt;
    case "processed_at":
      return o.processedAt;
    case "id":
      return o.id;
    case "customer_id":
      return o.customerId;
    case "test":
      return o.test;
    case "financial_status":
      return o.financialStatus;
    case "tag":
      return o.tags;
    case "status":
      return o.cancelledAt ? "cancelled" : "open";
    default:
      return undefined;
  }
}

function customerField(c: FakeCustomer, f: string): SearchValue | undefined {
  switch (f) {
    case "updated_at":
      return c.updatedAt;
    case "created_at":
    case "customer_date":
      return c.createdAt;
    case "id":
      return c.id;
    case "tag":
      return c.tags;
    case "state":
      return c.state;
    default:
      return undefined;
  }
}

function ordersConnection(store: FakeStore, orders: Iterable<FakeOrder>, args: Args, ctx: FakeContext, root?: string) {
  return connection(orders, args, ctx, {
    root,
    idOf: (o) => o.id,
    sortValue: orderSort,
    field: orderField,
    wrap: orderView,
  });
}

function customersConnection(store: FakeStore, args: Args, ctx: FakeContext) {
  return connection(store.customers.values(), args, ctx, {
    root: "customers",
    idOf: (c) => c.id,
    sortValue: customerSort,
    field: customerField,
    wrap: customerView,
  });
}

// ---------------------------------------------------------------- type resolvers

function findNode(store: FakeStore, id: string): unknown {
  const m = /^gid:\/\/shopify\/(\w+)\/(\d+)/.exec(id);
  if (!m) return null;
  const n = Number(m[2]);
  if (m[1] === "Order") return store.orders.has(n) ? orderView(store.orders.get(n)!) : null;
  if (m[1] === "Customer") return store.customers.has(n) ? customerView(store.customers.get(n)!) : null;
  return null;
}

function customerStats(store: FakeStore, c: FakeCustomer) {
  let count = 0,
    spent = 0;
  let last: FakeOrder | null = null;
  for (const o of store.orders.values()) {
    if (o.customerId !== c.id || o.test) continue;
    count++;
    spent += orderAmounts(o).currentTotal;
    if (!last || o.processedAt > last.processedAt) last = o;
  }
  return { count, spent, last };
}

const O =
  (fn: (o: FakeOrder, args: Args, ctx: FakeContext) => unknown): Resolver =>
  (s: OrderView, a, c) =>
    fn(s.order, a, c);
const C =
  (fn: (cu: FakeCustomer, args: Args, ctx: FakeContext) => unknown): Resolver =>
  (s: CustomerView, a, c) =>
    fn(s.customer, a, c);
const R =
  (fn: (r: FakeRefund, o: FakeOrder) => unknown): Resolver =>
  (s: RefundView) =>
    fn(s.refund, s.order);

const RESOLVERS: Record<string, Record<string, Resolver>> = {
  QueryRoot: {
    shop: (_s, _a, ctx) => ({
      __typename: "Shop",
      id: gid("Shop", ctx.store.shop.id),
      name: ctx.store.shop.name,
      myshopifyDomain: ctx.store.shop.domain,
      currencyCode: ctx.store.shop.currencyCode,
      ianaTimezone: ctx.store.shop.ianaTimezone,
    }),
    shopLocales: (_s, _a, ctx) => [
      {
        __typename: "ShopLocale",
        locale: ctx.store.shop.primaryLocale ?? "en",
        name: ctx.store.shop.primaryLocale ?? "en",
        primary: true,
        published: true,
      },
    ],
    orders: (_s, a, ctx) => ordersConnection(ctx.store, ctx.store.orders.values(), a, ctx, "orders"),
    customers: (_s, a, ctx) => customersConnection(ctx.store, a, ctx),
    order: (_s, a, ctx) =>
      ctx.store.orders.has(numericId(a.id)) ? orderView(ctx.store.orders.get(numericId(a.id))!) : null,
    customer: (_s, a, ctx) =>
      ctx.store.customers.has(numericId(a.id)) ? customerView(ctx.store.customers.get(numericId(a.id))!) : null,
    node: (_s, a, ctx) => findNode(ctx.store, String(a.id)),
    nodes: (_s, a, ctx) => (a.ids as string[]).map((id) => findNode(ctx.store, id)),
    ordersCount: (_s, a, ctx) => {
      const pred = searchPredicate(a.query as string | undefined, orderField, ctx.warnings);
      let n = 0;
      for (const o of ctx.store.orders.values()) if (pred(o)) n++;
      const limit = a.limit === null ? Infinity : ((a.limit as number | undefined) ?? 10_000);
      return { count: Math.min(n, limit), precision: n > limit ? "AT_LEAST" : "EXACT" };
    },
    customersCount: (_s, a, ctx) => {
      const pred = searchPredicate(a.query as string | undefined, customerField, ctx.warnings);
      let n = 0;
      for (const c of ctx.store.customers.values()) if (pred(c)) n++;
      const limit = a.limit === null ? Infinity : ((a.limit as number | undefined) ?? 10_000);
      return { count: Math.min(n, limit), precision: n > limit ? "AT_LEAST" : "EXACT" };
    },
    ...actionQueries,
    bulkOperation: (_s, a, ctx) => ctx.bulkOps?.get(String(a.id)) ?? null,
    currentBulkOperation: (_s, a, ctx) =>
      ctx.bulkOps?.current(((a.type as string | undefined) ?? "QUERY") as BulkOperationRecord["type"]) ?? null,
    bulkOperations: (_s, a, ctx) =>
      connection(ctx.bulkOps?.list() ?? [], a, ctx, {
        root: "bulkOperations",
        idOf: (b) => numericId(b.id),
        sortValue: (b, k) => (k === "ID" ? numericId(b.id) : new Date(b.createdAt).getTime()),
        field: (b, f) =>
          f === "status"
            ? b.status
            : f === "operation_type"
              ? b.type
              : f === "created_at"
                ? new Date(b.createdAt)
                : undefined,
        wrap: (b) => b,
      }),
  },
  Mutation: {
    bulkOperationRunQuery: (_s, a, ctx) => {
      if (!ctx.bulkOps) throw new GraphQLError("bulk operations are not available here");
      const r = ctx.bulkOps.start(String(a.query), Boolean(a.groupObjects));
      return { bulkOperation: r.op ?? null, userErrors: r.userErrors };
    },
    bulkOperationRunMutation: (_s, a, ctx) => {
      if (!ctx.bulkOps?.mutations) throw new GraphQLError("bulk operations are not available here");
      const r = ctx.bulkOps.mutations.start(String(a.mutation), String(a.stagedUploadPath));
      return { bulkOperation: r.op ?? null, userErrors: r.userErrors };
    },
    stagedUploadsCreate: (_s, a, ctx) => {
      if (!ctx.bulkOps?.mutations) throw new GraphQLError("staged uploads are not available here");
      return ctx.bulkOps.mutations.createTargets(
        a.input as Array<{ resource: string; filename: string; mimeType: string; httpMethod?: string }>,
      );
    },
    bulkOperationCancel: (_s, a, ctx) => {
      const op = ctx.bulkOps?.cancel(String(a.id));
      return op
        ? { bulkOperation: op, userErrors: [] }
        : { bulkOperation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
    },
    tagsAdd: (_s, a, ctx) => changeTags(ctx, String(a.id), a.tags as string[], true),
    tagsRemove: (_s, a, ctx) => changeTags(ctx, String(a.id), a.tags as string[], false),
    metafieldsSet: (_s, a, ctx) => setMetafields(ctx, a.metafields as MetafieldInput[]),
    ...actionMutations,
  },
  Order: {
    id: O((o) => gid("Order", o.id)),
    legacyResourceId: O((o) => String(o.id)),
    name: O((o) => o.name),
    createdAt: O((o) => iso(o.createdAt)),
    updatedAt: O((o) => iso(o.updatedAt)),
    processedAt: O((o) => iso(o.processedAt)),
    cancelledAt: O((o) => iso(o.cancelledAt)),
    cancelReason: O((o) => o.cancelReason?.toUpperCase() ?? null),
    test: O((o) => o.test),
    displayFinancialStatus: O((o) => o.financialStatus.toUpperCase()),
    currencyCode: O((o) => o.currency),
    presentmentCurrencyCode: O((o) => o.presentmentCurrency),
    sourceName: O((o) => o.sourceName),
    sourceIdentifier: O(() => null),
    tags: O((o) => o.tags),
    discountCodes: O((o) => o.discountCodes),
    discountCode: O((o) => o.discountCodes[0] ?? null),
    customer: O((o, _a, ctx) =>
      o.customerId !== null && ctx.store.customers.has(o.customerId)
        ? customerView(ctx.store.customers.get(o.customerId)!)
        : null,
    ),
    subtotalPriceSet: O((o) => moneyBag(o, orderAmounts(o).subtotal)),
    currentSubtotalPriceSet: O((o) => moneyBag(o, orderAmounts(o).currentSubtotal)),
    totalPriceSet: O((o) => moneyBag(o, orderAmounts(o).total)),
    currentTotalPriceSet: O((o) => moneyBag(o, orderAmounts(o).currentTotal)),
    totalDiscountsSet: O((o) => moneyBag(o, o.totalDiscountCents)),
    currentTotalDiscountsSet: O((o) => moneyBag(o, o.totalDiscountCents)),
    totalRefundedSet: O((o) => moneyBag(o, orderAmounts(o).refunded)),
    totalTaxSet: O((o) => moneyBag(o, o.totalTaxCents)),
    totalShippingPriceSet: O((o) => moneyBag(o, o.totalShippingCents)),
    shippingAddress: O((o) => (o.countryCode ? { countryCodeV2: o.countryCode } : null)),
    billingAddress: O((o) => (o.countryCode ? { countryCodeV2: o.countryCode } : null)),
    refunds: O((o, a) =>
      o.refunds
        .slice(0, (a.first as number | undefined) ?? o.refunds.length)
        .map((refund) => ({ __typename: "Refund", order: o, refund })),
    ),
    lineItems: O((o, a, ctx) =>
      connection(o.lineItems, a, ctx, {
        idOf: (li) => li.id,
        sortValue: (li) => li.id,
        field: () => undefined,
        wrap: (li) => ({
          __typename: "LineItem",
          id: gid("LineItem", li.id),
          title: li.title,
          name: li.title,
          quantity: li.quantity,
          currentQuantity: li.quantity,
          sku: null,
          variant: null,
          product: li.productId !== null ? { __typename: "Product", id: gid("Product", li.productId) } : null,
          originalUnitPriceSet: moneyBag(o, li.unitPriceCents),
          originalTotalSet: moneyBag(o, li.unitPriceCents * li.quantity),
        }),
      }),
    ),
  },
  Refund: {
    id: R((r) => gid("Refund", r.id)),
    legacyResourceId: R((r) => String(r.id)),
    createdAt: R((r) => iso(r.createdAt)),
    processedAt: R((r) => iso(r.processedAt)),
    updatedAt: R((r) => iso(r.processedAt)),
    note: R(() => null),
    totalRefundedSet: R((r, o) => moneyBag(o, r.amountCents)),
    order: R((_r, o) => orderView(o)),
  },
  Customer: {
    id: C((c) => gid("Customer", c.id)),
    legacyResourceId: C((c) => String(c.id)),
    createdAt: C((c) => iso(c.createdAt)),
    updatedAt: C((c) => iso(c.updatedAt)),
    state: C((c) => c.state),
    tags: C((c) => c.tags),
    displayName: C((c) => `${c.firstName} ${c.lastName}`),
    defaultEmailAddress: C((c) => ({ emailAddress: c.email })),
    defaultAddress: C((c) => (c.countryCode ? { countryCodeV2: c.countryCode } : null)),
    statistics: C((c) => ({ predictedSpendTier: c.predictedSpendTier, rfmGroup: null })),
    numberOfOrders: C((c, _a, ctx) => String(customerStats(ctx.store, c).count)),
    amountSpent: C((c, _a, ctx) => ({
      amount: decimal(customerStats(ctx.store, c).spent),
      currencyCode: ctx.store.shop.currencyCode,
    })),
    lastOrder: C((c, _a, ctx) => {
      const l = customerStats(ctx.store, c).last;
      return l ? orderView(l) : null;
    }),
    orders: C((c, a, ctx) =>
      ordersConnection(
        ctx.store,
        [...ctx.store.orders.values()].filter((o) => o.customerId === c.id),
        a,
        ctx,
      ),
    ),
    metafield: C((c, a) =>
      metafieldView(c, c.metafields.get(`${(a.namespace as string | undefined) ?? "$app"}.${String(a.key)}`)),
    ),
  },
};

// ---------------------------------------------------------------- mutations

function changeTags(ctx: FakeContext, id: string, tags: string[], add: boolean) {
  const n = numericId(id);
  const target = id.includes("/Customer/")
    ? ctx.store.customers.get(n)
    : id.includes("/Order/")
      ? ctx.store.orders.get(n)
      : undefined;
  if (!target) return { node: null, userErrors: [{ field: ["id"], message: "Resource not found" }] };
  const clean = tags.map((t) => t.trim()).filter(Boolean);
  target.tags = add ? [...new Set([...target.tags, ...clean])] : target.tags.filter((t) => !clean.includes(t));
  if ("email" in target) ctx.emit(ctx.store.updateCustomer(target.id, {}));
  else ctx.emit(ctx.store.updateOrder(target.id, {}));
  return { node: findNode(ctx.store, id), userErrors: [] };
}

interface MetafieldInput {
  ownerId: string;
  namespace?: string;
  key: string;
  type?: string;
  value: string;
  compareDigest?: string | null;
}

const digest = (value: string) => Buffer.from(value).toString("base64url").slice(0, 32);

function metafieldView(
  c: FakeCustomer,
  m:
    | { id: number; namespace: string; key: string; type: string; value: string; createdAt: Date; updatedAt: Date }
    | undefined,
) {
  if (!m) return null;
  return {
    __typename: "Metafield",
    id: gid("Metafield", m.id),
    namespace: m.namespace,
    key: m.key,
    type: m.type,
    value: m.value,
    compareDigest: digest(m.value),
    ownerType: "CUSTOMER",
    createdAt: iso(m.createdAt),
    updatedAt: iso(m.updatedAt),
    owner: customerView(c),
  };
}

/** Why `value` is not a valid value of metafield type `type` (null when valid or not checked). */
export function invalidMetafieldValue(type: string, value: string): string | null {
  const decimal = /^-?\d+(\.\d+)?$/;
  switch (type) {
    case "single_line_text_field":
      return value.includes("\n") ? "must be one line" : value.length > 255 ? "longer than 255 characters" : null;
    case "number_decimal":
      return decimal.test(value) ? null : "must be a decimal number as a string";
    case "date_time":
      return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?$/.test(value) ? null : "must be ISO 8601";
    case "money": {
      try {
        const m = JSON.parse(value) as { amount?: unknown; currency_code?: unknown };
        if (typeof m.amount !== "string" || !decimal.test(m.amount)) return "amount must be a decimal string";
        if (typeof m.currency_code !== "string" || !/^[A-Z]{3}$/.test(m.currency_code))
          return "currency_code must be an ISO 4217 code";
        return null;
      } catch {
        return "must be JSON {amount, currency_code}";
      }
    }
    default:
      return null;
  }
}

function setMetafields(ctx: FakeContext, inputs: MetafieldInput[]) {
  const userErrors: Array<{ field: string[]; message: string; code: string; elementIndex: number }> = [];
  if (inputs.length > 25)
    return {
      metafields: null,
      userErrors: [
        {
          field: ["metafields"],
          message: "Exceeded the maximum metafields input limit of 25.",
          code: "LESS_THAN_OR_EQUAL_TO",
          elementIndex: null,
        },
      ],
    };
  inputs.forEach((m, i) => {
    const c = ctx.store.customers.get(numericId(m.ownerId));
    if (!m.ownerId.includes("/Customer/") || !c)
      userErrors.push({
        field: ["metafields", String(i), "ownerId"],
        message: "Owner does not exist.",
        code: "INVALID",
        elementIndex: i,
      });
    else if (!m.type && !c.metafields.has(`${m.namespace ?? "$app"}.${m.key}`))
      userErrors.push({
        field: ["metafields", String(i), "type"],
        message: "Type can't be blank.",
        code: "BLANK",
        elementIndex: i,
      });
    else if (m.type && invalidMetafieldValue(m.type, m.value))
      userErrors.push({
        field: ["metafields", String(i), "value"],
        message: `Value is invalid for type ${m.type}: ${invalidMetafieldValue(m.type, m.value)}`,
        code: "INVALID_VALUE",
        elementIndex: i,
      });
    else if (
      m.compareDigest &&
      digest(c.metafields.get(`${m.namespace ?? "$app"}.${m.key}`)?.value ?? "") !== m.compareDigest
    )
      userErrors.push({
        field: ["metafields", String(i)],
        message: "The resource has been updated since it was loaded.",
        code: "STALE_OBJECT",
        elementIndex: i,
      });
  });
  if (userErrors.length) return { metafields: [], userErrors }; // atomic: nothing written
  const out = inputs.map((m) => {
    const c = ctx.store.customers.get(numericId(m.ownerId))!;
    const k = `${m.namespace ?? "$app"}.${m.key}`;
    const at = ctx.store.tick();
    const prev = c.metafields.get(k);
    const mf = {
      id: prev?.id ?? ctx.store.nextId(),
      namespace: m.namespace ?? "$app",
      key: m.key,
      type: m.type ?? prev!.type,
      value: m.value,
      createdAt: prev?.createdAt ?? at,
      updatedAt: at,
    };
    c.metafields.set(k, mf);
    return metafieldView(c, mf);
  });
  return { metafields: out, userErrors: [] };
}

/** The single field resolver passed to `execute`. */
export const fakeFieldResolver: GraphQLFieldResolver<unknown, FakeContext> = (source, args, ctx, info) => {
  const r =
    RESOLVERS[info.parentType.name]?.[info.fieldName] ?? BILLING_RESOLVERS[info.parentType.name]?.[info.fieldName];
  if (r) return r(source as never, args, ctx);
  if (source && typeof source === "object" && info.fieldName in source)
    return (source as Record<string, unknown>)[info.fieldName];
  if (info.fieldName === "__typename") return info.parentType.name;
  throw new GraphQLError(`fake Admin API does not implement ${info.parentType.name}.${info.fieldName}`, {
    extensions: { code: "NOT_IMPLEMENTED_IN_FAKE" },
  });
};

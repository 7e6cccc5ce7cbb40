/**
 * REST webhook payload normaliser (snake_case, numeric ids, money as strings with
 * `*_set { shop_money, presentment_money }`) → the app's NormalizedCustomer / Order / Refund.
 * Pure (no I/O). Invalid payloads throw PayloadError naming the field.
 */
import { shopifyIdOf, type NormalizedCustomer, type NormalizedOrder, type NormalizedRefund } from "~/sync/types";

/** A payload that cannot be normalised; `field` is the JSON path of the problem. */
export class PayloadError extends Error {
  constructor(
    public readonly topic: string,
    public readonly field: string,
    problem: string,
  ) {
    super(`${topic} payload: field "${field}" ${problem}`);
    this.name = "PayloadError";
  }
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

/** Field readers bound to one topic for error messages. */
function reader(topic: string) {
  const fail = (field: string, problem: string): never => {
    throw new PayloadError(topic, field, problem);
  };
  const id = (o: Obj, field: string, path = field): string => {
    const v = o[field];
    if ((typeof v === "number" && Number.isSafeInteger(v) && v > 0) || (typeof v === "string" && /^\d{1,20}$/.test(v)))
      return String(v);
    if (typeof v === "string" && v.startsWith("gid://shopify/")) return shopifyIdOf(v);
    return fail(path, `must be a numeric id (got ${show(v)})`);
  };
  /** The object's own id: its `admin_graphql_api_id` GID when present (a string, never rounded), else `id`. */
  const ownId = (o: Obj, path = "id"): string => {
    const gid = o.admin_graphql_api_id;
    if (typeof gid === "string" && /^gid:\/\/shopify\/\w+\/\d{1,20}(\?.*)?$/.test(gid)) return shopifyIdOf(gid);
    return id(o, "id", path);
  };
  const optId = (o: Obj, field: string, path = field): string | null =>
    o[field] === null || o[field] === undefined ? null : id(o, field, path);
  const date = (o: Obj, field: string, path = field): Date => {
    const v = o[field];
    const d = typeof v === "string" ? new Date(v) : undefined;
    if (!d || Number.isNaN(d.getTime())) return fail(path, `must be an ISO date-time (got ${show(v)})`);
    return d;
  };
  const optDate = (o: Obj, field: string, path = field): Date | null =>
    o[field] === null || o[field] === undefined ? null : date(o, field, path);
  const str = (o: Obj, field: string, path = field): string | null => {
    const v = o[field];
    if (v === null || v === undefined) return null;
    if (typeof v !== "string") return fail(path, `must be a string (got ${show(v)})`);
    return v;
  };
  const num = (v: unknown, path: string): number => {
    const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
    if (!Number.isFinite(n)) return fail(path, `must be a decimal amount (got ${show(v)})`);
    return n;
  };
  /** Shop-money amount of `<field>_set`, falling back to the plain field. */
  const money = (o: Obj, field: string, side: "shop_money" | "presentment_money" = "shop_money"): number | null => {
    const set = o[`${field}_set`];
    if (isObj(set) && isObj(set[side])) return num((set[side] as Obj).amount, `${field}_set.${side}.amount`);
    if (side === "presentment_money") return null;
    if (o[field] === undefined || o[field] === null) return null;
    return num(o[field], field);
  };
  const currencyOf = (o: Obj, field: string, side: "shop_money" | "presentment_money"): string | null => {
    const set = o[`${field}_set`];
    if (isObj(set) && isObj(set[side]) && typeof (set[side] as Obj).currency_code === "string")
      return (set[side] as Obj).currency_code as string;
    return null;
  };
  return { fail, id, ownId, optId, date, optDate, str, num, money, currencyOf };
}

function requireObject(topic: string, payload: unknown): Obj {
  if (!isObj(payload)) throw new PayloadError(topic, "(body)", `must be a JSON object (got ${show(payload)})`);
  return payload;
}

const COUNTRY = /^[A-Z]{2}$/;

/** customers/create, customers/update → NormalizedCustomer. */
export function normalizeRestCustomer(payload: unknown, topic = "customers/update"): NormalizedCustomer {
  const o = requireObject(topic, payload);
  const r = reader(topic);
  const addr = isObj(o.default_address) ? o.default_address : null;
  const cc =
    addr && typeof addr.country_code === "string" && COUNTRY.test(addr.country_code) ? addr.country_code : null;
  const tags = r.str(o, "tags");
  const state = r.str(o, "state");
  return {
    id: r.ownId(o),
    shopifyCreatedAt: r.optDate(o, "created_at"),
    shopifyUpdatedAt: r.date(o, "updated_at"),
    state: state ? state.toUpperCase() : null,
    countryCode: cc,
    tags: tags
      ? tags
          .split(",")
          .map((t) => t.trim())
          .filter(Boolean)
      : [],
    predictedSpendTier: null,
  };
}

/** The refunds/create payload (or an entry of an order's `refunds`) → NormalizedRefund. */
export function normalizeRestRefund(payload: unknown, topic = "refunds/create", path = ""): NormalizedRefund {
  const o = requireObject(topic, payload);
  const r = reader(topic);
  const p = (f: string) => (path ? `${path}.${f}` : f);
  let amount = 0;
  let currency: string | null = null;
  const lines = Array.isArray(o.refund_line_items) ? o.refund_line_items : [];
  lines.forEach((li, i) => {
    if (!isObj(li)) r.fail(p(`refund_line_items[${i}]`), "must be an object");
    amount += (r.money(li as Obj, "subtotal") ?? 0) + (r.money(li as Obj, "total_tax") ?? 0);
    currency ??= r.currencyOf(li as Obj, "subtotal", "shop_money");
  });
  const adjustments = Array.isArray(o.order_adjustments) ? o.order_adjustments : [];
  adjustments.forEach((a, i) => {
    if (!isObj(a)) r.fail(p(`order_adjustments[${i}]`), "must be an object");
    // Adjustments are negative for money returned (e.g. shipping refunds).
    amount -= (r.money(a as Obj, "amount") ?? 0) + (r.money(a as Obj, "tax_amount") ?? 0);
  });
  const shipping = Array.isArray(o.refund_shipping_lines) ? o.refund_shipping_lines : [];
  shipping.forEach((s, i) => {
    if (!isObj(s)) r.fail(p(`refund_shipping_lines[${i}]`), "must be an object");
    amount += r.money(s as Obj, "subtotal_amount") ?? 0;
  });
  if (lines.length === 0 && adjustments.length === 0 && shipping.length === 0) {
    // Refund without line detail: fall back to successful refund transactions.
    const txs = Array.isArray(o.transactions) ? o.transactions : [];
    txs.forEach((t, i) => {
      if (!isObj(t)) r.fail(p(`transactions[${i}]`), "must be an object");
      const tx = t as Obj;
      if (tx.kind === "refund" && (tx.status === undefined || tx.status === "success")) {
        amount += r.num(tx.amount, p(`transactions[${i}].amount`));
        if (typeof tx.currency === "string") currency ??= tx.currency;
      }
    });
  }
  return {
    id: r.ownId(o, p("id")),
    orderId: r.id(o, "order_id", p("order_id")),
    processedAt: o.processed_at
      ? r.date(o, "processed_at", p("processed_at"))
      : r.date(o, "created_at", p("created_at")),
    amount: Math.round(amount * 100) / 100,
    currencyCode: currency,
  };
}

/** orders/create, orders/updated, orders/cancelled → NormalizedOrder plus the refunds it embeds. */
export function normalizeRestOrder(
  payload: unknown,
  topic = "orders/updated",
): { order: NormalizedOrder; refunds: NormalizedRefund[] } {
  const o = requireObject(topic, payload);
  const r = reader(topic);
  const id = r.ownId(o);
  const shopCurrency = r.currencyOf(o, "total_price", "shop_money") ?? r.str(o, "currency");
  if (!shopCurrency || !/^[A-Z]{3}$/.test(shopCurrency))
    r.fail("total_price_set.shop_money.currency_code", `must be a 3-letter currency code (got ${show(shopCurrency)})`);
  const customer = isObj(o.customer) ? o.customer : null;
  const lineItems = o.line_items === undefined || o.line_items === null ? [] : o.line_items;
  if (!Array.isArray(lineItems)) r.fail("line_items", "must be an array");
  const productIds = new Set<string>();
  (lineItems as unknown[]).forEach((li, i) => {
    if (!isObj(li)) r.fail(`line_items[${i}]`, "must be an object");
    const pid = r.optId(li as Obj, "product_id", `line_items[${i}].product_id`);
    if (pid) productIds.add(pid);
  });
  const codes = Array.isArray(o.discount_codes)
    ? o.discount_codes.flatMap((d) => (isObj(d) && typeof d.code === "string" ? [d.code] : []))
    : [];
  const refundsRaw = Array.isArray(o.refunds) ? o.refunds : [];
  const refunds = refundsRaw.map((x, i) =>
    normalizeRestRefund(isObj(x) ? { order_id: id, ...x } : x, topic, `refunds[${i}]`),
  );
  const totalRefunded = Math.round(refunds.reduce((s, x) => s + x.amount, 0) * 100) / 100;
  const cc = (a: unknown) =>
    isObj(a) && typeof a.country_code === "string" && COUNTRY.test(a.country_code) ? a.country_code : null;
  const subtotal = r.money(o, "subtotal_price") ?? 0;
  const financial = r.str(o, "financial_status");
  const order: NormalizedOrder = {
    id,
    customerId: customer
      ? customer.id === null || customer.id === undefined
        ? null
        : r.ownId(customer, "customer.id")
      : null,
    name: r.str(o, "name"),
    processedAt: o.processed_at ? r.date(o, "processed_at") : r.date(o, "created_at"),
    shopifyCreatedAt: r.optDate(o, "created_at"),
    shopifyUpdatedAt: r.date(o, "updated_at"),
    cancelledAt: r.optDate(o, "cancelled_at"),
    test: o.test === true,
    financialStatus: financial ? financial.toUpperCase() : null,
    currencyCode: shopCurrency as string,
    presentmentCurrencyCode: r.currencyOf(o, "total_price", "presentment_money") ?? r.str(o, "presentment_currency"),
    subtotal,
    currentSubtotal: r.money(o, "current_subtotal_price") ?? subtotal,
    total: r.money(o, "total_price") ?? 0,
    totalDiscounts: r.money(o, "total_discounts") ?? 0,
    totalRefunded,
    presentmentTotal: r.money(o, "total_price", "presentment_money"),
    sourceName: r.str(o, "source_name"),
    countryCode: cc(o.billing_address) ?? cc(o.shipping_address),
    discountCodes: codes,
    productIds: [...productIds],
    lineItemCount: (lineItems as unknown[]).length,
  };
  return { order, refunds };
}

/** customers/delete → the deleted customer's id. */
export function normalizeRestCustomerDelete(payload: unknown, topic = "customers/delete"): { id: string } {
  const o = requireObject(topic, payload);
  return { id: reader(topic).ownId(o) };
}

/** customers/redact and customers/data_request → customer id, order ids, request id. */
export function normalizeComplianceCustomer(
  payload: unknown,
  topic: "customers/redact" | "customers/data_request",
): { customerId: string; orderIds: string[]; requestId: string | null } {
  const o = requireObject(topic, payload);
  const r = reader(topic);
  if (!isObj(o.customer)) r.fail("customer", "must be an object with an id");
  const listField = topic === "customers/redact" ? "orders_to_redact" : "orders_requested";
  const list = o[listField] ?? [];
  if (!Array.isArray(list)) r.fail(listField, "must be an array of order ids");
  const orderIds = (list as unknown[]).map((v, i) => r.id({ v }, "v", `${listField}[${i}]`));
  const dr = isObj(o.data_request) ? o.data_request : null;
  return {
    customerId: r.id(o.customer as Obj, "id", "customer.id"),
    orderIds,
    requestId: dr && dr.id !== undefined && dr.id !== null ? String(dr.id) : null,
  };
}

/** bulk_operations/finish → operation id (GID) and outcome. */
export function normalizeBulkFinish(payload: unknown, topic = "bulk_operations/finish") {
  const o = requireObject(topic, payload);
  const r = reader(topic);
  const gid = r.str(o, "admin_graphql_api_id");
  if (!gid || !gid.startsWith("gid://shopify/BulkOperation/"))
    r.fail("admin_graphql_api_id", `must be a BulkOperation GID (got ${show(gid)})`);
  return {
    bulkOperationId: gid as string,
    status: (r.str(o, "status") ?? "").toUpperCase(),
    errorCode: r.str(o, "error_code"),
    type: r.str(o, "type"),
    completedAt: r.str(o, "completed_at"),
  };
}

/** app/scopes_update → granted scopes. */
export function normalizeScopesUpdate(payload: unknown, topic = "app/scopes_update"): { scopes: string[] } {
  const o = requireObject(topic, payload);
  if (!Array.isArray(o.current) || !o.current.every((s) => typeof s === "string")) {
    throw new PayloadError(topic, "current", "must be an array of scope strings");
  }
  return { scopes: o.current as string[] };
}

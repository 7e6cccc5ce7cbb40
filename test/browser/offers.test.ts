/**
 * Issue 10 on a small demo store (a CDNOW subset): the demo's actions scene end to end
 * (app/demo/actions-scene.server.ts: segments and the tier discount on a scoring, orders by signed
 * webhook → incremental rescore → exactly one "Customer CLV tier changed" trigger per changed
 * customer, a retention campaign whose codes the local Admin API created), then the Offers page in
 * headless Chromium: a campaign for at-risk customers created from the form, listed with its codes
 * and redemptions, the codes stored once per customer. Screenshots in test-artifacts/browser/
 * (offers-*.png).
 */
import { describe, expect, it } from "vitest";
import { openDb } from "~/db/connect.server";
import { shot, skipReason, useDemoSession } from "./demo-harness";

const reason = skipReason();
if (reason) console.warn(reason);

const CUSTOMERS = Number(process.env.BROWSER_OFFERS_CUSTOMERS ?? 400);
const SHOP = "horizon-demo.myshopify.com";

describe.skipIf(reason !== null)("actions in the demo and the Offers page", () => {
  const s = useDemoSession({ customers: CUSTOMERS, timeoutMs: 15 * 60_000 });

  it("the demo's actions scene: segments + discount, one Flow trigger per changed customer, campaign codes", async () => {
    const out = s.demo.output();
    expect(out).not.toMatch(/actions scene failed/);
    const line = /\[demo\] actions: summary (\{.*\})/.exec(out);
    expect(line, out.slice(-3000)).not.toBeNull();
    const summary = JSON.parse(line![1]!) as {
      segments: number;
      tierDiscount: boolean;
      movedCustomers: string[];
      tierChangedTriggers: string[];
      campaignCodes: number;
    };
    expect(summary.segments).toBe(5); // four tiers + at risk
    expect(summary.tierDiscount).toBe(true);
    expect(summary.movedCustomers.length).toBeGreaterThan(0);
    expect([...summary.tierChangedTriggers].sort()).toEqual([...summary.movedCustomers].sort());
    expect(summary.campaignCodes).toBe(25);
    expect(out).toMatch(/Admin API flowTriggerReceive clv-tier-changed customer \d+: gold → platinum/);

    const { db, close } = await openDb(`file:${s.demo.dbFile}`);
    try {
      const offers = await db.retentionOffer.findMany({ where: { shop: SHOP } });
      expect(offers).toHaveLength(25);
      expect(offers.every((o) => o.status === "created" && o.discountId)).toBe(true);
      expect(await db.flowTriggerEvent.count({ where: { shop: SHOP, handle: "clv-tier-changed" } })).toBe(
        summary.movedCustomers.length,
      );
      expect(await db.actionSegment.count({ where: { shop: SHOP } })).toBe(5);
    } finally {
      await close();
    }
  });

  it("Offers page: a campaign for at-risk customers made from the form is listed with its codes", async () => {
    await s.go("/app/offers");
    expect(await s.page.title()).toMatch(/Horizon CLV/);
    await shot(s.page, "offers-before");
    // The scene's campaign and Flow events are listed.
    await expect(s.page.getByTestId("campaigns").textContent()).resolves.toMatch(/at-risk list/);
    expect(await s.page.getByTestId("flow-events").locator("tbody tr").count()).toBeGreaterThan(0);

    await s.page.getByLabel("Who").selectOption("at-risk");
    await s.page.getByLabel("At most").fill("10");
    await s.page.getByLabel("Discount", { exact: true }).fill("20");
    await s.page.getByLabel("Valid for").fill("14");
    await s.page.getByRole("button", { name: "Create codes" }).click();
    const banner = s.page.getByText(/Campaign #\d+: 10 unique codes are being created/);
    await banner.waitFor();
    const id = Number(/#(\d+)/.exec((await banner.textContent()) ?? "")?.[1]);

    // The job creates the codes; reload until the row says done.
    const row = s.page.locator("tr", { has: s.page.getByTestId(`campaign-${id}`) });
    for (let i = 0; i < 120; i++) {
      await s.go("/app/offers");
      if (/done/.test((await row.textContent().catch(() => "")) ?? "")) break;
      await s.page.waitForTimeout(500);
    }
    const cells = await row.locator("td, th").allTextContents();
    expect(cells.join(" | ")).toMatch(/at-risk list \| 20 % \| .+ \| 10 \| 0 \| .+ \| done/);
    await shot(s.page, "offers-campaign");

    const { db, close } = await openDb(`file:${s.demo.dbFile}`);
    try {
      const offers = await db.retentionOffer.findMany({ where: { shop: SHOP, campaignId: id } });
      expect(offers).toHaveLength(10);
      expect(new Set(offers.map((o) => o.customerId)).size).toBe(10);
      expect(new Set(offers.map((o) => o.code)).size).toBe(10);
      expect(offers.every((o) => o.status === "created" && o.discountId)).toBe(true);
    } finally {
      await close();
    }
  });

  it("Offers page: a bad value is refused with the field's message", async () => {
    await s.go("/app/offers");
    await s.page.getByLabel("At most").fill("0");
    await s.page.getByRole("button", { name: "Create codes" }).click();
    await s.page.getByText(/limit must be a whole number from 1/).waitFor();
    await shot(s.page, "offers-error");
  });

  it("no page errors were logged in the browser", () => {
    expect(s.errors.filter((e) => !/favicon/.test(e))).toEqual([]);
  });
});

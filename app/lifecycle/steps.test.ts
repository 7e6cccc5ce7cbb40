import { describe, expect, it } from "vitest";
import { nextNightlySlot, retrainDue, scoringInstant, shopFraction } from "./steps";
import { parseShopFacts } from "./shop-facts";

const DAY = 86_400_000;

describe("lifecycle schedule", () => {
  it("puts each shop's nightly run at its own minute between 01:00 and 05:00 UTC, always ahead", () => {
    const now = new Date("2026-12-04T12:00:00Z");
    const shops = Array.from({ length: 200 }, (_, i) => `shop-${i}.myshopify.com`);
    const slots = shops.map((s) => nextNightlySlot(s, now));
    for (const t of slots) {
      expect(t.getTime()).toBeGreaterThan(now.getTime());
      expect(t.getTime() - now.getTime()).toBeLessThanOrEqual(DAY);
      expect(t.getUTCHours()).toBeGreaterThanOrEqual(1);
      expect(t.getUTCHours()).toBeLessThan(5);
    }
    expect(new Set(slots.map((t) => t.getTime())).size).toBeGreaterThan(100); // staggered, not one instant
    expect(nextNightlySlot("a.myshopify.com", now)).toEqual(nextNightlySlot("a.myshopify.com", now));
    expect(shopFraction("a.myshopify.com")).toBeGreaterThanOrEqual(0);
    // Just after today's slot: tomorrow's.
    const slot = nextNightlySlot("a.myshopify.com", new Date("2026-12-04T00:00:00Z"));
    expect(nextNightlySlot("a.myshopify.com", new Date(slot.getTime() + 1000)).getTime()).toBe(slot.getTime() + DAY);
  });
  it("scores at the end of the UTC day: same-day rescoring gives the same values and counts today's orders", () => {
    expect(scoringInstant(new Date("2026-12-04T23:59:59Z"))).toBe(Date.UTC(2026, 11, 5));
    expect(scoringInstant(new Date("2026-12-04T00:00:00Z"))).toBe(Date.UTC(2026, 11, 5));
    const orderPlacedToday = Date.parse("2026-12-04T15:30:00Z");
    expect(orderPlacedToday).toBeLessThan(scoringInstant(new Date("2026-12-04T15:31:00Z")));
  });
  it("retrains when never trained or after the interval", () => {
    const now = new Date("2026-12-10T02:00:00Z");
    expect(retrainDue(null, 7, now)).toBe(true);
    expect(retrainDue(new Date("2026-12-08T02:00:00Z"), 7, now)).toBe(false);
    expect(retrainDue(new Date("2026-12-03T02:30:00Z"), 7, now)).toBe(true); // a night's jitter is tolerated
  });
});

describe("shop facts", () => {
  it("reads currency, time zone and the primary locale; a missing currency names the field", () => {
    expect(
      parseShopFacts({
        shop: { currencyCode: "EUR", ianaTimezone: "Europe/Berlin" },
        shopLocales: [
          { locale: "en", primary: false },
          { locale: "de", primary: true },
        ],
      }),
    ).toEqual({ currencyCode: "EUR", ianaTimezone: "Europe/Berlin", primaryLocale: "de" });
    expect(() => parseShopFacts({ shop: { currencyCode: "", ianaTimezone: null }, shopLocales: null })).toThrow(
      /shop\.currencyCode/,
    );
  });
});

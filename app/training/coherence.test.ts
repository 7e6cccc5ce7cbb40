/**
 * The coherence rule (docs/models/churn-and-next-order.md) over a demo-sized store's predictions:
 * the bundled CDNOW demo log (23,570 customers), trained with the cheap candidates.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseCdnowMaster } from "./datasets";
import { trainShop } from "./pipeline";
import { discountedMonths } from "./score";
import { LAPSED_P_ALIVE } from "./serve";
import { CHURN_WINDOW_DAYS } from "./purchase";

const here = path.dirname(fileURLToPath(import.meta.url));
const DEMO = path.join(here, "../demo/data/cdnow_master.txt.gz");
const DAY = 86_400_000;
const settings = { horizonMonths: 12, annualDiscountRate: 0.1, grossMargin: 0.3 };

describe("coherence of each customer's story on the CDNOW demo store", async () => {
  const orders = parseCdnowMaster(gunzipSync(readFileSync(DEMO)).toString("utf8"));
  const r = await trainShop(orders, { settings, candidates: ["btyd", "baseline"] });
  const s = r.scores;
  const n = s.customerIds.length;

  it("trains and serves a calibrated champion with churn, next order and an interval", () => {
    expect(n).toBeGreaterThan(20_000);
    expect(r.status).toBe("promoted");
    expect(s.interval.method).toBe("empirical");
  });

  it("P(alive) sees one-time buyers' dropout (not 100 % for all of them)", () => {
    const one = [...Array(n).keys()].filter((i) => s.orderCount[i] === 1);
    expect(one.length).toBeGreaterThan(5_000);
    expect(one.filter((i) => s.pAlive[i] > 0.999).length).toBe(0);
    expect(one.filter((i) => s.churnProbability[i] > 0.9).length).toBeGreaterThan(one.length / 2);
  });

  it("no top-tier customer with near-zero P(alive) unless the reason says why", () => {
    let unexplained = 0;
    for (let i = 0; i < n; i++)
      if (
        s.tier[i] === "platinum" &&
        s.pAlive[i] < LAPSED_P_ALIVE &&
        !/Probably no longer buying/.test(s.drivers[i][0]?.phrase ?? "")
      )
        unexplained++;
    expect(unexplained).toBe(0);
  });

  it("expected orders × expected order value = predicted CLV ÷ (margin × discount)", () => {
    const perSpend = discountedMonths(settings) / settings.horizonMonths;
    for (let i = 0; i < n; i++) {
      expect(s.orderValue[i]).toBeGreaterThanOrEqual(0);
      expect(s.expectedOrders[i] * s.orderValue[i] * perSpend).toBeCloseTo(s.clv[i], 6);
    }
  });

  it("churn, P(alive) and next-order date agree", () => {
    for (let i = 0; i < n; i++) {
      expect(s.churnProbability[i]).toBeGreaterThanOrEqual(1 - s.pAlive[i] - 1e-9); // dead customers never order
      const next = s.nextOrderAt[i];
      if (Number.isFinite(next) && next - r.artefact.asOf <= CHURN_WINDOW_DAYS * DAY)
        expect(s.churnProbability[i]).toBeLessThanOrEqual(0.5 + 1e-9);
      if (s.pAlive[i] <= 0.5) expect(Number.isNaN(next)).toBe(true);
      expect(s.clvLow[i]).toBeLessThanOrEqual(s.clv[i]);
      expect(s.clvHigh[i]).toBeGreaterThanOrEqual(s.clv[i]);
    }
  });
});

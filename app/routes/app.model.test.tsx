/** The model card renders the served range's measured coverage and the served calibration factor. */
import { describe, expect, it, vi } from "vitest";
import { renderToString } from "react-dom/server";
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { parseModelMetrics } from "~/presentation/model-metrics";

const metrics = JSON.stringify({
  candidates: {
    baseline: {
      gini: 0.7,
      predictedTotal: 95,
      actualTotal: 100,
      scale: 0.33,
      serving: { scale: 0.49, interval: null },
      intervalCoverage: 0.71,
      intervalNominal: 0.8,
      servedInterval: {
        coverage: 0.734,
        nominal: 0.8,
        customers: 23570,
        shapeFold: "1997-04-01",
        levelFold: "1997-04-01",
        measuredFold: "1997-06-30",
        shapeDays: 365,
        levelDays: 90,
        overlapDays: 0,
      },
      folds: [{ role: "evaluation", cutoff: "1997-06-30", days: 365, gini: 0.7, rawTotalRatio: 2 }],
    },
  },
});
const data = {
  runs: [],
  status: {},
  latest: {
    id: 1,
    status: "completed",
    champion: "baseline",
    promoted: true,
    reason: "past spend",
    createdAt: "2026-12-05T00:00:00Z",
    finishedAt: "2026-12-05T00:00:00Z",
    error: null,
    calibrationEnd: null,
    horizonDays: 365,
    metrics: parseModelMetrics(metrics, "baseline"),
  },
};

vi.mock("@remix-run/react", () => ({
  Form: (p: { children: unknown }) => p.children,
  useLoaderData: () => ({ data, currency: "USD" }),
  useActionData: () => undefined,
  useNavigation: () => ({ state: "idle" }),
}));
vi.mock("~/components/JobProgress", () => ({
  TrainingProgress: () => null,
  useLiveStatus: (s: unknown) => s,
}));
vi.mock("~/db.server", () => ({ default: {} }));
vi.mock("~/auth.server", () => ({ requireAdmin: vi.fn() }));
vi.mock("~/pages/model-card.server", () => ({ getModelPage: vi.fn(), requestRetrain: vi.fn() }));
vi.mock("~/models/shop-format.server", () => ({ getShopCurrency: vi.fn() }));
vi.mock("~/shopify/embedded-headers", () => ({ headers: () => ({}) }));

describe("model card", () => {
  it("states the served range's measured coverage, the factor in use, the comparison factor and each period's", async () => {
    const { default: Model } = await import("./app.model");
    const html = renderToString(
      <AppProvider i18n={en}>
        <Model />
      </AppProvider>,
    ).replace(/<!-- -->/g, "");
    expect(html).toContain(
      "The 80 % range (past spend) contained the actual spend of 73 % of customers in the backtest",
    );
    expect(html).toContain("73%"); // the table's range column
    expect(html).toContain("Factor in use");
    expect(html).toContain("0.49×");
    expect(html).toContain("0.33×");
    expect(html).toContain("predictions are multiplied by 0.49× in use");
    expect(html).toContain("0.50×"); // the evaluation period's own factor (actual ÷ predicted = 1 / 2)
  });
});

/**
 * Drives the demo in headless Chromium: every page, sort and filter customers, open a customer,
 * export CSV, change a setting (bad then good input), retrain and wait for the progress bar to
 * finish. Screenshots in test-artifacts/browser/. Skipped (with a message) only when Chromium is
 * missing and CI is unset.
 */
import { beforeAll, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { describeDemo, shot } from "./demo-harness";

/** Demo customers for the browser run (a CDNOW subset keeps backfill and training short). */
const CUSTOMERS = Number(process.env.BROWSER_DEMO_CUSTOMERS ?? 1500);

describeDemo("demo in the browser", { customers: CUSTOMERS, timeoutMs: 20 * 60_000 }, (session) => {
  const { go } = session;
  let page: Page;
  beforeAll(() => {
    page = session.page;
  });

  it("dashboard shows the demo banner, the predicted value with its range and charts", async () => {
    const doc = await page.goto(`${session.demo.url}/app`, { waitUntil: "networkidle" });
    expect(doc?.headers()["content-security-policy"]).toMatch(
      /^frame-ancestors https:\/\/horizon-demo\.myshopify\.com https:\/\/admin\.shopify\.com/,
    );
    await go("/");
    expect(page.url()).toBe(`${session.demo.url}/app`);
    await expect(page.getByTestId("demo-banner").textContent()).resolves.toMatch(/Demo store/);
    const total = await page.getByTestId("kpi-total").textContent();
    expect(total).toMatch(/\$[\d,]+/);
    await expect(
      page
        .getByText(/Likely between \$/)
        .first()
        .isVisible(),
    ).resolves.toBe(true);
    await page.locator(".recharts-wrapper svg").first().waitFor();
    expect(await page.locator(".recharts-wrapper").count()).toBeGreaterThanOrEqual(2);
    await shot(page, "01-dashboard");
  });

  it("customers: sorts server-side, filters by tier and at-risk, searches", async () => {
    await go("/app/customers");
    const clv = async () =>
      page.getByTestId("clv-cell").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-value"))));
    const first = await clv();
    expect(first.length).toBe(50);
    for (let i = 1; i < first.length; i++) expect(first[i - 1]).toBeGreaterThanOrEqual(first[i]);
    await shot(page, "02-customers");

    await page.locator("th button", { hasText: "Chance still active" }).first().click();
    await page.waitForURL(/sort=pAlive/);
    // The rows on screen end up ordered by P(alive) (server-side sort; times out otherwise).
    await page.waitForFunction(() => {
      const v = [...document.querySelectorAll('[data-testid="palive-cell"]')].map((e) =>
        Number(e.getAttribute("data-value")),
      );
      const desc = v.every((x, i) => i === 0 || v[i - 1] >= x);
      const asc = v.every((x, i) => i === 0 || v[i - 1] <= x);
      return v.length === 50 && (desc || asc);
    });
    const direction = new URL(page.url()).searchParams.get("direction") ?? "desc";
    const pa = await page
      .getByTestId("palive-cell")
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-value"))));
    expect(pa).toEqual([...pa].sort((a, b) => (direction === "asc" ? a - b : b - a)));

    const tiers = await page
      .getByLabel("Tier")
      .locator("option")
      .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value).filter(Boolean));
    await page.getByLabel("Tier").selectOption(tiers[0]);
    await page.waitForURL(new RegExp(`tier=${tiers[0]}`));
    expect(new URL(page.url()).searchParams.get("sort")).toBe("pAlive"); // the sort survives the filter
    // Every row on screen ends up in the chosen tier (times out otherwise).
    await page.waitForFunction((tier) => {
      const v = [...document.querySelectorAll('[data-testid="tier-cell"]')].map((e) => e.getAttribute("data-value"));
      return v.length > 0 && v.every((t) => t === tier);
    }, tiers[0]);

    // Controlled checkbox: it shows checked once the navigation it starts has finished.
    await page.getByLabel(/High churn risk only/).click({ force: true });
    await page.waitForURL(/atRisk=1/);
    expect(new URL(page.url()).searchParams.get("tier")).toBe(tiers[0]);
    await page.waitForFunction(() => {
      const levels = [...document.querySelectorAll('[data-testid="churn-risk"]')].map((e) =>
        e.getAttribute("data-level"),
      );
      const empty = document.body.textContent?.includes("No customers match");
      return empty || (levels.length > 0 && levels.every((x) => x === "high"));
    });
    await shot(page, "03-customers-filtered");

    await go("/app/customers");
    const id = (await page.getByTestId("customer-link").first().textContent())!.trim();
    await page.getByLabel("Search").fill(id);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL(/q=/);
    await page.waitForFunction((want) => {
      const ids = [...document.querySelectorAll('[data-testid="customer-link"]')].map((e) => e.textContent?.trim());
      return ids.length === 1 && ids[0] === want;
    }, id);
  });

  it("exports the current filter as CSV with every matching row", async () => {
    await go("/app/customers?tier=" + encodeURIComponent(await firstTier(page)));
    const subtitle = await page.locator(".Polaris-Page").first().textContent();
    const expected = Number(/([\d,]+) customers match/.exec(subtitle ?? "")?.[1].replace(/,/g, ""));
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().includes("/app/customers/export")),
      page.getByText("Export CSV", { exact: true }).click(),
    ]);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toMatch(/text\/csv/);
    expect(new URL(response.url()).searchParams.get("tier")).toBeTruthy(); // the current filter is exported
    // The button streams the file into a blob download; read the same URL again from the page.
    const text = await page.evaluate((u) => fetch(u).then((r) => r.text()), response.url());
    const lines = text.trim().split(/\r\n/);
    expect(lines[0]).toMatch(/^customer_id,tier,predicted_clv,/);
    expect(lines.length - 1).toBe(expected);
  });

  it("opens a customer: prediction with range, P(alive) chart, orders", async () => {
    await go("/app/customers");
    await page.getByTestId("customer-link").first().click();
    await page.waitForURL(/\/app\/customers\/\d+/);
    await page.waitForLoadState("networkidle");
    await expect(page.getByTestId("customer-total-value").textContent()).resolves.toMatch(/\$[\d,]+/);
    const shopifyLink = page.locator('a:has-text("Open in Shopify") >> visible=true').first();
    expect(await shopifyLink.getAttribute("href")).toMatch(
      /^https:\/\/admin\.shopify\.com\/store\/horizon-demo\/customers\/\d+$/,
    );
    await expect(page.getByRole("heading", { name: "Orders" }).isVisible()).resolves.toBe(true);
    await shot(page, "04-customer");
  });

  it("cohorts page shows curves and the table", async () => {
    await go("/app/cohorts");
    await page.locator(".recharts-wrapper svg").first().waitFor();
    expect(await page.locator("table tbody tr").count()).toBeGreaterThan(0);
    await shot(page, "05-cohorts");
  });

  it("settings: a bad value is refused with a clear message, a good one is saved", async () => {
    await go("/app/settings");
    await page.getByLabel("Horizon (months)").fill("0");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByTestId("settings-errors").textContent()).resolves.toMatch(/between 1 and 60 months/);
    await shot(page, "06-settings-error");
    await page.getByLabel("Horizon (months)").fill("18");
    await page.getByLabel("Tag prefix").fill("horizon");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByTestId("settings-saved").waitFor();
    await go("/app/settings");
    expect(await page.getByLabel("Horizon (months)").inputValue()).toBe("18");
    expect(await page.getByLabel("Tag prefix").inputValue()).toBe("horizon");
  });

  it(
    "model: backtest table, then Retrain runs to completion with a live progress bar",
    async () => {
      await go("/app/model");
      expect(await page.locator("table").first().textContent()).toMatch(/past spend/i);
      await shot(page, "07-model");
      const before = Number((await page.getByTestId("training-progress").getAttribute("data-run")) ?? 0);
      await page.getByRole("button", { name: "Retrain" }).click();
      const bar = page.getByTestId("training-progress");
      await page.waitForFunction(
        () => document.querySelector('[data-testid="training-progress"]')?.getAttribute("data-running") === "1",
        null,
        { timeout: 60_000 },
      );
      await shot(page, "08-model-training");
      await page.waitForFunction(
        () => {
          const el = document.querySelector('[data-testid="training-progress"]');
          return el?.getAttribute("data-running") === "0";
        },
        null,
        { timeout: 15 * 60_000, polling: 1000 },
      );
      expect(await bar.getAttribute("data-status")).toBe("completed");
      expect(Number(await bar.getAttribute("data-run"))).toBeGreaterThan(before);
      await shot(page, "09-model-retrained");
    },
    20 * 60_000,
  );
});

async function firstTier(page: Page): Promise<string> {
  const tiers = await page
    .getByLabel("Tier")
    .locator("option")
    .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value).filter(Boolean));
  return tiers[0];
}

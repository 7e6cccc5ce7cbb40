/**
 * The admin pages as a merchant uses them (issue 11), on a small demo store in headless Chromium:
 * "Open in Shopify" leaves the app's frame, id-prefix search inside visible filters with "clear
 * filters", an unknown tier in the URL flagged, a lapsed one-time buyer shown at high churn risk,
 * page titles / heading order / charts out of the tab order, and a euro shop in German formatting.
 * Screenshots of every page in test-artifacts/browser/ (pages-*.png).
 */
import { beforeAll, expect, it } from "vitest";
import { openDb } from "~/db/connect.server";
import type { Page } from "playwright-core";
import { describeDemo, shot } from "./demo-harness";

const CUSTOMERS = Number(process.env.BROWSER_PAGES_CUSTOMERS ?? 400);

describeDemo("admin pages in the browser", { customers: CUSTOMERS, timeoutMs: 15 * 60_000 }, (session) => {
  const { go } = session;
  let page: Page;
  beforeAll(() => {
    page = session.page;
  });
  const ids = () =>
    page.getByTestId("customer-link").evaluateAll((els) => els.map((e) => (e.textContent ?? "").trim()));

  it("every page has its own title, headings in order and charts out of the tab order", async () => {
    const titles = new Set<string>();
    for (const [path, name] of [
      ["/app", "dashboard"],
      ["/app/customers", "customers"],
      ["/app/cohorts", "cohorts"],
      ["/app/cohorts?show=retention", "cohorts-retention"],
    ] as const) {
      await go(path);
      titles.add(await page.title());
      const levels = await page
        .locator("h1, h2, h3, h4, h5, h6")
        .evaluateAll((hs) => hs.map((h) => Number(h.tagName.slice(1))));
      expect(levels[0], `${path} starts with h1`).toBe(1);
      for (let i = 1; i < levels.length; i++)
        expect(levels[i], `${path} heading ${i}`).toBeLessThanOrEqual(levels[i - 1] + 1);
      // Drawings are aria-hidden and nothing inside them is focusable; each figure has a name and a data table.
      const focusable = await page
        .locator('[data-chart] [tabindex]:not([tabindex="-1"]), [data-chart] a, [data-chart] button')
        .count();
      expect(focusable, `${path} focusable chart parts`).toBe(0);
      const figures = await page.locator("figure[aria-label]").count();
      expect(await page.getByTestId("chart-data").count()).toBe(figures);
      await shot(page, `pages-${name}`);
    }
    expect(titles).toEqual(new Set(["Dashboard · Horizon CLV", "Customers · Horizon CLV", "Cohorts · Horizon CLV"]));
    // Badges say what they are ("Tier: Platinum"), not their colour.
    await go("/app/customers");
    const badge = await page.getByTestId("tier-cell").first().textContent();
    expect(badge).toMatch(/^Tier:\s*[A-Z][a-z]+$/);
  });

  it("dashboard says what it is and shows revenue by default with a profit view", async () => {
    await go("/app");
    await expect(page.getByTestId("about").textContent()).resolves.toMatch(/lifetime value/);
    const revenue = await page.getByTestId("kpi-total").textContent();
    await expect(page.getByTestId("kpi-total-range").textContent()).resolves.toMatch(
      /Likely between \$[\d,]+ – \$[\d,]+/,
    );
    await page.getByTestId("value-view").getByRole("link", { name: "Profit" }).click();
    await page.waitForURL(/view=profit/);
    const amount = (s: string | null) => Number((s ?? "").replace(/[^\d]/g, ""));
    // Profit = revenue × margin, discounted: smaller (times out otherwise).
    await page.waitForFunction(
      (before) =>
        Number(document.querySelector('[data-testid="kpi-total"]')?.textContent?.replace(/[^\d]/g, "")) < before,
      amount(revenue),
    );
    await expect(page.getByText(/gross margin, each future month discounted/).isVisible()).resolves.toBe(true);
    await shot(page, "pages-dashboard-profit");
  });

  it("Open in Shopify navigates the top window, not the app's frame", async () => {
    await go("/app/customers");
    await page.getByTestId("customer-link").first().click();
    await page.waitForURL(/\/app\/customers\/\d+/);
    await page.waitForLoadState("networkidle");
    const link = page.getByTestId("open-in-shopify").locator("a");
    expect(await link.getAttribute("target")).toBe("_top");
    expect(await link.getAttribute("href")).toMatch(
      /^https:\/\/admin\.shopify\.com\/store\/horizon-demo\/customers\/\d+$/,
    );
    await expect(page.getByTestId("order-counts").textContent()).resolves.toMatch(/\d+ orders? in Shopify/);
    // Export from the customer: exactly this customer's row.
    const id = /\/app\/customers\/(\d+)/.exec(page.url())![1];
    await expect(
      page.getByRole("button", { name: "Export this customer's prediction as CSV" }).isVisible(),
    ).resolves.toBe(true);
    const csv = await page.evaluate((u) => fetch(u).then((r) => r.text()), `/app/customers/export?id=${id}`);
    const lines = csv.trim().split(/\r\n/);
    expect(lines).toHaveLength(2);
    expect(lines[1].startsWith(`${id},`)).toBe(true);
    await shot(page, "pages-customer");
  });

  it("searches by id prefix within the visible filters, clears them, and flags an unknown tier", async () => {
    await go("/app/customers");
    const tier = await page
      .getByLabel("Tier")
      .locator("option")
      .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value).filter(Boolean)[0]);
    await go(`/app/customers?tier=${tier}`);
    // Act where they look: a retention offer for exactly this tier, through the actions machinery.
    const act = page.getByTestId("act-card");
    await page.getByRole("button", { name: "Send retention offer" }).click();
    await expect(act.getByTestId("act-result").textContent()).resolves.toMatch(
      /Campaign #\d+: \d+ unique codes are being created/,
    );
    await shot(page, "pages-customers-offer");
    // ... and its Shopify segment: a link to the one the Segments automation keeps (the demo's actions
    // scene switches it on), else "Create segment" (segmentCreate on the local Admin API), then the link.
    const seg = page.getByTestId("segment-card");
    const create = seg.getByRole("button", { name: "Create segment" });
    await create.or(seg.getByTestId("segment-link")).first().waitFor();
    if (await create.count()) {
      await create.click();
      await expect(seg.getByTestId("segment-result").textContent()).resolves.toMatch(
        /Segment (created|already in Shopify): "Horizon CLV: .+ tier"/,
      );
    }
    await expect(seg.getByTestId("segment-link").locator("a").getAttribute("href")).resolves.toMatch(
      /\/customers\/segments\/\d+$/,
    );
    const prefix = (await ids())[0].slice(0, 8);
    await page.getByLabel("Search").fill(prefix);
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL(/q=/);
    expect(new URL(page.url()).searchParams.get("tier")).toBe(tier);
    await page.waitForFunction(
      ([p, t]) => {
        const got = [...document.querySelectorAll('[data-testid="customer-link"]')].map((e) => e.textContent?.trim());
        const tiers = [...document.querySelectorAll('[data-testid="tier-cell"]')].map((e) =>
          e.getAttribute("data-value"),
        );
        return got.length > 1 && got.every((id) => id?.startsWith(p)) && tiers.every((x) => x === t);
      },
      [prefix, tier],
    );
    const active = await page.getByTestId("active-filters").textContent();
    expect(active).toContain(`Id or order: ${prefix}`);
    expect(active).toMatch(/Tier: [A-Z]/);
    // A search is not an audience the offers can target: the card says why instead of a button.
    await expect(page.getByTestId("act-card").textContent()).resolves.toMatch(/narrow the filter/);
    await expect(page.getByTestId("segment-card").textContent()).resolves.toMatch(/narrow the filter/);
    await shot(page, "pages-customers-search");
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.waitForURL((u) => !u.searchParams.has("q") && !u.searchParams.has("tier"));
    await page.getByTestId("active-filters").getByText("No filters: all customers.").waitFor();

    await go("/app/customers?tier=nope");
    await expect(page.getByTestId("unknown-tier").textContent()).resolves.toMatch(/no tier "nope"/);
    expect(await page.getByLabel("Tier").inputValue()).toBe("");
    await expect(page.getByTestId("active-filters").textContent()).resolves.toMatch(/No filters/);
  });

  it("settings: unsaved changes show the save bar and hold a navigation until the merchant chooses", async () => {
    await go("/app/settings");
    const horizon = page.getByLabel("Horizon (months)");
    const original = await horizon.inputValue();
    expect(await page.getByTestId("save-bar").count()).toBe(0);
    await horizon.fill(original === "13" ? "14" : "13");
    await page.getByTestId("save-bar").waitFor();
    await shot(page, "pages-settings-unsaved");
    // Leaving through the app's navigation is held: stay keeps the edit.
    await page.getByRole("link", { name: "Customers" }).first().click();
    await page.getByTestId("unsaved-guard").waitFor();
    expect(new URL(page.url()).pathname).toBe("/app/settings");
    await page.getByRole("button", { name: "Stay on this page" }).click();
    await page.getByTestId("unsaved-guard").waitFor({ state: "detached" });
    expect(await horizon.inputValue()).not.toBe(original);
    // Discard restores the saved value and the bar goes away.
    await page.getByRole("button", { name: "Discard" }).click();
    await expect.poll(() => horizon.inputValue()).toBe(original);
    await page.getByTestId("save-bar").waitFor({ state: "detached" });
    // Leaving without saving is the merchant's explicit choice.
    await horizon.fill(original === "13" ? "14" : "13");
    await page.getByRole("link", { name: "Customers" }).first().click();
    await page.getByRole("button", { name: "Leave without saving" }).click();
    await page.waitForURL(/\/app\/customers/);
    // Nothing was saved.
    await go("/app/settings");
    await expect.poll(() => page.getByLabel("Horizon (months)").inputValue()).toBe(original);
  });

  it(
    "retrain: the progress card shows the running stage (not 'queued · 0 %') while it runs",
    async () => {
      await go("/app/model");
      const bar = page.getByTestId("training-progress");
      const before = Number((await bar.getAttribute("data-run")) ?? 0);
      await page.getByRole("button", { name: "Retrain" }).click();
      // While the new run works, the card names its stage and status "running".
      await page.waitForFunction(
        (prev) => {
          const el = document.querySelector('[data-testid="training-progress"]');
          return el?.getAttribute("data-status") === "running" && Number(el.getAttribute("data-run")) > prev;
        },
        before,
        { timeout: 5 * 60_000, polling: 100 },
      );
      const text = await page.getByTestId("training-progress").locator("xpath=..").textContent();
      expect(text).toMatch(/Training run #\d+/);
      expect(text).not.toMatch(/Waiting for the job worker/);
      await shot(page, "pages-model-training");
      await page.waitForFunction(
        () => document.querySelector('[data-testid="training-progress"]')?.getAttribute("data-running") === "0",
        null,
        { timeout: 10 * 60_000, polling: 500 },
      );
      expect(await bar.getAttribute("data-status")).toBe("completed");
    },
    15 * 60_000,
  );

  it("a one-time buyer who lapsed long ago shows a high churn risk", async () => {
    // Oldest last orders first; the first one-order customer among them.
    await go("/app/customers?sort=lastOrderAt&direction=asc&pageSize=100");
    const rows = await page.locator("tbody tr").evaluateAll((trs) =>
      trs.map((tr) => ({
        id: tr.querySelector('[data-testid="customer-link"]')?.textContent?.trim() ?? "",
        orders: Number(tr.querySelectorAll("td")[7]?.textContent?.replace(/[^\d]/g, "")),
      })),
    );
    const lapsed = rows.find((r) => r.orders === 1);
    expect(lapsed, "a one-time buyer among the 100 longest-lapsed customers").toBeTruthy();
    await go(`/app/customers/${lapsed!.id}`);
    const churn = page.getByTestId("customer-churn").getByTestId("churn-risk");
    expect(await churn.getAttribute("data-level")).toBe("high");
    await expect(churn.textContent()).resolves.toMatch(/High · \d+%/);
    await shot(page, "pages-customer-lapsed");
  });

  it("a euro shop with German as its language gets German words and euro amounts", async () => {
    const handle = await openDb(`file:${session.demo.dbFile}`);
    try {
      await handle.db.shop.updateMany({ data: { currencyCode: "EUR", primaryLocale: "de" } });
    } finally {
      await handle.close();
    }
    await go("/app");
    expect(await page.title()).toBe("Übersicht · Horizon CLV");
    expect(await page.locator("html").getAttribute("lang")).toBe("de");
    const total = (await page.getByTestId("kpi-total").textContent())!.replace(/[\u00a0\u202f]/g, " ");
    expect(total).toMatch(/^\d{1,3}(\.\d{3})* €$/);
    await expect(page.getByText("Worum geht es?").isVisible()).resolves.toBe(true);
    await go("/app/customers");
    const historic = (await page.getByTestId("historic-cell").first().textContent())!.replace(/[\u00a0\u202f]/g, " ");
    expect(historic).toMatch(/^\d{1,3}(\.\d{3})*,\d\d €$/);
    await expect(page.getByRole("link", { name: "Kunden" }).first().isVisible()).resolves.toBe(true);
    await shot(page, "pages-customers-de-eur");
    await go("/app/cohorts");
    await shot(page, "pages-cohorts-de-eur");
  });
});

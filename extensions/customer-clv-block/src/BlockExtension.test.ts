// @vitest-environment jsdom
/**
 * The customer-page block rendered with Shopify's extension tester (mock `shopify` global, mock
 * fetch) in each state: scored, fallback, not yet scored, error; and the retention offer action.
 */
import { getExtension } from "@shopify/ui-extensions-tester";
import { fireEvent, waitFor } from "@testing-library/preact";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const extension = getExtension("admin.customer-details.block.render");
const CUSTOMER = "gid://shopify/Customer/42";

const scored = {
  status: "scored",
  currency: "USD",
  clv: 812.4,
  clvLow: 410,
  clvHigh: 1290,
  intervalLabel: "90 % interval",
  tier: "gold",
  pAlive: 0.83,
  churnRisk: 0.21,
  expectedOrders: 3.4,
  reasons: ["Ordered 6 times in 14 months", "Spends 2.1× the shop average", "Last order 12 days ago"],
  atRisk: false,
  offer: null,
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const text = () => document.body.textContent ?? "";

beforeEach(() => {
  extension.setUp();
  (extension.shopify as unknown as { data: unknown }).data = { selected: [{ id: CUSTOMER }] };
});
afterEach(() => extension.tearDown());

describe("customer CLV block", () => {
  it("scored: CLV with interval and level, tier, P(alive), churn risk, expected orders, reasons", async () => {
    const fetchMock = vi.fn().mockResolvedValue(json(scored));
    extension.fetch = fetchMock;
    await extension.render();
    await waitFor(() => expect(text()).toContain("Predicted CLV $812"));
    expect(fetchMock).toHaveBeenCalledWith(`/api/customer-clv?customerId=${encodeURIComponent(CUSTOMER)}`);
    expect(text()).toContain("90 % interval: $410 – $1,290");
    expect(document.body.querySelector("s-badge")?.textContent).toBe("gold");
    expect(text()).toContain("P(alive) 83% · churn risk 21% · expected orders 3.4");
    expect(text()).toContain("Spends 2.1× the shop average");
    expect(text()).not.toContain("Heuristic estimate");
    expect(document.body.querySelector("s-button")?.textContent).toContain("Send retention offer");
  });

  it("fallback: says the figures are a heuristic estimate", async () => {
    extension.fetch = vi.fn().mockResolvedValue(json({ ...scored, status: "fallback", intervalLabel: null }));
    await extension.render();
    await waitFor(() => expect(text()).toContain("Heuristic estimate"));
    expect(text()).toContain("No interval for this model.");
  });

  it("not yet scored: explains why", async () => {
    extension.fetch = vi
      .fn()
      .mockResolvedValue(json({ status: "not-scored", reason: "The shop has not been scored yet." }));
    await extension.render();
    await waitFor(() => expect(text()).toContain("Not scored yet. The shop has not been scored yet."));
    expect(document.body.querySelector("s-button")).toBeNull();
  });

  it("error: the backend fails", async () => {
    extension.fetch = vi.fn().mockResolvedValue(json({ error: "boom" }, 500));
    await extension.render();
    await waitFor(() => expect(text()).toContain("Could not load the CLV prediction: The app answered 500."));
  });

  it("sends a retention offer and shows the code", async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(json({ ...scored, atRisk: true }))
      .mockResolvedValueOnce(json({ offer: { code: "HCLV-7-ABCD2345", expiresAt: "2027-01-03T00:00:00.000Z" } }));
    extension.fetch = fetchMock;
    await extension.render();
    await waitFor(() => expect(document.body.querySelector("s-button")).not.toBeNull());
    expect(text()).toContain("At risk");
    fireEvent.click(document.body.querySelector("s-button")!);
    await waitFor(() => expect(text()).toContain("Retention offer HCLV-7-ABCD2345 (expires 2027-01-03)"));
    expect(fetchMock.mock.calls[1]![0]).toBe("/api/customer-clv/offer");
    expect(JSON.parse(fetchMock.mock.calls[1]![1].body as string)).toEqual({ customerId: CUSTOMER });
  });
});

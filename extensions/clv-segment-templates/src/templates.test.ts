// @vitest-environment jsdom
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { getExtension } from "@shopify/ui-extensions-tester";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import run from "./templates.js";

const extension = getExtension("admin.customers.segmentation-templates.data");
const locale = JSON.parse(
  readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "../locales/en.default.json"), "utf8"),
);

beforeEach(() => extension.setUp());
afterEach(() => extension.tearDown());

describe("segment templates", () => {
  it("offers High predicted CLV, At churn risk and Slipping VIPs on the app's tags", async () => {
    const { templates } = await run();
    expect(templates.map((t) => t.title)).toEqual(["highClv.title", "atRisk.title", "slippingVips.title"]);
    expect(templates.map((t) => t.query)).toEqual([
      "customer_tags CONTAINS 'clv:platinum' OR customer_tags CONTAINS 'clv:gold'",
      "customer_tags CONTAINS 'clv-at-risk'",
      "customer_tags CONTAINS 'clv:platinum' AND customer_tags CONTAINS 'clv-at-risk'",
    ]);
    for (const t of templates) {
      expect(t.queryToInsert).toBe(t.query);
      const [group, field] = String(t.title).split(".");
      expect(locale[group!][field!]).toBeTruthy();
      expect(locale[group!].description).toBeTruthy();
    }
  });
});

/**
 * The actions' documents built at run time validate against the vendored Admin API 2026-07 schema
 * (the static ones are covered by app/shopify/documents.test.ts).
 */
import { describe, expect, it } from "vitest";
import { validateDocument } from "../../test/fake-admin/schema";
import { codeCreateBatchDocument, flowTriggerBatchDocument } from "./documents";

const errors = (q: string) => validateDocument(q).errors.map((e) => e.message);

describe("batch documents", () => {
  it("aliased discountCodeBasicCreate", () => {
    const d = codeCreateBatchDocument([{ code: "A" }, { code: "B" }]);
    expect(errors(d.query)).toEqual([]);
    expect(Object.keys(d.variables)).toEqual(["d0", "d1"]);
  });
  it("aliased flowTriggerReceive(handle:, payload:)", () => {
    const d = flowTriggerBatchDocument([
      { handle: "clv-tier-changed", payload: { customer_id: 1 } },
      { handle: "customer-at-risk", payload: { customer_id: 2 } },
    ]);
    expect(errors(d.query)).toEqual([]);
    expect(d.query).toContain("f1: flowTriggerReceive(handle: $h1, payload: $p1)");
    expect(d.variables).toMatchObject({ h0: "clv-tier-changed", p1: { customer_id: 2 } });
  });
  it("a wrong field fails (the check can fail)", () => {
    expect(
      errors(flowTriggerBatchDocument([{ handle: "x", payload: {} }]).query.replace("userErrors", "errorz")),
    ).not.toEqual([]);
  });
});

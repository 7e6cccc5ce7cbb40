import { describe, expect, it } from "vitest";
import { DEFAULT_TIER_RULES } from "~/settings/settings-schema";
import {
  atRiskQuery,
  highClvQuery,
  slippingVipsQuery,
} from "../../extensions/clv-segment-templates/src/segment-queries.js";
import { segmentDefinitions } from "./tags";

describe("segment definitions", () => {
  it("one per tier plus at-risk, keyed on the tier tags", () => {
    const defs = segmentDefinitions("clv", DEFAULT_TIER_RULES);
    expect(defs.map((d) => d.key)).toEqual(["tier:platinum", "tier:gold", "tier:silver", "tier:bronze", "at-risk"]);
    expect(defs[0]!.query).toBe("customer_tags CONTAINS 'clv:platinum'");
  });

  it("the segment templates use the same tags as the app's segments", () => {
    const defs = new Map(segmentDefinitions("clv", DEFAULT_TIER_RULES).map((d) => [d.key, d.query]));
    expect(atRiskQuery()).toBe(defs.get("at-risk"));
    expect(highClvQuery()).toBe(`${defs.get("tier:platinum")} OR ${defs.get("tier:gold")}`);
    expect(slippingVipsQuery()).toBe(`${defs.get("tier:platinum")} AND ${defs.get("at-risk")}`);
  });
});

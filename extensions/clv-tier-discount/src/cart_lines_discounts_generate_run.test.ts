/**
 * The tier discount Function run as JavaScript (building Wasm needs the Shopify CLI's downloads):
 * its input query and every fixture are checked against the vendored Function schema
 * (test/fixtures/shopify/functions_discount_2026-07.json.gz) and every output against the target's
 * result type, so a field the Function API does not have fails here.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { coerceInputValue, execute, parse, validate, type GraphQLFieldResolver, type GraphQLInputType } from "graphql";
import { describe, expect, it } from "vitest";
import { loadSchema } from "../../../test/fake-admin/schema";
import { cartLinesDiscountsGenerateRun, parseTierDiscountConfig } from "./cart_lines_discounts_generate_run.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const schema = loadSchema("functions_discount_2026-07");
const inputQuery = readFileSync(path.join(here, "cart_lines_discounts_generate_run.graphql"), "utf8");
const fixture = (name: string) =>
  JSON.parse(readFileSync(path.join(here, "../tests/fixtures", `${name}.json`), "utf8")) as Record<string, any>;

/** Response keys (aliases) are read from the fixture, as the Function runtime delivers them. */
const byResponseKey: GraphQLFieldResolver<unknown, unknown> = (source, _args, _ctx, info) =>
  source && typeof source === "object" ? (source as Record<string, unknown>)[info.path.key as string] : undefined;

/** Errors of a fixture: it must be exactly what the input query can return (no extra or missing fields). */
function fixtureErrors(input: unknown): string[] {
  const result = execute({
    schema,
    document: parse(inputQuery),
    rootValue: input,
    fieldResolver: byResponseKey,
    variableValues: { tierTags: ["clv:platinum", "clv:gold"] },
  }) as { data?: unknown; errors?: Array<{ message: string }> };
  const errors = (result.errors ?? []).map((e) => e.message);
  if (!errors.length && JSON.stringify(result.data) !== JSON.stringify(input))
    errors.push(`fixture differs from the query's shape: ${JSON.stringify(result.data)}`);
  return errors;
}

function outputErrors(output: unknown): string[] {
  const errors: string[] = [];
  const type = schema.getType("CartLinesDiscountsGenerateRunResult") as GraphQLInputType;
  coerceInputValue(output, type, (p, _v, e) => errors.push(`${p.join(".")}: ${e.message}`));
  return errors;
}

function withTier(tier: string | null, extra: Partial<{ classes: string[]; configuration: unknown }> = {}) {
  const input = fixture("gold-buyer");
  input.cart.buyerIdentity.customer.tier = tier === null ? null : { value: tier };
  input.cart.buyerIdentity.customer.tierTags = input.cart.buyerIdentity.customer.tierTags.map((t: { tag: string }) => ({
    tag: t.tag,
    hasTag: false,
  }));
  if (extra.classes) input.discount.discountClasses = extra.classes;
  if ("configuration" in extra) input.discount.configuration = extra.configuration;
  return input;
}

const percentOf = (out: { operations: any[] }) =>
  out.operations[0]?.orderDiscountsAdd.candidates[0].value.percentage.value as number | undefined;

describe("tier discount Function: assets", () => {
  it("input query validates against the Function schema", () => {
    expect(validate(schema, parse(inputQuery)).map((e) => e.message)).toEqual([]);
  });
  it.each(["gold-buyer", "guest"])("fixture %s matches the input query", (name) => {
    expect(fixtureErrors(fixture(name))).toEqual([]);
  });
  it("the fixture check can fail (a field the query does not select)", () => {
    const bad = fixture("gold-buyer");
    bad.cart.buyerIdentity.customer.email = "x@example.com";
    expect(fixtureErrors(bad).length).toBeGreaterThan(0);
    const wrongEnum = fixture("gold-buyer");
    wrongEnum.discount.discountClasses = ["ORDERS"];
    expect(fixtureErrors(wrongEnum).length).toBeGreaterThan(0);
  });
  it("generated inputs match the query too", () => {
    expect(fixtureErrors(withTier("platinum"))).toEqual([]);
    expect(fixtureErrors(withTier(null, { configuration: null }))).toEqual([]);
  });
});

describe("tier discount Function: outputs", () => {
  it.each([
    ["platinum", 15],
    ["gold", 10],
  ])("tier %s gets %i %% off the order", (tier, pct) => {
    const out = cartLinesDiscountsGenerateRun(withTier(tier));
    expect(outputErrors(out)).toEqual([]);
    expect(percentOf(out)).toBe(pct);
    expect(out.operations[0].orderDiscountsAdd.candidates[0].message).toBe(`${pct}% off for ${tier} customers`);
  });

  it("a tier without a rule (silver, bronze) gets nothing", () => {
    for (const tier of ["silver", "bronze"])
      expect(cartLinesDiscountsGenerateRun(withTier(tier))).toEqual({ operations: [] });
  });

  it("reads the tier from the tier tags when the metafield is absent", () => {
    const input = withTier(null);
    input.cart.buyerIdentity.customer.tierTags[0].hasTag = true;
    expect(fixtureErrors(input)).toEqual([]);
    expect(percentOf(cartLinesDiscountsGenerateRun(input))).toBe(15);
  });

  it("the fixture as stored: gold buyer, 10 %", () => {
    const out = cartLinesDiscountsGenerateRun(fixture("gold-buyer"));
    expect(outputErrors(out)).toEqual([]);
    expect(percentOf(out)).toBe(10);
  });

  it("a guest buyer (no customer) gets nothing", () => {
    expect(cartLinesDiscountsGenerateRun(fixture("guest"))).toEqual({ operations: [] });
  });

  it("a customer with neither tier metafield nor tier tag gets nothing", () => {
    expect(cartLinesDiscountsGenerateRun(withTier(null))).toEqual({ operations: [] });
  });

  it.each([
    ["missing configuration", null],
    ["configuration without rules", { jsonValue: { tierTags: [] } }],
    ["garbled rules", { jsonValue: { rules: [{ tier: "gold", percentage: "ten" }] } }],
    ["percentage above 100", { jsonValue: { rules: [{ tier: "gold", percentage: 150 }] } }],
    ["a JSON string instead of an object", { jsonValue: "{not json" }],
  ])("%s gives no discount", (_label, configuration) => {
    expect(cartLinesDiscountsGenerateRun(withTier("gold", { configuration }))).toEqual({ operations: [] });
  });

  it("emits nothing when the discount lacks the ORDER class", () => {
    expect(cartLinesDiscountsGenerateRun(withTier("gold", { classes: ["PRODUCT", "SHIPPING"] }))).toEqual({
      operations: [],
    });
  });

  it("an output check can fail (percentage as an object)", () => {
    expect(
      outputErrors({ operations: [{ orderDiscountsAdd: { selectionStrategy: "FIRST", candidates: [{}] } }] }).length,
    ).toBeGreaterThan(0);
  });

  it("parses the configuration the app writes", () => {
    expect(parseTierDiscountConfig({ tierTags: ["clv:gold"], rules: [{ tier: "gold", percentage: 5 }] })).toEqual({
      tierTags: ["clv:gold"],
      rules: [{ tier: "gold", percentage: 5 }],
      message: null,
    });
  });
});

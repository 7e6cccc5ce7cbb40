import { describe, expect, it } from "vitest";
import { JsonTooDeepError, MAX_JSON_DEPTH, parseJsonLossless, scrubPii } from "./json";

describe("parseJsonLossless", () => {
  it("keeps big integer ids exact and leaves strings and floats alone", () => {
    const v = parseJsonLossless(
      '{"id":890088186047892319,"n":12,"f":1234567890123456.5,"s":"x 1234567890123456789 \\" y","a":[-1234567890123456789]}',
    ) as Record<string, unknown>;
    expect(v).toEqual({
      id: "890088186047892319",
      n: 12,
      f: 1234567890123456.5,
      s: 'x 1234567890123456789 " y',
      a: ["-1234567890123456789"],
    });
  });
  it("throws SyntaxError on malformed input", () => {
    expect(() => parseJsonLossless('{"id":1')).toThrow(SyntaxError);
    expect(() => parseJsonLossless("")).toThrow(SyntaxError);
  });
});

describe("scrubPii", () => {
  it("drops names, emails, phones and addresses but keeps ids, countries and order names", () => {
    const out = scrubPii({
      name: "#1001",
      email: "a@b.c",
      customer: {
        id: 5,
        email: "a@b.c",
        first_name: "Ann",
        name: "Ann B",
        default_address: { country_code: "DE", address1: "Street 1", name: "Ann" },
      },
      billing_address: { country_code: "FR", zip: "75001", name: "Ann", phone: "123" },
      line_items: [{ title: "Mug", product_id: 9 }],
    });
    expect(out).toEqual({
      name: "#1001",
      customer: { id: 5, default_address: { country_code: "DE" } },
      billing_address: { country_code: "FR" },
      line_items: [{ title: "Mug", product_id: 9 }],
    });
  });
});

describe("parseJsonLossless depth cap", () => {
  it("accepts MAX_JSON_DEPTH levels and rejects one more, counting only brackets outside strings", () => {
    const nest = (n: number) => "[".repeat(n) + "]".repeat(n);
    expect(() => parseJsonLossless(nest(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => parseJsonLossless(nest(MAX_JSON_DEPTH + 1))).toThrow(JsonTooDeepError);
    expect(() => parseJsonLossless('{"a":{"b":[1]}}', 2)).toThrow("deeper than 2 levels");
    expect(parseJsonLossless(`{"s":"${"[".repeat(1000)}"}`, 1)).toEqual({ s: "[".repeat(1000) });
  });
  it("a 100,000-deep body fails fast with JsonTooDeepError, not a stack overflow", () => {
    expect(() => parseJsonLossless("[".repeat(100_000) + "]".repeat(100_000))).toThrow(JsonTooDeepError);
  });
});

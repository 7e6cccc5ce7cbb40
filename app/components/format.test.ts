import { describe, expect, it } from "vitest";
import { duration, money, moneyShort, pct } from "./format";

describe("format", () => {
  it("formats compact money identically everywhere", () => {
    expect(moneyShort(0)).toBe("$0");
    expect(moneyShort(12.345)).toBe("$12.3");
    expect(moneyShort(1234)).toBe("$1.2K");
    expect(moneyShort(250_000)).toBe("$250K");
    expect(moneyShort(-3_400_000, "EUR")).toBe("-€3.4M");
    expect(moneyShort(5, "JPY")).toBe("JPY 5");
  });
  it("formats money, percentages and durations", () => {
    expect(money(1234.5)).toBe("$1,235");
    expect(money(12.5)).toBe("$12.50");
    expect(pct(0.4567, 1)).toBe("45.7%");
    expect(duration(125_000)).toBe("2 min 5 s");
    expect(duration(null)).toBe("—");
  });
});

import { describe, expect, it } from "vitest";
import { createFormatter, duration, money, moneyExact, moneyShort, pct, tierLabel } from "./format";
import { createTranslator } from "./i18n";

// Intl output uses a narrow no-break space in some locales; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("format", () => {
  it("formats compact money identically everywhere", () => {
    expect(moneyShort(0)).toBe("$0");
    expect(moneyShort(12.345)).toBe("$12.3");
    expect(moneyShort(1234)).toBe("$1.2K");
    expect(moneyShort(250_000)).toBe("$250K");
    expect(moneyShort(-3_400_000, "EUR")).toBe("-€3.4M");
    expect(plain(moneyShort(5, "JPY"))).toBe("¥5");
  });
  it("rounds predictions to whole units and keeps recorded amounts to the cent", () => {
    expect(money(1234.5)).toBe("$1,235");
    expect(money(12.5)).toBe("$13");
    expect(moneyExact(884.675)).toBe("$884.68");
    expect(moneyExact(885, "JPY")).toBe("¥885");
    expect(pct(0.4567, 1)).toBe("45.7%");
    expect(duration(125_000)).toBe("2 min 5 s");
    expect(duration(null)).toBe("—");
  });
  it("formats a German shop in euros with German separators", () => {
    const f = createFormatter("de", "EUR");
    expect(plain(f.money(2455.4))).toBe("2.455 €");
    expect(plain(f.moneyExact(884.68))).toBe("884,68 €");
    expect(plain(f.moneyShort(1234))).toBe("1,2K €");
    expect(plain(f.pct(0.8))).toBe("80 %");
    expect(f.int(23570)).toBe("23.570");
    expect(plain(f.range(10, 2000))).toBe("10 € – 2.000 €");
    expect(f.date("2026-11-02T10:00:00Z")).toBe("02.11.2026");
  });
  it("falls back to en / USD for a missing or invalid locale and currency", () => {
    const f = createFormatter(null, null);
    expect([f.locale, f.currency]).toEqual(["en", "USD"]);
    expect(createFormatter("not a locale!", "EURO").money(5)).toBe("$5");
    expect(createFormatter("fr-CA", "CAD").locale).toBe("fr-CA");
  });
  it("capitalises tier names", () => {
    expect(tierLabel("platinum")).toBe("Platinum");
    expect(tierLabel("")).toBe("");
  });
});

describe("messages", () => {
  it("picks plural forms and the shop's language", () => {
    const en = createTranslator("en");
    expect(en("count.orders", { count: 1 })).toBe("1 order");
    expect(en("count.orders", { count: 201 })).toBe("201 orders");
    expect(en("count.orders", { count: 23570 })).toBe("23,570 orders");
    const de = createTranslator("de");
    expect(de("count.orders", { count: 1 })).toBe("1 Bestellung");
    expect(de("count.orders", { count: 23570 })).toBe("23.570 Bestellungen");
    expect(de("nav.customers")).toBe("Kunden");
    expect(createTranslator("ja")("nav.customers")).toBe("Customers");
  });
});

import { describe, expect, it } from "vitest";
import en from "./locales/en.json";
import de from "./locales/de.json";
import { languageOf } from "./i18n";

/** Placeholders of a message (all plural forms). */
function placeholders(m: unknown): string[] {
  const text = typeof m === "string" ? m : Object.values(m as Record<string, string>).join(" ");
  return [...new Set(text.match(/\{\w+\}/g) ?? [])].sort();
}

describe("locale catalogues", () => {
  it("German has every English message with the same placeholders", () => {
    const enKeys = Object.keys(en).sort();
    expect(Object.keys(de).sort()).toEqual(enKeys);
    for (const k of enKeys)
      expect(placeholders((de as Record<string, unknown>)[k]), k).toEqual(
        placeholders((en as Record<string, unknown>)[k]),
      );
  });
  it("plural messages have an 'other' form", () => {
    for (const cat of [en, de])
      for (const [k, m] of Object.entries(cat)) if (typeof m !== "string") expect(m, k).toHaveProperty("other");
  });
  it("maps shop locales to catalogue languages", () => {
    expect(["de", "de-CH", "de_AT", "en-GB", "fr", null].map(languageOf)).toEqual(["de", "de", "de", "en", "en", "en"]);
  });
});

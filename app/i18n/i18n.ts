/**
 * The admin's strings (pure): one JSON catalogue per language in app/i18n/locales (English is
 * complete and the fallback; German proves the mechanism), picked from the shop's primary locale
 * ("de", "de-AT" → German; anything else → English). A message is a string with {placeholders}
 * or, for counts, an object of plural forms ({ "one": "{count} order", "other": "{count} orders" })
 * chosen with Intl.PluralRules in the shop's locale; {count} is formatted with its separators.
 */
import en from "./locales/en.json";
import de from "./locales/de.json";

/** A key of the English catalogue (every message the admin shows). */
export type MessageKey = keyof typeof en;
type Message = string | { one?: string; other: string };
type Catalogue = Partial<Record<MessageKey, Message>>;

const CATALOGUES: Record<string, Catalogue> = { en: en as Catalogue, de: de as Catalogue };

/** Languages with a catalogue. */
export const LANGUAGES = Object.keys(CATALOGUES);

/** The catalogue language for a locale ("de-AT" → "de"; unknown → "en"). */
export function languageOf(locale: string | null | undefined): string {
  const lang = (locale ?? "").toLowerCase().split(/[-_]/)[0];
  return lang in CATALOGUES ? lang : "en";
}

/** Values for a message's placeholders; `count` also selects the plural form. */
export type MessageValues = Record<string, string | number>;
/** Translates a key in one language. */
export type Translate = (key: MessageKey, values?: MessageValues) => string;

/** The translator for a shop locale (missing German messages fall back to English). */
export function createTranslator(locale: string | null | undefined): Translate {
  const lang = languageOf(locale);
  const catalogue = CATALOGUES[lang];
  const fallback = CATALOGUES.en;
  let plural: Intl.PluralRules;
  let numbers: Intl.NumberFormat;
  try {
    plural = new Intl.PluralRules(locale ?? lang);
    numbers = new Intl.NumberFormat(locale ?? lang, { maximumFractionDigits: 2 });
  } catch {
    plural = new Intl.PluralRules(lang);
    numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
  }
  return (key, values) => {
    const message = catalogue[key] ?? fallback[key];
    if (message === undefined) return key;
    let text: string;
    if (typeof message === "string") text = message;
    else {
      const count = typeof values?.count === "number" ? values.count : 0;
      const form = plural.select(count) as "one" | "other";
      text = message[form] ?? message.other;
    }
    if (!values) return text;
    return text.replace(/\{(\w+)\}/g, (m, name: string) => {
      const v = values[name];
      if (v === undefined) return m;
      return typeof v === "number" ? numbers.format(v) : v;
    });
  };
}

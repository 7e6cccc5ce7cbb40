/**
 * Display formatting shared by the admin pages (client and server), in the shop's locale and
 * currency (Shop.primaryLocale / Shop.currencyCode; "en" and "USD" until the shop record has them).
 *
 * Decimals rule (the same on every page): predictions (CLV, ranges, totals) are estimates and are
 * shown in whole currency units; recorded amounts (orders, historic spend) keep the currency's
 * minor units (cents). Percentages have no decimals unless a caller asks for one.
 */

/** Locale used when the shop has none (or an invalid one). */
export const DEFAULT_LOCALE = "en";
/** Currency used when the shop has none (or an invalid one). */
export const DEFAULT_CURRENCY = "USD";

/** A valid BCP 47 locale for Intl, or the default. Shopify's "pt-BR", "de", "fr-CA" pass through. */
export function resolveLocale(locale: string | null | undefined): string {
  if (!locale) return DEFAULT_LOCALE;
  try {
    return Intl.getCanonicalLocales(locale.replace("_", "-"))[0] ?? DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

/** A currency code Intl accepts, or the default. */
export function resolveCurrency(currency: string | null | undefined): string {
  if (!currency || !/^[A-Za-z]{3}$/.test(currency)) return DEFAULT_CURRENCY;
  try {
    new Intl.NumberFormat("en", { style: "currency", currency });
    return currency.toUpperCase();
  } catch {
    return DEFAULT_CURRENCY;
  }
}

const cache = new Map<string, Intl.NumberFormat>();
function nf(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = locale + JSON.stringify(options);
  let f = cache.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, options);
    cache.set(key, f);
  }
  return f;
}

/** Money in whole currency units ("$12,340", "12.340 €"): predictions and their ranges. */
export function money(value: number, currency = DEFAULT_CURRENCY, locale = DEFAULT_LOCALE): string {
  return nf(resolveLocale(locale), {
    style: "currency",
    currency: resolveCurrency(currency),
    maximumFractionDigits: 0,
    minimumFractionDigits: 0,
  }).format(value);
}

/** Money exact to the currency's minor unit ("$884.68", "884,68 €", "¥885"): recorded amounts. */
export function moneyExact(value: number, currency = DEFAULT_CURRENCY, locale = DEFAULT_LOCALE): string {
  return nf(resolveLocale(locale), { style: "currency", currency: resolveCurrency(currency) }).format(value);
}

/**
 * Compact money for chart axes and bins ("$1.2K", "1,2K €"): the number is formatted by Intl in the
 * shop's locale and currency, the K/M/B suffix added by hand (Intl's compact notation differs
 * between ICU versions, i.e. between Node and the browser → hydration mismatch).
 */
export function moneyShort(value: number, currency = DEFAULT_CURRENCY, locale = DEFAULT_LOCALE): string {
  const abs = Math.abs(value);
  const [scaled, unit] =
    abs >= 1e9 ? [value / 1e9, "B"] : abs >= 1e6 ? [value / 1e6, "M"] : abs >= 1e3 ? [value / 1e3, "K"] : [value, ""];
  const digits = Math.abs(scaled) >= 100 || Number.isInteger(Math.round(scaled * 10) / 10) ? 0 : 1;
  const parts = nf(resolveLocale(locale), {
    style: "currency",
    currency: resolveCurrency(currency),
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).formatToParts(Math.round(scaled * 10) / 10);
  let last = -1;
  parts.forEach((p, i) => {
    if (p.type === "integer" || p.type === "fraction") last = i;
  });
  return parts.map((p, i) => (i === last ? p.value + unit : p.value)).join("");
}

/** "42 %" / "42%" in the locale (digits after the point on request). */
export function pct(fraction: number, digits = 0, locale = DEFAULT_LOCALE): string {
  return nf(resolveLocale(locale), {
    style: "percent",
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(fraction);
}

/** Integer with the locale's thousands separators. */
export function int(value: number, locale = DEFAULT_LOCALE): string {
  return nf(resolveLocale(locale), { maximumFractionDigits: 0 }).format(Math.round(value));
}

/** A number with fixed decimals in the locale, or an em dash when null. */
export function num(value: number | null | undefined, digits = 3, locale = DEFAULT_LOCALE): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? "—"
    : nf(resolveLocale(locale), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
}

/** "2026-11-02" from an ISO string (ISO dates are unambiguous in every locale). */
export function day(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : "—";
}

/** A date in the locale's medium style ("Nov 2, 2026", "02.11.2026"), UTC. */
export function date(iso: string | null | undefined, locale = DEFAULT_LOCALE): string {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(resolveLocale(locale), { dateStyle: "medium", timeZone: "UTC" }).format(new Date(iso));
}

/** Human duration for ETAs ("2 min 5 s"). */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/** A tier name as a label: capitalised ("platinum" → "Platinum"). */
export function tierLabel(tier: string): string {
  return tier ? tier.charAt(0).toLocaleUpperCase() + tier.slice(1) : tier;
}

/** Formatting bound to one shop's locale and currency (what the pages use). */
export interface Formatter {
  locale: string;
  currency: string;
  money(value: number): string;
  moneyExact(value: number): string;
  moneyShort(value: number): string;
  /** "a – b" range of two predictions. */
  range(low: number, high: number): string;
  pct(fraction: number, digits?: number): string;
  int(value: number): string;
  num(value: number | null | undefined, digits?: number): string;
  date(iso: string | null | undefined): string;
}

/** The formatter for a shop (null locale/currency → "en"/"USD"). */
export function createFormatter(locale: string | null | undefined, currency: string | null | undefined): Formatter {
  const l = resolveLocale(locale);
  const c = resolveCurrency(currency);
  return {
    locale: l,
    currency: c,
    money: (v) => money(v, c, l),
    moneyExact: (v) => moneyExact(v, c, l),
    moneyShort: (v) => moneyShort(v, c, l),
    range: (lo, hi) => `${money(lo, c, l)} – ${money(hi, c, l)}`,
    pct: (f, d = 0) => pct(f, d, l),
    int: (v) => int(v, l),
    num: (v, d = 3) => num(v, d, l),
    date: (iso) => date(iso, l),
  };
}

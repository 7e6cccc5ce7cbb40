/** Display formatting shared by the admin pages (client and server). */

/** Money in the shop currency, no decimals above 1,000 (e.g. "$12,340"), two below. */
export function money(value: number, currency = "USD"): string {
  const abs = Math.abs(value);
  try {
    return new Intl.NumberFormat("en-US", {
      style: "currency",
      currency,
      maximumFractionDigits: abs >= 1000 ? 0 : 2,
      minimumFractionDigits: abs >= 1000 ? 0 : 2,
    }).format(value);
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

/**
 * Compact money for chart axes and summaries ("$1.2K"). Formatted by hand, not with Intl's compact
 * notation, whose output differs between ICU versions (Node vs the browser → hydration mismatch).
 */
export function moneyShort(value: number, currency = "USD"): string {
  const symbol = currency === "USD" ? "$" : currency === "EUR" ? "€" : currency === "GBP" ? "£" : `${currency} `;
  const abs = Math.abs(value);
  const sign = value < 0 ? "-" : "";
  const fmt = (v: number, unit: string) =>
    `${sign}${symbol}${v >= 100 ? Math.round(v) : Math.round(v * 10) / 10}${unit}`;
  if (abs >= 1e9) return fmt(abs / 1e9, "B");
  if (abs >= 1e6) return fmt(abs / 1e6, "M");
  if (abs >= 1e3) return fmt(abs / 1e3, "K");
  return fmt(abs, "");
}

/** "42%" (or "42.5%" with one digit). */
export function pct(fraction: number, digits = 0): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

/** Integer with thousands separators. */
export function int(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** A number or an em dash when null. */
export function num(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined || !Number.isFinite(value) ? "—" : value.toFixed(digits);
}

/** "2026-11-02" from an ISO string. */
export function day(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : "—";
}

/** Human duration for ETAs ("2 min 5 s"). */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

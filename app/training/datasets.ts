/**
 * Readers for the public evaluation datasets used by the trainer's benchmark (CDNOW master,
 * dunnhumby Complete Journey sample, CLVTools apparel). Pure parsing of file text into
 * `OrderRecord`s; errors name the line.
 */
import type { OrderRecord } from "./orders";

const utcNoon = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d, 12);

function bad(file: string, line: number, what: string): never {
  throw new Error(`${file} line ${line}: ${what}`);
}

/** CDNOW master (`customer_id date number_of_cds dollar_value`, whitespace, header line). */
export function parseCdnowMaster(text: string): OrderRecord[] {
  const lines = text.split(/\r?\n/);
  const out: OrderRecord[] = [];
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i].trim().split(/\s+/);
    if (f.length < 4 || f[0] === "") continue;
    const d = f[1];
    const amount = Number(f[3]);
    if (!/^\d{8}$/.test(d) || !Number.isFinite(amount)) bad("CDNOW", i + 1, `cannot parse "${lines[i].trim()}"`);
    out.push({ customerId: f[0], processedAt: utcNoon(+d.slice(0, 4), +d.slice(4, 6), +d.slice(6, 8)), amount });
  }
  return out;
}

/**
 * CLVTools apparel (`Id,Date,Price`), or BTYDplus grocery (`cust,date`: no amounts, every order
 * counts 1, so "spend" is the number of orders).
 */
export function parseApparel(text: string): OrderRecord[] {
  const lines = text.split(/\r?\n/);
  const out: OrderRecord[] = [];
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const [id, date, price = "1"] = lines[i].split(",");
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? "");
    const amount = Number(price);
    if (!m || !Number.isFinite(amount)) bad("apparel", i + 1, `cannot parse "${lines[i]}"`);
    out.push({ customerId: id, processedAt: utcNoon(+m[1], +m[2], +m[3]), amount });
  }
  return out;
}

/**
 * Complete Journey transactions sample: receipt lines grouped into baskets (one order per
 * basket_id): amount = Σ sales_value, discount = Σ (retail_disc + coupon_disc + coupon_match_disc)
 * (the file stores discounts as positive amounts), products = the basket's product ids, store as
 * the channel. Timestamps are local (America/New_York) and read as UTC.
 */
export function parseCompleteJourney(text: string): OrderRecord[] {
  const lines = text.split(/\r?\n/);
  const head = lines[0].split(",");
  const col = (n: string) => {
    const j = head.indexOf(n);
    if (j < 0) bad("completejourney", 1, `missing column ${n}`);
    return j;
  };
  const [hh, store, basket, prod, sales, rd, cd, cmd, ts] = [
    "household_id",
    "store_id",
    "basket_id",
    "product_id",
    "sales_value",
    "retail_disc",
    "coupon_disc",
    "coupon_match_disc",
    "transaction_timestamp",
  ].map(col);
  const baskets = new Map<string, OrderRecord & { productIds: string[] }>();
  for (let i = 1; i < lines.length; i++) {
    if (!lines[i].trim()) continue;
    const f = lines[i].split(",");
    const at = Date.parse(f[ts].endsWith("Z") ? f[ts] : `${f[ts]}Z`);
    const amount = Number(f[sales]);
    if (!Number.isFinite(at) || !Number.isFinite(amount)) bad("completejourney", i + 1, "bad timestamp or sales_value");
    const disc = Math.abs(Number(f[rd]) || 0) + Math.abs(Number(f[cd]) || 0) + Math.abs(Number(f[cmd]) || 0);
    const b = baskets.get(f[basket]);
    if (b) {
      b.amount += amount;
      b.discount = (b.discount ?? 0) + disc;
      b.productIds.push(f[prod]);
    } else
      baskets.set(f[basket], {
        customerId: f[hh],
        processedAt: at,
        amount,
        discount: disc,
        productIds: [f[prod]],
        sourceName: `store-${f[store]}`,
      });
  }
  return [...baskets.values()].map((b) => ({ ...b, amount: Math.max(0, Math.round(b.amount * 100) / 100) }));
}

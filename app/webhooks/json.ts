/**
 * Webhook body helpers: a lossless JSON parse (integers beyond 2^53 become strings, so Shopify ids
 * never lose digits) and a PII scrubber applied before a payload is stored (data minimisation: the
 * app keeps no names, emails, phones or addresses, not even in the raw webhook ledger).
 */

/** Deepest nesting of arrays/objects accepted in a webhook body (Shopify's payloads stay below 10). */
export const MAX_JSON_DEPTH = 400;

/** A body nested deeper than the limit (answered 400; walking it recursively would overflow the stack). */
export class JsonTooDeepError extends Error {
  constructor(readonly maxDepth: number) {
    super(`JSON nesting is deeper than ${maxDepth} levels`);
    this.name = "JsonTooDeepError";
  }
}

/**
 * JSON.parse, except that integer literals with 16+ digits (outside strings) are parsed as strings,
 * and nesting deeper than `maxDepth` arrays/objects throws JsonTooDeepError before anything is parsed.
 * Throws SyntaxError like JSON.parse.
 */
export function parseJsonLossless(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  let out = "";
  let last = 0;
  let inString = false;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 92 /* \ */) i++;
      else if (ch === 34 /* " */) inString = false;
      continue;
    }
    if (ch === 34) {
      inString = true;
      continue;
    }
    if (ch === 91 /* [ */ || ch === 123 /* { */) {
      if (++depth > maxDepth) throw new JsonTooDeepError(maxDepth);
      continue;
    }
    if (ch === 93 /* ] */ || ch === 125 /* } */) {
      depth--;
      continue;
    }
    if ((ch >= 48 && ch <= 57) || ch === 45 /* - */) {
      let j = i + (ch === 45 ? 1 : 0);
      const startDigits = j;
      while (j < text.length && text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) j++;
      const digits = j - startDigits;
      const next = text[j];
      const isInteger = next !== "." && next !== "e" && next !== "E";
      if (digits >= 16 && isInteger) {
        out += text.slice(last, i) + '"' + text.slice(i, j) + '"';
        last = j;
      }
      i = j - 1;
    }
  }
  return JSON.parse(last === 0 ? text : out + text.slice(last));
}

/** Keys dropped anywhere in a payload (personal data the app never needs). */
const PII_KEYS = new Set([
  "email",
  "contact_email",
  "customer_email",
  "phone",
  "first_name",
  "last_name",
  "address1",
  "address2",
  "city",
  "zip",
  "province",
  "province_code",
  "latitude",
  "longitude",
  "company",
  "browser_ip",
  "client_details",
  "note",
  "note_attributes",
  "shop_owner",
  "landing_site",
  "landing_site_ref",
  "referring_site",
  "order_status_url",
  "token",
  "cart_token",
  "checkout_token",
  "device_id",
  "multipass_identifier",
  "sms_marketing_consent",
  "email_marketing_consent",
]);

/** Objects whose `name` is a person's name (kept elsewhere: order names like "#1001", product titles). */
const PERSON_OBJECTS = new Set([
  "billing_address",
  "shipping_address",
  "default_address",
  "addresses",
  "customer",
  "user",
]);

/** Returns a copy of `value` without personal data (see PII_KEYS). */
export function scrubPii(value: unknown, parentKey = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => scrubPii(v, parentKey));
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  const personal = PERSON_OBJECTS.has(parentKey);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (PII_KEYS.has(k)) continue;
    if (personal && (k === "name" || k === "country" || k === "country_name")) continue;
    out[k] = scrubPii(v, k);
  }
  return out;
}

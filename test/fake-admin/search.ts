/**
 * A subset of Shopify's search syntax for `query:` arguments: space/AND-separated terms
 * `field:value`, `field:>value` (also >=, <, <=), quoted values ('…' or "…"), and `-field:value`
 * negation. Unknown fields are reported as warnings (Shopify echoes them in `extensions.search`)
 * and ignored, like Shopify does.
 */

export type SearchValue = string | number | boolean | Date | string[] | null;

/** Maps a search field name to the item's value for it; undefined = unsupported field. */
export type FieldAccessor<T> = (item: T, field: string) => SearchValue | undefined;

interface Term {
  field: string;
  op: ":" | ">" | ">=" | "<" | "<=";
  value: string;
  negate: boolean;
}

function tokenize(q: string): string[] {
  const tokens: string[] = [];
  const re = /(-?[A-Za-z_.]+:(?:>=|<=|>|<)?(?:'[^']*'|"[^"]*"|\S+))|(\S+)/g;
  for (const m of q.matchAll(re)) tokens.push(m[0]);
  return tokens;
}

function parseTerms(q: string, warnings: string[]): Term[] {
  const terms: Term[] = [];
  for (const tok of tokenize(q)) {
    if (tok === "AND") continue;
    const m = /^(-?)([A-Za-z_.]+):(>=|<=|>|<)?(.*)$/.exec(tok);
    if (!m) {
      warnings.push(`unsupported search term "${tok}" ignored`);
      continue;
    }
    terms.push({
      negate: m[1] === "-",
      field: m[2]!,
      op: (m[3] as Term["op"]) ?? ":",
      value: m[4]!.replace(/^['"]|['"]$/g, ""),
    });
  }
  return terms;
}

function compare(actual: SearchValue, term: Term): boolean {
  if (actual === null) return false;
  if (Array.isArray(actual)) return actual.some((a) => a.toLowerCase() === term.value.toLowerCase());
  let a: number | string | boolean = actual instanceof Date ? actual.getTime() : actual;
  let b: number | string | boolean = term.value;
  if (actual instanceof Date) b = new Date(term.value).getTime();
  else if (typeof actual === "number") b = Number(term.value);
  else if (typeof actual === "boolean") b = term.value === "true";
  else {
    a = String(a).toLowerCase();
    b = String(b).toLowerCase();
  }
  switch (term.op) {
    case ":":
      return a === b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
  }
}

/** Builds a predicate for `query`; unsupported fields/terms are appended to `warnings`. */
export function searchPredicate<T>(
  query: string | null | undefined,
  accessor: FieldAccessor<T>,
  warnings: string[],
): (item: T) => boolean {
  if (!query || !query.trim()) return () => true;
  // Support is known per item only (the accessor returns undefined for unknown fields).
  const active = parseTerms(query, warnings);
  const warned = new Set<string>();
  return (item: T) => {
    for (const t of active) {
      const v = accessor(item, t.field);
      if (v === undefined) {
        if (!warned.has(t.field)) {
          warned.add(t.field);
          warnings.push(`Invalid search field for this query: ${t.field}`);
        }
        continue;
      }
      if (compare(v, t) === t.negate) return false;
    }
    return true;
  };
}

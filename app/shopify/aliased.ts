/**
 * Aliased mutations (`a0: tagsAdd(…) { userErrors … }`, `a1: …`) answer one payload per alias; this
 * lists their userErrors as "<alias>: <message>" (empty when every alias succeeded).
 */
export type AliasedPayloads = Record<string, { userErrors?: Array<{ message: string }> } | null>;

export function aliasedUserErrors(data: AliasedPayloads): string[] {
  return Object.entries(data).flatMap(([alias, v]) => (v?.userErrors ?? []).map((e) => `${alias}: ${e.message}`));
}

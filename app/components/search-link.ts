/**
 * A link to the current page with one search parameter changed: `value` sets it, `null` removes it
 * (the parameter's default), and every parameter in `drop` goes (e.g. a page number that no longer
 * applies). The other parameters stay, so filters survive a change of view. Always starts with "?",
 * so an empty result still links to the bare page.
 */
export function searchLink(
  params: URLSearchParams,
  key: string,
  value: string | null,
  drop: readonly string[] = [],
): string {
  const next = new URLSearchParams(params);
  for (const d of drop) next.delete(d);
  if (value === null) next.delete(key);
  else next.set(key, value);
  return `?${next.toString()}`;
}

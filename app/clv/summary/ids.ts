/**
 * Customer-id ordering of the summaries: natural order, digit-only ids by numeric value.
 */

/** Natural id comparison: digit-only ids by numeric value, otherwise code-unit order. */
export function compareIds(a: string, b: string): number {
  const da = /^\d+$/.test(a);
  const db = /^\d+$/.test(b);
  if (da && db) {
    const sa = a.replace(/^0+(?=\d)/, "");
    const sb = b.replace(/^0+(?=\d)/, "");
    if (sa.length !== sb.length) return sa.length - sb.length;
    if (sa !== sb) return sa < sb ? -1 : 1;
  } else if (da !== db) return da ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorts customer indices by `compareIds` order. Digit-only ids are compared through precomputed
 * keys (length without leading zeros, then text) so no regex runs inside the comparator.
 */
export function sortByIdInPlace(idx: number[], ids: readonly string[]): void {
  const digits = new Uint8Array(ids.length);
  const stripped: string[] = new Array(ids.length);
  for (const c of idx) {
    const id = ids[c];
    let all = id.length > 0;
    for (let k = 0; k < id.length && all; k++) {
      const ch = id.charCodeAt(k);
      if (ch < 48 || ch > 57) all = false;
    }
    digits[c] = all ? 1 : 0;
    if (all) {
      let z = 0;
      while (z < id.length - 1 && id.charCodeAt(z) === 48) z++;
      stripped[c] = z ? id.slice(z) : id;
    }
  }
  idx.sort((a, b) => {
    const da = digits[a];
    if (da !== digits[b]) return da ? -1 : 1;
    if (da) {
      const sa = stripped[a];
      const sb = stripped[b];
      if (sa.length !== sb.length) return sa.length - sb.length;
      if (sa !== sb) return sa < sb ? -1 : 1;
    }
    const x = ids[a];
    const y = ids[b];
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

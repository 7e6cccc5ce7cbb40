/**
 * Grouping of identical rows (exact equality of every key column) with summed weights.
 *
 * BTYD likelihoods depend on a customer only through (x, t_x, T), so a million customers with
 * day-resolution times collapse to ~100k distinct rows (clv-reference §6.4). The grouping is an
 * open-addressing hash table over the raw IEEE-754 bits of the key columns: one pass, typed
 * arrays only, no string keys, no per-row allocation.
 */

/** Result of {@link groupRows}. */
export interface Grouping {
  /** Number of distinct rows. */
  size: number;
  /** For each distinct row, the index of its first occurrence in the input. */
  first: Int32Array;
  /** For each distinct row, the summed weight of its members (count when unweighted). */
  weights: Float64Array;
  /** For each input row, the index of its group (0..size-1), in first-occurrence order. */
  groupOf: Int32Array;
}

function nextPow2(n: number): number {
  let c = 16;
  while (c < n) c *= 2;
  return c;
}

/**
 * Groups rows that are identical in every key column. `0` and `-0` are treated as equal; NaN keys
 * are not supported (validate first). Runs in O(n) expected time.
 * @param keys key columns, all of the same length
 * @param weights optional row weights (default 1 per row)
 */
export function groupRows(keys: readonly Float64Array[], weights?: Float64Array): Grouping {
  if (keys.length === 0) throw new Error("groupRows: at least one key column is required");
  const n = keys[0].length;
  for (const k of keys) if (k.length !== n) throw new Error("groupRows: key columns differ in length");
  if (weights && weights.length !== n) throw new Error("groupRows: weights length differs from the key columns");
  const nk = keys.length;
  // 32-bit views of the key columns (a Float64Array's byteOffset is always a multiple of 8).
  const bits = keys.map((k) => new Uint32Array(k.buffer, k.byteOffset, k.length * 2));
  const cap = nextPow2(Math.min(2 * n, n + (1 << 20)) + 1);
  const mask = cap - 1;
  const table = new Int32Array(cap).fill(-1); // group id per slot
  const first = new Int32Array(Math.max(n, 1));
  const groupOf = new Int32Array(n);
  const w = new Float64Array(Math.max(n, 1));
  let size = 0;
  for (let i = 0; i < n; i++) {
    let h = 0x9e3779b9 | 0;
    for (let c = 0; c < nk; c++) {
      const col = keys[c];
      if (col[i] === 0) {
        // normalise -0 to +0: both hash to the same value
        h = Math.imul(h ^ 0x5bd1e995, 0x01000193);
        continue;
      }
      const b = bits[c];
      h = Math.imul(h ^ b[2 * i], 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 13) ^ b[2 * i + 1], 0xc2b2ae35);
    }
    h ^= h >>> 16;
    let slot = h & mask;
    for (;;) {
      const g = table[slot];
      if (g < 0) {
        table[slot] = size;
        first[size] = i;
        w[size] = weights ? weights[i] : 1;
        groupOf[i] = size;
        size++;
        break;
      }
      const j = first[g];
      let same = true;
      for (let c = 0; c < nk; c++)
        if (keys[c][j] !== keys[c][i]) {
          same = false;
          break;
        }
      if (same) {
        w[g] += weights ? weights[i] : 1;
        groupOf[i] = g;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { size, first: first.slice(0, size), weights: w.slice(0, size), groupOf };
}

/** Gathers `col[first[g]]` for every group: the key values of the distinct rows. */
export function gather(col: Float64Array, first: Int32Array): Float64Array {
  const out = new Float64Array(first.length);
  for (let g = 0; g < first.length; g++) out[g] = col[first[g]];
  return out;
}

/** Expands per-group values back to the input rows: `out[i] = values[groupOf[i]]`. */
export function scatter(values: Float64Array, groupOf: Int32Array, out: Float64Array = new Float64Array(groupOf.length)): Float64Array {
  for (let i = 0; i < groupOf.length; i++) out[i] = values[groupOf[i]];
  return out;
}

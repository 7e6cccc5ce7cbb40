/**
 * Grouping of identical rows (exact equality of every key column) with summed weights.
 *
 * BTYD likelihoods depend on a customer only through (x, t_x, T), so a million customers with
 * day-resolution times collapse to ~100k distinct rows (docs/reference/clv-engine.md §6.4). The grouping is an
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

/**
 * Groups rows that are identical in every key column. `0` and `-0` are treated as equal; NaN keys
 * are not supported (validate first). Runs in O(n) expected time.
 *
 * The table grows with the number of groups (not rows) and keeps each group's hash and key values
 * in compact arrays, so probes stay in cache when 1M rows collapse to ~100k groups.
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
  let cap = 1024; // table slots (power of two), kept at most half full
  let mask = cap - 1;
  let table = new Int32Array(cap).fill(-1); // group id per slot
  let gcap = cap >> 1; // capacity of the per-group arrays
  let ghash = new Int32Array(gcap);
  let gkeys = new Float64Array(gcap * nk);
  let first = new Int32Array(gcap);
  let w = new Float64Array(gcap);
  const groupOf = new Int32Array(n);
  const row = new Float64Array(nk);
  let size = 0;
  for (let i = 0; i < n; i++) {
    let h = 0x9e3779b9 | 0;
    for (let c = 0; c < nk; c++) {
      const v = keys[c][i];
      row[c] = v;
      if (v === 0) {
        h = Math.imul(h ^ 0x5bd1e995, 0x01000193); // +0 and -0 hash alike
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
        if (size === gcap) {
          // grow the per-group arrays and the table (rehash from the stored hashes)
          gcap *= 2;
          ghash = grow(ghash, gcap);
          first = grow(first, gcap);
          w = grow(w, gcap);
          gkeys = grow(gkeys, gcap * nk);
          cap *= 2;
          mask = cap - 1;
          table = new Int32Array(cap).fill(-1);
          for (let k = 0; k < size; k++) {
            let s2 = ghash[k] & mask;
            while (table[s2] >= 0) s2 = (s2 + 1) & mask;
            table[s2] = k;
          }
          slot = h & mask;
          while (table[slot] >= 0) slot = (slot + 1) & mask;
        }
        table[slot] = size;
        ghash[size] = h;
        first[size] = i;
        w[size] = weights ? weights[i] : 1;
        for (let c = 0; c < nk; c++) gkeys[size * nk + c] = row[c];
        groupOf[i] = size;
        size++;
        break;
      }
      if (ghash[g] === h) {
        let same = true;
        const o = g * nk;
        for (let c = 0; c < nk; c++)
          if (gkeys[o + c] !== row[c]) {
            same = false;
            break;
          }
        if (same) {
          w[g] += weights ? weights[i] : 1;
          groupOf[i] = g;
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
  }
  return { size, first: first.slice(0, size), weights: w.slice(0, size), groupOf };
}

function grow<A extends Int32Array | Float64Array>(a: A, len: number): A {
  const b = new (a.constructor as { new (n: number): A })(len);
  b.set(a);
  return b;
}

/** Gathers `col[first[g]]` for every group: the key values of the distinct rows. */
export function gather(col: Float64Array, first: Int32Array): Float64Array {
  const out = new Float64Array(first.length);
  for (let g = 0; g < first.length; g++) out[g] = col[first[g]];
  return out;
}

/** Expands per-group values back to the input rows: `out[i] = values[groupOf[i]]`. */
export function scatter(
  values: Float64Array,
  groupOf: Int32Array,
  out: Float64Array = new Float64Array(groupOf.length),
): Float64Array {
  for (let i = 0; i < groupOf.length; i++) out[i] = values[groupOf[i]];
  return out;
}

/**
 * Raw multi-row upserts for the repositories' batch paths (backfill): one
 * `INSERT … VALUES (…),(…) ON CONFLICT ("shop","id") DO UPDATE SET … WHERE <apply-if-newer>`
 * statement per chunk, on SQLite and PostgreSQL. The WHERE clause keeps the repositories' rule
 * (a row changes only when the incoming `shopifyUpdatedAt` is strictly newer and not at or before
 * a deletion tombstone), atomically per row, so concurrent writers need no re-check. The affected
 * row count (inserted + updated; rows the WHERE refused are not counted) gives applied/skipped.
 *
 * Values are bound as parameters in the form Prisma itself stores them: on SQLite DateTime is
 * ISO-8601 text with "+00:00" (so text comparison orders correctly), Boolean is 0/1 and Float is bound as
 * its shortest round-trip text (the column's REAL affinity stores the exact double); on
 * PostgreSQL every placeholder carries an explicit cast to the column type.
 */
import { providerOfClient, type DbProvider } from "~/db/connect.server";
import type { Db } from "./common.server";

/** Column types the helper binds. */
export type ColumnType = "text" | "timestamp" | "boolean" | "float" | "int";

/** One column of a raw upsert. */
export interface Column<Row> {
  name: string;
  type: ColumnType;
  value: (row: Row) => string | number | boolean | Date | null;
}

const PG_CAST: Record<ColumnType, string> = {
  text: "text",
  timestamp: "timestamp(3)",
  boolean: "boolean",
  float: "double precision",
  int: "integer",
};

/** Bound parameters per statement (SQLite allows 32,766; PostgreSQL 65,535). */
const MAX_PARAMS = 30_000;

function bind(
  provider: "sqlite" | "postgresql",
  type: ColumnType,
  v: string | number | boolean | Date | null,
): unknown {
  if (v === null) return null;
  if (type === "timestamp") {
    const iso = (v as Date).toISOString();
    return provider === "sqlite" ? iso.replace(/Z$/, "+00:00") : iso.replace(/Z$/, "");
  }
  if (type === "boolean") return provider === "sqlite" ? (v ? 1 : 0) : Boolean(v);
  // A number parameter of a raw query reaches the database rounded (Prisma's raw-argument path
  // drops the 17th significant digit); the shortest round-trip text keeps every bit of the double.
  if (type === "float") return String(v);
  return v;
}

/**
 * Upserts `rows` into `table` (primary key ("shop","id")). `columns` are every column written on
 * insert (shop and id included); `updated` names the ones an update overwrites; `extraSet` adds raw
 * SET items (e.g. `"deletedAt" = NULL`); `newer` is the WHERE of the update in terms of `excluded`
 * and the table name. Returns the number of rows inserted or updated.
 */
export async function rawUpsert<Row>(
  db: Db,
  table: string,
  rows: readonly Row[],
  columns: ReadonlyArray<Column<Row>>,
  opts: { updated: readonly string[]; extraSet?: readonly string[]; newer: string },
): Promise<number> {
  if (!rows.length) return 0;
  const provider = providerOfClient(db);
  const set = [...opts.updated.map((n) => `"${n}" = excluded."${n}"`), ...(opts.extraSet ?? [])].join(", ");
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  let affected = 0;
  for (let start = 0; start < rows.length; start += perStatement) {
    const { insert, params } = insertStatement(provider, table, rows.slice(start, start + perStatement), columns);
    affected += await db.$executeRawUnsafe(
      `${insert} ON CONFLICT ("shop", "id") DO UPDATE SET ${set} WHERE ${opts.newer}`,
      ...params,
    );
  }
  return affected;
}

/** `INSERT INTO "table" (…) VALUES (…), …` for `rows` with its bound parameters. */
function insertStatement<Row>(
  provider: DbProvider,
  table: string,
  rows: readonly Row[],
  columns: ReadonlyArray<Column<Row>>,
): { insert: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples: string[] = [];
  for (const row of rows) {
    const ph: string[] = [];
    for (const c of columns) {
      params.push(bind(provider, c.type, c.value(row)));
      ph.push(provider === "sqlite" ? "?" : `$${params.length}::${PG_CAST[c.type]}`);
    }
    tuples.push(`(${ph.join(", ")})`);
  }
  const names = columns.map((c) => `"${c.name}"`).join(", ");
  return { insert: `INSERT INTO "${table}" (${names}) VALUES ${tuples.join(", ")}`, params };
}

/**
 * Inserts `rows` into `table` (plain multi-row INSERTs, as many rows per statement as the parameter
 * cap allows): several times cheaper per row than Prisma's createMany on SQLite, where every
 * statement runs on the event loop. Returns the number of rows inserted.
 */
export async function rawInsert<Row>(
  db: Pick<Db, "$executeRawUnsafe">,
  provider: DbProvider,
  table: string,
  rows: readonly Row[],
  columns: ReadonlyArray<Column<Row>>,
): Promise<number> {
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  let inserted = 0;
  for (let start = 0; start < rows.length; start += perStatement) {
    const { insert, params } = insertStatement(provider, table, rows.slice(start, start + perStatement), columns);
    inserted += await db.$executeRawUnsafe(insert, ...params);
  }
  return inserted;
}

/** The newest row per id (by `updatedAt`; a missing time is oldest): a batch's rows apply in time order. */
export function newestById<Row extends { id: string }>(
  rows: readonly Row[],
  updatedAt: (r: Row) => number | undefined,
): Row[] {
  const newest = new Map<string, Row>();
  for (const r of rows) {
    const prev = newest.get(r.id);
    if (!prev || (updatedAt(r) ?? -Infinity) > (updatedAt(prev) ?? -Infinity)) newest.set(r.id, r);
  }
  return [...newest.values()];
}

/**
 * A shop's Shopify objects (`Customer`, `Order`): the newest copy of each id upserted with the
 * repository's data columns, fresh created/updated timestamps on insert, and on update the data
 * columns + `updatedAt` overwritten and the tombstone cleared where `newer` holds. Returns the
 * number of rows inserted or updated.
 */
export async function upsertShopObjects<Row extends { id: string }>(
  db: Db,
  table: "Customer" | "Order",
  shop: string,
  rows: readonly Row[],
  opts: { data: ReadonlyArray<Column<Row>>; updatedAt: (r: Row) => number | undefined; newer: string },
): Promise<number> {
  const now = new Date();
  const columns: ReadonlyArray<Column<Row>> = [
    { name: "shop", type: "text", value: () => shop },
    { name: "id", type: "text", value: (r) => r.id },
    ...opts.data,
    { name: "createdAt", type: "timestamp", value: () => now },
    { name: "updatedAt", type: "timestamp", value: () => now },
  ];
  return rawUpsert(db, table, newestById(rows, opts.updatedAt), columns, {
    updated: [...opts.data.map((c) => c.name), "updatedAt"],
    extraSet: ['"deletedAt" = NULL'],
    newer: opts.newer,
  });
}

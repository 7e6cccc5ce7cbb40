/**
 * The database used when DATABASE_URL is unset: the embedded SQLite file. No imports, so the
 * environment schema, the connection layer and prisma.config.ts can all share this one value.
 */
export const DEFAULT_SQLITE_URL = "file:./prisma/dev.sqlite";

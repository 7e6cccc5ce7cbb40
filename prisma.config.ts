import path from "node:path";
import type { PrismaConfig } from "prisma";
import { DEFAULT_SQLITE_URL } from "./app/default-database-url";

// Prisma 6.19 with the JS engine + driver adapters (see docs/decisions/0002-database.md).
// DATABASE_URL must resolve, otherwise the CLI falls back to the native engine and tries
// to download it (impossible offline). Default: the embedded SQLite file.
process.env.DATABASE_URL ??= DEFAULT_SQLITE_URL;

export default {
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    const url = process.env.DATABASE_URL!;
    if (url.startsWith("postgres")) {
      const { PrismaPg } = await import("@prisma/adapter-pg");
      return new PrismaPg({ connectionString: url });
    }
    const { PrismaBetterSQLite3 } = await import("@prisma/adapter-better-sqlite3");
    return new PrismaBetterSQLite3({ url });
  },
} satisfies PrismaConfig;

/**
 * Issue 6 — privacy by design, proven on a real demo database:
 *  1. the Prisma schema has no column for names, emails, phones or addresses (the Session model
 *     keeps Shopify's required shape, but only offline sessions are stored and those columns stay
 *     empty);
 *  2. after the full demo pipeline (backfill through the fake Admin API — whose customers DO have
 *     names and emails —, training and write-back) no text cell of any table holds an email
 *     address, one of the store's customer names, or the plaintext access token;
 *  3. a log capture over that whole run holds no token and no secret.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { startDemo, type Demo } from "../browser/demo-harness";
import { createRequire } from "node:module";

/** better-sqlite3 (the copy Prisma's adapter installs; it ships no types). */
interface SqliteDb {
  prepare(sql: string): { all(): unknown[]; get(): unknown };
  close(): void;
}
const Database = createRequire(import.meta.url)("better-sqlite3") as new (file: string, opts: object) => SqliteDb;

const PII_FIELD =
  /^(e-?mail|phone|first_?name|last_?name|full_?name|address\d?|street|zip|postal_?code|city|province)$/i;
/** Shopify's session shape carries these for online sessions; we store offline sessions only. */
const SESSION_USER_FIELDS = ["firstName", "lastName", "email"];

describe("schema has no PII columns", () => {
  const schema = readFileSync(path.resolve("prisma/schema.prisma"), "utf8");
  const models = [...schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)].map((m) => ({
    name: m[1],
    fields: m[2]
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => /^[a-zA-Z]\w*\s/.test(l))
      .map((l) => l.split(/\s+/)[0]),
  }));

  it("parses every model", () => {
    expect(models.map((m) => m.name)).toEqual(expect.arrayContaining(["Customer", "Order", "Session", "Prediction"]));
  });

  it("no domain model has a name/email/phone/address field", () => {
    const offenders = models
      .filter((m) => m.name !== "Session")
      .flatMap((m) => m.fields.filter((f) => PII_FIELD.test(f)).map((f) => `${m.name}.${f}`));
    expect(offenders).toEqual([]);
  });

  it("the detector itself flags PII-looking fields", () => {
    expect(["email", "firstName", "phone", "address1", "zip"].every((f) => PII_FIELD.test(f))).toBe(true);
    expect(["customerId", "countryCode", "currencyCode"].some((f) => PII_FIELD.test(f))).toBe(false);
  });
});

describe("full demo run: database and logs hold no PII and no secret", () => {
  const SECRET = `pii-scan-secret-${process.pid}-${Date.now()}`;
  const KEY = "a".repeat(16) + "b".repeat(16) + "c".repeat(16) + "d".repeat(16); // 32 bytes hex
  const DEMO_TOKEN = "shpat_demo_offline_token";
  let demo: Demo | undefined;
  let db: SqliteDb;

  beforeAll(async () => {
    demo = await startDemo({
      customers: 400,
      timeoutMs: 540_000,
      env: { SHOPIFY_API_SECRET: SECRET, HORIZON_ENCRYPTION_KEY: KEY },
    });
    db = new Database(demo.dbFile, { readonly: true, fileMustExist: true });
  }, 600_000);

  afterAll(async () => {
    db?.close();
    await demo?.stop();
  });

  /** Every text cell of every table, with its location. */
  function textCells(): Array<{ where: string; value: string }> {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
      .all() as { name: string }[];
    const cells: Array<{ where: string; value: string }> = [];
    for (const { name } of tables) {
      const rows = db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[];
      rows.forEach((row, i) => {
        for (const [col, v] of Object.entries(row))
          if (typeof v === "string") cells.push({ where: `${name}.${col}[${i}]`, value: v });
      });
    }
    return cells;
  }

  it("the pipeline really ran: customers, orders and predictions are stored", () => {
    const count = (t: string) => (db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n;
    expect(count("Customer")).toBeGreaterThan(300);
    expect(count("Order")).toBeGreaterThan(count("Customer"));
    expect(count("Prediction")).toBeGreaterThan(300);
  });

  it("no text cell holds an email address, a customer name or the plaintext token", () => {
    const email = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
    // The fake store names its customers "Log <id>" / "Fake Buyer <n>" / "Test Customer <n>".
    const names = /\b(Log \d+|Fake|Buyer \d+|Test Customer \d+)\b/;
    const hits = textCells().filter((c) => email.test(c.value) || names.test(c.value) || c.value.includes(DEMO_TOKEN));
    expect(hits.slice(0, 5)).toEqual([]);
  });

  it("model artefacts and metrics hold no customer id (GDPR: models must not embed per-customer data)", () => {
    const ids = new Set((db.prepare(`SELECT id FROM "Customer"`).all() as { id: string }[]).map((r) => r.id));
    const runs = db.prepare(`SELECT id, artefact, metrics FROM "ModelRun"`).all() as {
      id: number;
      artefact: string | null;
      metrics: string;
    }[];
    expect(runs.some((r) => r.artefact)).toBe(true);
    const leaks: string[] = [];
    const walk = (v: unknown, where: string): void => {
      if (typeof v === "string") {
        if (ids.has(v)) leaks.push(`${where}: ${v}`);
      } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}[${i}]`));
      else if (v && typeof v === "object")
        for (const [k, x] of Object.entries(v)) {
          if (ids.has(k)) leaks.push(`${where}.${k} (key)`);
          walk(x, `${where}.${k}`);
        }
    };
    for (const r of runs) {
      if (r.artefact) walk(JSON.parse(r.artefact), `ModelRun[${r.id}].artefact`);
      walk(JSON.parse(r.metrics), `ModelRun[${r.id}].metrics`);
    }
    expect(leaks.slice(0, 5)).toEqual([]);
  });

  it("sessions are offline only, with no user fields and an encrypted token", () => {
    const sessions = db.prepare(`SELECT * FROM "Session"`).all() as Record<string, unknown>[];
    expect(sessions.length).toBeGreaterThan(0);
    for (const s of sessions) {
      expect(s.isOnline).toBe(0);
      for (const f of SESSION_USER_FIELDS) expect(s[f] ?? null).toBeNull();
      expect(String(s.accessToken)).not.toContain(DEMO_TOKEN);
      expect(String(s.accessToken).length).toBeGreaterThan(DEMO_TOKEN.length);
    }
  });

  it("the log capture over the whole run holds no token or secret", () => {
    const output = demo!.output();
    expect(output).toMatch(/\[demo\] ready in/);
    for (const secret of [SECRET, KEY, DEMO_TOKEN]) expect(output.includes(secret)).toBe(false);
  });
});

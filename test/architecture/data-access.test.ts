/**
 * Every Prisma call lives in app/models/*.server.ts (ADR 0008, data access). A Prisma call is a
 * model delegate method (`db.customer.findMany`, `tx.modelRun.update`, …) or a client method
 * (`$queryRaw`, `$executeRaw`, `$transaction`, …). Tests beside the code may set up data directly.
 */
import { describe, expect, it } from "vitest";
import { appSourceFiles, prismaCallsIn, prismaDelegates, rel } from "./sources";

/**
 * ADR 0008's exceptions: the connection layer itself (opening the client, migrations, providers) and
 * the durable job queue's own storage (claim/complete SQL across all shops: workers claim every shop's jobs).
 */
const ADR_EXCEPTIONS = [/^app\/models\//, /^app\/db\//, /^app\/jobs\/db-queue\.server\.ts$/];

/**
 * Known offenders, one entry per file, while their calls move into app/models (empty: every call
 * has moved). The test also fails when an entry has no Prisma call left, so the list can only shrink.
 */
const KNOWN_OFFENDERS = new Set<string>([]);

const allowed = (f: string) => ADR_EXCEPTIONS.some((re) => re.test(f)) || KNOWN_OFFENDERS.has(f);

describe("data access", () => {
  const delegates = prismaDelegates();
  const calls = new Map(
    appSourceFiles()
      .map((file) => [rel(file), prismaCallsIn(file, delegates)] as const)
      .filter(([, c]) => c.length > 0),
  );

  it("finds delegate and client calls however the client is named", () => {
    expect(delegates).toContain("modelRun");
    expect(calls.get("app/models/runs.server.ts")?.length).toBeGreaterThan(0);
  });

  it("no Prisma call outside app/models (or ADR 0008's exceptions)", () => {
    const leaks = [...calls].filter(([f]) => !allowed(f)).flatMap(([f, c]) => c.map((x) => `${f}:${x.line} ${x.text}`));
    expect(leaks, "move these into app/models/*.server.ts functions that take the shop").toEqual([]);
  });

  it("the list of known offenders only shrinks", () => {
    const stale = [...KNOWN_OFFENDERS].filter((f) => !calls.has(f));
    expect(stale, "no Prisma call left: remove from KNOWN_OFFENDERS").toEqual([]);
  });
});

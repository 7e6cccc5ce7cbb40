import { describe, expect, it } from "vitest";
import { monthOfDbTimestamp, parseDbTimestamp } from "./cohorts.server";

describe("cohort timestamps from the database", () => {
  it("reads the month from ISO, PostgreSQL and epoch-millisecond text", () => {
    const m = 2025 * 12 + 5; // June 2025
    expect(monthOfDbTimestamp("2025-06-23T00:00:00.000Z")).toBe(m);
    expect(monthOfDbTimestamp("2025-06-23 10:00:00.123")).toBe(m);
    expect(monthOfDbTimestamp(String(Date.UTC(2025, 5, 30, 23)))).toBe(m);
    expect(parseDbTimestamp("2025-06-23 10:00:00").toISOString()).toBe("2025-06-23T10:00:00.000Z");
  });
});

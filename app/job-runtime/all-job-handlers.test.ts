import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import "./all-job-handlers.server";
import { registeredJobTypes } from "~/jobs/registry.server";

describe("job handler registration", () => {
  it("registers every area's handlers at import, without on-demand loading (Vite bundles them)", async () => {
    const types = registeredJobTypes();
    for (const t of [
      "webhooks.process",
      "sync.backfill.continue",
      "sync.reconcile",
      "training.run",
      "writeback.run",
      "lifecycle.facts",
      "lifecycle.score",
      "lifecycle.rescore",
      "lifecycle.nightly",
    ]) {
      expect(types).toContain(t);
    }
    // No file-existence or computed imports: a bundler cannot follow those.
    const src = readFileSync(new URL("./all-job-handlers.server.ts", import.meta.url), "utf8");
    expect(src).not.toMatch(/\bimport\s*\(|existsSync/);
    for (const m of ["~/lifecycle/sync-job-handlers.server", "~/lifecycle/lifecycle-job-handlers.server"])
      expect(src).toContain(`import "${m}";`);
  });
});

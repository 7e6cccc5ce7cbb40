import { describe, expect, it } from "vitest";
import { admission, COMPLIANCE_TOPICS, WEBHOOK_TOPICS } from "./topics";

describe("admission", () => {
  it("accepts every topic for an installed shop", () => {
    for (const t of WEBHOOK_TOPICS) expect(admission(t, "installed"), t).toBe("accept");
  });
  it("accepts the compliance topics whatever the installation state", () => {
    for (const t of COMPLIANCE_TOPICS) {
      expect(admission(t, "uninstalled"), t).toBe("accept");
      expect(admission(t, "none"), t).toBe("accept");
    }
  });
  it("refuses data topics without an installation; app/uninstalled repeats are accepted or ignored", () => {
    for (const t of ["orders/create", "customers/update", "bulk_operations/finish", "app/scopes_update"] as const) {
      expect(admission(t, "uninstalled"), t).toBe("refuse");
      expect(admission(t, "none"), t).toBe("refuse");
    }
    expect(admission("app/uninstalled", "uninstalled")).toBe("accept");
    expect(admission("app/uninstalled", "none")).toBe("ignore");
  });
});

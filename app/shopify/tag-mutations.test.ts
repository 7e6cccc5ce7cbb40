import { describe, expect, it } from "vitest";
import { tagMutationDocument } from "./tag-mutations";

describe("tagMutationDocument", () => {
  it("aliases one mutation per change", () => {
    const d = tagMutationDocument([
      { id: "1", add: ["clv:a"], remove: ["clv:b"] },
      { id: "2", add: ["clv:a"], remove: [] },
    ]);
    expect(d.query).toContain("t0: tagsAdd(id: $id0, tags: $a0)");
    expect(d.query).toContain("r0: tagsRemove(id: $id0, tags: $r0)");
    expect(d.query).not.toContain("r1:");
    expect(d.variables).toMatchObject({ id1: "gid://shopify/Customer/2", a1: ["clv:a"] });
  });
});

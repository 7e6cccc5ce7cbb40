import { describe, expect, it } from "vitest";
import { searchLink } from "./search-link";

describe("searchLink", () => {
  const params = new URLSearchParams("tier=gold&page=3&view=profit");
  it("sets a parameter and keeps the others", () => {
    expect(searchLink(params, "show", "retention")).toBe("?tier=gold&page=3&view=profit&show=retention");
  });
  it("removes a parameter at its default and drops the listed ones", () => {
    expect(searchLink(params, "view", null, ["page"])).toBe("?tier=gold");
  });
  it("links to the bare page when nothing is left", () => {
    expect(searchLink(new URLSearchParams("view=profit"), "view", null)).toBe("?");
  });
  it("never changes the parameters it was given", () => {
    searchLink(params, "view", null, ["page"]);
    expect(params.toString()).toBe("tier=gold&page=3&view=profit");
  });
});

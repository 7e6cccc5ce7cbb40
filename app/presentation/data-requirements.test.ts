import { describe, expect, it } from "vitest";
import { DATA_REQUIREMENTS, unmetRequirements } from "./data-requirements";

describe("unmetRequirements", () => {
  it("lists only the requirements below the trainer's thresholds, with what the shop has", () => {
    expect(unmetRequirements({ customers: 120, repeatCustomers: 80, historyDays: 30 })).toEqual([
      { what: "customers", have: 120, need: DATA_REQUIREMENTS.customers },
      { what: "historyDays", have: 30, need: DATA_REQUIREMENTS.historyDays },
    ]);
    expect(unmetRequirements({ customers: 200, repeatCustomers: 50, historyDays: 180 })).toEqual([]);
  });
});

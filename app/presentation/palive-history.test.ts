import { describe, expect, it } from "vitest";
import { findAliveModel, pAliveHistory, pAliveOf } from "./palive-history";

const bg = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }; // lifetimes' CDNOW BG/NBD fit (weeks)

describe("findAliveModel", () => {
  it("replays the run's purchase model (MBG/NBD), the source of the stored P(alive), before any other fit", () => {
    const art = {
      format: "horizon-model-v1",
      champion: "btyd",
      btyd: { bg: { model: "bgnbd", params: bg } },
      purchase: { kind: "mbgnbd", fit: { params: { r: 0.5, alpha: 5, a: 0.9, b: 2 } }, atBoundary: [] },
    };
    expect(findAliveModel(art, "btyd")).toEqual({
      model: "mbgnbd",
      params: { r: 0.5, alpha: 5, a: 0.9, b: 2 },
      unitDays: 7,
    });
    // A one-time buyer's chance still active decays under MBG/NBD (BG/NBD keeps it at 100 %).
    const m = findAliveModel(art, "btyd")!;
    expect(pAliveOf(m, 0, 0, 52)).toBeLessThan(0.9);
  });
  it("finds the champion's fit and its unit anywhere in the artefact", () => {
    const art = {
      unit: "week",
      models: [
        { model: "gg", params: { p: 1, q: 2, v: 3 } },
        { model: "bgnbd", params: bg },
      ],
    };
    expect(findAliveModel(art, "bgnbd+gg")).toEqual({ model: "bgnbd", params: bg, unitDays: 7 });
  });
  it("reads the trainer's artefact (horizon-model-v1: BG/NBD under btyd.bg, weeks)", () => {
    const art = {
      format: "horizon-model-v1",
      champion: "ziln",
      btyd: { bg: { model: "bgnbd", version: 1, params: bg }, gg: null, meanValue: 30 },
    };
    expect(findAliveModel(art, "ziln")).toEqual({ model: "bgnbd", params: bg, unitDays: 7 });
  });
  it("returns null without a time unit or a usable fit", () => {
    expect(findAliveModel({ models: [{ model: "bgnbd", params: bg }] })).toBeNull();
    expect(findAliveModel({ unitDays: 1, models: [{ model: "bgnbd", params: { r: 1 } }] })).toBeNull();
    expect(findAliveModel(null)).toBeNull();
  });
});

describe("pAliveHistory", () => {
  const m = { model: "bgnbd" as const, params: bg, unitDays: 7 };
  const d = (s: string) => new Date(s + "T10:00:00Z");
  it("is 1 until the first repeat, jumps back up at purchases and decays in between", () => {
    const h = pAliveHistory(
      m,
      [d("2024-01-01"), d("2024-02-01"), d("2024-02-01"), d("2024-03-01")],
      d("2024-12-31"),
      50,
    );
    expect(h[0]).toMatchObject({ day: "2024-01-01", pAlive: 1, order: true });
    expect(h.filter((p) => p.order).map((p) => p.day)).toEqual(["2024-01-01", "2024-02-01", "2024-03-01"]);
    const atMar = h.find((p) => p.day === "2024-03-01")!;
    const end = h[h.length - 1];
    expect(end.day).toBe("2024-12-31");
    expect(end.pAlive).toBeLessThan(atMar.pAlive);
    // The last point equals the engine's P(alive) with x=2, t_x=60/7, T=365/7 weeks.
    expect(end.pAlive).toBeCloseTo(pAliveOf(m, 2, 60 / 7, 365 / 7), 12);
    for (let i = 1; i < h.length; i++)
      if (!h[i].order) expect(h[i].pAlive).toBeLessThanOrEqual(h[i - 1].pAlive + 1e-12);
  });
});

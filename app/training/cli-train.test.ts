import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { main } from "~/cli/main";
import { syntheticShopOrders } from "./synthetic";

function capture() {
  const out: string[] = [],
    err: string[] = [];
  return { io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) }, out, err };
}

describe("horizon-clv train", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "trainer-cli-"));
  const csv = path.join(dir, "tx.csv");
  const rows = syntheticShopOrders({ customers: 120, seed: 9 }).map(
    (o) => `${o.customerId},${new Date(o.processedAt as number).toISOString().slice(0, 10)},${o.amount}`,
  );
  writeFileSync(csv, ["cust,day,value", ...rows].join("\n") + "\n");

  it("trains from a CSV, writes a model without customer data and per-customer scores", async () => {
    const c = capture();
    const out = path.join(dir, "model.json"),
      scores = path.join(dir, "scores.csv");
    const code = await main(
      [
        "train",
        "--input",
        csv,
        "--customer",
        "cust",
        "--date",
        "day",
        "--amount",
        "value",
        "--out",
        out,
        "--scores",
        scores,
        "--json",
      ],
      c.io as never,
    );
    expect(c.err.join("")).toBe("");
    expect(code).toBe(0);
    const res = JSON.parse(c.out.join(""));
    expect(res.status).toBe("fallback"); // 120 customers < 200: the labelled transparent model
    expect(res.reason).toMatch(/only 120 customers/);
    const model = readFileSync(out, "utf8");
    expect(model).not.toMatch(/"c\d+"/);
    const lines = readFileSync(scores, "utf8").trim().split("\n");
    expect(lines[0]).toBe(
      "customer_id,clv,clv_low,clv_high,p_alive,expected_orders,historic_spend,orders,tier,drivers,churn_probability_90d,next_order_date",
    );
    expect(lines.length).toBe(121);
  });

  it("--json reports every candidate's calibration error, interval coverage, folds and churn AUC", async () => {
    const big = path.join(dir, "big.csv");
    const r = syntheticShopOrders({ customers: 600, seed: 4 }).map(
      (o) => `${o.customerId},${new Date(o.processedAt as number).toISOString().slice(0, 10)},${o.amount}`,
    );
    writeFileSync(big, ["cust,day,value", ...r].join("\n") + "\n");
    const c = capture();
    const argv = ["train", "--input", big, "--customer", "cust", "--date", "day", "--amount", "value"];
    expect(await main([...argv, "--models", "btyd,baseline", "--json"], c.io as never)).toBe(0);
    const res = JSON.parse(c.out.join(""));
    expect(res.status).toBe("promoted");
    for (const k of ["btyd", "baseline"]) {
      const m = res.metrics[k];
      expect(m.calibrationScale).toBeGreaterThan(0);
      expect(m.calibration.predictedOverActual).toBeGreaterThan(0);
      expect(m.calibration.deciles).toHaveLength(10);
      expect(m.intervalCoverage).toBeGreaterThan(0.5);
      expect(m.intervalNominal).toBe(0.8);
      // the served interval's procedure, replayed one fold earlier, measured on the evaluation fold
      expect(m.servingScale).toBeGreaterThan(0);
      expect(m.servedInterval.coverage).toBeGreaterThan(0.5);
      expect(m.servedInterval.nominal).toBe(0.8);
      expect(m.servedInterval.measuredFold).toBe(res.plan.evalCutoff);
      expect(m.servedInterval.levelFold < m.servedInterval.measuredFold).toBe(true);
      const roles = m.folds.map((f: { role: string }) => f.role);
      expect(roles.length).toBeGreaterThanOrEqual(3);
      expect(roles.at(-1)).toBe("evaluation");
    }
    expect(res.churn.auc).toBeGreaterThan(0.6);
    // the model zoo's churn classifier is backtested on the same cutoff (needs a ≥ 90-day training window)
    if (res.plan.trainDays >= 90) expect(res.churn.classifier.auc).toBeGreaterThan(0.6);
    else expect(res.churn.classifier).toBeNull();
  });

  it("rejects an unknown model and a bad amount column with exit code 2 / 1", async () => {
    const a = capture();
    expect(
      await main(
        [
          "train",
          "--input",
          csv,
          "--customer",
          "cust",
          "--date",
          "day",
          "--amount",
          "value",
          "--models",
          "dnn,xgboost",
        ],
        a.io as never,
      ),
    ).toBe(2);
    expect(a.err.join("")).toMatch(/unknown model "xgboost"/);
    const b = capture();
    expect(
      await main(["train", "--input", csv, "--customer", "cust", "--date", "day", "--amount", "nope"], b.io as never),
    ).toBe(1);
    expect(b.err.join("")).toMatch(/amount column "nope" not found/);
  });
});

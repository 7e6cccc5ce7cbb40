import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "~/clv/csv";
import { main } from "./main";
import type { CliIO } from "./io";

const ROOT = path.resolve(__dirname, "../..");
const FIX = path.join(ROOT, "test/fixtures/clv");
const CDNOW = path.join(FIX, "CDNOW_sample.txt");
const tmp = mkdtempSync(path.join(tmpdir(), "horizon-cli-"));

/** Runs the CLI in-process and captures its output. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (err += t) };
  const code = await main(argv, io);
  return { code, out, err };
}

const CDNOW_EVAL = [
  "--input",
  CDNOW,
  "--customer",
  "2",
  "--date",
  "3",
  "--amount",
  "5",
  "--calibration-end",
  "1997-09-30",
  "--holdout-end",
  "1998-06-30",
];

type EvalJson = {
  customers: number;
  calibrationEnd: string;
  holdoutEnd: string;
  models: Array<{
    name: string;
    gini: number;
    spearman: number;
    decileMape: number;
    mae: number;
    rmse: number;
    predictedTotal: number;
    actualTotal: number;
    topDecileCapture: number;
    purchases?: { predictedTotal: number; actualTotal: number; mae: number; rmse: number };
    deciles: Array<{ count: number; labelMean: number; predMean: number; decileMape: number }>;
  }>;
  timingsMs: Record<string, number>;
};

describe("horizon-clv evaluate on CDNOW (docs/reference/clv-engine.md §2.4–2.9)", () => {
  let res: EvalJson;
  beforeAll(async () => {
    const r = await cli("evaluate", ...CDNOW_EVAL, "--unit", "week", "--json");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(r.out.trim().split("\n")).toHaveLength(1); // exactly one JSON object
    res = JSON.parse(r.out) as EvalJson;
  });

  it("reports BTYD×GG and past spend at the reference values", () => {
    expect(res.customers).toBe(2357);
    expect(res.calibrationEnd).toBe("1997-09-30");
    expect(res.holdoutEnd).toBe("1998-06-30");
    expect(res.models.map((m) => m.name)).toEqual(["bgnbd+gg", "pnbd+gg", "past-spend"]);
    const [bg, pn, past] = res.models;
    // the reference Gini range over all tie orders is 0.6367–0.6392 (BTYD×GG), 0.6792–0.6814 (past spend)
    expect(bg.gini).toBeGreaterThan(0.6367);
    expect(bg.gini).toBeLessThan(0.6392);
    expect(bg.gini).toBeCloseTo(0.638, 3);
    expect(past.gini).toBeCloseTo(0.68, 2);
    expect(past.gini).toBeGreaterThan(0.6792);
    expect(past.gini).toBeLessThan(0.6814);
    expect(past.gini).toBeGreaterThan(bg.gini); // the sanity bar of §2.9
    expect(bg.spearman).toBeCloseTo(0.426, 3);
    expect(past.spearman).toBeCloseTo(0.393, 3);
    expect(bg.decileMape).toBeCloseTo(0.2539, 3);
    expect(bg.predictedTotal).toBeCloseTo(59931.63, 0);
    expect(bg.actualTotal).toBeCloseTo(70976.39, 6);
    expect(bg.mae).toBeCloseTo(30.41, 2);
    expect(pn.predictedTotal / 60449.8).toBeCloseTo(1, 3);
    // holdout purchase counts (§2.4): BG/NBD 1,653.41 predicted vs 1,882, MAE 0.7855, RMSE 1.6080
    expect(bg.purchases!.predictedTotal).toBeCloseTo(1653.41, 1);
    expect(bg.purchases!.actualTotal).toBe(1882);
    expect(bg.purchases!.mae).toBeCloseTo(0.7855, 4);
    expect(bg.purchases!.rmse).toBeCloseTo(1.608, 3);
    expect(pn.purchases!.predictedTotal / 1665.53).toBeCloseTo(1, 3);
    for (const k of ["read", "summary", "fit_bgnbd", "fitGg", "fit_pnbd", "total"])
      expect(res.timingsMs[k]).toBeGreaterThan(0);
  });

  it("reproduces the §2.9 decile table", () => {
    const d = res.models[0].deciles;
    expect(d.map((r) => r.count)).toEqual([239, 239, 229, 239, 240, 228, 236, 235, 236, 236]);
    const label = [17.84, 5.97, 7.35, 10.9, 6.63, 10.11, 13.09, 29.65, 48.38, 150.97];
    const pred = [5.94, 7.22, 7.54, 7.86, 8.23, 8.61, 9.55, 17.18, 36.87, 145.12];
    d.forEach((r, i) => {
      expect(Math.abs(r.labelMean - label[i])).toBeLessThan(0.006);
      expect(Math.abs(r.predMean - pred[i])).toBeLessThan(0.006);
    });
  });

  it("gives the same numbers from a CSV with a header, names and ISO dates", async () => {
    const rows = parseCsv(readFileSync(CDNOW, "utf8"), { delimiter: "whitespace" });
    const csv = [
      "cust,order_date,cds,total",
      ...rows.map(
        (r) =>
          `${r.fields[1]},${r.fields[2].slice(0, 4)}-${r.fields[2].slice(4, 6)}-${r.fields[2].slice(6)},${r.fields[3]},${r.fields[4]}`,
      ),
    ].join("\r\n");
    const file = path.join(tmp, "cdnow.csv");
    writeFileSync(file, "\uFEFF" + csv);
    const r = await cli(
      "evaluate",
      "--input",
      file,
      "--customer",
      "cust",
      "--date",
      "order_date",
      "--amount",
      "total",
      "--calibration-end",
      "1997-09-30",
      "--holdout-end",
      "1998-06-30",
      "--models",
      "btyd,baseline",
      "--json",
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as EvalJson;
    expect(j.models.map((m) => m.gini)).toEqual([res.models[0].gini, res.models[2].gini]);
  });

  it("reads whitespace-separated files with a header, and headerless ones by column number", async () => {
    const withHeader = path.join(tmp, "ws-header.txt");
    writeFileSync(withHeader, "cust date amt\n1 1997-01-01 29.33\n1 1997-02-01 10\n2 1997-01-03 5\n2 1997-04-03 7\n");
    const a = await cli(
      "evaluate",
      "--input",
      withHeader,
      "--customer",
      "cust",
      "--date",
      "date",
      "--amount",
      "amt",
      "--calibration-end",
      "1997-02-15",
      "--holdout-end",
      "1997-06-30",
      "--models",
      "baseline",
      "--json",
    );
    expect(a.code).toBe(0);
    expect(JSON.parse(a.out).models[0].actualTotal).toBe(7);
    const noHeader = path.join(tmp, "ws-noheader.txt");
    writeFileSync(noHeader, " 1 19970101 2 29.33\n 1 19970201 1 10\n 2 19970103 1 5\n 2 19970403 1 7\n");
    const b = await cli(
      "evaluate",
      "--input",
      noHeader,
      "--customer",
      "1",
      "--date",
      "2",
      "--amount",
      "4",
      "--calibration-end",
      "1997-02-15",
      "--holdout-end",
      "1997-06-30",
      "--models",
      "baseline",
      "--json",
    );
    expect(JSON.parse(b.out).customers).toBe(2);
    const bad = await cli(
      "evaluate",
      "--input",
      noHeader,
      "--customer",
      "1",
      "--date",
      "2",
      "--amount",
      "9",
      "--calibration-end",
      "1997-02-15",
      "--holdout-end",
      "1997-06-30",
    );
    expect(bad.err).toMatch(/amount column 9 does not exist \(the file has 4 columns\)/);
  });

  it("runs the README quick start: --format cdnow with default columns (customer 1, date n-2, amount n)", async () => {
    const r = await cli(
      "evaluate",
      "--input",
      CDNOW,
      "--format",
      "cdnow",
      "--calibration-end",
      "1997-09-30",
      "--holdout-end",
      "1998-06-30",
      "--unit",
      "week",
      "--json",
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as EvalJson;
    j.models.forEach((m, i) => expect(m.gini).toBeCloseTo(res.models[i].gini, 12)); // customer order differs (master ids): last-bit sums
    const noAmount = await cli(
      "evaluate",
      "--input",
      path.join(tmp, "cdnow.csv"),
      "--customer",
      "cust",
      "--date",
      "order_date",
      "--calibration-end",
      "1997-09-30",
      "--holdout-end",
      "1998-06-30",
    );
    expect(noAmount.code).toBe(2);
    expect(noAmount.err).toMatch(/missing --amount/);
  });

  it("prints a readable table without --json", async () => {
    const r = await cli("evaluate", ...CDNOW_EVAL, "--models", "baseline");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/2357 customers/);
    expect(r.out).toMatch(/past-spend\s+0\.680/);
  });

  it("asks for the trainer's hook for deep models, or rejects unknown ones", async () => {
    const unknown = await cli("evaluate", ...CDNOW_EVAL, "--models", "btyd,xgboost");
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown model "xgboost"/);
    if (!existsSync(path.join(ROOT, "app/training/evaluate-deep.ts"))) {
      const r = await cli("evaluate", ...CDNOW_EVAL, "--models", "dnn");
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(/evaluate-deep\.ts/);
    }
  });
});

describe("horizon-clv fit", () => {
  it("fits BG/NBD on the CDNOW summary (docs/reference/clv-engine.md §2.1–2.2)", async () => {
    const r = await cli(
      "fit",
      "--summary",
      path.join(FIX, "cdnow_customers_summary.csv"),
      "--model",
      "bgnbd",
      "--json",
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.params.r).toBeCloseTo(0.242593, 5);
    expect(j.params.alpha).toBeCloseTo(4.413532, 3);
    expect(j.params.a).toBeCloseTo(0.792886, 4);
    expect(j.params.b).toBeCloseTo(2.425752, 3);
    expect(j.logLikelihood).toBeCloseTo(-9582.43, 2);
    expect(j.standardErrors.r).toBeCloseTo(0.01256, 4);
    expect(j.converged).toBe(true);
    expect(j.iterations).toBeGreaterThan(0);
    expect(j.fitMs).toBeGreaterThan(0);
  });

  it("fits Gamma-Gamma on repeaters and MBG/NBD, Pareto/NBD", async () => {
    const gg = JSON.parse(
      (
        await cli(
          "fit",
          "--summary",
          path.join(FIX, "cdnow_customers_summary_with_transactions.csv"),
          "--model",
          "gg",
          "--json",
        )
      ).out,
    );
    expect(gg.customers).toBe(946);
    expect(gg.params.p).toBeCloseTo(6.248802, 3);
    expect(gg.params.q).toBeCloseTo(3.744588, 3);
    expect(gg.params.v).toBeCloseTo(15.447748, 2);
    const mbg = JSON.parse(
      (await cli("fit", "--summary", path.join(FIX, "cdnow_customers_summary.csv"), "--model", "mbgnbd", "--json")).out,
    );
    expect(mbg.params.r).toBeCloseTo(0.524838, 3);
    const pn = await cli("fit", "--summary", path.join(FIX, "cdnow_customers_summary.csv"), "--model", "pnbd");
    expect(pn.code).toBe(0);
    expect(pn.out).toMatch(/log-likelihood\s+-959[45]\./);
    expect(pn.out).toMatch(/fitMs/);
  });

  it("fits BG/BB on the donations patterns (periods + weights columns; docs/reference/clv-engine.md §3 BGBB.1)", async () => {
    const j = JSON.parse(
      (await cli("fit", "--summary", path.join(FIX, "donations.csv"), "--model", "bgbb", "--json")).out,
    );
    expect(j.converged).toBe(true);
    expect([j.customers, j.rows]).toEqual([11104, 22]); // customers = Σ weights
    const ref = { alpha: 1.2035224, beta: 0.7497164, gamma: 0.6567182, delta: 2.783442 };
    for (const [k, v] of Object.entries(ref)) expect(Math.abs(j.params[k] / v - 1), k).toBeLessThan(1e-4);
    const f = path.join(tmp, "bgbb-bad.csv");
    writeFileSync(f, "frequency,recency,T\n1,1,6\n");
    expect((await cli("fit", "--summary", f, "--model", "bgbb")).err).toMatch(/line 1: missing column "periods"/);
    writeFileSync(f, "frequency,recency,periods\n1,1,6\n3,2,6\n");
    const bad = await cli("fit", "--summary", f, "--model", "bgbb");
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/line 3, column "(recency|frequency)"/);
  });

  it("accepts a weights column: grouped rows fit the same model as the raw rows", async () => {
    const rows = parseCsv(readFileSync(path.join(FIX, "cdnow_customers_summary.csv"), "utf8")).slice(1);
    const groups = new Map<string, number>();
    for (const r of rows) {
      const k = `${r.fields[1]},${r.fields[2]},${r.fields[3]}`;
      groups.set(k, (groups.get(k) ?? 0) + 1);
    }
    const f = path.join(tmp, "grouped.csv");
    writeFileSync(f, "frequency,recency,T,weights\n" + [...groups].map(([k, w]) => `${k},${w}`).join("\n") + "\n");
    const j = JSON.parse((await cli("fit", "--summary", f, "--model", "bgnbd", "--json")).out);
    expect(j.params.r).toBeCloseTo(0.242593, 5);
    expect(j.logLikelihood).toBeCloseTo(-9582.43, 2);
    expect(j.customers).toBe(2357);
  });

  it("names the line and column of bad summary values", async () => {
    const f = path.join(tmp, "bad-summary.csv");
    writeFileSync(f, "id,frequency,recency,T\n1,2,3,10\n2,1,12,10\n");
    const r = await cli("fit", "--summary", f, "--model", "bgnbd");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 3, column "recency"/);
    writeFileSync(f, "id,frequency,recency,T\n1,2,x,10\n");
    expect((await cli("fit", "--summary", f, "--model", "bgnbd")).err).toMatch(
      /line 2, column "recency": cannot parse number "x"/,
    );
    writeFileSync(f, "");
    expect((await cli("fit", "--summary", f, "--model", "bgnbd")).err).toMatch(/is empty/);
    writeFileSync(f, "frequency,recency,T\n");
    expect((await cli("fit", "--summary", f, "--model", "bgnbd")).err).toMatch(/no data rows/);
    writeFileSync(f, "id,frequency,recency\n1,2,3\n");
    expect((await cli("fit", "--summary", f, "--model", "bgnbd")).err).toMatch(/line 1: missing column "T"/);
    writeFileSync(f, "id,frequency,recency,T,monetary_value\n1,2,3,10,5\n2,1,3,10,-1\n");
    expect((await cli("fit", "--summary", f, "--model", "gg")).err).toMatch(/line 3, column "monetary_value"/);
  });
});

describe("bad input and usage", () => {
  const write = (name: string, text: string) => {
    const f = path.join(tmp, name);
    writeFileSync(f, text);
    return f;
  };
  const ev = (file: string, ...extra: string[]) =>
    cli(
      "evaluate",
      "--input",
      file,
      "--customer",
      "id",
      "--date",
      "date",
      "--amount",
      "amount",
      "--calibration-end",
      "2020-03-31",
      "--holdout-end",
      "2020-06-30",
      ...extra,
    );

  it("names the column and line of a bad date or amount, a missing column, an empty file", async () => {
    const good = "id,date,amount\n1,2020-01-01,5\n1,2020-02-01,6\n";
    let r = await ev(write("bad-date.csv", good + "2,2020-13-01,4\n"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 4, column "date": cannot parse date "2020-13-01"/);
    r = await ev(write("bad-amount.csv", good + "2,2020-01-03,4..\n"));
    expect(r.err).toMatch(/line 4, column "amount": cannot parse amount "4\.\."/);
    r = await cli(
      "evaluate",
      "--input",
      write("nocol.csv", good),
      "--customer",
      "customer_id",
      "--date",
      "date",
      "--amount",
      "amount",
      "--calibration-end",
      "2020-03-31",
      "--holdout-end",
      "2020-06-30",
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /line 1: customer column "customer_id" not found in the header \(columns: "id", "date", "amount"\)/,
    );
    r = await ev(write("empty.csv", ""));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is empty/);
    r = await ev(write("header.csv", "id,date,amount\n"));
    expect(r.err).toMatch(/no data rows/);
    r = await ev(write("short.csv", good + "3,2020-01-05\n"));
    expect(r.err).toMatch(/line 4: expected at least 3 fields, found 2/);
    r = await ev(path.join(tmp, "does-not-exist.csv"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot read input file/);
  });

  it("still reports the baseline when no spend model can be fitted (no repeat buyers)", async () => {
    const f = write("one-time.csv", "id,date,amount\n1,2020-01-01,5\n2,2020-01-02,6\n3,2020-02-01,7\n1,2020-05-01,9\n");
    const r = await ev(f, "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.models.map((m: { name: string }) => m.name)).toEqual(["past-spend"]);
    expect(j.warnings[0]).toMatch(/spend-based models skipped: the spend model needs repeat customers/);
    expect(r.err).toMatch(/warning: spend-based models skipped/);
    const only = await ev(f, "--models", "btyd");
    expect(only.code).toBe(1);
  });

  it("rejects unknown flags, missing flags, bad dates in flags and unknown commands with exit 2", async () => {
    let r = await cli("evaluate", ...CDNOW_EVAL, "--colour", "red");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown flag --colour/);
    r = await cli("evaluate", "--input", CDNOW);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/missing required flag --calibration-end/);
    r = await cli("evaluate", ...CDNOW_EVAL.slice(0, -2), "--holdout-end", "1998/06/30");
    expect(r.err).toMatch(/--holdout-end must be a date YYYY-MM-DD/);
    r = await cli("fit", "--summary", "x.csv", "--model", "xyz");
    expect(r.code).toBe(2);
    r = await cli("evaluate", ...CDNOW_EVAL, "--period", "calendar-week", "--unit", "day");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/calendar-week" needs unit "week"/);
    r = await cli("evaluate", ...CDNOW_EVAL, "--period", "month");
    expect(r.err).toMatch(/--period must be day or calendar-week/);
    r = await cli("frobnicate");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command "frobnicate"/);
  });

  it("prints --help for every command", async () => {
    for (const c of ["fit", "evaluate", "predict"]) {
      const r = await cli(c, "--help");
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: horizon-clv ${c}`));
      expect(r.out).toMatch(/--json|--out/);
    }
    const top = await cli("--help");
    expect(top.code).toBe(0);
    expect(top.out).toMatch(/evaluate/);
  });
});

describe("horizon-clv predict", () => {
  it("writes per-customer CLV, interval, P(alive) and expected orders (docs/reference/clv-engine.md §2.7–2.8)", async () => {
    const out = path.join(tmp, "pred.csv");
    // 1.01^12 − 1: the annual equivalent of lifetimes' monthly 1 %; 365 days = 12 months of 4.345 weeks
    const r = await cli(
      "predict",
      "--input",
      CDNOW,
      "--format",
      "cdnow",
      "--customer",
      "2",
      "--amount",
      "5",
      "--as-of",
      "1997-09-30",
      "--horizon-days",
      "365",
      "--annual-discount",
      String(1.01 ** 12 - 1),
      "--out",
      out,
      "--json",
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.customers).toBe(2357);
    expect(j.months).toBe(12);
    expect(j.totalClv / 71507.95).toBeCloseTo(1, 3);
    expect(j.rowsAfterAsOf).toBe(1959); // the holdout rows are not history
    const rows = parseCsv(readFileSync(out, "utf8"));
    expect(rows[0].fields).toEqual([
      "customer_id",
      "frequency",
      "recency",
      "T",
      "monetary_value",
      "p_alive",
      "expected_orders",
      "expected_order_value",
      "clv",
      "clv_low",
      "clv_high",
    ]);
    expect(rows).toHaveLength(2358);
    const byId = new Map(rows.slice(1).map((row) => [row.fields[0], row.fields.map(Number)]));
    const one = byId.get("0001")!;
    expect(one[5]).toBeCloseTo(0.72662, 5); // P(alive) of ID 1
    expect(one[7]).toBeCloseTo(24.653919, 4); // GG E[M]
    expect(one[8] / 36.273977).toBeCloseTo(1, 3); // CLV 12 months
    expect(one[9]).toBeLessThan(one[8]);
    expect(one[10]).toBeGreaterThan(one[8]);
    expect([j.intervalMethod, j.intervalDraws]).toEqual(["delta", 0]);
    // the bootstrap on request: same point, an interval within a few percent of the delta method's width
    const bootOut = path.join(tmp, "pred-boot.csv");
    const b = await cli(
      "predict",
      "--input",
      CDNOW,
      "--format",
      "cdnow",
      "--customer",
      "2",
      "--amount",
      "5",
      "--as-of",
      "1997-09-30",
      "--horizon-days",
      "365",
      "--annual-discount",
      String(1.01 ** 12 - 1),
      "--interval",
      "bootstrap",
      "--draws",
      "400",
      "--out",
      bootOut,
      "--json",
    );
    expect(b.code).toBe(0);
    expect([JSON.parse(b.out).intervalMethod, JSON.parse(b.out).intervalDraws]).toEqual(["bootstrap", 400]);
    const bootOne = parseCsv(readFileSync(bootOut, "utf8"))
      .find((row) => row.fields[0] === "0001")!
      .fields.map(Number);
    expect(bootOne[8]).toBe(one[8]);
    const w = one[10] - one[9];
    expect(Math.abs(bootOne[9] - one[9]) / w).toBeLessThan(0.15);
    expect(Math.abs(bootOne[10] - one[10]) / w).toBeLessThan(0.15);
    const badInterval = await cli(
      "predict",
      "--input",
      CDNOW,
      "--format",
      "cdnow",
      "--amount",
      "5",
      "--horizon-days",
      "365",
      "--interval",
      "jackknife",
      "--out",
      bootOut,
    );
    expect(badInterval.code).toBe(2);
    expect(badInterval.err).toMatch(/--interval must be delta or bootstrap/);
    const margin = await cli(
      "predict",
      "--input",
      CDNOW,
      "--format",
      "cdnow",
      "--amount",
      "5",
      "--as-of",
      "1997-09-30",
      "--horizon-days",
      "365",
      "--margin",
      "0.3",
      "--out",
      path.join(tmp, "pred-margin.csv"),
      "--json",
    );
    expect(JSON.parse(margin.out).margin).toBe(0.3);
  });

  it("leaves nothing half-written on bad input", async () => {
    const out = path.join(tmp, "keep.csv");
    writeFileSync(out, "previous contents\n");
    const bad = path.join(tmp, "bad-predict.csv");
    writeFileSync(bad, "id,date,amount\n1,2020-01-01,5\n1,2020-02-01,oops\n");
    const r = await cli(
      "predict",
      "--input",
      bad,
      "--customer",
      "id",
      "--date",
      "date",
      "--amount",
      "amount",
      "--horizon-days",
      "90",
      "--out",
      out,
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line 3, column "amount"/);
    expect(readFileSync(out, "utf8")).toBe("previous contents\n");
    const fresh = path.join(tmp, "never.csv");
    await cli(
      "predict",
      "--input",
      bad,
      "--customer",
      "id",
      "--date",
      "date",
      "--amount",
      "amount",
      "--horizon-days",
      "90",
      "--out",
      fresh,
    );
    expect(existsSync(fresh)).toBe(false);
  });
});

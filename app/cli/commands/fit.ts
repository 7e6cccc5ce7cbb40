/**
 * `horizon-clv fit`: fits one model to a customer-summary CSV and prints its parameters, standard
 * errors, log-likelihood (in the data's time units), convergence and the in-process fit time.
 */
import { ClvInputError } from "~/clv/estimators/common";
import { fitBgNbd } from "~/clv/estimators/bgnbd";
import { fitMbgNbd } from "~/clv/estimators/mbgnbd";
import { fitParetoNbd } from "~/clv/estimators/paretonbd";
import { fitGammaGamma } from "~/clv/estimators/gammagamma";
import { fitBgBb } from "~/clv/estimators/bgbb";
import type { FittedModel, RFTData } from "~/clv/estimators/types";
import { helpText, parseFlags, type FlagSpecs } from "../args";
import { DataError, EXIT, UsageError, type CliIO } from "../io";
import { readSummaryFile, type SummaryFile } from "../summary-file";

/** Models `fit` accepts: the continuous-time BTYD models, Gamma-Gamma and the discrete BG/BB. */
const MODELS = ["bgnbd", "pnbd", "mbgnbd", "gg", "bgbb"];
const badModel = (model: string) => new UsageError(`--model must be one of ${MODELS.join(", ")}, got "${model}"`);

const FLAGS: FlagSpecs = {
  summary: {
    type: "string",
    value: "FILE",
    required: true,
    description: "CSV with frequency,recency,T (+ monetary_value for gg; frequency,recency,periods for bgbb)",
  },
  model: { type: "string", value: "NAME", required: true, description: MODELS.join(" | ") },
  penalizer: { type: "number", value: "X", description: "L2 penalty (lifetimes' penalizer_coef), default 0" },
  json: { type: "boolean", description: "print one JSON object" },
};

export const help = helpText(
  "horizon-clv fit --summary FILE --model bgnbd|pnbd|mbgnbd|gg|bgbb [--penalizer X] [--json]",
  "Fits a model by maximum likelihood. gg uses the repeat customers only (frequency > 0); bgbb (discrete\n" +
    "BG/BB) reads the number of transaction opportunities from a `periods` column.",
  FLAGS,
);

/** Maps an engine input error (0-based row) to the file's line and column name. */
export function inputErrorToData(
  e: unknown,
  lines: Int32Array,
  columns: Record<string, string>,
  rowMap?: Int32Array,
): never {
  if (e instanceof ClvInputError) {
    const row = e.row === null ? null : rowMap ? rowMap[e.row] : e.row;
    const col = columns[e.field] ?? e.field;
    const where =
      row !== null && row >= 0 && row < lines.length ? `line ${lines[row]}, column "${col}": ` : `column "${col}": `;
    throw new DataError(where + e.message);
  }
  throw e;
}

/** Customers represented by rows `idx` (all rows by default): the weights' sum, or the row count. */
function customersIn(s: SummaryFile, idx?: number[]): number {
  if (!s.weights) return idx ? idx.length : s.frequency.length;
  let n = 0;
  if (idx) for (const i of idx) n += s.weights[i];
  else for (const w of s.weights) n += w;
  return n;
}

function fitModel(
  model: string,
  s: SummaryFile,
  penalizer: number,
): { fitted: FittedModel; fitMs: number; customers: number } {
  const rft: RFTData = { frequency: s.frequency, recency: s.recency, T: s.T, weights: s.weights };
  const cfg = { penalizer };
  const t0 = performance.now();
  try {
    switch (model) {
      case "bgnbd":
        return { fitted: fitBgNbd(rft, cfg), fitMs: performance.now() - t0, customers: customersIn(s) };
      case "mbgnbd":
        return { fitted: fitMbgNbd(rft, cfg), fitMs: performance.now() - t0, customers: customersIn(s) };
      case "pnbd":
        return { fitted: fitParetoNbd(rft, cfg), fitMs: performance.now() - t0, customers: customersIn(s) };
      case "bgbb":
        return {
          fitted: fitBgBb({ frequency: s.frequency, recency: s.recency, periods: s.T, weights: s.weights }, cfg),
          fitMs: performance.now() - t0,
          customers: customersIn(s),
        };
      case "gg": {
        const keep: number[] = [];
        for (let i = 0; i < s.frequency.length; i++) if (s.frequency[i] > 0) keep.push(i);
        if (keep.length === 0) throw new DataError("gg needs repeat customers (frequency > 0); the file has none");
        const rowMap = Int32Array.from(keep);
        const pick = (a: Float64Array) => Float64Array.from(keep, (i) => a[i]);
        const t1 = performance.now();
        try {
          const fitted = fitGammaGamma(
            { frequency: pick(s.frequency), monetary: pick(s.monetary!), weights: s.weights && pick(s.weights) },
            cfg,
          );
          return { fitted, fitMs: performance.now() - t1, customers: customersIn(s, keep) };
        } catch (e) {
          return inputErrorToData(e, s.lines, { ...s.columns }, rowMap);
        }
      }
      default:
        throw badModel(model);
    }
  } catch (e) {
    inputErrorToData(e, s.lines, s.columns);
  }
}

/** Fixed-width number for the text report. */
export function fmt(v: number | null | undefined, digits = 6): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "n/a";
  return Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-4 && v !== 0) ? v.toExponential(digits - 1) : v.toFixed(digits);
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const f = parseFlags(argv, FLAGS);
  const model = String(f.model);
  if (!MODELS.includes(model)) throw badModel(model);
  const penalizer = (f.penalizer as number | undefined) ?? 0;
  if (!(penalizer >= 0)) throw new UsageError(`--penalizer must be >= 0, got ${penalizer}`);
  const s = readSummaryFile(String(f.summary), model === "gg", model === "bgbb");
  const { fitted, fitMs, customers } = fitModel(model, s, penalizer);
  const d = fitted.diagnostics;
  const out = {
    model,
    customers,
    rows: fitted.rows,
    params: fitted.params,
    standardErrors: fitted.standardErrors,
    logLikelihood: fitted.logLikelihood,
    penalizer,
    converged: d.converged,
    iterations: d.iterations,
    reason: d.reason,
    method: d.method,
    gradNorm: d.gradNorm,
    fitMs,
  };
  if (f.json) io.stdout(JSON.stringify(out) + "\n");
  else {
    const lines = [
      `model ${model}: ${customers} customers (${fitted.rows} distinct rows after grouping)`,
      "",
      "parameter       estimate       std.error",
    ];
    for (const [k, v] of Object.entries(fitted.params))
      lines.push(`${k.padEnd(10)} ${fmt(v).padStart(14)} ${fmt(fitted.standardErrors[k]).padStart(15)}`);
    lines.push(
      "",
      `log-likelihood  ${fmt(fitted.logLikelihood, 4)} (data time units)`,
      `converged       ${d.converged ? "yes" : "NO"} after ${d.iterations} iterations (${d.method}; ${d.reason})`,
      `fitMs           ${fitMs.toFixed(2)}`,
    );
    io.stdout(lines.join("\n") + "\n");
  }
  // The result is complete either way; non-convergence is reported, not turned into a failure.
  if (!d.converged) io.stderr(`warning: the fit did not converge: ${d.reason}\n`);
  return EXIT.ok;
}

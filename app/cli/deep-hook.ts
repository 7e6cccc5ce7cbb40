/**
 * Contract between `horizon-clv evaluate --models dnn,lstm,ensemble` and the trainer.
 * The trainer implements it in `app/training/evaluate-deep.ts`:
 *
 *   export async function evaluateDeep(request: DeepEvaluationRequest): Promise<DeepModelPredictions[]>
 *
 * It trains on data up to `calibrationEnd` only and returns, for each requested model, the
 * predicted holdout spend of every customer in `customerIds` (same order). The CLI computes the
 * metrics itself, so every model is scored by the same code.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DataError, UsageError } from "./io";

/** Trained candidates (deep models and the model zoo, app/training/zoo.ts) the evaluate command can request. */
export const DEEP_MODELS = ["dnn", "lstm", "ensemble", "linear", "gbt"] as const;
export type DeepModelName = (typeof DEEP_MODELS)[number];

/** What the trainer receives. */
export interface DeepEvaluationRequest {
  models: DeepModelName[];
  /** Calibration rows only (day ≤ calibrationEnd), positional: customer, day number (days since 1970-01-01), amount. */
  transactions: { customerIds: string[]; days: Int32Array; amounts: Float64Array };
  /** Last calibration day (inclusive, day number); nothing after it may be used for training. */
  calibrationEnd: number;
  /** Last holdout day (inclusive). */
  holdoutEnd: number;
  /** Customers to score, in the order predictions must come back. */
  customerIds: string[];
  seed: number;
}

/** What the trainer returns per model. */
export interface DeepModelPredictions {
  name: string;
  /** Predicted holdout spend per customer, aligned with `customerIds` (calibrated, see below). */
  predictions: Float64Array;
  /** Scale factor applied to the model's raw spend, fitted on its validation rows of the calibration period. */
  calibrationScale?: number;
  timingsMs?: Record<string, number>;
}

const HOOK = new URL("../training/evaluate-deep.ts", import.meta.url);

/** Calls the trainer's hook; a clear error when it is not installed or breaks the contract. */
export async function runDeepEvaluation(req: DeepEvaluationRequest): Promise<DeepModelPredictions[]> {
  if (!existsSync(fileURLToPath(HOOK))) {
    throw new UsageError(
      `models ${req.models.join(", ")} need the trainer's evaluation hook (app/training/evaluate-deep.ts), which is not installed`,
    );
  }
  const mod = (await import(/* @vite-ignore */ HOOK.href)) as {
    evaluateDeep?: (r: DeepEvaluationRequest) => Promise<DeepModelPredictions[]>;
  };
  if (typeof mod.evaluateDeep !== "function")
    throw new UsageError("app/training/evaluate-deep.ts does not export evaluateDeep(request)");
  const out = await mod.evaluateDeep(req);
  for (const r of out) {
    if (
      !r ||
      typeof r.name !== "string" ||
      !(r.predictions instanceof Float64Array) ||
      r.predictions.length !== req.customerIds.length
    ) {
      throw new DataError(
        `the deep-model hook returned a malformed result for ${r?.name ?? "a model"} (need ${req.customerIds.length} predictions)`,
      );
    }
  }
  return out;
}

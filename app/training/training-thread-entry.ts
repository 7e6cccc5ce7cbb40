/**
 * worker_threads entry of a training run: pure compute, no DB. Receives the shop's orders (as
 * columns, thread-columns.ts) and options in `workerData`, posts `{ type: "progress" }` messages and
 * finally `{ type: "done", result }` (scores as columns, the artefact as JSON, the buffers
 * transferred) or `{ type: "error", message, cancelled }`. Cancellation: the parent sets
 * `Atomics.store(new Int32Array(cancel), 0, 1)`; the trainer polls it between mini-batches.
 * Started by training-thread.server.ts with `execArgv: ["--import", "tsx"]`.
 */
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { trainShop, type TrainShopOptions, type TrainShopResult } from "./pipeline";
import { buildOrderTable } from "./orders";
import { scoreFromArtefact, type ModelArtefact } from "./score";
import { initTf } from "./tf";
import { TrainingCancelled } from "./deep";
import {
  ordersFromColumns,
  scoresToColumns,
  transferablesOf,
  type OrderColumns,
  type ScoreColumns,
} from "./thread-columns";

/** What the parent sends. */
export interface WorkerInput {
  orders: OrderColumns;
  options: Omit<TrainShopOptions, "hooks">;
  /** SharedArrayBuffer(4): non-zero = cancel requested. */
  cancel: SharedArrayBuffer;
  /** "train" (default) or "score": re-score every customer with a saved artefact, no training. */
  mode?: "train" | "score";
  /** The saved model (ModelRun.artefact, JSON) for mode "score". */
  artefactJson?: string;
  /** Scoring instant for mode "score" (epoch ms). */
  asOf?: number;
}

/** What the parent receives: the result with scores as columns and the artefact as JSON. */
export type WorkerResult = Omit<TrainShopResult, "scores" | "artefact"> & {
  scores: ScoreColumns;
  artefactJson: string;
};

/** Re-scores with a saved model; shaped like a training result so the parent handles both alike. */
async function rescore(input: WorkerInput): Promise<TrainShopResult> {
  const t0 = Date.now();
  const backend = await initTf();
  if (!input.artefactJson) throw new Error("score mode needs an artefact");
  const artefact = JSON.parse(input.artefactJson) as ModelArtefact;
  const scores = scoreFromArtefact(
    artefact,
    buildOrderTable(ordersFromColumns(input.orders)),
    input.asOf ?? Date.now(),
    input.options.settings,
    input.options.tiers,
  );
  return {
    status: "promoted",
    reason: "re-scored with the saved model",
    champion: artefact.champion,
    backtest: null,
    scores,
    artefact,
    backend,
    timings: { backtestMs: 0, finalMs: Date.now() - t0, totalMs: Date.now() - t0 },
  };
}

/** Progress message. */
export interface WorkerProgress {
  type: "progress";
  stage: string;
  epoch?: number;
  totalEpochs?: number;
  loss?: number;
  etaMs?: number;
}

if (!isMainThread && parentPort && (workerData as { __horizonTraining?: boolean })?.__horizonTraining) {
  const input = workerData as WorkerInput;
  const flag = new Int32Array(input.cancel);
  const port = parentPort;
  let stage = "starting";
  const post = (m: WorkerProgress) => port.postMessage(m);
  const work =
    input.mode === "score"
      ? rescore(input)
      : trainShop(ordersFromColumns(input.orders), {
          ...input.options,
          hooks: {
            onStage: (s) => {
              stage = s;
              post({ type: "progress", stage });
              if (Atomics.load(flag, 0) !== 0) throw new TrainingCancelled();
            },
            onEpoch: (p) =>
              post({
                type: "progress",
                stage,
                epoch: p.epoch,
                totalEpochs: p.totalEpochs,
                loss: p.loss,
                etaMs: p.etaMs,
              }),
            shouldStop: () => Atomics.load(flag, 0) !== 0,
          },
        });
  work
    .then(({ scores, artefact, ...rest }) => {
      const result: WorkerResult = { ...rest, scores: scoresToColumns(scores), artefactJson: JSON.stringify(artefact) };
      port.postMessage({ type: "done", result }, transferablesOf(result.scores));
    })
    .catch((e: unknown) =>
      port.postMessage({
        type: "error",
        message: e instanceof Error ? e.message : String(e),
        cancelled: e instanceof TrainingCancelled,
      }),
    );
}

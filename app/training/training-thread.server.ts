/**
 * Runs a training in a worker thread so the web server's event loop never blocks on tf.js.
 * The worker is a .ts module loaded through tsx (a runtime dependency). On Node 20
 * `execArgv: ["--import", "tsx"]` does not apply tsx's loader to a worker's entry module
 * ("Unknown file extension .ts"), so a tiny eval'd bootstrap registers tsx's ESM hooks in the
 * worker and then imports training-thread-entry.ts. In a bundled server build the module is looked up in
 * app/training/ under the working directory.
 */
import { Worker } from "node:worker_threads";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { WorkerInput, WorkerProgress, WorkerResult } from "./training-thread-entry";
import { transferablesOf } from "./thread-columns";

export type { WorkerResult as TrainingThreadResult };

function workerUrl(): URL {
  const here = new URL("./training-thread-entry.ts", import.meta.url);
  if (here.protocol === "file:" && existsSync(fileURLToPath(here))) return here;
  return pathToFileURL(path.join(process.cwd(), "app", "training", "training-thread-entry.ts"));
}

/** Handle of a running training. */
export interface TrainingHandle {
  result: Promise<WorkerResult>;
  /** Asks the worker to stop at the next mini-batch; `result` then rejects with `cancelled: true`. */
  cancel(): void;
}

/** Error from the worker; `cancelled` when the run stopped on request. */
export class TrainingWorkerError extends Error {
  constructor(
    message: string,
    readonly cancelled: boolean,
  ) {
    super(message);
    this.name = "TrainingWorkerError";
  }
}

/**
 * Starts a training worker. `onProgress` receives stage/epoch/loss/ETA messages. The order
 * columns' buffers are transferred: `input.orders` is unusable in this thread afterwards.
 */
export function startTrainingWorker(
  input: Omit<WorkerInput, "cancel">,
  onProgress?: (p: WorkerProgress) => void,
): TrainingHandle {
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  const boot = `import { register } from "tsx/esm/api"; register(); await import(${JSON.stringify(workerUrl().href)});`;
  const worker = new Worker(boot, {
    eval: true,
    workerData: { ...input, cancel, __horizonTraining: true },
    transferList: transferablesOf(input.orders),
  });
  const result = new Promise<WorkerResult>((resolve, reject) => {
    let settled = false;
    worker.on(
      "message",
      (
        m:
          | WorkerProgress
          | { type: "done"; result: WorkerResult }
          | { type: "error"; message: string; cancelled: boolean },
      ) => {
        if (m.type === "progress") onProgress?.(m);
        else if (m.type === "done") {
          settled = true;
          resolve(m.result);
          void worker.terminate();
        } else {
          settled = true;
          reject(new TrainingWorkerError(m.message, m.cancelled));
          void worker.terminate();
        }
      },
    );
    worker.on("error", (e) => {
      settled = true;
      reject(new TrainingWorkerError(`training worker crashed: ${e.message}`, false));
    });
    worker.on("exit", (code) => {
      if (!settled)
        reject(new TrainingWorkerError(`training worker exited with code ${code}`, Atomics.load(flag, 0) !== 0));
    });
  });
  return { result, cancel: () => Atomics.store(flag, 0, 1) };
}

/**
 * TensorFlow.js backend initialisation for the trainer.
 *
 * Order of preference: `@tensorflow/tfjs-node` (native, an optionalDependency that usually fails
 * to install offline) → the `wasm` backend (`@tensorflow/tfjs-backend-wasm`, single-threaded in
 * Node; its Slice/SplitV/Unpack kernels are replaced by copy-free ones, see wasm-slice.ts, unless
 * HORIZON_WASM_STOCK_SLICE=1) → the pure-JS `cpu` backend. Call `initTf()` once per process/worker before training.
 */
import * as tf from "@tensorflow/tfjs";
import { installWasmSliceKernels } from "./wasm-slice";

let ready: Promise<string> | null = null;

/** Which backend the trainer uses: resolves to "tensorflow", "wasm" or "cpu". Idempotent. */
export function initTf(prefer?: "wasm" | "cpu"): Promise<string> {
  if (ready) return ready;
  ready = (async () => {
    const quiet = console.warn;
    if (!prefer) {
      try {
        const name = "@tensorflow/tfjs-node"; // optional: a variable keeps bundlers from resolving it
        await import(/* @vite-ignore */ name);
        if (await tf.setBackend("tensorflow")) return "tensorflow";
      } catch {
        /* not installed (its install script needs a download): fall back to wasm */
      }
    }
    if (prefer !== "cpu") {
      try {
        await import("@tensorflow/tfjs-backend-wasm");
        console.warn = () => {};
        if (await tf.setBackend("wasm")) {
          await tf.ready();
          if (process.env.HORIZON_WASM_STOCK_SLICE !== "1") installWasmSliceKernels();
          return "wasm";
        }
      } catch {
        /* fall through to cpu */
      } finally {
        console.warn = quiet;
      }
    }
    await tf.setBackend("cpu");
    await tf.ready();
    return "cpu";
  })();
  return ready;
}

export { tf };

/**
 * Faster Slice / SplitV / Unpack kernels for the tf.js wasm backend (4.22).
 *
 * The stock kernels copy the WHOLE input out of wasm memory (`readSync` → `HEAPU8.slice`) for every
 * slice they take. The LSTM cell splits its gate pre-activations into four slices and unstacks the
 * sequence into one slice per step, so the copies (and the garbage they leave) were a large share
 * of the LSTM's CPU time (docs/decisions/0007-training-time.md). These replacements read the input
 * through a view of wasm memory instead; the outputs are bit-for-bit the same (pure copies).
 * String tensors and scalars go to the original kernels.
 */
import * as tf from "@tensorflow/tfjs";

type TensorInfo = { dataId: object; shape: number[]; dtype: tf.DataType };
interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** Copies x[begin : begin + size] into a new tensor of `outShape` (same element count). */
function sliceInto(backend: WasmBackend, x: TensorInfo, begin: number[], size: number[], outShape = size): TensorInfo {
  const out = backend.makeOutput(outShape, x.dtype); // may grow wasm memory: take the views after it
  const src = backend.typedArrayFromHeap(x),
    dst = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * x.shape[d + 1];
  const inner = size[rank - 1];
  let outer = 1;
  for (let d = 0; d < rank - 1; d++) outer *= size[d];
  const idx = new Array<number>(Math.max(0, rank - 1)).fill(0);
  let o = 0;
  for (let k = 0; k < outer; k++) {
    let off = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) off += (begin[d] + idx[d]) * strides[d];
    if (inner >= 32) dst.set(src.subarray(off, off + inner), o);
    else for (let j = 0; j < inner; j++) dst[o + j] = src[off + j];
    o += inner;
    for (let d = rank - 2; d >= 0; d--) {
      if (++idx[d] < size[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

const usable = (x: TensorInfo) => x.dtype !== "string" && x.shape.length > 0;

/** Replaces the wasm backend's Slice, SplitV and Unpack kernels (call once, after the backend is ready). */
export function installWasmSliceKernels(): void {
  const orig = Object.fromEntries(["Slice", "SplitV", "Unpack"].map((k) => [k, tf.getKernel(k, "wasm")]));
  if (Object.values(orig).some((k) => !k)) return;
  const replace = (kernelName: string, kernelFunc: tf.KernelFunc) => {
    tf.unregisterKernel(kernelName, "wasm");
    tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc });
  };
  replace("Slice", (args) => {
    const x = args.inputs.x as TensorInfo;
    if (!usable(x)) return orig.Slice!.kernelFunc(args);
    const { begin, size } = args.attrs as unknown as { begin: number | number[]; size?: number | number[] };
    const [b, s] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, begin, size);
    return sliceInto(args.backend as unknown as WasmBackend, x, b, s);
  });
  replace("SplitV", (args) => {
    const x = args.inputs.x as TensorInfo;
    if (!usable(x)) return orig.SplitV!.kernelFunc(args);
    const { numOrSizeSplits, axis } = args.attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    const ax = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, numOrSizeSplits, ax);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = x.shape.slice();
      size[ax] = s;
      const out = sliceInto(args.backend as unknown as WasmBackend, x, begin.slice(), size);
      begin[ax] += s;
      return out;
    });
  });
  replace("Unpack", (args) => {
    const x = args.inputs.value as TensorInfo;
    if (!usable(x)) return orig.Unpack!.kernelFunc(args);
    let axis = (args.attrs as unknown as { axis: number }).axis;
    if (axis < 0) axis += x.shape.length;
    const outShape = x.shape.filter((_, i) => i !== axis);
    const size = x.shape.slice();
    size[axis] = 1;
    return Array.from({ length: x.shape[axis] }, (_, i) => {
      const begin = new Array<number>(x.shape.length).fill(0);
      begin[axis] = i;
      return sliceInto(args.backend as unknown as WasmBackend, x, begin, size, outShape);
    });
  });
}

import { beforeAll, describe, expect, it } from "vitest";
import { initTf, tf } from "./tf";

// Reference: element (i, j, k) of a [4, 5, 6] tensor holding 0..119.
const val = (i: number, j: number, k: number) => i * 30 + j * 6 + k;

describe("copy-free wasm Slice / SplitV / Unpack kernels", () => {
  beforeAll(async () => {
    expect(await initTf("wasm")).toBe("wasm");
  });

  it("match the definition of slice, split and unstack on float32, int32 and bool tensors", () => {
    for (const dtype of ["float32", "int32"] as const) {
      const x = tf.range(0, 120, 1, dtype).reshape([4, 5, 6]);
      const s = x.slice([1, 2, 3], [2, 3, -1]);
      expect(s.shape).toEqual([2, 3, 3]);
      const want: number[] = [];
      for (let i = 1; i < 3; i++) for (let j = 2; j < 5; j++) for (let k = 3; k < 6; k++) want.push(val(i, j, k));
      expect(Array.from(s.dataSync())).toEqual(want);
      const parts = tf.split(x, [1, 3, 2], 2);
      expect(parts.map((p) => p.shape)).toEqual([
        [4, 5, 1],
        [4, 5, 3],
        [4, 5, 2],
      ]);
      const p1: number[] = [];
      for (let i = 0; i < 4; i++) for (let j = 0; j < 5; j++) for (let k = 1; k < 4; k++) p1.push(val(i, j, k));
      expect(Array.from(parts[1].dataSync())).toEqual(p1);
      const steps = tf.unstack(x, 1);
      expect(steps.length).toBe(5);
      expect(steps[3].shape).toEqual([4, 6]);
      const u3: number[] = [];
      for (let i = 0; i < 4; i++) for (let k = 0; k < 6; k++) u3.push(val(i, 3, k));
      expect(Array.from(steps[3].dataSync())).toEqual(u3);
      // A wide last dimension takes the subarray path.
      const w = tf.range(0, 400, 1, dtype).reshape([4, 100]).slice([2, 10], [2, 50]);
      expect(Array.from(w.dataSync())).toEqual(
        Array.from({ length: 100 }, (_, n) => (2 + Math.floor(n / 50)) * 100 + 10 + (n % 50)),
      );
      tf.dispose([x, s, ...parts, ...steps, w]);
    }
    const b = tf.tensor2d(
      [
        [true, false, true],
        [false, false, true],
      ],
      undefined,
      "bool",
    );
    expect(Array.from(b.slice([0, 1], [2, 2]).dataSync())).toEqual([0, 1, 0, 1]);
  });

  it("give slice gradients as before", () => {
    const g = tf.grad((x: tf.Tensor) => x.slice([1], [2]).sum())(tf.tensor1d([1, 2, 3, 4]));
    expect(Array.from(g.dataSync())).toEqual([0, 1, 1, 0]);
  });
});

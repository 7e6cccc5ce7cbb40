import { beforeAll, describe, expect, it } from "vitest";
import { initTf, tf } from "./tf";
import { zilnLoss, zilnLossTensor, zilnMean, zilnParams, zilnQuantile } from "./ziln";
import { normalQuantile } from "~/clv/math/special";

// Reference values: docs/reference/clv-engine.md §4.8 (google/lifetime_value unit test inputs).
const logits = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
const labels = [0, 1.5];

describe("ZILN", () => {
  beforeAll(async () => {
    await initTf();
  });

  it("per-example loss matches the hand-computed values", () => {
    expect(zilnLoss(labels[0], 0.1, 0.2, 0.3)).toBeCloseTo(0.7443967, 6);
    expect(zilnLoss(labels[1], 0.4, 0.5, 0.6)).toBeCloseTo(1.8783726, 6);
  });

  it("tensor loss equals the batch mean 1.3113846", () => {
    const v = tf.tidy(() => zilnLossTensor(tf.tensor2d(labels, [2, 1]), tf.tensor2d(logits, [2, 3])).dataSync()[0]);
    expect(v).toBeCloseTo(1.3113846, 5);
  });

  it("mean, median and 0.9-quantile match", () => {
    const d = zilnParams(logits);
    const m = zilnMean(d);
    expect(m[0]).toBeCloseTo(0.9236379, 6);
    expect(m[1]).toBeCloseTo(1.6907553, 6);
    const med = zilnQuantile(d, 0.5);
    expect(med[0]).toBeCloseTo(0.2935451, 6);
    expect(med[1]).toBeCloseTo(0.5997152, 6);
    const q9 = zilnQuantile(d, 0.9);
    expect(q9[0]).toBeCloseTo(2.5818689, 5);
    expect(q9[1]).toBeCloseTo(4.491435, 5);
    // Below the zero mass the quantile is 0.
    expect(zilnQuantile(zilnParams([-5, 0, 0]), 0.5)[0]).toBe(0);
  });

  it("the normal quantile zilnQuantile uses (app/clv/math/special.ts) is accurate", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 7);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326347874, 7);
    expect(normalQuantile(0.5)).toBe(0);
  });
});

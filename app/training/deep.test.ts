import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "~/clv/rng";
import { initTf } from "./tf";
import {
  loadDeep,
  lstmEmbedding,
  lstmHeadLogits,
  predictLogits,
  serialiseDeep,
  trainDeep,
  type DeepInputs,
} from "./deep";

function synth(n: number, seed = 1): { x: DeepInputs; y: Float64Array } {
  const rng = new Rng(seed);
  const nStatic = 4,
    seqLen = 6,
    seqDims = 2;
  const st = new Float32Array(n * nStatic),
    seq = new Float32Array(n * seqLen * seqDims),
    y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < nStatic; j++) st[i * nStatic + j] = rng.normal();
    for (let j = 0; j < seqLen * seqDims; j++) seq[i * seqLen * seqDims + j] = rng.normal();
    const p = 1 / (1 + Math.exp(-2 * st[i * nStatic]));
    y[i] = rng.uniform() < p ? Math.exp(3 + st[i * nStatic + 1] + 0.3 * rng.normal()) : 0;
  }
  return { x: { n, static: st, nStatic, seq, seqLen, seqDims }, y };
}

describe("deep ZILN models", () => {
  beforeAll(async () => {
    await initTf();
  });

  it("are deterministic with a fixed seed and learn the signal", async () => {
    const { x, y } = synth(600);
    const cfg = { kind: "dnn" as const, epochs: 6, batchSize: 64, hidden: [16, 8], seed: 7 };
    const a = await trainDeep(x, y, cfg);
    const b = await trainDeep(x, y, cfg);
    const la = predictLogits(a.model, "dnn", x),
      lb = predictLogits(b.model, "dnn", x);
    expect(Array.from(la)).toEqual(Array.from(lb));
    expect(a.diverged).toBe(false);
    // p logit should rise with feature 0 (the true driver of P(y>0)).
    let cov = 0;
    for (let i = 0; i < x.n; i++) cov += la[3 * i] * x.static[i * 4];
    expect(cov).toBeGreaterThan(0);
    const c = await trainDeep(x, y, { ...cfg, seed: 8 });
    expect(Array.from(predictLogits(c.model, "dnn", x))).not.toEqual(Array.from(la));
  });

  it("LSTM trains, round-trips through its JSON artefact and serves identical predictions", async () => {
    const { x, y } = synth(300, 2);
    const t = await trainDeep(x, y, { kind: "lstm", epochs: 2, batchSize: 64, rnnUnits: 4, hidden: [8, 8] });
    const art = JSON.parse(JSON.stringify(serialiseDeep(t.model, t.arch)));
    const m2 = loadDeep(art);
    const full = predictLogits(t.model, "lstm", x);
    expect(Array.from(predictLogits(m2, "lstm", x))).toEqual(Array.from(full));
    // The split (embedding once + head) used for fast explanations equals the full network.
    const split = lstmHeadLogits(t.model, x, lstmEmbedding(t.model, x));
    for (let i = 0; i < full.length; i++) expect(split[i]).toBeCloseTo(full[i], 5);
  });

  it("LSTM with seqPool averages adjacent months inside the network (artefact, split scoring, bad pool)", async () => {
    const { x, y } = synth(300, 4);
    const t = await trainDeep(x, y, {
      kind: "lstm",
      epochs: 2,
      batchSize: 64,
      rnnUnits: 4,
      hidden: [8, 8],
      seqPool: 2,
    });
    expect(t.arch.seqPool).toBe(2);
    expect(t.model.getLayer("seq_pool")).toBeTruthy();
    const full = predictLogits(t.model, "lstm", x);
    const m2 = loadDeep(JSON.parse(JSON.stringify(serialiseDeep(t.model, t.arch))));
    expect(Array.from(predictLogits(m2, "lstm", x))).toEqual(Array.from(full));
    const split = lstmHeadLogits(t.model, x, lstmEmbedding(t.model, x));
    for (let i = 0; i < full.length; i++) expect(split[i]).toBeCloseTo(full[i], 5);
    // Swapping the two months inside a pooled step changes nothing; swapping across steps does.
    const swap = (a: number, b: number) => {
      const s = x.seq.slice();
      for (let i = 0; i < x.n; i++)
        for (let d = 0; d < x.seqDims; d++) {
          const p = (i * x.seqLen + a) * x.seqDims + d,
            q = (i * x.seqLen + b) * x.seqDims + d;
          [s[p], s[q]] = [s[q], s[p]];
        }
      return predictLogits(t.model, "lstm", { ...x, seq: s });
    };
    const inside = swap(0, 1),
      across = swap(1, 2);
    for (let i = 0; i < full.length; i++) expect(inside[i]).toBeCloseTo(full[i], 5);
    expect(Array.from(across).some((v, i) => Math.abs(v - full[i]) > 1e-5)).toBe(true);
    await expect(trainDeep(x, y, { kind: "lstm", epochs: 1, rnnUnits: 4, seqPool: 4 })).rejects.toThrow(/must divide/);
  });

  it("flags a diverged model (non-finite loss)", async () => {
    const { x, y } = synth(200, 3);
    x.static[5] = Number.NaN; // a corrupted feature value poisons the loss
    const t = await trainDeep(x, y, { kind: "dnn", epochs: 3, batchSize: 32, hidden: [8], validationFraction: 0 });
    expect(t.diverged).toBe(true);
  });
});

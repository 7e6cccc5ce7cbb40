/**
 * Shopify bulk mutations (Shopify's recommended path for thousands of writes; used by the write-back,
 * app/lifecycle/writeback.server.ts, and the at-risk tags, app/actions/at-risk-tags.server.ts):
 * stage the variables as JSONL (`stagedUploadsCreate` → multipart POST to the staged target), run
 * the mutation once per line (`bulkOperationRunMutation`), poll the operation, and read the
 * per-line results file. One bulk mutation runs per shop at a time: if another is in progress we
 * wait for it and submit again. Bulk mutations do not draw on the GraphQL rate limit. A variables
 * file may hold at most 100 MB, so a larger input runs as several bulk operations, one after the
 * other (100,000 customers' metafields are over 100 MB of JSONL).
 */
import type { AdminGraphql, ResultOf } from "~/shopify/admin-client.server";
import { fetchLines } from "./jsonl.server";

const STAGED_UPLOADS_CREATE = `#graphql
mutation HorizonStagedUpload($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) { stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } }
}`;

const BULK_RUN_MUTATION = `#graphql
mutation HorizonBulkRunMutation($mutation: String!, $stagedUploadPath: String!) {
  bulkOperationRunMutation(mutation: $mutation, stagedUploadPath: $stagedUploadPath) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}`;

const BULK_OPERATION_STATUS = `#graphql
query HorizonBulkMutationStatus($id: ID!) {
  bulkOperation(id: $id) { id status errorCode objectCount url partialDataUrl }
}`;

const CURRENT_BULK_MUTATION = `#graphql
query HorizonCurrentBulkMutation {
  currentBulkOperation(type: MUTATION) { id status }
}`;

/** Largest variables file we upload (Shopify accepts up to 100 MB; JSONL lines are never split). */
export const MAX_VARIABLES_FILE_BYTES = 90 * 1024 * 1024;

/** One line of a bulk mutation result file. */
export interface BulkLineResult {
  line: number;
  data: Record<string, unknown> | null;
  errors: Array<{ message: string }>;
}

/** Options of `runBulkMutation`. */
export interface BulkMutationOptions {
  /** First poll delay, ms (doubles up to `maxPollMs`). Default 200. */
  pollMs?: number;
  maxPollMs?: number;
  /** Gives up waiting after this long, ms. Default 30 min. */
  timeoutMs?: number;
  /** Lines processed so far (from `objectCount`). */
  onProgress?: (done: number, total: number) => Promise<unknown> | void;
  /** Called with the bulk operation id once Shopify accepted the submission (audit log). */
  onSubmitted?: (id: string) => void;
  fetchImpl?: typeof fetch;
  /** Largest variables file per bulk operation, bytes (default MAX_VARIABLES_FILE_BYTES). */
  maxFileBytes?: number;
}

type Op = NonNullable<ResultOf<typeof BULK_OPERATION_STATUS>["bulkOperation"]>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FINAL = ["COMPLETED", "FAILED", "CANCELED", "EXPIRED"];

/** Uploads the variables file and returns its staged upload path. */
async function stage(admin: AdminGraphql, jsonl: string, fetchImpl: typeof fetch): Promise<string> {
  const payload = await admin.mutate(
    STAGED_UPLOADS_CREATE,
    {
      input: [
        {
          resource: "BULK_MUTATION_VARIABLES",
          filename: "horizon-writeback.jsonl",
          mimeType: "text/jsonl",
          httpMethod: "POST",
        },
      ],
    },
    "stagedUploadsCreate",
  );
  const target = payload.stagedTargets?.[0];
  const key = target?.parameters.find((p) => p.name === "key")?.value;
  if (!target?.url || !key) throw new Error("stagedUploadsCreate returned no target with a key");
  const form = new FormData();
  for (const p of target.parameters) form.append(p.name, p.value);
  form.append("file", new Blob([jsonl], { type: "text/jsonl" }), "horizon-writeback.jsonl");
  const res = await fetchImpl(target.url, { method: "POST", body: form, signal: AbortSignal.timeout(5 * 60_000) });
  if (!res.ok) throw new Error(`staged upload failed: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  return key;
}

async function waitFor(admin: AdminGraphql, id: string, total: number, opts: BulkMutationOptions): Promise<Op> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30 * 60_000);
  let delay = opts.pollMs ?? 200;
  for (;;) {
    const { data } = await admin.request(BULK_OPERATION_STATUS, { id });
    const op = data.bulkOperation;
    if (!op) throw new Error(`bulk mutation ${id} disappeared`);
    await opts.onProgress?.(Number(op.objectCount), total);
    if (FINAL.includes(op.status)) return op;
    if (Date.now() > deadline)
      throw new Error(
        `bulk mutation ${id} still ${op.status} after ${Math.round((opts.timeoutMs ?? 1_800_000) / 1000)} s`,
      );
    await sleep(delay);
    delay = Math.min(delay * 2, opts.maxPollMs ?? 2_000);
  }
}

/** Submits, retrying while another bulk mutation of the app runs on the shop. */
async function submit(admin: AdminGraphql, mutation: string, path: string, opts: BulkMutationOptions): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const { data } = await admin.request(BULK_RUN_MUTATION, { mutation, stagedUploadPath: path });
    const p = data.bulkOperationRunMutation;
    if (!p) throw new Error("bulkOperationRunMutation returned no payload");
    if (p.bulkOperation && !p.userErrors.length) return p.bulkOperation.id;
    const busy = p.userErrors.some((e) => e.code === "OPERATION_IN_PROGRESS");
    if (!busy || attempt >= 5)
      throw new Error(
        `bulkOperationRunMutation failed: ${p.userErrors.map((e) => `${e.code ?? ""} ${e.message}`.trim()).join("; ")}`,
      );
    const { data: cur } = await admin.request(CURRENT_BULK_MUTATION);
    if (cur.currentBulkOperation && !FINAL.includes(cur.currentBulkOperation.status))
      await waitFor(admin, cur.currentBulkOperation.id, 0, { ...opts, onProgress: undefined });
    else await sleep(1_000);
  }
}

/** Splits JSONL lines into files of at most `maxBytes` (a single longer line gets a file of its own). */
export function splitVariablesFiles(
  lines: readonly string[],
  maxBytes: number,
): Array<{ start: number; text: string }> {
  const files: Array<{ start: number; text: string }> = [];
  let start = 0;
  let parts: string[] = [];
  let bytes = 0;
  lines.forEach((line, i) => {
    const n = Buffer.byteLength(line) + 1;
    if (parts.length && bytes + n > maxBytes) {
      files.push({ start, text: parts.join("\n") + "\n" });
      start = i;
      parts = [];
      bytes = 0;
    }
    parts.push(line);
    bytes += n;
  });
  if (parts.length) files.push({ start, text: parts.join("\n") + "\n" });
  return files;
}

/**
 * Runs `mutation` once per entry of `variables` (as one bulk operation per variables file of at
 * most `maxFileBytes`) and returns the result of every line (by input index). Throws when an
 * operation fails; per-line errors are returned.
 */
export async function runBulkMutation(
  admin: AdminGraphql,
  mutation: string,
  variables: ReadonlyArray<Record<string, unknown>>,
  opts: BulkMutationOptions = {},
): Promise<BulkLineResult[]> {
  if (!variables.length) return [];
  const fetchImpl = opts.fetchImpl ?? fetch;
  const results: BulkLineResult[] = variables.map((_, line) => ({
    line,
    data: null,
    errors: [{ message: "no result line" }],
  }));
  const files = splitVariablesFiles(
    variables.map((v) => JSON.stringify(v)),
    opts.maxFileBytes ?? MAX_VARIABLES_FILE_BYTES,
  );
  for (const [f, file] of files.entries()) {
    const count = (files[f + 1]?.start ?? variables.length) - file.start;
    const path = await stage(admin, file.text, fetchImpl);
    const id = await submit(admin, mutation, path, opts);
    opts.onSubmitted?.(id);
    const op = await waitFor(admin, id, count, {
      ...opts,
      onProgress: opts.onProgress && ((done) => opts.onProgress!(file.start + done, variables.length)),
    });
    if (op.status !== "COMPLETED")
      throw new Error(`bulk mutation ${id} ${op.status.toLowerCase()} (error code: ${op.errorCode ?? "none"})`);
    if (!op.url) continue;
    for await (const text of fetchLines(op.url, fetchImpl)) {
      if (!text.trim()) continue;
      const r = JSON.parse(text) as {
        data?: Record<string, unknown>;
        errors?: Array<{ message: string }>;
        __lineNumber?: number;
      };
      const line = r.__lineNumber;
      if (typeof line !== "number" || line < 0 || line >= count)
        throw new Error(`bulk mutation ${id}: result line without a valid __lineNumber`);
      results[file.start + line] = { line: file.start + line, data: r.data ?? null, errors: r.errors ?? [] };
    }
  }
  return results;
}

/** The `userErrors` (and GraphQL errors) of one result line for the mutation's root field. */
export function lineErrors(r: BulkLineResult, root: string): string[] {
  const payload = r.data?.[root] as { userErrors?: Array<{ message: string }> } | null | undefined;
  return [
    ...r.errors.map((e) => e.message),
    ...(payload?.userErrors ?? []).map((e) => e.message),
    ...(r.errors.length === 0 && !payload ? [`${root} returned no payload`] : []),
  ];
}

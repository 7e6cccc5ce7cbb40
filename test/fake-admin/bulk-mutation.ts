/**
 * Bulk mutations for the fake Admin API, as Shopify runs them (bulk import guide):
 *  1. `stagedUploadsCreate(input: [{ resource: BULK_MUTATION_VARIABLES, filename, mimeType:
 *     "text/jsonl", httpMethod: POST }])` answers a staged target: an upload `url` plus form
 *     `parameters` (the `key` parameter is the later `stagedUploadPath`);
 *  2. the client POSTs a multipart form (every parameter, then the `file`) to that url — served here
 *     over HTTP by `handleUpload` (201 + a small XML body, like the storage bucket);
 *  3. `bulkOperationRunMutation(mutation, stagedUploadPath)` validates the mutation against the
 *     schema (one operation, one root mutation field), checks the file (must exist, every line a
 *     JSON object), refuses a second bulk mutation while one runs (OPERATION_IN_PROGRESS), then runs
 *     the mutation once per line with that line's variables (coerced like any request: a bad line
 *     gets `errors` in its result, the others still run), in slices so the event loop stays free;
 *  4. the result JSONL has one line per input line, `{"data":…,"__lineNumber":n}` (or `errors`),
 *     served like bulk query results; status CREATED → RUNNING → COMPLETED, `objectCount` grows as
 *     lines run, `bulk_operations/finish` fires. Bulk mutations do not draw on the rate limit.
 */
import { execute, Kind, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";
import { createdBulkOperation, type BulkOperationRecord } from "./bulk";
import { fakeFieldResolver, type FakeContext } from "./resolvers";
import { validateDocument } from "./schema";
import type { FakeStore } from "./store";
import type { WebhookEvent } from "./webhook-sender";

/** Shopify's limit on a bulk mutation variables file. */
export const MAX_STAGED_FILE_BYTES = 100 * 1024 * 1024;
/** Lines executed per event-loop turn. */
const LINES_PER_SLICE = 200;

type UserError = { field: string[] | null; message: string; code?: string };

interface StagedInput {
  resource: string;
  filename: string;
  mimeType: string;
  httpMethod?: string;
}

/** Options of the bulk mutation runner. */
export interface BulkMutationOptions {
  /** Time in CREATED before running, ms. Default 20. */
  delayMs?: number;
  /** Receives webhook events caused by the executed mutations. */
  emit?: (events: WebhookEvent[]) => void;
  /** Records a validation failure of a submitted mutation (tests fail on it). */
  onValidationFailure?: (query: string, errors: string[]) => void;
}

/** Staged uploads and bulk mutations over one store; shares the operation registry of bulk queries. */
export class BulkMutations {
  /** Uploaded files by staged key (undefined value: target issued, nothing uploaded yet). */
  private readonly staged = new Map<string, string | undefined>();
  private seq = 1;
  private baseUrl = "";

  constructor(
    private readonly store: FakeStore,
    private readonly schema: GraphQLSchema,
    private readonly registry: {
      register(op: BulkOperationRecord, file?: string): void;
      list(): BulkOperationRecord[];
      finish(op: BulkOperationRecord, status: BulkOperationRecord["status"]): void;
      nextOpId(): string;
      files: Map<string, string>;
    },
    private readonly options: BulkMutationOptions = {},
  ) {}

  setBaseUrl(url: string): void {
    this.baseUrl = url;
  }

  /** `stagedUploadsCreate`: one POST target per input (only bulk mutation variables are implemented). */
  createTargets(inputs: StagedInput[]): { stagedTargets: unknown[] | null; userErrors: UserError[] } {
    const targets: unknown[] = [];
    for (const [i, input] of inputs.entries()) {
      if (input.resource !== "BULK_MUTATION_VARIABLES")
        throw new Error(`fake Admin API does not implement staged uploads for ${input.resource}`);
      if ((input.httpMethod ?? "PUT") !== "POST")
        throw new Error("fake Admin API implements bulk mutation variable uploads with httpMethod POST only");
      if (!input.filename.trim())
        return {
          stagedTargets: null,
          userErrors: [{ field: ["input", String(i), "filename"], message: "Filename can't be blank" }],
        };
      const key = `tmp/${this.store.shop.id}/bulk/${Date.now().toString(36)}-${this.seq++}/${input.filename}`;
      this.staged.set(key, undefined);
      targets.push({
        url: `${this.baseUrl}/staged-uploads/`,
        resourceUrl: `${this.baseUrl}/staged-uploads/${key}`,
        parameters: [
          { name: "Content-Type", value: input.mimeType },
          { name: "success_action_status", value: "201" },
          { name: "acl", value: "private" },
          { name: "key", value: key },
        ],
      });
    }
    return { stagedTargets: targets, userErrors: [] };
  }

  /** The storage endpoint: multipart POST with the issued parameters and a `file` field. */
  async handleUpload(contentType: string | undefined, body: Buffer): Promise<{ status: number; body: string }> {
    if (!contentType?.startsWith("multipart/form-data"))
      return {
        status: 400,
        body: "<Error><Code>InvalidArgument</Code><Message>multipart/form-data expected</Message></Error>",
      };
    if (body.length > MAX_STAGED_FILE_BYTES + 64 * 1024)
      return { status: 400, body: "<Error><Code>EntityTooLarge</Code></Error>" };
    let form: FormData;
    try {
      form = await new Request("http://fake/staged-uploads/", {
        method: "POST",
        headers: { "content-type": contentType },
        body: new Uint8Array(body),
      }).formData();
    } catch (e) {
      return {
        status: 400,
        body: `<Error><Code>MalformedPOSTRequest</Code><Message>${(e as Error).message}</Message></Error>`,
      };
    }
    const key = form.get("key");
    const file = form.get("file");
    if (typeof key !== "string" || !this.staged.has(key))
      return { status: 403, body: "<Error><Code>AccessDenied</Code><Message>unknown or missing key</Message></Error>" };
    if (file === null || typeof file === "string")
      return { status: 400, body: "<Error><Code>InvalidArgument</Code><Message>file field missing</Message></Error>" };
    const text = await file.text();
    if (Buffer.byteLength(text) > MAX_STAGED_FILE_BYTES)
      return { status: 400, body: "<Error><Code>EntityTooLarge</Code></Error>" };
    this.staged.set(key, text);
    return {
      status: 201,
      body: `<?xml version='1.0' encoding='UTF-8'?><PostResponse><Key>${key}</Key></PostResponse>`,
    };
  }

  /** `bulkOperationRunMutation`. */
  start(mutation: string, stagedUploadPath: string): { op?: BulkOperationRecord; userErrors: UserError[] } {
    const fail = (code: string, message: string, field: string[] | null = null) => ({
      userErrors: [{ field, message, code }],
    });
    const { document, errors } = validateDocument(mutation, this.schema);
    if (!document || errors.length) {
      const msgs = errors.map((e) => e.message);
      this.options.onValidationFailure?.(mutation, msgs);
      return fail("INVALID_MUTATION", `Invalid mutation: ${msgs.join("; ")}`, ["mutation"]);
    }
    const ops = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    const op = ops[0];
    if (ops.length !== 1 || op?.kind !== Kind.OPERATION_DEFINITION || op.operation !== "mutation")
      return fail("INVALID_MUTATION", "Bulk mutations must be a single mutation operation", ["mutation"]);
    const roots = op.selectionSet.selections.filter((s) => s.kind === Kind.FIELD);
    if (roots.length !== 1)
      return fail("INVALID_MUTATION", "Bulk mutations must call exactly one mutation field", ["mutation"]);
    const name = roots[0]!.kind === Kind.FIELD ? roots[0]!.name.value : "";
    if (name.startsWith("bulkOperation") || name === "stagedUploadsCreate")
      return fail("INVALID_MUTATION", `${name} cannot run as a bulk mutation`, ["mutation"]);
    const file = this.staged.get(stagedUploadPath);
    if (file === undefined)
      return fail("NO_SUCH_FILE", `The JSONL file could not be found at ${stagedUploadPath}`, ["stagedUploadPath"]);
    const lines = file.split("\n").map((l) => l.replace(/\r$/, ""));
    if (lines.at(-1) === "") lines.pop();
    for (const [i, line] of lines.entries()) {
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        v = null;
      }
      if (typeof v !== "object" || v === null || Array.isArray(v))
        return fail("INVALID_STAGED_UPLOAD_FILE", `Unexpected file structure - expected JSONL (line ${i + 1})`, [
          "stagedUploadPath",
        ]);
    }
    if (this.registry.list().some((o) => o.type === "MUTATION" && (o.status === "CREATED" || o.status === "RUNNING"))) {
      return fail(
        "OPERATION_IN_PROGRESS",
        "A bulk mutation operation for this app and shop is already in progress. Wait for it to finish before starting another one.",
      );
    }
    const record = createdBulkOperation(this.registry.nextOpId(), "MUTATION", mutation);
    this.registry.register(record);
    this.staged.delete(stagedUploadPath); // a staged file is consumed by one operation
    setTimeout(() => {
      if (record.status === "CANCELING") return this.registry.finish(record, "CANCELED");
      record.status = "RUNNING";
      void this.run(
        record,
        document,
        lines.map((l) => JSON.parse(l) as Record<string, unknown>),
      );
    }, this.options.delayMs ?? 20);
    return { op: record, userErrors: [] };
  }

  private async run(
    record: BulkOperationRecord,
    document: DocumentNode,
    vars: Array<Record<string, unknown>>,
  ): Promise<void> {
    const out: string[] = [];
    for (let i = 0; i < vars.length; i++) {
      if (record.status === "CANCELING") break;
      const ctx: FakeContext = {
        store: this.store,
        bulk: false,
        warnings: [],
        emit: (evs) => this.options.emit?.(evs),
      };
      const r = execute({
        schema: this.schema,
        document,
        variableValues: vars[i],
        contextValue: ctx,
        fieldResolver: fakeFieldResolver,
      }) as ExecutionResult;
      const line: Record<string, unknown> = {};
      if (r.errors?.length)
        line.errors = r.errors.map((e) => ({ message: e.message, ...(e.path ? { path: e.path } : {}) }));
      if (r.data) line.data = r.data;
      line.__lineNumber = i;
      out.push(JSON.stringify(line));
      record.objectCount = String(i + 1);
      record.rootObjectCount = String(i + 1);
      if ((i + 1) % LINES_PER_SLICE === 0) await new Promise((r2) => setImmediate(r2));
    }
    const body = out.join("\n") + (out.length ? "\n" : "");
    const partial = record.status === "CANCELING";
    this.registry.files.set(partial ? `${record.id}#partial` : record.id, body);
    record.fileSize = String(Buffer.byteLength(body));
    const url = `${this.baseUrl}/bulk/${encodeURIComponent(record.id)}/${partial ? "partial" : "result"}.jsonl`;
    if (partial) record.partialDataUrl = url;
    else record.url = out.length ? url : null;
    this.registry.finish(record, partial ? "CANCELED" : "COMPLETED");
  }
}

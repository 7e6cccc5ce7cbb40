/**
 * Bulk operations for the fake Admin API: validates the bulk query against the schema, enforces
 * Shopify's limits (≥1 connection, ≤5 connections, connection nesting depth ≤2, `id` selected on
 * parents of nested connections, ≤5 concurrent operations), runs it over the whole store, writes
 * JSONL where nested connection items are separate lines with `__parentId` (children are not
 * guaranteed to follow their parent, as with groupObjects:false), moves the status
 * CREATED → RUNNING → COMPLETED (or FAILED by injection) and reports completion.
 */
import {
  execute,
  getNamedType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { fakeFieldResolver, type FakeContext } from "./resolvers";
import { createRng } from "./rng";
import { validateDocument } from "./schema";
import { isoSeconds, type FakeStore } from "./store";

/** The stored state of one bulk operation (served as the `BulkOperation` object). */
export interface BulkOperationRecord {
  id: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELING" | "CANCELED";
  errorCode: string | null;
  objectCount: string;
  rootObjectCount: string;
  fileSize: string | null;
  url: string | null;
  partialDataUrl: string | null;
  type: "QUERY" | "MUTATION";
  query: string;
  createdAt: string;
  completedAt: string | null;
}

/** A bulk operation as Shopify reports it right after it was accepted (CREATED, nothing counted). */
export function createdBulkOperation(
  id: string,
  type: BulkOperationRecord["type"],
  query: string,
): BulkOperationRecord {
  return {
    id,
    status: "CREATED",
    errorCode: null,
    objectCount: "0",
    rootObjectCount: "0",
    fileSize: null,
    url: null,
    partialDataUrl: null,
    type,
    query,
    createdAt: isoSeconds(new Date()),
    completedAt: null,
  };
}

/** Configuration of the bulk runner. */
export interface BulkOptions {
  /** Time in CREATED and in RUNNING, ms. Default 20. */
  delayMs?: number;
  /** Seed for child-line placement. */
  seed?: number;
  /** Called when an operation reaches a final state (the server fires bulk_operations/finish). */
  onFinish?: (op: BulkOperationRecord) => void;
  /** Records a validation failure of a bulk query (tests fail on it). */
  onValidationFailure?: (query: string, errors: string[]) => void;
}

/** Root objects executed per slice of a bulk query. */
const SLICE_ROOTS = 2_000;

interface Failure {
  errorCode: "INTERNAL_SERVER_ERROR" | "TIMEOUT" | "ACCESS_DENIED";
  partial: boolean;
}

export class BulkOperations {
  private readonly ops = new Map<string, BulkOperationRecord>();
  /** JSONL files by operation id. */
  readonly files = new Map<string, string>();
  private nextId = 880_000_000;
  private readonly failures: Failure[] = [];
  private baseUrl = "";

  constructor(
    private readonly store: FakeStore,
    private readonly schema: GraphQLSchema,
    private readonly options: BulkOptions = {},
  ) {}

  /** Sets the public base URL used in `url` (the server's own address). */
  setBaseUrl(url: string): void {
    this.baseUrl = url;
  }

  /** Makes the next operation(s) fail with the given code; `partial` also writes a partialDataUrl. */
  injectFailure(errorCode: Failure["errorCode"] = "INTERNAL_SERVER_ERROR", partial = true): void {
    this.failures.push({ errorCode, partial });
  }

  /** A new operation GID (shared by bulk queries and bulk mutations). */
  nextOpId(): string {
    return `gid://shopify/BulkOperation/${this.nextId++}`;
  }

  /** Adds an operation started elsewhere (bulk mutations) to the registry. */
  register(op: BulkOperationRecord): void {
    this.ops.set(op.id, op);
  }

  /** The newest operation of a type (`currentBulkOperation`). */
  current(type: BulkOperationRecord["type"]): BulkOperationRecord | undefined {
    return this.list()
      .filter((o) => o.type === type)
      .at(-1);
  }

  get(id: string): BulkOperationRecord | undefined {
    return this.ops.get(id);
  }

  list(): BulkOperationRecord[] {
    return [...this.ops.values()];
  }

  cancel(id: string): BulkOperationRecord | undefined {
    const op = this.ops.get(id);
    if (op && (op.status === "CREATED" || op.status === "RUNNING")) op.status = "CANCELING";
    return op;
  }

  /** Validates and schedules a bulk query (the `bulkOperationRunQuery` mutation). */
  start(
    query: string,
    _groupObjects: boolean,
  ): { op?: BulkOperationRecord; userErrors: Array<{ field: string[]; message: string; code: string }> } {
    const invalid = (message: string) => ({ userErrors: [{ field: ["query"], message, code: "INVALID" }] });
    const { document, errors } = validateDocument(query, this.schema);
    if (!document || errors.length) {
      const msgs = errors.map((e) => e.message);
      this.options.onValidationFailure?.(query, msgs);
      return invalid(`Invalid bulk query: ${msgs.join("; ")}`);
    }
    const opDef = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (!opDef || opDef.kind !== Kind.OPERATION_DEFINITION || opDef.operation !== "query")
      return invalid("Bulk queries must be a single query operation");
    const shape = analyse(this.schema, opDef.selectionSet, this.schema.getQueryType()!, 0);
    if (shape.error) return invalid(shape.error);
    if (shape.connections === 0) return invalid("Bulk queries must contain at least one connection.");
    if (shape.connections > 5)
      return invalid(`Bulk queries cannot contain more than 5 connections (found ${shape.connections}).`);
    if (shape.depth > 2)
      return invalid(`Bulk queries cannot contain connections nested more than 2 levels deep (found ${shape.depth}).`);
    const running = this.list().filter(
      (o) => o.type === "QUERY" && (o.status === "CREATED" || o.status === "RUNNING"),
    ).length;
    if (running >= 5)
      return {
        userErrors: [
          { field: ["query"], message: "A maximum of 5 bulk queries can run at the same time.", code: "LIMIT_REACHED" },
        ],
      };

    const id = this.nextOpId();
    const op = createdBulkOperation(id, "QUERY", query);
    this.ops.set(id, op);
    const delay = this.options.delayMs ?? 20;
    setTimeout(() => {
      if (op.status === "CANCELING") return this.finish(op, "CANCELED");
      op.status = "RUNNING";
      setTimeout(() => void this.run(op, document), delay);
    }, delay);
    return { op, userErrors: [] };
  }

  /**
   * Runs the query over the store in slices of root objects (each slice executed, flattened, then
   * the event loop is yielded), so a large store neither blocks the process nor holds the whole
   * result tree in memory.
   */
  private async run(op: BulkOperationRecord, document: Parameters<typeof execute>[0]["document"]): Promise<void> {
    if (op.status === "CANCELING") return this.finish(op, "CANCELED");
    const rng = createRng((this.options.seed ?? 3) + this.nextId);
    const slice = { offset: 0, limit: SLICE_ROOTS, total: 0, lists: new Map<string, unknown[]>() };
    const lines: string[] = [];
    let roots = 0;
    for (;;) {
      const ctx: FakeContext = { store: this.store, bulk: true, warnings: [], emit: () => undefined, bulkSlice: slice };
      const result = execute({ schema: this.schema, document, contextValue: ctx, fieldResolver: fakeFieldResolver });
      if ("then" in result) throw new Error("fake bulk execution unexpectedly async");
      if (result.errors?.length) {
        op.errorCode = "INTERNAL_SERVER_ERROR";
        return this.finish(op, "FAILED");
      }
      const part = toJsonl(result.data ?? {}, rng);
      for (const l of part.lines) lines.push(l);
      roots += part.roots;
      op.objectCount = String(lines.length);
      slice.offset += slice.limit;
      if (slice.offset >= slice.total) break;
      await new Promise((r) => setImmediate(r));
      if ((op.status as string) === "CANCELING") return this.finish(op, "CANCELED");
    }
    const failure = this.failures.shift();
    if (failure) {
      op.errorCode = failure.errorCode;
      if (failure.partial) {
        const partial = lines.slice(0, Math.floor(lines.length / 2));
        this.files.set(`${op.id}#partial`, partial.join("\n") + (partial.length ? "\n" : ""));
        op.partialDataUrl = `${this.baseUrl}/bulk/${encodeURIComponent(op.id)}/partial.jsonl`;
      }
      return this.finish(op, "FAILED");
    }
    const body = lines.join("\n") + (lines.length ? "\n" : "");
    this.files.set(op.id, body);
    op.objectCount = String(lines.length);
    op.rootObjectCount = String(roots);
    op.fileSize = String(Buffer.byteLength(body));
    op.url = lines.length ? `${this.baseUrl}/bulk/${encodeURIComponent(op.id)}/result.jsonl` : null;
    this.finish(op, "COMPLETED");
  }

  finish(op: BulkOperationRecord, status: BulkOperationRecord["status"]): void {
    op.status = status;
    op.completedAt = isoSeconds(new Date());
    this.options.onFinish?.(op);
  }
}

/** Counts connections and their nesting depth; checks `id` on parents of nested connections. */
function analyse(
  schema: GraphQLSchema,
  set: SelectionSetNode,
  parent: GraphQLObjectType,
  depth: number,
): { connections: number; depth: number; error?: string } {
  let connections = 0,
    maxDepth = depth;
  for (const sel of set.selections) {
    if (sel.kind !== Kind.FIELD || !sel.selectionSet) continue;
    const field = parent.getFields()[sel.name.value];
    if (!field) continue;
    const named = getNamedType(field.type);
    if (!isObjectType(named)) continue;
    if (named.name.endsWith("Connection")) {
      connections++;
      const nodeSel = nodeSelection(sel);
      if (!nodeSel) continue;
      const nodeType = getNamedType(
        (getNamedType(named.getFields().edges!.type) as GraphQLObjectType).getFields().node!.type,
      ) as GraphQLObjectType;
      const inner = analyse(schema, nodeSel, nodeType, depth + 1);
      if (inner.error) return inner;
      if (inner.connections > 0 && !nodeSel.selections.some((s) => s.kind === Kind.FIELD && s.name.value === "id")) {
        return {
          connections,
          depth,
          error: `The parent 'node' field for a nested connection must select the 'id' field (connection: ${sel.name.value}).`,
        };
      }
      connections += inner.connections;
      maxDepth = Math.max(maxDepth, inner.depth);
    } else {
      const inner = analyse(schema, sel.selectionSet, named, depth);
      if (inner.error) return inner;
      connections += inner.connections;
      maxDepth = Math.max(maxDepth, inner.depth);
    }
  }
  return { connections, depth: maxDepth };
}

function nodeSelection(conn: FieldNode): SelectionSetNode | undefined {
  for (const s of conn.selectionSet?.selections ?? []) {
    if (s.kind !== Kind.FIELD || !s.selectionSet) continue;
    if (s.name.value === "nodes") return s.selectionSet;
    if (s.name.value === "edges") {
      const node = s.selectionSet.selections.find((x) => x.kind === Kind.FIELD && x.name.value === "node");
      if (node && node.kind === Kind.FIELD) return node.selectionSet;
    }
  }
  return undefined;
}

function isConnection(
  v: unknown,
): v is { edges?: Array<{ node: Record<string, unknown> }>; nodes?: Array<Record<string, unknown>> } {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    (Array.isArray((v as { edges?: unknown }).edges) || Array.isArray((v as { nodes?: unknown }).nodes))
  );
}

/**
 * Flattens the executed result: every node of every connection becomes one line; nested
 * connection items carry `__parentId`. About a third of the parents have their children written
 * before them, and some children are deferred past later parents.
 */
function toJsonl(data: Record<string, unknown>, rng: ReturnType<typeof createRng>): { lines: string[]; roots: number } {
  const lines: string[] = [];
  const deferred: string[] = [];
  let roots = 0;
  const emit = (node: Record<string, unknown>, parentId: string | null): string[] => {
    const own: Record<string, unknown> = {};
    const childLines: string[] = [];
    for (const [k, v] of Object.entries(node)) {
      if (isConnection(v)) {
        for (const child of v.nodes ?? v.edges!.map((e) => e.node)) childLines.push(...emit(child, String(node.id)));
      } else own[k] = v;
    }
    if (parentId) own.__parentId = parentId;
    const line = JSON.stringify(own);
    return rng.chance(0.35) ? [...childLines, line] : [line, ...childLines];
  };
  for (const v of Object.values(data)) {
    if (!isConnection(v)) continue;
    for (const node of v.nodes ?? v.edges!.map((e) => e.node)) {
      roots++;
      const block = emit(node, null);
      if (rng.chance(0.05) && block.length > 1) {
        lines.push(block[0]!);
        deferred.push(...block.slice(1));
      } else lines.push(...block);
      if (deferred.length > 50) lines.push(...deferred.splice(0));
    }
  }
  lines.push(...deferred);
  return { lines, roots };
}

/**
 * Fake Admin API support for the app's actions: customer segments (`segmentCreate`/`Update`/`Delete`,
 * `segments`, `segment`), Flow (`flowTriggerReceive(handle:, payload:)`), the tier discount
 * (`discountAutomaticAppCreate`/`Update`, `discountAutomaticActivate`/`Deactivate`), native tier discounts
 * limited to segments (`discountAutomaticBasicCreate`/`Update` with `context.customerSegments`) and retention codes
 * (`discountCodeBasicCreate`, `codeDiscountNodeByCode`). Checks follow Shopify's rules where they
 * matter to the app: unique segment names and discount codes, Flow handles and payload keys declared
 * by the app's own extension TOMLs (extensions/*\/shopify.extension.toml), a Function handle the app
 * ships, customers that exist. Every accepted call is appended to `ActionsState.log` for tests and
 * the demo to inspect.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GraphQLError } from "graphql";
import type { FakeSegment } from "./records";
import type { FakeStore } from "./store";

/** A discount kept by the fake (automatic app discount or basic code discount). */
export interface FakeDiscount {
  id: number;
  kind: "automatic_app" | "automatic_basic" | "code_basic";
  title: string;
  status: "ACTIVE" | "EXPIRED" | "SCHEDULED";
  startsAt: string;
  endsAt: string | null;
  functionHandle?: string;
  discountClasses?: string[];
  metafields: Record<string, { type: string; value: string }>;
  code?: string;
  percentage?: number;
  customerIds?: number[];
  /** Native discounts limited to customer segments (`context.customerSegments`). */
  segmentIds?: number[];
  usageLimit?: number | null;
  appliesOncePerCustomer?: boolean;
}

/** One accepted action call. */
export interface ActionLogEntry {
  seq: number;
  operation: string;
  detail: Record<string, unknown>;
}

/** A Flow trigger declared by an extension TOML. */
export interface FlowTriggerSpec {
  handle: string;
  /** Custom field keys (the payload keys besides the reference field's `customer_id`). */
  keys: string[];
  customerReference: boolean;
}

/** State of the fake's action objects (hung on the store). */
export class ActionsState {
  readonly segments = new Map<number, FakeSegment>();
  readonly discounts = new Map<number, FakeDiscount>();
  readonly log: ActionLogEntry[] = [];
  /** Flow events received, in order. */
  readonly flowEvents: Array<{ handle: string; payload: Record<string, unknown> }> = [];
  private seq = 0;

  constructor(
    readonly flowTriggers: FlowTriggerSpec[] = appFlowTriggers(),
    readonly functionHandles: string[] = appFunctionHandles(),
  ) {}

  record(operation: string, detail: Record<string, unknown>): void {
    this.log.push({ seq: ++this.seq, operation, detail });
  }

  /** Log entries of one operation. */
  calls(operation: string): ActionLogEntry[] {
    return this.log.filter((e) => e.operation === operation);
  }
}

const extensionsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../extensions");

function extensionTomls(): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(extensionsDir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    try {
      return [readFileSync(path.join(extensionsDir, n, "shopify.extension.toml"), "utf8")];
    } catch {
      return [];
    }
  });
}

const tomlValue = (toml: string, key: string) => new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`, "m").exec(toml)?.[1];

/** Flow triggers the app declares (type = "flow_trigger"), read from its extension TOMLs. */
export function appFlowTriggers(): FlowTriggerSpec[] {
  return extensionTomls()
    .filter((t) => tomlValue(t, "type") === "flow_trigger")
    .map((t) => {
      const fields = t.split("[[settings.fields]]").slice(1);
      return {
        handle: tomlValue(t, "handle")!,
        keys: fields.map((f) => tomlValue(f, "key")).filter((k): k is string => !!k),
        customerReference: fields.some((f) => tomlValue(f, "type") === "customer_reference"),
      };
    });
}

/** Function handles the app ships (type = "function"). */
export function appFunctionHandles(): string[] {
  return extensionTomls()
    .filter((t) => tomlValue(t, "type") === "function")
    .map((t) => tomlValue(t, "handle")!);
}

type Args = Record<string, unknown>;
type Ctx = { store: FakeStore };
type UserError = { field: string[] | null; message: string; code?: string };

const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
const numericId = (g: unknown) => Number(String(g).slice(String(g).lastIndexOf("/") + 1));
const state = (ctx: Ctx) => ctx.store.actions;

/** Flow's documented payload cap (bytes of the JSON payload). */
export const FLOW_PAYLOAD_MAX_BYTES = 50_000;

function segmentView(s: FakeSegment) {
  return {
    __typename: "Segment",
    id: gid("Segment", s.id),
    name: s.name,
    query: s.query,
    creationDate: s.createdAt.toISOString(),
    lastEditDate: (s.updatedAt ?? s.createdAt).toISOString(),
  };
}

/** Segment queries the app may send: `customer_tags CONTAINS '<tag>'` joined by AND/OR. */
function segmentQueryError(query: string): string | null {
  const parts = query.split(/\s+(?:AND|OR)\s+/);
  const ok = parts.every((p) => /^customer_tags CONTAINS '[^']+'$/.test(p.trim()));
  return ok ? null : `Query is invalid: fake Admin API understands customer_tags CONTAINS '…' filters only (${query})`;
}

function automaticNode(d: FakeDiscount) {
  return { __typename: "DiscountAutomaticNode", id: gid("DiscountAutomaticNode", d.id) };
}

function automaticAppView(d: FakeDiscount) {
  return {
    __typename: "DiscountAutomaticApp",
    discountId: gid("DiscountAutomaticNode", d.id),
    title: d.title,
    status: d.status,
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    discountClasses: d.discountClasses ?? [],
  };
}

function codeNode(d: FakeDiscount) {
  return {
    __typename: "DiscountCodeNode",
    id: gid("DiscountCodeNode", d.id),
    codeDiscount: { __typename: "DiscountCodeBasic", title: d.title, status: d.status, endsAt: d.endsAt },
  };
}

interface MetafieldInput {
  namespace?: string;
  key?: string;
  type?: string;
  value?: string;
}

function applyMetafields(d: FakeDiscount, inputs: MetafieldInput[] | undefined, errors: UserError[]) {
  for (const [i, m] of (inputs ?? []).entries()) {
    if (!m.key || m.value === undefined) {
      errors.push({ field: ["metafields", String(i)], message: "Metafield key and value are required", code: "BLANK" });
      continue;
    }
    if (m.type === "json") {
      try {
        JSON.parse(m.value);
      } catch {
        errors.push({ field: ["metafields", String(i), "value"], message: "Value is invalid JSON", code: "INVALID" });
        continue;
      }
    }
    const k = `${m.namespace ?? "$app"}.${m.key}`;
    d.metafields[k] = { type: m.type ?? d.metafields[k]?.type ?? "json", value: m.value };
  }
}

function appInputErrors(input: Record<string, unknown>, creating: boolean, ctx: Ctx): UserError[] {
  const errors: UserError[] = [];
  if (creating && !input.title)
    errors.push({ field: ["automaticAppDiscount", "title"], message: "Title can't be blank" });
  if (creating && !input.startsAt)
    errors.push({ field: ["automaticAppDiscount", "startsAt"], message: "Starts at can't be blank" });
  if (creating || input.functionHandle !== undefined) {
    if (!state(ctx).functionHandles.includes(String(input.functionHandle)))
      errors.push({
        field: ["automaticAppDiscount", "functionHandle"],
        message: `Function ${String(input.functionHandle)} not found.`,
        code: "INVALID",
      });
  }
  if (creating && !(input.discountClasses as string[] | undefined)?.length)
    errors.push({ field: ["automaticAppDiscount", "discountClasses"], message: "Discount classes can't be blank" });
  return errors;
}

/** Logs an accepted native automatic discount call and answers it. */
function recordBasic(ctx: Ctx, operation: string, d: FakeDiscount) {
  const detail = { id: gid("DiscountAutomaticNode", d.id), title: d.title, percentage: d.percentage };
  state(ctx).record(operation, { ...detail, segmentIds: d.segmentIds });
  return { automaticDiscountNode: automaticNode(d), userErrors: [] };
}

const basicPercentage = (input: Record<string, unknown>) =>
  (input.customerGets as { value?: { percentage?: number } } | undefined)?.value?.percentage;

function basicInputErrors(input: Record<string, unknown>, creating: boolean): UserError[] {
  const errors: UserError[] = [];
  const f = (k: string) => ["automaticBasicDiscount", k];
  if (creating && !input.title) errors.push({ field: f("title"), message: "Title can't be blank", code: "BLANK" });
  if (creating && !input.startsAt)
    errors.push({ field: f("startsAt"), message: "Starts at can't be blank", code: "BLANK" });
  const pct = basicPercentage(input);
  if ((creating || input.customerGets !== undefined) && (pct === undefined || pct <= 0 || pct > 1))
    errors.push({ field: f("customerGets"), message: "Percentage must be between 0 and 1", code: "INVALID" });
  return errors;
}

/**
 * The segments of `context.customerSegments` applied to `current` (add/remove); every id must be an
 * existing segment, and a context cannot mix segments with customers or all buyers.
 */
function contextSegments(input: Record<string, unknown>, current: number[], errors: UserError[], ctx: Ctx): number[] {
  const context = input.context as
    { customerSegments?: { add?: string[]; remove?: string[] }; customers?: unknown; all?: unknown } | undefined;
  if (!context) return current;
  const field = ["automaticBasicDiscount", "context"];
  if (context.customerSegments && (context.customers || context.all))
    errors.push({ field, message: "Only one of all, customers or customerSegments may be given", code: "INVALID" });
  const add = (context.customerSegments?.add ?? []).map(numericId);
  const remove = new Set((context.customerSegments?.remove ?? []).map(numericId));
  for (const id of add)
    if (!state(ctx).segments.has(id))
      errors.push({ field, message: `Customer segment ${id} does not exist`, code: "INVALID" });
  return [...new Set([...current.filter((id) => !remove.has(id)), ...add])];
}

/** Query resolvers (merged into QueryRoot). */
export const actionQueries = {
  segments: (_s: unknown, a: Args, ctx: Ctx) => {
    const name = /^name:'?"?([^'"]+)'?"?$/.exec(String(a.query ?? "").trim())?.[1];
    const all = [...state(ctx).segments.values()].filter((s) => !name || s.name === name);
    const first = (a.first as number | undefined) ?? 50;
    const items = all.slice(0, first);
    return {
      edges: items.map((s) => ({ cursor: String(s.id), node: segmentView(s) })),
      nodes: items.map(segmentView),
      pageInfo: { hasNextPage: all.length > first, hasPreviousPage: false, startCursor: null, endCursor: null },
    };
  },
  segment: (_s: unknown, a: Args, ctx: Ctx) => {
    const s = state(ctx).segments.get(numericId(a.id));
    return s ? segmentView(s) : null;
  },
  codeDiscountNodeByCode: (_s: unknown, a: Args, ctx: Ctx) => {
    const code = String(a.code).toLowerCase();
    const d = [...state(ctx).discounts.values()].find((x) => x.code?.toLowerCase() === code);
    return d ? codeNode(d) : null;
  },
  automaticDiscountNode: (_s: unknown, a: Args, ctx: Ctx) => {
    const d = state(ctx).discounts.get(numericId(a.id));
    return d && d.kind !== "code_basic" ? automaticNode(d) : null;
  },
};

/** Mutation resolvers (merged into Mutation). */
export const actionMutations = {
  segmentCreate: (_s: unknown, a: Args, ctx: Ctx) => {
    const name = String(a.name).trim();
    const query = String(a.query);
    if (!name) return { segment: null, userErrors: [{ field: ["name"], message: "Name can't be blank" }] };
    if ([...state(ctx).segments.values()].some((s) => s.name === name))
      return { segment: null, userErrors: [{ field: ["name"], message: "Name has already been taken" }] };
    const qErr = segmentQueryError(query);
    if (qErr) return { segment: null, userErrors: [{ field: ["query"], message: qErr }] };
    const seg: FakeSegment = { id: ctx.store.nextId(), name, query, createdAt: ctx.store.tick() };
    state(ctx).segments.set(seg.id, seg);
    state(ctx).record("segmentCreate", { id: gid("Segment", seg.id), name, query });
    return { segment: segmentView(seg), userErrors: [] };
  },
  segmentUpdate: (_s: unknown, a: Args, ctx: Ctx) => {
    const seg = state(ctx).segments.get(numericId(a.id));
    if (!seg) return { segment: null, userErrors: [{ field: ["id"], message: "Segment does not exist" }] };
    if (a.name != null) {
      const name = String(a.name).trim();
      if ([...state(ctx).segments.values()].some((s) => s.name === name && s.id !== seg.id))
        return { segment: null, userErrors: [{ field: ["name"], message: "Name has already been taken" }] };
      seg.name = name;
    }
    if (a.query != null) {
      const qErr = segmentQueryError(String(a.query));
      if (qErr) return { segment: null, userErrors: [{ field: ["query"], message: qErr }] };
      seg.query = String(a.query);
    }
    seg.updatedAt = ctx.store.tick();
    state(ctx).record("segmentUpdate", { id: gid("Segment", seg.id), name: seg.name, query: seg.query });
    return { segment: segmentView(seg), userErrors: [] };
  },
  segmentDelete: (_s: unknown, a: Args, ctx: Ctx) => {
    const id = numericId(a.id);
    if (!state(ctx).segments.delete(id))
      return { deletedSegmentId: null, userErrors: [{ field: ["id"], message: "Segment does not exist" }] };
    state(ctx).record("segmentDelete", { id: gid("Segment", id) });
    return { deletedSegmentId: gid("Segment", id), userErrors: [] };
  },
  flowTriggerReceive: (_s: unknown, a: Args, ctx: Ctx) => {
    if (a.body != null)
      throw new GraphQLError("fake Admin API: flowTriggerReceive(body:) is deprecated; use handle/payload");
    const handle = String(a.handle ?? "");
    const spec = state(ctx).flowTriggers.find((t) => t.handle === handle);
    if (!spec) return { userErrors: [{ field: ["handle"], message: `Trigger ${handle} not found` }] };
    const payload = (a.payload ?? {}) as Record<string, unknown>;
    const errors: UserError[] = [];
    if (JSON.stringify(payload).length > FLOW_PAYLOAD_MAX_BYTES)
      errors.push({ field: ["payload"], message: `Payload exceeds ${FLOW_PAYLOAD_MAX_BYTES} bytes` });
    const expected = [...(spec.customerReference ? ["customer_id"] : []), ...spec.keys];
    for (const k of expected) if (!(k in payload)) errors.push({ field: ["payload", k], message: `Missing ${k}` });
    for (const k of Object.keys(payload))
      if (!expected.includes(k)) errors.push({ field: ["payload", k], message: `Unknown field ${k}` });
    if (spec.customerReference && !ctx.store.customers.has(Number(payload.customer_id)))
      errors.push({ field: ["payload", "customer_id"], message: "Customer not found" });
    if (errors.length) return { userErrors: errors };
    state(ctx).flowEvents.push({ handle, payload });
    state(ctx).record("flowTriggerReceive", { handle, payload });
    return { userErrors: [] };
  },
  discountAutomaticAppCreate: (_s: unknown, a: Args, ctx: Ctx) => {
    const input = a.automaticAppDiscount as Record<string, unknown>;
    const errors = appInputErrors(input, true, ctx);
    const d: FakeDiscount = {
      id: ctx.store.nextId(),
      kind: "automatic_app",
      title: String(input.title ?? ""),
      status: "ACTIVE",
      startsAt: String(input.startsAt ?? ""),
      endsAt: (input.endsAt as string | null | undefined) ?? null,
      functionHandle: String(input.functionHandle),
      discountClasses: (input.discountClasses as string[] | undefined) ?? [],
      metafields: {},
    };
    applyMetafields(d, input.metafields as MetafieldInput[] | undefined, errors);
    if (errors.length) return { automaticAppDiscount: null, userErrors: errors };
    state(ctx).discounts.set(d.id, d);
    state(ctx).record("discountAutomaticAppCreate", {
      id: gid("DiscountAutomaticNode", d.id),
      title: d.title,
      metafields: d.metafields,
    });
    return { automaticAppDiscount: automaticAppView(d), userErrors: [] };
  },
  discountAutomaticAppUpdate: (_s: unknown, a: Args, ctx: Ctx) => {
    const d = state(ctx).discounts.get(numericId(a.id));
    if (!d || d.kind !== "automatic_app")
      return { automaticAppDiscount: null, userErrors: [{ field: ["id"], message: "Discount does not exist" }] };
    const input = a.automaticAppDiscount as Record<string, unknown>;
    const errors = appInputErrors(input, false, ctx);
    const next = { ...d, metafields: { ...d.metafields } };
    if (input.title != null) next.title = String(input.title);
    if (input.discountClasses != null) next.discountClasses = input.discountClasses as string[];
    applyMetafields(next, input.metafields as MetafieldInput[] | undefined, errors);
    if (errors.length) return { automaticAppDiscount: null, userErrors: errors };
    state(ctx).discounts.set(d.id, next);
    state(ctx).record("discountAutomaticAppUpdate", {
      id: gid("DiscountAutomaticNode", d.id),
      metafields: next.metafields,
    });
    return { automaticAppDiscount: automaticAppView(next), userErrors: [] };
  },
  discountAutomaticActivate: (_s: unknown, a: Args, ctx: Ctx) => setAutomaticStatus(a, ctx, "ACTIVE"),
  discountAutomaticDeactivate: (_s: unknown, a: Args, ctx: Ctx) => setAutomaticStatus(a, ctx, "EXPIRED"),
  discountAutomaticBasicCreate: (_s: unknown, a: Args, ctx: Ctx) => {
    const input = a.automaticBasicDiscount as Record<string, unknown>;
    const errors = basicInputErrors(input, true);
    const segmentIds = contextSegments(input, [], errors, ctx);
    if (errors.length) return { automaticDiscountNode: null, userErrors: errors };
    const d: FakeDiscount = {
      id: ctx.store.nextId(),
      kind: "automatic_basic",
      title: String(input.title),
      status: "ACTIVE",
      startsAt: String(input.startsAt),
      endsAt: (input.endsAt as string | null | undefined) ?? null,
      percentage: basicPercentage(input)!,
      segmentIds,
      metafields: {},
    };
    state(ctx).discounts.set(d.id, d);
    return recordBasic(ctx, "discountAutomaticBasicCreate", d);
  },
  discountAutomaticBasicUpdate: (_s: unknown, a: Args, ctx: Ctx) => {
    const d = state(ctx).discounts.get(numericId(a.id));
    if (!d || d.kind !== "automatic_basic")
      return { automaticDiscountNode: null, userErrors: [{ field: ["id"], message: "Discount does not exist" }] };
    const input = a.automaticBasicDiscount as Record<string, unknown>;
    const errors = basicInputErrors(input, false);
    const segmentIds = contextSegments(input, d.segmentIds ?? [], errors, ctx);
    if (errors.length) return { automaticDiscountNode: null, userErrors: errors };
    if (input.title != null) d.title = String(input.title);
    d.percentage = basicPercentage(input) ?? d.percentage;
    d.segmentIds = segmentIds;
    return recordBasic(ctx, "discountAutomaticBasicUpdate", d);
  },
  discountCodeBasicCreate: (_s: unknown, a: Args, ctx: Ctx) => {
    const input = a.basicCodeDiscount as Record<string, unknown>;
    const errors: UserError[] = [];
    const f = (k: string) => ["basicCodeDiscount", k];
    const code = String(input.code ?? "").trim();
    if (!code) errors.push({ field: f("code"), message: "Code can't be blank", code: "BLANK" });
    else if ([...state(ctx).discounts.values()].some((d) => d.code?.toLowerCase() === code.toLowerCase()))
      errors.push({ field: f("code"), message: "Code must be unique. Please try a different code.", code: "TAKEN" });
    if (!input.title) errors.push({ field: f("title"), message: "Title can't be blank", code: "BLANK" });
    if (!input.startsAt) errors.push({ field: f("startsAt"), message: "Starts at can't be blank", code: "BLANK" });
    if (input.endsAt && input.startsAt && new Date(String(input.endsAt)) <= new Date(String(input.startsAt)))
      errors.push({ field: f("endsAt"), message: "Ends at needs to be after starts_at", code: "INVALID" });
    const gets = input.customerGets as { value?: { percentage?: number }; items?: { all?: boolean } } | undefined;
    const pct = gets?.value?.percentage;
    if (pct === undefined || pct <= 0 || pct > 1)
      errors.push({ field: f("customerGets"), message: "Percentage must be between 0 and 1", code: "INVALID" });
    const context = input.context as { customers?: { add?: string[] } } | undefined;
    const customerIds = (context?.customers?.add ?? []).map(numericId);
    for (const id of customerIds)
      if (!ctx.store.customers.has(id))
        errors.push({ field: f("context"), message: `Customer ${id} does not exist`, code: "INVALID" });
    if (errors.length) return { codeDiscountNode: null, userErrors: errors };
    const d: FakeDiscount = {
      id: ctx.store.nextId(),
      kind: "code_basic",
      title: String(input.title),
      status: "ACTIVE",
      startsAt: String(input.startsAt),
      endsAt: (input.endsAt as string | undefined) ?? null,
      code,
      percentage: pct,
      customerIds,
      usageLimit: (input.usageLimit as number | undefined) ?? null,
      appliesOncePerCustomer: Boolean(input.appliesOncePerCustomer),
      metafields: {},
    };
    state(ctx).discounts.set(d.id, d);
    state(ctx).record("discountCodeBasicCreate", {
      id: gid("DiscountCodeNode", d.id),
      code,
      customerIds,
      percentage: pct,
      endsAt: d.endsAt,
    });
    return { codeDiscountNode: codeNode(d), userErrors: [] };
  },
};

function setAutomaticStatus(a: Args, ctx: Ctx, status: FakeDiscount["status"]) {
  const d = state(ctx).discounts.get(numericId(a.id));
  if (!d || d.kind === "code_basic")
    return { automaticDiscountNode: null, userErrors: [{ field: ["id"], message: "Discount does not exist" }] };
  d.status = status;
  state(ctx).record(status === "ACTIVE" ? "discountAutomaticActivate" : "discountAutomaticDeactivate", {
    id: gid("DiscountAutomaticNode", d.id),
  });
  return { automaticDiscountNode: automaticNode(d), userErrors: [] };
}

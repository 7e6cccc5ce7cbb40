/**
 * shopify.app.toml requests exactly the access scopes the app's Admin GraphQL documents need. Every
 * root field the app sends (static documents in app/, the sync documents and the run-time builders)
 * must be in ROOT_FIELD_SCOPES (a new field fails until its scope is stated); the scopes they need,
 * with a write scope standing for its read scope, must equal the TOML's (and the env default's).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Kind, parse, type DocumentNode } from "graphql";
import { describe, expect, it } from "vitest";
import { codeCreateBatchDocument, flowTriggerBatchDocument } from "~/actions/documents";
import { tagMutationDocument } from "~/shopify/tag-mutations";
import { SYNC_DOCUMENTS } from "~/sync/queries";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Scopes each root field needs (as this app uses it: customer tags and metafields, discounts by code). */
const ROOT_FIELD_SCOPES: Record<string, string[]> = {
  shop: [],
  // The lifecycle's shop facts read the primary locale.
  shopLocales: ["read_locales"],
  customers: ["read_customers"],
  customer: ["read_customers"],
  customersCount: ["read_customers"],
  // The app reads the whole order history (backfill), older than 60 days included.
  orders: ["read_orders", "read_all_orders"],
  order: ["read_orders"],
  ordersCount: ["read_orders"],
  node: [],
  nodes: [],
  bulkOperation: [],
  bulkOperations: [],
  currentBulkOperation: [],
  bulkOperationRunQuery: [],
  bulkOperationCancel: [],
  bulkOperationRunMutation: [],
  stagedUploadsCreate: [],
  tagsAdd: ["write_customers"],
  tagsRemove: ["write_customers"],
  metafieldsSet: ["write_customers"],
  segments: ["read_customers"],
  segment: ["read_customers"],
  segmentCreate: ["write_customers"],
  segmentUpdate: ["write_customers"],
  segmentDelete: ["write_customers"],
  // Its triggers carry a customer reference.
  flowTriggerReceive: ["read_customers"],
  discountAutomaticAppCreate: ["write_discounts"],
  discountAutomaticAppUpdate: ["write_discounts"],
  discountAutomaticBasicCreate: ["write_discounts"],
  discountAutomaticBasicUpdate: ["write_discounts"],
  discountAutomaticActivate: ["write_discounts"],
  discountAutomaticDeactivate: ["write_discounts"],
  discountCodeBasicCreate: ["write_discounts"],
  codeDiscountNodeByCode: ["read_discounts"],
  // Billing API: the app's own installation and subscriptions need no access scope.
  currentAppInstallation: [],
  appSubscriptionCreate: [],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|tsx)$/.test(name) && !/\.(test\.tsx?|d\.ts)$/.test(name) ? [p] : [];
  });
}

function documents(): DocumentNode[] {
  const docs: DocumentNode[] = [];
  for (const f of sourceFiles(path.join(root, "app"))) {
    for (const m of readFileSync(f, "utf8").matchAll(/`((?:[^`\\]|\\.)*)`/gs)) {
      const text = m[1]!.replace(/^\s*#graphql\b/, ""); // codegen marker (.graphqlrc.ts)
      if (text.includes("${") || !/^\s*(query|mutation)\b[^`]*\{/.test(text)) continue;
      try {
        docs.push(parse(text));
      } catch {
        /* not GraphQL */
      }
    }
  }
  for (const text of Object.values(SYNC_DOCUMENTS)) docs.push(parse(text));
  docs.push(parse(tagMutationDocument([{ id: "1", add: ["a"], remove: ["b"] }]).query));
  docs.push(parse(codeCreateBatchDocument([{}]).query));
  docs.push(parse(flowTriggerBatchDocument([{ handle: "h", payload: {} }]).query));
  return docs;
}

function rootFields(docs: DocumentNode[]): Set<string> {
  const out = new Set<string>();
  for (const d of docs)
    for (const def of d.definitions)
      if (def.kind === Kind.OPERATION_DEFINITION)
        for (const sel of def.selectionSet.selections) if (sel.kind === Kind.FIELD) out.add(sel.name.value);
  return out;
}

/** A write scope includes its read scope. */
function normalise(scopes: Iterable<string>): string[] {
  const set = new Set([...scopes].map((s) => s.trim()).filter(Boolean));
  for (const s of [...set]) if (s.startsWith("write_")) set.delete(`read_${s.slice(6)}`);
  return [...set].sort();
}

function tomlScopes(): string[] {
  const toml = readFileSync(path.join(root, "shopify.app.toml"), "utf8");
  const m = /\[access_scopes\][^[]*?scopes\s*=\s*"([^"]*)"/s.exec(toml);
  if (!m) throw new Error("shopify.app.toml has no [access_scopes] scopes");
  return m[1]!.split(",");
}

describe("access scopes", () => {
  const fields = rootFields(documents());

  it("every root field the app sends has its scopes stated", () => {
    expect([...fields].filter((f) => !(f in ROOT_FIELD_SCOPES))).toEqual([]);
    expect(fields.size).toBeGreaterThan(20);
  });

  it("shopify.app.toml requests exactly what those fields need", () => {
    const needed = normalise([...fields].flatMap((f) => ROOT_FIELD_SCOPES[f] ?? []));
    expect(normalise(tomlScopes())).toEqual(needed);
  });

  it("the SCOPES default in env.server.ts equals the TOML's", () => {
    const env = readFileSync(path.join(root, "app/env.server.ts"), "utf8");
    const m = /DEFAULT_SCOPES\s*=\s*"([^"]*)"/.exec(env);
    expect(m && normalise(m[1]!.split(","))).toEqual(normalise(tomlScopes()));
  });

  it("the comparison can fail (a missing scope is noticed)", () => {
    expect(normalise(["read_customers", "write_discounts"])).not.toEqual(normalise(tomlScopes()));
  });
});

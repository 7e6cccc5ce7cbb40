/**
 * The vendored Shopify Admin GraphQL schema (API 2026-07, from @shopify/dev-mcp@1.16.0, stored in
 * test/fixtures/shopify/) built once per process with graphql-js `buildClientSchema`, plus a
 * `validateDocument` helper used by the fake Admin API and by the "every document in app/ is valid" test.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import {
  buildClientSchema,
  parse,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type IntrospectionQuery,
} from "graphql";

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/shopify");
const cache = new Map<string, GraphQLSchema>();

/** Loads (once) the schema from `test/fixtures/shopify/<name>.json.gz`. Default: the Admin API 2026-07. */
export function loadSchema(name = "admin_2026-07"): GraphQLSchema {
  let schema = cache.get(name);
  if (!schema) {
    const json = JSON.parse(gunzipSync(readFileSync(path.join(fixtures, `${name}.json.gz`))).toString("utf8")) as {
      data: IntrospectionQuery;
    };
    schema = buildClientSchema(json.data);
    cache.set(name, schema);
  }
  return schema;
}

/** Result of validating one document: the parsed AST (when it parses) and every error. */
export interface DocumentValidation {
  document?: DocumentNode;
  errors: readonly GraphQLError[];
}

/** Parses and validates a GraphQL document against a schema (syntax errors are returned, not thrown). */
export function validateDocument(source: string, schema: GraphQLSchema = loadSchema()): DocumentValidation {
  let document: DocumentNode;
  try {
    document = parse(source);
  } catch (e) {
    return { errors: [e as GraphQLError] };
  }
  return { document, errors: validate(schema, document) };
}

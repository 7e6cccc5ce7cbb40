#!/usr/bin/env node
// Writes app/types/admin-2026-07.schema.json from the vendored Admin API schema
// (test/fixtures/shopify/admin_2026-07.json.gz), so `graphql-codegen` (.graphqlrc.ts) runs offline:
// @shopify/api-codegen-preset uses that file when it exists instead of downloading Shopify's schema.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "app", "types", "admin-2026-07.schema.json");
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, gunzipSync(readFileSync(path.join(root, "test", "fixtures", "shopify", "admin_2026-07.json.gz"))));
console.log(`wrote ${path.relative(root, out)}`);

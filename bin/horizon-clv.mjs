#!/usr/bin/env node
// CLI entry: loads the TypeScript sources through tsx so `npx horizon-clv` works right after
// `npm install` with no build step.
import { register } from "tsx/esm/api";
register();
const { main } = await import("../app/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));

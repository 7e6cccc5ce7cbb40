/**
 * Runs the fake Admin API standalone (demo, manual testing):
 *   npx tsx test/fake-admin/cli.ts [--orders 10000] [--customers 2500] [--seed 42] [--port 0]
 *     [--log path/to/transactions.txt] [--webhooks http://127.0.0.1:3000 --secret S] [--token T]
 *     [--bucket 1000 --restore 50]
 * Prints one JSON line {"url","graphqlUrl","accessToken","shop","orders","customers"} once listening.
 */
import { readFileSync } from "node:fs";
import { generateStore, parseTransactionLog, storeFromTransactions } from "./generate";
import { startFakeAdmin } from "./server";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const num = (name: string, d: number) => {
  const v = arg(name);
  if (v === undefined) return d;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number, got "${v}"`);
  return n;
};

const logFile = arg("log");
const store = logFile
  ? storeFromTransactions(parseTransactionLog(readFileSync(logFile, "utf8")))
  : generateStore({ seed: num("seed", 42), orders: num("orders", 10_000), customers: num("customers", 2500) });
const webhooks = arg("webhooks");
const fake = await startFakeAdmin({
  store,
  port: num("port", 0),
  accessToken: arg("token"),
  bucket: { maximumAvailable: num("bucket", 1000), restoreRate: num("restore", 50) },
  webhooks: webhooks ? { baseUrl: webhooks, secret: arg("secret") ?? "horizon-dev-secret" } : undefined,
});
process.stdout.write(
  `${JSON.stringify({ url: fake.url, graphqlUrl: fake.graphqlUrl, accessToken: fake.accessToken, shop: store.shop.domain, orders: store.orders.size, customers: store.customers.size })}\n`,
);
const stop = async () => {
  await fake.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());

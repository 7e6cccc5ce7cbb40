/**
 * Child process for the kill -9 resume test: runs the backfill of an existing run against the fake
 * Admin API and prints every committed checkpoint ("checkpoint <phase> <line>") so the parent can
 * SIGKILL it mid-import. Usage: tsx backfill-child.ts <dbUrl> <shop> <runId> <graphqlUrl> <token>
 */
import { openDb } from "~/db/connect.server";
import { createAdminGraphql } from "~/shopify/admin-client.server";
import { fetchTransport } from "~/shopify/transports.server";
import { advanceBackfill } from "~/sync/backfill.server";

const [dbUrl, shop, runId, graphqlUrl, token] = process.argv.slice(2);
if (!dbUrl || !shop || !runId || !graphqlUrl || !token)
  throw new Error("usage: backfill-child.ts <dbUrl> <shop> <runId> <graphqlUrl> <token>");
const h = await openDb(dbUrl);
const admin = createAdminGraphql({ transport: fetchTransport({ shop, accessToken: token, endpoint: graphqlUrl }) });
for (;;) {
  const r = await advanceBackfill(
    {
      db: h.db,
      admin,
      batchSize: 250,
      onCheckpoint: (i) => void process.stdout.write(`checkpoint ${i.phase} ${i.line}\n`),
    },
    shop,
    Number(runId),
  );
  if (r.state !== "waiting") {
    process.stdout.write(`done ${r.state}\n`);
    break;
  }
  await new Promise((res) => setTimeout(res, 100));
}
await h.close();

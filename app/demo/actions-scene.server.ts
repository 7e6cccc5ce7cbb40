/**
 * The demo's actions scene (issue 10), run once the lifecycle reports the demo store ready: from
 * tier to action end to end against the local Admin API, through the app's own entry points.
 *
 *   1. The merchant switches on Segments, Flow triggers and Tier discounts (what the Settings form
 *      saves; the lifecycle rescores everyone) → the post-scoring "actions" step creates the tier
 *      segments, the at-risk segment and the tier discount.
 *   2. A Flow workflow using "Customer CLV tier changed" is enabled: Flow's lifecycle callback is
 *      posted, signed, to the app's /flow/lifecycle route.
 *   3. A few customers place large orders, delivered as signed `orders/create` webhooks; the
 *      lifecycle's incremental rescoring (RESCORE_DEBOUNCE_MS after the last one) moves them up a
 *      tier and the actions step fires one "Customer CLV tier changed" trigger per changed customer.
 *   4. A retention campaign for the at-risk customers with the highest past spend, through the
 *      Offers page's form handler; the campaign job creates one single-use code per customer.
 *
 * Everything it prints is read back from what the local Admin API accepted (`store.actions.log`).
 * Used by app/demo/run.server.ts (after "ready"); test/browser/offers.test.ts runs it on a 400-customer demo.
 */
import { signWebhookBody, createWebhookSender, type FakeAdmin } from "@horizon/fake-admin";
import { handleOffersForm } from "~/actions/offers-page.server";
import { TIER_CHANGED_TRIGGER } from "~/actions/flow-changes";
import { dbHandle, type Db } from "~/db.server";
import { DbJobQueue } from "~/jobs/db-queue.server";
import { onSettingsChanged } from "~/lifecycle/chain.server";
import { getLifecycleStatus, type StepStatus } from "~/lifecycle/status.server";
import { campaignSummaries } from "~/models/offers.server";
import { findPredictions } from "~/models/predictions.server";
import { getSettings, saveSettings } from "~/settings/shop-settings.server";

/** What the scene needs: the app's database, the running app and the local Admin API. */
export interface ActionsSceneOptions {
  db: Db;
  /** The database's provider (default: the app's database, ~/db.server). */
  provider?: "sqlite" | "postgresql";
  shop: string;
  /** Base URL of the running app (webhooks and Flow callbacks are posted there). */
  appUrl: string;
  /** The app's client secret (signs webhooks and Flow requests, as Shopify does). */
  secret: string;
  fake: Pick<FakeAdmin, "store">;
  /** Customers who place a large order (default 5). */
  buyers?: number;
  /** Size of the retention campaign (default 25). */
  campaignSize?: number;
  /** Bound on each wait for the lifecycle, ms (default 5 min). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** What happened, for the demo log and tests. */
export interface ActionsSceneReport {
  segments: Array<{ name: string; query: string }>;
  tierDiscount: { title: string; config: unknown } | null;
  /** Customers who ordered, with the tier before and after the rescore. */
  buyers: Array<{ customerId: string; before: string; after: string }>;
  /** flowTriggerReceive calls accepted by the Admin API during the scene. */
  flowTriggers: Array<{ handle: string; payload: Record<string, unknown> }>;
  campaign: {
    id: number;
    message: string;
    codes: number;
    status: string;
    sample: Array<{ code: string; customerIds: number[] }>;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`demo actions scene: timed out waiting for ${what}`);
    await sleep(250);
  }
}

const later = (a: string | null | undefined, than: number) => !!a && new Date(a).getTime() > than;

/** Waits until `step` and every post-scoring step after it finished after `since` with nothing queued. */
async function lifecycleSettled(db: Db, shop: string, since: number, step: string, timeoutMs: number) {
  return until(`the lifecycle (${step} → actions)`, timeoutMs, async () => {
    const st = await getLifecycleStatus(db, shop);
    const by = (n: string) => st.steps.find((s) => s.step === n);
    const failed = st.steps.find((s) => s.status === "failed" && later(s.lastFinishedAt, since));
    if (failed) throw new Error(`lifecycle step ${failed.step} failed: ${failed.lastError ?? "unknown error"}`);
    const chain = [by(step), by("writeback"), by("actions")] as Array<StepStatus | undefined>;
    const idle = chain.every((s) => s && s.status === "done" && !s.nextRunAt && later(s.lastFinishedAt, since));
    return idle && chain.every((s, i) => i === 0 || s!.lastFinishedAt! >= chain[i - 1]!.lastFinishedAt!) && st;
  });
}

/** Runs the scene; `log` receives one line per event (default console.log with a [demo] prefix). */
export async function runActionsScene(o: ActionsSceneOptions): Promise<ActionsSceneReport> {
  const log = o.log ?? ((l: string) => console.log(`[demo] ${l}`));
  const timeoutMs = o.timeoutMs ?? 5 * 60_000;
  const actions = o.fake.store.actions;
  const queue = new DbJobQueue(o.db, o.provider ?? dbHandle.provider);
  const logFrom = (seq: number, op: string) => actions.calls(op).filter((e) => e.seq > seq);

  // 1. Switches on, as saved by the Settings form; the lifecycle rescores and runs the actions.
  let mark = actions.log.at(-1)?.seq ?? 0;
  let since = Date.now();
  const settings = await getSettings(o.db, o.shop);
  await saveSettings(o.db, o.shop, {
    ...settings,
    automations: { ...settings.automations, segments: true, flow: true, discounts: true },
  });
  await onSettingsChanged(o.db, queue, o.shop);
  log("actions: Settings → Segments, Shopify Flow triggers and Tier discounts switched on; rescoring …");
  await lifecycleSettled(o.db, o.shop, since, "scoring", timeoutMs);
  const segments = logFrom(mark, "segmentCreate").map((e) => ({
    name: String(e.detail.name),
    query: String(e.detail.query),
  }));
  for (const s of segments) log(`actions: Admin API segmentCreate "${s.name}" (${s.query})`);
  const discount = logFrom(mark, "discountAutomaticAppCreate").at(-1);
  const config = discount
    ? JSON.parse(
        (discount.detail.metafields as Record<string, { value: string }>)["$app.function-configuration"]?.value ??
          "null",
      )
    : null;
  if (discount)
    log(
      `actions: Admin API discountAutomaticAppCreate "${String(discount.detail.title)}" (discount Function, ` +
        `rules ${JSON.stringify(config?.rules ?? [])})`,
    );

  // 2. A workflow using the tier-changed trigger is switched on in Flow: its lifecycle callback.
  const callback = JSON.stringify({
    flow_trigger_definition_id: TIER_CHANGED_TRIGGER,
    has_enabled_flow: true,
    shopify_domain: o.shop,
    timestamp: new Date().toISOString(),
  });
  const res = await fetch(new URL("/flow/lifecycle", o.appUrl), {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-hmac-sha256": signWebhookBody(callback, o.secret) },
    body: callback,
  });
  if (!res.ok) throw new Error(`demo actions scene: /flow/lifecycle answered ${res.status}`);
  log(`actions: Flow lifecycle callback → "${TIER_CHANGED_TRIGGER}" is used by an enabled workflow`);

  // 3. Large orders for the customers at the top of the second tier, by signed webhook.
  const tiers = (await getSettings(o.db, o.shop)).tierRules.map((t) => t.name);
  const from = tiers[Math.min(1, tiers.length - 1)]!;
  const picked = await findPredictions(o.db, o.shop, {
    where: { tier: from },
    orderBy: [{ clv: "desc" }, { customerId: "asc" }],
    take: o.buyers ?? 5,
    select: { customerId: true, tier: true },
  });
  if (!picked.length) throw new Error(`demo actions scene: no customer in tier ${from}`);
  mark = actions.log.at(-1)?.seq ?? 0;
  since = Date.now();
  // Orders placed now: scoring counts whole days up to the end of today (scoringInstant), so the
  // incremental rescore after the debounce sees them.
  const placedAt = new Date();
  const events = picked.flatMap(
    (p, i) =>
      o.fake.store.createOrder({
        customerId: Number(p.customerId),
        createdAt: placedAt,
        processedAt: placedAt,
        lineItems: [
          {
            id: o.fake.store.nextId(),
            productId: 9_900_001 + i,
            title: "Demo gift box",
            quantity: 1,
            unitPriceCents: 45_000,
          },
        ],
      }).events,
  );
  const report = await createWebhookSender({ baseUrl: o.appUrl, secret: o.secret }).deliverAll(events);
  if (report.unacknowledged.length)
    throw new Error(`demo actions scene: ${report.unacknowledged.length} webhooks were not acknowledged`);
  log(
    `actions: ${picked.length} ${from} customers ordered $450 each late yesterday (${events.length} signed webhooks ` +
      "acknowledged); " +
      "waiting for the incremental rescoring …",
  );
  await lifecycleSettled(o.db, o.shop, since, "rescore", timeoutMs);
  const after = new Map(
    (
      await findPredictions(o.db, o.shop, {
        where: { customerId: { in: picked.map((p) => p.customerId) } },
        orderBy: [{ customerId: "asc" }],
        take: picked.length,
        select: { customerId: true, tier: true },
      })
    ).map((p) => [p.customerId, p.tier]),
  );
  const buyers = picked.map((p) => ({
    customerId: p.customerId,
    before: p.tier,
    after: after.get(p.customerId) ?? "?",
  }));
  const flowTriggers = logFrom(mark, "flowTriggerReceive").map((e) => ({
    handle: String(e.detail.handle),
    payload: e.detail.payload as Record<string, unknown>,
  }));
  const moved = buyers.filter((b) => b.before !== b.after).length;
  log(`actions: ${moved} of ${buyers.length} customers changed tier → ${flowTriggers.length} Flow triggers`);
  for (const f of flowTriggers)
    log(
      `actions: Admin API flowTriggerReceive ${f.handle} customer ${String(f.payload.customer_id)}: ` +
        `${String(f.payload["old tier"])} → ${String(f.payload["new tier"])}, predicted CLV ${String(f.payload["predicted clv"])}`,
    );

  // 4. A retention campaign for the most valuable at-risk customers, as the Offers page submits it.
  mark = actions.log.at(-1)?.seq ?? 0;
  const form = new FormData();
  for (const [k, v] of Object.entries({
    intent: "campaign",
    audience: "at-risk",
    limit: String(o.campaignSize ?? 25),
    percentage: "15",
    validDays: "30",
  }))
    form.set(k, v);
  const r = await handleOffersForm(o.db, o.shop, form);
  if (!r.ok) throw new Error(`demo actions scene: campaign refused: ${JSON.stringify(r.errors)}`);
  log(`actions: Offers → ${r.message}`);
  const id = Number(/#(\d+)/.exec(r.message)?.[1]);
  const done = await until("the retention campaign", timeoutMs, async () => {
    const c = (await campaignSummaries(o.db, o.shop)).find((x) => x.id === id);
    if (c?.status === "failed") throw new Error(`retention campaign ${id} failed: ${c.error}`);
    return c?.status === "done" && c;
  });
  const codes = logFrom(mark, "discountCodeBasicCreate");
  const sample = codes
    .slice(0, 3)
    .map((e) => ({ code: String(e.detail.code), customerIds: e.detail.customerIds as number[] }));
  log(
    `actions: Admin API discountCodeBasicCreate × ${codes.length} (one single-use code per customer, 15 % off, ` +
      `30 days), e.g. ${sample.map((s) => `${s.code} → customer ${s.customerIds.join(",")}`).join("; ")}`,
  );
  const result: ActionsSceneReport = {
    segments,
    tierDiscount: discount ? { title: String(discount.detail.title), config } : null,
    buyers,
    flowTriggers,
    campaign: { id, message: r.message, codes: codes.length, status: done.status, sample },
  };
  log(
    `actions: summary ${JSON.stringify({
      segments: segments.length,
      tierDiscount: !!discount,
      movedCustomers: buyers.filter((b) => b.before !== b.after).map((b) => b.customerId),
      tierChangedTriggers: flowTriggers
        .filter((f) => f.handle === TIER_CHANGED_TRIGGER)
        .map((f) => String(f.payload.customer_id)),
      campaignCodes: codes.length,
    })}`,
  );
  return result;
}

/** The demo's entry: runs the scene after "ready"; a failure is printed and the demo keeps serving. */
export async function demoActionsScene(o: ActionsSceneOptions): Promise<void> {
  try {
    await runActionsScene(o);
    console.log("[demo] actions scene done");
  } catch (e) {
    console.error(`[demo] actions scene failed: ${(e as Error).stack ?? String(e)}`);
  }
}

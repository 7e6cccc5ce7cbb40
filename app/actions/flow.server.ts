/**
 * Flow triggers after a scoring: compares the new predictions with each customer's stored tier and
 * at-risk state (flow-changes.ts), stores the new state and queues due events in one transaction
 * (outbox), then sends the queue with `flowTriggerReceive(handle:, payload:)`, FLOW_EVENTS_PER_CALL
 * aliased fields per request (10 cost points each), marking each batch sent once Shopify answered.
 * Events are queued only while the Flow switch is on and only for triggers an enabled workflow uses
 * (lifecycle callbacks, routes/flow.lifecycle.tsx). A job killed between sending and marking resends
 * at most that one batch (Flow deduplicates nothing: documented in docs/decisions/0020-actions.md).
 */
import type { Db } from "~/db.server";
import {
  applyActionStateChanges,
  enabledFlowTriggers,
  listActionPredictions,
  loadCustomerActionStates,
  markFlowEventFailed,
  markFlowEventsSent,
  pendingFlowEvents,
} from "~/models/actions.server";
import type { AdminGraphql } from "~/shopify/admin-client.server";
import type { AliasedPayloads } from "~/shopify/aliased";
import { flowTriggerBatchDocument } from "./documents";
import { diffActionStates, type ActionStateDiff } from "./flow-changes";

/** flowTriggerReceive fields aliased into one request. */
export const FLOW_EVENTS_PER_CALL = 20;

/** Records state changes of the current predictions; queues events when `flowOn`. */
export async function recordActionStates(
  db: Db,
  shop: string,
  flowOn: boolean,
): Promise<ActionStateDiff["counts"] & { queued: number; atRisk: Set<string> }> {
  const [preds, prior, enabled] = await Promise.all([
    listActionPredictions(db, shop),
    loadCustomerActionStates(db, shop),
    enabledFlowTriggers(db, shop),
  ]);
  const diff = diffActionStates(preds, prior, (handle) => flowOn && enabled.has(handle));
  await applyActionStateChanges(db, shop, diff.upserts, diff.events);
  const atRisk = new Set<string>();
  for (const [id, s] of prior) if (s.atRisk) atRisk.add(id);
  for (const u of diff.upserts) {
    if (u.atRisk) atRisk.add(u.customerId);
    else atRisk.delete(u.customerId);
  }
  return { ...diff.counts, queued: diff.events.length, atRisk };
}

/** Sends every queued event; returns how many were sent and how many Shopify rejected. */
export async function sendPendingFlowEvents(
  db: Db,
  admin: AdminGraphql,
  shop: string,
): Promise<{ sent: number; rejected: number; requests: number }> {
  const out = { sent: 0, rejected: 0, requests: 0 };
  for (;;) {
    const batch = await pendingFlowEvents(db, shop, FLOW_EVENTS_PER_CALL);
    if (!batch.length) return out;
    const { query, variables } = flowTriggerBatchDocument(batch);
    const { data } = await admin.requestBuilt<AliasedPayloads>(query, variables);
    out.requests++;
    const ok: number[] = [];
    for (const [i, e] of batch.entries()) {
      const errors = data[`f${i}`]?.userErrors ?? [];
      if (errors.length) {
        await markFlowEventFailed(db, shop, e.id, errors.map((x) => x.message).join("; "));
        out.rejected++;
      } else ok.push(e.id);
    }
    await markFlowEventsSent(db, shop, ok);
    out.sent += ok.length;
  }
}

/**
 * Durable receipt of a verified webhook: in ONE transaction, insert the idempotency-ledger row keyed
 * by (shop, topic, event key) and enqueue its processing job. A duplicate delivery hits the unique key,
 * the transaction rolls back and nothing changes. The stored payload is PII-scrubbed.
 */
import type { Db } from "~/db/connect.server";
import { enqueueJob } from "~/jobs/db-queue.server";

/** Job type that processes one ledger row. */
export const PROCESS_WEBHOOK_JOB = "webhooks.process";

/** A verified delivery to record. */
export interface VerifiedDelivery {
  shop: string;
  topic: string;
  webhookId: string;
  /** X-Shopify-Event-Id when present (shared by duplicates of one event), else the webhook id. */
  eventKey: string;
  triggeredAt: Date | null;
  /** Scrubbed payload JSON. */
  payload: string;
}

/** Outcome of recording a delivery. */
export type IngestResult = { status: "accepted"; deliveryId: number; jobId: number } | { status: "duplicate" };

function isUnique(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: string }).code === "P2002";
}

/** Records a delivery and its processing job atomically; duplicates are a no-op. */
export async function recordDelivery(db: Db, d: VerifiedDelivery): Promise<IngestResult> {
  try {
    return await db.$transaction(async (tx) => {
      const row = await tx.webhookDelivery.create({
        data: {
          shop: d.shop,
          topic: d.topic,
          webhookId: d.webhookId,
          eventKey: d.eventKey,
          triggeredAt: d.triggeredAt,
          payload: d.payload,
        },
        select: { id: true },
      });
      // The delivery id is unique, so no dedupeKey lookup is needed (keeps the hot path short).
      const job = await enqueueJob(tx, d.shop, PROCESS_WEBHOOK_JOB, { deliveryId: row.id }, { maxAttempts: 8 });
      return { status: "accepted" as const, deliveryId: row.id, jobId: job.id };
    });
  } catch (e) {
    if (isUnique(e)) return { status: "duplicate" };
    throw e;
  }
}

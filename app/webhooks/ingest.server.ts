/**
 * Durable receipt of a verified webhook: in ONE transaction, insert the idempotency-ledger row keyed
 * by (shop, topic, event key) and enqueue its processing job. A duplicate delivery hits the unique key,
 * the transaction rolls back and nothing changes. The stored payload is PII-scrubbed.
 */
import type { Db } from "~/db/connect.server";

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

/**
 * Records a delivery and its processing job atomically; duplicates are a no-op. Uses a batch
 * transaction (both INSERTs in one round trip, no interactive transaction): the job references the
 * delivery by its unique key, so it does not need the generated row id.
 */
export async function recordDelivery(db: Db, d: VerifiedDelivery): Promise<IngestResult> {
  const key: DeliveryKey = { topic: d.topic, eventKey: d.eventKey };
  try {
    const [row, job] = await db.$transaction([
      db.webhookDelivery.create({
        data: {
          shop: d.shop,
          topic: d.topic,
          webhookId: d.webhookId,
          eventKey: d.eventKey,
          triggeredAt: d.triggeredAt,
          payload: d.payload,
        },
        select: { id: true },
      }),
      db.job.create({
        data: { shop: d.shop, type: PROCESS_WEBHOOK_JOB, payload: JSON.stringify(key), maxAttempts: 8 },
        select: { id: true },
      }),
    ]);
    return { status: "accepted", deliveryId: row.id, jobId: job.id };
  } catch (e) {
    if (isUnique(e)) return { status: "duplicate" };
    throw e;
  }
}

/** How a processing job names its delivery: (job.shop, topic, eventKey) is the ledger's unique key. */
export interface DeliveryKey {
  topic: string;
  eventKey: string;
}

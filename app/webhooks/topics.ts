/** The webhook topics the app subscribes to (shopify.app.toml), each served at /webhooks/<topic>. */
export const WEBHOOK_TOPICS = [
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "refunds/create",
  "customers/create",
  "customers/update",
  "customers/delete",
  "bulk_operations/finish",
  "app/uninstalled",
  "app/scopes_update",
  "shop/update",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
] as const;

/** One subscribed topic. */
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

/** Mandatory GDPR compliance topics. */
export const COMPLIANCE_TOPICS: readonly WebhookTopic[] = ["customers/data_request", "customers/redact", "shop/redact"];

/** "orders/create" → "ORDERS_CREATE" (the enum form returned by authenticate.webhook). */
export function topicEnum(topic: string): string {
  return topic.toUpperCase().replace(/\//g, "_");
}

/** Request path of a topic's endpoint. */
export function topicPath(topic: WebhookTopic): string {
  return `/webhooks/${topic}`;
}

/** The topic served at a path (undefined when none). */
export function topicForPath(pathname: string): WebhookTopic | undefined {
  const t = pathname.replace(/^\/webhooks\//, "").replace(/\/+$/, "");
  return (WEBHOOK_TOPICS as readonly string[]).includes(t) ? (t as WebhookTopic) : undefined;
}

/** What the webhook edge does with a verified delivery, given the shop's installation state. */
export type Admission = "accept" | "refuse" | "ignore";

/**
 * Deliveries are accepted only for shops with an installation. Exceptions: the compliance topics,
 * which Shopify sends after uninstall (shop/redact ≥ 48 h later) and must always be acknowledged;
 * app/uninstalled repeats after the uninstall (accepted, the handler is idempotent) or after the shop
 * was erased (acknowledged, nothing stored: there is nothing left to act on).
 */
export function admission(topic: WebhookTopic, state: "installed" | "uninstalled" | "none"): Admission {
  if (state === "installed" || COMPLIANCE_TOPICS.includes(topic)) return "accept";
  if (topic === "app/uninstalled") return state === "uninstalled" ? "accept" : "ignore";
  return "refuse";
}

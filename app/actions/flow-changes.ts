/**
 * Which Flow events a rescore causes (pure). A customer's last seen tier and at-risk state are
 * stored; an event is due only when the tier differs ("Customer CLV tier changed") or the customer
 * crosses into at-risk ("Customer became at risk"). A customer seen for the first time sets the
 * baseline without an event; an identical rescore changes nothing and fires nothing.
 * Payload keys are the field keys declared in extensions/clv-tier-changed and
 * extensions/customer-at-risk (the fake Admin API checks them against those TOMLs).
 */
import type { ActionPrediction } from "~/models/actions.server";
import { churnRisk, isAtRisk } from "./at-risk";

/** Flow trigger handles (extensions/<handle>/shopify.extension.toml). */
export const TIER_CHANGED_TRIGGER = "clv-tier-changed";
export const AT_RISK_TRIGGER = "customer-at-risk";
export const FLOW_TRIGGERS = [TIER_CHANGED_TRIGGER, AT_RISK_TRIGGER] as const;
export type FlowTriggerHandle = (typeof FLOW_TRIGGERS)[number];

/** A scored customer as the change detection reads it. */
export type ScoredCustomer = ActionPrediction;

/** The stored state of one customer. */
export interface ActionState {
  tier: string;
  atRisk: boolean;
}

/** A Flow event to send. */
export interface FlowEvent {
  handle: FlowTriggerHandle;
  customerId: string;
  payload: Record<string, unknown>;
}

/** State rows to write and events due. */
export interface ActionStateDiff {
  upserts: Array<{ customerId: string } & ActionState>;
  events: FlowEvent[];
  counts: { tierChanged: number; becameAtRisk: number; baseline: number };
}

const round = (v: number, digits: number) => Number(v.toFixed(digits));

/**
 * Compares the scored customers with their stored state. `fire(handle)` says whether events of a
 * trigger are wanted (the Flow switch is on and an enabled workflow uses it); state is updated
 * either way so switching Flow on later does not replay old changes.
 */
export function diffActionStates(
  scored: Iterable<ScoredCustomer>,
  prior: ReadonlyMap<string, ActionState>,
  fire: (handle: FlowTriggerHandle) => boolean,
): ActionStateDiff {
  const diff: ActionStateDiff = { upserts: [], events: [], counts: { tierChanged: 0, becameAtRisk: 0, baseline: 0 } };
  for (const c of scored) {
    const atRisk = isAtRisk(c);
    const before = prior.get(c.customerId);
    if (!before) {
      diff.upserts.push({ customerId: c.customerId, tier: c.tier, atRisk });
      diff.counts.baseline++;
      continue;
    }
    if (before.tier === c.tier && before.atRisk === atRisk) continue;
    diff.upserts.push({ customerId: c.customerId, tier: c.tier, atRisk });
    const common = { "predicted clv": round(c.clv, 2), "probability alive": round(c.pAlive, 4) };
    if (before.tier !== c.tier) {
      diff.counts.tierChanged++;
      if (fire(TIER_CHANGED_TRIGGER))
        diff.events.push({
          handle: TIER_CHANGED_TRIGGER,
          customerId: c.customerId,
          payload: { customer_id: Number(c.customerId), "old tier": before.tier, "new tier": c.tier, ...common },
        });
    }
    if (!before.atRisk && atRisk) {
      diff.counts.becameAtRisk++;
      if (fire(AT_RISK_TRIGGER))
        diff.events.push({
          handle: AT_RISK_TRIGGER,
          customerId: c.customerId,
          payload: { customer_id: Number(c.customerId), tier: c.tier, "churn risk": round(churnRisk(c), 4), ...common },
        });
    }
  }
  return diff;
}

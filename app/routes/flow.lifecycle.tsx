/**
 * Flow trigger lifecycle callbacks (extensions/flow-trigger-lifecycle): Flow posts
 * `{ flow_trigger_definition_id, has_enabled_flow, shopify_domain, timestamp }` when a shop enables
 * or disables a workflow using one of the app's triggers. Verified like Flow action requests
 * (`authenticate.flow`: HMAC + offline session). Stored per shop and trigger; an older callback
 * never overwrites a newer one. The app fires a trigger only while it is enabled here.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { FLOW_TRIGGERS } from "~/actions/flow-changes";
import prisma from "~/db.server";
import { recordFlowTriggerUsage } from "~/models/actions.server";
import { authenticate } from "~/shopify.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, payload } = await authenticate.flow(request);
  const p = payload as { flow_trigger_definition_id?: unknown; has_enabled_flow?: unknown; timestamp?: unknown };
  const handle = String(p.flow_trigger_definition_id ?? "");
  const at = new Date(String(p.timestamp ?? ""));
  if (!handle || typeof p.has_enabled_flow !== "boolean" || Number.isNaN(at.getTime()))
    return Response.json(
      { error: "expected flow_trigger_definition_id, has_enabled_flow (boolean) and timestamp (ISO 8601)" },
      { status: 400 },
    );
  if (!(FLOW_TRIGGERS as readonly string[]).includes(handle))
    console.warn(`[flow] lifecycle callback for an unknown trigger "${handle}" (${session.shop}); stored as is`);
  const r = await recordFlowTriggerUsage(prisma, session.shop, handle, p.has_enabled_flow, at);
  return Response.json({ ok: true, result: r });
};

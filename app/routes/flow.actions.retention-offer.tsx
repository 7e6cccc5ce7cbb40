/**
 * Runtime URL of the Flow action "Send retention offer" (extensions/send-retention-offer).
 * `authenticate.flow` verifies the HMAC and loads the shop's offline session. Properties:
 * `customer_id` (customer reference), `percentage`, `valid days`. Flow resends a request with the
 * same `action_run_id` when it gets no 200: the campaign is keyed on it, so a resend never makes a
 * second code. Answers 200 on success, 400 for bad properties (Flow marks the step failed).
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { adminPortOf } from "~/actions/remix-admin.server";
import { offerNow } from "~/actions/retention.server";
import prisma from "~/db.server";
import { ValidationError } from "~/models/common.server";
import { authenticate } from "~/shopify.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin, payload } = await authenticate.flow(request);
  const p = payload as { action_run_id?: string; properties?: Record<string, unknown> };
  const props = p.properties ?? {};
  try {
    const r = await offerNow(prisma, adminPortOf(admin), session.shop, {
      audience: "flow",
      target: String(props.customer_id ?? ""),
      percentage: Number(props.percentage),
      validDays: Number(props["valid days"]),
      externalRef: p.action_run_id ? String(p.action_run_id) : null,
    });
    return Response.json({ code: r.code, expiresAt: r.endsAt.toISOString(), repeated: r.existing });
  } catch (e) {
    if (e instanceof ValidationError) return Response.json({ error: e.message }, { status: 400 });
    throw e;
  }
};

/**
 * POST /api/customer-clv/offer { customerId } — "Send retention offer" from the customer-page block:
 * creates the customer's unique single-use code now (default value and validity below) and answers
 * with it. Session token + CORS as in api.customer-clv.tsx.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { customerIdOf } from "~/pages/customer-block.server";
import { adminPortOf } from "~/actions/remix-admin.server";
import { offerNow } from "~/actions/retention.server";
import prisma from "~/db.server";
import { ValidationError } from "~/models/common.server";
import { authenticate } from "~/shopify.server";

/** Value and validity of an offer sent from the customer page. */
export const BLOCK_OFFER = { percentage: 15, validDays: 30 };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin, cors } = await authenticate.admin(request);
  if (request.method !== "POST") return cors(Response.json({ error: "POST only" }, { status: 405 }));
  try {
    const body = (await request.json().catch(() => null)) as { customerId?: unknown } | null;
    const customerId = customerIdOf(body?.customerId);
    const r = await offerNow(prisma, adminPortOf(admin), session.shop, {
      audience: "customer",
      target: customerId,
      ...BLOCK_OFFER,
    });
    return cors(Response.json({ offer: { code: r.code, expiresAt: r.endsAt.toISOString() } }));
  } catch (e) {
    if (e instanceof ValidationError) return cors(Response.json({ error: e.message }, { status: 400 }));
    throw e;
  }
};

/**
 * GET /api/customer-clv?customerId=<gid> — the customer-page admin block's data. Called from the
 * Shopify admin with the block's session token (`Authorization: Bearer …`); `authenticate.admin`
 * verifies it (and answers the CORS preflight), its `cors` helper adds the CORS headers.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { customerBlockData, customerIdOf } from "~/pages/customer-block.server";
import prisma from "~/db.server";
import { ValidationError } from "~/models/common.server";
import { authenticate } from "~/shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, cors } = await authenticate.admin(request);
  try {
    const customerId = customerIdOf(new URL(request.url).searchParams.get("customerId"));
    return cors(Response.json(await customerBlockData(prisma, session.shop, customerId)));
  } catch (e) {
    if (e instanceof ValidationError) return cors(Response.json({ error: e.message }, { status: 400 }));
    throw e;
  }
};

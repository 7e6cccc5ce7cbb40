/** JSON status of the shop's sync and training runs, polled by the progress bars. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { requireAdmin } from "~/auth.server";
import { getShopStatus } from "~/services/status.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return Response.json(await getShopStatus(prisma, shop), { headers: { "Cache-Control": "no-store" } });
};

// Re-auth headers of a thrown auth response must reach the browser on single-fetch data requests.
export { headers } from "~/shopify/embedded-headers";

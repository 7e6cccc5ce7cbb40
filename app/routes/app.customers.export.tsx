/** CSV export of the customers matching the current filter (all pages), streamed. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import prisma from "~/db.server";
import { requireAdmin } from "~/auth.server";
import { exportCustomersCsv } from "~/pages/customer-list.server";
import { parseCustomerListQuery } from "~/pages/customer-list-query";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const { query, errors } = parseCustomerListQuery(new URL(request.url).searchParams);
  if (errors.length)
    return new Response(errors.join("\n"), { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const encoder = new TextEncoder();
  const gen = exportCustomersCsv(prisma, shop, query);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await gen.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      await gen.return(undefined);
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="horizon-clv-customers-${stamp}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};

// Re-auth headers of a thrown auth response must reach the browser on single-fetch data requests.
export { headers } from "~/shopify/embedded-headers";

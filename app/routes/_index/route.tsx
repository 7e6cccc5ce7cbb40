/**
 * Public landing page. Opened from the Shopify admin (with ?shop=…) it forwards to /app with the
 * same query so authentication can start; in demo mode it forwards to the demo dashboard.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isDemoMode } from "~/auth.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  if (isDemoMode()) throw redirect("/app");
  return null;
};

export default function Index() {
  return (
    <main
      style={{
        fontFamily: "system-ui, -apple-system, sans-serif",
        maxWidth: 640,
        margin: "64px auto",
        padding: 16,
        lineHeight: 1.5,
      }}
    >
      <h1>Horizon CLV</h1>
      <p>
        Predicts every customer&apos;s lifetime value with an interval and a reason, backtested against a simple
        baseline, and writes tiers back to Shopify as tags, metafields and segments.
      </p>
      <p>Open the app from your Shopify admin (Apps → Horizon CLV) to see your store&apos;s predictions.</p>
    </main>
  );
}

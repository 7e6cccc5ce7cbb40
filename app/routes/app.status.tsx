/**
 * Status: the shop's lifecycle — every step with its last run, outcome and next run, whether the
 * shop is ready — and the audit log of write-backs (customers touched, mutations, bulk operations,
 * errors). The loader's JSON (a superset of the sync/training status) is also what the progress
 * bars poll.
 */
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { headers as embeddedHeaders } from "~/shopify/embedded-headers";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, Layout, Page, Text } from "@shopify/polaris";
import prisma from "~/db.server";
import { requireAdmin } from "~/auth.server";
import { RouteError } from "~/components/RouteError";
import { getLifecycleStatus } from "~/lifecycle/status.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return getLifecycleStatus(prisma, shop);
};

/** Live status: never cached; re-auth headers of a thrown auth response pass through (single fetch). */
export const headers: HeadersFunction = (args) => {
  const h = new Headers(embeddedHeaders(args));
  h.set("Cache-Control", "no-store");
  return h;
};

const TONES: Record<string, "success" | "critical" | "attention" | "info" | "warning" | undefined> = {
  done: "success",
  failed: "critical",
  running: "attention",
  queued: "info",
  paused: "warning",
};

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "—");

/** A one-line summary of a step's last result. */
function summary(r: unknown): string {
  if (!r || typeof r !== "object") return "";
  const o = r as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of ["currencyCode", "champion", "written", "customers", "touched", "mutations", "action", "reason"])
    if (o[k] !== undefined && o[k] !== null) parts.push(`${k}: ${String(o[k])}`);
  return parts.join(" · ");
}

export default function Status() {
  const s = useLoaderData<typeof loader>();
  return (
    <Page title="Status">
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Lifecycle
              </Text>
              <Text as="p">
                {s.readyAt
                  ? `Running by itself since ${when(s.readyAt)}: changed customers are rescored within minutes, everyone nightly, and the model is retrained on schedule.`
                  : "Setting up: the steps below run one after the other without any action from you."}
              </Text>
              <DataTable
                columnContentTypes={["text", "text", "text", "text", "text", "text"]}
                headings={["Step", "State", "Last run", "Next run", "Outcome", "Runs"]}
                rows={s.steps.map((st) => [
                  st.label,
                  <Badge key={st.step} tone={TONES[st.status]}>
                    {st.status}
                  </Badge>,
                  when(st.lastFinishedAt ?? st.lastStartedAt),
                  when(st.nextRunAt),
                  st.lastError ? `Error: ${st.lastError}` : summary(st.lastResult),
                  String(st.runs),
                ])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Write-back log
              </Text>
              <DataTable
                columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "text"]}
                headings={[
                  "Started",
                  "Why",
                  "Result",
                  "Customers touched",
                  "Mutations",
                  "Requests",
                  "Bulk operations / errors",
                ]}
                rows={s.audits.map((a) => [
                  when(String(a.startedAt)),
                  a.trigger,
                  a.status,
                  `${a.customersTouched} of ${a.customersConsidered}`,
                  a.mutations,
                  a.requests,
                  [...a.bulkOperationIds, ...a.errors].join(", ") || "—",
                ])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Status" />;
}

import { useState } from "react";
import { Button, InlineStack, Text } from "@shopify/polaris";

/**
 * Downloads a CSV from an app route with `fetch` (inside the Shopify admin, App Bridge adds the
 * session token to same-origin fetches; a plain link would lose it), then saves it as a file.
 */
export function ExportCsvButton({
  href,
  filename,
  label = "Export CSV",
}: {
  href: string;
  filename: string;
  label?: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function download() {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(href, { headers: { Accept: "text/csv" } });
      if (!res.ok) throw new Error(`${res.status} ${(await res.text()).slice(0, 200) || res.statusText}`);
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = filename;
      document.body.appendChild(a);
      a.click();
      setTimeout(() => {
        a.remove();
        URL.revokeObjectURL(url);
      }, 10_000);
    } catch (e) {
      setError(`Export failed: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <InlineStack gap="200" blockAlign="center">
      <Button
        onClick={download}
        loading={busy}
        accessibilityLabel="Export the customers matching the current filter as CSV"
      >
        {label}
      </Button>
      {error ? (
        <Text as="span" tone="critical">
          {error}
        </Text>
      ) : null}
    </InlineStack>
  );
}

import { useState } from "react";
import { Button, InlineStack, Text } from "@shopify/polaris";
import { useI18n } from "~/i18n/context";

/**
 * Downloads a CSV from an app route with `fetch` (inside the Shopify admin, App Bridge adds the
 * session token to same-origin fetches; a plain link would lose it), then saves it as a file.
 */
export function ExportCsvButton({
  href,
  filename,
  label,
  accessibilityLabel,
}: {
  href: string;
  filename: string;
  label?: string;
  accessibilityLabel?: string;
}) {
  const { t } = useI18n();
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
      setError(t("export.failed", { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  }
  return (
    <InlineStack gap="200" blockAlign="center">
      <Button onClick={download} loading={busy} accessibilityLabel={accessibilityLabel ?? t("export.aria")}>
        {label ?? t("export.button")}
      </Button>
      {error ? (
        <Text as="span" tone="critical">
          {error}
        </Text>
      ) : null}
    </InlineStack>
  );
}

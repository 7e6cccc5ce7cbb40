import { Button } from "@shopify/polaris";
import { useI18n } from "~/i18n/context";

/**
 * "Open in Shopify" for a customer. Embedded in the admin, the link uses App Bridge's `shopify:`
 * admin protocol with target "_top", so the admin itself navigates (not the app's iframe); in the
 * demo (no admin around the app) it is the admin URL, also in the top window.
 */
export function OpenInShopify({
  customerId,
  adminUrl,
  embedded,
}: {
  customerId: string;
  adminUrl: string;
  embedded: boolean;
}) {
  const { t } = useI18n();
  const url = embedded ? `shopify://admin/customers/${encodeURIComponent(customerId)}` : adminUrl;
  return (
    <span data-testid="open-in-shopify">
      <Button url={url} target="_top">
        {t("customer.openInShopify")}
      </Button>
    </span>
  );
}

// Types of the extension's `shopify` global for its target (as `shopify app generate` writes them;
// the CLI regenerates this file on build).
import "@shopify/ui-extensions";

//@ts-ignore
declare module "./src/templates.js" {
  const shopify: import("@shopify/ui-extensions/admin.customers.segmentation-templates.data").Api;
  const globalThis: { shopify: typeof shopify };
}

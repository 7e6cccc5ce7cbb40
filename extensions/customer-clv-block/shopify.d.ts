// Types of the extension's `shopify` global and web components for its target (as `shopify app
// generate` writes them; the CLI regenerates this file on build).
import "@shopify/ui-extensions";

//@ts-ignore
declare module "./src/BlockExtension.jsx" {
  const shopify: import("@shopify/ui-extensions/admin.customer-details.block.render").Api;
  const globalThis: { shopify: typeof shopify };
}

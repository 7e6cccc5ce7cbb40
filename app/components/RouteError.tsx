import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, Page } from "@shopify/polaris";

/**
 * Error state shared by the admin pages: a Polaris page with a critical banner that says what
 * failed. Auth responses thrown by Shopify are handled by the layout's boundary before this.
 */
export function RouteError({ title }: { title: string }) {
  const error = useRouteError();
  let message = "An unexpected error occurred. Try again; if it keeps happening, check the app logs.";
  if (isRouteErrorResponse(error))
    message = typeof error.data === "string" && error.data ? error.data : `${error.status} ${error.statusText}`;
  else if (error instanceof Error && error.message) message = error.message;
  return (
    <Page title={title}>
      <Banner tone="critical" title={`Could not load ${title.toLowerCase()}`}>
        <p>{message}</p>
      </Banner>
    </Page>
  );
}

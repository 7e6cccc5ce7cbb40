import type { LinkLikeComponentProps } from "@shopify/polaris/build/ts/src/utilities/link";
import { Link } from "@remix-run/react";

/** Polaris `linkComponent` that navigates with Remix (client-side, keeps the embedded session). */
export function RemixPolarisLink({ url, external, children, ref: _ref, ...rest }: LinkLikeComponentProps) {
  if (external || /^https?:\/\//.test(url)) {
    return (
      <a href={url} target="_blank" rel="noopener noreferrer" {...rest}>
        {children}
      </a>
    );
  }
  return (
    <Link to={url} {...(rest as Record<string, unknown>)}>
      {children}
    </Link>
  );
}

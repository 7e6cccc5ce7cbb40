import { useEffect, useState, type ReactNode } from "react";
import { SkeletonBodyText } from "@shopify/polaris";

/**
 * Renders `children()` only after hydration (charts measure the DOM and must not render on the
 * server). The server and the first client render show `fallback` (a skeleton by default).
 */
export function ClientOnly({
  children,
  fallback,
  height = 240,
}: {
  children: () => ReactNode;
  fallback?: ReactNode;
  height?: number;
}) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (mounted) return <>{children()}</>;
  return (
    <div style={{ minHeight: height }} aria-busy="true">
      {fallback ?? <SkeletonBodyText lines={6} />}
    </div>
  );
}

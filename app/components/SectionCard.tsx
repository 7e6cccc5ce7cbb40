import type { ReactNode } from "react";
import { BlockStack, Card, Text } from "@shopify/polaris";

/** A card with a section heading, the building block of every admin page. */
export function SectionCard({
  title,
  children,
  gap = "300",
}: {
  title: ReactNode;
  children: ReactNode;
  gap?: "100" | "200" | "300";
}) {
  return (
    <Card>
      <BlockStack gap={gap}>
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}

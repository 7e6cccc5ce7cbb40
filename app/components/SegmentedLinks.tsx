import { Button, ButtonGroup } from "@shopify/polaris";

/**
 * A choice between views kept in the URL (links, so the back button and shared links keep it),
 * drawn as a segmented button group named for assistive technology.
 */
export function SegmentedLinks<V extends string>({
  label,
  value,
  options,
  testId,
}: {
  label: string;
  value: V;
  options: Array<{ value: V; label: string; href: string }>;
  testId?: string;
}) {
  return (
    <div role="group" aria-label={label} data-testid={testId}>
      <ButtonGroup variant="segmented">
        {options.map((o) => (
          <Button key={o.value} url={o.href} pressed={o.value === value}>
            {o.label}
          </Button>
        ))}
      </ButtonGroup>
    </div>
  );
}

/**
 * Unsaved-changes guard of a settings form (issue 11): while the form differs from what is saved,
 * a save bar says so — App Bridge's contextual save bar with Save / Discard in the embedded admin
 * (which also makes the admin ask before leaving), an in-page bar with Discard in demo mode (no App
 * Bridge; the form's own Save button saves) — and any
 * in-app navigation away is held until the merchant chooses to stay or to leave without saving. A
 * reload or a closed tab asks the browser's own question.
 */
import { useBeforeUnload, useBlocker } from "@remix-run/react";
import { SaveBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Box, Button, InlineStack, Text } from "@shopify/polaris";
import { useCallback } from "react";
import { useI18n } from "~/i18n/context";

export function UnsavedChanges({
  dirty,
  saving,
  embedded,
  onSave,
  onDiscard,
}: {
  dirty: boolean;
  saving: boolean;
  embedded: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  const { t } = useI18n();
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && !saving && currentLocation.pathname !== nextLocation.pathname,
  );
  useBeforeUnload(
    useCallback(
      (e: BeforeUnloadEvent) => {
        if (!dirty) return;
        e.preventDefault();
        e.returnValue = "";
      },
      [dirty],
    ),
  );
  return (
    <>
      {embedded ? (
        <SaveBar id="settings-save-bar" open={dirty}>
          <button variant="primary" onClick={onSave} disabled={saving}></button>
          <button onClick={onDiscard} disabled={saving}></button>
        </SaveBar>
      ) : dirty ? (
        <div data-testid="save-bar">
          <Box padding="300" background="bg-surface-secondary" borderRadius="200">
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <Text as="span" fontWeight="semibold">
                {t("unsaved.barDemo")}
              </Text>
              <InlineStack gap="200">
                <Button onClick={onDiscard} disabled={saving}>
                  {t("unsaved.discard")}
                </Button>
              </InlineStack>
            </InlineStack>
          </Box>
        </div>
      ) : null}
      {blocker.state === "blocked" ? (
        <div data-testid="unsaved-guard">
          <Banner tone="warning" title={t("unsaved.leaveTitle")}>
            <BlockStack gap="200">
              <p>{t("unsaved.leaveBody")}</p>
              <InlineStack gap="200">
                <Button onClick={() => blocker.reset()}>{t("unsaved.stay")}</Button>
                <Button tone="critical" onClick={() => blocker.proceed()}>
                  {t("unsaved.leave")}
                </Button>
              </InlineStack>
            </BlockStack>
          </Banner>
        </div>
      ) : null}
    </>
  );
}

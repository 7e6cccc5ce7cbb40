/** Badges with accessible names that say what they are ("Tier: Platinum", "Churn risk: High, 97 %"). */
import { Badge } from "@shopify/polaris";
import { useI18n } from "~/i18n/context";
import type { ChurnRisk } from "~/presentation/churn-risk";
import { tierLabel } from "~/i18n/format";
import { tierTone } from "./tier-tone";

export function TierBadge({ tier }: { tier: string }) {
  const { t } = useI18n();
  return (
    <Badge tone={tierTone(tier)} toneAndProgressLabelOverride={t("tier.badgeLabel")}>
      {tierLabel(tier)}
    </Badge>
  );
}

const CHURN_TONE = { high: "critical", medium: "warning", low: "success" } as const;

export function ChurnBadge({ risk }: { risk: ChurnRisk }) {
  const { t, fmt } = useI18n();
  return (
    <span data-testid="churn-risk" data-level={risk.level} data-value={risk.probability}>
      <Badge tone={CHURN_TONE[risk.level]} toneAndProgressLabelOverride={t("churn.badgeLabel")}>
        {`${t(`churn.${risk.level}`)} · ${fmt.pct(risk.probability)}`}
      </Badge>
    </span>
  );
}

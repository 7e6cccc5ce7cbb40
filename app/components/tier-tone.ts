/** Badge tone of a tier name: top tiers green, bottom tiers plain, the rest blue. */
export function tierTone(tier: string): "success" | "info" | undefined {
  const t = tier.toLowerCase();
  if (["platinum", "high", "vip", "top"].includes(t)) return "success";
  if (["bronze", "low", "none"].includes(t)) return undefined;
  return "info";
}

/** Model names as merchants read them ("statistical model", "deep learning", "past spend"). */
import type { Translate } from "./i18n";

const KEYS = {
  btyd: "model.btyd",
  dnn: "model.dnn",
  lstm: "model.lstm",
  ensemble: "model.ensemble",
  baseline: "model.baseline",
  fallback: "model.baseline",
} as const;

/** The plain-language name of a champion (unknown names are shown as stored). */
export function modelName(t: Translate, champion: string | null | undefined): string {
  if (!champion) return t("model.unknown");
  const key = KEYS[champion as keyof typeof KEYS];
  return key ? t(key) : champion;
}

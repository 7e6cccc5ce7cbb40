/** Page titles in the shop's language: "<page> · Horizon CLV" (the /app layout's loader carries the locale). */
import type { MetaFunction } from "@remix-run/node";
import { createTranslator, type MessageKey, type MessageValues } from "./i18n";

/** Locale the /app layout loaded for the shop (null outside it). */
function layoutLocale(matches: ReadonlyArray<{ id: string; data: unknown }>): string | null {
  const data = matches.find((m) => m.id === "routes/app")?.data as { locale?: string | null } | undefined;
  return data?.locale ?? null;
}

/** A route's `meta`: the page's title from a message key (values may come from the route's data). */
export function pageMeta<D = unknown>(key: MessageKey, values?: (data: D | undefined) => MessageValues): MetaFunction {
  return ({ matches, data }) => {
    const t = createTranslator(layoutLocale(matches as ReadonlyArray<{ id: string; data: unknown }>));
    return [{ title: `${t(key, values?.(data as D | undefined))} · ${t("app.name")}` }];
  };
}

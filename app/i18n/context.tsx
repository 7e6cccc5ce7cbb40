/**
 * The shop's language and number formatting for the admin pages: the /app layout reads the shop's
 * locale and currency once and provides them; pages call `useI18n()`.
 */
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { createFormatter, type Formatter } from "./format";
import { createTranslator, languageOf, type Translate } from "./i18n";

export interface I18n {
  /** Catalogue language ("en", "de"). */
  language: string;
  t: Translate;
  fmt: Formatter;
}

const I18nContext = createContext<I18n | null>(null);

/** Builds the i18n value for a shop's locale and currency (null → "en" / "USD"). */
export function createI18n(locale: string | null | undefined, currency: string | null | undefined): I18n {
  return { language: languageOf(locale), t: createTranslator(locale), fmt: createFormatter(locale, currency) };
}

export function I18nProvider({
  locale,
  currency,
  children,
}: {
  locale: string | null | undefined;
  currency: string | null | undefined;
  children: ReactNode;
}) {
  const value = useMemo(() => createI18n(locale, currency), [locale, currency]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The page's translator and formatter (English / USD outside a provider, e.g. in error pages). */
export function useI18n(): I18n {
  return useContext(I18nContext) ?? DEFAULT;
}

const DEFAULT = createI18n(null, null);

/**
 * Admin layout for /app/*: authenticates (requireAdmin), then renders the pages inside Shopify's
 * embedded AppProvider with the App Bridge NavMenu — or, in demo mode only, inside Polaris' own
 * AppProvider with a sidebar and a "demo store" banner (App Bridge's CDN is not reachable locally).
 */
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useNavigation, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider as ShopifyAppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { AppProvider as PolarisAppProvider, Banner, Box, Frame, Loading, Navigation, Text } from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisDe from "@shopify/polaris/locales/de.json";
import prisma from "~/db.server";
import { requireAdmin } from "~/auth.server";
import { env } from "~/env.server";
import { appBillingDeps } from "~/billing/app-billing.server";
import { requireEntitlement } from "~/billing/gate.server";
import { BILLING_PATH } from "~/billing/plans";
import { getShopFormat } from "~/models/shop-format.server";
import { I18nProvider, useI18n } from "~/i18n/context";
import { NAV_ITEMS } from "~/components/nav";
import { PageSkeleton } from "~/components/PageSkeleton";
import { RemixPolarisLink } from "~/components/RemixPolarisLink";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, demo } = await requireAdmin(request);
  // Billing: a shop over its plan's customer limit is sent to /app/billing (the demo store has no billing).
  if (!demo) await requireEntitlement(appBillingDeps(), shop, request);
  const { currencyCode, primaryLocale } = await getShopFormat(prisma, shop);
  return { apiKey: env().SHOPIFY_API_KEY, demo, shop, locale: primaryLocale, currency: currencyCode };
};

/** The embedded app's navigation: the pages plus Billing (the demo store has no billing, so no link). */
const EMBEDDED_NAV_ITEMS = [...NAV_ITEMS, { url: BILLING_PATH, label: "nav.billing" }] as const;

/** Shows a skeleton while navigating to another page (the page's loading state). */
function PageOutlet() {
  const navigation = useNavigation();
  const location = useLocation();
  const switching = navigation.state === "loading" && navigation.location.pathname !== location.pathname;
  return switching ? <PageSkeleton /> : <Outlet />;
}

/** Polaris' own strings in the shop's language (the catalogues Polaris ships). */
const POLARIS_STRINGS: Record<string, typeof polarisEn> = { en: polarisEn, de: polarisDe as typeof polarisEn };

function DemoFrame({ shop }: { shop: string }) {
  const { t } = useI18n();
  const location = useLocation();
  const navigation = useNavigation();
  const nav = (
    <Navigation location={location.pathname}>
      <Navigation.Section
        items={NAV_ITEMS.map((i) => ({
          url: i.url,
          label: t(i.label),
          exactMatch: i.url === "/app",
          selected: i.url === "/app" ? location.pathname === "/app" : location.pathname.startsWith(i.url),
        }))}
      />
    </Navigation>
  );
  return (
    <Frame navigation={nav}>
      {navigation.state !== "idle" ? <Loading /> : null}
      <Box padding="400" paddingBlockEnd="0">
        <div data-testid="demo-banner">
          {/* No banner title: it would be an h2 before the page's h1 (heading order). */}
          <Banner tone="warning">
            <Text as="p">
              <b>{t("demo.title")}:</b> {t("demo.body", { shop })}
            </Text>
          </Banner>
        </div>
      </Box>
      <PageOutlet />
    </Frame>
  );
}

export default function App() {
  const { apiKey, demo, shop, locale, currency } = useLoaderData<typeof loader>();
  return (
    <I18nProvider locale={locale} currency={currency}>
      {demo ? <DemoApp shop={shop} /> : <EmbeddedApp apiKey={apiKey} />}
    </I18nProvider>
  );
}

function DemoApp({ shop }: { shop: string }) {
  const { language } = useI18n();
  return (
    <PolarisAppProvider i18n={POLARIS_STRINGS[language] ?? polarisEn} linkComponent={RemixPolarisLink}>
      <DemoFrame shop={shop} />
    </PolarisAppProvider>
  );
}

function EmbeddedApp({ apiKey }: { apiKey: string }) {
  const { t } = useI18n();
  return (
    <ShopifyAppProvider isEmbeddedApp apiKey={apiKey}>
      <NavMenu>
        {EMBEDDED_NAV_ITEMS.map((i) =>
          i.url === "/app" ? (
            <Link key={i.url} to={i.url} rel="home">
              {t(i.label)}
            </Link>
          ) : (
            <Link key={i.url} to={i.url}>
              {t(i.label)}
            </Link>
          ),
        )}
      </NavMenu>
      <PageOutlet />
    </ShopifyAppProvider>
  );
}

// Shopify needs Remix to catch thrown responses (auth redirects) so its headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

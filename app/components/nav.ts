/** The app's pages, in navigation order (shared by the embedded NavMenu and the demo sidebar); labels are message keys. */
export const NAV_ITEMS = [
  { url: "/app", label: "nav.dashboard" },
  { url: "/app/customers", label: "nav.customers" },
  { url: "/app/model", label: "nav.model" },
  { url: "/app/cohorts", label: "nav.cohorts" },
  { url: "/app/offers", label: "nav.offers" },
  { url: "/app/settings", label: "nav.settings" },
  { url: "/app/status", label: "nav.status" },
] as const;

/** The app's pages, in navigation order (shared by the embedded NavMenu and the demo sidebar). */
export const NAV_ITEMS = [
  { url: "/app", label: "Dashboard" },
  { url: "/app/customers", label: "Customers" },
  { url: "/app/model", label: "Model" },
  { url: "/app/cohorts", label: "Cohorts" },
  { url: "/app/offers", label: "Offers" },
  { url: "/app/settings", label: "Settings" },
  { url: "/app/status", label: "Status" },
] as const;

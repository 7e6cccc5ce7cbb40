/** @jsxRuntime automatic */
/** @jsxImportSource preact */
// @ts-check
import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { money, percent } from "./format.js";

/** Backend routes (resolved against the app's URL; the admin adds the session token). */
export const CLV_URL = "/api/customer-clv";
export const OFFER_URL = "/api/customer-clv/offer";

export default async () => {
  render(<CustomerClvBlock />, document.body);
};

/**
 * @typedef {{
 *   status: "scored" | "fallback", currency: string, clv: number, clvLow: number, clvHigh: number,
 *   intervalLabel: string | null, tier: string, pAlive: number, churnRisk: number | null,
 *   expectedOrders: number, reasons: string[], atRisk: boolean,
 *   offer: { code: string, expiresAt: string } | null
 * }} ScoredCustomer
 * @typedef {{ status: "not-scored", reason: string }} NotScored
 */

function CustomerClvBlock() {
  const customerId = shopify.data.selected?.[0]?.id ?? null;
  /** @type {[ScoredCustomer | NotScored | null, (v: any) => void]} */
  const [data, setData] = useState(/** @type {any} */ (null));
  const [error, setError] = useState(/** @type {string | null} */ (null));
  const [offer, setOffer] = useState(/** @type {{ code: string, expiresAt: string } | null} */ (null));
  const [sending, setSending] = useState(false);

  useEffect(() => {
    if (!customerId) {
      setError("No customer selected.");
      return;
    }
    fetch(`${CLV_URL}?customerId=${encodeURIComponent(customerId)}`)
      .then(async (res) => {
        if (!res.ok) throw new Error(`The app answered ${res.status}.`);
        setData(await res.json());
      })
      .catch((e) => setError(e instanceof Error ? e.message : String(e)));
  }, [customerId]);

  async function sendOffer() {
    setSending(true);
    try {
      const res = await fetch(OFFER_URL, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ customerId }),
      });
      if (!res.ok) throw new Error(`The offer could not be created (${res.status}).`);
      const body = await res.json();
      setOffer(body.offer);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setSending(false);
    }
  }

  if (error)
    return (
      <s-admin-block heading="Horizon CLV">
        <s-banner tone="critical">
          <s-text>Could not load the CLV prediction: {error}</s-text>
        </s-banner>
      </s-admin-block>
    );
  if (!data)
    return (
      <s-admin-block heading="Horizon CLV">
        <s-text>Loading prediction…</s-text>
      </s-admin-block>
    );
  if (data.status === "not-scored")
    return (
      <s-admin-block heading="Horizon CLV">
        <s-text>Not scored yet. {data.reason}</s-text>
      </s-admin-block>
    );

  const shownOffer = offer ?? data.offer;
  return (
    <s-admin-block heading="Horizon CLV">
      <s-stack direction="block" gap="base">
        {data.status === "fallback" && (
          <s-banner tone="warning">
            <s-text>Heuristic estimate: the shop has too little history for a trained model.</s-text>
          </s-banner>
        )}
        <s-stack direction="inline" gap="base">
          <s-text type="strong">Predicted CLV {money(data.clv, data.currency)}</s-text>
          <s-badge>{data.tier}</s-badge>
          {data.atRisk && <s-badge tone="critical">At risk</s-badge>}
        </s-stack>
        <s-text>
          {data.intervalLabel
            ? `${data.intervalLabel}: ${money(data.clvLow, data.currency)} – ${money(data.clvHigh, data.currency)}`
            : "No interval for this model."}
        </s-text>
        <s-text>
          P(alive) {percent(data.pAlive)}
          {data.churnRisk === null ? "" : ` · churn risk ${percent(data.churnRisk)}`} · expected orders{" "}
          {data.expectedOrders.toFixed(1)}
        </s-text>
        {data.reasons.length > 0 && (
          <s-stack direction="block" gap="small-200">
            <s-text type="strong">Why</s-text>
            {data.reasons.slice(0, 3).map((r) => (
              <s-text key={r}>• {r}</s-text>
            ))}
          </s-stack>
        )}
        {shownOffer ? (
          <s-text>
            Retention offer {shownOffer.code} (expires {shownOffer.expiresAt.slice(0, 10)})
          </s-text>
        ) : (
          <s-button onClick={sendOffer} disabled={sending}>
            Send retention offer
          </s-button>
        )}
      </s-stack>
    </s-admin-block>
  );
}

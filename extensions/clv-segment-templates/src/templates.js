// @ts-check
import { atRiskQuery, highClvQuery, slippingVipsQuery } from "./segment-queries.js";

const CREATED_ON = "2026-12-04T00:00:00.000Z";

/**
 * The extension runtime's `shopify` global (typed here: the root project also sees App Bridge's
 * global of the same name, which has a different shape).
 * @returns {{ i18n: { translate(key: string): string } }}
 */
const extensionApi = () => /** @type {any} */ (globalThis).shopify;

/** Runnable target: returns the templates shown in the customer segment editor. */
export default async () => {
  const t = (/** @type {string} */ key) => extensionApi().i18n.translate(key);
  return {
    templates: [
      ["highClv", highClvQuery()],
      ["atRisk", atRiskQuery()],
      ["slippingVips", slippingVipsQuery()],
    ].map(([key, query]) => ({
      title: t(`${key}.title`),
      description: t(`${key}.description`),
      query,
      queryToInsert: query,
      createdOn: CREATED_ON,
    })),
  };
};

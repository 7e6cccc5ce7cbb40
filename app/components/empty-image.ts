/** Inline illustration for Polaris EmptyState (no external image host is reachable offline). */
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="226" height="160" viewBox="0 0 226 160"><rect x="8" y="20" width="210" height="128" rx="10" fill="#f1f2f4"/><rect x="34" y="96" width="22" height="36" rx="3" fill="#b5c7e8"/><rect x="66" y="76" width="22" height="56" rx="3" fill="#8aa9dc"/><rect x="98" y="58" width="22" height="74" rx="3" fill="#5f8bd0"/><rect x="130" y="44" width="22" height="88" rx="3" fill="#2c6ecb"/><path d="M30 70 C70 60 110 40 196 30" stroke="#5fb58f" stroke-width="4" fill="none" stroke-linecap="round"/><circle cx="196" cy="30" r="7" fill="#5fb58f"/></svg>`;

/** data: URI of the illustration. */
export const EMPTY_IMAGE = `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;

/**
 * Session rows beyond the Shopify session storage: deleting a shop's sessions on uninstall, and the
 * token re-encryption of a key rotation (which walks every shop's sessions: a key is per app).
 */
import { assertShop, type Db } from "./common.server";

/** Deletes every session of the shop; returns how many. */
export async function deleteShopSessions(db: Db, shop: string): Promise<number> {
  assertShop(shop);
  return (await db.session.deleteMany({ where: { shop } })).count;
}

/** Stored tokens of one session. */
export interface SessionTokens {
  id: string;
  accessToken: string;
  refreshToken: string | null;
}

/** Every session's stored tokens, all shops (key rotation re-encrypts them all). */
export function listSessionTokensAllShops(db: Db): Promise<SessionTokens[]> {
  return db.session.findMany({ select: { id: true, accessToken: true, refreshToken: true } });
}

/** Replaces one session's stored tokens (by session id; key rotation). */
export async function updateSessionTokens(db: Db, tokens: SessionTokens): Promise<void> {
  await db.session.update({
    where: { id: tokens.id },
    data: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken },
  });
}

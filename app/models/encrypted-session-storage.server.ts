/**
 * Session storage that encrypts `accessToken` and `refreshToken` before they reach the database
 * and decrypts them on load. Wraps any SessionStorage (PrismaSessionStorage in the app). The session
 * id is the associated data, so a token copied into another row does not decrypt.
 */
import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import type { Db } from "~/db/connect.server";
import { listSessionTokensAllShops, updateSessionTokens } from "./sessions.server";
import {
  DecryptionError,
  decryptSecret,
  encryptSecret,
  isEncrypted,
  keyId,
  keyIdOf,
  type KeyRing,
} from "~/security/crypto.server";

/** Encrypting wrapper around a SessionStorage. */
export class EncryptedSessionStorage implements SessionStorage {
  /**
   * @param onDecryptionError called when a stored token cannot be decrypted (default: console.error
   *   naming the session and the key id; the token itself is never logged).
   */
  constructor(
    private readonly inner: SessionStorage,
    private readonly ring: KeyRing,
    private readonly onDecryptionError: (sessionId: string, e: DecryptionError) => void = (id, e) =>
      console.error(`[security] session ${id}: cannot decrypt stored token (${e.message}); treating as signed out`),
  ) {}

  private seal(session: Session): Session {
    const o = session.toObject();
    const copy = new Session({
      ...o,
      accessToken: o.accessToken ? encryptSecret(this.ring, o.accessToken, session.id) : o.accessToken,
      ...(o.refreshToken && { refreshToken: encryptSecret(this.ring, o.refreshToken, session.id) }),
    });
    return copy;
  }

  private open(session: Session | undefined): Session | undefined {
    if (!session) return session;
    const o = session.toObject();
    return new Session({
      ...o,
      accessToken:
        o.accessToken && isEncrypted(o.accessToken)
          ? decryptSecret(this.ring, o.accessToken, session.id)
          : o.accessToken,
      ...(o.refreshToken &&
        isEncrypted(o.refreshToken) && { refreshToken: decryptSecret(this.ring, o.refreshToken, session.id) }),
    });
  }

  /** Stores a session with its tokens encrypted. */
  storeSession(session: Session): Promise<boolean> {
    return this.inner.storeSession(this.seal(session));
  }

  /**
   * Loads and decrypts a session (plaintext legacy tokens pass through until rotated). A session
   * that cannot be decrypted (key lost or wrong) is reported and treated as absent, so the app
   * re-authenticates the shop and stores a fresh token instead of failing every request.
   */
  async loadSession(id: string): Promise<Session | undefined> {
    const s = await this.inner.loadSession(id);
    try {
      return this.open(s);
    } catch (e) {
      if (!(e instanceof DecryptionError)) throw e;
      this.onDecryptionError(id, e);
      return undefined;
    }
  }

  deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    const out: Session[] = [];
    for (const s of await this.inner.findSessionsByShop(shop)) {
      try {
        out.push(this.open(s)!);
      } catch (e) {
        if (!(e instanceof DecryptionError)) throw e;
        this.onDecryptionError(s.id, e);
      }
    }
    return out;
  }

  /** Whether the inner storage is ready (PrismaSessionStorage polls for its table). */
  isReady(): Promise<boolean> {
    const r = (this.inner as { isReady?: () => Promise<boolean> }).isReady;
    return r ? r.call(this.inner) : Promise.resolve(true);
  }
}

/** Result of a key rotation. */
export interface RotationResult {
  /** Sessions whose tokens were re-encrypted with the current key. */
  rotated: number;
  /** Sessions already on the current key. */
  current: number;
}

/**
 * Re-encrypts every stored session token with the ring's current key (tokens made with the previous
 * key, or legacy plaintext tokens). Run after setting a new HORIZON_ENCRYPTION_KEY and moving the old
 * one to HORIZON_ENCRYPTION_KEY_PREVIOUS; afterwards the previous key can be removed.
 */
export async function rotateSessionTokens(db: Db, ring: KeyRing): Promise<RotationResult> {
  const cur = keyId(ring.current);
  const res: RotationResult = { rotated: 0, current: 0 };
  const rows = await listSessionTokensAllShops(db);
  for (const r of rows) {
    const needs = (v: string | null) => v !== null && v !== "" && keyIdOf(v) !== cur;
    if (!needs(r.accessToken) && !needs(r.refreshToken)) {
      res.current++;
      continue;
    }
    const re = (v: string | null) => {
      if (v === null || v === "" || !needs(v)) return v;
      const plain = isEncrypted(v) ? decryptSecret(ring, v, r.id) : v;
      return encryptSecret(ring, plain, r.id);
    };
    await updateSessionTokens(db, { id: r.id, accessToken: re(r.accessToken)!, refreshToken: re(r.refreshToken) });
    res.rotated++;
  }
  return res;
}

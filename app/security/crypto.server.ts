/**
 * Authenticated encryption of secrets at rest (offline access tokens, refresh tokens).
 *
 * AES-256-GCM, random 96-bit IV per value. Ciphertext format (versioned, so keys can rotate):
 *   `enc:v1:<keyId>:<iv>:<tag>:<ciphertext>`   (base64url parts; keyId = first 8 hex of sha256(key))
 * Decryption picks the key by keyId among the current key (HORIZON_ENCRYPTION_KEY) and the previous
 * one (HORIZON_ENCRYPTION_KEY_PREVIOUS). Optional associated data binds a value to its row (the
 * session id), so a ciphertext copied into another row fails to decrypt.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const PREFIX = "enc:v1:";

/** A key ring: the current key encrypts; any listed key decrypts. */
export interface KeyRing {
  current: Buffer;
  previous?: Buffer;
}

/** Raised when a value cannot be decrypted; the message says why (never includes the value). */
export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DecryptionError";
  }
}

/**
 * Parses a 256-bit key given as 64 hex characters or base64/base64url of 32 bytes.
 * `name` is the environment variable, used in error messages.
 */
export function parseKey(text: string, name = "HORIZON_ENCRYPTION_KEY"): Buffer {
  const t = text.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(t)) key = Buffer.from(t, "hex");
  else if (/^[A-Za-z0-9+/_-]{42,44}={0,2}$/.test(t))
    key = Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64");
  if (!key || key.length !== 32) {
    throw new Error(
      `${name} must be 32 random bytes as 64 hex characters or base64 (generate one with: openssl rand -base64 32)`,
    );
  }
  return key;
}

/** Short public identifier of a key (safe to store and log). */
export function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

/** True when `value` is in this module's ciphertext format. */
export function isEncrypted(value: string | null | undefined): boolean {
  return typeof value === "string" && value.startsWith(PREFIX);
}

/** Encrypts `plaintext` with the ring's current key. */
export function encryptSecret(ring: KeyRing, plaintext: string, aad?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", ring.current, iv);
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad, "utf8"));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${PREFIX}${keyId(ring.current)}:${iv.toString("base64url")}:${tag.toString("base64url")}:${ct.toString("base64url")}`;
}

/** The keyId a ciphertext was made with (undefined for non-ciphertext). */
export function keyIdOf(value: string): string | undefined {
  return isEncrypted(value) ? value.slice(PREFIX.length).split(":")[0] : undefined;
}

/** Decrypts a value made by `encryptSecret`; throws DecryptionError with the reason. */
export function decryptSecret(ring: KeyRing, value: string, aad?: string): string {
  if (!isEncrypted(value)) throw new DecryptionError("value is not in the enc:v1 ciphertext format");
  const parts = value.slice(PREFIX.length).split(":");
  if (parts.length !== 4) throw new DecryptionError("malformed ciphertext (expected keyId:iv:tag:data)");
  const [kid, ivB, tagB, ctB] = parts as [string, string, string, string];
  const key = [ring.current, ring.previous].find((k) => k && keyId(k) === kid);
  if (!key) {
    throw new DecryptionError(
      `ciphertext was made with key ${kid}, which is neither HORIZON_ENCRYPTION_KEY (${keyId(ring.current)})` +
        (ring.previous
          ? ` nor HORIZON_ENCRYPTION_KEY_PREVIOUS (${keyId(ring.previous)})`
          : " (no HORIZON_ENCRYPTION_KEY_PREVIOUS set)"),
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(ivB, "base64url"));
    if (aad !== undefined) decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(Buffer.from(tagB, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ctB, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new DecryptionError(`authentication failed for key ${kid}: ciphertext tampered or bound to another record`);
  }
}

/** Builds the key ring from environment values (current required, previous optional). */
export function keyRingFrom(current: string, previous?: string): KeyRing {
  return {
    current: parseKey(current, "HORIZON_ENCRYPTION_KEY"),
    ...(previous ? { previous: parseKey(previous, "HORIZON_ENCRYPTION_KEY_PREVIOUS") } : {}),
  };
}

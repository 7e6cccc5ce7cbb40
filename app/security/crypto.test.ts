import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { createTestDb, type TestDb } from "~/db/test-db";
import { DecryptionError, decryptSecret, encryptSecret, keyId, keyRingFrom, parseKey } from "./crypto.server";
import { EncryptedSessionStorage, rotateSessionTokens } from "~/models/encrypted-session-storage.server";

const k1 = randomBytes(32).toString("base64");
const k2 = randomBytes(32).toString("hex");
const TOKEN = "shpat_0123456789abcdef0123456789abcdef";

describe("crypto", () => {
  it("round-trips and never repeats a ciphertext", () => {
    const ring = keyRingFrom(k1);
    const a = encryptSecret(ring, TOKEN, "sid");
    const b = encryptSecret(ring, TOKEN, "sid");
    expect(a).not.toBe(b);
    expect(a.startsWith(`enc:v1:${keyId(ring.current)}:`)).toBe(true);
    expect(a).not.toContain(TOKEN);
    expect(decryptSecret(ring, a, "sid")).toBe(TOKEN);
  });

  it("fails clearly with a wrong key, tampering or another row's id", () => {
    const a = encryptSecret(keyRingFrom(k1), TOKEN, "sid");
    expect(() => decryptSecret(keyRingFrom(k2), a, "sid")).toThrow(/neither HORIZON_ENCRYPTION_KEY/);
    expect(() => decryptSecret(keyRingFrom(k1), a, "other")).toThrow(DecryptionError);
    // Flip one bit of the ciphertext bytes (editing base64 text can land in unused padding bits).
    const parts = a.split(":");
    const ct = Buffer.from(parts[parts.length - 1], "base64url");
    ct[0] ^= 1;
    const tampered = [...parts.slice(0, -1), ct.toString("base64url")].join(":");
    expect(() => decryptSecret(keyRingFrom(k1), tampered, "sid")).toThrow(/authentication failed/);
    expect(() => decryptSecret(keyRingFrom(k1), "plain", "sid")).toThrow(/not in the enc:v1/);
  });

  it("rejects weak keys naming the variable", () => {
    expect(() => parseKey("short")).toThrow(/HORIZON_ENCRYPTION_KEY must be 32 random bytes/);
    expect(() => keyRingFrom(k1, "abc")).toThrow(/HORIZON_ENCRYPTION_KEY_PREVIOUS/);
    expect(parseKey(k2)).toHaveLength(32);
  });
});

describe("EncryptedSessionStorage over PrismaSessionStorage (SQLite)", () => {
  let h: TestDb;
  beforeAll(async () => {
    h = await createTestDb("sqlite");
  });
  afterAll(async () => {
    await h?.destroy();
  });

  const session = () =>
    new Session({
      id: "offline_alpha.myshopify.com",
      shop: "alpha.myshopify.com",
      state: "s",
      isOnline: false,
      scope: "read_orders",
      accessToken: TOKEN,
      refreshToken: "shprt_refresh_secret_value",
      refreshTokenExpires: new Date("2027-01-01T00:00:00Z"),
    });

  it("stores ciphertext only, loads plaintext, and rotates keys", async () => {
    const store = new EncryptedSessionStorage(new PrismaSessionStorage(h.db), keyRingFrom(k1));
    expect(await store.storeSession(session())).toBe(true);
    const raw = await h.db.session.findUnique({ where: { id: "offline_alpha.myshopify.com" } });
    expect(JSON.stringify(raw, (_k, v) => (typeof v === "bigint" ? String(v) : v))).not.toMatch(/shpat_|shprt_/);
    expect(raw?.accessToken.startsWith("enc:v1:")).toBe(true);
    const loaded = await store.loadSession("offline_alpha.myshopify.com");
    expect(loaded?.accessToken).toBe(TOKEN);
    expect(loaded?.refreshToken).toBe("shprt_refresh_secret_value");
    expect((await store.findSessionsByShop("alpha.myshopify.com"))[0]?.accessToken).toBe(TOKEN);

    // a new key alone cannot read the old rows
    const errors: string[] = [];
    const newOnly = new EncryptedSessionStorage(new PrismaSessionStorage(h.db), keyRingFrom(k2), (id, e) =>
      errors.push(`${id}: ${e.message}`),
    );
    expect(await newOnly.loadSession("offline_alpha.myshopify.com")).toBeUndefined();
    expect(errors).toEqual([
      expect.stringMatching(
        /^offline_alpha\.myshopify\.com: ciphertext was made with key \w+, which is neither HORIZON_ENCRYPTION_KEY/,
      ),
    ]);
    expect(errors.join("")).not.toContain(TOKEN);
    // rotate: new current + old previous, re-encrypt, then the old key can go
    const rot = await rotateSessionTokens(h.db, keyRingFrom(k2, k1));
    expect(rot).toEqual({ rotated: 1, current: 0 });
    expect(await rotateSessionTokens(h.db, keyRingFrom(k2, k1))).toEqual({ rotated: 0, current: 1 });
    expect((await newOnly.loadSession("offline_alpha.myshopify.com"))?.accessToken).toBe(TOKEN);
    const raw2 = await h.db.session.findUnique({ where: { id: "offline_alpha.myshopify.com" } });
    expect(raw2?.accessToken).not.toContain(TOKEN);
  });

  it("encrypts legacy plaintext rows on rotation", async () => {
    await h.db.session.create({
      data: {
        id: "offline_beta.myshopify.com",
        shop: "beta.myshopify.com",
        state: "x",
        accessToken: "shpat_legacy_plain",
      },
    });
    const r = await rotateSessionTokens(h.db, keyRingFrom(k2));
    expect(r.rotated).toBe(1);
    const raw = await h.db.session.findUnique({ where: { id: "offline_beta.myshopify.com" } });
    expect(raw?.accessToken).not.toContain("shpat_legacy_plain");
  });
});

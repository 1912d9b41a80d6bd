// Keys derived from SESSION_SECRET (one secret to manage; HKDF keeps the uses apart) and the
// small crypto helpers the account code shares: random tokens, SHA-256, HMAC, AES-GCM.
import crypto from "node:crypto";
import { getEnv } from "./env.server";

type KeyPurpose = "csrf" | "ip-hash" | "rate-limit" | "totp-secret";

const keyCache = new Map<string, Buffer>();

/** A 32-byte key for one purpose from the n-th SESSION_SECRET (0 = current). */
function derivedKey(purpose: KeyPurpose, index = 0): Buffer {
  const secret = getEnv().SESSION_SECRET[index];
  if (secret === undefined) throw new Error(`no SESSION_SECRET #${index}`);
  const cacheKey = `${purpose}\u0000${secret}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = Buffer.from(crypto.hkdfSync("sha256", secret, "chiiki-portal", purpose, 32));
    keyCache.set(cacheKey, key);
  }
  return key;
}

/** A random URL-safe token of `bytes` bytes (32 = 256 bits). */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString("base64url");
}

export function sha256Hex(value: string): string {
  return crypto.createHash("sha256").update(value, "utf8").digest("hex");
}

export function hmacHex(purpose: KeyPurpose, value: string): string {
  return crypto.createHmac("sha256", derivedKey(purpose)).update(value, "utf8").digest("hex");
}

/** Constant-time string comparison (false when the lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

/** AES-256-GCM with the current secret: `v1.<iv>.<tag>.<ciphertext>` (base64url). */
export function encryptSecret(plain: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", derivedKey("totp-secret"), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), body].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/** Decrypts with the current secret or any older one still listed (rotation). */
export function decryptSecret(sealed: string): string | null {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || body === undefined) return null;
  const secrets = getEnv().SESSION_SECRET;
  for (let i = 0; i < secrets.length; i++) {
    try {
      const decipher = crypto.createDecipheriv("aes-256-gcm", derivedKey("totp-secret", i), Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
    } catch {
      // not this key: try the next (older) secret
    }
  }
  return null;
}

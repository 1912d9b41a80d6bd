// Application-level encryption of personal free text and sensitive fields (issue 7): AES-256-GCM
// with a key from DATA_ENCRYPTION_KEYS, the key id stored with every value, so keys can rotate
// (scripts/rotate-data-key.ts re-encrypts every registered column with the current key).
//
//   DATA_ENCRYPTION_KEYS="k2026b:<base64 of 32 bytes>,k2026a:<base64 of 32 bytes>"
//   first = current (encrypts); all listed decrypt. Generate one: `openssl rand -base64 32`.
//
// Stored form: `enc:v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url). A value encrypted with a key
// that is not configured, or that fails authentication, throws DataKeyError: a wrong key fails
// loudly instead of showing garbage or an empty field. Values without the prefix are plaintext
// written before encryption was turned on; reads return them as they are and the rotation script
// encrypts them.
// Development keeps a generated key in `.data/dev-data-key`; tests get a fresh one per run (it is
// put into process.env, so the servers a test spawns share it). Production must set the variable.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const ENCRYPTED_PREFIX = "enc:v1:";
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export class DataKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataKeyError";
  }
}

export interface DataKey {
  id: string;
  key: Buffer;
}

/** Parses `id:base64,id:base64`; throws with a message that says what is wrong (never the key). */
export function parseDataKeys(text: string): DataKey[] {
  const keys = text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part, index) => {
      const colon = part.indexOf(":");
      const id = colon > 0 ? part.slice(0, colon) : "";
      if (!KEY_ID.test(id)) {
        throw new DataKeyError(`DATA_ENCRYPTION_KEYS の${index + 1}番目に鍵ID（英数字）がありません。形式: id:base64 (key #${index + 1} needs an id)`);
      }
      const key = Buffer.from(part.slice(colon + 1), "base64");
      if (key.length !== 32) {
        throw new DataKeyError(`DATA_ENCRYPTION_KEYS の鍵「${id}」は32バイト（openssl rand -base64 32）にしてください (key ${id} must be 32 bytes)`);
      }
      return { id, key };
    });
  if (keys.length === 0) throw new DataKeyError("DATA_ENCRYPTION_KEYS が空です (no key)");
  if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new DataKeyError("DATA_ENCRYPTION_KEYS の鍵IDが重複しています (duplicate key id)");
  return keys;
}

let cached: { source: string; keys: DataKey[] } | undefined;

/** The configured keys, current first. */
export function dataKeys(): DataKey[] {
  let source = process.env.DATA_ENCRYPTION_KEYS ?? "";
  if (!source) source = generatedKeys();
  if (cached?.source !== source) cached = { source, keys: parseDataKeys(source) };
  return cached.keys;
}

function generatedKeys(): string {
  const nodeEnvKey = "NODE_ENV"; // read through a variable: the Remix build inlines the literal
  const nodeEnv = (process.env as Record<string, string | undefined>)[nodeEnvKey];
  if (nodeEnv === "production") {
    throw new DataKeyError(
      "本番環境では DATA_ENCRYPTION_KEYS が必要です。例: export DATA_ENCRYPTION_KEYS=\"k1:$(openssl rand -base64 32)\" (required in production)"
    );
  }
  const fresh = () => `dev:${crypto.randomBytes(32).toString("base64")}`;
  if (nodeEnv === "test" || process.env.VITEST) {
    process.env.DATA_ENCRYPTION_KEYS = fresh();
    return process.env.DATA_ENCRYPTION_KEYS;
  }
  const file = path.resolve(process.cwd(), ".data", "dev-data-key");
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    if (existing) return existing;
  } catch {
    // not created yet
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, fresh() + "\n", { mode: 0o600, flag: "wx" });
  } catch {
    // another process wrote it first: use theirs
  }
  return fs.readFileSync(file, "utf8").trim();
}

/**
 * For `npm start`: before it sets NODE_ENV=production for React, make sure DATA_ENCRYPTION_KEYS
 * is in the environment (the generated development key when the operator set none and did not
 * set NODE_ENV=production), so the Remix bundle's own copy of this module uses the same keys.
 * With NODE_ENV=production and no keys, this throws: the server must not start.
 */
export function ensureDataKeysInEnv(): void {
  dataKeys();
  process.env.DATA_ENCRYPTION_KEYS ||= cached!.source;
}

export function isEncrypted(value: string): boolean {
  return value.startsWith(ENCRYPTED_PREFIX);
}

/** Encrypts with the current key; null and undefined stay null. */
export function encryptField(plain: string | null | undefined, keys: DataKey[] = dataKeys()): string | null {
  if (plain === null || plain === undefined) return null;
  const current = keys[0]!;
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", current.key, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return `${ENCRYPTED_PREFIX}${current.id}:${iv.toString("base64url")}:${cipher.getAuthTag().toString("base64url")}:${body.toString("base64url")}`;
}

/** Decrypts a stored value (plaintext from before encryption passes through). Throws DataKeyError. */
export function decryptField(stored: string | null | undefined, keys: DataKey[] = dataKeys()): string | null {
  if (stored === null || stored === undefined) return null;
  if (!isEncrypted(stored)) return stored;
  const [keyId, iv, tag, body] = stored.slice(ENCRYPTED_PREFIX.length).split(":");
  if (!keyId || !iv || !tag || body === undefined) throw new DataKeyError("暗号化された値の形式が壊れています (malformed encrypted value)");
  const key = keys.find((k) => k.id === keyId);
  if (!key) {
    throw new DataKeyError(`鍵「${keyId}」が DATA_ENCRYPTION_KEYS にないため復号できません (key ${keyId} is not configured)`);
  }
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", key.key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new DataKeyError(`鍵「${keyId}」で復号できません。鍵が正しいか確認してください (authentication failed for key ${keyId})`);
  }
}

/** The key id a stored value was encrypted with (null for plaintext or null). */
export function keyIdOf(stored: string | null | undefined): string | null {
  if (!stored || !isEncrypted(stored)) return null;
  return stored.slice(ENCRYPTED_PREFIX.length).split(":")[0] ?? null;
}

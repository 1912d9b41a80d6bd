// The process environment, read once through one zod schema. Only `publicEnv()` may reach the
// browser (tile URL and credit); everything else stays on the server.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const DEFAULT_TILE_URL = "https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png";
const DEFAULT_TILE_ATTRIBUTION = '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>';

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), "DATABASE_URL は postgres:// で始まる接続文字列にしてください (must start with postgres://)"),
  /** Optional: the schema owner's URL, used by `npm start` for migrations only (the app then serves as DATABASE_URL). */
  DATABASE_MIGRATION_URL: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), "DATABASE_MIGRATION_URL は postgres:// で始まる接続文字列にしてください"),
  PGLITE_DIR: z.string().optional(),
  MAP_TILE_URL: z.string().url().default(DEFAULT_TILE_URL),
  MAP_TILE_ATTRIBUTION: z.string().min(1).default(DEFAULT_TILE_ATTRIBUTION),
  /** Set by the benchmark only: enables the /hello comparison route. */
  ENABLE_BENCH_ROUTES: z.enum(["0", "1"]).default("0"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Anonymous public pages are served from a short cache for this many seconds (0 turns it off). */
  PAGE_CACHE_SECONDS: z.coerce.number().int().min(0).max(300).default(10),
  /**
   * Signs session cookies and derives the other server keys (CSRF, IP hashing, TOTP secret
   * encryption). Comma-separated for rotation: the first signs and encrypts, all are accepted.
   * Required with NODE_ENV=production; otherwise one is generated into `.data/dev-session-secret`.
   */
  SESSION_SECRET: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : undefined))
    .refine(
      (v) => v === undefined || (v.length > 0 && v.every((s) => s.length >= 32)),
      "SESSION_SECRET は32文字以上のランダムな文字列にしてください (at least 32 characters each; e.g. `openssl rand -base64 48`)",
    ),
  /** The public origin (https://portal.example.lg.jp): links in mail and the CSRF Origin check. */
  APP_ORIGIN: z
    .string()
    .optional()
    .transform((v) => (v ? v.replace(/\/+$/, "") : undefined))
    .refine((v) => v === undefined || /^https?:\/\/[^/?#]+$/.test(v), "APP_ORIGIN は https://ホスト名 の形にしてください (scheme and host only)"),
  /** Express `trust proxy`: 0 (default) uses the socket address; a hop count or subnet list behind a proxy. */
  TRUST_PROXY: z.string().default("0"),
  /** Mail transport: `file` writes one .eml per message into MAIL_DIR (development; see README). */
  MAIL_TRANSPORT: z.enum(["file"]).default("file"),
  MAIL_DIR: z.string().optional(),
  MAIL_FROM: z.string().min(3).default("地域資源ポータル <no-reply@localhost>"),
  /**
   * Address search in the format of 国土地理院's API (usually https://msearch.gsi.go.jp/address-search/AddressSearch).
   * Unset: no geocoder; the coordinator places the map pin or types the coordinates.
   */
  /** An alert row is written to the audit log when one user reads more person records than this in an hour. */
  PERSON_READ_ALERT_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(30),
  GEOCODER_URL: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^https?:\/\/[^\s?#]+$/.test(v), "GEOCODER_URL は http(s):// で始まるURL（?以降なし）にしてください (an http(s) URL without a query)"),
});

export type Env = Omit<z.infer<typeof envSchema>, "SESSION_SECRET"> & { SESSION_SECRET: string[] };

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema
    .superRefine((env, ctx) => {
      // Explicitly production: a real deployment must bring its own secret (several instances
      // must share it). Unset NODE_ENV (a newcomer's `npm start`) gets the generated one below.
      if (explicitNodeEnv() === "production" && !env.SESSION_SECRET) {
        ctx.addIssue({
          code: "custom",
          path: ["SESSION_SECRET"],
          message:
            "本番環境 (NODE_ENV=production) では SESSION_SECRET が必要です。例: export SESSION_SECRET=\"$(openssl rand -base64 48)\" " +
            "(required in production). 手元で試すだけなら NODE_ENV=development で起動すると自動生成されます。",
        });
      }
    })
    .safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`環境変数の設定に誤りがあります (invalid environment):\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  cached = { ...env, SESSION_SECRET: env.SESSION_SECRET ?? [developmentSecret(env.NODE_ENV)] };
  return cached;
}

/**
 * NODE_ENV as actually set (undefined when unset). Read through a variable key because the Remix
 * build replaces the literal `process.env.NODE_ENV` with "production" at compile time.
 */
function explicitNodeEnv(): string | undefined {
  const key = "NODE_ENV";
  return (process.env as Record<string, string | undefined>)[key];
}

/**
 * A secret for development and tests only. Development keeps it in `.data/` so sessions and
 * encrypted TOTP secrets survive a restart (and `npm run seed:demo` shares it with the server);
 * tests get a fresh one per process.
 */
function developmentSecret(nodeEnv: string): string {
  if (nodeEnv === "test") return crypto.randomBytes(48).toString("base64url");
  const file = path.resolve(process.cwd(), ".data", "dev-session-secret");
  try {
    const existing = fs.readFileSync(file, "utf8").trim();
    if (existing.length >= 32) return existing;
  } catch {
    // not created yet
  }
  const secret = crypto.randomBytes(48).toString("base64url");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // "wx": if another process (the seed script, a second server) wrote it first, use theirs.
    fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  } catch {
    return fs.readFileSync(file, "utf8").trim();
  }
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = undefined;
}

export function publicEnv() {
  const env = getEnv();
  return { MAP_TILE_URL: env.MAP_TILE_URL, MAP_TILE_ATTRIBUTION: env.MAP_TILE_ATTRIBUTION };
}
export type PublicEnv = ReturnType<typeof publicEnv>;

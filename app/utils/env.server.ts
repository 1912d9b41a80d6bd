// The process environment, read once through one zod schema. Only `publicEnv()` may reach the
// browser (tile URL and credit); everything else stays on the server.
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
  PGLITE_DIR: z.string().optional(),
  MAP_TILE_URL: z.string().url().default(DEFAULT_TILE_URL),
  MAP_TILE_ATTRIBUTION: z.string().min(1).default(DEFAULT_TILE_ATTRIBUTION),
  /** Set by the benchmark only: enables the /hello comparison route. */
  ENABLE_BENCH_ROUTES: z.enum(["0", "1"]).default("0"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`環境変数の設定に誤りがあります (invalid environment):\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

export function publicEnv() {
  const env = getEnv();
  return { MAP_TILE_URL: env.MAP_TILE_URL, MAP_TILE_ATTRIBUTION: env.MAP_TILE_ATTRIBUTION };
}
export type PublicEnv = ReturnType<typeof publicEnv>;

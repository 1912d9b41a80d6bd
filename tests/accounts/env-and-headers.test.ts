// Start-up settings and header building: SESSION_SECRET is required in production with a clear
// message, development generates one; the CSP allows the tile host's images and nothing inline
// for scripts; token paths are cut out of logs.
import { afterEach, expect, test } from "vitest";
import { getEnv, resetEnvCache } from "~/utils/env.server";
import { contentSecurityPolicy, redactPath, securityHeaders, tileSource } from "~/utils/security-headers.server";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

test("production refuses to start without SESSION_SECRET, saying how to make one", () => {
  process.env.NODE_ENV = "production";
  delete process.env.SESSION_SECRET;
  resetEnvCache();
  expect(() => getEnv()).toThrow(/SESSION_SECRET が必要です.*openssl rand/s);
});

test("a short SESSION_SECRET is refused; a comma-separated list allows rotation", () => {
  process.env.NODE_ENV = "production";
  process.env.SESSION_SECRET = "too-short";
  resetEnvCache();
  expect(() => getEnv()).toThrow(/32文字以上/);
  process.env.SESSION_SECRET = `${"n".repeat(40)}, ${"o".repeat(40)}`;
  resetEnvCache();
  expect(getEnv().SESSION_SECRET).toEqual(["n".repeat(40), "o".repeat(40)]);
});

test("outside production a secret is generated when none is set", () => {
  process.env.NODE_ENV = "test";
  delete process.env.SESSION_SECRET;
  resetEnvCache();
  const [secret] = getEnv().SESSION_SECRET;
  expect(secret.length).toBeGreaterThanOrEqual(32);
});

test("the CSP lets map tiles load from the tile host, styles inline, scripts only with the nonce", () => {
  const csp = contentSecurityPolicy({ nonce: "abc123abc123abc123", production: true, tileUrl: "https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png" });
  expect(csp).toContain("img-src 'self' data: https://cyberjapandata.gsi.go.jp");
  expect(csp).toContain("script-src 'self' 'nonce-abc123abc123abc123'");
  expect(csp).toContain("style-src 'self' 'unsafe-inline'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(tileSource("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")).toBe("https://*.tile.openstreetmap.org");
  expect(tileSource("javascript:alert(1)")).toBeNull();
});

test("HSTS only in production", () => {
  const base = { nonce: "n", tileUrl: "https://tiles.example/{z}/{x}/{y}.png" };
  expect(securityHeaders({ ...base, production: true })["Strict-Transport-Security"]).toContain("max-age=31536000");
  expect(securityHeaders({ ...base, production: false })["Strict-Transport-Security"]).toBeUndefined();
});

test("invite and reset tokens are cut out of logged paths", () => {
  expect(redactPath("/invite/abcDEF123_-xyz")).toBe("/invite/:token");
  expect(redactPath("/password/reset/abcDEF123_-xyz")).toBe("/password/reset/:token");
  expect(redactPath("/places/12")).toBe("/places/12");
});

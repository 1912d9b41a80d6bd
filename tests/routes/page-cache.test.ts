// The anonymous page cache: a repeated public page comes from the cache with a fresh CSP nonce,
// and requests carrying a cookie are always rendered for themselves.
import { afterAll, beforeAll, expect, test } from "vitest";
import { startTestServer, type RunningServer } from "../helpers/server";

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer({ PAGE_CACHE_SECONDS: "30" });
});
afterAll(() => server?.stop());

function scriptNonce(csp: string | null): string {
  const match = /'nonce-([^']+)'/.exec(csp ?? "");
  if (!match) throw new Error(`no nonce in CSP: ${csp}`);
  return match[1];
}

test("a repeated anonymous page is served from the cache with its own nonce", async () => {
  const url = `${server.url}/places?q=${encodeURIComponent("子育て")}&page-cache-test=1`;
  const first = await fetch(url);
  const firstBody = await first.text();
  expect(first.status).toBe(200);
  expect(first.headers.get("x-page-cache")).toBe("miss");
  const second = await fetch(url);
  const secondBody = await second.text();
  expect(second.headers.get("x-page-cache")).toBe("hit");

  const firstNonce = scriptNonce(first.headers.get("content-security-policy"));
  const secondNonce = scriptNonce(second.headers.get("content-security-policy"));
  expect(secondNonce).not.toBe(firstNonce);
  // The cached HTML carries the nonce of the response it is sent in, never the first one's.
  expect(secondBody).toContain(`nonce="${secondNonce}"`);
  expect(secondBody).not.toContain(firstNonce);
  expect(secondBody.replaceAll(secondNonce, "N")).toBe(firstBody.replaceAll(firstNonce, "N"));
});

test("requests with a cookie and non-page paths are never served from the cache", async () => {
  const url = `${server.url}/places?page-cache-test=2`;
  await fetch(url);
  const withCookie = await fetch(url, { headers: { Cookie: "something=1" } });
  expect(withCookie.status).toBe(200);
  expect(withCookie.headers.get("x-page-cache")).toBeNull();
  const health = await fetch(`${server.url}/healthz`);
  expect(health.headers.get("x-page-cache")).toBeNull();
  const missing = await fetch(`${server.url}/places/999999999`);
  expect(missing.status).toBe(404);
  expect((await fetch(`${server.url}/places/999999999`)).headers.get("x-page-cache")).toBeNull();
});

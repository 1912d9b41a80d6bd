// Cross-site request forgery defence for every action: the request must come from our own origin
// (Origin / Sec-Fetch-Site) and carry a token bound to the session, or, before sign-in, to a
// random cookie (so a login form cannot be submitted from another site either).
import { createCookie, data, type Cookie } from "@remix-run/node";
import { getAuthState } from "./auth.server";
import { getEnv } from "./env.server";
import { hmacHex, randomToken, safeEqual } from "./secrets.server";

export const CSRF_FIELD = "csrf";

const REFUSED = {
  message: "このページからの送信を確認できなかったため、処理を中止しました。ページを再読み込みしてから、もう一度お試しください。",
  messageEn: "The form could not be verified (cross-site request or expired page). Reload the page and try again.",
};

let cookieCache: { key: string; cookie: Cookie } | undefined;

function anonymousCookie(): Cookie {
  const env = getEnv();
  const production = env.NODE_ENV === "production";
  const key = `${production}:${env.SESSION_SECRET.join(",")}`;
  if (cookieCache?.key !== key) {
    cookieCache = {
      key,
      cookie: createCookie(production ? "__Host-csrf" : "csrf", {
        httpOnly: true,
        secure: production,
        sameSite: "lax",
        path: "/",
        secrets: env.SESSION_SECRET,
      }),
    };
  }
  return cookieCache.cookie;
}

async function anonymousValue(request: Request): Promise<string | null> {
  const value: unknown = await anonymousCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length >= 32 ? value : null;
}

/** The token for a signed-in session (tests use it to post like the page does). */
export function csrfTokenForSession(sessionTokenHash: string): string {
  return hmacHex("csrf", `session:${sessionTokenHash}`);
}

export function csrfTokenForAnonymous(cookieValue: string): string {
  return hmacHex("csrf", `anonymous:${cookieValue}`);
}

/**
 * The token to put in the page's forms, and a Set-Cookie header when a visitor without a session
 * needs the random cookie first.
 */
export async function getCsrfToken(request: Request): Promise<{ token: string; headers: Record<string, string> }> {
  const auth = await getAuthState(request);
  if (auth) return { token: csrfTokenForSession(auth.session.tokenHash), headers: {} };
  const existing = await anonymousValue(request);
  if (existing) return { token: csrfTokenForAnonymous(existing), headers: {} };
  const value = randomToken(32);
  return { token: csrfTokenForAnonymous(value), headers: { "Set-Cookie": await anonymousCookie().serialize(value) } };
}

/** A Set-Cookie that starts a fresh anonymous token (after logout). */
export async function freshAnonymousCsrfCookie(): Promise<string> {
  return anonymousCookie().serialize(randomToken(32));
}

function sameOrigin(request: Request): boolean {
  const site = request.headers.get("Sec-Fetch-Site");
  // Browsers send it on every request; only a same-origin form may post here.
  if (site !== null && site !== "same-origin") return false;
  const origin = request.headers.get("Origin");
  if (origin === null) return true; // old browsers and non-browser clients: the token decides
  const configured = getEnv().APP_ORIGIN;
  if (configured) return origin === configured;
  // Without APP_ORIGIN, compare hosts: a TLS proxy in front may make our own URL say http.
  try {
    return new URL(origin).host === new URL(request.url).host;
  } catch {
    return false; // "null" and other opaque origins
  }
}

/** Throws 403 unless the posted form came from one of our pages. Call first in every action. */
export async function assertCsrf(request: Request, form: FormData): Promise<void> {
  if (!sameOrigin(request)) throw data(REFUSED, { status: 403 });
  const posted = form.get(CSRF_FIELD);
  if (typeof posted !== "string" || posted.length === 0) throw data(REFUSED, { status: 403 });
  const auth = await getAuthState(request);
  let expected: string | null = null;
  if (auth) expected = csrfTokenForSession(auth.session.tokenHash);
  else {
    const anon = await anonymousValue(request);
    if (anon) expected = csrfTokenForAnonymous(anon);
  }
  if (!expected || !safeEqual(posted, expected)) throw data(REFUSED, { status: 403 });
}


// Shared setup for the account tests: users of each role written straight into a test database,
// cookies and CSRF tokens minted the way the server does, and form POSTs as Request objects.
import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.server";
import { organisations, users } from "../../db/schema";
import { csrfTokenForAnonymous, csrfTokenForSession } from "~/utils/csrf.server";
import { hashPassword } from "~/utils/password.server";
import type { Role } from "~/utils/permissions";
import { encryptSecret, randomToken, sha256Hex } from "~/utils/secrets.server";
import { createSession, sessionCookie } from "~/utils/session.server";
import { generateTotpSecret } from "~/utils/totp.server";
import { createCookie } from "@remix-run/node";
import { getEnv } from "~/utils/env.server";

export const ORIGIN = "http://localhost";

let counter = 0;

export interface TestUser {
  id: number;
  email: string;
  password: string;
  role: Role;
  totpSecret: string | null;
}

export async function makeUser(
  db: Database,
  input: { role: Role; email?: string; password?: string; totp?: boolean; status?: "active" | "invited" | "disabled"; organisation?: string },
): Promise<TestUser> {
  const n = ++counter;
  const email = input.email ?? `${input.role}${n}-${Date.now()}@example.jp`;
  const password = input.password ?? `correct horse battery ${n}`;
  const orgName = input.organisation ?? "テスト課";
  await db.insert(organisations).values({ name: orgName, kind: "municipality" }).onConflictDoNothing();
  const [org] = await db.select({ id: organisations.id }).from(organisations).where(sql`${organisations.name} = ${orgName}`);
  const totpSecret = input.totp ? generateTotpSecret() : null;
  const [row] = await db
    .insert(users)
    .values({
      email,
      displayName: `テスト ${input.role} ${n}`,
      role: input.role,
      organisationId: org.id,
      status: input.status ?? "active",
      passwordHash: input.status === "invited" ? null : await hashPassword(password),
      totpSecret: totpSecret ? encryptSecret(totpSecret) : null,
      totpEnabledAt: totpSecret ? new Date() : null,
    })
    .returning({ id: users.id });
  return { id: row.id, email, password, role: input.role, totpSecret };
}

/** A signed-in session for the user, as a Cookie header value plus its CSRF token. */
export async function signIn(
  db: Database,
  user: { id: number },
  options: { twoFactorVerified?: boolean; now?: Date; production?: boolean } = {},
): Promise<{ token: string; cookie: string; csrf: string }> {
  const { token } = await createSession(db, { userId: user.id, now: options.now ?? new Date(), twoFactorVerified: options.twoFactorVerified ?? false });
  return { token, cookie: await cookiePair(token, options.production), csrf: csrfTokenForSession(sha256Hex(token)) };
}

/** "name=value" of the session cookie for a token (Set-Cookie attributes dropped). */
export async function cookiePair(token: string, production?: boolean): Promise<string> {
  const setCookie = await sessionCookie(production === undefined ? {} : { production }).serialize(token);
  return setCookie.split(";")[0];
}

/** An anonymous visitor's CSRF cookie and the token its forms carry. */
export async function anonymous(production = false): Promise<{ cookie: string; csrf: string }> {
  const env = getEnv();
  const value = randomToken(32);
  const cookie = createCookie(production ? "__Host-csrf" : "csrf", { secrets: env.SESSION_SECRET, path: "/", httpOnly: true, sameSite: "lax", secure: production });
  return { cookie: (await cookie.serialize(value)).split(";")[0], csrf: csrfTokenForAnonymous(value) };
}

export function postForm(
  path: string,
  fields: Record<string, string>,
  options: { cookie?: string; origin?: string | null; secFetchSite?: string; userAgent?: string } = {},
): Request {
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (options.origin !== null) headers.Origin = options.origin ?? ORIGIN;
  if (options.cookie) headers.Cookie = options.cookie;
  if (options.secFetchSite) headers["Sec-Fetch-Site"] = options.secFetchSite;
  if (options.userAgent) headers["User-Agent"] = options.userAgent;
  return new Request(`${ORIGIN}${path}`, { method: "POST", headers, body: new URLSearchParams(fields).toString() });
}

export function getRequest(path: string, cookie?: string): Request {
  return new Request(`${ORIGIN}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

/** Status and payload of what a loader or action returned or threw (Response, data(), redirect). */
export async function outcome(run: () => Promise<unknown>): Promise<{ status: number; data: Record<string, unknown>; headers: Headers; thrown: boolean }> {
  let value: unknown;
  let thrown = false;
  try {
    value = await run();
  } catch (error) {
    value = error;
    thrown = true;
  }
  if (value instanceof Response) return { status: value.status, data: {}, headers: value.headers, thrown };
  if (value && typeof value === "object" && "type" in value && (value as { type: unknown }).type === "DataWithResponseInit") {
    const { data, init } = value as unknown as { data: Record<string, unknown>; init?: { status?: number; headers?: HeadersInit } | null };
    return { status: init?.status ?? 200, data: data ?? {}, headers: new Headers(init?.headers ?? {}), thrown };
  }
  if (thrown) throw value;
  return { status: 200, data: (value ?? {}) as Record<string, unknown>, headers: new Headers(), thrown };
}

/** The raw session token inside a Set-Cookie header from the server. */
export async function tokenFromSetCookie(headers: Headers, production?: boolean): Promise<string | null> {
  const setCookie = headers.getSetCookie().find((c) => /^(__Host-)?session=/.test(c));
  if (!setCookie) return null;
  const value: unknown = await sessionCookie(production === undefined ? {} : { production }).parse(setCookie.split(";")[0]);
  return typeof value === "string" && value.length > 0 ? value : null;
}

// Server-side sessions: the cookie carries a random 256-bit token, the database keeps only its
// SHA-256, so a copy of the sessions table opens no session. Every function takes `now`, which
// lets tests move the clock instead of faking timers.
import { createCookie, type Cookie } from "@remix-run/node";
import { and, eq, ne } from "drizzle-orm";
import type { Database, Executor } from "../../db/client.server";
import { organisations, sessions, users } from "../../db/schema";
import { getEnv } from "./env.server";
import { isRole, type Role } from "./permissions";
import { randomToken, sha256Hex } from "./secrets.server";

/** A session ends 12 hours after sign-in whatever happens (one working day). */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/**
 * Inactivity ends a session: 30 minutes where personal data or accounts are reachable; 2 hours
 * for coordinators, who edit venue pages between phone calls and see no personal data.
 */
export const SESSION_IDLE_MS: Record<Role, number> = {
  coordinator: 2 * 60 * 60 * 1000,
  staff: 30 * 60 * 1000,
  admin: 30 * 60 * 1000,
};
/** last_seen_at is written at most once a minute per session, not on every request. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export interface SessionUser {
  id: number;
  email: string;
  displayName: string;
  role: Role;
  organisationId: number;
  organisationName: string;
  totpEnabled: boolean;
}

export interface ActiveSession {
  id: number;
  tokenHash: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  twoFactorVerifiedAt: Date | null;
}

let cookieCache: { key: string; cookie: Cookie } | undefined;

/** `__Host-session` (Secure, host-only) in production; a plain name over http in development and tests. */
export function sessionCookie(options: { production?: boolean } = {}): Cookie {
  const env = getEnv();
  const production = options.production ?? env.NODE_ENV === "production";
  const key = `${production}:${env.SESSION_SECRET.join(",")}`;
  if (cookieCache?.key === key) return cookieCache.cookie;
  const cookie = createCookie(production ? "__Host-session" : "session", {
    httpOnly: true,
    secure: production,
    sameSite: "lax",
    path: "/",
    secrets: env.SESSION_SECRET,
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  });
  if (options.production === undefined) cookieCache = { key, cookie };
  return cookie;
}

export async function sessionTokenFrom(request: Request): Promise<string | null> {
  const value: unknown = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length >= 32 && value.length <= 64 ? value : null;
}

export function commitSessionCookie(token: string): Promise<string> {
  return sessionCookie().serialize(token);
}

export function clearSessionCookie(): Promise<string> {
  return sessionCookie().serialize("", { maxAge: 0, expires: new Date(0) });
}

export async function createSession(
  db: Database,
  input: { userId: number; now: Date; userAgent?: string; twoFactorVerified?: boolean },
): Promise<{ token: string; sessionId: number }> {
  const token = randomToken(32);
  const [row] = await db
    .insert(sessions)
    .values({
      tokenHash: sha256Hex(token),
      userId: input.userId,
      createdAt: input.now,
      lastSeenAt: input.now,
      expiresAt: new Date(input.now.getTime() + SESSION_ABSOLUTE_MS),
      twoFactorVerifiedAt: input.twoFactorVerified ? input.now : null,
      userAgent: input.userAgent ?? null,
    })
    .returning({ id: sessions.id });
  return { token, sessionId: row.id };
}

/**
 * The session and its user, or null when the token is unknown, past its absolute or idle limit,
 * or the account is no longer active (such a session is deleted on the spot).
 */
export async function readSession(db: Database, token: string, now: Date): Promise<{ session: ActiveSession; user: SessionUser } | null> {
  const tokenHash = sha256Hex(token);
  const [row] = await db
    .select({
      id: sessions.id,
      tokenHash: sessions.tokenHash,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      twoFactorVerifiedAt: sessions.twoFactorVerifiedAt,
      userId: users.id,
      email: users.email,
      displayName: users.displayName,
      role: users.role,
      status: users.status,
      organisationId: users.organisationId,
      organisationName: organisations.name,
      totpEnabledAt: users.totpEnabledAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(organisations, eq(organisations.id, users.organisationId))
    .where(eq(sessions.tokenHash, tokenHash))
    .limit(1);
  if (!row) return null;
  const role = isRole(row.role) ? row.role : null;
  const idleLimit = role ? SESSION_IDLE_MS[role] : 0;
  const expired =
    row.expiresAt.getTime() <= now.getTime() || row.lastSeenAt.getTime() + idleLimit <= now.getTime() || row.status !== "active" || !role;
  if (expired || !role) {
    await db.delete(sessions).where(eq(sessions.id, row.id));
    return null;
  }
  let lastSeenAt = row.lastSeenAt;
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_INTERVAL_MS) {
    lastSeenAt = now;
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.id));
  }
  return {
    session: {
      id: row.id,
      tokenHash: row.tokenHash,
      createdAt: row.createdAt,
      lastSeenAt,
      expiresAt: row.expiresAt,
      twoFactorVerifiedAt: row.twoFactorVerifiedAt,
    },
    user: {
      id: row.userId,
      email: row.email,
      displayName: row.displayName,
      role,
      organisationId: row.organisationId,
      organisationName: row.organisationName,
      totpEnabled: row.totpEnabledAt !== null,
    },
  };
}

export async function deleteSessionByToken(db: Database, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256Hex(token)));
}

/** Revokes one of the user's own sessions; false when it is not theirs (or already gone). */
export async function revokeSession(db: Database, input: { userId: number; sessionId: number }): Promise<boolean> {
  const deleted = await db
    .delete(sessions)
    .where(and(eq(sessions.id, input.sessionId), eq(sessions.userId, input.userId)))
    .returning({ id: sessions.id });
  return deleted.length > 0;
}

export async function revokeOtherSessions(db: Database, input: { userId: number; keepSessionId: number }): Promise<number> {
  const deleted = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, input.userId), ne(sessions.id, input.keepSessionId)))
    .returning({ id: sessions.id });
  return deleted.length;
}

export async function revokeAllSessions(db: Executor, userId: number): Promise<number> {
  const deleted = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
  return deleted.length;
}

/** The user's sessions that are still valid at `now`, newest activity first. */
export async function listSessions(db: Database, input: { userId: number; role: Role; now: Date }) {
  const rows = await db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      userAgent: sessions.userAgent,
      twoFactorVerifiedAt: sessions.twoFactorVerifiedAt,
    })
    .from(sessions)
    .where(eq(sessions.userId, input.userId));
  const idle = SESSION_IDLE_MS[input.role];
  return rows
    .filter((s) => s.expiresAt.getTime() > input.now.getTime() && s.lastSeenAt.getTime() + idle > input.now.getTime())
    .sort((a, b) => b.lastSeenAt.getTime() - a.lastSeenAt.getTime());
}

// Attempt limits kept in the database, so every app process counts the same attempts. A sliding
// window over one row per attempt: insert first, then count, so parallel attempts cannot all
// slip under the limit. Keys are HMACs: the table never holds an address or an IP.
import { and, eq, gt, lt, sql } from "drizzle-orm";
import type { Database } from "../../db/client.server";
import { rateLimitEvents } from "../../db/schema";
import { hmacHex } from "./secrets.server";

export interface Limit {
  name: string;
  max: number;
  windowMs: number;
}

const MINUTE = 60 * 1000;

/** The limits in one place (docs/decisions/004-accounts-and-audit.md explains the numbers). */
export const LIMITS = {
  /** Wrong passwords for one address: the 6th within 15 minutes is refused. */
  loginAccount: { name: "login:account", max: 5, windowMs: 15 * MINUTE },
  /** Wrong passwords from one IP, across addresses (an office shares one IP: kept generous). */
  loginIp: { name: "login:ip", max: 30, windowMs: 15 * MINUTE },
  /** Wrong TOTP or recovery codes for one account. */
  twoFactorAccount: { name: "2fa:account", max: 5, windowMs: 15 * MINUTE },
  /** Invitations sent by one admin. */
  inviteActor: { name: "invite:actor", max: 30, windowMs: 60 * MINUTE },
  /** Reset mails requested for one address, and from one IP. */
  resetAccount: { name: "reset:account", max: 3, windowMs: 60 * MINUTE },
  resetIp: { name: "reset:ip", max: 20, windowMs: 60 * MINUTE },
  /** Invite or reset links tried from one IP (tokens are 256-bit; this stops noise, not guessing). */
  tokenIp: { name: "token:ip", max: 30, windowMs: 15 * MINUTE },
  /** 「情報の修正を報告」 from one IP (residents, no login): a few a day is plenty; a flood is a bot. */
  correctionIp: { name: "correction:ip", max: 5, windowMs: 60 * MINUTE },
} as const satisfies Record<string, Limit>;

const RETENTION_MS = 24 * 60 * MINUTE;

function keyOf(limit: Limit, subject: string): string {
  return `${limit.name}:${hmacHex("rate-limit", subject).slice(0, 40)}`;
}

export interface Attempt {
  limited: boolean;
  /** When the oldest counted attempt leaves the window. */
  retryAfterMs: number;
  /** The row of this attempt, to forget it when the attempt turns out fine. */
  eventId: number;
}

/** Counts one attempt and says whether it is over the limit. */
export async function countAttempt(db: Database, limit: Limit, subject: string, now: Date): Promise<Attempt> {
  const key = keyOf(limit, subject);
  const [event] = await db.insert(rateLimitEvents).values({ key, at: now }).returning({ id: rateLimitEvents.id });
  const since = new Date(now.getTime() - limit.windowMs);
  const [row] = await db
    .select({ n: sql<number>`count(*)::int`, oldest: sql<Date | string | null>`min(${rateLimitEvents.at})` })
    .from(rateLimitEvents)
    .where(and(eq(rateLimitEvents.key, key), gt(rateLimitEvents.at, since)));
  if (Math.random() < 0.01) await pruneRateLimitEvents(db, now);
  const oldest = row.oldest ? new Date(row.oldest).getTime() : now.getTime();
  return { limited: row.n > limit.max, retryAfterMs: Math.max(0, oldest + limit.windowMs - now.getTime()), eventId: event.id };
}

/** Whether the subject is over the limit now, without counting an attempt. */
export async function isLimited(db: Database, limit: Limit, subject: string, now: Date): Promise<boolean> {
  const since = new Date(now.getTime() - limit.windowMs);
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(rateLimitEvents)
    .where(and(eq(rateLimitEvents.key, keyOf(limit, subject)), gt(rateLimitEvents.at, since)));
  return row.n >= limit.max;
}

/** Forgets the subject's attempts (a correct password clears the account's count). */
export async function clearAttempts(db: Database, limit: Limit, subject: string): Promise<void> {
  await db.delete(rateLimitEvents).where(eq(rateLimitEvents.key, keyOf(limit, subject)));
}

export async function forgetAttempt(db: Database, eventId: number): Promise<void> {
  await db.delete(rateLimitEvents).where(eq(rateLimitEvents.id, eventId));
}

export async function pruneRateLimitEvents(db: Database, now: Date): Promise<void> {
  await db.delete(rateLimitEvents).where(lt(rateLimitEvents.at, new Date(now.getTime() - RETENTION_MS)));
}

/** 「15分ほど」: minutes rounded up, for the lockout message. */
export function minutesUntil(ms: number): number {
  return Math.max(1, Math.ceil(ms / MINUTE));
}

// Invite and password-reset tokens: 256-bit random, stored as SHA-256, single use, expiring.
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Database, Executor } from "../../db/client.server";
import { users, userTokens } from "../../db/schema";
import { randomToken, sha256Hex } from "~/utils/secrets.server";

export type TokenPurpose = "invite" | "reset";

/** An invite gives a week to respond; a reset link is for now. */
export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  invite: 7 * 24 * 60 * 60 * 1000,
  reset: 60 * 60 * 1000,
};

/** Creates a token and retires the user's earlier unused ones of the same purpose. */
export async function issueUserToken(db: Executor, input: { userId: number; purpose: TokenPurpose; createdBy: number | null; now: Date }): Promise<string> {
  await db
    .update(userTokens)
    .set({ usedAt: input.now })
    .where(and(eq(userTokens.userId, input.userId), eq(userTokens.purpose, input.purpose), isNull(userTokens.usedAt)));
  const token = randomToken(32);
  await db.insert(userTokens).values({
    userId: input.userId,
    purpose: input.purpose,
    tokenHash: sha256Hex(token),
    createdAt: input.now,
    expiresAt: new Date(input.now.getTime() + TOKEN_LIFETIME_MS[input.purpose]),
    createdBy: input.createdBy,
  });
  return token;
}

/** Whose token this is, without using it up (the GET of the link page). */
export async function peekUserToken(db: Database, input: { token: string; purpose: TokenPurpose; now: Date }) {
  if (!isPlausibleToken(input.token)) return null;
  const [row] = await db
    .select({ userId: users.id, email: users.email, displayName: users.displayName, status: users.status })
    .from(userTokens)
    .innerJoin(users, eq(users.id, userTokens.userId))
    .where(
      and(eq(userTokens.tokenHash, sha256Hex(input.token)), eq(userTokens.purpose, input.purpose), isNull(userTokens.usedAt), gt(userTokens.expiresAt, input.now)),
    )
    .limit(1);
  return row ?? null;
}

/** Uses the token up; only one request can win. Returns the user id, or null. */
export async function consumeUserToken(db: Executor, input: { token: string; purpose: TokenPurpose; now: Date }): Promise<number | null> {
  if (!isPlausibleToken(input.token)) return null;
  const [row] = await db
    .update(userTokens)
    .set({ usedAt: input.now })
    .where(
      and(eq(userTokens.tokenHash, sha256Hex(input.token)), eq(userTokens.purpose, input.purpose), isNull(userTokens.usedAt), gt(userTokens.expiresAt, input.now)),
    )
    .returning({ userId: userTokens.userId });
  return row?.userId ?? null;
}

export function isPlausibleToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

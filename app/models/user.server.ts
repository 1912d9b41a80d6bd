// Account queries. Each selects only the columns its caller needs; password and TOTP material
// leave this module only through the functions that need them (login, 2FA).
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Database, Executor } from "../../db/client.server";
import { organisations, recoveryCodes, sessions, users } from "../../db/schema";
import type { Role } from "~/utils/permissions";

export async function getUserForLogin(db: Database, { email }: { email: string }) {
  const [row] = await db
    .select({ id: users.id, role: users.role, status: users.status, passwordHash: users.passwordHash, totpEnabledAt: users.totpEnabledAt })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  return row ?? null;
}

export async function getUserByEmail(db: Database, { email }: { email: string }) {
  const [row] = await db
    .select({ id: users.id, role: users.role, status: users.status, displayName: users.displayName, email: users.email })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  return row ?? null;
}

export async function getUserSummary(db: Executor, { id }: { id: number }) {
  const [row] = await db
    .select({ id: users.id, email: users.email, displayName: users.displayName, role: users.role, status: users.status, organisationId: users.organisationId })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return row ?? null;
}

/** The admin's user list: no secrets, only whether TOTP is set and when they last signed in. */
export async function listUsersForAdmin(db: Database) {
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      displayName: users.displayName,
      role: users.role,
      status: users.status,
      organisationId: users.organisationId,
      organisationName: organisations.name,
      totpEnabledAt: users.totpEnabledAt,
      lastLoginAt: users.lastLoginAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .innerJoin(organisations, eq(organisations.id, users.organisationId))
    .orderBy(asc(organisations.name), asc(users.displayName));
  return rows;
}

export function listUserNames(db: Database) {
  return db.select({ id: users.id, displayName: users.displayName }).from(users).orderBy(asc(users.displayName));
}

export async function createInvitedUser(
  db: Executor,
  input: { email: string; displayName: string; role: Role; organisationId: number; now: Date },
): Promise<number> {
  const [row] = await db
    .insert(users)
    .values({ ...input, status: "invited", createdAt: input.now, updatedAt: input.now })
    .returning({ id: users.id });
  return row.id;
}

/** Sets a new password; the invite case also activates the account. Existing sessions end. */
export async function setPassword(db: Executor, input: { userId: number; passwordHash: string; now: Date; activate?: boolean }): Promise<void> {
  await db
    .update(users)
    .set({
      passwordHash: input.passwordHash,
      passwordChangedAt: input.now,
      updatedAt: input.now,
      ...(input.activate ? { status: "active" } : {}),
    })
    .where(eq(users.id, input.userId));
  await db.delete(sessions).where(eq(sessions.userId, input.userId));
}

export async function recordLogin(db: Database, { userId, now }: { userId: number; now: Date }): Promise<void> {
  await db.update(users).set({ lastLoginAt: now }).where(eq(users.id, userId));
}

export async function updateUserRoleAndOrganisation(db: Executor, input: { userId: number; role: Role; organisationId: number; now: Date }) {
  await db.update(users).set({ role: input.role, organisationId: input.organisationId, updatedAt: input.now }).where(eq(users.id, input.userId));
}

export async function setUserStatus(db: Executor, input: { userId: number; status: "active" | "disabled"; now: Date }) {
  await db.update(users).set({ status: input.status, updatedAt: input.now }).where(eq(users.id, input.userId));
  if (input.status === "disabled") await db.delete(sessions).where(eq(sessions.userId, input.userId));
}

export async function countActiveAdmins(db: Executor): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.role, "admin"), eq(users.status, "active")));
  return row.n;
}

// --- TOTP -----------------------------------------------------------------------------------

export async function getTotpState(db: Database, { userId }: { userId: number }) {
  const [row] = await db
    .select({
      totpSecret: users.totpSecret,
      totpPendingSecret: users.totpPendingSecret,
      totpEnabledAt: users.totpEnabledAt,
      totpLastStep: users.totpLastStep,
    })
    .from(users)
    .where(eq(users.id, userId));
  return row ?? null;
}

export async function setPendingTotpSecret(db: Database, input: { userId: number; sealedSecret: string | null }) {
  await db.update(users).set({ totpPendingSecret: input.sealedSecret }).where(eq(users.id, input.userId));
}

/** Turns the pending secret into the active one and replaces the recovery codes. */
export async function enableTotp(db: Executor, input: { userId: number; sealedSecret: string; step: number; recoveryCodeHashes: string[]; now: Date }) {
  await db
    .update(users)
    .set({ totpSecret: input.sealedSecret, totpPendingSecret: null, totpEnabledAt: input.now, totpLastStep: input.step, updatedAt: input.now })
    .where(eq(users.id, input.userId));
  await replaceRecoveryCodes(db, input);
}

/**
 * Records the step of an accepted code, only if it is newer than the last one: two requests
 * racing with the same code cannot both succeed.
 */
export async function claimTotpStep(db: Database, input: { userId: number; step: number }): Promise<boolean> {
  const updated = await db
    .update(users)
    .set({ totpLastStep: input.step })
    .where(and(eq(users.id, input.userId), sql`(${users.totpLastStep} is null or ${users.totpLastStep} < ${input.step})`))
    .returning({ id: users.id });
  return updated.length > 0;
}

export async function disableTotp(db: Executor, input: { userId: number; now: Date }) {
  await db
    .update(users)
    .set({ totpSecret: null, totpPendingSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: input.now })
    .where(eq(users.id, input.userId));
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, input.userId));
}

export async function replaceRecoveryCodes(db: Executor, input: { userId: number; recoveryCodeHashes: string[]; now: Date }) {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, input.userId));
  if (input.recoveryCodeHashes.length > 0) {
    await db.insert(recoveryCodes).values(input.recoveryCodeHashes.map((codeHash) => ({ userId: input.userId, codeHash, createdAt: input.now })));
  }
}

/** Uses a recovery code once: true only for the request that marked it used. */
export async function redeemRecoveryCode(db: Database, input: { userId: number; codeHash: string; now: Date }): Promise<boolean> {
  const updated = await db
    .update(recoveryCodes)
    .set({ usedAt: input.now })
    .where(and(eq(recoveryCodes.userId, input.userId), eq(recoveryCodes.codeHash, input.codeHash), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return updated.length > 0;
}

export async function countUnusedRecoveryCodes(db: Database, { userId }: { userId: number }): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return row.n;
}

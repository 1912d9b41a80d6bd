// Signing in with an address and password. Unknown, invited and disabled accounts take the same
// path and the same time as a wrong password (a dummy argon2 verification), and the attempt limit
// is keyed by the address whether or not it has an account, so nothing tells which addresses exist.
import type { Database } from "../../db/client.server";
import { getUserForLogin, recordLogin } from "~/models/user.server";
import { recordAudit } from "~/utils/audit.server";
import { verifyDummyPassword, verifyPassword } from "~/utils/password.server";
import { isRole, roleRequiresTwoFactor } from "~/utils/permissions";
import { clearAttempts, countAttempt, forgetAttempt, LIMITS, minutesUntil } from "~/utils/rate-limit.server";
import type { RequestInfo } from "~/utils/request.server";
import { createSession, deleteSessionByToken } from "~/utils/session.server";

export const LOGIN_FAILED = {
  message: "メールアドレスまたはパスワードが正しくありません。",
  messageEn: "The e-mail address or password is not correct.",
};

export function lockoutMessage(retryAfterMs: number) {
  const minutes = minutesUntil(retryAfterMs);
  return {
    message: `ログインの試行回数が上限を超えたため、一時的にログインできなくなっています。${minutes}分ほど待ってから、もう一度お試しください。パスワードを忘れた場合は「パスワードを忘れた方」から再設定できます。`,
    messageEn: `Too many sign-in attempts. Please wait about ${minutes} minutes and try again.`,
  };
}

export type LoginResult =
  | { kind: "ok"; token: string; userId: number; needsTwoFactor: boolean; mustEnrolTwoFactor: boolean }
  | { kind: "failed" }
  | { kind: "locked"; retryAfterMs: number };

export async function attemptLogin(
  db: Database,
  input: { email: string; password: string; info: RequestInfo; now: Date; previousToken: string | null },
): Promise<LoginResult> {
  const { email, password, info, now } = input;
  // Counted before checking, so parallel guesses cannot all slip under the limit.
  const account = await countAttempt(db, LIMITS.loginAccount, email, now);
  const ip = await countAttempt(db, LIMITS.loginIp, info.ipHash, now);
  const user = await getUserForLogin(db, { email });
  if (account.limited || ip.limited) {
    await recordAudit(db, {
      action: "auth.login.locked",
      outcome: "denied",
      recordType: "user",
      recordId: user?.id ?? null,
      requestId: info.requestId,
      ipHash: info.ipHash,
      at: now,
    });
    return { kind: "locked", retryAfterMs: Math.max(account.limited ? account.retryAfterMs : 0, ip.limited ? ip.retryAfterMs : 0) };
  }

  const usable = user && user.status === "active" && user.passwordHash && isRole(user.role) ? user : null;
  const ok = usable?.passwordHash ? await verifyPassword(usable.passwordHash, password) : await verifyDummyPassword(password);
  if (!usable || !ok || !isRole(usable.role)) {
    await recordAudit(db, {
      action: "auth.login",
      outcome: "failure",
      recordType: "user",
      recordId: user?.id ?? null,
      requestId: info.requestId,
      ipHash: info.ipHash,
      at: now,
    });
    return { kind: "failed" };
  }

  await clearAttempts(db, LIMITS.loginAccount, email);
  await forgetAttempt(db, ip.eventId);
  // A new session id at every sign-in: a session id planted before login is worth nothing after.
  if (input.previousToken) await deleteSessionByToken(db, input.previousToken);
  const { token, sessionId } = await createSession(db, { userId: usable.id, now, userAgent: info.userAgent, twoFactorVerified: false });
  await recordLogin(db, { userId: usable.id, now });
  await recordAudit(db, {
    action: "auth.login",
    actor: { id: usable.id, role: usable.role },
    recordType: "session",
    recordId: sessionId,
    requestId: info.requestId,
    ipHash: info.ipHash,
    at: now,
  });
  return {
    kind: "ok",
    token,
    userId: usable.id,
    needsTwoFactor: usable.totpEnabledAt !== null,
    mustEnrolTwoFactor: usable.totpEnabledAt === null && roleRequiresTwoFactor(usable.role),
  };
}

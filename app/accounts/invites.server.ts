// Invitations and password resets: a single-use link by mail that sets a password. The link's
// token is never logged or stored in the clear; using it ends every existing session of the account.
import type { Database } from "../../db/client.server";
import { ensureOrganisation, getOrganisation } from "~/models/organisation.server";
import { createInvitedUser, getUserByEmail, getUserSummary, setPassword } from "~/models/user.server";
import { consumeUserToken, issueUserToken, peekUserToken, TOKEN_LIFETIME_MS } from "~/models/user-token.server";
import { recordAudit } from "~/utils/audit.server";
import { log } from "~/utils/logger.server";
import { getMailTransport, type MailMessage } from "~/utils/mail.server";
import { hashPassword, passwordPolicyProblems } from "~/utils/password.server";
import { ROLE_LABELS, type Role } from "~/utils/permissions";
import { countAttempt, LIMITS } from "~/utils/rate-limit.server";
import type { RequestInfo } from "~/utils/request.server";
import { SITE_NAME } from "~/utils/site";

const dateTime = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", dateStyle: "long", timeStyle: "short" });

async function sendMail(message: MailMessage, info: RequestInfo): Promise<boolean> {
  try {
    await getMailTransport().send(message, { requestId: info.requestId });
    return true;
  } catch (error) {
    log("error", "mail.failed", { kind: message.kind, requestId: info.requestId, error: error instanceof Error ? error.name : "unknown" });
    return false;
  }
}

function inviteMail(input: { to: string; displayName: string; inviterName?: string; roleLabel: string; organisationName?: string; url: string; expiresAt: Date }): MailMessage {
  return {
    kind: "invite",
    to: input.to,
    subject: `【${SITE_NAME}】アカウントへの招待`,
    text: [
      `${input.displayName} 様`,
      "",
      input.inviterName
        ? `${SITE_NAME}の管理者（${input.inviterName}）から、アカウントへの招待が届いています。`
        : `${SITE_NAME}のアカウントへの招待を、あらためてお送りします。`,
      `  役割: ${input.roleLabel}`,
      ...(input.organisationName ? [`  所属: ${input.organisationName}`] : []),
      "",
      "次のリンクを開いて、パスワードを設定してください。",
      input.url,
      "",
      `このリンクは1回だけ使えます。有効期限: ${dateTime.format(input.expiresAt)}`,
      "お心当たりのない場合は、このメールを破棄してください。",
    ].join("\n"),
  };
}

function resetMail(input: { to: string; displayName: string; url: string; expiresAt: Date }): MailMessage {
  return {
    kind: "password-reset",
    to: input.to,
    subject: `【${SITE_NAME}】パスワードの再設定`,
    text: [
      `${input.displayName} 様`,
      "",
      "パスワードの再設定を受け付けました。次のリンクを開いて、新しいパスワードを設定してください。",
      input.url,
      "",
      `このリンクは1回だけ使えます。有効期限: ${dateTime.format(input.expiresAt)}`,
      "お心当たりのない場合は、このメールを破棄してください（パスワードは変わりません）。",
    ].join("\n"),
  };
}

function passwordChangedMail(input: { to: string; displayName: string; at: Date }): MailMessage {
  return {
    kind: "password-changed",
    to: input.to,
    subject: `【${SITE_NAME}】パスワードが設定されました`,
    text: [
      `${input.displayName} 様`,
      "",
      `${dateTime.format(input.at)} に、アカウントのパスワードが設定されました。ほかの端末のログインはすべて終了しています。`,
      "お心当たりのない場合は、すぐに管理者へ連絡してください。",
    ].join("\n"),
  };
}

export type InviteResult =
  | { kind: "ok"; userId: number; mailed: boolean }
  | { kind: "exists" }
  | { kind: "no-organisation" }
  | { kind: "limited"; retryAfterMs: number };

export async function inviteUser(
  db: Database,
  input: {
    actor: { id: number; role: Role; displayName: string };
    email: string;
    displayName: string;
    role: Role;
    organisationId: number;
    origin: string;
    info: RequestInfo;
    now: Date;
  },
): Promise<InviteResult> {
  const { actor, info, now } = input;
  const attempt = await countAttempt(db, LIMITS.inviteActor, `user:${actor.id}`, now);
  if (attempt.limited) return { kind: "limited", retryAfterMs: attempt.retryAfterMs };
  const organisation = await getOrganisation(db, { id: input.organisationId });
  if (!organisation) return { kind: "no-organisation" };
  if (await getUserByEmail(db, { email: input.email })) return { kind: "exists" };
  let created: { userId: number; token: string };
  try {
    created = await db.transaction(async (tx) => {
      const userId = await createInvitedUser(tx, { email: input.email, displayName: input.displayName, role: input.role, organisationId: organisation.id, now });
      const token = await issueUserToken(tx, { userId, purpose: "invite", createdBy: actor.id, now });
      await recordAudit(tx, {
        action: "user.invite",
        actor: { id: actor.id, role: actor.role },
        recordType: "user",
        recordId: userId,
        requestId: info.requestId,
        ipHash: info.ipHash,
        at: now,
      });
      return { userId, token };
    });
  } catch (error) {
    // Two admins inviting the same address at once: the unique index decides.
    if (await getUserByEmail(db, { email: input.email })) return { kind: "exists" };
    throw error;
  }
  const mailed = await sendMail(
    inviteMail({
      to: input.email,
      displayName: input.displayName,
      inviterName: actor.displayName,
      roleLabel: ROLE_LABELS[input.role],
      organisationName: organisation.name,
      url: `${input.origin}/invite/${created.token}`,
      expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS.invite),
    }),
    info,
  );
  return { kind: "ok", userId: created.userId, mailed };
}

/** A new invite link for someone who has not accepted yet (the earlier link stops working). */
export async function resendInvite(
  db: Database,
  input: { actor: { id: number; role: Role; displayName: string }; userId: number; origin: string; info: RequestInfo; now: Date },
): Promise<"ok" | "not-invited" | "limited"> {
  const { actor, info, now } = input;
  const attempt = await countAttempt(db, LIMITS.inviteActor, `user:${actor.id}`, now);
  if (attempt.limited) return "limited";
  const user = await getUserSummary(db, { id: input.userId });
  if (!user || user.status !== "invited") return "not-invited";
  const token = await db.transaction(async (tx) => {
    const issued = await issueUserToken(tx, { userId: user.id, purpose: "invite", createdBy: actor.id, now });
    await recordAudit(tx, { action: "user.invite", actor: { id: actor.id, role: actor.role }, recordType: "user", recordId: user.id, purpose: "招待の再送", requestId: info.requestId, ipHash: info.ipHash, at: now });
    return issued;
  });
  await sendMail(
    inviteMail({
      to: user.email,
      displayName: user.displayName,
      inviterName: actor.displayName,
      roleLabel: ROLE_LABELS[user.role as Role] ?? user.role,
      url: `${input.origin}/invite/${token}`,
      expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS.invite),
    }),
    info,
  );
  return "ok";
}

export type SetPasswordResult = { kind: "ok" } | { kind: "invalid-link" } | { kind: "weak"; problems: string[] } | { kind: "limited"; retryAfterMs: number };

/** The invite or reset page: sets the password and uses the link up, in one transaction. */
export async function setPasswordWithToken(
  db: Database,
  input: { purpose: "invite" | "reset"; token: string; password: string; info: RequestInfo; now: Date },
): Promise<SetPasswordResult> {
  const { info, now } = input;
  const attempt = await countAttempt(db, LIMITS.tokenIp, info.ipHash, now);
  if (attempt.limited) return { kind: "limited", retryAfterMs: attempt.retryAfterMs };
  const holder = await peekUserToken(db, { token: input.token, purpose: input.purpose, now });
  if (!holder || holder.status === "disabled" || (input.purpose === "reset" && holder.status !== "active")) return { kind: "invalid-link" };
  const problems = passwordPolicyProblems(input.password, { email: holder.email });
  if (problems.length > 0) return { kind: "weak", problems };
  const passwordHash = await hashPassword(input.password);
  const userId = await db.transaction(async (tx) => {
    const owner = await consumeUserToken(tx, { token: input.token, purpose: input.purpose, now });
    if (owner !== holder.userId) return null;
    await setPassword(tx, { userId: owner, passwordHash, now, activate: input.purpose === "invite" });
    const user = await getUserSummary(tx, { id: owner });
    await recordAudit(tx, {
      action: input.purpose === "invite" ? "user.invite.accept" : "auth.password.reset",
      actor: user ? { id: owner, role: user.role as Role } : null,
      recordType: "user",
      recordId: owner,
      requestId: info.requestId,
      ipHash: info.ipHash,
      at: now,
    });
    return owner;
  });
  if (userId === null) return { kind: "invalid-link" };
  await sendMail(passwordChangedMail({ to: holder.email, displayName: holder.displayName, at: now }), info);
  return { kind: "ok" };
}

export type ResetRequestResult = { kind: "accepted" } | { kind: "limited"; retryAfterMs: number };

/**
 * Always answers "accepted" for an address that is not limited, whether or not it has an
 * account; only a real, active account gets a mail (an invited one gets its invite again).
 */
export async function requestPasswordReset(db: Database, input: { email: string; origin: string; info: RequestInfo; now: Date }): Promise<ResetRequestResult> {
  const { info, now } = input;
  const byIp = await countAttempt(db, LIMITS.resetIp, info.ipHash, now);
  const byAccount = await countAttempt(db, LIMITS.resetAccount, input.email, now);
  if (byIp.limited || byAccount.limited) {
    return { kind: "limited", retryAfterMs: Math.max(byIp.limited ? byIp.retryAfterMs : 0, byAccount.limited ? byAccount.retryAfterMs : 0) };
  }
  const user = await getUserByEmail(db, { email: input.email });
  const purpose = user?.status === "active" ? "reset" : user?.status === "invited" ? "invite" : null;
  if (!user || !purpose) {
    await recordAudit(db, { action: "auth.password.reset-request", outcome: "failure", recordType: "user", requestId: info.requestId, ipHash: info.ipHash, at: now });
    return { kind: "accepted" };
  }
  const token = await db.transaction(async (tx) => {
    const issued = await issueUserToken(tx, { userId: user.id, purpose, createdBy: null, now });
    await recordAudit(tx, { action: "auth.password.reset-request", recordType: "user", recordId: user.id, requestId: info.requestId, ipHash: info.ipHash, at: now });
    return issued;
  });
  const expiresAt = new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]);
  await sendMail(
    purpose === "reset"
      ? resetMail({ to: user.email, displayName: user.displayName, url: `${input.origin}/password/reset/${token}`, expiresAt })
      : inviteMail({
          to: user.email,
          displayName: user.displayName,
          roleLabel: ROLE_LABELS[user.role as Role] ?? user.role,
          url: `${input.origin}/invite/${token}`,
          expiresAt,
        }),
    info,
  );
  return { kind: "accepted" };
}

export type AdminInviteResult = { kind: "invited"; userId: number; url: string } | { kind: "exists"; status: string };

/**
 * The first administrator (scripts/create-admin.ts): an invited admin account and its invite link,
 * which the operator opens to set the password. Re-running for an account still invited issues a
 * fresh link; an active account is left alone.
 */
export async function createAdminInvite(
  db: Database,
  input: { email: string; displayName: string; organisationName: string; origin: string; now: Date },
): Promise<AdminInviteResult> {
  const existing = await getUserByEmail(db, { email: input.email });
  if (existing && existing.status !== "invited") return { kind: "exists", status: existing.status };
  return db.transaction(async (tx) => {
    const organisation = await ensureOrganisation(tx, { name: input.organisationName, kind: "municipality" });
    const userId =
      existing?.id ??
      (await createInvitedUser(tx, { email: input.email, displayName: input.displayName, role: "admin", organisationId: organisation.id, now: input.now }));
    const token = await issueUserToken(tx, { userId, purpose: "invite", createdBy: null, now: input.now });
    await recordAudit(tx, { action: "user.invite", recordType: "user", recordId: userId, purpose: "scripts/create-admin.ts", at: input.now });
    return { kind: "invited" as const, userId, url: `${input.origin}/invite/${token}` };
  });
}

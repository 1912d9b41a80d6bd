// What an administrator changes on /admin/users, each change written together with its audit row.
import type { Database } from "../../db/client.server";
import { ensureOrganisation, getOrganisation } from "~/models/organisation.server";
import { countActiveAdmins, disableTotp, getUserSummary, setUserStatus, updateUserRoleAndOrganisation } from "~/models/user.server";
import { recordAudit } from "~/utils/audit.server";
import type { OrganisationKind, Role } from "~/utils/permissions";
import type { RequestInfo } from "~/utils/request.server";
import { revokeAllSessions } from "~/utils/session.server";

type Actor = { id: number; role: Role };

export type AdminChangeResult = { kind: "ok" } | { kind: "not-found" } | { kind: "refused"; message: string };

const SELF_REFUSED = "自分自身の役割・状態・二要素認証は、ここでは変更できません（ほかの管理者に依頼してください）。";

export async function changeRoleAndOrganisation(
  db: Database,
  input: { actor: Actor; userId: number; role: Role; organisationId: number; info: RequestInfo; now: Date },
): Promise<AdminChangeResult> {
  const { actor, info, now } = input;
  if (input.userId === actor.id) return { kind: "refused", message: SELF_REFUSED };
  const user = await getUserSummary(db, { id: input.userId });
  if (!user) return { kind: "not-found" };
  if (!(await getOrganisation(db, { id: input.organisationId }))) return { kind: "not-found" };
  await db.transaction(async (tx) => {
    const before = await getUserSummary(tx, { id: input.userId });
    await updateUserRoleAndOrganisation(tx, { userId: input.userId, role: input.role, organisationId: input.organisationId, now });
    const base = { actor, recordType: "user", recordId: input.userId, requestId: info.requestId, ipHash: info.ipHash, at: now } as const;
    if (before?.role !== input.role) await recordAudit(tx, { ...base, action: "user.role.change" });
    if (before?.organisationId !== input.organisationId) await recordAudit(tx, { ...base, action: "user.organisation.change" });
    // New permissions take effect on the next request; ending sessions makes a demotion immediate
    // for pages already open and forces TOTP enrolment when the new role needs it.
    if (before?.role !== input.role) await revokeAllSessions(tx, input.userId);
  });
  return { kind: "ok" };
}

export async function changeStatus(
  db: Database,
  input: { actor: Actor; userId: number; status: "active" | "disabled"; info: RequestInfo; now: Date },
): Promise<AdminChangeResult> {
  const { actor, info, now } = input;
  if (input.userId === actor.id) return { kind: "refused", message: SELF_REFUSED };
  const user = await getUserSummary(db, { id: input.userId });
  if (!user) return { kind: "not-found" };
  if (user.status === "invited") return { kind: "refused", message: "招待中のアカウントは、パスワードが設定されるまで状態を変更できません。" };
  if (input.status === "disabled" && user.role === "admin" && (await countActiveAdmins(db)) <= 1) {
    return { kind: "refused", message: "最後の管理者は停止できません。" };
  }
  await db.transaction(async (tx) => {
    await setUserStatus(tx, { userId: input.userId, status: input.status, now });
    await recordAudit(tx, {
      action: input.status === "disabled" ? "user.disable" : "user.enable",
      actor,
      recordType: "user",
      recordId: input.userId,
      requestId: info.requestId,
      ipHash: info.ipHash,
      at: now,
    });
  });
  return { kind: "ok" };
}

/** For a lost phone: clears TOTP and recovery codes; the user enrols again at next sign-in. */
export async function resetTwoFactor(db: Database, input: { actor: Actor; userId: number; info: RequestInfo; now: Date }): Promise<AdminChangeResult> {
  const { actor, info, now } = input;
  if (input.userId === actor.id) return { kind: "refused", message: SELF_REFUSED };
  const user = await getUserSummary(db, { id: input.userId });
  if (!user) return { kind: "not-found" };
  await db.transaction(async (tx) => {
    await disableTotp(tx, { userId: input.userId, now });
    await revokeAllSessions(tx, input.userId);
    await recordAudit(tx, { action: "auth.2fa.reset", actor, recordType: "user", recordId: input.userId, requestId: info.requestId, ipHash: info.ipHash, at: now });
  });
  return { kind: "ok" };
}

export async function createOrganisation(
  db: Database,
  input: { actor: Actor; name: string; kind: OrganisationKind; info: RequestInfo; now: Date },
): Promise<{ kind: "ok"; id: number } | { kind: "exists" }> {
  const { actor, info, now } = input;
  return db.transaction(async (tx) => {
    const result = await ensureOrganisation(tx, { name: input.name, kind: input.kind });
    if (!result.created) return { kind: "exists" as const };
    await recordAudit(tx, { action: "organisation.create", actor, recordType: "organisation", recordId: result.id, requestId: info.requestId, ipHash: info.ipHash, at: now });
    return { kind: "ok" as const, id: result.id };
  });
}

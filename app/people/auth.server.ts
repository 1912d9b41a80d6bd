// The staff side's door: signed in, second factor passed, and a role that may use person data
// (staff: assigned people; admins: by the consent rule). Coordinators get the audited 403 of
// requireUser. Which person is visible is decided later, per person, in access.server.ts.
import type { AppLoadContext } from "@remix-run/node";
import { requireUser, type AuthState } from "~/utils/auth.server";
import { can, type Permission } from "~/utils/permissions";
import { requestInfo } from "~/utils/request.server";
import type { Actor, AuditMeta } from "./access.server";

export interface Caseworker {
  auth: AuthState;
  actor: Actor;
  audit: AuditMeta;
  isAdmin: boolean;
}

export async function requireCaseworker(request: Request, context: AppLoadContext | undefined, mode: "read" | "write" = "read"): Promise<Caseworker> {
  const first = await requireUser(request, { context });
  // Admins read (and record) by the consent rule; staff need the permission for the mode.
  const permission: Permission = can(first.user.role, "read:person:any")
    ? "read:person:any"
    : mode === "write"
      ? "write:person:assigned"
      : "read:person:assigned";
  const auth = await requireUser(request, { permission, context });
  const info = requestInfo(request, context);
  return {
    auth,
    actor: { id: auth.user.id, role: auth.user.role },
    audit: { requestId: info.requestId, ipHash: info.ipHash },
    isAdmin: can(auth.user.role, "read:person:any"),
  };
}

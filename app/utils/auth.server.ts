// Who is asking, and may they? `requireUser` is the check every protected loader and action
// calls: it redirects to /login without a session, to /account/2fa when a second factor is
// missing, and answers 403 (audited) without the permission.
import { data, redirect } from "@remix-run/node";
import { getDatabase } from "../../db/client.server";
import { hasControlCharacter } from "./account-validation";
import { recordAudit } from "./audit.server";
import { can, roleRequiresTwoFactor, TWO_FACTOR_PERMISSIONS, type Permission } from "./permissions";
import { requestInfo } from "./request.server";
import { clearSessionCookie, readSession, sessionTokenFrom, type ActiveSession, type SessionUser } from "./session.server";

export interface AuthState {
  token: string;
  session: ActiveSession;
  user: SessionUser;
  /** This session passed TOTP or a recovery code. */
  twoFactorVerified: boolean;
}

const perRequest = new WeakMap<Request, Promise<AuthState | null>>();

/** The signed-in user of this request, or null. Read once per Request object. */
export function getAuthState(request: Request, now: Date = new Date()): Promise<AuthState | null> {
  let pending = perRequest.get(request);
  if (!pending) {
    pending = (async () => {
      const token = await sessionTokenFrom(request);
      if (!token) return null;
      const { db } = await getDatabase();
      const found = await readSession(db, token, now);
      if (!found) return null;
      return { token, ...found, twoFactorVerified: found.session.twoFactorVerifiedAt !== null };
    })();
    perRequest.set(request, pending);
  }
  return pending;
}

/** A same-site path to return to after signing in; anything else becomes `fallback`. */
export function safeRedirectPath(value: unknown, fallback = "/account"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  if (hasControlCharacter(value) || value.length > 500) return fallback;
  return value;
}

function pathOf(request: Request): string {
  const url = new URL(request.url);
  return url.pathname + url.search;
}

export interface RequireUserOptions {
  permission?: Permission;
  /** Require a session that passed TOTP (implied by the person-data and admin permissions). */
  twoFactor?: boolean;
  /** The 2FA page itself and logout accept a session still waiting for its code. */
  allowPendingTwoFactor?: boolean;
  context?: { requestId?: string; clientIp?: string };
  now?: Date;
}

export async function requireUser(request: Request, options: RequireUserOptions = {}): Promise<AuthState> {
  const state = await getAuthState(request, options.now);
  if (!state) {
    const hadCookie = (await sessionTokenFrom(request)) !== null;
    throw redirect(`/login?redirectTo=${encodeURIComponent(pathOf(request))}`, {
      headers: hadCookie ? { "Set-Cookie": await clearSessionCookie() } : undefined,
    });
  }
  const returnTo = encodeURIComponent(pathOf(request));
  // An account with TOTP is not signed in until the code is given, whatever the page.
  if (state.user.totpEnabled && !state.twoFactorVerified && !options.allowPendingTwoFactor) {
    throw redirect(`/account/2fa?redirectTo=${returnTo}`);
  }
  if (options.permission && !can(state.user.role, options.permission)) {
    const { db } = await getDatabase();
    const info = requestInfo(request, options.context);
    await recordAudit(db, {
      action: "auth.access-denied",
      outcome: "denied",
      actor: { id: state.user.id, role: state.user.role },
      recordType: "permission",
      recordId: options.permission,
      requestId: info.requestId,
      ipHash: info.ipHash,
    });
    throw data(
      { message: "このページを表示する権限がありません。", messageEn: "You do not have permission to do this." },
      { status: 403 },
    );
  }
  const needsSecondFactor = options.twoFactor === true || (options.permission !== undefined && TWO_FACTOR_PERMISSIONS.has(options.permission));
  if (needsSecondFactor && !state.twoFactorVerified) {
    throw redirect(`/account/2fa?redirectTo=${returnTo}`);
  }
  return state;
}

/** Whether this user should be asked to enrol TOTP (staff and admin must). */
export function mustEnrolTwoFactor(user: SessionUser): boolean {
  return roleRequiresTwoFactor(user.role) && !user.totpEnabled;
}

const MAX_FORM_BYTES = 64 * 1024;

/** The posted form, or a 400/413 for a body that is not a reasonable form. */
export async function readForm(request: Request): Promise<FormData> {
  const length = Number(request.headers.get("Content-Length") ?? "0");
  if (length > MAX_FORM_BYTES) {
    throw data({ message: "送信された内容が大きすぎます。", messageEn: "Request body too large." }, { status: 413 });
  }
  try {
    return await request.formData();
  } catch {
    throw data({ message: "フォームの内容を読み取れませんでした。", messageEn: "Malformed form submission." }, { status: 400 });
  }
}

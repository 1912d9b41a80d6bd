// TOTP enrolment and the second step of signing in. Passing it replaces the session with a new
// one (new id) marked as verified: a privilege change always gets a fresh session id.
import { createCookie, type Cookie } from "@remix-run/node";
import type { Database } from "../../db/client.server";
import {
  claimTotpStep,
  enableTotp,
  getTotpState,
  replaceRecoveryCodes,
  setPendingTotpSecret,
  redeemRecoveryCode,
} from "~/models/user.server";
import { recordAudit } from "~/utils/audit.server";
import type { AuthState } from "~/utils/auth.server";
import { clearAttempts, countAttempt, LIMITS } from "~/utils/rate-limit.server";
import { getEnv } from "~/utils/env.server";
import type { RequestInfo } from "~/utils/request.server";
import { decryptSecret, encryptSecret } from "~/utils/secrets.server";
import { createSession, deleteSessionByToken } from "~/utils/session.server";
import { generateRecoveryCodes, generateTotpSecret, hashRecoveryCode, totpQrSvg, totpUri, verifyTotpCode } from "~/utils/totp.server";

export const TWO_FACTOR_FAILED = {
  message: "確認コードが正しくないか、有効期限が切れています。認証アプリに表示されている最新のコードを入力してください。",
  messageEn: "The code is not correct or has expired.",
};

/** The secret being enrolled (kept across reloads until confirmed), with its QR code. */
export async function enrolmentDetails(db: Database, auth: AuthState) {
  const state = await getTotpState(db, { userId: auth.user.id });
  let secret = state?.totpPendingSecret ? decryptSecret(state.totpPendingSecret) : null;
  if (!secret) {
    secret = generateTotpSecret();
    await setPendingTotpSecret(db, { userId: auth.user.id, sealedSecret: encryptSecret(secret) });
  }
  const uri = totpUri(secret, auth.user.email);
  return { secret, uri, qrSvg: totpQrSvg(uri) };
}

async function promoteSession(db: Database, auth: AuthState, info: RequestInfo, now: Date): Promise<string> {
  await deleteSessionByToken(db, auth.token);
  const { token } = await createSession(db, { userId: auth.user.id, now, userAgent: info.userAgent, twoFactorVerified: true });
  return token;
}

export type SecondFactorResult = { kind: "ok"; token: string } | { kind: "failed" } | { kind: "locked"; retryAfterMs: number };

export async function verifySecondFactor(
  db: Database,
  input: { auth: AuthState; code?: string; recoveryCode?: string; info: RequestInfo; now: Date },
): Promise<SecondFactorResult> {
  const { auth, info, now } = input;
  const actor = { id: auth.user.id, role: auth.user.role };
  const subject = `user:${auth.user.id}`;
  const attempt = await countAttempt(db, LIMITS.twoFactorAccount, subject, now);
  if (attempt.limited) {
    await recordAudit(db, { action: "auth.2fa.verify", outcome: "denied", actor, recordType: "user", recordId: auth.user.id, requestId: info.requestId, ipHash: info.ipHash, at: now });
    return { kind: "locked", retryAfterMs: attempt.retryAfterMs };
  }
  let ok = false;
  let action: "auth.2fa.verify" | "auth.recovery-code.use" = "auth.2fa.verify";
  if (input.recoveryCode) {
    action = "auth.recovery-code.use";
    ok = await redeemRecoveryCode(db, { userId: auth.user.id, codeHash: hashRecoveryCode(input.recoveryCode), now });
  } else if (input.code) {
    const state = await getTotpState(db, { userId: auth.user.id });
    const secret = state?.totpSecret ? decryptSecret(state.totpSecret) : null;
    const step = secret ? verifyTotpCode({ secret, code: input.code, now, lastStep: state?.totpLastStep ?? null }) : null;
    ok = step !== null && (await claimTotpStep(db, { userId: auth.user.id, step }));
  }
  if (!ok) {
    await recordAudit(db, { action, outcome: "failure", actor, recordType: "user", recordId: auth.user.id, requestId: info.requestId, ipHash: info.ipHash, at: now });
    return { kind: "failed" };
  }
  await clearAttempts(db, LIMITS.twoFactorAccount, subject);
  const token = await promoteSession(db, auth, info, now);
  await recordAudit(db, { action, actor, recordType: "user", recordId: auth.user.id, requestId: info.requestId, ipHash: info.ipHash, at: now });
  return { kind: "ok", token };
}

export type EnrolmentResult = { kind: "ok"; token: string; recoveryCodes: string[] } | { kind: "failed" } | { kind: "locked"; retryAfterMs: number };

/** Confirms the pending secret with a first code; returns the recovery codes to show once. */
export async function confirmEnrolment(db: Database, input: { auth: AuthState; code: string; info: RequestInfo; now: Date }): Promise<EnrolmentResult> {
  const { auth, info, now } = input;
  const actor = { id: auth.user.id, role: auth.user.role };
  const subject = `user:${auth.user.id}`;
  const attempt = await countAttempt(db, LIMITS.twoFactorAccount, subject, now);
  if (attempt.limited) return { kind: "locked", retryAfterMs: attempt.retryAfterMs };
  const state = await getTotpState(db, { userId: auth.user.id });
  const secret = state?.totpPendingSecret ? decryptSecret(state.totpPendingSecret) : null;
  const step = secret ? verifyTotpCode({ secret, code: input.code, now, lastStep: null }) : null;
  if (!secret || step === null || !state?.totpPendingSecret) {
    await recordAudit(db, { action: "auth.2fa.enrol", outcome: "failure", actor, recordType: "user", recordId: auth.user.id, requestId: info.requestId, ipHash: info.ipHash, at: now });
    return { kind: "failed" };
  }
  const recoveryCodes = generateRecoveryCodes();
  await db.transaction(async (tx) => {
    await enableTotp(tx, {
      userId: auth.user.id,
      sealedSecret: state.totpPendingSecret!,
      step,
      recoveryCodeHashes: recoveryCodes.map(hashRecoveryCode),
      now,
    });
    await recordAudit(tx, { action: "auth.2fa.enrol", actor, recordType: "user", recordId: auth.user.id, requestId: info.requestId, ipHash: info.ipHash, at: now });
  });
  await clearAttempts(db, LIMITS.twoFactorAccount, subject);
  const token = await promoteSession(db, auth, info, now);
  return { kind: "ok", token, recoveryCodes };
}

export async function regenerateRecoveryCodes(db: Database, input: { auth: AuthState; info: RequestInfo; now: Date }): Promise<string[]> {
  const { auth, info, now } = input;
  const codes = generateRecoveryCodes();
  await db.transaction(async (tx) => {
    await replaceRecoveryCodes(tx, { userId: auth.user.id, recoveryCodeHashes: codes.map(hashRecoveryCode), now });
    await recordAudit(tx, {
      action: "auth.recovery-code.regenerate",
      actor: { id: auth.user.id, role: auth.user.role },
      recordType: "user",
      recordId: auth.user.id,
      requestId: info.requestId,
      ipHash: info.ipHash,
      at: now,
    });
  });
  return codes;
}

let flashCache: { key: string; cookie: Cookie } | undefined;

/**
 * Enrolment gives the session a new id, so the codes cannot be rendered by the same (now stale)
 * request; they travel to the next page in a short-lived encrypted cookie instead, read once.
 */
function recoveryCodesCookie(): Cookie {
  const env = getEnv();
  const production = env.NODE_ENV === "production";
  const key = `${production}:${env.SESSION_SECRET.join(",")}`;
  if (flashCache?.key !== key) {
    flashCache = {
      key,
      cookie: createCookie(production ? "__Host-recovery-codes" : "recovery-codes", {
        httpOnly: true,
        secure: production,
        sameSite: "lax",
        path: "/",
        maxAge: 300,
        secrets: env.SESSION_SECRET,
      }),
    };
  }
  return flashCache.cookie;
}

export function stashRecoveryCodes(userId: number, codes: string[]): Promise<string> {
  return recoveryCodesCookie().serialize(encryptSecret(JSON.stringify({ userId, codes })));
}

/** The stashed codes for this user (and a Set-Cookie that deletes them), or null. */
export async function takeRecoveryCodes(request: Request, userId: number): Promise<{ codes: string[]; clear: string } | null> {
  const sealed: unknown = await recoveryCodesCookie().parse(request.headers.get("Cookie"));
  if (typeof sealed !== "string") return null;
  const clear = await recoveryCodesCookie().serialize("", { maxAge: 0, expires: new Date(0) });
  try {
    const payload = JSON.parse(decryptSecret(sealed) ?? "null") as { userId?: unknown; codes?: unknown } | null;
    if (payload?.userId !== userId || !Array.isArray(payload.codes)) return { codes: [], clear };
    return { codes: payload.codes.filter((c): c is string => typeof c === "string"), clear };
  } catch {
    return { codes: [], clear };
  }
}

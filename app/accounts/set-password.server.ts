// The loader and action shared by /invite/:token and /password/reset/:token.
import { data, redirect } from "@remix-run/node";
import { getDatabase } from "../../db/client.server";
import { peekUserToken, type TokenPurpose } from "~/models/user-token.server";
import { fieldErrorsOf, formFields } from "~/utils/account-validation";
import { readForm } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { minutesUntil } from "~/utils/rate-limit.server";
import { requestInfo } from "~/utils/request.server";
import { setPasswordWithToken } from "./invites.server";
import { INVALID_LINK, SetPasswordSchema, type SetPasswordActionData } from "./set-password";

export async function setPasswordLoader(request: Request, purpose: TokenPurpose, token: string | undefined) {
  const { db } = await getDatabase();
  const holder = token ? await peekUserToken(db, { token, purpose, now: new Date() }) : null;
  if (!holder || holder.status === "disabled" || (purpose === "reset" && holder.status !== "active")) {
    throw data(INVALID_LINK, { status: 404 });
  }
  const csrf = await getCsrfToken(request);
  return data({ csrf: csrf.token, email: holder.email, displayName: holder.displayName }, { headers: csrf.headers });
}

export async function setPasswordAction(request: Request, context: { requestId?: string; clientIp?: string }, purpose: TokenPurpose, token: string | undefined) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const parsed = SetPasswordSchema.safeParse(formFields(form, ["password", "confirm"]));
  if (!parsed.success) return data<SetPasswordActionData>({ errors: fieldErrorsOf(parsed.error) }, { status: 400 });
  const { db } = await getDatabase();
  const result = await setPasswordWithToken(db, { purpose, token: token ?? "", password: parsed.data.password, info: requestInfo(request, context), now: new Date() });
  if (result.kind === "weak") return data<SetPasswordActionData>({ errors: { password: result.problems } }, { status: 400 });
  if (result.kind === "invalid-link") return data<SetPasswordActionData>({ errors: {}, ...INVALID_LINK }, { status: 404 });
  if (result.kind === "limited") {
    return data<SetPasswordActionData>(
      { errors: {}, message: `操作の回数が多すぎます。${minutesUntil(result.retryAfterMs)}分ほど待ってから、もう一度お試しください。`, messageEn: "Too many attempts; please wait." },
      { status: 429 },
    );
  }
  return redirect(`/login?done=${purpose}`);
}

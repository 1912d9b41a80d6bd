// `/login`: address and password. Accounts with TOTP continue at /account/2fa. The same message
// answers a wrong password and an unknown address; too many attempts get a lockout notice.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { getDatabase } from "~/utils/db.server";
import { attemptLogin, lockoutMessage, LOGIN_FAILED } from "~/accounts/login.server";
import { accountLinks, AccountErrorBoundary, CsrfField, errorProps, FieldError, noStoreHeaders, Notice } from "~/accounts/ui";
import { EmailSchema, EMAIL_MAX_CHARS, fieldErrorsOf, formFields, LoginPasswordSchema, type FieldErrors } from "~/utils/account-validation";
import { getAuthState, readForm, safeRedirectPath } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { requestInfo } from "~/utils/request.server";
import { commitSessionCookie, sessionTokenFrom } from "~/utils/session.server";
import { pageTitle } from "~/utils/site";

export const links = accountLinks;
export const headers = noStoreHeaders;

export const LoginSchema = z.object({
  email: EmailSchema,
  password: LoginPasswordSchema,
  redirectTo: z.string().optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"));
  const auth = await getAuthState(request);
  if (auth) {
    const pending = auth.user.totpEnabled && !auth.twoFactorVerified;
    throw redirect(pending ? `/account/2fa?redirectTo=${encodeURIComponent(redirectTo)}` : redirectTo);
  }
  const csrf = await getCsrfToken(request);
  const done = new URL(request.url).searchParams.get("done");
  return data({ csrf: csrf.token, redirectTo, done: done && done in DONE_MESSAGES ? (done as keyof typeof DONE_MESSAGES) : null }, { headers: csrf.headers });
}

/** What the page says after a redirect here (`?done=`); the parameter carries no data. */
const DONE_MESSAGES = {
  logout: "ログアウトしました。",
  invite: "パスワードを設定しました。メールアドレスと新しいパスワードでログインしてください。",
  reset: "パスワードを再設定しました。ほかの端末のログインはすべて終了しています。新しいパスワードでログインしてください。",
} as const;

interface LoginActionData {
  errors: FieldErrors;
  email?: string;
  message?: string;
  messageEn?: string;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const fields = formFields(form, ["email", "password", "redirectTo"]);
  const parsed = LoginSchema.safeParse(fields);
  const email = (fields.email ?? "").slice(0, EMAIL_MAX_CHARS);
  if (!parsed.success) return data<LoginActionData>({ errors: fieldErrorsOf(parsed.error), email }, { status: 400 });

  const { db } = await getDatabase();
  const result = await attemptLogin(db, {
    email: parsed.data.email,
    password: parsed.data.password,
    info: requestInfo(request, context),
    now: new Date(),
    previousToken: await sessionTokenFrom(request),
  });
  if (result.kind === "locked") return data<LoginActionData>({ errors: {}, email, ...lockoutMessage(result.retryAfterMs) }, { status: 429 });
  if (result.kind === "failed") return data<LoginActionData>({ errors: {}, email, ...LOGIN_FAILED }, { status: 401 });

  const redirectTo = safeRedirectPath(parsed.data.redirectTo);
  const next = result.needsTwoFactor || result.mustEnrolTwoFactor ? `/account/2fa?redirectTo=${encodeURIComponent(redirectTo)}` : redirectTo;
  return redirect(next, { headers: { "Set-Cookie": await commitSessionCookie(result.token) } });
}

export default function LoginPage() {
  const { csrf, redirectTo, done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as LoginActionData | undefined;
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.errors ?? {};
  return (
    <div className="account-page">
      <h1>ログイン</h1>
      <p>
        ポータルに登録された職員・コーディネーター向けのページです。アカウントは管理者からの招待で作成されます。
        場所を探すだけなら、ログインは必要ありません。
      </p>
      {done && !actionData ? <Notice message={DONE_MESSAGES[done]} /> : null}
      <Notice tone="error" message={actionData?.message} messageEn={actionData?.messageEn} />
      <Form method="post" className="account-form" noValidate>
        <CsrfField token={csrf} />
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <div className="field">
          <label htmlFor="email">メールアドレス</label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            maxLength={EMAIL_MAX_CHARS}
            defaultValue={actionData?.email}
            {...errorProps("email", errors.email)}
          />
          <FieldError id="email-error" errors={errors.email} />
        </div>
        <div className="field">
          <label htmlFor="password">パスワード</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required {...errorProps("password", errors.password)} />
          <FieldError id="password-error" errors={errors.password} />
        </div>
        <div>
          <button type="submit" className="button--primary" disabled={busy}>
            ログイン
          </button>
        </div>
      </Form>
      <ul className="link-list">
        <li>
          <Link to="/password/forgot">パスワードを忘れた方</Link>
        </li>
      </ul>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("ログイン") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

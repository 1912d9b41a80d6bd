// `/password/forgot`: asks for a reset link by mail. The answer is the same whether or not the
// address has an account, so the page cannot be used to find out who works here.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getDatabase } from "~/utils/db.server";
import { requestPasswordReset } from "~/accounts/invites.server";
import { accountLinks, AccountErrorBoundary, CsrfField, errorProps, FieldError, noStoreHeaders, Notice } from "~/accounts/ui";
import { EmailSchema, EMAIL_MAX_CHARS, fieldErrorsOf, formFields, type FieldErrors } from "~/utils/account-validation";
import { readForm } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getEnv } from "~/utils/env.server";
import { minutesUntil } from "~/utils/rate-limit.server";
import { appOrigin, requestInfo } from "~/utils/request.server";
import { pageTitle } from "~/utils/site";

export const links = accountLinks;
export const headers = noStoreHeaders;

export const ForgotPasswordSchema = z.object({ email: EmailSchema });

export async function loader({ request }: LoaderFunctionArgs) {
  const csrf = await getCsrfToken(request);
  return data({ csrf: csrf.token }, { headers: csrf.headers });
}

interface ForgotActionData {
  errors: FieldErrors;
  sent?: boolean;
  message?: string;
  messageEn?: string;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const parsed = ForgotPasswordSchema.safeParse(formFields(form, ["email"]));
  if (!parsed.success) return data<ForgotActionData>({ errors: fieldErrorsOf(parsed.error) }, { status: 400 });
  const { db } = await getDatabase();
  const result = await requestPasswordReset(db, {
    email: parsed.data.email,
    origin: appOrigin(request, getEnv().APP_ORIGIN),
    info: requestInfo(request, context),
    now: new Date(),
  });
  if (result.kind === "limited") {
    const minutes = minutesUntil(result.retryAfterMs);
    return data<ForgotActionData>(
      {
        errors: {},
        message: `再設定の申請が続いたため、受付を一時的に止めています。${minutes}分ほど待ってから、もう一度お試しください。`,
        messageEn: `Too many requests. Please wait about ${minutes} minutes.`,
      },
      { status: 429 },
    );
  }
  return data<ForgotActionData>({ errors: {}, sent: true });
}

export default function ForgotPasswordPage() {
  const { csrf } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ForgotActionData | undefined;
  const errors = actionData?.errors ?? {};
  if (actionData?.sent) {
    return (
      <div className="account-page">
        <h1>メールを確認してください</h1>
        <p>
          入力されたアドレスが登録されていれば、パスワード再設定用のリンクをお送りしました。リンクの有効期限は1時間です。
          数分たっても届かない場合は、迷惑メールのフォルダを確認するか、管理者に連絡してください。
        </p>
        <p>
          <Link to="/login">ログインのページへ</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="account-page">
      <h1>パスワードを忘れた方</h1>
      <p>登録しているメールアドレスを入力してください。パスワードを設定し直すためのリンクをお送りします。</p>
      <Notice tone="error" message={actionData?.message} messageEn={actionData?.messageEn} />
      <Form method="post" className="account-form" noValidate>
        <CsrfField token={csrf} />
        <div className="field">
          <label htmlFor="email">メールアドレス</label>
          <input id="email" name="email" type="email" autoComplete="username" required maxLength={EMAIL_MAX_CHARS} {...errorProps("email", errors.email)} />
          <FieldError id="email-error" errors={errors.email} />
        </div>
        <div>
          <button type="submit" className="button--primary">
            再設定用のリンクを送る
          </button>
        </div>
      </Form>
      <p>
        <Link to="/login">ログインのページへ戻る</Link>
      </p>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("パスワードを忘れた方") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

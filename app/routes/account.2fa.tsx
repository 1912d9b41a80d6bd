// `/account/2fa`: the second step of signing in (a code from the authenticator app, or a recovery
// code), enrolment (QR code, first code, recovery codes shown once), and new recovery codes.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getDatabase } from "~/utils/db.server";
import {
  confirmEnrolment,
  enrolmentDetails,
  regenerateRecoveryCodes,
  stashRecoveryCodes,
  takeRecoveryCodes,
  TWO_FACTOR_FAILED,
  verifySecondFactor,
} from "~/accounts/two-factor.server";
import { accountLinks, AccountErrorBoundary, CsrfField, errorProps, FieldError, noStoreHeaders, Notice } from "~/accounts/ui";
import { countUnusedRecoveryCodes } from "~/models/user.server";
import { fieldErrorsOf, formFields, RecoveryCodeSchema, TotpCodeSchema, type FieldErrors } from "~/utils/account-validation";
import { readForm, requireUser, safeRedirectPath } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { roleRequiresTwoFactor } from "~/utils/permissions";
import { lockoutMessage } from "~/accounts/login.server";
import { requestInfo } from "~/utils/request.server";
import { commitSessionCookie } from "~/utils/session.server";
import { pageTitle } from "~/utils/site";

export const links = accountLinks;
export const headers = noStoreHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const auth = await requireUser(request, { allowPendingTwoFactor: true });
  const redirectTo = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"));
  const csrf = (await getCsrfToken(request)).token;
  const required = roleRequiresTwoFactor(auth.user.role);
  const { db } = await getDatabase();
  if (auth.user.totpEnabled && !auth.twoFactorVerified) {
    return { mode: "verify" as const, csrf, redirectTo, required };
  }
  if (!auth.user.totpEnabled) {
    const enrolment = await enrolmentDetails(db, auth);
    return { mode: "enrol" as const, csrf, redirectTo, required, enrolment };
  }
  // Just enrolled: show the recovery codes stashed by the action, once.
  const stashed = await takeRecoveryCodes(request, auth.user.id);
  if (stashed && stashed.codes.length > 0) {
    return data({ mode: "codes" as const, csrf, redirectTo, required, recoveryCodes: stashed.codes }, { headers: { "Set-Cookie": stashed.clear } });
  }
  const unusedRecoveryCodes = await countUnusedRecoveryCodes(db, { userId: auth.user.id });
  return data(
    { mode: "manage" as const, csrf, redirectTo, required, unusedRecoveryCodes },
    stashed ? { headers: { "Set-Cookie": stashed.clear } } : undefined,
  );
}

export const VerifySchema = z.object({ intent: z.literal("verify"), code: TotpCodeSchema, redirectTo: z.string().optional() });
export const RecoverySchema = z.object({ intent: z.literal("recovery"), recoveryCode: RecoveryCodeSchema, redirectTo: z.string().optional() });
export const EnrolSchema = z.object({ intent: z.literal("enrol"), code: TotpCodeSchema });
export const RegenerateSchema = z.object({ intent: z.literal("regenerate-codes") });

interface TwoFactorActionData {
  intent: string;
  errors: FieldErrors;
  message?: string;
  messageEn?: string;
  recoveryCodes?: string[];
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const auth = await requireUser(request, { allowPendingTwoFactor: true, context });
  const fields = formFields(form, ["intent", "code", "recoveryCode", "redirectTo"]);
  const { db } = await getDatabase();
  const info = requestInfo(request, context);
  const now = new Date();
  const pending = auth.user.totpEnabled && !auth.twoFactorVerified;
  const fail = (intent: string, status: number, body: Omit<TwoFactorActionData, "intent">) => data<TwoFactorActionData>({ intent, ...body }, { status });

  if (fields.intent === "verify" || fields.intent === "recovery") {
    if (!pending) return fail(fields.intent, 400, { errors: {}, message: "この端末では、すでに二要素認証を済ませています。" });
    const parsed = fields.intent === "verify" ? VerifySchema.safeParse(fields) : RecoverySchema.safeParse(fields);
    if (!parsed.success) return fail(fields.intent, 400, { errors: fieldErrorsOf(parsed.error) });
    const result = await verifySecondFactor(db, {
      auth,
      info,
      now,
      ...(parsed.data.intent === "verify" ? { code: parsed.data.code } : { recoveryCode: parsed.data.recoveryCode }),
    });
    if (result.kind === "locked") return fail(fields.intent, 429, { errors: {}, ...lockoutMessage(result.retryAfterMs) });
    if (result.kind === "failed") {
      return fail(fields.intent, 401, {
        errors: {},
        ...(parsed.data.intent === "verify"
          ? TWO_FACTOR_FAILED
          : { message: "リカバリーコードが正しくないか、すでに使われています。", messageEn: "Unknown or used recovery code." }),
      });
    }
    return redirect(safeRedirectPath(parsed.data.redirectTo), { headers: { "Set-Cookie": await commitSessionCookie(result.token) } });
  }

  if (fields.intent === "enrol") {
    if (auth.user.totpEnabled) return fail("enrol", 400, { errors: {}, message: "二要素認証はすでに設定されています。" });
    const parsed = EnrolSchema.safeParse(fields);
    if (!parsed.success) return fail("enrol", 400, { errors: fieldErrorsOf(parsed.error) });
    const result = await confirmEnrolment(db, { auth, code: parsed.data.code, info, now });
    if (result.kind === "locked") return fail("enrol", 429, { errors: {}, ...lockoutMessage(result.retryAfterMs) });
    if (result.kind === "failed") return fail("enrol", 401, { errors: { code: [TWO_FACTOR_FAILED.message] } });
    // The session id changes here, so this request cannot render the next page: redirect, with
    // the codes in a one-time encrypted cookie (a no-JS form post would otherwise re-run the
    // loader with the old, deleted session).
    const headers = new Headers();
    headers.append("Set-Cookie", await commitSessionCookie(result.token));
    headers.append("Set-Cookie", await stashRecoveryCodes(auth.user.id, result.recoveryCodes));
    const back = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"), "");
    return redirect(back ? `/account/2fa?redirectTo=${encodeURIComponent(back)}` : "/account/2fa", { headers });
  }

  if (fields.intent === "regenerate-codes") {
    if (pending || !auth.user.totpEnabled) return fail("regenerate-codes", 400, { errors: {}, message: "先に二要素認証を済ませてください。" });
    RegenerateSchema.parse(fields);
    const recoveryCodes = await regenerateRecoveryCodes(db, { auth, info, now });
    return data<TwoFactorActionData>({ intent: "regenerate-codes", errors: {}, recoveryCodes });
  }

  return fail("unknown", 400, { errors: {}, message: "操作を読み取れませんでした。", messageEn: "Unknown action." });
}

function RecoveryCodes({ codes, redirectTo }: { codes: string[]; redirectTo: string }) {
  return (
    <section aria-labelledby="recovery-heading">
      <h2 id="recovery-heading">リカバリーコード</h2>
      <Notice
        tone="warning"
        message="スマートフォンをなくしたときなどに、確認コードの代わりに使えます。各コードは1回だけ使えます。この画面を閉じると二度と表示されません。印刷するか、パスワード管理ツールなど安全な場所に保管してください。"
      />
      <ol className="recovery-codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <p>
        <Link to={redirectTo} className="button button--primary">
          保管しました。続ける
        </Link>
      </p>
    </section>
  );
}

export default function TwoFactorPage() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as TwoFactorActionData | undefined;
  const { csrf, redirectTo } = loaderData;
  const errors = actionData?.errors ?? {};

  if (loaderData.mode === "codes") {
    return (
      <div className="account-page">
        <h1>二要素認証を設定しました</h1>
        <RecoveryCodes codes={loaderData.recoveryCodes} redirectTo={redirectTo} />
      </div>
    );
  }

  if (actionData?.recoveryCodes) {
    return (
      <div className="account-page">
        <h1>新しいリカバリーコード</h1>
        <RecoveryCodes codes={actionData.recoveryCodes} redirectTo={redirectTo} />
      </div>
    );
  }

  if (loaderData.mode === "verify") {
    return (
      <div className="account-page">
        <h1>確認コードの入力</h1>
        <p>認証アプリ（Google Authenticator、Microsoft Authenticator など）に表示されている6桁の確認コードを入力してください。</p>
        <Notice tone="error" message={actionData?.message} messageEn={actionData?.messageEn} />
        <Form method="post" className="account-form" noValidate>
          <CsrfField token={csrf} />
          <input type="hidden" name="intent" value="verify" />
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <div className="field">
            <label htmlFor="code">確認コード（6桁）</label>
            <input id="code" name="code" type="text" inputMode="numeric" autoComplete="one-time-code" maxLength={10} {...errorProps("code", errors.code)} />
            <FieldError id="code-error" errors={errors.code} />
          </div>
          <div>
            <button type="submit" className="button--primary">
              確認する
            </button>
          </div>
        </Form>
        <details>
          <summary>スマートフォンが手元にない場合（リカバリーコードを使う）</summary>
          <Form method="post" className="account-form" noValidate>
            <CsrfField token={csrf} />
            <input type="hidden" name="intent" value="recovery" />
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <div className="field">
              <label htmlFor="recoveryCode">リカバリーコード</label>
              <input id="recoveryCode" name="recoveryCode" type="text" autoComplete="off" maxLength={40} {...errorProps("recoveryCode", errors.recoveryCode)} />
              <FieldError id="recoveryCode-error" errors={errors.recoveryCode} />
            </div>
            <div>
              <button type="submit">リカバリーコードで確認する</button>
            </div>
          </Form>
          <p>リカバリーコードもない場合は、管理者に二要素認証の解除を依頼してください。</p>
        </details>
        <Form method="post" action="/logout">
          <CsrfField token={csrf} />
          <button type="submit">ログアウト</button>
        </Form>
      </div>
    );
  }

  if (loaderData.mode === "enrol") {
    const { enrolment, required } = loaderData;
    return (
      <div className="account-page">
        <h1>二要素認証の設定</h1>
        {required ? (
          <Notice
            tone="warning"
            message="この役割では二要素認証が必要です。設定が終わるまで、利用者の情報や管理機能は使えません。"
          />
        ) : (
          <p>コーディネーターの方は任意ですが、設定するとアカウントがより安全になります。</p>
        )}
        <ol>
          <li>スマートフォンに認証アプリ（Google Authenticator、Microsoft Authenticator、IIJ SmartKey など）を入れます。</li>
          <li>
            アプリで次のQRコードを読み取ります。読み取れない場合は、下の「セットアップキー」を手で入力してください。
            <div className="totp-qr" role="img" aria-label="認証アプリに読み取らせるQRコード" dangerouslySetInnerHTML={{ __html: enrolment.qrSvg }} />
            <p>
              セットアップキー：<span className="totp-secret">{enrolment.secret.replace(/(.{4})/g, "$1 ").trim()}</span>
            </p>
          </li>
          <li>アプリに表示された6桁のコードを入力して「設定する」を押します。</li>
        </ol>
        <Notice tone="error" message={actionData?.message} messageEn={actionData?.messageEn} />
        <Form method="post" className="account-form" noValidate>
          <CsrfField token={csrf} />
          <input type="hidden" name="intent" value="enrol" />
          <div className="field">
            <label htmlFor="code">確認コード（6桁）</label>
            <input id="code" name="code" type="text" inputMode="numeric" autoComplete="one-time-code" maxLength={10} {...errorProps("code", errors.code)} />
            <FieldError id="code-error" errors={errors.code} />
          </div>
          <div>
            <button type="submit" className="button--primary">
              設定する
            </button>
          </div>
        </Form>
        <p>
          <Link to="/account">あとで設定する（アカウントのページへ）</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="account-page">
      <h1>二要素認証</h1>
      <p>二要素認証は設定済みです。ログインのたびに、認証アプリの確認コードを入力します。</p>
      <p>使われていないリカバリーコード：{loaderData.unusedRecoveryCodes} 個</p>
      {loaderData.unusedRecoveryCodes <= 3 ? <Notice tone="warning" message="リカバリーコードが少なくなっています。新しく発行してください。" /> : null}
      <Notice tone="error" message={actionData?.message} messageEn={actionData?.messageEn} />
      <Form method="post" className="account-form">
        <CsrfField token={csrf} />
        <input type="hidden" name="intent" value="regenerate-codes" />
        <div>
          <button type="submit">リカバリーコードを新しく発行する（古いコードは使えなくなります）</button>
        </div>
      </Form>
      <p>スマートフォンを替えるときは、管理者に二要素認証の解除を依頼し、次のログインで設定し直してください。</p>
      <p>
        <Link to="/account">アカウントのページへ</Link>
      </p>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("二要素認証") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

// `/account`: who I am signed in as (name, role, organisation), whether two-factor sign-in is set
// up, and the ways on: my sessions, two-factor settings, the admin pages my role allows, logout.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { accountLinks, AccountErrorBoundary, CsrfField, noStoreHeaders, Notice } from "~/accounts/ui";
import { mustEnrolTwoFactor, requireUser } from "~/utils/auth.server";
import { getCsrfToken } from "~/utils/csrf.server";
import { can, permissionsOf, ROLE_LABELS } from "~/utils/permissions";
import { pageTitle } from "~/utils/site";

export const links = accountLinks;
export const headers = noStoreHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const auth = await requireUser(request);
  const { user } = auth;
  return {
    csrf: (await getCsrfToken(request)).token,
    user: {
      displayName: user.displayName,
      email: user.email,
      roleLabel: ROLE_LABELS[user.role],
      organisationName: user.organisationName,
      totpEnabled: user.totpEnabled,
    },
    mustEnrol: mustEnrolTwoFactor(user),
    permissions: permissionsOf(user.role),
    canManageUsers: can(user.role, "manage:users"),
    canReadAudit: can(user.role, "read:audit"),
    canRegisterResources: can(user.role, "create:resource"),
    canReviewResources: can(user.role, "review:resource"),
    canSupportPeople: can(user.role, "read:person:assigned") || can(user.role, "read:person:any"),
  };
}

export default function AccountPage() {
  const { csrf, user, mustEnrol, canManageUsers, canReadAudit, canRegisterResources, canReviewResources, canSupportPeople } = useLoaderData<typeof loader>();
  return (
    <div className="account-page">
      <h1>アカウント</h1>
      {mustEnrol ? (
        <Notice
          tone="warning"
          message="この役割では二要素認証（認証アプリの確認コード）の設定が必要です。設定するまで、利用者の情報や管理機能は使えません。"
        />
      ) : null}
      <dl>
        <dt>氏名</dt>
        <dd>{user.displayName}</dd>
        <dt>メールアドレス</dt>
        <dd>{user.email}</dd>
        <dt>役割</dt>
        <dd>{user.roleLabel}</dd>
        <dt>所属</dt>
        <dd>{user.organisationName}</dd>
        <dt>二要素認証</dt>
        <dd>{user.totpEnabled ? "設定済み" : "未設定"}</dd>
      </dl>
      <ul className="link-list">
        <li>
          <Link to="/account/2fa">二要素認証の設定・リカバリーコード</Link>
        </li>
        <li>
          <Link to="/account/sessions">ログイン中の端末（セッション）の確認と取り消し</Link>
        </li>
        <li>
          <Link to="/password/forgot">パスワードを変更する（再設定メールを送る）</Link>
        </li>
        {canRegisterResources ? (
          <>
            <li>
              <Link to="/manage/resources">地域資源の登録・編集</Link>
            </li>
            <li>
              <Link to="/manage/verify">情報の確認（未確認の情報・住民からの報告）</Link>
            </li>
          </>
        ) : null}
        {canReviewResources ? (
          <li>
            <Link to="/admin/review">地域資源の審査</Link>
          </li>
        ) : null}
        {canReviewResources ? (
          <li>
            <Link to="/admin/import">地域資源の CSV 取り込み（列の対応・保存済みの対応表）</Link>
          </li>
        ) : null}
        {canSupportPeople ? (
          <li>
            <Link to="/staff">参加支援</Link>
          </li>
        ) : null}
        {canManageUsers ? (
          <>
            <li>
              <Link to="/admin/users">アカウントの管理（招待・役割・所属）</Link>
            </li>
            <li>
              <Link to="/admin/settings">設定（記録の保存期間・定着の判定）</Link>
            </li>
          </>
        ) : null}
        {canReadAudit ? (
          <li>
            <Link to="/admin/audit">監査ログ</Link>
          </li>
        ) : null}
      </ul>
      <Form method="post" action="/logout" className="account-form">
        <CsrfField token={csrf} />
        <div>
          <button type="submit">ログアウト</button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("アカウント") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

// `/invite/:token`: the link from an invitation mail. Opening it changes nothing (mail scanners
// open links too); posting the form sets the password, activates the account and uses the link up.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { SetPasswordForm, type SetPasswordActionData } from "~/accounts/set-password";
import { setPasswordAction, setPasswordLoader } from "~/accounts/set-password.server";
import { accountLinks, AccountErrorBoundary, noStoreHeaders } from "~/accounts/ui";
import { pageTitle, SITE_NAME } from "~/utils/site";

export const links = accountLinks;
export const headers = noStoreHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return setPasswordLoader(request, "invite", params.token);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  return setPasswordAction(request, context, "invite", params.token);
}

export default function InvitePage() {
  const { csrf, email, displayName } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as SetPasswordActionData | undefined;
  return (
    <div className="account-page">
      <h1>アカウントの有効化</h1>
      <p>
        {displayName} さん、{SITE_NAME}へようこそ。ログインに使うパスワードを決めてください。
        ログインID（メールアドレス）は <strong>{email}</strong> です。
      </p>
      <SetPasswordForm csrf={csrf} email={email} submitLabel="パスワードを設定する" actionData={actionData} />
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("アカウントの有効化") }, { name: "robots", content: "noindex" }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

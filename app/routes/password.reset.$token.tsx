// `/password/reset/:token`: the link from a reset mail. Posting a new password uses the link up
// and ends every session of the account (someone else may have been signed in).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { SetPasswordForm, type SetPasswordActionData } from "~/accounts/set-password";
import { setPasswordAction, setPasswordLoader } from "~/accounts/set-password.server";
import { accountLinks, AccountErrorBoundary, noStoreHeaders } from "~/accounts/ui";
import { pageTitle } from "~/utils/site";

export const links = accountLinks;
export const headers = noStoreHeaders;

export async function loader({ request, params }: LoaderFunctionArgs) {
  return setPasswordLoader(request, "reset", params.token);
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  return setPasswordAction(request, context, "reset", params.token);
}

export default function ResetPasswordPage() {
  const { csrf, email } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as SetPasswordActionData | undefined;
  return (
    <div className="account-page">
      <h1>パスワードの再設定</h1>
      <p>
        <strong>{email}</strong> の新しいパスワードを決めてください。設定すると、ほかの端末のログインはすべて終了します。
      </p>
      <SetPasswordForm csrf={csrf} email={email} submitLabel="パスワードを再設定する" actionData={actionData} />
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("パスワードの再設定") }, { name: "robots", content: "noindex" }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

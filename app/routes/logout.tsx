// `/logout`: POST ends the session on the server (the row is deleted, not just the cookie).
// GET shows a button, so a plain link can lead here without logging anyone out by itself.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { getDatabase } from "~/utils/db.server";
import { accountLinks, AccountErrorBoundary, CsrfField, noStoreHeaders } from "~/accounts/ui";
import { recordAudit } from "~/utils/audit.server";
import { getAuthState, readForm, requireUser } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { requestInfo } from "~/utils/request.server";
import { clearSessionCookie, deleteSessionByToken } from "~/utils/session.server";
import { pageTitle } from "~/utils/site";

export const links = accountLinks;
export const headers = noStoreHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  const auth = await requireUser(request, { allowPendingTwoFactor: true });
  return { csrf: (await getCsrfToken(request)).token, displayName: auth.user.displayName };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const auth = await getAuthState(request);
  if (auth) {
    const { db } = await getDatabase();
    await deleteSessionByToken(db, auth.token);
    const info = requestInfo(request, context);
    await recordAudit(db, {
      action: "auth.logout",
      actor: { id: auth.user.id, role: auth.user.role },
      recordType: "session",
      recordId: auth.session.id,
      requestId: info.requestId,
      ipHash: info.ipHash,
    });
  }
  return redirect("/login?done=logout", { headers: { "Set-Cookie": await clearSessionCookie() } });
}

export default function LogoutPage() {
  const { csrf, displayName } = useLoaderData<typeof loader>();
  return (
    <div className="account-page">
      <h1>ログアウト</h1>
      <p>{displayName} さんとしてログインしています。共用の端末では、使い終わったら必ずログアウトしてください。</p>
      <Form method="post" className="account-form">
        <CsrfField token={csrf} />
        <div>
          <button type="submit" className="button--primary">
            ログアウトする
          </button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("ログアウト") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

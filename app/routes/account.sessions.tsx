// `/account/sessions`: every device signed in as me, with when it signed in and was last active;
// any of them can be ended here (a lost phone, a shared PC left signed in).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getDatabase } from "~/utils/db.server";
import { accountLinks, AccountErrorBoundary, CsrfField, noStoreHeaders, Notice } from "~/accounts/ui";
import { formFields } from "~/utils/account-validation";
import { recordAudit } from "~/utils/audit.server";
import { readForm, requireUser } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { requestInfo } from "~/utils/request.server";
import { clearSessionCookie, listSessions, revokeOtherSessions, revokeSession } from "~/utils/session.server";
import { pageTitle } from "~/utils/site";

export const links = accountLinks;
export const headers = noStoreHeaders;

const dateTime = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", dateStyle: "medium", timeStyle: "short" });

export async function loader({ request }: LoaderFunctionArgs) {
  const auth = await requireUser(request);
  const { db } = await getDatabase();
  const sessions = await listSessions(db, { userId: auth.user.id, role: auth.user.role, now: new Date() });
  return {
    csrf: (await getCsrfToken(request)).token,
    sessions: sessions.map((s) => ({
      id: s.id,
      current: s.id === auth.session.id,
      browser: s.userAgent ?? "不明なブラウザ",
      signedIn: dateTime.format(s.createdAt),
      lastActive: dateTime.format(s.lastSeenAt),
      expires: dateTime.format(s.expiresAt),
      twoFactor: s.twoFactorVerifiedAt !== null,
    })),
  };
}

export const RevokeSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("revoke"), sessionId: z.coerce.number().int().positive() }),
  z.object({ intent: z.literal("revoke-others") }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const auth = await requireUser(request, { context });
  const parsed = RevokeSchema.safeParse(formFields(form, ["intent", "sessionId"]));
  if (!parsed.success) return data({ message: "操作を読み取れませんでした。", messageEn: "Unknown action." }, { status: 400 });
  const { db } = await getDatabase();
  const info = requestInfo(request, context);
  const actor = { id: auth.user.id, role: auth.user.role };
  if (parsed.data.intent === "revoke-others") {
    const count = await revokeOtherSessions(db, { userId: auth.user.id, keepSessionId: auth.session.id });
    await recordAudit(db, { action: "auth.session.revoke", actor, recordType: "session", purpose: "ほかの端末をすべてログアウト", requestId: info.requestId, ipHash: info.ipHash });
    return { message: count > 0 ? `ほかの端末のログイン ${count} 件を終了しました。` : "ほかにログイン中の端末はありません。", messageEn: null };
  }
  const revoked = await revokeSession(db, { userId: auth.user.id, sessionId: parsed.data.sessionId });
  if (!revoked) return data({ message: "そのセッションはすでに終了しています。", messageEn: "That session has already ended." }, { status: 404 });
  await recordAudit(db, { action: "auth.session.revoke", actor, recordType: "session", recordId: parsed.data.sessionId, requestId: info.requestId, ipHash: info.ipHash });
  if (parsed.data.sessionId === auth.session.id) {
    throw redirect("/login?done=logout", { headers: { "Set-Cookie": await clearSessionCookie() } });
  }
  return { message: "選んだ端末のログインを終了しました。", messageEn: null };
}

export default function SessionsPage() {
  const { csrf, sessions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="account-page">
      <h1>ログイン中の端末</h1>
      <p>
        いまログインしている端末（セッション）の一覧です。心当たりのない端末や、使い終わった共用の端末は「ログアウトさせる」で終了できます。
        操作がないまま一定時間たつと、自動的にログアウトされます。
      </p>
      <Notice message={actionData?.message} messageEn={actionData?.messageEn} />
      <div className="data-table-wrap">
        <table className="data-table">
          <caption className="visually-hidden">ログイン中の端末</caption>
          <thead>
            <tr>
              <th scope="col">端末</th>
              <th scope="col">ログイン</th>
              <th scope="col">最後の操作</th>
              <th scope="col">期限</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.browser}
                  {s.current ? <strong>（この端末）</strong> : null}
                  {s.twoFactor ? <div>二要素認証済み</div> : null}
                </td>
                <td>{s.signedIn}</td>
                <td>{s.lastActive}</td>
                <td>{s.expires}</td>
                <td>
                  <Form method="post">
                    <CsrfField token={csrf} />
                    <input type="hidden" name="intent" value="revoke" />
                    <input type="hidden" name="sessionId" value={s.id} />
                    <button type="submit">ログアウトさせる</button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {sessions.length > 1 ? (
        <Form method="post" className="account-form">
          <CsrfField token={csrf} />
          <input type="hidden" name="intent" value="revoke-others" />
          <div>
            <button type="submit">この端末以外をすべてログアウトさせる</button>
          </div>
        </Form>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("ログイン中の端末") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

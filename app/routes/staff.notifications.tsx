// `/staff/notifications`: the signed-in user's notifications (e.g. a newly published place that
// fits a waiting unmet need), newest first; 「既読にする」 one at a time or all at once.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { AccountErrorBoundary, CsrfField, noStoreHeaders, Notice } from "~/accounts/ui";
import { requireCaseworker } from "~/people/auth.server";
import { listNotifications, markNotificationsRead } from "~/people/people.server";
import { formatDateTime, StaffNav, staffLinks } from "~/staff/ui";
import { readForm } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = staffLinks;
export const headers = noStoreHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requireCaseworker(request, context);
  const { db } = await getDatabase();
  const rows = await listNotifications(db, actor.id);
  return { csrf: (await getCsrfToken(request)).token, notifications: rows };
}

const MarkReadSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("read"), id: z.coerce.number().int().positive() }),
  z.object({ intent: z.literal("read-all") }),
]);

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const { actor } = await requireCaseworker(request, context);
  const parsed = MarkReadSchema.safeParse({ intent: form.get("intent"), id: form.get("id") ?? undefined });
  if (!parsed.success) return data({ ok: false, message: "操作を選んでください。" }, { status: 400 });
  const { db } = await getDatabase();
  const changed =
    parsed.data.intent === "read-all"
      ? await markNotificationsRead(db, { userId: actor.id, all: true })
      : await markNotificationsRead(db, { userId: actor.id, id: parsed.data.id });
  return { ok: true, message: changed > 0 ? `${changed}件を既読にしました。` : "既読にするお知らせはありませんでした。" };
}

export default function NotificationsPage() {
  const { csrf, notifications } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const unread = notifications.filter((n) => !n.readAt).length;
  return (
    <div className="account-page account-page--wide">
      <h1>お知らせ</h1>
      <StaffNav />
      {actionData ? <Notice tone={actionData.ok ? "info" : "error"} message={actionData.message} /> : null}
      <p>未読 {unread}件</p>
      {unread > 0 ? (
        <Form method="post">
          <CsrfField token={csrf} />
          <button type="submit" name="intent" value="read-all">
            すべて既読にする
          </button>
        </Form>
      ) : null}
      {notifications.length === 0 ? (
        <p>お知らせはありません。</p>
      ) : (
        <ul className="link-list">
          {notifications.map((n) => (
            <li key={n.id} className={n.readAt ? undefined : "notification--unread"}>
              <p>
                {n.readAt ? "" : "【未読】"}
                {formatDateTime(n.createdAt)}: {n.message}
              </p>
              {n.link ? <Link to={n.link}>開く</Link> : null}
              {!n.readAt ? (
                <Form method="post" className="account-form--inline">
                  <CsrfField token={csrf} />
                  <input type="hidden" name="id" value={n.id} />
                  <button type="submit" name="intent" value="read">
                    既読にする
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("お知らせ") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

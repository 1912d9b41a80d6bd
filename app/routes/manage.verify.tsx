// `/manage/verify`: keeping entries current. Published entries not confirmed for
// VERIFY_AFTER_MONTHS, each with one-click 「内容に変更なし」 and a quick edit, and the residents'
// correction reports waiting to be handled.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { kindLabel } from "../../db/vocabulary";
import { AccountErrorBoundary, CsrfField, noStoreHeaders, Notice } from "~/accounts/ui";
import { closeReport, listOpenReports, listUnverified, markVerified, VERIFY_AFTER_MONTHS } from "~/models/resource-editor.server";
import { resourceLinks } from "~/resources/ui";
import { readForm, requireUser } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = resourceLinks;
export const headers = noStoreHeaders;

const dateTime = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", dateStyle: "medium", timeStyle: "short" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, { permission: "update:resource:own", context });
  const { db } = await getDatabase();
  const actor = { id: auth.user.id, role: auth.user.role };
  const [unverified, reports] = await Promise.all([listUnverified(db, { actor, now: new Date() }), listOpenReports(db, { actor })]);
  return {
    csrf: (await getCsrfToken(request)).token,
    months: VERIFY_AFTER_MONTHS,
    unverified: unverified.map((r) => ({ ...r, kind: kindLabel(r.kind) })),
    reports: reports.map((r) => ({ ...r, createdAt: dateTime.format(r.createdAt) })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const auth = await requireUser(request, { permission: "update:resource:own", context });
  const intent = form.get("intent");
  const id = Number(form.get("id"));
  if ((intent !== "verify" && intent !== "close-report") || !Number.isSafeInteger(id) || id <= 0) {
    return data({ ok: false, message: "操作を読み取れませんでした。" }, { status: 400 });
  }
  const { db } = await getDatabase();
  const actor = { id: auth.user.id, role: auth.user.role };
  const result = intent === "verify" ? await markVerified(db, { actor, id, now: new Date() }) : await closeReport(db, { actor, id });
  if (result.kind === "not-found") return data({ ok: false, message: "対象が見つからないか、操作する権限がありません。" }, { status: 404 });
  if (result.kind === "refused") return data({ ok: false, message: result.message }, { status: 409 });
  return data({ ok: true, message: intent === "verify" ? "確認日を今日にしました。" : "報告を対応済みにしました。" });
}

export default function VerifyPage() {
  const { csrf, months, unverified, reports } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to="/manage/resources">← 登録した情報の一覧</Link>
      </p>
      <h1>情報の確認</h1>
      <Notice tone={actionData?.ok ? "info" : "error"} message={actionData?.message} />

      <section aria-labelledby="reports-heading">
        <h2 id="reports-heading">住民からの修正の報告（{reports.length}件）</h2>
        {reports.length === 0 ? <p>未対応の報告はありません。</p> : null}
        {reports.map((r) => (
          <article key={r.id} className="field-group">
            <h3>
              <Link to={`/places/${r.resourceId}`}>{r.name}</Link>
            </h3>
            <p>受付: {r.createdAt}</p>
            <p className="pre-line">{r.message}</p>
            {r.contact ? <p>連絡先: {r.contact}</p> : null}
            <Form method="post" className="account-form--inline">
              <CsrfField token={csrf} />
              <input type="hidden" name="id" value={r.id} />
              <Link to={`/manage/resources/${r.resourceId}/edit`}>内容を修正する</Link>{" "}
              <button type="submit" name="intent" value="close-report">
                対応済みにする
              </button>
            </Form>
          </article>
        ))}
      </section>

      <section aria-labelledby="unverified-heading">
        <h2 id="unverified-heading">
          {months}か月以上確認されていない情報（{unverified.length}件）
        </h2>
        {unverified.length === 0 ? (
          <p>すべて確認済みです。</p>
        ) : (
          <div className="data-table-wrap">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">名称</th>
                  <th scope="col">種類</th>
                  <th scope="col">地区</th>
                  <th scope="col">最終確認日</th>
                  <th scope="col">操作</th>
                </tr>
              </thead>
              <tbody>
                {unverified.map((r) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/places/${r.id}`}>{r.name}</Link>
                    </td>
                    <td>{r.kind}</td>
                    <td>{r.area ?? "—"}</td>
                    <td>{r.lastVerifiedOn ?? "未確認"}</td>
                    <td>
                      <Form method="post" className="account-form--inline">
                        <CsrfField token={csrf} />
                        <input type="hidden" name="id" value={r.id} />
                        <button type="submit" name="intent" value="verify">
                          内容に変更なし
                        </button>{" "}
                        <Link to={`/manage/resources/${r.id}/edit`}>修正する</Link>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("情報の確認") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

// `/manage/resources`: a coordinator's own entries with their review state, and the button that
// sends a draft or returned entry to review.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { kindLabel } from "../../db/vocabulary";
import { AccountErrorBoundary, CsrfField, noStoreHeaders, Notice } from "~/accounts/ui";
import { listOwnResources, submitResource } from "~/models/resource-editor.server";
import { resourceLinks } from "~/resources/ui";
import { readForm, requireUser } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { can } from "~/utils/permissions";
import { REVIEW_STATUS_LABELS, type ReviewStatus } from "~/utils/resource-form";
import { pageTitle } from "~/utils/site";

export const links = resourceLinks;
export const headers = noStoreHeaders;

const dateTime = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", dateStyle: "medium", timeStyle: "short" });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const auth = await requireUser(request, { permission: "create:resource", context });
  const { db } = await getDatabase();
  const rows = await listOwnResources(db, { userId: auth.user.id });
  return {
    csrf: (await getCsrfToken(request)).token,
    canReview: can(auth.user.role, "review:resource"),
    resources: rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: kindLabel(r.kind),
      reviewStatus: r.reviewStatus as ReviewStatus,
      returnReason: r.returnReason,
      pendingRevisions: r.pendingRevisions,
      updatedAt: dateTime.format(r.updatedAt),
      lastVerifiedOn: r.lastVerifiedOn,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const auth = await requireUser(request, { permission: "update:resource:own", context });
  const id = Number(form.get("id"));
  if (form.get("intent") !== "submit" || !Number.isSafeInteger(id) || id <= 0) {
    return data({ ok: false, message: "操作を読み取れませんでした。" }, { status: 400 });
  }
  const { db } = await getDatabase();
  const result = await submitResource(db, { actor: { id: auth.user.id, role: auth.user.role }, id, now: new Date() });
  if (result.kind === "not-found") return data({ ok: false, message: "この情報は見つからないか、申請する権限がありません。" }, { status: 404 });
  if (result.kind === "refused") return data({ ok: false, message: result.message }, { status: 409 });
  return data({ ok: true, message: "審査を申請しました。管理者が確認します。" }, { status: 200 });
}

export default function ManageResourcesPage() {
  const { csrf, canReview, resources } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const saved = params.get("saved");
  return (
    <div className="account-page account-page--wide">
      <h1>登録した地域資源</h1>
      {saved ? <Notice tone="info" message={params.get("revision") ? "変更を申請しました。管理者の承認後に公開されます。" : "保存しました。"} /> : null}
      <Notice tone={actionData?.ok ? "info" : "error"} message={actionData?.message} />
      <ul className="link-list">
        <li>
          <Link to="/manage/resources/new">新しく登録する</Link>
        </li>
        <li>
          <Link to="/manage/verify">確認が必要な情報・修正の報告</Link>
        </li>
        {canReview ? (
          <li>
            <Link to="/admin/review">審査待ちの一覧（管理者）</Link>
          </li>
        ) : null}
      </ul>
      {resources.length === 0 ? (
        <p>まだ登録した情報はありません。</p>
      ) : (
        <div className="data-table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">名称</th>
                <th scope="col">種類</th>
                <th scope="col">状態</th>
                <th scope="col">更新</th>
                <th scope="col">操作</th>
              </tr>
            </thead>
            <tbody>
              {resources.map((r) => (
                <tr key={r.id}>
                  <td>{r.name}</td>
                  <td>{r.kind}</td>
                  <td>
                    {REVIEW_STATUS_LABELS[r.reviewStatus] ?? r.reviewStatus}
                    {r.pendingRevisions > 0 ? "（変更を審査中）" : null}
                    {r.reviewStatus === "returned" && r.returnReason ? <p className="pre-line">理由: {r.returnReason}</p> : null}
                  </td>
                  <td>{r.updatedAt}</td>
                  <td>
                    {r.reviewStatus !== "submitted" ? <Link to={`/manage/resources/${r.id}/edit`}>編集</Link> : null}
                    {r.reviewStatus === "published" ? (
                      <>
                        {" "}
                        <Link to={`/places/${r.id}`}>公開ページ</Link>
                      </>
                    ) : null}
                    {r.reviewStatus === "draft" || r.reviewStatus === "returned" ? (
                      <Form method="post" className="account-form--inline">
                        <CsrfField token={csrf} />
                        <input type="hidden" name="id" value={r.id} />
                        <button type="submit" name="intent" value="submit">
                          審査を申請
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("登録した地域資源") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

// `/admin/resources/:id/history`: every change to one resource — who, when, which field, before
// and after — as the review workflow and the verification queue recorded it.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { eq } from "drizzle-orm";
import { resources } from "../../db/schema";
import { AccountErrorBoundary, noStoreHeaders } from "~/accounts/ui";
import { FIELD_LABELS, listResourceHistory } from "~/models/resource-editor.server";
import { resourceLinks } from "~/resources/ui";
import { requireUser } from "~/utils/auth.server";
import { getDatabase } from "~/utils/db.server";
import { REVIEW_STATUS_LABELS } from "~/utils/resource-form";
import { pageTitle } from "~/utils/site";

export const links = resourceLinks;
export const headers = noStoreHeaders;

const dateTime = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", dateStyle: "medium", timeStyle: "short" });
const EXTRA_LABELS: Record<string, string> = { review_status: "審査の状態", returnReason: "差し戻しの理由", lastVerifiedOn: "最終確認日" };
const NOT_FOUND = { message: "この情報は見つかりません。", messageEn: "Not found." };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireUser(request, { permission: "review:resource", context });
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw data(NOT_FOUND, { status: 404 });
  const { db } = await getDatabase();
  const [resource] = await db.select({ id: resources.id, name: resources.name }).from(resources).where(eq(resources.id, id)).limit(1);
  if (!resource) throw data(NOT_FOUND, { status: 404 });
  const rows = await listResourceHistory(db, { resourceId: id });
  const label = (field: string) => (FIELD_LABELS as Record<string, string>)[field] ?? EXTRA_LABELS[field] ?? field;
  const value = (field: string, v: string | null) => (field === "review_status" && v ? (REVIEW_STATUS_LABELS as Record<string, string>)[v] ?? v : v);
  return {
    resource,
    history: rows.map((h) => ({ id: h.id, at: dateTime.format(h.at), user: h.user ?? "—", field: label(h.field), before: value(h.field, h.before), after: value(h.field, h.after) })),
  };
}

export default function ResourceHistoryPage() {
  const { resource, history } = useLoaderData<typeof loader>();
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to="/admin/review">← 審査の一覧</Link>
      </p>
      <h1>「{resource.name}」の変更履歴</h1>
      {history.length === 0 ? (
        <p>記録された変更はありません（取り込んだままの情報です）。</p>
      ) : (
        <div className="data-table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">日時</th>
                <th scope="col">変更した人</th>
                <th scope="col">項目</th>
                <th scope="col">変更前</th>
                <th scope="col">変更後</th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.id}>
                  <td>{h.at}</td>
                  <td>{h.user}</td>
                  <td>{h.field}</td>
                  <td className="pre-line">{h.before ?? "（なし）"}</td>
                  <td className="pre-line">{h.after ?? "（なし）"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("変更履歴") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

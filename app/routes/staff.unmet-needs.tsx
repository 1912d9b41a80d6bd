// `/staff/unmet-needs`: 不足している社会資源 — how many needs found no place, by area × wanted
// participation and area × kind of place. Counts only: no names, case numbers or free text
// (aggregateUnmetNeeds reads none of them), so issue 7's 重層的支援会議 can show the same table.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AccountErrorBoundary, noStoreHeaders } from "~/accounts/ui";
import { requireCaseworker } from "~/people/auth.server";
import { aggregateUnmetNeeds } from "~/people/unmet-needs.server";
import { StaffNav, staffLinks } from "~/staff/ui";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = staffLinks;
export const headers = noStoreHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireCaseworker(request, context);
  const { db } = await getDatabase();
  return aggregateUnmetNeeds(db);
}

function AggregateTable({ caption, rows }: { caption: string; rows: { area: string; label: string; waiting: number; total: number }[] }) {
  return (
    <div className="data-table-wrap">
      <table className="data-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">圏域・地区</th>
            <th scope="col">項目</th>
            <th scope="col">待機中</th>
            <th scope="col">記録の累計</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.area}-${r.label}`}>
              <td>{r.area}</td>
              <td>{r.label}</td>
              <td>{r.waiting}</td>
              <td>{r.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function UnmetNeedsPage() {
  const { rows, waiting, total } = useLoaderData<typeof loader>();
  return (
    <div className="account-page account-page--wide">
      <h1>不足している社会資源</h1>
      <StaffNav />
      <p>
        合う場所が見つからなかったニーズの件数です（待機中 {waiting}件 ／ 記録の累計 {total}件）。個人を特定できる情報は含みません。新しく公開された場所が合うと、担当者にお知らせが届き「待機中」から外れます。
      </p>
      {total === 0 ? (
        <p>記録はまだありません。</p>
      ) : (
        <>
          <AggregateTable caption="地区 × 参加の形" rows={rows.filter((r) => r.dimension === "want")} />
          <AggregateTable caption="地区 × 求める場所の種類" rows={rows.filter((r) => r.dimension === "kind")} />
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("不足している社会資源") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

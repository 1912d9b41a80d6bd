// `/staff/unmet-needs`: 不足している社会資源 — how many needs found no place, by area × wanted
// participation and area × kind of place. Counts only: no names, case numbers or free text
// (aggregateUnmetNeeds reads none of them), so issue 7's 重層的支援会議 can show the same table.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { AccountErrorBoundary, noStoreHeaders } from "~/accounts/ui";
import { requireCaseworker } from "~/people/auth.server";
import { aggregateUnmetNeeds } from "~/people/unmet-needs.server";
import { StaffNav, staffLinks, UnmetNeedsTables } from "~/staff/ui";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = staffLinks;
export const headers = noStoreHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireCaseworker(request, context);
  const { db } = await getDatabase();
  return aggregateUnmetNeeds(db);
}

export default function UnmetNeedsPage() {
  const { rows, waiting, total } = useLoaderData<typeof loader>();
  return (
    <div className="account-page account-page--wide">
      <h1>不足している社会資源</h1>
      <StaffNav />
      <p>新しく公開された場所が合うと、担当者にお知らせが届き「待機中」から外れます。</p>
      <UnmetNeedsTables aggregate={{ rows, waiting, total }} />
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("不足している社会資源") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

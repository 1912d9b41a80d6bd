// `/staff`: the staff side's home (参加支援). Links and the unread notification count; issue 7
// turns it into the dashboard of follow-ups due.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AccountErrorBoundary, noStoreHeaders } from "~/accounts/ui";
import { requireCaseworker } from "~/people/auth.server";
import { countUnreadNotifications } from "~/people/people.server";
import { StaffNav, staffLinks } from "~/staff/ui";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = staffLinks;
export const headers = noStoreHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor } = await requireCaseworker(request, context);
  const { db } = await getDatabase();
  return { unread: await countUnreadNotifications(db, actor.id) };
}

export default function StaffHomePage() {
  const { unread } = useLoaderData<typeof loader>();
  return (
    <div className="account-page account-page--wide">
      <h1>参加支援</h1>
      <StaffNav />
      <p>
        {unread > 0 ? (
          <Link to="/staff/notifications">未読のお知らせが{unread}件あります</Link>
        ) : (
          "未読のお知らせはありません。"
        )}
      </p>
      <ul className="link-list">
        <li>
          <Link to="/staff/people">担当しているケースの一覧</Link>
        </li>
        <li>
          <Link to="/staff/people/new">本人を登録する（インテーク・同意の記録）</Link>
        </li>
        <li>
          <Link to="/staff/unmet-needs">不足している社会資源（地区・ニーズ別の件数）</Link>
        </li>
      </ul>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("参加支援") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

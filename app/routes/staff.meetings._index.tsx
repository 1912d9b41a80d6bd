// `/staff/meetings`: the meetings the viewer is a member of (administrators: all), newest first,
// with their kind, date and whether the viewer has accepted the confidentiality pledge. No case
// data at all: a meeting's agenda is read on its own page, through the meeting rules.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AccountErrorBoundary } from "~/accounts/ui";
import { listMeetingsWithMembership } from "~/meetings/meetings.server";
import { meetingKindLabel } from "~/meetings/rules";
import { meetingHeaders, meetingLinks } from "~/meetings/ui";
import { requireCaseworker } from "~/people/auth.server";
import { StaffNav } from "~/staff/ui";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = meetingLinks;
export const headers = meetingHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor, isAdmin } = await requireCaseworker(request, context);
  const { db } = await getDatabase();
  const meetings = await listMeetingsWithMembership(db, actor);
  return { isAdmin, meetings: meetings.map((m) => ({ ...m, kindLabel: meetingKindLabel(m.kind) })) };
}

export default function MeetingsPage() {
  const { isAdmin, meetings } = useLoaderData<typeof loader>();
  return (
    <div className="account-page account-page--wide">
      <h1>会議（支援会議・重層的支援会議）</h1>
      <StaffNav />
      <p>{isAdmin ? "すべての会議です。" : "構成員になっている会議です。"}会議の資料は公開されません。</p>
      {isAdmin ? (
        <p>
          <Link to="/staff/meetings/new" className="button button--primary">
            会議を作成
          </Link>
        </p>
      ) : null}
      {meetings.length === 0 ? (
        <p>{isAdmin ? "会議はまだありません。" : "構成員になっている会議はありません。"}</p>
      ) : (
        <div className="data-table-wrap">
          <table className="data-table">
            <caption>会議の一覧（新しい順）</caption>
            <thead>
              <tr>
                <th scope="col">開催日</th>
                <th scope="col">種類</th>
                <th scope="col">会議名</th>
                <th scope="col">あなた</th>
              </tr>
            </thead>
            <tbody>
              {meetings.map((m) => (
                <tr key={m.id}>
                  <td>{m.heldOn}</td>
                  <td>{m.kindLabel}</td>
                  <td>
                    <Link to={`/staff/meetings/${m.id}`}>{m.title}</Link>
                  </td>
                  <td>{!m.member ? "構成員ではありません" : m.kind === "support" ? (m.pledged ? "構成員（誓約済み）" : "構成員（誓約がまだです）") : "構成員"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("会議") }, { name: "robots", content: "noindex" }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

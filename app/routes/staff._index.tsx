// `/staff`: the staff dashboard (参加支援・定着支援). Follow-ups overdue / due today / this week (with
// the person and with the host), placements whose つながり評価 is falling, placements to propose as
// 定着, plans needing a meeting or review, and unread notifications. Only people the viewer may see
// are listed or counted (app/followup/dashboard.server.ts); case numbers only, never names.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AccountErrorBoundary, noStoreHeaders } from "~/accounts/ui";
import { staffDashboard } from "~/followup/dashboard.server";
import type { DueContact } from "~/followup/followups.server";
import { requireCaseworker } from "~/people/auth.server";
import { todayInTokyo } from "~/people/people.server";
import { planStatusLabel } from "~/plans/lifecycle";
import { StaffNav, staffLinks } from "~/staff/ui";
import { getDatabase } from "~/utils/db.server";
import { formatDateJa, parseIsoDate } from "~/utils/schedule";
import { pageTitle } from "~/utils/site";

export const links = staffLinks;
export const headers = noStoreHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor, audit } = await requireCaseworker(request, context);
  const { db } = await getDatabase();
  const today = todayInTokyo();
  return { today, ...(await staffDashboard(db, { actor, today, audit })) };
}

const SIDE: Record<string, string> = { person: "本人", host: "受け入れ先" };

function dateJa(iso: string | null): string {
  const date = iso ? parseIsoDate(iso) : null;
  return date ? formatDateJa(date) : "—";
}

type Contact = Pick<DueContact, "id" | "caseNumber" | "side" | "dueOn" | "resourceName" | "phase">;

function ContactList({ id, title, contacts, empty }: { id: string; title: string; contacts: Contact[]; empty: string }) {
  return (
    <section className="staff-section" aria-labelledby={id}>
      <h2 id={id}>
        {title}（{contacts.length}件）
      </h2>
      {contacts.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <ul className="link-list">
          {contacts.map((c) => (
            <li key={c.id}>
              <Link to={`/staff/follow-ups/${c.id}`}>
                {dateJa(c.dueOn)}{"\u3000"}ケース {c.caseNumber}・{SIDE[c.side]}への連絡
                {c.resourceName ? `（${c.resourceName}）` : c.phase === "post_termination" ? "（終結後のつながりの確認）" : ""}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export default function StaffDashboardPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <div className="account-page account-page--wide">
      <h1>参加支援のダッシュボード</h1>
      <StaffNav />
      <p>
        {dateJa(data.today)}現在。
        {data.unread > 0 ? <Link to="/staff/notifications">未読のお知らせが{data.unread}件あります</Link> : "未読のお知らせはありません。"}
      </p>
      <ContactList id="overdue" title="期限を過ぎたフォローアップ" contacts={data.overdue} empty="期限を過ぎた連絡はありません。" />
      <ContactList id="due-today" title="今日のフォローアップ" contacts={data.dueToday} empty="今日予定の連絡はありません。" />
      <ContactList id="this-week" title="今週（7日以内）のフォローアップ" contacts={data.thisWeek} empty="今週予定の連絡はありません。" />

      <section className="staff-section" aria-labelledby="falling">
        <h2 id="falling">つながり評価が下がっているつなぎ（{data.falling.length}件）</h2>
        {data.falling.length === 0 ? (
          <p>2回続けて評価が下がったつなぎはありません。</p>
        ) : (
          <ul className="link-list">
            {data.falling.map((f) => (
              <li key={f.placementId}>
                <Link to={`/staff/placements/${f.placementId}`}>
                  ケース {f.caseNumber}・{f.resourceName}
                </Link>
                ：2回続けて評価が下がっています。早めに本人と受け入れ先に連絡してください。
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="staff-section" aria-labelledby="missed">
        <h2 id="missed">参加が途切れているつなぎ（{data.missed.length}件）</h2>
        {data.missed.length === 0 ? (
          <p>直近の参加の記録で「来なかった」のままのつなぎはありません。</p>
        ) : (
          <ul className="link-list">
            {data.missed.map((m) => (
              <li key={m.placementId}>
                <Link to={`/staff/placements/${m.placementId}`}>
                  ケース {m.caseNumber}・{m.resourceName}
                </Link>
                ：{dateJa(m.missedOn)}に来なかったままです。本人と受け入れ先に様子を聞いてください。
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="staff-section" aria-labelledby="settled">
        <h2 id="settled">定着の確認（{data.settledProposals.length}件）</h2>
        {data.settledProposals.length === 0 ? (
          <p>
            定着を提案できるつなぎはありません（評価が{data.settledRule.months}か月続けて{data.settledRule.threshold}以上になると表示されます）。
          </p>
        ) : (
          <ul className="link-list">
            {data.settledProposals.map((s) => (
              <li key={s.placementId}>
                <Link to={`/staff/placements/${s.placementId}`}>
                  ケース {s.caseNumber}・{s.resourceName}
                </Link>
                ：評価が{data.settledRule.months}か月以上よい状態です。定着として記録するか確認してください。
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="staff-section" aria-labelledby="plans-due">
        <h2 id="plans-due">会議・見直しが必要なプラン（{data.plansDue.length}件）</h2>
        {data.plansDue.length === 0 ? (
          <p>会議での評価や見直しが必要なプランはありません。</p>
        ) : (
          <ul className="link-list">
            {data.plansDue.map((p) => (
              <li key={p.planId}>
                <Link to={`/staff/plans/${p.planId}`}>
                  ケース {p.caseNumber}・プラン（{planStatusLabel(p.status)}）
                </Link>
                {p.proposedStatus ? `：${planStatusLabel(p.proposedStatus)}の提案が会議待ちです` : p.nextReviewOn ? `：見直し予定 ${dateJa(p.nextReviewOn)}` : "：会議での評価を待っています"}
              </li>
            ))}
          </ul>
        )}
      </section>

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

export const meta: MetaFunction = () => [{ title: pageTitle("参加支援のダッシュボード") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

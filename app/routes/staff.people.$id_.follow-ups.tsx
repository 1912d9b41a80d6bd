// `/staff/people/:id/follow-ups`: one person's 定着支援 — for each placement, the planned contacts
// and the records with the person and with the host (受け入れ先), with a link to record each; the
// light contacts after 終結 in their own list. Flags a falling connection and a 定着 proposal.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AccountErrorBoundary, noStoreHeaders } from "~/accounts/ui";
import { readFollowUpsOfCase } from "~/followup/followups.server";
import { dueBucket, EVALUATION_ITEMS, evaluationScore, isFalling, shouldProposeSettled, type Evaluation } from "~/followup/schedule";
import { contactKindLabel, FOLLOW_UP_STATUS_LABELS, sideLabel } from "~/followup/vocabulary";
import { requireCaseworker } from "~/people/auth.server";
import { CASE_NUMBER_PATTERN } from "~/people/forms";
import { todayInTokyo } from "~/people/people.server";
import { placementStatusLabel } from "~/people/placement";
import { planStylesLinks } from "~/plans/ui";
import { personNotFound, StaffNav, staffLinks } from "~/staff/ui";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = () => [...staffLinks(), ...planStylesLinks()];
export const headers = noStoreHeaders;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, audit } = await requireCaseworker(request, context);
  const caseNumber = params.id ?? "";
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) personNotFound();
  const { db } = await getDatabase();
  const result = await readFollowUpsOfCase(db, { actor, caseNumber, audit });
  if (result.kind !== "ok") personNotFound();
  const today = todayInTokyo();
  const rows = result.value.followUps.map((f) => {
    const evaluation = (f.evaluation ?? {}) as Partial<Record<string, number>>;
    const score = f.doneOn ? evaluationScore({ on: f.doneOn, ...evaluation }) : null;
    return {
      id: f.id,
      placementId: f.placementId,
      side: f.side,
      phase: f.phase,
      dueOn: f.dueOn,
      status: f.status,
      doneOn: f.doneOn,
      contactKind: f.contactKind,
      evaluation,
      score,
      issues: f.issues,
      overdue: f.status === "planned" && dueBucket(f.dueOn, today) === "overdue",
    };
  });
  const evaluationsOf = (placementId: number): Evaluation[] =>
    rows.filter((r) => r.placementId === placementId && r.status === "done" && r.doneOn).map((r) => ({ on: r.doneOn!, ...r.evaluation }));
  const groups = result.value.placements
    .map((p) => ({
      ...p,
      falling: isFalling(evaluationsOf(p.id)),
      settledProposal: shouldProposeSettled(evaluationsOf(p.id), today),
      rows: rows.filter((r) => r.placementId === p.id && r.phase === "placement"),
    }))
    .filter((g) => g.rows.length > 0);
  return {
    caseNumber,
    today,
    groups,
    afterEnd: rows.filter((r) => r.phase === "post_termination"),
    unplanned: result.value.placements.filter((p) => !groups.some((g) => g.id === p.id)),
  };
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["afterEnd"][number];

function FollowUpTable({ caption, rows }: { caption: string; rows: Row[] }) {
  return (
    <div className="data-table-wrap">
      <table className="data-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">予定日</th>
            <th scope="col">相手</th>
            <th scope="col">状態</th>
            <th scope="col">実施日・方法</th>
            <th scope="col">つながり評価</th>
            <th scope="col">課題</th>
            <th scope="col">操作</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{r.dueOn}</td>
              <td>{sideLabel(r.side)}</td>
              <td>
                {FOLLOW_UP_STATUS_LABELS[r.status] ?? r.status}
                {r.overdue ? <strong>（期限切れ）</strong> : null}
              </td>
              <td>{r.doneOn ? `${r.doneOn} ${contactKindLabel(r.contactKind)}` : "—"}</td>
              <td>
                {r.score === null
                  ? "—"
                  : EVALUATION_ITEMS.filter((item) => r.evaluation[item.code] !== undefined)
                      .map((item) => `${item.label.replace(/（.*）$/, "")} ${r.evaluation[item.code]}`)
                      .join("、")}
              </td>
              <td className="pre-line">{r.issues ?? ""}</td>
              <td>
                {r.status === "planned" ? (
                  <Link to={`/staff/follow-ups/${r.id}`} aria-label={`${r.dueOn} ${sideLabel(r.side)}との連絡を記録する`}>
                    記録する
                  </Link>
                ) : r.status === "done" ? (
                  <Link to={`/staff/follow-ups/${r.id}`} aria-label={`${r.dueOn} ${sideLabel(r.side)}との連絡の記録を見る`}>
                    記録を見る
                  </Link>
                ) : (
                  "—"
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function PersonFollowUpsPage() {
  const { caseNumber, groups, afterEnd, unplanned } = useLoaderData<typeof loader>();
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to={`/staff/people/${caseNumber}`}>← ケース {caseNumber}</Link>
      </p>
      <h1>フォローアップ（ケース {caseNumber}）</h1>
      <StaffNav />
      <p>見学・体験・参加中になったつなぎごとに、本人と受け入れ先の両方への連絡を予定しています（1週間後、2週間後、1か月後、2か月後、3か月後、その後3か月ごと）。</p>
      {groups.length === 0 && afterEnd.length === 0 ? <p>予定されているフォローアップはありません。</p> : null}
      {groups.map((g) => (
        <section key={g.id} className="staff-section" aria-labelledby={`placement-${g.id}`}>
          <h2 id={`placement-${g.id}`}>
            {g.resourceName}（{placementStatusLabel(g.status)}）
          </h2>
          <p>
            <Link to={`/staff/placements/${g.id}`}>つなぎのページ</Link>
            {g.falling ? <strong>{" "}つながり評価が2回続けて下がっています。</strong> : null}
            {g.settledProposal ? <strong>{" "}定着の提案：評価が基準以上で続いています。つなぎのページで「定着」を確認してください。</strong> : null}
          </p>
          <FollowUpTable caption={`${g.resourceName}のフォローアップ`} rows={g.rows} />
        </section>
      ))}
      {afterEnd.length > 0 ? (
        <section className="staff-section" aria-labelledby="after-end">
          <h2 id="after-end">終結後の連絡（つながりの維持）</h2>
          <FollowUpTable caption="終結後の連絡" rows={afterEnd} />
        </section>
      ) : null}
      {unplanned.length > 0 ? (
        <section className="staff-section" aria-labelledby="unplanned">
          <h2 id="unplanned">フォローアップの予定がないつなぎ</h2>
          <ul>
            {unplanned.map((p) => (
              <li key={p.id}>
                <Link to={`/staff/placements/${p.id}`}>{`${p.resourceName}（${placementStatusLabel(p.status)}）`}</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p>
        <Link to={`/staff/people/${caseNumber}/plans`}>このケースのプラン</Link>
      </p>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("フォローアップ") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

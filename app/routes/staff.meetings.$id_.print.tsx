// `/staff/meetings/:id/print`: the agenda on A4 for the meeting table — only what this viewer may
// see on the meeting page (case numbers only before the pledge, labels after), the members with
// their pledge, the unmet-needs counts of a 重層的支援会議, and for a 支援会議 the pledge text with a
// signature line for each external member who has not signed yet. No case content is printed.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AccountErrorBoundary } from "~/accounts/ui";
import { agendaReasonLabel } from "~/meetings/forms";
import { meetingView } from "~/meetings/meetings.server";
import { MEETING_KINDS } from "~/meetings/rules";
import { idParam, MEETING_KIND_SCOPE, meetingHeaders, meetingLinks, meetingNotFound, PledgeText, UnmetNeedsTables } from "~/meetings/ui";
import { requireCaseworker } from "~/people/auth.server";
import { todayInTokyo } from "~/people/people.server";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = meetingLinks;
export const headers = meetingHeaders;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, audit } = await requireCaseworker(request, context);
  const meetingId = idParam(params.id) ?? meetingNotFound();
  const { db } = await getDatabase();
  const view = await meetingView(db, { actor, meetingId, audit });
  if (!view) meetingNotFound();
  const { meeting, me, members, cases, unmetNeeds } = view;
  const law = MEETING_KINDS.find((k) => k.code === meeting.kind);
  return {
    printedOn: todayInTokyo(),
    meeting: { id: meeting.id, kind: meeting.kind, kindLabel: law?.label ?? meeting.kind, law: law?.law ?? "", heldOn: meeting.heldOn, title: meeting.title },
    pledged: Boolean(me?.pledged),
    member: me !== null,
    members,
    cases: cases.map((c) => ({ caseId: c.caseId, label: c.label, reason: agendaReasonLabel(c.reason), visible: c.visible })),
    unmetNeeds,
  };
}

export default function MeetingAgendaSheet() {
  const { printedOn, meeting, pledged, member, members, cases, unmetNeeds } = useLoaderData<typeof loader>();
  const unsignedExternal = members.filter((m) => m.external && !m.pledged);
  return (
    <div className="agenda-sheet">
      <p className="no-print">
        <Link to={`/staff/meetings/${meeting.id}`}>← 会議に戻る</Link>
      </p>
      <p className="no-print">ブラウザーの「印刷」から A4 用紙に印刷できます。会議の資料は非公開です。会議の後は回収・廃棄してください。</p>
      <p className="sheet-confidential">取扱注意: 会議資料（非公開）。会議の後は回収・廃棄します。</p>
      <h1>
        {meeting.title} 議題
      </h1>
      <p>
        {meeting.kindLabel}（{meeting.law}） 開催日 {meeting.heldOn} ／ 印刷日 {printedOn}
      </p>
      <p>{MEETING_KIND_SCOPE[meeting.kind]}</p>
      {meeting.kind === "support" && !pledged ? (
        <p>
          <strong>{member ? "守秘義務の誓約の前のため、事例はケース番号だけを印刷しています。" : "構成員ではないため、事例はケース番号だけを印刷しています。"}</strong>
        </p>
      ) : null}

      <section aria-labelledby="sheet-agenda">
        <h2 id="sheet-agenda">議題（事例）</h2>
        {cases.length === 0 ? (
          <p>議題の事例はありません。</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">番号</th>
                <th scope="col">事例</th>
                <th scope="col">議題にする理由</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c, index) => (
                <tr key={c.caseId}>
                  <td>{index + 1}</td>
                  <td>{c.label}</td>
                  <td>{c.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="sheet-members">
        <h2 id="sheet-members">構成員</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">氏名</th>
              <th scope="col">所属</th>
              <th scope="col">守秘義務の誓約</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id}>
                <td>
                  {m.name}
                  {m.external ? "（外部）" : ""}
                </td>
                <td>{m.organisation ?? "—"}</td>
                <td>{m.pledged ? "誓約済み" : m.external ? "書面で誓約" : "未"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {meeting.kind === "jusouteki" && unmetNeeds ? (
        <section aria-labelledby="sheet-unmet">
          <h2 id="sheet-unmet">社会資源の充足状況（件数のみ）</h2>
          <UnmetNeedsTables aggregate={unmetNeeds} />
        </section>
      ) : null}

      {meeting.kind === "support" && unsignedExternal.length > 0 ? (
        <section className="pledge-sign" aria-labelledby="sheet-pledge">
          <h2 id="sheet-pledge">守秘義務の誓約書（外部の構成員）</h2>
          <PledgeText title={meeting.title} heldOn={meeting.heldOn} />
          <table>
            <thead>
              <tr>
                <th scope="col">氏名</th>
                <th scope="col">所属</th>
                <th scope="col">署名</th>
                <th scope="col">日付</th>
              </tr>
            </thead>
            <tbody>
              {unsignedExternal.map((m) => (
                <tr key={m.id}>
                  <td>{m.name}</td>
                  <td>{m.organisation ?? ""}</td>
                  <td className="sign-cell" />
                  <td className="sign-cell" />
                </tr>
              ))}
            </tbody>
          </table>
          <p className="sheet-footnote">署名の後、主催者がポータルで「書面の誓約を記録」を押します。誓約書は市町村で保管します。</p>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("会議の議題（印刷用）") }, { name: "robots", content: "noindex" }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

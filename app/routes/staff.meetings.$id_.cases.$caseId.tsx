// `/staff/meetings/:id/cases/:caseId`: one agenda case as the meeting needs it — the label
// (initials + case number unless the viewer is authorised outside the meeting), why it is on the
// agenda, the plan (goals, 役割分担, monitoring), the assessment's interests and wanted
// participation, placements and the follow-up evaluations. Read through the people gate's meeting
// context (readMeetingCase): not a member, no pledge (支援会議), no 同意 (重層的支援会議) or consent
// just revoked → 404, audited with the meeting as purpose. Health and contact fields never appear.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AccountErrorBoundary } from "~/accounts/ui";
import { EVALUATION_ITEMS, EVALUATION_SCALE } from "~/followup/schedule";
import { sideLabel } from "~/followup/vocabulary";
import { ladderLabel } from "~/matching/vocabulary";
import { agendaReasonLabel } from "~/meetings/forms";
import { readMeetingCase } from "~/meetings/meetings.server";
import { meetingKindLabel } from "~/meetings/rules";
import { assessmentSummary, planSummary } from "~/meetings/summaries";
import { idParam, meetingCaseNotFound, meetingHeaders, meetingLinks } from "~/meetings/ui";
import { requireCaseworker } from "~/people/auth.server";
import { placementStatusLabel } from "~/people/placement";
import { PLAN_PROGRAMMES, planStatusLabel } from "~/plans/lifecycle";
import { ConsentBadge, StaffNav } from "~/staff/ui";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = meetingLinks;
export const headers = meetingHeaders;

const scaleLabel = (value: unknown) => EVALUATION_SCALE.find((s) => s.value === value)?.label ?? "—";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, audit } = await requireCaseworker(request, context);
  const meetingId = idParam(params.id) ?? meetingCaseNotFound();
  const caseId = idParam(params.caseId) ?? meetingCaseNotFound();
  const { db } = await getDatabase();
  const result = await readMeetingCase(db, { actor, meetingId, caseId, audit });
  if (result.kind !== "ok") meetingCaseNotFound();
  const c = result.value;
  // Only what the page shows goes to the browser: never the raw assessment (location, health).
  return {
    meetingId,
    meeting: { ...c.meeting, kindLabel: meetingKindLabel(c.meeting.kind) },
    label: c.label,
    consent: c.consent,
    reason: agendaReasonLabel(c.reason),
    area: c.area,
    birthYear: c.birthYear,
    plan: c.plan
      ? {
          status: planStatusLabel(c.plan.status),
          version: c.plan.version,
          programmes: c.plan.programmes.map((p) => PLAN_PROGRAMMES.find((x) => x.code === p)?.label ?? p),
          ...planSummary(c.plan.content),
        }
      : null,
    assessment: c.assessment ? { assessedOn: c.assessment.assessedOn, ...assessmentSummary(c.assessment.data) } : null,
    placements: c.placements.map((p) => ({ id: p.id, resourceName: p.resourceName, status: placementStatusLabel(p.status), step: p.step ? ladderLabel(p.step) : "—" })),
    evaluations: c.evaluations.map((e) => {
      const evaluation = (e.evaluation ?? {}) as Record<string, unknown>;
      return { doneOn: e.doneOn, side: sideLabel(e.side), items: EVALUATION_ITEMS.map((item) => scaleLabel(evaluation[item.code])) };
    }),
  };
}

export default function MeetingCasePage() {
  const { meetingId, meeting, label, consent, reason, area, birthYear, plan, assessment, placements, evaluations } = useLoaderData<typeof loader>();
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to={`/staff/meetings/${meetingId}`}>
          ← {meeting.title}（{meeting.kindLabel} {meeting.heldOn}）
        </Link>
      </p>
      <h1>事例 {label}</h1>
      <StaffNav />
      <p>この内容は会議の構成員だけが見られます。会議の目的以外に使わず、書き写したり持ち出したりしないでください。閲覧は記録されています。</p>
      <dl className="staff-grid">
        <dt>議題にする理由</dt>
        <dd>{reason}</dd>
        <dt>同意の状況</dt>
        <dd>
          <ConsentBadge state={consent} />
        </dd>
        <dt>圏域・地区</dt>
        <dd>{area ?? "—"}</dd>
        {birthYear ? (
          <>
            <dt>生まれ年</dt>
            <dd>{birthYear}年</dd>
          </>
        ) : null}
      </dl>

      <section className="staff-section" aria-labelledby="plan-heading">
        <h2 id="plan-heading">プラン</h2>
        {plan ? (
          <>
            <dl className="staff-grid">
              <dt>状況</dt>
              <dd>
                {plan.status}（第{plan.version}版）
              </dd>
              <dt>利用する事業</dt>
              <dd>{plan.programmes.length ? plan.programmes.join("、") : "—"}</dd>
              <dt>短期目標</dt>
              <dd className="pre-line">{plan.shortTermGoal || "—"}</dd>
              <dt>長期目標</dt>
              <dd className="pre-line">{plan.longTermGoal || "—"}</dd>
              <dt>モニタリング</dt>
              <dd>{plan.monitoringDates.length ? plan.monitoringDates.join("、") : "—"}</dd>
            </dl>
            {plan.actions.length ? (
              <div className="data-table-wrap">
                <table className="data-table">
                  <caption>役割分担</caption>
                  <thead>
                    <tr>
                      <th scope="col">支援の内容</th>
                      <th scope="col">担当する機関</th>
                    </tr>
                  </thead>
                  <tbody>
                    {plan.actions.map((a, index) => (
                      <tr key={index}>
                        <td>{a.action}</td>
                        <td>{a.agency}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </>
        ) : (
          <p>プランはありません（プランは本人の同意がある場合に作成されます）。</p>
        )}
      </section>

      <section className="staff-section" aria-labelledby="assessment-heading">
        <h2 id="assessment-heading">アセスメントの要約</h2>
        {assessment ? (
          <dl className="staff-grid">
            <dt>実施日</dt>
            <dd>{assessment.assessedOn}</dd>
            <dt>興味・関心</dt>
            <dd>{assessment.interests.length ? assessment.interests.join("、") : "—"}</dd>
            <dt>希望する参加の形</dt>
            <dd>{assessment.wants.length ? assessment.wants.join("、") : "—"}</dd>
            <dt>短期目標</dt>
            <dd className="pre-line">{assessment.shortTermGoal || "—"}</dd>
            <dt>長期目標</dt>
            <dd className="pre-line">{assessment.longTermGoal || "—"}</dd>
          </dl>
        ) : (
          <p>アセスメントは記録されていません。</p>
        )}
      </section>

      <section className="staff-section" aria-labelledby="placements-heading">
        <h2 id="placements-heading">つなぎ（マッチング）</h2>
        {placements.length === 0 ? (
          <p>つなぎの記録はありません。</p>
        ) : (
          <div className="data-table-wrap">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">場所</th>
                  <th scope="col">状況</th>
                  <th scope="col">段階</th>
                </tr>
              </thead>
              <tbody>
                {placements.map((p) => (
                  <tr key={p.id}>
                    <td>{p.resourceName}</td>
                    <td>{p.status}</td>
                    <td>{p.step}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="staff-section" aria-labelledby="evaluations-heading">
        <h2 id="evaluations-heading">定着支援のつながり評価（新しい順、最大10件）</h2>
        {evaluations.length === 0 ? (
          <p>記録されたつながり評価はありません。</p>
        ) : (
          <div className="data-table-wrap">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">日付</th>
                  <th scope="col">相手</th>
                  {EVALUATION_ITEMS.map((item) => (
                    <th scope="col" key={item.code}>
                      {item.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {evaluations.map((e, index) => (
                  <tr key={index}>
                    <td>{e.doneOn ?? "—"}</td>
                    <td>{e.side}</td>
                    {e.items.map((value, i) => (
                      <td key={i}>{value}</td>
                    ))}
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

export const meta: MetaFunction = () => [{ title: pageTitle("会議の事例") }, { name: "robots", content: "noindex" }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

// `/staff/plans/:planId/evaluation/print`: the evaluation sheet for paper, laid out like
// Nagaizumi's 別紙2-6 (評価シート) for the 重層的支援会議 that judges 終結: goals, goal attainment,
// supporters' status, need for follow-up (blank boxes to write in while the sheet is not yet
// recorded), the つながり評価 of the linked placements, and the meeting's judgement. A4 print CSS;
// through the people gate, audited with the purpose 「プランの印刷」.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { noStoreHeaders } from "~/accounts/ui";
import { EVALUATION_ITEMS, EVALUATION_SCALE } from "~/followup/schedule";
import { SIDE_LABELS } from "~/followup/vocabulary";
import { requireCaseworker } from "~/people/auth.server";
import { todayInTokyo } from "~/people/people.server";
import { placementStatusLabel } from "~/people/placement";
import { planStatusLabel } from "~/plans/lifecycle";
import { getPlanDetail } from "~/plans/plans.server";
import { PlanErrorBoundary } from "~/plans/ui";
import printStylesHref from "~/plans/plan-print.css";
import { formatDateTime, personNotFound, staffLinks } from "~/staff/ui";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = () => [...staffLinks(), { rel: "stylesheet", href: printStylesHref }];
export const headers = noStoreHeaders;

/** A date to write by hand (年 月 日 spaced with ideographic spaces, escaped for the linter). */
const DATE_BLANK = "\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, audit } = await requireCaseworker(request, context);
  const planId = /^\d{1,9}$/.test(params.planId ?? "") ? Number(params.planId) : 0;
  if (planId <= 0) personNotFound();
  const { db } = await getDatabase();
  const result = await getPlanDetail(db, { actor, planId, purpose: "プランの印刷", audit });
  if (result.kind === "not-found") personNotFound();
  if (result.kind === "refused") throw data({ message: result.error.message, messageEn: result.error.messageEn }, { status: 409 });
  const { plan, versions, person, caseNumber, placements, events, evaluations } = result.value;
  const current = versions[0]!;
  const endEvent = [...events].reverse().find((e) => e.toStatus === "closed" || e.toStatus === "interrupted");
  return {
    printedOn: todayInTokyo(),
    caseNumber,
    person,
    plan: { id: plan.id, status: plan.status, version: plan.version, createdAt: plan.createdAt, endedAt: endEvent?.at ?? null },
    sheet: plan.evaluationSheet,
    content: current.content,
    linked: current.content.placementIds.map((id) => {
      const p = placements.find((x) => x.id === id);
      return {
        id,
        label: p ? `${p.resourceName}（${placementStatusLabel(p.status)}）` : `つなぎ #${id}`,
        evaluations: evaluations.filter((e) => e.placementId === id),
      };
    }),
  };
}

const scoreLabel = (value: number | undefined) => (value === undefined ? "—" : `${value} ${EVALUATION_SCALE.find((s) => s.value === value)?.label ?? ""}`);

export default function EvaluationSheet() {
  const { printedOn, caseNumber, person, plan, sheet, content, linked } = useLoaderData<typeof loader>();
  const box = (value: string | undefined) => <td className="sheet-box">{value ?? ""}</td>;
  return (
    <div className="plan-sheet">
      <p className="no-print">
        <Link to={`/staff/plans/${plan.id}`}>← プランに戻る</Link>
      </p>
      <p className="no-print">
        ブラウザーの「印刷」から A4 用紙に印刷できます。評価シートがまだ記録されていないときは、空欄のまま印刷して会議で記入できます。
      </p>
      <h1>評価シート</h1>
      <div className="sheet-meta">
        <span>別紙2-6 様式</span>
        <span>
          {`ケース番号 ${caseNumber}\u3000プラン #${plan.id} 第${plan.version}版（${planStatusLabel(plan.status)}）\u3000印刷日 ${printedOn}`}
        </span>
      </div>

      <section aria-labelledby="eval-person">
        <h2 id="eval-person">本人とプラン</h2>
        <table>
          <tbody>
            <tr>
              <th scope="row">氏名</th>
              <td>
                {person.name}
                {person.nameKana ? `（${person.nameKana}）` : ""}
              </td>
            </tr>
            <tr>
              <th scope="row">支援の期間</th>
              <td>
                {formatDateTime(plan.createdAt)} ～ {plan.endedAt ? formatDateTime(plan.endedAt) : ""}
              </td>
            </tr>
            <tr>
              <th scope="row">短期目標</th>
              <td className="pre-line">{content.shortTermGoal}</td>
            </tr>
            <tr>
              <th scope="row">長期目標</th>
              <td className="pre-line">{content.longTermGoal || "—"}</td>
            </tr>
          </tbody>
        </table>
      </section>

      <section aria-labelledby="eval-sheet">
        <h2 id="eval-sheet">評価</h2>
        <table>
          <tbody>
            <tr>
              <th scope="row">目標の達成状況</th>
              {box(sheet?.goalAttainment)}
            </tr>
            <tr>
              <th scope="row">本人に関わる支援者の状況</th>
              {box(sheet?.supporters)}
            </tr>
            <tr>
              <th scope="row">フォローアップの必要性とその方法</th>
              {box(sheet?.followUpNeed)}
            </tr>
          </tbody>
        </table>
      </section>

      <section aria-labelledby="eval-links">
        <h2 id="eval-links">つながり評価（つなぎ先ごと）</h2>
        {linked.length === 0 ? <p>このプランに結びつけたつなぎはありません。</p> : null}
        {linked.map((p) => (
          <table key={p.id}>
            <caption>{p.label}</caption>
            <thead>
              <tr>
                <th scope="col">記録日</th>
                <th scope="col">相手</th>
                {EVALUATION_ITEMS.map((item) => (
                  <th scope="col" key={item.code}>
                    {item.label.replace(/（.*）$/, "")}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {p.evaluations.length === 0 ? (
                <tr>
                  <td colSpan={2 + EVALUATION_ITEMS.length}>記録はまだありません。</td>
                </tr>
              ) : (
                p.evaluations.map((e, i) => (
                  <tr key={i}>
                    <td>{e.doneOn}</td>
                    <td>{SIDE_LABELS[e.side === "host" ? "host" : "person"]}</td>
                    {EVALUATION_ITEMS.map((item) => (
                      <td key={item.code}>{scoreLabel(e.evaluation[item.code])}</td>
                    ))}
                  </tr>
                ))
              )}
            </tbody>
          </table>
        ))}
        <p className="sheet-footnote">評価の目安：{EVALUATION_SCALE.map((s) => `${s.value} ${s.label}`).join("\u3000")}</p>
      </section>

      <section aria-labelledby="eval-meeting">
        <h2 id="eval-meeting">重層的支援会議での判断</h2>
        <table className="sheet-sign">
          <tbody>
            <tr>
              <th scope="row">会議の日</th>
              <td>{DATE_BLANK}</td>
            </tr>
            <tr>
              <th scope="row">判断</th>
              <td>{["☐ 終結", "☐ 再プラン", "☐ 支援を継続", "☐ 中断"].join("\u3000\u3000")}</td>
            </tr>
            <tr>
              <th scope="row">終結後の連絡</th>
              <td>{`☐ 3か月ごとに連絡（1年間）\u3000☐ その他（${"\u3000".repeat(11)}）`}</td>
            </tr>
          </tbody>
        </table>
      </section>
      <p className="sheet-footnote">この用紙には個人情報が含まれます。会議で使用したあとは回収し、所定の方法で保管・廃棄してください。</p>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("評価シート（印刷用）") }, { name: "robots", content: "noindex" }];

export function ErrorBoundary() {
  return <PlanErrorBoundary />;
}

// `/staff/plans/:planId/print`: the plan sheet for paper, laid out like Nagaizumi's 別紙2-4
// (プラン兼事業等利用申込書): the person, goals, 役割分担, programmes (with 支援決定), linked
// placements, monitoring, and the application and signature lines. A4 print CSS, no site frame on
// paper. Read through the people gate like the plan page, audited with the purpose 「プランの印刷」.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { noStoreHeaders } from "~/accounts/ui";
import { requireCaseworker } from "~/people/auth.server";
import { todayInTokyo } from "~/people/people.server";
import { placementStatusLabel } from "~/people/placement";
import { PLAN_PROGRAMMES, planStatusLabel } from "~/plans/lifecycle";
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
  const { plan, versions, person, caseNumber, placements } = result.value;
  const current = versions[0]!;
  return {
    printedOn: todayInTokyo(),
    caseNumber,
    person,
    plan: {
      id: plan.id,
      status: plan.status,
      version: plan.version,
      programmes: plan.programmes,
      nextReviewOn: plan.nextReviewOn,
      createdAt: plan.createdAt,
      decidedAt: plan.decidedAt,
      decidedByName: plan.decidedByName,
    },
    content: current.content,
    linked: current.content.placementIds.map((id) => {
      const p = placements.find((x) => x.id === id);
      return p ? `${p.resourceName}（${placementStatusLabel(p.status)}）` : `つなぎ #${id}`;
    }),
  };
}

export default function PlanSheet() {
  const { printedOn, caseNumber, person, plan, content, linked } = useLoaderData<typeof loader>();
  return (
    <div className="plan-sheet">
      <p className="no-print">
        <Link to={`/staff/plans/${plan.id}`}>← プランに戻る</Link>
      </p>
      <p className="no-print">ブラウザーの「印刷」から A4 用紙に印刷できます（画面の見出しやメニューは印刷されません）。</p>
      <h1>プラン兼事業等利用申込書</h1>
      <div className="sheet-meta">
        <span>別紙2-4 様式</span>
        <span>
          {`ケース番号 ${caseNumber}\u3000プラン #${plan.id} 第${plan.version}版（${planStatusLabel(plan.status)}）\u3000印刷日 ${printedOn}`}
        </span>
      </div>

      <section aria-labelledby="sheet-person">
        <h2 id="sheet-person">本人</h2>
        <table>
          <tbody>
            <tr>
              <th scope="row">ふりがな</th>
              <td>{person.nameKana ?? ""}</td>
            </tr>
            <tr>
              <th scope="row">氏名</th>
              <td>{person.name}</td>
            </tr>
            <tr>
              <th scope="row">プラン作成日</th>
              <td>{formatDateTime(plan.createdAt)}</td>
            </tr>
          </tbody>
        </table>
      </section>

      <section aria-labelledby="sheet-goals">
        <h2 id="sheet-goals">支援の目標</h2>
        <table>
          <tbody>
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

      <section aria-labelledby="sheet-roles">
        <h2 id="sheet-roles">役割分担（支援関係機関の役割）</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">番号</th>
              <th scope="col">支援内容</th>
              <th scope="col">担当機関</th>
            </tr>
          </thead>
          <tbody>
            {content.actions.length === 0 ? (
              <tr>
                <td colSpan={3}>（記載なし）</td>
              </tr>
            ) : (
              content.actions.map((a, i) => (
                <tr key={i}>
                  <td>{i + 1}</td>
                  <td>{a.action}</td>
                  <td>{a.agency}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="sheet-programmes">
        <h2 id="sheet-programmes">利用する事業（事業等利用申込）</h2>
        <table>
          <tbody>
            {PLAN_PROGRAMMES.map((p) => (
              <tr key={p.code}>
                <th scope="row">{plan.programmes.includes(p.code) ? "☑ 利用する" : "☐"}</th>
                <td>
                  {p.label}
                  {p.needsDecision ? "（市町村の支援決定が必要）" : ""}
                </td>
              </tr>
            ))}
            <tr>
              <th scope="row">支援決定</th>
              <td>{plan.decidedAt ? `${formatDateTime(plan.decidedAt)}（${plan.decidedByName ?? "—"}）` : "未決定"}</td>
            </tr>
          </tbody>
        </table>
      </section>

      <section aria-labelledby="sheet-links">
        <h2 id="sheet-links">つなぎ先とモニタリング</h2>
        <table>
          <tbody>
            <tr>
              <th scope="row">つなぎ先</th>
              <td>{linked.length ? linked.join("、") : "—"}</td>
            </tr>
            <tr>
              <th scope="row">モニタリングの時期</th>
              <td>{content.monitoringDates.length ? content.monitoringDates.join("、") : "—"}</td>
            </tr>
            <tr>
              <th scope="row">次の見直し</th>
              <td>{plan.nextReviewOn ?? "—"}</td>
            </tr>
          </tbody>
        </table>
      </section>

      <section aria-labelledby="sheet-apply">
        <h2 id="sheet-apply">申込み・同意</h2>
        <p>上記のプランに基づく事業の利用を申し込みます。また、プランに記載された支援関係機関のあいだで、支援に必要な情報を共有することに同意します。</p>
        <table className="sheet-sign">
          <tbody>
            <tr>
              <th scope="row">記入日</th>
              <td>{DATE_BLANK}</td>
            </tr>
            <tr>
              <th scope="row">本人署名</th>
              <td></td>
            </tr>
          </tbody>
        </table>
      </section>
      <p className="sheet-footnote">この用紙には個人情報が含まれます。会議で使用したあとは回収し、所定の方法で保管・廃棄してください。</p>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("プランシート（印刷用）") }, { name: "robots", content: "noindex" }];

export function ErrorBoundary() {
  return <PlanErrorBoundary />;
}

// `/staff/people/:id/plans`: one person's プラン, newest first (status, version, programmes, next
// review, a proposal waiting for the meeting), with the link to a new plan. Plans need consent
// 同意: without it the page says so (409) and lists nothing.
import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AccountErrorBoundary, noStoreHeaders, Notice } from "~/accounts/ui";
import { requireCaseworker } from "~/people/auth.server";
import { CASE_NUMBER_PATTERN } from "~/people/forms";
import { planStatusLabel } from "~/plans/lifecycle";
import { listPlansOfPerson } from "~/plans/plans.server";
import { programmeLabel } from "~/plans/ui";
import { formatDateTime, personNotFound, StaffNav, staffLinks } from "~/staff/ui";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = staffLinks;
export const headers = noStoreHeaders;

type PlanRow = Awaited<ReturnType<typeof listPlansOfPerson>> extends infer R ? (R extends { kind: "ok"; value: infer V } ? V : never) : never;

interface LoaderData {
  caseNumber: string;
  plans: PlanRow;
  refused: { message: string; messageEn: string } | null;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, audit } = await requireCaseworker(request, context);
  const caseNumber = params.id ?? "";
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) personNotFound();
  const { db } = await getDatabase();
  const result = await listPlansOfPerson(db, { actor, caseNumber, audit });
  if (result.kind === "not-found") personNotFound();
  if (result.kind === "refused") {
    return data<LoaderData>({ caseNumber, plans: [], refused: { message: result.error.message, messageEn: result.error.messageEn } }, { status: 409 });
  }
  return data<LoaderData>({ caseNumber, plans: result.value, refused: null });
}

export default function PersonPlansPage() {
  const { caseNumber, plans, refused } = useLoaderData<typeof loader>();
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to={`/staff/people/${caseNumber}`}>← ケース {caseNumber}</Link>
      </p>
      <h1>プラン（ケース {caseNumber}）</h1>
      <StaffNav />
      {refused ? (
        <>
          <Notice tone="error" message={refused.message} messageEn={refused.messageEn} />
          <p>
            同意の状況は <Link to={`/staff/people/${caseNumber}`}>ケースの記録</Link> で確認・記録できます。
          </p>
        </>
      ) : (
        <>
          <p>
            <Link to={`/staff/people/${caseNumber}/plans/new`} className="button">
              新しいプランを作成する
            </Link>
          </p>
          <p>
            <Link to={`/staff/people/${caseNumber}/follow-ups`}>フォローアップ（定着支援）の予定と記録</Link>
          </p>
          {plans.length === 0 ? (
            <p>このケースのプランはまだありません。</p>
          ) : (
            <div className="data-table-wrap">
              <table className="data-table">
                <caption className="visually-hidden">プランの一覧</caption>
                <thead>
                  <tr>
                    <th scope="col">プラン</th>
                    <th scope="col">状態</th>
                    <th scope="col">短期目標</th>
                    <th scope="col">利用する事業</th>
                    <th scope="col">次の見直し</th>
                    <th scope="col">更新</th>
                  </tr>
                </thead>
                <tbody>
                  {plans.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <Link to={`/staff/plans/${p.id}`}>{`プラン #${p.id}（第${p.version}版）`}</Link>
                      </td>
                      <td>
                        {planStatusLabel(p.status)}
                        {p.proposedStatus ? `（${planStatusLabel(p.proposedStatus)}を提案中）` : ""}
                      </td>
                      <td className="pre-line">{p.shortTermGoal}</td>
                      <td>{p.programmes.length ? p.programmes.map(programmeLabel).join("、") : "—"}</td>
                      <td>{p.nextReviewOn ?? "—"}</td>
                      <td>{formatDateTime(p.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("プランの一覧") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

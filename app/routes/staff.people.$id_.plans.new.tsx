// `/staff/people/:id/plans/new`: a new プラン for one person — goals, 役割分担 rows (「行を追加」
// re-renders with one more row, no script needed), linked placements, programmes, monitoring
// dates, next review. A plan needs the person's consent 同意: without it the page explains why
// and answers 409 (the request is fine, the record's state forbids it), the same for the POST.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { AccountErrorBoundary, CsrfField, noStoreHeaders, Notice } from "~/accounts/ui";
import { requireCaseworker } from "~/people/auth.server";
import { CASE_NUMBER_PATTERN } from "~/people/forms";
import { parsePlanForm, planFormValues, withExtraActionRow } from "~/plans/forms.server";
import { createPlan, planFormContext } from "~/plans/plans.server";
import { emptyPlanForm, PlanFields, planStylesLinks, type PlacementChoice, type PlanFormValues } from "~/plans/ui";
import { personNotFound, StaffNav, staffLinks } from "~/staff/ui";
import type { FieldErrors } from "~/utils/account-validation";
import { readForm } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = () => [...staffLinks(), ...planStylesLinks()];
export const headers = noStoreHeaders;

interface LoaderData {
  csrf: string;
  caseNumber: string;
  placements: PlacementChoice[];
  refused: { message: string; messageEn: string } | null;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, audit } = await requireCaseworker(request, context);
  const caseNumber = params.id ?? "";
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) personNotFound();
  const { db } = await getDatabase();
  const result = await planFormContext(db, { actor, caseNumber, audit });
  if (result.kind === "not-found") personNotFound();
  const csrf = (await getCsrfToken(request)).token;
  if (result.kind === "refused") {
    return data<LoaderData>({ csrf, caseNumber, placements: [], refused: { message: result.error.message, messageEn: result.error.messageEn } }, { status: 409 });
  }
  return data<LoaderData>({ csrf, caseNumber, placements: result.value.placements, refused: null });
}

interface ActionData {
  values: PlanFormValues;
  errors: FieldErrors;
  message?: string;
  messageEn?: string;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const { actor, audit } = await requireCaseworker(request, context, "write");
  const caseNumber = params.id ?? "";
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) personNotFound();
  const values = planFormValues(form);
  // 「行を追加」: the same form again with one more 役割分担 row; nothing is stored.
  if (form.get("intent") === "add-row") return data<ActionData>({ values: withExtraActionRow(values), errors: {} });
  const parsed = parsePlanForm(values);
  if (!parsed.ok) return data<ActionData>({ values, errors: parsed.errors }, { status: 400 });
  const { db } = await getDatabase();
  const result = await createPlan(db, { actor, caseNumber, content: parsed.content, programmes: parsed.programmes, nextReviewOn: parsed.nextReviewOn, audit });
  if (result.kind === "not-found") personNotFound();
  if (result.kind === "refused") {
    return data<ActionData>({ values, errors: result.error.fieldErrors, message: result.error.message, messageEn: result.error.messageEn }, { status: 409 });
  }
  return redirect(`/staff/plans/${result.value.planId}?created=1`);
}

export default function NewPlanPage() {
  const { csrf, caseNumber, placements, refused } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const values = actionData?.values ?? emptyPlanForm();
  const errors = actionData?.errors ?? {};
  const hasFieldErrors = Object.keys(errors).length > 0;
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to={`/staff/people/${caseNumber}/plans`}>← ケース {caseNumber} のプラン</Link>
      </p>
      <h1>プランの作成（ケース {caseNumber}）</h1>
      <StaffNav />
      {refused ? (
        <>
          <Notice tone="error" message={refused.message} messageEn={refused.messageEn} />
          <p>
            同意の状況は <Link to={`/staff/people/${caseNumber}`}>ケースの記録</Link> で確認・記録できます。同意がない方の支援は、支援会議（社会福祉法第106条の6）で検討してください。
          </p>
        </>
      ) : (
        <>
          {actionData?.message ? <Notice tone="error" message={actionData.message} messageEn={actionData.messageEn} /> : null}
          {!actionData?.message && hasFieldErrors ? <Notice tone="error" message="入力内容を確認してください。各項目の下に理由を表示しています。" /> : null}
          <p>作成したプランは「作成」の状態で保存され、重層的支援会議での評価を待ちます。</p>
          <Form method="post" className="account-form" key={values.actions.length}>
            <CsrfField token={csrf} />
            <PlanFields prefix="plan" values={values} errors={errors} placements={placements} addRowIntent="add-row" />
            <div>
              <button type="submit" name="intent" value="create" className="button--primary">
                プランを作成する
              </button>
            </div>
          </Form>
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("プランの作成") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

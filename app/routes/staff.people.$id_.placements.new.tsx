// `/staff/people/:id/placements/new`: a placement (提案) for any published place, found by name —
// for when staff already know the place, whether or not the engine suggested it. The name search
// is a GET (?q=): it carries a place's name, which is directory data, not personal data.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { kindLabel } from "../../db/vocabulary";
import { AccountErrorBoundary, CsrfField, FieldError, noStoreHeaders, Notice } from "~/accounts/ui";
import { LADDER_STEPS } from "~/matching/vocabulary";
import { requireCaseworker } from "~/people/auth.server";
import { createPlacement, searchPublishedResources } from "~/people/casework.server";
import { CASE_NUMBER_PATTERN, formErrorsOf, NOTE_MAX_CHARS, PlacementCreateSchema } from "~/people/forms";
import { confirmPersonVisible } from "~/people/people.server";
import { personNotFound, StaffNav, staffLinks } from "~/staff/ui";
import type { FieldErrors } from "~/utils/account-validation";
import { readForm } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = staffLinks;
export const headers = noStoreHeaders;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, audit } = await requireCaseworker(request, context, "write");
  const caseNumber = params.id ?? "";
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) personNotFound();
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  const { db } = await getDatabase();
  if (!(await confirmPersonVisible(db, { actor, caseNumber, purpose: "つなぐ場所の検索", audit }))) personNotFound();
  const found = q.trim() ? await searchPublishedResources(db, q, 30) : [];
  return {
    csrf: (await getCsrfToken(request)).token,
    caseNumber,
    q,
    found: found.map((r) => ({ ...r, kind: kindLabel(r.kind) })),
  };
}

interface ActionData {
  message: string;
  errors: FieldErrors;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const { actor, audit } = await requireCaseworker(request, context, "write");
  const caseNumber = params.id ?? "";
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) personNotFound();
  const parsed = PlacementCreateSchema.safeParse({ resourceId: form.get("resourceId"), step: form.get("step") ?? undefined, note: form.get("note") ?? undefined });
  if (!parsed.success) return data<ActionData>({ message: "入力内容を確認してください。", errors: formErrorsOf(parsed.error) }, { status: 400 });
  const { db } = await getDatabase();
  const result = await createPlacement(db, { actor, caseNumber, ...parsed.data, audit });
  if (result.kind === "not-found") personNotFound();
  if (result.kind === "refused") return data<ActionData>({ message: result.error.message, errors: result.error.fieldErrors }, { status: 409 });
  return redirect(`/staff/placements/${result.value.placementId}?created=1`);
}

export default function NewPlacementPage() {
  const { csrf, caseNumber, q, found } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to={`/staff/people/${caseNumber}`}>← ケース {caseNumber}</Link>
      </p>
      <h1>場所を名前で探してつなぐ（ケース {caseNumber}）</h1>
      <StaffNav />
      {actionData ? <Notice tone="error" message={actionData.message} /> : null}
      <Form method="get" className="account-form--inline">
        <div className="field">
          <label htmlFor="place-q">場所の名前</label>
          <input id="place-q" name="q" type="text" defaultValue={q} maxLength={100} />
        </div>
        <button type="submit">探す</button>
      </Form>
      {q && found.length === 0 ? <p role="status">「{q}」を名前に含む公開中の場所は見つかりません。</p> : null}
      {found.length > 0 ? (
        <Form method="post" className="account-form">
          <CsrfField token={csrf} />
          <fieldset className="field-group">
            <legend>つなぐ場所（{found.length}件）</legend>
            {found.map((r, i) => (
              <label key={r.id}>
                <input type="radio" name="resourceId" value={r.id} defaultChecked={i === 0} /> {r.name}（{r.kind}
                {r.city ? `、${r.city}` : ""}）
              </label>
            ))}
            <FieldError id="place-resource-error" errors={actionData?.errors.resourceId} />
          </fieldset>
          <div className="field">
            <label htmlFor="place-step">段階</label>
            <select id="place-step" name="step" defaultValue="">
              <option value="">指定しない</option>
              {LADDER_STEPS.map((s) => (
                <option key={s.step} value={s.step}>
                  {s.step}. {s.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="place-note">メモ（提案の理由など）</label>
            <textarea id="place-note" name="note" rows={2} maxLength={NOTE_MAX_CHARS} />
          </div>
          <div>
            <button type="submit" className="button--primary">
              提案として記録する
            </button>
          </div>
        </Form>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("場所を探してつなぐ") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

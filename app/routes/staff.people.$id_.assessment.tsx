// `/staff/people/:id/assessment`: the needs assessment (アセスメント) as a structured form plus
// free text. Each save is a new version; the structured part is the needs object of
// app/matching/needs.ts (validated by its schema), with the location and area of the person record.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { WEEKDAYS } from "../../db/vocabulary";
import { AccountErrorBoundary, CsrfField, errorProps, FieldError, noStoreHeaders, Notice } from "~/accounts/ui";
import { needsSchema, type Needs } from "~/matching/needs";
import { requireCaseworker } from "~/people/auth.server";
import { createAssessment, getAssessmentContext } from "~/people/casework.server";
import {
  ASSESSMENT_CHOICES,
  ASSESSMENT_CONDITIONS,
  AssessmentMetaSchema,
  assessmentFormFromNeeds,
  assessmentFormValues,
  CASE_NUMBER_PATTERN,
  emptyAssessmentForm,
  formErrorsOf,
  needsErrorKey,
  needsInputOf,
  NOTE_MAX_CHARS,
  type AssessmentFormValues,
} from "~/people/forms";
import { todayInTokyo } from "~/people/people.server";
import { personNotFound, StaffNav, staffLinks } from "~/staff/ui";
import type { FieldErrors } from "~/utils/account-validation";
import { readForm } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = staffLinks;
export const headers = noStoreHeaders;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, audit } = await requireCaseworker(request, context);
  const caseNumber = params.id ?? "";
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) personNotFound();
  const { db } = await getDatabase();
  const result = await getAssessmentContext(db, { actor, caseNumber, audit });
  if (result.kind !== "ok") personNotFound();
  const today = todayInTokyo();
  const { latest, person } = result.value;
  return {
    csrf: (await getCsrfToken(request)).token,
    caseNumber,
    latestVersion: latest?.version ?? 0,
    hasLocation: person.latitude !== null && person.longitude !== null,
    area: person.area,
    values: latest ? { ...assessmentFormFromNeeds(latest.data, { assessedOn: today, freeText: latest.freeText }) } : emptyAssessmentForm(today),
  };
}

interface ActionData {
  errors: FieldErrors;
  values: AssessmentFormValues;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const { actor, audit } = await requireCaseworker(request, context, "write");
  const caseNumber = params.id ?? "";
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) personNotFound();
  const values = assessmentFormValues(form, todayInTokyo());
  const meta = AssessmentMetaSchema.safeParse({
    assessedOn: values.assessedOn,
    freeText: values.freeText,
    maxDistanceKm: values.maxDistanceKm,
    maxMinutes: values.maxMinutes,
    outingsPerWeek: values.outingsPerWeek,
    maxCostYen: values.maxCostYen,
    startStep: values.startStep,
  });
  const errors: FieldErrors = meta.success ? {} : formErrorsOf(meta.error);
  let needs: Needs | null = null;
  if (meta.success) {
    const { input, windows } = needsInputOf(values, meta.data);
    const parsed = needsSchema.safeParse(input);
    if (parsed.success) needs = parsed.data as Needs;
    else for (const issue of parsed.error.issues) (errors[needsErrorKey(issue.path, windows)] ??= []).push(issue.message);
  }
  if (!meta.success || !needs || Object.keys(errors).length > 0) return data<ActionData>({ errors, values }, { status: 400 });
  const { db } = await getDatabase();
  const result = await createAssessment(db, { actor, caseNumber, needs, assessedOn: meta.data.assessedOn, freeText: meta.data.freeText ?? null, audit });
  if (result.kind === "not-found") personNotFound();
  if (result.kind === "refused") return data<ActionData>({ errors: { form: [result.error.message] }, values }, { status: 409 });
  return redirect(`/staff/people/${caseNumber}/suggestions?saved=${result.value.version}`);
}

function Checkboxes({ name, legend, options, checked, errors }: { name: string; legend: string; options: readonly { code: string; label: string }[]; checked: string[]; errors: FieldErrors }) {
  const errorId = `assessment-${name}-error`;
  return (
    <fieldset className="field-group" aria-describedby={errors[name] ? errorId : undefined}>
      <legend>{legend}</legend>
      <div className="checkbox-row">
        {options.map((o) => (
          <label key={o.code}>
            <input type="checkbox" name={name} value={o.code} defaultChecked={checked.includes(o.code)} /> {o.label}
          </label>
        ))}
      </div>
      <FieldError id={errorId} errors={errors[name]} />
    </fieldset>
  );
}

function NumberField({ name, label, value, errors, hint }: { name: keyof AssessmentFormValues; label: string; value: string; errors: FieldErrors; hint?: string }) {
  const id = `assessment-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <input id={id} name={name} type="text" inputMode="decimal" defaultValue={value} {...errorProps(id, errors[name])} />
      <FieldError id={`${id}-error`} errors={errors[name]} />
    </div>
  );
}

export default function AssessmentPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const values = actionData?.values ?? loaded.values;
  const errors = actionData?.errors ?? {};
  const { INTERESTS, WANTS, TARGET_GROUPS, TRANSPORTS, CERTIFICATES, LADDER_STEPS } = ASSESSMENT_CHOICES;
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to={`/staff/people/${loaded.caseNumber}`}>← ケース {loaded.caseNumber}</Link>
      </p>
      <h1>アセスメント（ケース {loaded.caseNumber}）</h1>
      <StaffNav />
      <p>
        保存すると第{loaded.latestVersion + 1}版として記録されます（前の版は残ります）。
        {loaded.latestVersion ? `第${loaded.latestVersion}版の内容を入れてあります。` : ""}
      </p>
      {!loaded.hasLocation ? <Notice tone="warning" message={`距離の基準点（緯度・経度）が未登録のため、${loaded.area ? `地区「${loaded.area}」` : "地区"}で候補を探します。`} /> : null}
      {actionData ? <Notice tone="error" message={errors.form?.join(" ") ?? "入力内容を確認してください。各項目の下に理由を表示しています。"} messageEn="Please correct the fields marked below. Nothing was saved." /> : null}
      <Form method="post" className="account-form" noValidate>
        <CsrfField token={loaded.csrf} />
        <div className="field">
          <label htmlFor="assessment-assessedOn">アセスメント日</label>
          <input id="assessment-assessedOn" name="assessedOn" type="date" defaultValue={values.assessedOn} {...errorProps("assessment-assessedOn", errors.assessedOn)} />
          <FieldError id="assessment-assessedOn-error" errors={errors.assessedOn} />
        </div>
        <Checkboxes name="interests" legend="興味・関心" options={INTERESTS} checked={values.interests} errors={errors} />
        <Checkboxes name="wants" legend="参加の形（希望）" options={WANTS} checked={values.wants} errors={errors} />
        <Checkboxes name="targetGroups" legend="対象（本人にあてはまるもの）" options={TARGET_GROUPS} checked={values.targetGroups} errors={errors} />

        <fieldset className="field-group">
          <legend>外出できる曜日と時間帯</legend>
          <p className="field__hint">外出できる曜日に、開始と終了の時刻を入れてください。空欄の曜日は外出できない日として扱います。すべて空欄なら時間の条件なしで探します。</p>
          <table className="availability-table">
            <thead>
              <tr>
                <th scope="col">曜日</th>
                <th scope="col">から</th>
                <th scope="col">まで</th>
              </tr>
            </thead>
            <tbody>
              {WEEKDAYS.map((w) => {
                const key = `avail.${w.code}`;
                return (
                  <tr key={w.code}>
                    <th scope="row">{w.label}</th>
                    <td>
                      <input type="time" name={`${key}.from`} aria-label={`${w.label}曜日 から`} defaultValue={values.availability[w.code].from} {...errorProps(`assessment-${key}`, errors[key])} />
                    </td>
                    <td>
                      <input type="time" name={`${key}.to`} aria-label={`${w.label}曜日 まで`} defaultValue={values.availability[w.code].to} {...errorProps(`assessment-${key}`, errors[key])} />
                      <FieldError id={`assessment-${key}-error`} errors={errors[key]} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <FieldError id="assessment-availability-error" errors={errors.availability} />
        </fieldset>
        <NumberField name="outingsPerWeek" label="1週間に外出できる回数" value={values.outingsPerWeek} errors={errors} hint="0〜7" />
        <Checkboxes name="transport" legend="移動手段" options={TRANSPORTS} checked={values.transport} errors={errors} />
        <NumberField name="maxDistanceKm" label="移動できる距離の上限（km）" value={values.maxDistanceKm} errors={errors} hint="例: 3" />
        <NumberField name="maxMinutes" label="移動にかけられる時間の上限（分）" value={values.maxMinutes} errors={errors} hint="例: 20（移動手段の速さで距離に換算します）" />
        <Checkboxes name="conditions" legend="参加の条件・配慮" options={ASSESSMENT_CONDITIONS} checked={values.conditions} errors={errors} />
        <div className="field">
          <label htmlFor="assessment-certificate">障害者手帳</label>
          <select id="assessment-certificate" name="certificate" defaultValue={values.certificate} {...errorProps("assessment-certificate", errors.certificate)}>
            <option value="">未記入</option>
            {CERTIFICATES.map((c) => (
              <option key={c.code} value={c.code}>
                {c.label}
              </option>
            ))}
          </select>
          <FieldError id="assessment-certificate-error" errors={errors.certificate} />
        </div>
        <NumberField name="maxCostYen" label="1回あたりの費用の上限（円）" value={values.maxCostYen} errors={errors} hint="0 なら無料の場所だけ" />
        <div className="field">
          <label htmlFor="assessment-startStep">始める段階</label>
          <select id="assessment-startStep" name="startStep" defaultValue={values.startStep} {...errorProps("assessment-startStep", errors.startStep)}>
            <option value="">参加の形から自動で決める</option>
            {LADDER_STEPS.map((s) => (
              <option key={s.step} value={s.step}>
                {s.step}. {s.label}
              </option>
            ))}
          </select>
          <FieldError id="assessment-startStep-error" errors={errors.startStep} />
        </div>
        <div className="field">
          <label htmlFor="assessment-shortTermGoal">短期目標</label>
          <textarea id="assessment-shortTermGoal" name="shortTermGoal" rows={2} maxLength={2000} defaultValue={values.shortTermGoal} {...errorProps("assessment-shortTermGoal", errors.shortTermGoal)} />
          <FieldError id="assessment-shortTermGoal-error" errors={errors.shortTermGoal} />
        </div>
        <div className="field">
          <label htmlFor="assessment-longTermGoal">長期目標</label>
          <textarea id="assessment-longTermGoal" name="longTermGoal" rows={2} maxLength={2000} defaultValue={values.longTermGoal} {...errorProps("assessment-longTermGoal", errors.longTermGoal)} />
          <FieldError id="assessment-longTermGoal-error" errors={errors.longTermGoal} />
        </div>
        <div className="field">
          <label htmlFor="assessment-freeText">自由記述（本人の言葉、生活の様子など）</label>
          <textarea id="assessment-freeText" name="freeText" rows={4} maxLength={NOTE_MAX_CHARS * 2} defaultValue={values.freeText} {...errorProps("assessment-freeText", errors.freeText)} />
          <FieldError id="assessment-freeText-error" errors={errors.freeText} />
        </div>
        <div>
          <button type="submit" className="button--primary">
            保存して提案を見る
          </button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("アセスメント") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

// `/staff/people/new`: intake (インテーク). The person, their household (new, or joined to the
// household of a person one already supports, by case number), who referred them, the assigned
// staff (oneself; admins may choose) and the consent at intake, which is required.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AccountErrorBoundary, CsrfField, errorProps, FieldError, noStoreHeaders, Notice } from "~/accounts/ui";
import { requireCaseworker } from "~/people/auth.server";
import { CONSENT_STATES, DEFAULT_CONSENT_SCOPE } from "~/people/consent";
import { formErrorsOf, HOUSEHOLD_MEMBER_ROWS, IntakeSchema, intakeInput, NAME_MAX_CHARS, NOTE_MAX_CHARS, TEXT_MAX_CHARS } from "~/people/forms";
import { createPerson, listAssignableUsers, todayInTokyo } from "~/people/people.server";
import { StaffNav, staffLinks } from "~/staff/ui";
import type { FieldErrors } from "~/utils/account-validation";
import { readForm } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = staffLinks;
export const headers = noStoreHeaders;

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { actor, isAdmin } = await requireCaseworker(request, context, "write");
  const { db } = await getDatabase();
  return {
    csrf: (await getCsrfToken(request)).token,
    today: todayInTokyo(),
    selfId: actor.id,
    assignable: isAdmin ? await listAssignableUsers(db) : null,
  };
}

interface ActionData {
  errors: FieldErrors;
  values: Record<string, unknown>;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const { actor, audit } = await requireCaseworker(request, context, "write");
  const input = intakeInput(form);
  const parsed = IntakeSchema.safeParse(input);
  if (!parsed.success) return data<ActionData>({ errors: formErrorsOf(parsed.error), values: input }, { status: 400 });
  const { db } = await getDatabase();
  const result = await createPerson(db, { actor, values: parsed.data, audit });
  if (result.kind === "invalid") return data<ActionData>({ errors: result.errors, values: input }, { status: 400 });
  return redirect(`/staff/people/${result.caseNumber}?created=1`);
}

function TextField(props: { name: string; label: string; values: Record<string, unknown>; errors: FieldErrors; max?: number; hint?: string; type?: string; required?: boolean; inputMode?: "numeric" | "decimal" }) {
  const { name, label, values, errors } = props;
  const id = `intake-${name.replace(/\./g, "-")}`;
  const value = values[name];
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {props.required ? "（必須）" : ""}
      </label>
      {props.hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        type={props.type ?? "text"}
        inputMode={props.inputMode}
        defaultValue={typeof value === "string" ? value : ""}
        maxLength={props.max}
        required={props.required}
        aria-describedby={props.hint && !errors[name] ? `${id}-hint` : undefined}
        {...errorProps(id, errors[name])}
      />
      <FieldError id={`${id}-error`} errors={errors[name]} />
    </div>
  );
}

export default function IntakePage() {
  const { csrf, today, selfId, assignable } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const errors = actionData?.errors ?? {};
  const values: Record<string, unknown> = actionData?.values ?? { consentDate: today, consentScope: DEFAULT_CONSENT_SCOPE, householdMode: "none" };
  const members = (values.members as { name?: string; relation?: string; birthYear?: string }[] | undefined) ?? [];
  const consentState = typeof values.consentState === "string" ? values.consentState : "";
  const householdMode = typeof values.householdMode === "string" ? values.householdMode : "none";
  return (
    <div className="account-page account-page--wide">
      <h1>本人の登録（インテーク）</h1>
      <StaffNav />
      <p>登録すると、ケース番号（例: 2026-0001）が付きます。画面のアドレスや一覧にはケース番号だけを使い、氏名は使いません。</p>
      {actionData ? <Notice tone="error" message={errors.form?.join(" ") ?? "入力内容を確認してください。各項目の下に理由を表示しています。"} messageEn="Please correct the fields marked below." /> : null}
      <Form method="post" className="account-form" noValidate>
        <CsrfField token={csrf} />
        <fieldset className="field-group">
          <legend>本人</legend>
          <TextField name="name" label="氏名" values={values} errors={errors} max={NAME_MAX_CHARS} required />
          <TextField name="nameKana" label="ふりがな" values={values} errors={errors} max={NAME_MAX_CHARS} />
          <TextField name="birthYear" label="生まれ年（西暦）" values={values} errors={errors} inputMode="numeric" hint="例: 1972" />
          <TextField name="address" label="住所" values={values} errors={errors} max={TEXT_MAX_CHARS} />
          <TextField name="area" label="圏域・地区" values={values} errors={errors} max={100} hint="例: 焼津市 北部。住所がわからないときは地区だけでもかまいません。" />
          <TextField
            name="latitude"
            label="緯度（自宅付近または最寄り駅）"
            values={values}
            errors={errors}
            inputMode="decimal"
            hint="候補の場所までの距離を測る地点です。おおよそでかまいません（例: 34.8672）。"
          />
          <TextField name="longitude" label="経度（自宅付近または最寄り駅）" values={values} errors={errors} inputMode="decimal" hint="例: 138.3240" />
          <TextField name="phone" label="電話番号" values={values} errors={errors} type="tel" max={30} />
          <TextField name="email" label="メールアドレス" values={values} errors={errors} type="email" max={254} />
          <TextField name="referredBy" label="紹介元（相談支援機関など）" values={values} errors={errors} max={TEXT_MAX_CHARS} hint="例: 地域包括支援センター北" />
        </fieldset>

        <fieldset className="field-group">
          <legend>世帯</legend>
          <div className="field">
            <fieldset>
              <legend>世帯の登録</legend>
              <div className="checkbox-row">
                {[
                  ["none", "世帯を登録しない"],
                  ["new", "新しい世帯として登録する"],
                  ["existing", "支援中の方と同じ世帯（ケース番号で指定）"],
                ].map(([code, label]) => (
                  <label key={code}>
                    <input type="radio" name="householdMode" value={code} defaultChecked={householdMode === code} /> {label}
                  </label>
                ))}
              </div>
            </fieldset>
            <FieldError id="intake-householdMode-error" errors={errors.householdMode} />
          </div>
          <TextField name="householdCaseNumber" label="同じ世帯の方のケース番号" values={values} errors={errors} max={20} hint="「支援中の方と同じ世帯」を選んだとき。例: 2026-0003" />
          <div className="field">
            <label htmlFor="intake-householdNote">世帯の補足</label>
            <textarea id="intake-householdNote" name="householdNote" rows={2} maxLength={NOTE_MAX_CHARS} defaultValue={typeof values.householdNote === "string" ? values.householdNote : ""} />
          </div>
          {Array.from({ length: HOUSEHOLD_MEMBER_ROWS }, (_, i) => (
            <fieldset key={i} className="field-group">
              <legend>世帯員 {i + 1}（支援を受けていない方）</legend>
              <TextField name={`member${i}.name`} label="氏名" values={{ [`member${i}.name`]: members[i]?.name }} errors={errors} max={NAME_MAX_CHARS} />
              <TextField name={`member${i}.relation`} label="続柄" values={{ [`member${i}.relation`]: members[i]?.relation }} errors={errors} max={50} hint="例: 母" />
              <TextField name={`member${i}.birthYear`} label="生まれ年（西暦）" values={{ [`member${i}.birthYear`]: members[i]?.birthYear }} errors={errors} inputMode="numeric" />
            </fieldset>
          ))}
        </fieldset>

        <fieldset className="field-group">
          <legend>担当</legend>
          {assignable ? (
            <div className="field">
              <label htmlFor="intake-assigneeId">担当者</label>
              <select id="intake-assigneeId" name="assigneeId" defaultValue={typeof values.assigneeId === "string" && values.assigneeId ? values.assigneeId : String(selfId)} {...errorProps("intake-assigneeId", errors.assigneeId)}>
                {assignable.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.displayName}
                    {u.id === selfId ? "（自分）" : ""}
                  </option>
                ))}
              </select>
              <FieldError id="intake-assigneeId-error" errors={errors.assigneeId} />
            </div>
          ) : (
            <p>自分が担当者になります。</p>
          )}
        </fieldset>

        <fieldset className="field-group">
          <legend>インテーク時の同意（必須）</legend>
          <p className="field__hint">同意の状況は、情報を共有できる範囲を決めます。不同意・不明の方の情報は担当者だけが見られます。</p>
          <div className="field">
            <fieldset aria-describedby={errors.consentState ? "intake-consentState-error" : undefined}>
              <legend>同意の状況</legend>
              <div className="checkbox-row">
                {CONSENT_STATES.map((c) => (
                  <label key={c.code}>
                    <input type="radio" name="consentState" value={c.code} defaultChecked={consentState === c.code} required /> {c.label}
                  </label>
                ))}
              </div>
            </fieldset>
            <FieldError id="intake-consentState-error" errors={errors.consentState} />
          </div>
          <TextField name="consentDate" label="同意を確認した日" values={values} errors={errors} type="date" required />
          <TextField name="consentScope" label="同意の範囲" values={values} errors={errors} max={TEXT_MAX_CHARS} />
          <div className="field">
            <label htmlFor="intake-consentNote">同意の補足</label>
            <textarea id="intake-consentNote" name="consentNote" rows={2} maxLength={NOTE_MAX_CHARS} defaultValue={typeof values.consentNote === "string" ? values.consentNote : ""} />
            <FieldError id="intake-consentNote-error" errors={errors.consentNote} />
          </div>
        </fieldset>
        <div>
          <button type="submit" className="button--primary">
            登録する
          </button>
        </div>
      </Form>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("本人の登録（インテーク）") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

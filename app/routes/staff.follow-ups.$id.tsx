// `/staff/follow-ups/:id`: one planned contact of 定着支援 (case number, venue, side 本人 /
// 受け入れ先, due date) and the form to record it: date, kind, with whom, つながり評価 (each item
// optional), issues raised, note. Once recorded the page shows the record, whether the connection
// is falling, and whether 定着 may be proposed (confirmed on the placement page). Through the
// people gate: a contact of someone the viewer may not see is 404.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Fragment } from "react";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AccountErrorBoundary, CsrfField, errorProps, FieldError, noStoreHeaders, Notice } from "~/accounts/ui";
import { followUpRecordSchema, readFollowUp, recordFollowUpAsActor } from "~/followup/followups.server";
import { dueBucket, EVALUATION_ITEMS, EVALUATION_SCALE, evaluationScore, isFalling, shouldProposeSettled, DEFAULT_SETTLED_RULE } from "~/followup/schedule";
import { CONTACT_KINDS, contactKindLabel, PHASE_LABELS, sideLabel } from "~/followup/vocabulary";
import { requireCaseworker } from "~/people/auth.server";
import { todayInTokyo } from "~/people/people.server";
import { placementStatusLabel } from "~/people/placement";
import { planStylesLinks } from "~/plans/ui";
import { personNotFound, StaffNav, staffLinks } from "~/staff/ui";
import type { FieldErrors } from "~/utils/account-validation";
import { readForm } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { pageTitle } from "~/utils/site";

export const links = () => [...staffLinks(), ...planStylesLinks()];
export const headers = noStoreHeaders;

const FOLLOW_UP_TEXT_MAX_CHARS = 4000;
const BUCKET_LABELS = { overdue: "期限を過ぎています", today: "今日が予定日です", this_week: "今週の予定です", later: "" } as const;

function followUpIdOf(param: string | undefined): number {
  const id = /^\d{1,9}$/.test(param ?? "") ? Number(param) : NaN;
  if (!Number.isInteger(id) || id <= 0) personNotFound();
  return id;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, audit } = await requireCaseworker(request, context);
  const followUpId = followUpIdOf(params.id);
  const { db } = await getDatabase();
  const result = await readFollowUp(db, { actor, followUpId, audit });
  if (result.kind !== "ok") personNotFound();
  const { caseNumber, followUp, placement, evaluations } = result.value;
  const today = todayInTokyo();
  return {
    csrf: (await getCsrfToken(request)).token,
    today,
    caseNumber,
    followUp: {
      id: followUp.id,
      side: followUp.side,
      phase: followUp.phase,
      dueOn: followUp.dueOn,
      status: followUp.status,
      doneOn: followUp.doneOn,
      contactKind: followUp.contactKind,
      withWhom: followUp.withWhom,
      evaluation: (followUp.evaluation ?? {}) as Partial<Record<string, number>>,
      issues: followUp.issues,
      note: followUp.note,
    },
    bucket: followUp.status === "planned" ? dueBucket(followUp.dueOn, today) : null,
    placement,
    falling: isFalling(evaluations),
    settledProposal: placement ? shouldProposeSettled(evaluations, today) : false,
    evaluationCount: evaluations.filter((e) => evaluationScore(e) !== null).length,
  };
}

interface FormValues {
  doneOn: string;
  contactKind: string;
  withWhom: string;
  evaluation: Record<string, string>;
  issues: string;
  note: string;
}

interface ActionData {
  errors: FieldErrors;
  values: FormValues;
  message?: string;
  messageEn?: string;
}

function one(form: FormData, name: string): string {
  const value = form.getAll(name);
  return value.length === 1 && typeof value[0] === "string" ? value[0] : "";
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const { actor, audit } = await requireCaseworker(request, context, "write");
  const followUpId = followUpIdOf(params.id);
  const values: FormValues = {
    doneOn: one(form, "doneOn"),
    contactKind: one(form, "contactKind"),
    withWhom: one(form, "withWhom"),
    evaluation: Object.fromEntries(EVALUATION_ITEMS.map((item) => [item.code, one(form, `evaluation.${item.code}`)])),
    issues: one(form, "issues"),
    note: one(form, "note"),
  };
  const blank = (v: string) => (v.trim() === "" ? undefined : v);
  const parsed = followUpRecordSchema.safeParse({
    doneOn: values.doneOn,
    contactKind: values.contactKind,
    withWhom: blank(values.withWhom),
    evaluation: Object.fromEntries(Object.entries(values.evaluation).map(([k, v]) => [k, blank(v)])),
    issues: blank(values.issues),
    note: blank(values.note),
  });
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] === "evaluation" && issue.path.length > 1 ? `evaluation.${String(issue.path[1])}` : String(issue.path[0] ?? "form");
      (errors[key] ??= []).push(key.startsWith("evaluation.") ? "1〜4から選んでください" : issue.message);
    }
    return data<ActionData>({ errors, values }, { status: 400 });
  }
  const { db } = await getDatabase();
  const result = await recordFollowUpAsActor(db, { actor, followUpId, record: parsed.data, audit });
  if (result.kind === "not-found") personNotFound();
  if (result.kind === "refused") return data<ActionData>({ errors: {}, values, message: result.error.message, messageEn: result.error.messageEn }, { status: 409 });
  return redirect(`/staff/follow-ups/${followUpId}?saved=1`);
}

export default function FollowUpPage() {
  const { csrf, today, caseNumber, followUp, bucket, placement, falling, settledProposal, evaluationCount } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [searchParams] = useSearchParams();
  const errors = actionData?.errors ?? {};
  const values = actionData?.values;
  const side = sideLabel(followUp.side);
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to={`/staff/people/${caseNumber}/follow-ups`}>← ケース {caseNumber} のフォローアップ</Link>
      </p>
      <h1>
        フォローアップ（{side}・{followUp.dueOn}）
      </h1>
      <StaffNav />
      {searchParams.get("saved") && !actionData ? <Notice tone="info" message="フォローアップを記録しました。" /> : null}
      {actionData?.message ? <Notice tone="error" message={actionData.message} messageEn={actionData.messageEn} /> : null}
      {actionData && !actionData.message ? <Notice tone="error" message="入力内容を確認してください。各項目の下に理由を表示しています。" /> : null}
      {bucket && BUCKET_LABELS[bucket] ? <Notice tone={bucket === "overdue" ? "warning" : "info"} message={BUCKET_LABELS[bucket]} /> : null}

      <dl className="staff-grid">
        <dt>ケース</dt>
        <dd>
          <Link to={`/staff/people/${caseNumber}`}>{caseNumber}</Link>
        </dd>
        <dt>つなぎ先</dt>
        <dd>{placement ? <Link to={`/staff/placements/${placement.id}`}>{`${placement.resourceName}（${placementStatusLabel(placement.status)}）`}</Link> : "—"}</dd>
        <dt>相手</dt>
        <dd>{side}</dd>
        {followUp.side === "host" && placement?.hostContact ? (
          <>
            <dt>受け入れ先担当者</dt>
            <dd>{placement.hostContact}</dd>
          </>
        ) : null}
        <dt>予定日</dt>
        <dd>{followUp.dueOn}</dd>
        <dt>種類</dt>
        <dd>{PHASE_LABELS[followUp.phase] ?? followUp.phase}</dd>
        <dt>状態</dt>
        <dd>{followUp.status === "done" ? `記録済み（${followUp.doneOn ?? "—"}）` : followUp.status === "cancelled" ? "取り消し" : "予定"}</dd>
      </dl>

      {followUp.status === "done" ? (
        <section className="staff-section" aria-labelledby="record-heading">
          <h2 id="record-heading">記録</h2>
          <dl className="staff-grid">
            <dt>実施日</dt>
            <dd>{followUp.doneOn}</dd>
            <dt>方法</dt>
            <dd>{contactKindLabel(followUp.contactKind)}</dd>
            <dt>相手の方</dt>
            <dd>{followUp.withWhom ?? "—"}</dd>
            {EVALUATION_ITEMS.map((item) => {
              const value = followUp.evaluation[item.code];
              return (
                <Fragment key={item.code}>
                  <dt>{item.label}</dt>
                  <dd>{value ? `${value}（${EVALUATION_SCALE.find((s) => s.value === value)?.label ?? ""}）` : "評価なし"}</dd>
                </Fragment>
              );
            })}
            <dt>出てきた課題</dt>
            <dd className="pre-line">{followUp.issues ?? "—"}</dd>
            <dt>メモ</dt>
            <dd className="pre-line">{followUp.note ?? "—"}</dd>
          </dl>
        </section>
      ) : null}

      {placement ? (
        <section className="staff-section" aria-labelledby="settled-heading">
          <h2 id="settled-heading">つながりの様子</h2>
          {falling ? <Notice tone="warning" message="つながり評価が2回続けて下がっています。早めの訪問や受け入れ先との相談を検討してください。" /> : null}
          {settledProposal ? (
            <>
              <Notice
                tone="info"
                message={`定着の提案：つながり評価が${DEFAULT_SETTLED_RULE.months}か月以上、基準（平均${DEFAULT_SETTLED_RULE.threshold}以上）を保っています。`}
              />
              <p>
                定着の確認は <Link to={`/staff/placements/${placement.id}`}>つなぎのページ</Link> で「定着」を記録してください（参加中のつなぎが定着に進めます）。
              </p>
            </>
          ) : (
            <p>
              定着の提案はまだありません（評価の記録 {evaluationCount}件。評価が{DEFAULT_SETTLED_RULE.months}か月以上、平均{DEFAULT_SETTLED_RULE.threshold}以上で続くと提案します）。
            </p>
          )}
        </section>
      ) : null}

      {followUp.status === "planned" ? (
        <section className="staff-section" aria-labelledby="form-heading">
          <h2 id="form-heading">記録する</h2>
          <Form method="post" className="account-form">
            <CsrfField token={csrf} />
            <div className="field">
              <label htmlFor="fu-done">実施日</label>
              <input id="fu-done" name="doneOn" type="date" defaultValue={values?.doneOn ?? today} {...errorProps("fu-done", errors.doneOn)} />
              <FieldError id="fu-done-error" errors={errors.doneOn} />
            </div>
            <div className="field">
              <label htmlFor="fu-kind">方法</label>
              <select id="fu-kind" name="contactKind" defaultValue={values?.contactKind ?? ""} {...errorProps("fu-kind", errors.contactKind)}>
                <option value="">選んでください</option>
                {CONTACT_KINDS.map((k) => (
                  <option key={k.code} value={k.code}>
                    {k.label}
                  </option>
                ))}
              </select>
              <FieldError id="fu-kind-error" errors={errors.contactKind} />
            </div>
            <div className="field">
              <label htmlFor="fu-with">相手の方（本人、受け入れ先の担当者名など）</label>
              <input id="fu-with" name="withWhom" type="text" maxLength={200} defaultValue={values?.withWhom ?? (followUp.side === "host" ? (placement?.hostContact ?? "") : "本人")} {...errorProps("fu-with", errors.withWhom)} />
              <FieldError id="fu-with-error" errors={errors.withWhom} />
            </div>
            <fieldset className="field-group">
              <legend>つながり評価（わかる項目だけ）</legend>
              <p className="field__hint">{EVALUATION_SCALE.map((s) => `${s.value}: ${s.label}`).join("、")}</p>
              {EVALUATION_ITEMS.map((item) => {
                const key = `evaluation.${item.code}`;
                const current = values?.evaluation[item.code] ?? "";
                return (
                  <fieldset key={item.code} className="evaluation-scale" aria-describedby={errors[key] ? `fu-${item.code}-error` : undefined}>
                    <legend>{item.label}</legend>
                    <div className="checkbox-row">
                      {EVALUATION_SCALE.map((s) => (
                        <label key={s.value}>
                          <input type="radio" name={key} value={s.value} defaultChecked={current === String(s.value)} /> {`${s.value} ${s.label}`}
                        </label>
                      ))}
                      <label>
                        <input type="radio" name={key} value="" defaultChecked={current === ""} /> 評価しない
                      </label>
                    </div>
                    <FieldError id={`fu-${item.code}-error`} errors={errors[key]} />
                  </fieldset>
                );
              })}
            </fieldset>
            <div className="field">
              <label htmlFor="fu-issues">出てきた課題</label>
              <textarea id="fu-issues" name="issues" rows={3} maxLength={FOLLOW_UP_TEXT_MAX_CHARS} defaultValue={values?.issues ?? ""} {...errorProps("fu-issues", errors.issues)} />
              <FieldError id="fu-issues-error" errors={errors.issues} />
            </div>
            <div className="field">
              <label htmlFor="fu-note">メモ</label>
              <textarea id="fu-note" name="note" rows={3} maxLength={FOLLOW_UP_TEXT_MAX_CHARS} defaultValue={values?.note ?? ""} {...errorProps("fu-note", errors.note)} />
              <FieldError id="fu-note-error" errors={errors.note} />
            </div>
            <div>
              <button type="submit" className="button--primary">
                フォローアップを記録する
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("フォローアップの記録") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

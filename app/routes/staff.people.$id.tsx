// `/staff/people/:id` (id = case number): one person's record — fields, household, consent
// history with 「同意の記録」 (effective at once), the sensitive fields, assessments, placements
// with their events and unmet needs. Not visible → 404, the same as a case that does not exist.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AccountErrorBoundary, CsrfField, errorProps, FieldError, noStoreHeaders, Notice } from "~/accounts/ui";
import { interestLabel, ladderLabel, wantLabel, certificateLabel, CERTIFICATES } from "~/matching/vocabulary";
import { kindLabel } from "../../db/vocabulary";
import { requireCaseworker } from "~/people/auth.server";
import { CONSENT_STATES, consentLabel, DEFAULT_CONSENT_SCOPE, SENSITIVE_FIELD_LABELS } from "~/people/consent";
import {
  CASE_NUMBER_PATTERN,
  ConsentSchema,
  consentInput,
  formErrorsOf,
  NAME_MAX_CHARS,
  NOTE_MAX_CHARS,
  PersonFieldsSchema,
  personFieldsInput,
  SensitiveSchema,
  sensitiveInput,
  TEXT_MAX_CHARS,
} from "~/people/forms";
import { getPersonRecord, recordConsent, saveSensitiveFields, todayInTokyo, updatePersonFields } from "~/people/people.server";
import { placementStatusLabel } from "~/people/placement";
import { ConsentBadge, formatDateTime, personNotFound, StaffNav, staffLinks } from "~/staff/ui";
import type { FieldErrors } from "~/utils/account-validation";
import { readForm } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { can } from "~/utils/permissions";
import { pageTitle } from "~/utils/site";

export const links = staffLinks;
export const headers = noStoreHeaders;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, audit, isAdmin } = await requireCaseworker(request, context);
  const caseNumber = params.id ?? "";
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) personNotFound();
  const { db } = await getDatabase();
  const result = await getPersonRecord(db, { actor, caseNumber, audit });
  if (result.kind !== "ok") personNotFound();
  const record = result.value;
  return {
    csrf: (await getCsrfToken(request)).token,
    today: todayInTokyo(),
    person: record.person,
    household: record.household,
    consents: record.consents,
    assigned: record.assigned,
    assessments: record.assessments.map((a) => ({ ...a, data: a.data as Record<string, unknown> })),
    placements: record.placements,
    unmetNeeds: record.unmetNeeds,
    mayDisclose: isAdmin && can(actor.role, "decide:support"),
  };
}

interface ActionData {
  intent: string;
  ok: boolean;
  message?: string;
  messageEn?: string;
  errors: FieldErrors;
  values?: Record<string, unknown>;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const { actor, audit } = await requireCaseworker(request, context, "write");
  const caseNumber = params.id ?? "";
  if (!CASE_NUMBER_PATTERN.test(caseNumber)) personNotFound();
  const intent = form.get("intent");
  const { db } = await getDatabase();
  if (intent === "consent") {
    const input = consentInput(form);
    const parsed = ConsentSchema.safeParse(input);
    if (!parsed.success) return data<ActionData>({ intent, ok: false, errors: formErrorsOf(parsed.error), values: input }, { status: 400 });
    const result = await recordConsent(db, { actor, caseNumber, values: parsed.data, audit });
    if (result.kind === "not-found") personNotFound();
    return data<ActionData>({ intent, ok: true, message: `同意の状況を「${consentLabel(parsed.data.consentState)}」として記録しました。`, errors: {} });
  }
  if (intent === "sensitive") {
    const input = sensitiveInput(form);
    const parsed = SensitiveSchema.safeParse(input);
    if (!parsed.success) return data<ActionData>({ intent, ok: false, errors: formErrorsOf(parsed.error), values: input }, { status: 400 });
    const result = await saveSensitiveFields(db, { actor, caseNumber, values: parsed.data, audit });
    if (result.kind === "not-found") personNotFound();
    if (result.kind === "refused") {
      return data<ActionData>({ intent, ok: false, message: result.error.message, messageEn: result.error.messageEn, errors: result.error.fieldErrors, values: input }, { status: 409 });
    }
    return data<ActionData>({ intent, ok: true, message: "健康・障がいに関する情報を保存しました。", errors: {} });
  }
  if (intent === "update") {
    const input = personFieldsInput(form);
    const parsed = PersonFieldsSchema.safeParse(input);
    const errors = parsed.success ? {} : formErrorsOf(parsed.error);
    if (parsed.success && (parsed.data.latitude === undefined) !== (parsed.data.longitude === undefined)) {
      errors[parsed.data.latitude === undefined ? "latitude" : "longitude"] = ["緯度と経度は両方入力してください"];
    }
    if (!parsed.success || Object.keys(errors).length > 0) {
      return data<ActionData>({ intent, ok: false, message: "入力内容を確認してください。", errors, values: input }, { status: 400 });
    }
    const result = await updatePersonFields(db, { actor, caseNumber, values: parsed.data, audit });
    if (result.kind === "not-found") personNotFound();
    return data<ActionData>({ intent, ok: true, message: "基本情報を保存しました。", errors: {} });
  }
  return data<ActionData>({ intent: "", ok: false, message: "操作を選んでください。", errors: {} }, { status: 400 });
}

/** The editable basic fields: name, label, max length. */
const PERSON_FIELDS: [string, string, number][] = [
  ["name", "氏名", NAME_MAX_CHARS],
  ["nameKana", "ふりがな", NAME_MAX_CHARS],
  ["birthYear", "生まれ年（西暦）", 4],
  ["address", "住所", TEXT_MAX_CHARS],
  ["area", "圏域・地区", 100],
  ["latitude", "緯度（自宅付近または最寄り駅）", 20],
  ["longitude", "経度（自宅付近または最寄り駅）", 20],
  ["phone", "電話番号", 30],
  ["email", "メールアドレス", 254],
  ["referredBy", "紹介元", TEXT_MAX_CHARS],
];

function needsSummary(data: Record<string, unknown>): string {
  const list = (k: string) => (Array.isArray(data[k]) ? (data[k] as string[]) : []);
  const parts = [
    list("wants").length ? `参加の形: ${list("wants").map(wantLabel).join("・")}` : null,
    list("interests").length ? `興味・関心: ${list("interests").map(interestLabel).join("・")}` : null,
    typeof data.startStep === "number" ? `始める段階: ${ladderLabel(data.startStep)}` : null,
  ].filter(Boolean);
  return parts.join(" ／ ") || "—";
}

export default function PersonPage() {
  const { csrf, today, person, household, consents, assigned, assessments, placements, unmetNeeds, mayDisclose } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [searchParams] = useSearchParams();
  const consentErrors = actionData?.intent === "consent" ? actionData.errors : {};
  const sensitiveErrors = actionData?.intent === "sensitive" ? actionData.errors : {};
  const sensitiveValues = actionData?.intent === "sensitive" && actionData.values ? actionData.values : person;
  const latestConsent = consents[0]?.state ?? null;
  const updateErrors = actionData?.intent === "update" ? actionData.errors : {};
  const updateValues: Record<string, unknown> = actionData?.intent === "update" && actionData.values ? actionData.values : person;
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to="/staff/people">← 担当ケース一覧</Link>
      </p>
      <h1>ケース {person.caseNumber}</h1>
      <StaffNav />
      {searchParams.get("created") ? <Notice message={`登録しました。ケース番号は ${person.caseNumber} です。`} /> : null}
      {actionData?.message ? <Notice tone={actionData.ok ? "info" : "error"} message={actionData.message} messageEn={actionData.messageEn} /> : null}
      <ul className="link-list">
        <li>
          <Link to={`/staff/people/${person.caseNumber}/assessment`}>{assessments.length ? "アセスメントを更新する（新しい版）" : "アセスメントを記録する"}</Link>
        </li>
        <li>
          <Link to={`/staff/people/${person.caseNumber}/suggestions`}>合う場所の提案を見る</Link>
        </li>
        <li>
          <Link to={`/staff/people/${person.caseNumber}/placements/new`}>場所を名前で探してつなぐ</Link>
        </li>
        <li>
          <Link to={`/staff/people/${person.caseNumber}/follow-ups`}>定着支援（フォローアップ）の予定と記録</Link>
        </li>
        <li>
          <Link to={`/staff/people/${person.caseNumber}/plans`}>プラン</Link>
        </li>
        {mayDisclose ? (
          <li>
            <Link to={`/staff/people/${person.caseNumber}/disclosure`}>本人開示のための書き出し</Link>
          </li>
        ) : null}
      </ul>

      <section className="staff-section" aria-labelledby="person-heading">
        <h2 id="person-heading">基本情報</h2>
        <dl className="staff-grid">
          <dt>氏名</dt>
          <dd>{person.name}</dd>
          <dt>ふりがな</dt>
          <dd>{person.nameKana ?? "—"}</dd>
          <dt>生まれ年</dt>
          <dd>{person.birthYear ?? "—"}</dd>
          <dt>住所</dt>
          <dd>{person.address ?? "—"}</dd>
          <dt>圏域・地区</dt>
          <dd>{person.area ?? "—"}</dd>
          <dt>距離の基準点</dt>
          <dd>{person.latitude !== null && person.longitude !== null ? `${person.latitude}, ${person.longitude}` : "未登録（地区で探します）"}</dd>
          <dt>電話番号</dt>
          <dd>{person.phone ?? "—"}</dd>
          <dt>メールアドレス</dt>
          <dd>{person.email ?? "—"}</dd>
          <dt>紹介元</dt>
          <dd>{person.referredBy ?? "—"}</dd>
          <dt>担当</dt>
          <dd>{assigned.map((a) => a.displayName).join("、") || "—"}</dd>
          <dt>同意</dt>
          <dd>
            <ConsentBadge state={latestConsent} />
          </dd>
        </dl>
        <details open={actionData?.intent === "update" && !actionData.ok}>
          <summary>基本情報を修正する</summary>
          <Form method="post" className="account-form">
            <CsrfField token={csrf} />
            {PERSON_FIELDS.map(([name, label, max]) => {
              const id = `person-${name}`;
              const value = updateValues[name];
              return (
                <div className="field" key={name}>
                  <label htmlFor={id}>{label}</label>
                  <input id={id} name={name} type="text" maxLength={max} defaultValue={value === null || value === undefined ? "" : String(value as string | number)} {...errorProps(id, updateErrors[name])} />
                  <FieldError id={`${id}-error`} errors={updateErrors[name]} />
                </div>
              );
            })}
            <div>
              <button type="submit" name="intent" value="update">
                基本情報を保存する
              </button>
            </div>
          </Form>
        </details>
      </section>

      <section className="staff-section" aria-labelledby="household-heading">
        <h2 id="household-heading">世帯</h2>
        {household ? (
          <>
            {household.note ? <p className="pre-line">{household.note}</p> : null}
            {household.members.length ? (
              <ul>
                {household.members.map((m, i) => (
                  <li key={i}>
                    {m.name}
                    {m.relation ? `（${m.relation}）` : ""}
                    {m.birthYear ? ` ${m.birthYear}年生まれ` : ""}
                  </li>
                ))}
              </ul>
            ) : (
              <p>世帯員の登録はありません。</p>
            )}
            {household.others.length ? (
              <p>
                同じ世帯で支援中の方:{" "}
                {household.others.map((o) => (
                  <Link key={o.caseNumber} to={`/staff/people/${o.caseNumber}`}>
                    {o.caseNumber}{" "}
                  </Link>
                ))}
              </p>
            ) : null}
          </>
        ) : (
          <p>世帯の登録はありません。</p>
        )}
      </section>

      <section className="staff-section" aria-labelledby="consent-heading">
        <h2 id="consent-heading">同意の履歴</h2>
        <div className="data-table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">確認日</th>
                <th scope="col">状況</th>
                <th scope="col">範囲</th>
                <th scope="col">記録者</th>
                <th scope="col">補足</th>
              </tr>
            </thead>
            <tbody>
              {consents.map((c) => (
                <tr key={c.id}>
                  <td>{c.recordedOn}</td>
                  <td>{consentLabel(c.state)}</td>
                  <td>{c.scope ?? "—"}</td>
                  <td>{c.recordedBy ?? "—"}</td>
                  <td className="pre-line">{c.note ?? ""}</td>
                </tr>
              ))}
              {consents.length === 0 ? (
                <tr>
                  <td colSpan={5}>同意の記録はありません。</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <h3>同意の記録</h3>
        <p className="field__hint">記録した時点から、新しい同意の状況で情報の共有範囲が決まります。</p>
        <Form method="post" className="account-form">
          <CsrfField token={csrf} />
          <div className="field">
            <fieldset>
              <legend>同意の状況</legend>
              <div className="checkbox-row">
                {CONSENT_STATES.map((c) => (
                  <label key={c.code}>
                    <input type="radio" name="consentState" value={c.code} defaultChecked={latestConsent === c.code} /> {c.label}
                  </label>
                ))}
              </div>
            </fieldset>
            <FieldError id="consent-state-error" errors={consentErrors.consentState} />
          </div>
          <div className="field">
            <label htmlFor="consent-date">確認した日</label>
            <input id="consent-date" name="consentDate" type="date" defaultValue={today} {...errorProps("consent-date", consentErrors.consentDate)} />
            <FieldError id="consent-date-error" errors={consentErrors.consentDate} />
          </div>
          <div className="field">
            <label htmlFor="consent-scope">範囲</label>
            <input id="consent-scope" name="consentScope" type="text" maxLength={TEXT_MAX_CHARS} defaultValue={consents[0]?.scope ?? DEFAULT_CONSENT_SCOPE} {...errorProps("consent-scope", consentErrors.consentScope)} />
            <FieldError id="consent-scope-error" errors={consentErrors.consentScope} />
          </div>
          <div className="field">
            <label htmlFor="consent-note">補足</label>
            <textarea id="consent-note" name="consentNote" rows={2} maxLength={NOTE_MAX_CHARS} {...errorProps("consent-note", consentErrors.consentNote)} />
            <FieldError id="consent-note-error" errors={consentErrors.consentNote} />
          </div>
          <div>
            <button type="submit" name="intent" value="consent">
              同意を記録する
            </button>
          </div>
        </Form>
      </section>

      <section className="staff-section" aria-labelledby="sensitive-heading">
        <h2 id="sensitive-heading">健康・障がいに関する情報（要配慮個人情報）</h2>
        {consents.length === 0 ? <Notice tone="warning" message="同意の記録がないため、この欄は保存できません。" /> : null}
        <Form method="post" className="account-form">
          <CsrfField token={csrf} />
          <div className="field">
            <label htmlFor="sensitive-healthNote">{SENSITIVE_FIELD_LABELS.healthNote}</label>
            <textarea id="sensitive-healthNote" name="healthNote" rows={2} maxLength={NOTE_MAX_CHARS} defaultValue={String(sensitiveValues.healthNote ?? "")} {...errorProps("sensitive-healthNote", sensitiveErrors.healthNote)} />
            <FieldError id="sensitive-healthNote-error" errors={sensitiveErrors.healthNote} />
          </div>
          <div className="field">
            <label htmlFor="sensitive-disabilityNote">{SENSITIVE_FIELD_LABELS.disabilityNote}</label>
            <textarea id="sensitive-disabilityNote" name="disabilityNote" rows={2} maxLength={NOTE_MAX_CHARS} defaultValue={String(sensitiveValues.disabilityNote ?? "")} {...errorProps("sensitive-disabilityNote", sensitiveErrors.disabilityNote)} />
            <FieldError id="sensitive-disabilityNote-error" errors={sensitiveErrors.disabilityNote} />
          </div>
          <div className="field">
            <label htmlFor="sensitive-certificate">{SENSITIVE_FIELD_LABELS.certificate}</label>
            <select id="sensitive-certificate" name="certificate" defaultValue={String(sensitiveValues.certificate ?? "")} {...errorProps("sensitive-certificate", sensitiveErrors.certificate)}>
              <option value="">未記入</option>
              {CERTIFICATES.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.label}
                </option>
              ))}
            </select>
            <FieldError id="sensitive-certificate-error" errors={sensitiveErrors.certificate} />
          </div>
          <div className="field">
            <label htmlFor="sensitive-diagnosis">{SENSITIVE_FIELD_LABELS.diagnosis}</label>
            <input id="sensitive-diagnosis" name="diagnosis" type="text" maxLength={TEXT_MAX_CHARS} defaultValue={String(sensitiveValues.diagnosis ?? "")} {...errorProps("sensitive-diagnosis", sensitiveErrors.diagnosis)} />
            <FieldError id="sensitive-diagnosis-error" errors={sensitiveErrors.diagnosis} />
          </div>
          <div>
            <button type="submit" name="intent" value="sensitive">
              健康・障がいに関する情報を保存する
            </button>
          </div>
        </Form>
        {person.certificate ? <p>現在の記録: 手帳 {certificateLabel(person.certificate)}</p> : null}
      </section>

      <section className="staff-section" aria-labelledby="assessments-heading">
        <h2 id="assessments-heading">アセスメント</h2>
        {assessments.length === 0 ? (
          <p>アセスメントはまだありません。</p>
        ) : (
          <ul>
            {assessments.map((a) => (
              <li key={a.id}>
                第{a.version}版（{a.assessedOn}、{a.author ?? "—"}）: {needsSummary(a.data)}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="staff-section" aria-labelledby="placements-heading">
        <h2 id="placements-heading">つなぎ（マッチング）</h2>
        {placements.length === 0 ? <p>つなぎの記録はありません。</p> : null}
        {placements.map((p) => (
          <article key={p.id} className="suggestion">
            <h3>
              <Link to={`/staff/placements/${p.id}`}>{p.resourceName}</Link>（{placementStatusLabel(p.status)}）
            </h3>
            {p.step ? <p>段階: {ladderLabel(p.step)}</p> : null}
            <ol>
              {p.events.map((e, i) => (
                <li key={i}>
                  {e.on} {placementStatusLabel(e.toStatus)}（{e.by ?? "—"}）{e.note ? `: ${e.note}` : ""}
                </li>
              ))}
            </ol>
          </article>
        ))}
      </section>

      <section className="staff-section" aria-labelledby="unmet-heading">
        <h2 id="unmet-heading">不足している社会資源の記録</h2>
        {unmetNeeds.length === 0 ? (
          <p>記録はありません。</p>
        ) : (
          <ul>
            {unmetNeeds.map((n) => (
              <li key={n.id}>
                {formatDateTime(n.createdAt)}: {n.wants.map(wantLabel).join("・") || "—"}
                {n.kinds.length ? `（${n.kinds.map(kindLabel).join("・")}）` : ""} —{" "}
                {n.status === "matched" ? `合う場所が見つかりました: ${n.matchedResourceName ?? ""}` : n.status === "closed" ? "終了" : "待機中"}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("ケースの記録") }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

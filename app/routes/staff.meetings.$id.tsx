// `/staff/meetings/:id`: one 支援会議 or 重層的支援会議 as this viewer may see it. A 支援会議 member who
// has not accepted the confidentiality pledge sees the pledge and the agenda as case numbers only
// (no content links, no minutes); after the pledge, labels (initials + case number, the name only
// for viewers authorised outside the meeting) and links to each case. Members put their cases on the
// agenda; the organiser (an administrator) adds members, records external members' paper pledges,
// builds the 重層的支援会議's agenda from plans and records minutes and decisions. Non-members: 404.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { AccountErrorBoundary, CsrfField, errorProps, FieldError, Notice } from "~/accounts/ui";
import { AGENDA_REASONS, AgendaCaseSchema, ExternalMemberSchema, ExternalPledgeSchema, MEMBER_NAME_MAX_CHARS, MINUTES_MAX_CHARS, MinutesSchema, UserMemberSchema, agendaReasonLabel } from "~/meetings/forms";
import {
  acceptPledge,
  addCase,
  addMember,
  buildJusoutekiAgenda,
  listMemberCandidates,
  meetingMembership,
  meetingView,
  minutesVisible,
  recordExternalPledge,
  recordMinutes,
} from "~/meetings/meetings.server";
import { MEETING_KINDS } from "~/meetings/rules";
import { idParam, MEETING_KIND_SCOPE, meetingHeaders, meetingLinks, meetingNotFound, PledgeText, UnmetNeedsTables } from "~/meetings/ui";
import { PersonWriteRefused } from "~/people/access.server";
import { requireCaseworker } from "~/people/auth.server";
import { formErrorsOf } from "~/people/forms";
import { StaffNav } from "~/staff/ui";
import { formFields, type FieldErrors } from "~/utils/account-validation";
import { readForm, requireUser } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { ROLE_LABELS, type Role } from "~/utils/permissions";
import { pageTitle } from "~/utils/site";

export const links = meetingLinks;
export const headers = meetingHeaders;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, audit, isAdmin } = await requireCaseworker(request, context);
  const meetingId = idParam(params.id) ?? meetingNotFound();
  const { db } = await getDatabase();
  const view = await meetingView(db, { actor, meetingId, audit });
  if (!view) meetingNotFound();
  const { meeting, me, members, cases, unmetNeeds } = view;
  const law = MEETING_KINDS.find((k) => k.code === meeting.kind);
  return {
    csrf: (await getCsrfToken(request)).token,
    isAdmin,
    meeting: { id: meeting.id, kind: meeting.kind, kindLabel: law?.label ?? meeting.kind, law: law?.law ?? "", heldOn: meeting.heldOn, title: meeting.title, minutes: meeting.minutes, decisions: meeting.decisions },
    me,
    minutesVisible: minutesVisible(meeting.kind, me),
    members,
    cases: cases.map((c) => ({ caseId: c.caseId, caseNumber: c.caseNumber, label: c.label, reason: agendaReasonLabel(c.reason), visible: c.visible, hiddenReason: c.hiddenReason })),
    unmetNeeds,
    candidates: isAdmin ? (await listMemberCandidates(db, meeting.id)).map((u) => ({ id: u.id, label: `${u.displayName}（${u.organisation ?? "所属なし"}・${ROLE_LABELS[u.role as Role] ?? u.role}）` })) : [],
  };
}

const INTENTS = ["pledge", "add-case", "add-member", "add-external", "external-pledge", "build-agenda", "minutes"] as const;
type Intent = (typeof INTENTS)[number];
const ORGANISER_INTENTS: ReadonlySet<Intent> = new Set(["add-member", "add-external", "external-pledge", "build-agenda", "minutes"]);

interface ActionData {
  intent: string;
  ok: boolean;
  message?: string;
  messageEn?: string;
  errors: FieldErrors;
  values?: Record<string, string | undefined>;
}

const reply = (body: ActionData, status = 200) => data<ActionData>(body, { status });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const { actor, audit, isAdmin } = await requireCaseworker(request, context, "write");
  const intentValue = form.get("intent");
  const intent = INTENTS.find((i) => i === intentValue);
  if (!intent) return reply({ intent: "", ok: false, message: "操作を選んでください。", errors: {} }, 400);
  // The organiser's operations need the administrator's permission (an audited 403 otherwise).
  if (ORGANISER_INTENTS.has(intent)) await requireUser(request, { permission: "decide:support", context });
  const meetingId = idParam(params.id) ?? meetingNotFound();
  const { db } = await getDatabase();
  const standing = await meetingMembership(db, { actor, meetingId });
  // Same rule as the page: members, and administrators (who run the meetings), see it.
  if (!standing || (!standing.member && !isAdmin)) meetingNotFound();
  const { meeting, member } = standing;

  switch (intent) {
    case "pledge": {
      if (!member) return reply({ intent, ok: false, message: "この会議の構成員ではないため、誓約できません。管理者に構成員への追加を依頼してください。", errors: {} }, 409);
      if (member.pledged) return reply({ intent, ok: true, message: "守秘義務の誓約はすでに記録されています。", errors: {} });
      await acceptPledge(db, { actor, meetingId, audit });
      return reply({ intent, ok: true, message: "守秘義務の誓約を記録しました。議題の事例を開けます。", errors: {} });
    }
    case "add-case": {
      const values = formFields(form, ["caseNumber", "reason"]);
      const parsed = AgendaCaseSchema.safeParse(values);
      if (!parsed.success) return reply({ intent, ok: false, message: "入力内容を確認してください。", errors: formErrorsOf(parsed.error), values }, 400);
      const result = await addCase(db, { actor, meetingId, caseNumber: parsed.data.caseNumber, reason: parsed.data.reason, audit });
      if (result.kind === "not-found") {
        const message = "このケース番号の事例は見つかりません（担当しているケースだけを提出できます）。";
        return reply({ intent, ok: false, message, errors: { caseNumber: [message] }, values }, 404);
      }
      if (result.kind === "refused") return reply({ intent, ok: false, message: result.error.message, messageEn: result.error.messageEn, errors: { caseNumber: [result.error.message] }, values }, 409);
      return reply({ intent, ok: true, message: `ケース ${parsed.data.caseNumber} を議題に追加しました（${agendaReasonLabel(parsed.data.reason)}）。`, errors: {} });
    }
    case "add-member": {
      const parsed = UserMemberSchema.safeParse(formFields(form, ["userId"]));
      if (!parsed.success) return reply({ intent, ok: false, message: "追加する職員を選んでください。", errors: formErrorsOf(parsed.error) }, 400);
      const candidates = await listMemberCandidates(db, meetingId);
      const chosen = candidates.find((c) => c.id === parsed.data.userId);
      if (!chosen) return reply({ intent, ok: false, message: "追加できる職員を選んでください（有効な参加支援スタッフ・管理者で、まだ構成員でない人）。", errors: { userId: ["追加できる職員を選んでください"] } }, 400);
      await addMember(db, { actor, meetingId, member: { userId: chosen.id }, audit });
      return reply({ intent, ok: true, message: `${chosen.displayName} さんを構成員に追加しました。`, errors: {} });
    }
    case "add-external": {
      const values = formFields(form, ["externalName", "externalOrganisation"]);
      const parsed = ExternalMemberSchema.safeParse(values);
      if (!parsed.success) return reply({ intent, ok: false, message: "入力内容を確認してください。", errors: formErrorsOf(parsed.error), values }, 400);
      await addMember(db, { actor, meetingId, member: parsed.data, audit });
      return reply({ intent, ok: true, message: `外部の構成員 ${parsed.data.externalName} さん（${parsed.data.externalOrganisation}）を追加しました。`, errors: {} });
    }
    case "external-pledge": {
      const parsed = ExternalPledgeSchema.safeParse(formFields(form, ["memberId"]));
      if (!parsed.success) return reply({ intent, ok: false, message: "構成員を選んでください。", errors: formErrorsOf(parsed.error) }, 400);
      const done = await recordExternalPledge(db, { actor, meetingId, memberId: parsed.data.memberId, audit });
      if (!done) return reply({ intent, ok: false, message: "書面の誓約を記録できる外部の構成員ではありません（記録済みか、この会議の外部構成員ではありません）。", errors: {} }, 400);
      return reply({ intent, ok: true, message: "外部の構成員の書面による誓約を記録しました。", errors: {} });
    }
    case "build-agenda": {
      if (meeting.kind !== "jusouteki") return reply({ intent, ok: false, message: "議題の自動作成は重層的支援会議だけで使えます。", errors: {} }, 400);
      const added = await buildJusoutekiAgenda(db, { actor, meetingId, audit });
      return reply({ intent, ok: true, message: added > 0 ? `評価・再プラン・終結・中断が必要なプランから ${added}件を議題に追加しました。` : "新しく議題にするプランはありませんでした。", errors: {} });
    }
    case "minutes": {
      const values = formFields(form, ["minutes", "decisions"]);
      const parsed = MinutesSchema.safeParse(values);
      if (!parsed.success) return reply({ intent, ok: false, message: "入力内容を確認してください。", errors: formErrorsOf(parsed.error), values }, 400);
      try {
        await recordMinutes(db, { actor, meetingId, minutes: parsed.data.minutes.trim(), decisions: parsed.data.decisions.trim(), audit });
      } catch (error) {
        if (error instanceof PersonWriteRefused) return reply({ intent, ok: false, message: error.message, messageEn: error.messageEn, errors: {} }, 409);
        throw error;
      }
      return reply({ intent, ok: true, message: "議事録と決定事項を保存しました。", errors: {} });
    }
  }
}

export default function MeetingPage() {
  const { csrf, isAdmin, meeting, me, minutesVisible: showMinutes, members, cases, unmetNeeds, candidates } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [searchParams] = useSearchParams();
  const errorsFor = (intent: Intent): FieldErrors => (actionData?.intent === intent ? actionData.errors : {});
  const valuesFor = (intent: Intent) => (actionData?.intent === intent ? (actionData.values ?? {}) : {});
  const isSupport = meeting.kind === "support";
  const needsPledge = isSupport && me !== null && !me.pledged;
  const caseErrors = errorsFor("add-case");
  const caseValues = valuesFor("add-case");
  const externalErrors = errorsFor("add-external");
  const externalValues = valuesFor("add-external");
  const minutesErrors = errorsFor("minutes");
  const minutesValues = valuesFor("minutes");
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to="/staff/meetings">← 会議の一覧</Link>
      </p>
      <h1>
        {meeting.title}（{meeting.kindLabel}）
      </h1>
      <StaffNav />
      {searchParams.get("created") === "1" && !actionData ? <Notice message="会議を作成しました。構成員を追加してください。" /> : null}
      {actionData?.message ? <Notice tone={actionData.ok ? "info" : "error"} message={actionData.message} messageEn={actionData.messageEn} /> : null}
      <dl className="staff-grid">
        <dt>種類</dt>
        <dd>
          {meeting.kindLabel}（{meeting.law}）
        </dd>
        <dt>開催日</dt>
        <dd>{meeting.heldOn}</dd>
      </dl>
      <p className="meeting-scope">{MEETING_KIND_SCOPE[meeting.kind]}</p>
      <p className="no-print">
        <Link to={`/staff/meetings/${meeting.id}/print`}>議題を印刷する（A4）</Link>
      </p>

      {needsPledge ? (
        <section className="pledge-box" aria-labelledby="pledge-heading">
          <h2 id="pledge-heading">事例を見る前に: 守秘義務の誓約</h2>
          <p>支援会議では本人の同意がない事例も共有されます。誓約するまで、議題はケース番号だけが表示され、事例の内容は開けません。</p>
          <PledgeText title={meeting.title} heldOn={meeting.heldOn} />
          <Form method="post">
            <CsrfField token={csrf} />
            <button type="submit" name="intent" value="pledge" className="button--primary">
              誓約する
            </button>
          </Form>
        </section>
      ) : null}
      {me === null ? <Notice tone="warning" message="あなたはこの会議の構成員ではありません。事例の内容は構成員にだけ表示されます（構成員に自分を追加できます）。" /> : null}

      <section className="staff-section" aria-labelledby="agenda-heading">
        <h2 id="agenda-heading">議題（事例）</h2>
        {cases.length === 0 ? (
          <p>議題の事例はまだありません。</p>
        ) : (
          <div className="data-table-wrap">
            <table className="data-table">
              <caption>議題 {cases.length}件</caption>
              <thead>
                <tr>
                  <th scope="col">事例</th>
                  <th scope="col">議題にする理由</th>
                  <th scope="col">内容</th>
                </tr>
              </thead>
              <tbody>
                {cases.map((c) => (
                  <tr key={c.caseId}>
                    <td>{c.label}</td>
                    <td>{c.reason}</td>
                    <td>
                      {c.visible ? (
                        <Link to={`/staff/meetings/${meeting.id}/cases/${c.caseId}`} aria-label={`事例 ${c.caseNumber} を開く`}>
                          事例を開く
                        </Link>
                      ) : (
                        <span className="agenda-hidden">{c.hiddenReason}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {me !== null || isAdmin ? (
          <Form method="post" className="account-form" noValidate>
            <h3>担当している事例を議題にする</h3>
            <p>{isSupport ? "支援会議では、本人の同意がない事例（不同意・不明）も提出できます。" : "重層的支援会議には、本人の同意（同意）がある事例だけを提出できます。"}</p>
            <CsrfField token={csrf} />
            <div className="field">
              <label htmlFor="case-number">ケース番号</label>
              <input id="case-number" name="caseNumber" type="text" inputMode="numeric" placeholder="2026-0001" defaultValue={caseValues.caseNumber ?? ""} {...errorProps("case-number", caseErrors.caseNumber)} />
              <FieldError id="case-number-error" errors={caseErrors.caseNumber} />
            </div>
            <div className="field">
              <label htmlFor="case-reason">議題にする理由</label>
              <select id="case-reason" name="reason" defaultValue={caseValues.reason ?? "discussion"} {...errorProps("case-reason", caseErrors.reason)}>
                {AGENDA_REASONS.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.label}
                  </option>
                ))}
              </select>
              <FieldError id="case-reason-error" errors={caseErrors.reason} />
            </div>
            <div>
              <button type="submit" name="intent" value="add-case">
                議題に追加する
              </button>
            </div>
          </Form>
        ) : null}
        {isAdmin && meeting.kind === "jusouteki" ? (
          <Form method="post" className="account-form">
            <CsrfField token={csrf} />
            <p>プランの評価・再プラン・終結・中断が必要な事例（本人の同意があるもの）を、プランから議題に加えます。</p>
            <div>
              <button type="submit" name="intent" value="build-agenda">
                議題を自動作成
              </button>
            </div>
          </Form>
        ) : null}
      </section>

      {meeting.kind === "jusouteki" && unmetNeeds ? (
        <section className="staff-section" aria-labelledby="unmet-heading">
          <h2 id="unmet-heading">社会資源の充足状況（不足している社会資源）</h2>
          <UnmetNeedsTables aggregate={unmetNeeds} />
        </section>
      ) : null}

      <section className="staff-section" aria-labelledby="members-heading">
        <h2 id="members-heading">構成員</h2>
        <div className="data-table-wrap">
          <table className="data-table">
            <caption>構成員 {members.length}人</caption>
            <thead>
              <tr>
                <th scope="col">氏名</th>
                <th scope="col">所属</th>
                <th scope="col">守秘義務の誓約</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.id}>
                  <td>
                    {m.name}
                    {m.external ? "（外部）" : ""}
                  </td>
                  <td>{m.organisation ?? "—"}</td>
                  <td>
                    {m.pledged ? "誓約済み" : m.external ? "未（書面で誓約）" : "まだです"}
                    {isAdmin && m.external && !m.pledged ? (
                      <Form method="post" className="inline-form">
                        <CsrfField token={csrf} />
                        <input type="hidden" name="memberId" value={m.id} />{" "}
                        <button type="submit" name="intent" value="external-pledge" aria-label={`${m.name} さんの書面の誓約を記録`}>
                          書面の誓約を記録
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {isAdmin ? (
          <>
            <Form method="post" className="account-form">
              <h3>ポータルの利用者を追加</h3>
              <CsrfField token={csrf} />
              {candidates.length === 0 ? (
                <p>追加できる職員はいません。</p>
              ) : (
                <>
                  <div className="field">
                    <label htmlFor="member-user">職員（参加支援スタッフ・管理者）</label>
                    <select id="member-user" name="userId" {...errorProps("member-user", errorsFor("add-member").userId)}>
                      {candidates.map((u) => (
                        <option key={u.id} value={u.id}>
                          {u.label}
                        </option>
                      ))}
                    </select>
                    <FieldError id="member-user-error" errors={errorsFor("add-member").userId} />
                  </div>
                  <div>
                    <button type="submit" name="intent" value="add-member">
                      構成員に追加する
                    </button>
                  </div>
                </>
              )}
            </Form>
            <Form method="post" className="account-form" noValidate>
              <h3>外部の構成員を追加（民生委員、学校、医療機関など）</h3>
              <CsrfField token={csrf} />
              <div className="field">
                <label htmlFor="external-name">氏名</label>
                <input id="external-name" name="externalName" type="text" maxLength={MEMBER_NAME_MAX_CHARS} defaultValue={externalValues.externalName ?? ""} {...errorProps("external-name", externalErrors.externalName)} />
                <FieldError id="external-name-error" errors={externalErrors.externalName} />
              </div>
              <div className="field">
                <label htmlFor="external-organisation">所属（機関・団体名）</label>
                <input
                  id="external-organisation"
                  name="externalOrganisation"
                  type="text"
                  maxLength={MEMBER_NAME_MAX_CHARS}
                  defaultValue={externalValues.externalOrganisation ?? ""}
                  {...errorProps("external-organisation", externalErrors.externalOrganisation)}
                />
                <FieldError id="external-organisation-error" errors={externalErrors.externalOrganisation} />
              </div>
              <p className="field__hint">外部の構成員は会議の場で誓約書に署名します（印刷用の議題に誓約書が付きます）。署名を受け取ったら「書面の誓約を記録」を押してください。</p>
              <div>
                <button type="submit" name="intent" value="add-external">
                  外部の構成員を追加する
                </button>
              </div>
            </Form>
          </>
        ) : null}
      </section>

      <section className="staff-section" aria-labelledby="minutes-heading">
        <h2 id="minutes-heading">議事録・決定事項</h2>
        {!showMinutes ? (
          <p>{me === null ? "議事録は会議の構成員にだけ表示されます。" : "議事録は守秘義務の誓約の後に表示されます。"}</p>
        ) : isAdmin ? (
          <Form method="post" className="account-form" noValidate>
            <CsrfField token={csrf} />
            <div className="field">
              <label htmlFor="meeting-minutes">議事録</label>
              <textarea id="meeting-minutes" name="minutes" rows={8} maxLength={MINUTES_MAX_CHARS} defaultValue={minutesValues.minutes ?? meeting.minutes ?? ""} {...errorProps("meeting-minutes", minutesErrors.minutes)} />
              <FieldError id="meeting-minutes-error" errors={minutesErrors.minutes} />
            </div>
            <div className="field">
              <label htmlFor="meeting-decisions">決定事項（役割分担、次回までの対応など）</label>
              <textarea
                id="meeting-decisions"
                name="decisions"
                rows={5}
                maxLength={MINUTES_MAX_CHARS}
                defaultValue={minutesValues.decisions ?? meeting.decisions ?? ""}
                {...errorProps("meeting-decisions", minutesErrors.decisions)}
              />
              <FieldError id="meeting-decisions-error" errors={minutesErrors.decisions} />
            </div>
            <div>
              <button type="submit" name="intent" value="minutes">
                議事録を保存する
              </button>
            </div>
          </Form>
        ) : (
          <dl className="staff-grid">
            <dt>議事録</dt>
            <dd className="pre-line">{meeting.minutes ?? "まだ記録されていません。"}</dd>
            <dt>決定事項</dt>
            <dd className="pre-line">{meeting.decisions ?? "まだ記録されていません。"}</dd>
          </dl>
        )}
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("会議") }, { name: "robots", content: "noindex" }];

export function ErrorBoundary() {
  return <AccountErrorBoundary />;
}

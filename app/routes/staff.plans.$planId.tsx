// `/staff/plans/:planId`: one プラン — the current version, the lifecycle with buttons for the moves
// that are possible now (app/plans/lifecycle.ts decides; the others are listed with the reason),
// 支援決定 for administrators only (the model refuses anyone else anyway), 終結 with the evaluation
// sheet (評価シート), 中断 with the contact attempts, proposing 終結/中断 to the 重層的支援会議, the
// revise form while 作成/再プラン, the version history and the events. Through the people gate:
// another staff member's case is 404; a person without consent 同意 gets the reason (409).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { CsrfField, errorProps, FieldError, noStoreHeaders, Notice } from "~/accounts/ui";
import { requireCaseworker } from "~/people/auth.server";
import { todayInTokyo } from "~/people/people.server";
import { parseClosing, parseContactAttempt, parsePlanForm, planFormValues, withExtraActionRow } from "~/plans/forms.server";
import { checkPlanTransition, MIN_FAILED_ATTEMPTS_FOR_INTERRUPTION, needsSupportDecision, PLAN_STATUSES, planStatusLabel, type PlanStatus } from "~/plans/lifecycle";
import { getPlanDetail, proposePlanEnd, recordContactAttemptForPlan, revisePlan, transitionPlan } from "~/plans/plans.server";
import {
  changedFields,
  CONTACT_METHODS,
  contactMethodLabel,
  PLAN_GOAL_MAX_CHARS,
  PlanContentView,
  PlanErrorBoundary,
  PlanFields,
  planFormFromContent,
  planStylesLinks,
  programmeLabel,
  type PlanFormValues,
} from "~/plans/ui";
import { formatDateTime, personNotFound, StaffNav, staffLinks } from "~/staff/ui";
import type { FieldErrors } from "~/utils/account-validation";
import { readForm } from "~/utils/auth.server";
import { assertCsrf, getCsrfToken } from "~/utils/csrf.server";
import { getDatabase } from "~/utils/db.server";
import { can } from "~/utils/permissions";
import { pageTitle } from "~/utils/site";

export const links = () => [...staffLinks(), ...planStylesLinks()];
export const headers = noStoreHeaders;

function planIdOf(param: string | undefined): number {
  const id = /^\d{1,9}$/.test(param ?? "") ? Number(param) : NaN;
  if (!Number.isInteger(id) || id <= 0) personNotFound();
  return id;
}

/** Moves offered by the buttons (終結 has its own form with the evaluation sheet; 中断 its section). */
const BUTTON_MOVES: readonly PlanStatus[] = ["evaluated", "decided", "in_progress", "replanning"];
const MOVE_LABELS: Record<PlanStatus, string> = {
  draft: "作成に戻す",
  evaluated: "会議で評価されたことを記録する",
  decided: "支援決定を記録する",
  in_progress: "実施を記録する",
  replanning: "再プランにする",
  closed: "終結を記録する",
  interrupted: "中断を記録する",
};

/** Whether the graph of statuses allows `to` at all (ignoring decision, sheet and attempts). */
function reachable(from: PlanStatus, to: PlanStatus): boolean {
  return checkPlanTransition({ status: from, programmes: ["participation"], decided: true, hasEvaluationSheet: true, failedContactAttempts: 99 }, to, { canDecide: true }).ok;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, audit } = await requireCaseworker(request, context);
  const planId = planIdOf(params.planId);
  const { db } = await getDatabase();
  const result = await getPlanDetail(db, { actor, planId, audit });
  if (result.kind === "not-found") personNotFound();
  if (result.kind === "refused") throw data({ message: result.error.message, messageEn: result.error.messageEn }, { status: 409 });
  const detail = result.value;
  const status = detail.plan.status as PlanStatus;
  const canDecide = can(actor.role, "decide:support");
  const moves = PLAN_STATUSES.map((s) => s.code)
    .filter((to) => to !== status && reachable(status, to))
    .map((to) => {
      const check = checkPlanTransition(detail.facts, to, { canDecide });
      return { to, label: planStatusLabel(to), ok: check.ok, reason: check.ok ? null : check.reason };
    });
  const current = detail.versions[0]!;
  return {
    csrf: (await getCsrfToken(request)).token,
    today: todayInTokyo(),
    canDecide,
    caseNumber: detail.caseNumber,
    plan: {
      id: detail.plan.id,
      status,
      version: detail.plan.version,
      programmes: detail.plan.programmes,
      proposedStatus: detail.plan.proposedStatus,
      nextReviewOn: detail.plan.nextReviewOn,
      decidedAt: detail.plan.decidedAt,
      decidedByName: detail.plan.decidedByName,
      evaluationSheet: detail.plan.evaluationSheet,
      needsDecision: needsSupportDecision(detail.plan.programmes),
    },
    facts: detail.facts,
    moves,
    current,
    versions: detail.versions.map((v, i) => ({ ...v, changed: changedFields(v.content, detail.versions[i + 1]?.content) })),
    events: detail.events,
    attempts: detail.attempts,
    placements: detail.placements,
    reviseValues: status === "draft" || status === "replanning" ? planFormFromContent(current.content, detail.plan) : null,
  };
}

interface ActionData {
  intent: string;
  message?: string;
  messageEn?: string;
  errors: FieldErrors;
  values?: PlanFormValues;
}

const DONE_MESSAGES: Record<string, string> = {
  evaluated: "「会議で評価」を記録しました。",
  decided: "支援決定を記録しました。",
  in_progress: "「実施」を記録しました。",
  replanning: "「再プラン」にしました。内容を見直して新しい版を保存してください。",
  closed: "終結を記録しました。評価シートを保存し、終結後の定期的な連絡（1年間、3か月ごと）を予定に入れました。",
  interrupted: "中断を記録しました。",
  "propose-closed": "終結を次の重層的支援会議に提案しました。",
  "propose-interrupted": "中断を次の重層的支援会議に提案しました。",
  attempt: "連絡の試みを記録しました。",
  revised: "新しい版を保存しました。",
};

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  await assertCsrf(request, form);
  const { actor, audit } = await requireCaseworker(request, context, "write");
  const planId = planIdOf(params.planId);
  const intent = text(form, "intent");
  const done = (what: string) => redirect(`/staff/plans/${planId}?done=${what}`);
  const refused = (error: { message: string; messageEn: string; fieldErrors: FieldErrors }, values?: PlanFormValues) =>
    data<ActionData>({ intent, message: error.message, messageEn: error.messageEn, errors: error.fieldErrors, values }, { status: 409 });
  const { db } = await getDatabase();

  if (intent === "transition") {
    const to = text(form, "to");
    if (!(BUTTON_MOVES as readonly string[]).includes(to) && to !== "interrupted") {
      return data<ActionData>({ intent, message: "次の状態を選んでください。", errors: { to: ["次の状態を選んでください"] } }, { status: 400 });
    }
    const note = text(form, "note").trim();
    if (note.length > PLAN_GOAL_MAX_CHARS) return data<ActionData>({ intent, errors: { note: ["2,000文字以内で入力してください"] } }, { status: 400 });
    const result = await transitionPlan(db, { actor, planId, to: to as PlanStatus, note, audit });
    if (result.kind === "not-found") personNotFound();
    if (result.kind === "refused") return refused(result.error);
    return done(to);
  }
  if (intent === "close") {
    const parsed = parseClosing(form);
    if (!parsed.ok) return data<ActionData>({ intent, errors: parsed.errors }, { status: 400 });
    const result = await transitionPlan(db, { actor, planId, to: "closed", evaluationSheet: parsed.sheet, on: parsed.on, note: parsed.note, audit });
    if (result.kind === "not-found") personNotFound();
    if (result.kind === "refused") return refused(result.error);
    return done("closed");
  }
  if (intent === "propose") {
    const proposed = text(form, "proposed");
    if (proposed !== "closed" && proposed !== "interrupted") return data<ActionData>({ intent, errors: { proposed: ["提案の内容を選んでください"] } }, { status: 400 });
    const result = await proposePlanEnd(db, { actor, planId, proposed, audit });
    if (result.kind === "not-found") personNotFound();
    if (result.kind === "refused") return refused(result.error);
    return done(`propose-${proposed}`);
  }
  if (intent === "attempt") {
    const parsed = parseContactAttempt(form);
    if (!parsed.ok) return data<ActionData>({ intent, errors: parsed.errors }, { status: 400 });
    const result = await recordContactAttemptForPlan(db, { actor, planId, attempt: parsed.attempt, audit });
    if (result.kind === "not-found") personNotFound();
    if (result.kind === "refused") return refused(result.error);
    return done("attempt");
  }
  if (intent === "revise-add-row") return data<ActionData>({ intent, errors: {}, values: withExtraActionRow(planFormValues(form)) });
  if (intent === "revise") {
    const values = planFormValues(form);
    const parsed = parsePlanForm(values);
    if (!parsed.ok) return data<ActionData>({ intent, errors: parsed.errors, values }, { status: 400 });
    const result = await revisePlan(db, { actor, planId, content: parsed.content, programmes: parsed.programmes, nextReviewOn: parsed.nextReviewOn, audit });
    if (result.kind === "not-found") personNotFound();
    if (result.kind === "refused") return refused(result.error, values);
    return done("revised");
  }
  return data<ActionData>({ intent, message: "操作を選んでください。", errors: {} }, { status: 400 });
}

export default function PlanPage() {
  const { csrf, today, canDecide, caseNumber, plan, facts, moves, current, versions, events, attempts, placements, reviseValues } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionData | undefined;
  const [searchParams] = useSearchParams();
  const doneMessage = DONE_MESSAGES[searchParams.get("done") ?? ""] ?? (searchParams.get("created") ? "プランを作成しました（作成）。重層的支援会議での評価を待ちます。" : null);
  const errorsFor = (intent: string): FieldErrors => (actionData?.intent === intent ? actionData.errors : {});
  const buttonMoves = moves.filter((m) => (BUTTON_MOVES as readonly string[]).includes(m.to));
  const offered = buttonMoves.filter((m) => m.ok && (m.to !== "decided" || canDecide));
  const blocked = moves.filter((m) => !m.ok && m.to !== "closed" && m.to !== "interrupted");
  const closing = moves.find((m) => m.to === "closed");
  const interruption = moves.find((m) => m.to === "interrupted");
  const final = plan.status === "closed" || plan.status === "interrupted";
  const closeErrors = errorsFor("close");
  const attemptErrors = errorsFor("attempt");
  const reviseErrors = errorsFor("revise");
  const revise = actionData?.values && (actionData.intent === "revise" || actionData.intent === "revise-add-row") ? actionData.values : reviseValues;
  return (
    <div className="account-page account-page--wide">
      <p>
        <Link to={`/staff/people/${caseNumber}/plans`}>← ケース {caseNumber} のプラン</Link>
      </p>
      <h1>
        プラン #{plan.id}（{planStatusLabel(plan.status)}）
      </h1>
      <StaffNav />
      {doneMessage && !actionData ? <Notice tone="info" message={doneMessage} /> : null}
      {actionData?.message ? <Notice tone="error" message={actionData.message} messageEn={actionData.messageEn} /> : null}
      {actionData && !actionData.message && Object.keys(actionData.errors).length > 0 ? <Notice tone="error" message="入力内容を確認してください。各項目の下に理由を表示しています。" /> : null}

      <dl className="staff-grid">
        <dt>ケース</dt>
        <dd>
          <Link to={`/staff/people/${caseNumber}`}>{caseNumber}</Link>
        </dd>
        <dt>状態</dt>
        <dd>
          {planStatusLabel(plan.status)}
          {plan.proposedStatus ? `（${planStatusLabel(plan.proposedStatus)}を重層的支援会議に提案中）` : ""}
        </dd>
        <dt>版</dt>
        <dd>第{plan.version}版</dd>
        <dt>利用する事業</dt>
        <dd>{plan.programmes.length ? plan.programmes.map(programmeLabel).join("、") : "—"}</dd>
        <dt>支援決定</dt>
        <dd>
          {plan.decidedAt
            ? `${formatDateTime(plan.decidedAt)}（${plan.decidedByName ?? "—"}）`
            : plan.needsDecision
              ? "まだです（参加支援・アウトリーチを使うため、実施の前に必要です）"
              : "不要です（会議への報告のみ）"}
        </dd>
        <dt>次の見直し</dt>
        <dd>{plan.nextReviewOn ?? "—"}</dd>
      </dl>
      <ul className="link-list no-print">
        <li>
          <Link to={`/staff/plans/${plan.id}/print`}>プランシートを印刷する（別紙2-4 様式）</Link>
        </li>
        <li>
          <Link to={`/staff/plans/${plan.id}/evaluation/print`}>評価シートを印刷する（別紙2-6 様式）</Link>
        </li>
        <li>
          <Link to={`/staff/people/${caseNumber}/follow-ups`}>フォローアップ（定着支援）の予定と記録</Link>
        </li>
      </ul>

      <section className="staff-section" aria-labelledby="current-heading">
        <h2 id="current-heading">現在の内容（第{current.version}版）</h2>
        <PlanContentView content={current.content} placements={placements} />
      </section>

      {!final ? (
        <section className="staff-section" aria-labelledby="moves-heading">
          <h2 id="moves-heading">状態の変更</h2>
          {offered.length > 0 ? (
            // Keyed by the events so the note is cleared once a move is recorded (script on).
            <Form method="post" className="account-form" key={`moves-${events.length}`}>
              <CsrfField token={csrf} />
              <input type="hidden" name="intent" value="transition" />
              <div className="field">
                <label htmlFor="move-note">メモ（会議の日付や決定の内容など）</label>
                <textarea id="move-note" name="note" rows={2} maxLength={PLAN_GOAL_MAX_CHARS} {...errorProps("move-note", errorsFor("transition").note)} />
                <FieldError id="move-note-error" errors={errorsFor("transition").note} />
              </div>
              <div className="plan-buttons">
                {offered.map((m) => (
                  <button key={m.to} type="submit" name="to" value={m.to} className={m.to === "decided" ? "button--primary" : undefined}>
                    {MOVE_LABELS[m.to]}
                  </button>
                ))}
              </div>
            </Form>
          ) : (
            <p>いま記録できる状態の変更はありません。</p>
          )}
          {blocked.length > 0 ? (
            <>
              <h3>いまは選べない変更</h3>
              <ul className="plan-blocked">
                {blocked.map((m) => (
                  <li key={m.to}>
                    「{m.label}」: {m.reason}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      {closing ? (
        <section className="staff-section" aria-labelledby="close-heading">
          <h2 id="close-heading">終結（評価シート）</h2>
          <p>重層的支援会議で支援の終結が認められたときに記録します。評価シートの3項目はすべて必要です。</p>
          <Form method="post" className="account-form">
            <CsrfField token={csrf} />
            <div className="field">
              <label htmlFor="close-goal">目標の達成状況</label>
              <textarea id="close-goal" name="goalAttainment" rows={3} maxLength={PLAN_GOAL_MAX_CHARS} {...errorProps("close-goal", closeErrors.goalAttainment)} />
              <FieldError id="close-goal-error" errors={closeErrors.goalAttainment} />
            </div>
            <div className="field">
              <label htmlFor="close-supporters">本人に関わる支援者の状況</label>
              <textarea id="close-supporters" name="supporters" rows={3} maxLength={PLAN_GOAL_MAX_CHARS} {...errorProps("close-supporters", closeErrors.supporters)} />
              <FieldError id="close-supporters-error" errors={closeErrors.supporters} />
            </div>
            <div className="field">
              <label htmlFor="close-follow">フォローアップの必要性とその方法</label>
              <textarea id="close-follow" name="followUpNeed" rows={3} maxLength={PLAN_GOAL_MAX_CHARS} {...errorProps("close-follow", closeErrors.followUpNeed)} />
              <FieldError id="close-follow-error" errors={closeErrors.followUpNeed} />
            </div>
            <div className="field">
              <label htmlFor="close-on">終結日</label>
              <input id="close-on" name="on" type="date" defaultValue={today} {...errorProps("close-on", closeErrors.on)} />
              <FieldError id="close-on-error" errors={closeErrors.on} />
            </div>
            <div className="field">
              <label htmlFor="close-note">メモ（会議の日付など）</label>
              <textarea id="close-note" name="note" rows={2} maxLength={PLAN_GOAL_MAX_CHARS} {...errorProps("close-note", closeErrors.note)} />
              <FieldError id="close-note-error" errors={closeErrors.note} />
            </div>
            <div>
              <button type="submit" name="intent" value="close">
                評価シートを保存して終結を記録する
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      {plan.evaluationSheet ? (
        <section className="staff-section" aria-labelledby="sheet-heading">
          <h2 id="sheet-heading">評価シート</h2>
          <dl className="staff-grid">
            <dt>目標の達成状況</dt>
            <dd className="pre-line">{plan.evaluationSheet.goalAttainment}</dd>
            <dt>支援者の状況</dt>
            <dd className="pre-line">{plan.evaluationSheet.supporters}</dd>
            <dt>フォローアップの必要性</dt>
            <dd className="pre-line">{plan.evaluationSheet.followUpNeed}</dd>
          </dl>
        </section>
      ) : null}

      {interruption ? (
        <section className="staff-section" aria-labelledby="interrupt-heading">
          <h2 id="interrupt-heading">中断（連絡が完全に取れなくなったとき）</h2>
          <p>
            中断は、関係者からの聞き取りや自宅訪問など、できる限り連絡を試みたうえで判断します。このプランの開始後に連絡が取れなかった記録が
            {MIN_FAILED_ATTEMPTS_FOR_INTERRUPTION}回以上必要です。
          </p>
          {attempts.length === 0 ? (
            <p>連絡の試みの記録はまだありません。</p>
          ) : (
            <div className="data-table-wrap">
              <table className="data-table">
                <caption>連絡の試み</caption>
                <thead>
                  <tr>
                    <th scope="col">日付</th>
                    <th scope="col">方法</th>
                    <th scope="col">結果</th>
                    <th scope="col">記録者</th>
                    <th scope="col">メモ</th>
                  </tr>
                </thead>
                <tbody>
                  {attempts.map((a) => (
                    <tr key={a.id}>
                      <td>{a.on}</td>
                      <td>{contactMethodLabel(a.method)}</td>
                      <td>{a.reached ? "連絡が取れた" : "連絡が取れなかった"}</td>
                      <td>{a.by ?? "—"}</td>
                      <td className="pre-line">{a.note ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h3>連絡の試みを記録する</h3>
          <Form method="post" className="account-form" key={`attempt-${attempts.length}`}>
            <CsrfField token={csrf} />
            <div className="field">
              <label htmlFor="attempt-on">日付</label>
              <input id="attempt-on" name="on" type="date" defaultValue={today} {...errorProps("attempt-on", attemptErrors.on)} />
              <FieldError id="attempt-on-error" errors={attemptErrors.on} />
            </div>
            <div className="field">
              <label htmlFor="attempt-method">方法</label>
              <select id="attempt-method" name="method" defaultValue="phone" {...errorProps("attempt-method", attemptErrors.method)}>
                {CONTACT_METHODS.map((m) => (
                  <option key={m.code} value={m.code}>
                    {m.label}
                  </option>
                ))}
              </select>
              <FieldError id="attempt-method-error" errors={attemptErrors.method} />
            </div>
            <fieldset className="field-group" aria-describedby={attemptErrors.reached ? "attempt-reached-error" : undefined}>
              <legend>結果</legend>
              <div className="checkbox-row">
                <label>
                  <input type="radio" name="reached" value="no" /> 連絡が取れなかった
                </label>
                <label>
                  <input type="radio" name="reached" value="yes" /> 連絡が取れた
                </label>
              </div>
              <FieldError id="attempt-reached-error" errors={attemptErrors.reached} />
            </fieldset>
            <div className="field">
              <label htmlFor="attempt-note">メモ（誰に聞いたか、訪問時の様子など）</label>
              <textarea id="attempt-note" name="note" rows={2} maxLength={PLAN_GOAL_MAX_CHARS} {...errorProps("attempt-note", attemptErrors.note)} />
              <FieldError id="attempt-note-error" errors={attemptErrors.note} />
            </div>
            <div>
              <button type="submit" name="intent" value="attempt">
                連絡の試みを記録する
              </button>
            </div>
          </Form>
          {interruption.ok ? (
            <Form method="post" className="account-form">
              <CsrfField token={csrf} />
              <input type="hidden" name="intent" value="transition" />
              <div className="field">
                <label htmlFor="interrupt-note">中断のメモ（会議の日付など）</label>
                <textarea id="interrupt-note" name="note" rows={2} maxLength={PLAN_GOAL_MAX_CHARS} />
              </div>
              <div>
                <button type="submit" name="to" value="interrupted">
                  中断を記録する
                </button>
              </div>
            </Form>
          ) : (
            <p>{`中断はまだ記録できません（連絡が取れなかった記録 ${facts.failedContactAttempts}回）。`}</p>
          )}
        </section>
      ) : null}

      {!final ? (
        <section className="staff-section" aria-labelledby="propose-heading">
          <h2 id="propose-heading">重層的支援会議への提案</h2>
          <p>
            終結や中断は、重層的支援会議で判断します。提案すると、次の会議の議題に入ります。
            {plan.proposedStatus ? `いまは「${planStatusLabel(plan.proposedStatus)}」を提案しています。` : ""}
          </p>
          <Form method="post" className="account-form">
            <CsrfField token={csrf} />
            <input type="hidden" name="intent" value="propose" />
            <div className="plan-buttons">
              <button type="submit" name="proposed" value="closed">
                終結を提案する
              </button>
              <button type="submit" name="proposed" value="interrupted">
                中断を提案する
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      {revise ? (
        <section className="staff-section" aria-labelledby="revise-heading">
          <h2 id="revise-heading">内容の見直し（新しい版）</h2>
          <p>「作成」と「再プラン」のあいだは内容を見直せます。保存すると第{plan.version + 1}版になり、前の版は履歴に残ります。</p>
          <Form method="post" className="account-form" key={`${revise.actions.length}`}>
            <CsrfField token={csrf} />
            <PlanFields prefix="revise" values={revise} errors={reviseErrors} placements={placements} addRowIntent="revise-add-row" />
            <div>
              <button type="submit" name="intent" value="revise">
                新しい版として保存する
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      <section className="staff-section" aria-labelledby="versions-heading">
        <h2 id="versions-heading">版の履歴</h2>
        {versions.map((v) => (
          <article key={v.version} className="plan-version" aria-labelledby={`version-${v.version}`}>
            <h3 id={`version-${v.version}`}>
              第{v.version}版（{formatDateTime(v.createdAt)}、{v.author ?? "—"}）
            </h3>
            <PlanContentView content={v.content} placements={placements} changed={v.changed} />
          </article>
        ))}
      </section>

      <section className="staff-section" aria-labelledby="events-heading">
        <h2 id="events-heading">経過</h2>
        <div className="data-table-wrap">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">日時</th>
                <th scope="col">状態</th>
                <th scope="col">記録者</th>
                <th scope="col">メモ</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.at)}</td>
                  <td>
                    {e.fromStatus ? `${planStatusLabel(e.fromStatus)} → ` : ""}
                    {planStatusLabel(e.toStatus)}
                  </td>
                  <td>{e.by ?? "—"}</td>
                  <td className="pre-line">{e.note ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}

export const meta: MetaFunction = () => [{ title: pageTitle("プラン") }];

export function ErrorBoundary() {
  return <PlanErrorBoundary />;
}
